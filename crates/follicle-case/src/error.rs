//! Case-file errors as miette diagnostics: the file, the line, the field and a hint.

use miette::{Diagnostic, NamedSource, SourceSpan};

/// A problem in a case file, located where possible.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{location}: {message}")]
#[diagnostic()]
pub struct CaseError {
    /// `file:line` (or just the file).
    pub location: String,
    /// The line of the file the error is at, where it has one (the studio says it without the file's name).
    pub line: Option<usize>,
    /// What is wrong, naming the field.
    pub message: String,
    /// A value asked for beside the file (on the command line, in a request) that is out of range, where that
    /// is the error: an edge says it in its own words, the CLI as an option, the studio as a field.
    pub asked: Option<Asked>,
    #[source_code]
    src: NamedSource<String>,
    #[label("here")]
    span: Option<SourceSpan>,
    #[help]
    help: Option<String>,
}

/// A value given beside the case file, named by [`CaseError::asked`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// This number of sessions (`sessions` of a request, `--sessions`), outside 1 to 8.
    Sessions(usize),
}

/// The help under an error in a field's value: where every field is described.
pub(crate) const FIELDS_HELP: &str = "docs/case-format.md lists every field";

fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())].matches('\n').count() + 1
}

/// Longest line shown under an error; a longer one nearby (a pasted blob, a runaway comment) leaves the
/// excerpt out, so an error never repeats megabytes of the file.
const MAX_SHOWN_LINE: usize = 400;

/// The source and span an error shows: the file's text when the lines around `offset` are short enough.
/// Also used by the CLI for intake, sessions and pigment files.
pub fn excerpt(
    name: &str,
    src: &str,
    span: Option<SourceSpan>,
) -> (NamedSource<String>, Option<SourceSpan>) {
    let shown = span.is_some_and(|sp| {
        let line = line_of(src, sp.offset());
        src.lines()
            .skip(line.saturating_sub(3))
            .take(5)
            .all(|l| l.len() <= MAX_SHOWN_LINE)
    });
    if shown {
        let (text, span) = shown_source(src, span);
        let (text, span) = shortened(&text, span);
        (NamedSource::new(name, text), span)
    } else {
        (NamedSource::new(name, String::new()), None)
    }
}

/// The most characters of a line shown under an error: a longer line is cut to this around the place the
/// error points at, "…" where it was cut (outside test: a 300-character client name was repeated whole,
/// across the terminal three times).
const SHOWN_WIDTH: usize = 80;
/// How many characters before the place an error points at stay shown when its line is cut.
const SHOWN_BEFORE: usize = 12;

/// `text` with every line longer than [`SHOWN_WIDTH`] characters cut to that width, around `span` on the
/// line it starts on and from its start on the others, and `span` moved along (cut where the line is).
fn shortened(text: &str, span: Option<SourceSpan>) -> (String, Option<SourceSpan>) {
    if text.lines().all(|l| l.chars().count() <= SHOWN_WIDTH) {
        return (text.to_string(), span);
    }
    let at = span.map(|sp| sp.offset());
    // Per line: where it starts in `text` and in the text shown, and (for a cut line) the byte range of it
    // kept and the length of the mark before it.
    struct Line {
        from: usize,
        len: usize,
        to: usize,
        kept: Option<(usize, usize, usize)>,
    }
    let mut out = String::with_capacity(text.len());
    let mut lines = Vec::new();
    let mut from = 0;
    for whole in text.split_inclusive('\n') {
        let body = whole.trim_end_matches('\n');
        let n = body.chars().count();
        let to = out.len();
        if n <= SHOWN_WIDTH {
            out.push_str(whole);
            lines.push(Line {
                from,
                len: whole.len(),
                to,
                kept: None,
            });
            from += whole.len();
            continue;
        }
        let room = SHOWN_WIDTH - 2;
        let start = match at {
            Some(p) if p >= from && p <= from + body.len() => {
                let c = body[..p - from].chars().count();
                c.saturating_sub(SHOWN_BEFORE).min(n - room)
            }
            _ => 0,
        };
        let byte = |c: usize| body.char_indices().nth(c).map_or(body.len(), |(b, _)| b);
        let (a, b) = (byte(start), byte(start + room));
        let before = if a > 0 { "…" } else { "" };
        out.push_str(before);
        out.push_str(&body[a..b]);
        if b < body.len() {
            out.push('…');
        }
        out.push_str(&whole[body.len()..]);
        lines.push(Line {
            from,
            len: whole.len(),
            to,
            kept: Some((a, b, before.len())),
        });
        from += whole.len();
    }
    let moved = |p: usize| {
        let Some(l) = lines.iter().find(|l| p < l.from + l.len).or(lines.last()) else {
            return p;
        };
        let within = p.saturating_sub(l.from);
        match l.kept {
            None => l.to + within,
            Some((a, b, mark)) => l.to + mark + within.clamp(a, b) - a,
        }
    };
    let span = span.map(|sp| {
        let (start, end) = (moved(sp.offset()), moved(sp.offset() + sp.len()));
        SourceSpan::new(start.into(), end.saturating_sub(start))
    });
    (out, span)
}

