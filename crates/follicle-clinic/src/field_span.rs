//! Where a field of a record sits in the text it was read from: the byte span of the value at a dotted path
//! (`conditions[0].in_area`) in TOML or JSON, so that an error found after the record was read (a check on
//! its values, not a syntax error) can still name the line. A path that runs past what the text holds (a
//! missing field) gives the span of the deepest part that is there: the `[[conditions]]` table that lacks
//! `in_area` is the line to look at.

use crate::source::Format;
use std::ops::Range;

/// The byte span of the value at `path` in `text`, or of its nearest enclosing part that the text holds;
/// `None` for an empty path or text that does not parse.
pub fn span_of(text: &str, format: Format, path: &str) -> Option<Range<usize>> {
    let segments = segments(path);
    if segments.is_empty() {
        return None;
    }
    match format {
        Format::Toml => toml_span(text, &segments),
        Format::Json => json_span(text, &segments),
    }
}

/// `a.b[1].c` as `["a", "b", "1", "c"]`.
fn segments(path: &str) -> Vec<&str> {
    path.split(['.', '[', ']'])
        .filter(|s| !s.is_empty())
        .collect()
}

/// A place in a TOML document: toml_edit keeps tables of an array of tables, inline values and items apart.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a toml_edit::Item),
    Table(&'a toml_edit::Table),
    Value(&'a toml_edit::Value),
}

impl<'a> Node<'a> {
    fn child(self, segment: &str) -> Option<Node<'a>> {
        use toml_edit::{Item, Value};
        let index = segment.parse::<usize>().ok();
        match self {
            Node::Item(Item::Table(t)) | Node::Table(t) => t.get(segment).map(Node::Item),
            Node::Item(Item::ArrayOfTables(a)) => a.get(index?).map(Node::Table),
            Node::Item(Item::Value(v)) | Node::Value(v) => match v {
                Value::Array(a) => a.get(index?).map(Node::Value),
                Value::InlineTable(t) => t.get(segment).map(Node::Value),
                _ => None,
            },
            Node::Item(Item::None) => None,
        }
    }

    fn span(self) -> Option<Range<usize>> {
        match self {
            Node::Item(i) => i.span(),
            Node::Table(t) => t.span(),
            Node::Value(v) => v.span(),
        }
    }
}

fn toml_span(text: &str, segments: &[&str]) -> Option<Range<usize>> {
    let doc = toml_edit::ImDocument::parse(text.to_owned()).ok()?;
    let mut node = Node::Item(doc.as_item());
    let mut found = None;
    for s in segments {
        match node.child(s) {
            Some(next) => {
                node = next;
                found = node.span().or(found);
            }
            None => break,
        }
    }
    found
}

fn json_span(text: &str, segments: &[&str]) -> Option<Range<usize>> {
    let mut scan = Json {
        b: text.as_bytes(),
        at: 0,
    };
    let mut found = None;
    scan.find(segments, &mut found);
    found
}

/// A forward scan over JSON text already known to parse (it was read before the check that failed).
struct Json<'a> {
    b: &'a [u8],
    at: usize,
}

