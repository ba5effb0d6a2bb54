//! Consent: versioned consent texts (data, data/consent-texts.toml) and signed consent records that carry
//! the text's id, version and SHA-256, so it can be proven later exactly which words the client agreed to.

use crate::date::{Date, DateTime};
use crate::screening::hex_sha256;
use crate::source::{self, SourceError};
use serde::{Deserialize, Serialize};

/// The consent texts this build ships.
pub const CONSENT_TEXTS: &str = include_str!("../data/consent-texts.toml");

/// One published version of a consent text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentText {
    /// Which consent (e.g. `smp-treatment`).
    pub id: String,
    /// Version; a published text is never edited, only superseded.
    pub version: u32,
    /// Language tag.
    pub language: String,
    /// The day it was published.
    pub published: Date,
    /// Heading shown above the body.
    pub title: String,
    /// The words the client agrees to; hashed byte for byte.
    pub body: String,
}

impl ConsentText {
    /// SHA-256 (hex) of the body.
    pub fn sha256(&self) -> String {
        hex_sha256(self.body.as_bytes())
    }
}

/// The library of consent texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentLibrary {
    /// Every version of every text.
    #[serde(rename = "text")]
    pub texts: Vec<ConsentText>,
}

/// A signed consent could not be made or does not match its text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsentError {
    /// No text with this id and version.
    #[error("no consent text `{id}` version {version}")]
    UnknownText {
        /// The text id asked for.
        id: String,
        /// The version asked for.
        version: u32,
    },
    /// The recorded hash does not match the text as stored.
    #[error("consent `{id}` v{version} signed by {client} at {signed_at}: recorded SHA-256 {recorded} does not match the text ({actual})")]
    HashMismatch {
        /// Text id.
        id: String,
        /// Text version.
        version: u32,
        /// Client id.
        client: String,
        /// When it was signed.
        signed_at: DateTime,
        /// Hash in the record.
        recorded: String,
        /// Hash of the stored text.
        actual: String,
    },
    /// Signed before the text was published.
    #[error("consent `{id}` v{version} was signed at {signed_at}, before the text was published on {published}")]
    SignedBeforePublished {
        /// Text id.
        id: String,
        /// Text version.
        version: u32,
        /// When it was signed.
        signed_at: DateTime,
        /// When the text was published.
        published: Date,
    },
}

impl ConsentLibrary {
    /// The texts this build ships.
    pub fn embedded() -> ConsentLibrary {
        ConsentLibrary::from_toml(CONSENT_TEXTS).expect("embedded consent texts are valid (tested)")
    }

    /// Reads a consent library from TOML.
    pub fn from_toml(text: &str) -> Result<ConsentLibrary, SourceError> {
        source::from_toml(text)
    }

    /// A text by id and version.
    pub fn get(&self, id: &str, version: u32) -> Result<&ConsentText, ConsentError> {
        self.texts
            .iter()
            .find(|t| t.id == id && t.version == version)
            .ok_or_else(|| ConsentError::UnknownText {
                id: id.to_string(),
                version,
            })
    }

    /// The newest version of a text published on or before `on`.
    pub fn current(&self, id: &str, on: Date) -> Option<&ConsentText> {
        self.texts
            .iter()
            .filter(|t| t.id == id && t.published <= on)
            .max_by_key(|t| t.version)
    }
}

/// A consent the client signed: which text, who, when, and the text's hash at that moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedConsent {
    /// Text id.
    pub text: String,
    /// Text version.
    pub version: u32,
    /// Client id.
    pub client: String,
    /// When it was signed (UTC).
    pub signed_at: DateTime,
    /// Practitioner who witnessed it.
    pub witnessed_by: String,
    /// SHA-256 (hex) of the text body signed.
    pub text_sha256: String,
}

impl SignedConsent {
    /// Records that `client` signed `text` at `signed_at`, witnessed by `witnessed_by`.
    pub fn sign(
        text: &ConsentText,
        client: &str,
        signed_at: DateTime,
        witnessed_by: &str,
    ) -> Result<SignedConsent, ConsentError> {
        if signed_at.date() < text.published {
            return Err(ConsentError::SignedBeforePublished {
                id: text.id.clone(),
                version: text.version,
                signed_at,
                published: text.published,
            });
        }
        Ok(SignedConsent {
            text: text.id.clone(),
            version: text.version,
            client: client.to_string(),
            signed_at,
            witnessed_by: witnessed_by.to_string(),
            text_sha256: text.sha256(),
        })
    }

    /// Proves the record against the library: the text exists and its hash is the one signed.
    pub fn verify<'a>(&self, library: &'a ConsentLibrary) -> Result<&'a ConsentText, ConsentError> {
        let text = library.get(&self.text, self.version)?;
        let actual = text.sha256();
        if actual != self.text_sha256 {
            return Err(ConsentError::HashMismatch {
                id: self.text.clone(),
                version: self.version,
                client: self.client.clone(),
                signed_at: self.signed_at,
                recorded: self.text_sha256.clone(),
                actual,
            });
        }
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime {
        s.parse().unwrap()
    }

    #[test]
    fn sign_then_verify_round_trips() {
        let lib = ConsentLibrary::embedded();
        let text = lib
            .current("smp-treatment", "2025-03-10".parse().unwrap())
            .unwrap();
        assert_eq!(text.version, 2);
        let signed =
            SignedConsent::sign(text, "c-001", at("2025-03-10T09:12:00Z"), "Ana Ruiz").unwrap();
        assert_eq!(signed.text_sha256.len(), 64);
        assert_eq!(signed.verify(&lib).unwrap().version, 2);
    }

    #[test]
    fn a_changed_text_is_detected() {
        let mut lib = ConsentLibrary::embedded();
        let text = lib.get("smp-treatment", 1).unwrap().clone();
        let signed =
            SignedConsent::sign(&text, "c-001", at("2025-02-01T10:00:00Z"), "Ana Ruiz").unwrap();
        for t in &mut lib.texts {
            if t.version == 1 {
                t.body = t.body.replace("2 to 5 years", "5 to 10 years");
            }
        }
        assert!(matches!(
            signed.verify(&lib),
            Err(ConsentError::HashMismatch { .. })
        ));
    }

    #[test]
    fn known_hash_of_a_known_body() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            hex_sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn signing_before_publication_is_refused() {
        let lib = ConsentLibrary::embedded();
        let v2 = lib.get("smp-treatment", 2).unwrap();
        assert!(SignedConsent::sign(v2, "c", at("2025-02-01T10:00:00Z"), "x").is_err());
        assert!(
            lib.current("smp-treatment", "2025-02-01".parse().unwrap())
                .unwrap()
                .version
                == 1
        );
    }
}