/// `src` as it may be printed (control characters and text-direction overrides written out as `\u{1b}`, line
/// breaks and tabs kept: `words::shown_lines`), with `span` moved along: an escape sequence in a case file
/// is shown, never obeyed by the terminal (outside probe s12: a comment holding ESC[2J cleared the screen).
fn shown_source(src: &str, span: Option<SourceSpan>) -> (String, Option<SourceSpan>) {
    let text = follicle_core::words::shown_lines(src);
    if text.len() == src.len() {
        return (src.to_string(), span);
    }
    // Where byte `at` of `src` lies in the shown text: each escaped character before it grows the text.
    let moved = |at: usize| {
        let grown: usize = src[..at.min(src.len())]
            .chars()
            .filter(|&c| follicle_core::words::hidden(c) && !matches!(c, '\n' | '\t'))
            .map(|c| c.escape_unicode().count() - c.len_utf8())
            .sum();
        at + grown
    };
    let span = span.map(|sp| {
        let (start, end) = (moved(sp.offset()), moved(sp.offset() + sp.len()));
        SourceSpan::new(start.into(), end - start)
    });
    (text.into_owned(), span)
}

/// The id of the `[[zone]]` table whose header starts the line at byte `at`, when it has one.
fn zone_id_at(src: &str, at: usize) -> Option<String> {
    let at = at.min(src.len());
    let line_start = src[..at].rfind('\n').map_or(0, |n| n + 1);
    let mut lines = src[line_start..].lines();
    if lines.next()?.trim() != "[[zone]]" {
        return None;
    }
    lines
        .take_while(|l| !l.trim_start().starts_with('['))
        .find_map(|l| {
            let (key, value) = l.split_once('=')?;
            let value = value.trim();
            (key.trim() == "id" && value.len() >= 2 && value.starts_with('"'))
                .then(|| value[1..].split('"').next().unwrap_or_default().to_string())
        })
        .filter(|id| !id.is_empty() && id.chars().all(|c| !c.is_control()))
}

/// The control character (other than a line break or a tab) at byte `at` of `src`, where there is one: what
/// stopped the TOML reader inside a quoted text.
fn control_at(src: &str, at: usize) -> Option<char> {
    let rest = src.get(at..)?;
    let c = rest.chars().next()?;
    let line_break = c == '\n' || (c == '\r' && rest[1..].starts_with('\n'));
    (c.is_control() && c != '\t' && !line_break).then_some(c)
}

/// The control character typed raw where the TOML reader stopped with a message (inside a quoted text or a
/// key; in a comment it says nothing: `toml_message`).
fn raw_control(src: &str, e: &toml::de::Error) -> Option<char> {
    if e.message().trim().is_empty() {
        return None;
    }
    e.span().and_then(|s| control_at(src, s.start))
}