impl Json<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Steps over a string starting at its opening quote; returns its raw text (escapes left as written).
    fn string(&mut self) -> &[u8] {
        let start = self.at + 1;
        self.at += 1;
        while let Some(c) = self.peek() {
            self.at += 1;
            match c {
                b'\\' => self.at += 1,
                b'"' => return &self.b[start..self.at - 1],
                _ => {}
            }
        }
        &self.b[start..self.b.len()]
    }

    /// Steps over one value, however deeply nested (without recursion).
    fn skip_value(&mut self) {
        self.skip_space();
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                b'"' => {
                    self.string();
                    if depth == 0 {
                        return;
                    }
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    if depth == 0 {
                        self.at += 1;
                        return;
                    }
                }
                b',' if depth == 0 => return,
                _ => {}
            }
            self.at += 1;
        }
    }

    /// Finds the value at `segments` from here, recording the deepest span reached in `found`.
    fn find(&mut self, segments: &[&str], found: &mut Option<Range<usize>>) {
        self.skip_space();
        let start = self.at;
        let Some((first, rest)) = segments.split_first() else {
            self.skip_value();
            *found = Some(start..self.at.max(start + 1));
            return;
        };
        if found.is_some() {
            *found = Some(start..start + 1);
        }
        match self.peek() {
            Some(b'{') => {
                self.at += 1;
                loop {
                    self.skip_space();
                    if self.peek() != Some(b'"') {
                        return;
                    }
                    let key_start = self.at;
                    let key = self.string() == first.as_bytes();
                    self.skip_space();
                    if self.peek() != Some(b':') {
                        return;
                    }
                    self.at += 1;
                    if key {
                        *found = Some(key_start..self.at);
                        return self.find(rest, found);
                    }
                    self.skip_value();
                    self.skip_space();
                    if self.peek() != Some(b',') {
                        return;
                    }
                    self.at += 1;
                }
            }
            Some(b'[') => {
                let Ok(wanted) = first.parse::<usize>() else {
                    return;
                };
                self.at += 1;
                for _ in 0..wanted {
                    self.skip_value();
                    self.skip_space();
                    if self.peek() != Some(b',') {
                        return;
                    }
                    self.at += 1;
                }
                self.skip_space();
                if self.peek() != Some(b']') {
                    self.find(rest, found);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, span: Option<Range<usize>>) -> usize {
        text[..span.expect("a span").start].matches('\n').count() + 1
    }

    #[test]
    fn toml_fields_are_found_at_their_line() {
        let text = "allergies = [{ kind = \"nickel\" }, { kind = \"other\" }]\n[client]\nname = \"A\"\ndate_of_birth = 1979-11-02\n\n[[conditions]]\nname = \"x\"\n\n[[conditions]]\nname = \"psoriasis\"\n";
        let at = |p: &str| line(text, span_of(text, Format::Toml, p));
        assert_eq!(at("client.date_of_birth"), 4);
        assert_eq!(at("conditions[1].name"), 10);
        // A missing field: the table that lacks it.
        assert_eq!(at("conditions[1].in_area"), 9);
        assert_eq!(at("conditions[0]"), 6);
        assert_eq!(at("allergies[1].kind"), 1);
        assert_eq!(span_of(text, Format::Toml, ""), None);
        assert_eq!(span_of(text, Format::Toml, "nothing.here"), None);
    }

    #[test]
    fn json_fields_are_found_at_their_line() {
        let text = "{\n  \"client\": {\"name\": \"A \\\"B\\\" [x]\", \"date_of_birth\": \"1979-11-02\"},\n  \"conditions\": [\n    {\"name\": \"x\", \"notes\": {\"a\": [1, [2, {\"b\": \"}\"}]]}},\n    {\"name\": \"psoriasis\"}\n  ],\n  \"allergies\": []\n}";
        let at = |p: &str| line(text, span_of(text, Format::Json, p));
        assert_eq!(at("client.date_of_birth"), 2);
        assert_eq!(at("conditions[1].name"), 5);
        assert_eq!(at("conditions[1].in_area"), 5);
        assert_eq!(at("allergies[0].kind"), 7);
        assert_eq!(at("conditions[0].notes"), 4);
        let dob = span_of(text, Format::Json, "client.date_of_birth").unwrap();
        assert_eq!(&text[dob], "\"1979-11-02\"");
        assert_eq!(span_of(text, Format::Json, "nothing"), None);
    }

    #[test]
    fn deep_or_broken_text_ends_the_scan() {
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(span_of(&deep, Format::Json, "[0][0]").is_some());
        for text in ["", "{", "{\"a\"", "[1,", "\"", "{\"a\": [1, 2"] {
            let _ = span_of(text, Format::Json, "a[5].b");
        }
    }
}
