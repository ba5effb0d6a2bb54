//! Reading the clinic's own text formats (TOML and JSON) into typed records, with errors that name the
//! field path (`treatments[1].last`) and the byte span in the text, so the CLI can point at the line.

use serde::de::DeserializeOwned;
use std::fmt;
use std::ops::Range;

/// Which text format a record was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML (the hand-written form).
    Toml,
    /// JSON (what the studio server sends).
    Json,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Toml => "TOML",
            Format::Json => "JSON",
        })
    }
}

impl Format {
    /// The format a file name suggests: `.json` is JSON, anything else TOML.
    pub fn from_file_name(name: &str) -> Format {
        if name.to_ascii_lowercase().ends_with(".json") {
            Format::Json
        } else {
            Format::Toml
        }
    }
}

/// A record that could not be read: syntax, a missing or unknown field, a bad value, or a failed check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", if path.is_empty() { String::new() } else { format!("`{path}`: ") })]
pub struct SourceError {
    /// The format being read.
    pub format: Format,
    /// Dotted field path to the offending value (`conditions[2].name`); empty for the whole document.
    pub path: String,
    /// What is wrong, without position information.
    pub message: String,
    /// Byte range of the offending text, when known.
    pub span: Option<Range<usize>>,
}

impl SourceError {
    /// A failed semantic check on an already parsed record (no span known).
    pub fn invalid(
        format: Format,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> SourceError {
        SourceError {
            format,
            path: path.into(),
            message: message.into(),
            span: None,
        }
    }

    /// The same error with the span of its field in `text` when none is known yet: a check that failed after
    /// the record was read names the line of the value it refused (or of the table that lacks a field).
    pub fn located(mut self, text: &str) -> SourceError {
        if self.span.is_none() {
            self.span = crate::field_span::span_of(text, self.format, &self.path);
        }
        self
    }

    /// One-based line and column of the span's start in `text`, when a span is known.
    pub fn line_column(&self, text: &str) -> Option<(usize, usize)> {
        let start = self.span.as_ref()?.start.min(text.len());
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((line, column))
    }
}

/// Renders a serde path (`a.b[1].c`), with `?`-free names for the root.
fn path_string(path: &serde_path_to_error::Path) -> String {
    let p = path.to_string();
    if p == "." {
        String::new()
    } else {
        p
    }
}

/// Reads a TOML document into `T`.
pub fn from_toml<T: DeserializeOwned>(text: &str) -> Result<T, SourceError> {
    let de = toml::Deserializer::new(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = path_string(e.path());
        let inner = e.into_inner();
        SourceError {
            format: Format::Toml,
            path,
            message: inner.message().to_string(),
            span: inner.span(),
        }
    })
}

/// Byte offset of a one-based line and column in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset + column.saturating_sub(1).min(l.len());
        }
        offset += l.len();
    }
    text.len()
}

/// Reads a JSON document into `T`.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, SourceError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => de.end().map(|_| v).map_err(|e| (String::new(), e)),
        Err(e) => Err((path_string(e.path()), e.into_inner())),
    };
    value.map_err(|(path, inner)| {
        let start = offset_of(text, inner.line(), inner.column());
        // serde_json reports the position just after the offending token; point at the token's last byte.
        let start = start.saturating_sub(1);
        let mut message = inner.to_string();
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        SourceError {
            format: Format::Json,
            path,
            message,
            span: Some(start..start + 1),
        }
    })
}

/// Reads `text` in the given format.
pub fn parse<T: DeserializeOwned>(text: &str, format: Format) -> Result<T, SourceError> {
    match format {
        Format::Toml => from_toml(text),
        Format::Json => from_json(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }
    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
    }

    #[test]
    fn toml_errors_name_the_field_and_line() {
        let text = "[[items]]\nn = 1\n\n[[items]]\nn = \"two\"\n";
        let e = from_toml::<Outer>(text).unwrap_err();
        assert_eq!(e.path, "items[1].n");
        assert_eq!(e.line_column(text).map(|(l, _)| l), Some(5));
    }

    #[test]
    fn json_errors_name_the_field_and_line() {
        let text = "{\n  \"items\": [\n    {\"n\": 1},\n    {\"m\": 2}\n  ]\n}";
        let e = from_json::<Outer>(text).unwrap_err();
        assert_eq!(e.path, "items[1].m");
        assert!(e.message.contains("unknown field `m`"), "{}", e.message);
        assert_eq!(e.line_column(text).map(|(l, _)| l), Some(4));
    }
}
