//! Rules for the text people type into records (client references and names, user names, labels, captions):
//! a length limit per kind of field, and no characters that hide or forge content — control characters
//! (CR/LF, which would start a new line in a calendar or a log, NUL) and the bidirectional overrides that make
//! text display in a different order from the one stored. One rule for the server, the CLI and the browser.
//! User names have a stricter rule ([`check_user_name`]): no invisible format characters, no compatibility forms
//! (NFKC), no mixing of Latin, Greek and Cyrillic letters, and [`user_name_key`] compares names as people read
//! them (NFKC, then case folded), so no account can be made to look like another.

use unicode_normalization::UnicodeNormalization;

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

/// Most accents or marks on one letter (combining characters in a row).
pub const MAX_STACKED_MARKS: usize = 5;

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
    /// A user name that can be typed more plainly (full-width letters, ligatures, superscripts: NFKC).
    #[error("{field}: `{value}` uses special forms of letters or digits (such as full-width letters); type it as `{plain}`")]
    Compatibility {
        /// The field.
        field: String,
        /// What was typed.
        value: String,
        /// The plain form.
        plain: String,
    },
    /// Not an e-mail address (no `@`, no domain, spaces): reminders and the client's copies go nowhere.
    #[error("{field}: `{value}` is not an e-mail address (one like name@example.org)")]
    NotEmail {
        /// The field.
        field: String,
        /// What was typed.
        value: String,
    },
    /// Not a telephone number (letters, too few digits): reminders by text and the front desk's call go nowhere.
    #[error("{field}: `{value}` is not a telephone number (digits, with spaces, + ( ) - . / between them, e.g. +44 20 7946 0958; an extension as \"ext 12\")")]
    NotPhone {
        /// The field.
        field: String,
        /// What was typed.
        value: String,
    },
    /// A user name mixing letters of alphabets that look alike (a Cyrillic `а` among Latin letters).
    #[error("{field}: mixes letters from different alphabets ({scripts}), which can make it look like another name; use one alphabet")]
    MixedScripts {
        /// The field.
        field: String,
        /// The alphabets found, in words.
        scripts: String,
    },
}