/// The TOML reader's message, or what stopped it when it says nothing (a control character in a comment)
/// or says it as a text not closed (a control character typed raw inside a quoted text: outside test, a BEL
/// in a client's name read "this text is not closed or holds a character a quoted text cannot", where the
/// same character written as `\u0007` is said to be a control character).
fn toml_message(src: &str, e: &toml::de::Error) -> String {
    if let Some(c) = raw_control(src, e) {
        return format!(
            "a control character ({}: an invisible code, often pasted from another program) is not allowed here: remove it",
            c.escape_unicode()
        );
    }
    let said = e.message().trim();
    if !said.is_empty() {
        return in_words(said);
    }
    let at = e.span().map_or(0, |s| s.start.min(src.len()));
    let line_end = src[at..].find('\n').map_or(src.len(), |n| at + n);
    let line_start = src[..at].rfind('\n').map_or(0, |n| n + 1);
    match src
        .get(line_start..line_end)
        .and_then(|l| l.chars().find(|&c| follicle_core::words::hidden(c) && c != '\t'))
    {
        Some(c) => format!(
            "a control character ({}) is not allowed in a case file, not even in a comment: remove it",
            c.escape_unicode()
        ),
        None => "the TOML reader cannot read this line".into(),
    }
}

impl CaseError {
    /// An error with no position in the file.
    pub fn plain(name: &str, message: String) -> Self {
        CaseError {
            location: name.to_string(),
            line: None,
            message,
            asked: None,
            src: NamedSource::new(name, String::new()),
            span: None,
            help: None,
        }
    }

    /// `asked` is out of range: `message` says what to give instead.
    pub fn asked(name: &str, asked: Asked, message: &str) -> Self {
        let said = match asked {
            Asked::Sessions(n) => format!("{n} sessions asked for: {message}"),
        };
        CaseError {
            asked: Some(asked),
            ..Self::plain(name, said)
        }
    }

    /// This error with `help` (what to do about it) below it.
    pub(crate) fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// From the TOML parser (syntax, unknown fields, wrong types).
    pub fn from_toml(name: &str, src: &str, e: &toml::de::Error) -> Self {
        let span = e.span();
        let line = span.as_ref().map(|s| line_of(src, s.start));
        let mut message = toml_message(src, e);
        let control = raw_control(src, e);
        // A wrong value names its field, as every other check does (outside probe s12: `seed = -1` said only
        // "the value `-1`, expected a whole number of 0 or more").
        if let Some(field) = span.as_ref().and_then(|s| field_at(src, s.start)) {
            // The number of sessions is a whole number from 1, not "of 0 or more" (0 was then refused: outside
            // test s47).
            if field == "sessions" {
                message = message.replace(
                    "a whole number of 0 or more",
                    &format!(
                        "a whole number of sessions from {} to {}",
                        crate::SESSIONS_RANGE.start(),
                        crate::SESSIONS_RANGE.end()
                    ),
                );
            }
            if !message.contains(&format!("`{field}`")) {
                message = format!("{field}: {message}");
            }
        }
        // A field missing from a zone names the zone (outside test s43: "missing field `polygon`" at the
        // `[[zone]]` line said not which of several).
        if let Some(id) = span.as_ref().and_then(|s| zone_id_at(src, s.start)) {
            message = format!("zone `{id}`: {message}");
        }
        let (src, span) = excerpt(
            name,
            src,
            span.map(|s| SourceSpan::new(s.start.into(), s.end.saturating_sub(s.start))),
        );
        CaseError {
            location: match line {
                Some(l) => format!("{name}:{l}"),
                None => name.to_string(),
            },
            line,
            message,
            asked: None,
            src,
            span,
            help: Some(match control {
                Some(c) => format!(
                    "delete the character shown as {} (if you cannot find it, type the text again)",
                    c.escape_unicode()
                ),
                None => FIELDS_HELP.into(),
            }),
        }
    }

    /// At a field path such as `["zones", "crown", "density_cm2"]` or `["zone", "0", "polygon", "2"]`.
    pub fn at(name: &str, src: &str, path: &[&str], message: String, help: Option<String>) -> Self {
        Self::at_as(name, src, path, &path.join("."), message, help)
    }

