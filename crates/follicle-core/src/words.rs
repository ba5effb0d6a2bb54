//! Numbers and user text in sentences: every message that quotes a typed number (a case file's value, a
//! command-line flag) prints it with up to three decimals, and a huge or tiny one in exponent form, never as
//! 300 digits; every message that quotes text from a file or a form writes its control characters and
//! text-direction overrides out as escapes (`\u{1b}`), so what is shown is what is stored and a terminal is
//! never driven by it.

use std::borrow::Cow;

/// A number for a sentence: up to three decimals, never a 300-digit integer (`1e308` stays `1e308`).
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return "no number".into();
    }
    if x.abs() >= 1e9 || (x != 0.0 && x.abs() < 1e-3) {
        return format!("{x:e}");
    }
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// `text` with its first letter a capital ("Mid-scalp", "Dark brown"), as a label or a choice reads.
pub fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A count for people: thousands grouped with commas (`31,569`), as the studio shows counts, so the stencil,
/// the report and the screen write one number one way (probe s32b: "31569" on the stencil, "31,569" on screen).
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|g| std::str::from_utf8(g).expect("ASCII digits"))
        .collect();
    groups.join(",")
}

/// Whether a character would drive a terminal or reorder the text around it instead of showing itself:
/// control characters (escape sequences, bell, carriage return, NUL) and the text-direction overrides.
pub fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// User text (a client's name, a file's field) as it may be shown: every [`hidden`] character written out as
/// `\u{1b}`. Text without them is returned as it is.
pub fn shown(text: &str) -> Cow<'_, str> {
    shown_except(text, |_| false)
}

/// [`shown`] for text of several lines (a file's excerpt, a parser's message quoting it): line breaks and tabs
/// are kept, every other hidden character is written out.
pub fn shown_lines(text: &str) -> Cow<'_, str> {
    shown_except(text, |c| matches!(c, '\n' | '\t'))
}

/// [`shown`], cut to its first `max_chars` characters and `…` when longer: a name quoted in a message
/// stays readable when the file holds thousands of characters there.
pub fn shown_short(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return shown(text).into_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    format!("{}…", shown(&cut))
}

fn shown_except(text: &str, kept: impl Fn(char) -> bool) -> Cow<'_, str> {
    let escaped = |c: char| hidden(c) && !kept(c);
    if !text.chars().any(escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_start_with_a_capital() {
        assert_eq!(capitalised("mid-scalp"), "Mid-scalp");
        assert_eq!(capitalised("łąka"), "Łąka");
        assert_eq!(capitalised(""), "");
    }

    #[test]
    fn counts_group_thousands() {
        let said: Vec<String> = [0, 7, 999, 1000, 31_569, 1_000_000, u64::MAX]
            .into_iter()
            .map(count)
            .collect();
        assert_eq!(
            said,
            [
                "0",
                "7",
                "999",
                "1,000",
                "31,569",
                "1,000,000",
                "18,446,744,073,709,551,615"
            ]
        );
    }

    #[test]
    fn a_long_name_is_cut_and_its_controls_written_out() {
        assert_eq!(shown_short("crown-scar", 40), "crown-scar");
        let long = "x".repeat(5000);
        assert_eq!(shown_short(&long, 40), format!("{}…", "x".repeat(40)));
        assert_eq!(shown_short("a\u{1b}b", 2), "a\\u{1b}…");
    }

    #[test]
    fn hidden_characters_are_written_out_and_lines_kept_where_asked() {
        assert!(matches!(shown("Zoë Ñúñez"), Cow::Borrowed(_)));
        assert_eq!(shown("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(shown("a\nb"), "a\\u{a}b");
        assert_eq!(shown_lines("a\nb\u{1b}\tc\r"), "a\nb\\u{1b}\tc\\u{d}");
        assert_eq!(shown_lines("a\u{202e}b"), "a\\u{202e}b");
    }

    #[test]
    fn numbers_stay_short() {
        assert_eq!(number(1e308), "1e308");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(80.0), "80");
        assert_eq!(number(1.23456), "1.235");
        assert_eq!(number(-2e-9), "-2e-9");
        assert_eq!(number(f64::NAN), "no number");
    }
}