impl TextError {
    /// The field the error is about.
    pub fn field(&self) -> &str {
        match self {
            TextError::Empty { field }
            | TextError::TooLong { field, .. }
            | TextError::Character { field, .. }
            | TextError::Compatibility { field, .. }
            | TextError::NotEmail { field, .. }
            | TextError::NotPhone { field, .. }
            | TextError::MixedScripts { field, .. } => field,
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
            '\0' => {
                return bad("an invisible empty character (NUL, often pasted from another program)")
            }
            '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}' => return bad("a text-direction control character"),
            c if c.is_control() => {
                return bad(
                    "a control character (an invisible code, often pasted from another program)",
                )
            }
            _ => {}
        }
    }
    // Accents stacked on one letter: a few are writing (Vietnamese, Hebrew points, Indic vowel signs), dozens
    // draw a column through every list and document the name appears in (probe s10: a name of one letter
    // and 199 accents scribbled across the passport's heading).
    let mut stacked = 0;
    for c in value.chars() {
        stacked = if unicode_normalization::char::is_combining_mark(c) {
            stacked + 1
        } else {
            0
        };
        if stacked > MAX_STACKED_MARKS {
            return bad("a letter with more than 5 accents or marks stacked on it");
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
    if kind == TextKind::Name && value.chars().any(invisible_in_a_name) {
        // A name with a zero-width space looks like another name and sorts and searches apart from it (probe
        // s33: "Bob\u{200b}by" beside "Bobby"); the joiners some scripts spell names with stay allowed.
        return Err(TextError::Character {
            field: field.to_string(),
            what: "an invisible character (such as a zero-width space or a soft hyphen)",
        });
    }
    if kind == TextKind::Reference {
        // An identifier (a client reference, a lot number) is compared and searched as typed: an invisible
        // character or a full-width form makes a look-alike duplicate of another (probe s7 N14: `L-A` and
        // `L-A` + a zero-width space, `Ａ-1` beside `A-1`).
        plain_identifier(field, value)?;
    }
    Ok(())
}

/// No invisible format characters ([`is_format_character`]) and no compatibility forms (the value must be its
/// own NFKC form: `Ａ-1` is refused with `A-1` suggested).
fn plain_identifier(field: &str, value: &str) -> Result<(), TextError> {
    if value.chars().any(is_format_character) {
        return Err(TextError::Character {
            field: field.to_string(),
            what: "an invisible character (such as a zero-width space or a soft hyphen)",
        });
    }
    let plain: String = value.nfkc().collect();
    if plain != value {
        return Err(TextError::Compatibility {
            field: field.to_string(),
            value: value.to_string(),
            plain,
        });
    }
    Ok(())
}

/// Whether `value` shows as nothing: only spaces, invisible format characters ([`is_format_character`]),
/// letters that are drawn blank (the Hangul fillers, the blank Braille pattern) and accents with no letter to
/// sit on (probe s10: a client named `\u{3164}` or `\u{301}` was a blank line on every list). Such a name is
/// blank on every list; such a reason says nothing.
pub fn is_blank(value: &str) -> bool {
    value.chars().all(|c| {
        c.is_whitespace()
            || is_format_character(c)
            || matches!(
                c,
                '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}'
            )
            || unicode_normalization::char::is_combining_mark(c)
    })
}

/// How many characters of `value` show (spaces at the ends and characters [`is_blank`] takes for nothing left
/// out): what a written reason's length is counted in, so 15 zero-width spaces are no reason.
pub fn shown_chars(value: &str) -> usize {
    value
        .trim()
        .chars()
        .filter(|c| c.is_whitespace() || !is_blank(c.encode_utf8(&mut [0; 4])))
        .count()
}

/// The invisible characters a name never needs: [`is_format_character`] less the joiners and direction marks
/// that Persian, Arabic and Indic names are written with (U+200C–U+200F).
fn invisible_in_a_name(c: char) -> bool {
    is_format_character(c) && !matches!(c, '\u{200C}'..='\u{200F}')
}

/// Whether `c` is an invisible format character (soft hyphen, zero-width space and joiners, direction marks,
/// word joiner and invisible operators, the deprecated format controls, interlinear annotation marks,
/// byte-order mark, the tag characters): it changes nothing on screen, so a name holding one looks exactly
/// like the name without it.
pub fn is_format_character(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{034F}'
            | '\u{180E}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// Checks an e-mail address: the [`TextKind::Name`] rules, then the shape of one — a name, one `@`, a domain
/// with a dot inside it, no spaces (outside probe s29: "not an email" was stored as a client's address). Whether
/// the address exists is for the mail server to say.
pub fn check_email(field: &str, value: &str) -> Result<(), TextError> {
    check(field, value, TextKind::Name)?;
    let shaped = value.split_once('@').is_some_and(|(name, domain)| {
        let dot = domain.find('.');
        !name.is_empty()
            && !domain.contains('@')
            && dot.is_some_and(|d| d > 0)
            && !domain.ends_with('.')
            && !value.chars().any(char::is_whitespace)
    });
    if shaped {
        Ok(())
    } else {
        Err(TextError::NotEmail {
            field: field.to_string(),
            value: value.to_string(),
        })
    }
}

/// Fewest characters (that show) in the written reason of an erasure: irreversible, it is explained in words,
/// not a token ("x" was taken; outside probe s30).
pub const ERASURE_REASON_MIN_CHARS: usize = 10;

/// Checks the reason an erasure is made for: free text with the clinic's text rules and at least
/// [`ERASURE_REASON_MIN_CHARS`] characters that show. The studio and `follicle client erase` use this one rule.
pub fn check_erasure_reason(value: &str) -> Result<(), String> {
    check("Reason", value, TextKind::FreeText).map_err(|e| e.to_string())?;
    if shown_chars(value) < ERASURE_REASON_MIN_CHARS {
        return Err(format!(
            "Write why the client's data is being erased, in at least {ERASURE_REASON_MIN_CHARS} characters (for example “asked by e-mail on 2 March”)."
        ));
    }
    Ok(())
}

/// Fewest digits a telephone number has (the shortest national numbers have 5).
pub const MIN_PHONE_DIGITS: usize = 5;

/// Checks a telephone number: the [`TextKind::Reference`] rules, then digits with the separators people write
/// (spaces, `+` in front, `( ) - . /`), at least [`MIN_PHONE_DIGITS`] of them, and an optional extension at
/// the end (`ext 12`, `ext. 12`, `x12`, `#12`). Outside probe s30: "-1 abc" was stored as a client's phone.
pub fn check_phone(field: &str, value: &str) -> Result<(), TextError> {
    check(field, value, TextKind::Reference)?;
    let lower = value.trim().to_lowercase();
    let (number, extension) = ["ext.", "ext", "x", "#"]
        .iter()
        .find_map(|m| {
            let at = lower.rfind(m)?;
            let ext = lower[at + m.len()..].trim();
            (!ext.is_empty() && ext.chars().all(|c| c.is_ascii_digit()))
                .then(|| (&lower[..at], ext))
        })
        .unwrap_or((lower.as_str(), ""));
    let number = number.trim();
    let digits = number.chars().filter(char::is_ascii_digit).count();
    let shaped = digits >= MIN_PHONE_DIGITS
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || " ()-./+".contains(c))
        && !number[1.min(number.len())..].contains('+')
        && number
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '+' || c == '(')
        && extension.len() <= 6;
    if shaped {
        Ok(())
    } else {
        Err(TextError::NotPhone {
            field: field.to_string(),
            value: value.to_string(),
        })
    }
}

/// Checks a user name: the [`TextKind::Reference`] rules, then no invisible format characters
/// ([`is_format_character`]), no compatibility forms (the name must be its own NFKC form: `ａｌｐｈａ` is refused
/// with `alpha` suggested), and letters from one of the look-alike alphabets (Latin, Greek, Cyrillic) only.
pub fn check_user_name(field: &str, value: &str) -> Result<(), TextError> {
    check(field, value, TextKind::Reference)?;
    let mut scripts: Vec<&str> = Vec::new();
    for c in value.chars().filter(|c| c.is_alphabetic()) {
        let script = match c {
            'A'..='Z' | 'a'..='z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => "Latin",
            '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => "Greek",
            '\u{0400}'..='\u{052F}'
            | '\u{1C80}'..='\u{1C8F}'
            | '\u{2DE0}'..='\u{2DFF}'
            | '\u{A640}'..='\u{A69F}' => "Cyrillic",
            _ => continue,
        };
        if !scripts.contains(&script) {
            scripts.push(script);
        }
    }
    if scripts.len() > 1 {
        return Err(TextError::MixedScripts {
            field: field.to_string(),
            scripts: scripts.join(" and "),
        });
    }
    Ok(())
}

/// A user name as people read it, for comparing names: NFKC, then case folded (lower case), so `Alpha`, `ALPHA`
/// and `alpha` have one key and a second of them can be refused.
pub fn user_name_key(value: &str) -> String {
    let folded: String = value.nfkc().collect::<String>().to_lowercase();
    folded.nfkc().collect()
}

/// A clinic name as people read it, for comparing names: [`user_name_key`] of the name without spaces at its ends, so
/// `Studio Nord`, ` studio nord ` and `STUDIO NORD` have one key and a chain holds one clinic of that name.
pub fn clinic_name_key(value: &str) -> String {
    user_name_key(value.trim())
}

/// A client reference as a receptionist reads it, for comparing references within a clinic: [`user_name_key`] of
/// the reference without spaces at its ends, so `AB-12`, `ab-12` and ` Ab-12 ` are one reference.
pub fn reference_key(value: &str) -> String {
    user_name_key(value.trim())
}

/// Text as a search compares it: compatibility forms made plain (NFKD: `Ａｄａｍ` → `Adam`), accents and marks
/// dropped (`Żółkiewski` → `zolkiewski`), the Latin letters that carry no separate accent spelled as people type
/// them on a keyboard without them (`ł` → `l`, `ø` → `o`, `ß` → `ss`, `æ` → `ae`…), lower case. A receptionist
/// types `Lukasz` for Łukasz (outside probe s29: nothing was found).
pub fn search_fold(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
            'ħ' | 'Ħ' => out.push('h'),
            'ı' => out.push('i'),
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'þ' | 'Þ' => out.push_str("th"),
            c => out.extend(c.to_lowercase()),
        }
    }
    // Runs of spaces as one: a name pasted as "Zoë   Łukasiewicz" is found as "Zoë Łukasiewicz" (outside probe
    // s31c: it was not, which invites a second record of the same client).
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`check`] for a field that may be left out.
pub fn check_optional(field: &str, value: Option<&str>, kind: TextKind) -> Result<(), TextError> {
    value.map_or(Ok(()), |v| check(field, v, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_refuse_a_zero_width_space_but_keep_the_joiners_scripts_need() {
        for bad in ["Bob\u{200b}by", "\u{feff}Anna", "Jo\u{00ad}hn"] {
            assert!(
                matches!(
                    check("name", bad, TextKind::Name),
                    Err(TextError::Character { .. })
                ),
                "{bad:?}"
            );
        }
        // Persian "Mohammad-Reza" is written with a zero-width non-joiner.
        for ok in ["محمد\u{200c}رضا", "Bobby"] {
            assert!(check("name", ok, TextKind::Name).is_ok(), "{ok:?}");
        }
    }

    #[test]
    fn identifiers_refuse_invisible_and_full_width_look_alikes() {
        for ok in ["L-A", "NC1-2502-041", "C-2025-014", "ŁŻ-7"] {
            assert!(check("lot", ok, TextKind::Reference).is_ok(), "{ok}");
        }
        for bad in [
            "L-A\u{200b}",
            "\u{feff}L-A",
            "L\u{2060}-A",
            "L-A\u{00ad}",
            "Ｌ-A",
        ] {
            let e = check("lot", bad, TextKind::Reference).unwrap_err();
            assert!(
                matches!(
                    e,
                    TextError::Character { .. } | TextError::Compatibility { .. }
                ),
                "{bad:?}: {e}"
            );
        }
        assert_eq!(
            check("reference", "Ａ-1", TextKind::Reference).unwrap_err().to_string(),
            "reference: `Ａ-1` uses special forms of letters or digits (such as full-width letters); type it as `A-1`"
        );
        // Names and free text keep them (a soft hyphen in a caption is harmless).
        assert!(check("caption", "long\u{00ad}word", TextKind::FreeText).is_ok());
    }

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
    fn user_names_cannot_look_like_another() {
        assert!(check_user_name("username", "alpha").is_ok());
        assert!(check_user_name("username", "zoë.nuñez").is_ok());
        assert!(check_user_name("username", "Ольга").is_ok());
        for hidden in [
            "ow\u{200b}ner",
            "al\u{ad}pha",
            "alpha\u{2060}",
            "a\u{2064}b",
            "\u{feff}alpha",
            "al\u{200d}pha",
        ] {
            let e = check_user_name("username", hidden).unwrap_err();
            assert!(
                matches!(e, TextError::Character { .. } | TextError::Empty { .. }),
                "{hidden:?}: {e}"
            );
        }
        let e = check_user_name("username", "ａｌｐｈａ").unwrap_err();
        assert_eq!(
            e.to_string(),
            "username: `ａｌｐｈａ` uses special forms of letters or digits (such as full-width letters); type it as `alpha`"
        );
        assert!(check_user_name("username", "ﬁona").is_err(), "ligature");
        let e = check_user_name("username", "bet\u{430}").unwrap_err();
        assert!(e.to_string().contains("Latin and Cyrillic"), "{e}");
        assert_eq!(user_name_key("Alpha"), user_name_key("ALPHA"));
        assert_eq!(user_name_key("alpha"), user_name_key("ａｌｐｈａ"));
        assert_ne!(user_name_key("alpha"), user_name_key("alpha2"));
        assert_eq!(
            clinic_name_key(" Studio Nord "),
            clinic_name_key("STUDIO NORD")
        );
        assert_ne!(
            clinic_name_key("Studio Nord"),
            clinic_name_key("Studio Süd")
        );
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
        // Names that show as nothing (probe s10): fillers, a blank Braille cell, tag characters, accents alone.
        for blank in [
            "\u{3164}",
            "\u{115F}\u{1160}",
            "\u{FFA0}",
            "\u{2800}\u{2800}",
            "\u{E0041}\u{E0042}",
            "\u{301}\u{301}",
            "\u{FFF9}\u{FFFB}",
            "\u{3000}",
        ] {
            assert_eq!(
                check("name", blank, TextKind::Name),
                Err(TextError::Empty {
                    field: "name".into()
                }),
                "{blank:?}"
            );
        }
        // Letters with their accents, Hangul and emoji sequences are names.
        for name in [
            "Zoë",
            "e\u{301}",
            "김민준",
            "Ana 👩\u{200D}⚕\u{FE0F}",
            "Z\u{301}\u{301}",
        ] {
            assert!(check("name", name, TextKind::Name).is_ok(), "{name:?}");
        }
        // Accents stacked on one letter: a few are writing, dozens are not.
        for name in [
            "Nguyễn Thị Ngọc",
            "Nguye\u{302}\u{303}n",
            "שָׁלוֹם",
            "हिन्दी",
            "Z\u{301}\u{301}\u{301}\u{301}\u{301}",
        ] {
            assert!(check("name", name, TextKind::Name).is_ok(), "{name:?}");
        }
        let e = check("name", &format!("Z{}", "\u{301}".repeat(6)), TextKind::Name).unwrap_err();
        assert!(e.to_string().contains("more than 5 accents"), "{e}");
        assert!(check(
            "note",
            &format!("ok Z{}", "\u{301}".repeat(199)),
            TextKind::FreeText
        )
        .is_err());
        // A reason's length counts what shows.
        assert_eq!(shown_chars("  The client's GP agreed.  "), 23);
        assert_eq!(shown_chars(&"\u{200B}".repeat(20)), 0);
        assert_eq!(shown_chars(&"\u{3164}".repeat(20)), 0);
        assert_eq!(shown_chars("Zoë\u{200B} Ñ"), 5);
        // A tag character inside a reference is invisible: refused.
        assert!(check("reference", "R-1\u{E0041}", TextKind::Reference).is_err());
    }

    #[test]
    fn an_email_address_has_a_name_one_at_and_a_domain() {
        for ok in ["ana@example.org", "a.b+smp@clinic.co.uk", "josé@correo.es"] {
            assert!(check_email("email", ok).is_ok(), "{ok}");
        }
        for bad in [
            "not an email",
            "ana",
            "@example.org",
            "ana@",
            "ana@example",
            "ana@.org",
            "ana@example.",
            "a@b@c.org",
            "ana @example.org",
        ] {
            let e = check_email("email", bad).unwrap_err();
            assert!(
                e.to_string().contains("is not an e-mail address"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn search_folds_accents_capitals_and_wide_letters() {
        assert_eq!(search_fold("Łukasz Żółkiewski"), "lukasz zolkiewski");
        assert_eq!(search_fold("Ａｄａｍ"), "adam");
        assert_eq!(search_fold("Søren Straße"), "soren strasse");
        assert_eq!(search_fold("JOSÉ Ñúñez"), "jose nunez");
        assert_eq!(search_fold("Zoë"), search_fold("zoe"));
        assert_eq!(search_fold(" Zoë   Łukasiewicz\t"), "zoe lukasiewicz");
        assert_eq!(search_fold("李小龍"), "李小龍");
    }

    #[test]
    fn telephone_numbers_as_people_write_them_and_not_otherwise() {
        for ok in [
            "+44 20 7946 0958",
            "(555) 123-4567",
            "0049-30-1234567 ext. 12",
            "030/1234567",
            "+48 600 700 800 x12",
            "12345",
        ] {
            assert!(check_phone("Phone", ok).is_ok(), "{ok}");
        }
        for bad in [
            "-1 abc",
            "1234",
            "call me",
            "+44 20 +7946",
            "12345 ext",
            "555-CALL-NOW",
            "-12345",
        ] {
            let e = check_phone("Phone", bad).unwrap_err();
            assert!(
                matches!(e, TextError::NotPhone { .. }) || matches!(e, TextError::Character { .. }),
                "{bad}: {e}"
            );
        }
    }
}