    /// [`CaseError::at`], the field said as `said` in the message (`zone \`scar\` polygon point 4` for the
    /// path `zone.0.polygon.3`, whose numbers mean nothing to the reader).
    pub fn at_as(
        name: &str,
        src: &str,
        path: &[&str],
        said: &str,
        message: String,
        help: Option<String>,
    ) -> Self {
        let span = locate(src, path);
        let dotted = said;
        let shown = excerpt(name, src, span.map(|(s, l)| SourceSpan::new(s.into(), l)));
        let line = span.map(|(s, _)| line_of(src, s));
        CaseError {
            location: match line {
                Some(l) => format!("{name}:{l}"),
                None => name.to_string(),
            },
            line,
            message: format!("{dotted}: {message}"),
            asked: None,
            src: shown.0,
            span: shown.1,
            help,
        }
    }
}

/// The dotted name of the field whose value starts at byte `at` (`seed`, `zones.crown.density_cm2`): the
/// key of a `key = value` line whose value is there, under the nearest table header above it. `None` where
/// `at` is not on a value (a key, a header, a syntax error).
fn field_at(src: &str, at: usize) -> Option<String> {
    let start = src.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line = &src[start..];
    let eq = line.find('=')?;
    let key = line[..eq].trim();
    let plain = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    if start + eq >= at || !plain(key) {
        return None;
    }
    let table = src[..start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|h| h.trim_matches(|c| c == '[' || c == ']').trim().to_string())
        .filter(|t| plain(t));
    Some(match table {
        Some(t) => format!("{t}.{key}"),
        None => key.to_string(),
    })
}

