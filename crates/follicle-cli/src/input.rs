//! What the CLI reads and prints of other people's data, bounded and made safe: every input file is read
//! with a size cap before anything is allocated for it (so `/dev/zero` or a huge file ends with a sentence,
//! never by exhausting memory), every number flag refuses NaN and infinity, and user text shown on a terminal
//! has its control characters written out as escapes (an intake's name cannot colour the terminal or set its
//! title).

use std::io::Read;
use std::path::Path;

/// Largest intake, case, landmarks, sessions, pigments, rules or catalogue file read: the server's limit on
/// the same documents sent to it ([`follicle_server::BODY_LIMIT`]).
pub const TEXT_LIMIT: u64 = follicle_server::BODY_LIMIT as u64;

/// Largest plan.json read ([`follicle_export::MAX_PLAN_JSON_BYTES`]).
pub const PLAN_LIMIT: u64 = follicle_export::MAX_PLAN_JSON_BYTES as u64;

/// Largest photo read: the server's upload limit ([`follicle_server::PHOTO_LIMIT`]).
pub const PHOTO_LIMIT: u64 = follicle_server::PHOTO_LIMIT as u64;

/// Why a file could not be read: the file is named, with what it was meant to be.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ReadError {
    /// The operating system's error (missing, no permission, a directory…).
    #[error("cannot read {what} {file}: {why}")]
    Io {
        /// What the file was meant to be ("intake").
        what: String,
        /// The file.
        file: String,
        /// The operating system's error in words ([`io_words`]).
        why: String,
    },
    /// Larger than the limit for its kind.
    #[error("cannot read {what} {file}: it is larger than {limit}, {hint}")]
    TooLarge {
        /// What the file was meant to be.
        what: String,
        /// The file.
        file: String,
        /// The limit, in words ("1 MiB").
        limit: String,
        /// What to do about it, in words.
        hint: String,
    },
    /// Not UTF-8 text.
    #[error("cannot read {what} {file}: it is not text (UTF-8); check the file name")]
    NotText {
        /// What the file was meant to be.
        what: String,
        /// The file.
        file: String,
    },
}

impl ReadError {
    /// The file the error is about.
    pub fn file(&self) -> &str {
        match self {
            ReadError::Io { file, .. }
            | ReadError::TooLarge { file, .. }
            | ReadError::NotText { file, .. } => file,
        }
    }
}

/// The operating system's error about a file in words, said once (not "No such file or directory (os error 2)"
/// followed by its own cause).
pub fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "there is no such file; check the name and the folder".into(),
        ErrorKind::PermissionDenied => {
            "permission denied; ask whoever manages this computer".into()
        }
        ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        _ => {
            // Rust's own wording ends with " (os error N)"; the number helps nobody at a desk.
            let said = e.to_string();
            match said.find(" (os error") {
                Some(at) => said[..at].to_string(),
                None => said,
            }
        }
    }
}

