//! Rules for the text people type into records (client references and names, user names, labels, captions):
//! a length limit per kind of field, and no characters that hide or forge content — control characters
//! (CR/LF, which would start a new line in a calendar or a log, NUL) and the bidirectional overrides that make
//! text display in a different order from the one stored. One rule for the server, the CLI and the browser.

/// A kind of text field, with its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A short identifier (a client reference, a user name, a lot number): at most [`MAX_REFERENCE`]
    /// characters, one line, not blank.
    Reference,
    /// A person's or a clinic's name, an e-mail address, a phone number, a label: at most [`MAX_NAME`]
    /// characters, one line, not blank.
    Name,
    /// Free text (a caption, a note): at most [`MAX_FREE_TEXT`] characters; line breaks and tabs allowed.
    FreeText,
}

/// Longest reference (client reference, user name, lot number).
pub const MAX_REFERENCE: usize = 64;
/// Longest name or label.
pub const MAX_NAME: usize = 200;
/// Longest free text.
pub const MAX_FREE_TEXT: usize = 2000;

/// Why a text field was refused, in words for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing but spaces.
    #[error("{field}: must not be empty")]
    Empty {
        /// The field.
        field: String,
    },
    /// Too long.
    #[error("{field}: at most {max} characters (this one has {len})")]
    TooLong {
        /// The field.
        field: String,
        /// Its limit.
        max: usize,
        /// Its length.
        len: usize,
    },
    /// A character that is not allowed.
    #[error("{field}: {what} is not allowed here")]
    Character {
        /// The field.
        field: String,
        /// The character, described.
        what: &'static str,
    },
}

impl TextError {
    /// The field the error is about.
    pub fn field(&self) -> &str {
        match self {
            TextError::Empty { field }
            | TextError::TooLong { field, .. }
            | TextError::Character { field, .. } => field,
        }
    }
}

/// The limit of a kind of field.
pub fn max_len(kind: TextKind) -> usize {
    match kind {
        TextKind::Reference => MAX_REFERENCE,
        TextKind::Name => MAX_NAME,
        TextKind::FreeText => MAX_FREE_TEXT,
    }
}

/// Checks one field's text against its kind's rules.
pub fn check(field: &str, value: &str, kind: TextKind) -> Result<(), TextError> {
    let bad = |what| {
        Err(TextError::Character {
            field: field.to_string(),
            what,
        })
    };
    for c in value.chars() {
        match c {
            '\n' | '\t' if kind == TextKind::FreeText => {}
            '\r' | '\n' | '\u{2028}' | '\u{2029}' => return bad("a line break"),
            '\0' => return bad("a NUL character"),
            '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}' => return bad("a text-direction control character"),
            c if c.is_control() => return bad("a control character"),
            _ => {}
        }
    }
    let len = value.chars().count();
    let max = max_len(kind);
    if len > max {
        return Err(TextError::TooLong {
            field: field.to_string(),
            max,
            len,
        });
    }
    if kind != TextKind::FreeText && is_blank(value) {
        return Err(TextError::Empty {
            field: field.to_string(),
        });
    }
    Ok(())
}

/// Whether `value` shows as nothing: only spaces or invisible characters (zero-width spaces and joiners,
/// word joiner, BOM, soft hyphen). Such a name is blank on every list; such a reason says nothing.
pub fn is_blank(value: &str) -> bool {
    value.chars().all(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
            )
    })
}

/// [`check`] for a field that may be left out.
pub fn check_optional(field: &str, value: Option<&str>, kind: TextKind) -> Result<(), TextError> {
    value.map_or(Ok(()), |v| check(field, v, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_line_breaks_nul_and_direction_overrides() {
        assert!(check("reference", "C-2025-014", TextKind::Reference).is_ok());
        assert!(check("name", "Zoë Ñúñez-O'Brien", TextKind::Name).is_ok());
        for evil in [
            "a\r\nATTENDEE:x",
            "a\nb",
            "a\0b",
            "abc\u{202E}fdp.exe",
            "x\u{2066}y",
            "bell\u{7}",
        ] {
            let e = check("name", evil, TextKind::Name).unwrap_err();
            assert!(matches!(e, TextError::Character { .. }), "{evil:?}: {e}");
            assert!(e.to_string().starts_with("name: "), "{e}");
        }
        assert!(check(
            "caption",
            "line one\nline two\twith a tab",
            TextKind::FreeText
        )
        .is_ok());
        assert!(check("caption", "a\r\nb", TextKind::FreeText).is_err());
    }

    #[test]
    fn limits_length_in_characters_and_refuses_blank() {
        assert!(check("name", &"é".repeat(MAX_NAME), TextKind::Name).is_ok());
        assert_eq!(
            check("name", &"é".repeat(MAX_NAME + 1), TextKind::Name),
            Err(TextError::TooLong {
                field: "name".into(),
                max: 200,
                len: 201
            })
        );
        assert!(check("reference", &"r".repeat(65), TextKind::Reference).is_err());
        assert_eq!(
            check("name", "   ", TextKind::Name),
            Err(TextError::Empty {
                field: "name".into()
            })
        );
        assert!(check_optional("email", None, TextKind::Name).is_ok());
    }
}