/// The TOML reader's message with Rust's type names in words (`expected u64` → "expected a whole number of 0
/// or more"), so a practitioner reads what the field needs.
fn in_words(message: &str) -> String {
    const TYPES: [(&str, &str); 10] = [
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected u32", "expected a whole number of 0 or more"),
        ("expected u16", "expected a whole number of 0 or more"),
        ("expected u8", "expected a whole number of 0 or more"),
        ("expected usize", "expected a whole number of 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected a boolean", "expected true or false"),
    ];
    let mut out = message.to_string();
    // A number past what the field can hold (a seed of 21 digits): the TOML reader's words are Rust's.
    out = out
        .replace(
            "number too large to fit in target type",
            "the number is too large (a case file holds whole numbers up to 9223372036854775807)",
        )
        .replace(
            "number too small to fit in target type",
            "the number is too small (a whole number of 0 or more here)",
        );
    for (rust, words) in TYPES {
        if let Some(at) = out.find(rust) {
            // Only a whole word: `expected u8` must not rewrite `expected u8x`.
            let end = at + rust.len();
            if !out[end..].starts_with(|c: char| c.is_alphanumeric()) {
                out.replace_range(at..end, words);
            }
        }
    }
    // `expected struct Client`: a table of fields, named as the file names it.
    if let Some(at) = out.find("expected struct ") {
        let name: String = out[at + "expected struct ".len()..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        let end = at + "expected struct ".len() + name.len();
        out.replace_range(
            at..end,
            &format!("expected a table of fields ([{}])", name.to_lowercase()),
        );
    }
    let out = out
        .replace("invalid value: integer ", "the value ")
        .replace("invalid type: ", "the value is ");
    syntax_in_words(&out)
}

/// The TOML reader's words for text that is not TOML ("invalid key", "recursion limit exceeded", and two lines
/// for a table heading) as one sentence on what the line should look like (outside probe s31: "The design,
/// line 1: Invalid key").
fn syntax_in_words(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let said = |l: &str| {
        let l = l.to_ascii_lowercase();
        if l.contains("recursion limit exceeded") {
            Some("the text nests brackets or tables too deeply for a case file ([[[[…): a case file holds tables of fields")
        } else if l == "invalid key" {
            Some("this line does not read as `name = value` or a `[table]` heading (a name is letters, digits, `-` and `_`)")
        } else if l == "invalid table header" {
            Some("this table heading does not read as `[name]` or `[[name]]`")
        } else if l.starts_with("expected newline") {
            Some("the line goes on after its value: one `name = value` a line, a comment after `#`")
        } else if l == "invalid string" || l.starts_with("invalid basic string") {
            Some("this text is not closed or holds a character a quoted text cannot: close it with `\"`")
        } else {
            None
        }
    };
    // A table or a field given twice: the reader says "invalid table header" first, then which key
    // (outside probe s32: a second `[head]` was said as a heading that does not read as `[name]`).
    if let Some(key) = lines.iter().find_map(|l| {
        let at = l.find("duplicate key `")? + "duplicate key `".len();
        l[at..].split('`').next().map(str::to_string)
    }) {
        // A heading given twice is said with the heading; a field given twice as the field it is (probe s33b:
        // `pattern` twice read "put the fields of both `[pattern]` headings under one").
        let heading = lines
            .iter()
            .any(|l| l.eq_ignore_ascii_case("invalid table header"));
        return if heading {
            format!(
                "`{key}` is given twice in this file: each table and each field once (put the fields of both `[{key}]` headings under one)"
            )
        } else {
            format!("`{key}` is given twice in this file: give each field once (keep the line you mean and delete the other)")
        };
    }
    match lines.iter().find_map(|l| said(l)) {
        Some(words) => words.to_string(),
        None => lines.join("; "),
    }
}

/// Byte span of the value at `path` in the document, if present.
fn locate(src: &str, path: &[&str]) -> Option<(usize, usize)> {
    let doc = toml_edit::ImDocument::parse(src.to_string()).ok()?;
    let mut item: &toml_edit::Item = doc.as_item();
    let mut last_span = None;
    for key in path {
        let next = if let Ok(i) = key.parse::<usize>() {
            match item {
                toml_edit::Item::ArrayOfTables(a) => a.get(i).map(|t| (t.span(), None)),
                toml_edit::Item::Value(toml_edit::Value::Array(a)) => {
                    a.get(i).map(|v| (v.span(), Some(v)))
                }
                _ => None,
            }
        } else {
            None
        };
        match next {
            Some((span, val)) => {
                last_span = span.or(last_span);
                match (item, val) {
                    (toml_edit::Item::ArrayOfTables(a), None) => {
                        // Descend into the table at i.
                        let i: usize = key.parse().ok()?;
                        let t = a.get(i)?;
                        // Keep walking with a temporary item built from the table reference.
                        return locate_in_table(
                            t,
                            &path[path.iter().position(|k| k == key)? + 1..],
                        )
                        .or(last_span.map(|s| (s.start, s.end - s.start)));
                    }
                    (_, Some(v)) => {
                        if let toml_edit::Value::Array(_) = v {
                            // Nested arrays (polygon points) end here.
                        }
                        return last_span.map(|s| (s.start, s.end - s.start));
                    }
                    _ => return None,
                }
            }
            None => {
                let child = item.get(*key)?;
                last_span = child.span().or(last_span);
                item = child;
            }
        }
    }
    last_span.map(|s| (s.start, s.end - s.start))
}

fn locate_in_table(t: &toml_edit::Table, path: &[&str]) -> Option<(usize, usize)> {
    let mut span = t.span();
    let mut item = None::<&toml_edit::Item>;
    for (depth, key) in path.iter().enumerate() {
        if depth == 0 {
            let child = t.get(key)?;
            span = child.span().or(span);
            item = Some(child);
        } else if let Ok(i) = key.parse::<usize>() {
            if let Some(toml_edit::Item::Value(toml_edit::Value::Array(a))) = item {
                let v = a.get(i)?;
                span = v.span().or(span);
            }
            break;
        } else {
            let child = item?.get(key)?;
            span = child.span().or(span);
            item = Some(child);
        }
    }
    span.map(|s| (s.start, s.end - s.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_negative_number_of_sessions_is_told_the_range() {
        let e = crate::parse("c.toml", "sessions = -1\n", &crate::Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("sessions") && e.contains("from 1 to 8"), "{e}");
    }

    /// Outside probe s32: a second `[head]` heading was said as "this table heading does not read as
    /// `[name]`"; it is said as given twice, on the second heading's line.
    #[test]
    fn a_table_given_twice_is_said_so() {
        let src = "[head]\nlength_mm = 200\n[head]\nbreadth_mm = 150\n";
        let err = crate::parse("c.toml", src, &Default::default()).unwrap_err();
        assert!(
            err.message.contains("`head` is given twice in this file")
                && !err.message.contains("does not read as"),
            "{}",
            err.message
        );
        assert_eq!(err.line, Some(3), "{err:?}");
    }

    #[test]
    fn a_wrong_value_names_its_field() {
        let src = "seed = -5\n# a comment = here\n[hairline]\nstyle = 3\nname = \"a = b\"\n";
        let at = |needle: &str| src.find(needle).unwrap();
        assert_eq!(field_at(src, at("-5")).as_deref(), Some("seed"));
        assert_eq!(field_at(src, at("3\n")).as_deref(), Some("hairline.style"));
        // On a key, a header or a comment: no field.
        assert_eq!(field_at(src, at("seed")), None);
        assert_eq!(field_at(src, at("[hairline]")), None);
        assert_eq!(field_at(src, at("a comment")), None);
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct S {
            seed: Option<u64>,
        }
        let src = "seed = -1\n";
        let e = toml::from_str::<S>(src).unwrap_err();
        let err = CaseError::from_toml("c.toml", src, &e);
        assert!(
            err.message.starts_with("seed: the value `-1`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn text_that_is_not_toml_is_said_in_words_on_one_line() {
        let deep = format!("a = {}1{}\n", "[".repeat(200), "]".repeat(200));
        for (src, want) in [
            ("[[[[[\n", "heading"),
            ("seed = 1 2\n", "the line goes on after its value"),
            ("% x\n", "does not read as `name = value`"),
            (deep.as_str(), "too deeply"),
            ("[a\n", "heading"),
        ] {
            let e = toml::from_str::<toml::Table>(src).unwrap_err();
            let err = CaseError::from_toml("c.toml", src, &e);
            assert!(err.message.contains(want), "{src:?}: {}", err.message);
            assert!(!err.message.contains('\n'), "{src:?}: {}", err.message);
        }
    }

    #[test]
    fn type_errors_are_in_words() {
        for (src, want) in [
            (
                "seed = -5\n",
                "the value `-5`, expected a whole number of 0 or more",
            ),
            (
                "sessions = \"three\"\n",
                "expected a whole number of sessions from 1 to 8",
            ),
            (
                "client = \"Ann\"\n",
                "expected a table of fields ([client])",
            ),
        ] {
            #[derive(serde::Deserialize, Debug)]
            #[allow(dead_code)]
            struct S {
                seed: Option<u64>,
                sessions: Option<usize>,
                client: Option<Client>,
            }
            #[derive(serde::Deserialize, Debug)]
            #[allow(dead_code)]
            struct Client {
                name: String,
            }
            let e = toml::from_str::<S>(src).unwrap_err();
            let err = CaseError::from_toml("c.toml", src, &e);
            assert!(err.message.contains(want), "{}", err.message);
            assert!(
                !err.message.contains("u64")
                    && !err.message.contains("usize")
                    && !err.message.contains("struct"),
                "{}",
                err.message
            );
        }
    }

    /// Outside test: a BEL typed into a client's name read "this text is not closed or holds a character a
    /// quoted text cannot"; written `\u0007` it is said to be a control character. Typed raw it is said so
    /// too, in a basic, a literal or a multi-line text; a text left open is still said to be open.
    #[test]
    fn a_control_character_typed_in_a_quoted_text_is_said_to_be_one() {
        for (src, shown) in [
            ("[client]\nname = \"Ann\u{7}B\"\n", "\\u{7}"),
            ("[client]\nname = 'Ann\u{7}B'\n", "\\u{7}"),
            ("[client]\nname = \"\"\"Ann\u{1b}B\"\"\"\n", "\\u{1b}"),
            ("[client]\nname = \"Ann\u{7f}B\"\n", "\\u{7f}"),
        ] {
            let e = crate::parse("c.toml", src, &crate::Overrides::default()).unwrap_err();
            assert_eq!(
                e.message,
                format!("client.name: a control character ({shown}: an invisible code, often pasted from another program) is not allowed here: remove it"),
                "{src:?}"
            );
            assert_eq!(e.line, Some(2));
            let help = miette::Diagnostic::help(&e).unwrap().to_string();
            assert!(
                help.starts_with(&format!("delete the character shown as {shown}")),
                "{help}"
            );
            // The excerpt shows the character escaped, where the caret points.
            let at = e.span.unwrap();
            assert_eq!(
                &e.src.inner()[at.offset()..at.offset() + at.len()],
                shown,
                "{src:?}"
            );
        }
        let open =
            crate::parse("c.toml", "[client]\nname = \"Ann\n", &Default::default()).unwrap_err();
        assert!(open.message.contains("not closed"), "{}", open.message);
        assert!(
            !open.message.contains("control character"),
            "{}",
            open.message
        );
    }

    /// Outside test: a 300-character name was repeated whole under its error, across the terminal three
    /// times. A long line is shown cut around the caret, on the error's line and beside it.
    #[test]
    fn a_long_line_is_shown_cut_around_the_caret() {
        let name = format!("Ann {}", "Long".repeat(74));
        let src = format!("seed = 1\n[client]\nname = \"{name}\"\n");
        let shown_lines =
            |e: &CaseError| -> Vec<String> { e.src.inner().lines().map(str::to_string).collect() };
        let e = CaseError::at(
            "c.toml",
            &src,
            &["client", "name"],
            "at most 200 characters".into(),
            None,
        );
        let lines = shown_lines(&e);
        assert!(
            lines.iter().all(|l| l.chars().count() <= SHOWN_WIDTH),
            "{lines:?}"
        );
        assert!(
            lines[2].starts_with("name = \"Ann LongLong") && lines[2].ends_with('…'),
            "{lines:?}"
        );
        let at = e.span.unwrap();
        let pointed = &e.src.inner()[at.offset()..at.offset() + at.len()];
        assert!(
            pointed.starts_with("\"Ann Long") && !pointed.contains('\n'),
            "{pointed:?}"
        );
        // Beside an error on a later line, the long line is cut too, and the caret stays on its value.
        let src = format!("[client]\nname = \"{name}\"\n[head]\nlength_mm = 20\n");
        let e = crate::parse("c.toml", &src, &crate::Overrides::default()).unwrap_err();
        assert_eq!(e.line, Some(4), "{e:?}");
        let lines = shown_lines(&e);
        assert!(
            lines.iter().all(|l| l.chars().count() <= SHOWN_WIDTH),
            "{lines:?}"
        );
        let at = e.span.unwrap();
        assert_eq!(&e.src.inner()[at.offset()..at.offset() + at.len()], "20");
        // A value far along a long line is shown with the line's start cut off, the caret on it.
        let src = format!(
            "[head]\n{}length_mm = 20 # {}\n",
            " ".repeat(100),
            "y".repeat(120)
        );
        let e = crate::parse("c.toml", &src, &crate::Overrides::default()).unwrap_err();
        let at = e.span.unwrap();
        assert_eq!(&e.src.inner()[at.offset()..at.offset() + at.len()], "20");
        let lines = shown_lines(&e);
        assert!(
            lines[1].starts_with('…')
                && lines[1].ends_with('…')
                && lines[1].contains("length_mm = 20"),
            "{lines:?}"
        );
        assert!(lines.iter().all(|l| l.chars().count() <= SHOWN_WIDTH));
    }

    #[test]
    fn an_error_beside_a_megabyte_line_names_the_line_without_repeating_it() {
        let src = format!("# {}\nsessions = \n", "x".repeat(1_000_000));
        let e = toml::from_str::<toml::Value>(&src).unwrap_err();
        let err = CaseError::from_toml("case.toml", &src, &e);
        assert_eq!(err.location, "case.toml:2");
        assert!(err.src.inner().is_empty() && err.span.is_none());
        // A short file keeps its excerpt.
        let short = "sessions = \n";
        let e = toml::from_str::<toml::Value>(short).unwrap_err();
        let err = CaseError::from_toml("case.toml", short, &e);
        assert_eq!(err.src.inner(), short);
        assert!(err.span.is_some());
    }
}