/// A byte count in words: "1 MiB", "64 MiB", "512 KiB".
fn size_words(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 {
        format!("{} KiB", bytes.div_ceil(1 << 10))
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads at most `limit` bytes of `path` (what it is: `what`); a file with more is refused before more is
/// read, whatever its size claims to be (a device, a pipe or a growing file has none).
pub fn read_bytes(path: &Path, what: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_at_most(
        path,
        what,
        limit,
        format!("more than any {what} can be; check the file name"),
    )
}

/// [`read_bytes`] for a photo: one over the limit is an ordinary camera file (a 48-megapixel phone JPEG is
/// 10-25 MiB), not a wrong name (outside probe s28), so the hint says how to make it smaller.
pub fn read_photo(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_at_most(
        path,
        "photo",
        limit,
        "the studio's upload limit: export it smaller (a 12-megapixel JPEG at quality 90 is 3-6 MiB and shows the scalp as well)".into(),
    )
}

/// [`read_bytes`], saying `hint` of a file over the limit.
fn read_at_most(path: &Path, what: &str, limit: u64, hint: String) -> Result<Vec<u8>, ReadError> {
    let file = path.display().to_string();
    let io = |e: std::io::Error| ReadError::Io {
        what: what.to_string(),
        file: file.clone(),
        why: io_words(&e),
    };
    let too_large = || ReadError::TooLarge {
        what: what.to_string(),
        file: file.clone(),
        limit: size_words(limit),
        hint: hint.clone(),
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let claimed = f.metadata().map_err(io)?.len();
    if claimed > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(claimed).unwrap_or(0));
    f.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`read_bytes`] for a text file: UTF-8, at most `limit` bytes.
pub fn read_text(path: &Path, what: &str, limit: u64) -> Result<String, ReadError> {
    let bytes = read_bytes(path, what, limit)?;
    String::from_utf8(bytes).map_err(|_| ReadError::NotText {
        what: what.to_string(),
        file: path.display().to_string(),
    })
}

/// The value parser of every measurement flag (`--distance`, `--max-residual`, `--guard`): a finite number.
/// NaN would pass every range check written as `x < lo || x > hi` and switch the check off; infinity is no
/// measurement. Each flag's own range is checked where it is used. (`plan --add` is a share the planning
/// core checks itself, NaN included, in its own sentence.)
pub fn finite(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        Ok(_) => Err(format!(
            "`{s}` is not a number that can be used here: give a finite number"
        )),
        Err(_) => Err(format!("`{s}` is not a number")),
    }
}

/// The value parser of a number flag that must be above zero (`--max-residual`).
pub fn positive(s: &str) -> Result<f64, String> {
    match finite(s)? {
        x if x > 0.0 => Ok(x),
        _ => Err(format!("`{s}` must be a number above 0")),
    }
}

pub use follicle_core::words::number;

/// User text (a client's name, a file's field) as it may be shown on a terminal (the core's one rule).
pub use follicle_core::words::shown;

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn finite_numbers_only() {
        assert_eq!(finite("4"), Ok(4.0));
        assert_eq!(finite("1e-3"), Ok(0.001));
        for bad in ["NaN", "nan", "inf", "-inf", "infinity", "1e400", "x", ""] {
            assert!(finite(bad).is_err(), "{bad}");
        }
        assert!(positive("0").is_err());
        assert!(positive("-1").is_err());
        assert_eq!(positive("0.5"), Ok(0.5));
    }

    #[test]
    fn numbers_in_sentences_stay_short() {
        assert_eq!(number(1e308), "1e308");
        assert_eq!(number(30.0), "30");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(f64::INFINITY), "no number");
    }

    #[test]
    fn control_characters_are_shown_as_escapes() {
        assert!(matches!(shown("Zoë Ñúñez"), Cow::Borrowed(_)));
        assert_eq!(
            shown("Daniel\u{1b}[31mRED\u{7}"),
            "Daniel\\u{1b}[31mRED\\u{7}"
        );
        assert_eq!(shown("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(shown("a\nb"), "a\\u{a}b");
    }

    #[test]
    fn reads_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.toml");
        std::fs::write(&p, "x".repeat(2000)).unwrap();
        assert_eq!(read_text(&p, "intake", 2000).unwrap().len(), 2000);
        let e = read_text(&p, "intake", 1999).unwrap_err();
        assert!(e.to_string().contains("x.toml"), "{e}");
        let e = read_text(Path::new("/dev/zero"), "intake", 1 << 20).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { .. }), "{e}");
        assert!(e.to_string().contains("larger than 1 MiB"), "{e}");
    }

    #[test]
    fn a_missing_file_is_said_once_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_text(&dir.path().join("nope.json"), "plan", 1 << 20).unwrap_err();
        let said = e.to_string();
        assert!(said.contains("nope.json: there is no such file"), "{said}");
        assert!(!said.contains("os error"), "{said}");
        assert!(
            std::error::Error::source(&e).is_none(),
            "the cause is not repeated"
        );
        let e = read_text(dir.path(), "plan", 1 << 20).unwrap_err();
        assert!(e.to_string().contains("folder"), "{e}");
    }
}
