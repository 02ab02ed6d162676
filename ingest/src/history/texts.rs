//! What a version of a page said: its passages as the ingest read them (text, heading path,
//! anchor; the page's furniture is never a passage), kept once per distinct text. A version
//! names its text by [`hash`], so versions that say the same share one row, and a copy that
//! differs only in furniture or white space (which the page reader drops) says the same.
//!
//! Stored as JSON compressed with LZ4 (about a third of its size for prose): the rows are read
//! whole, one version at a time, when a reader asks what a version said.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::IngestError;

/// One passage of a version: what the page said there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionPassage {
    /// Its place among the page's passages, from 0.
    pub position: i32,
    /// The headings above it, outermost first.
    pub headings: Vec<String>,
    /// The fragment of the heading it stands under, if any.
    pub anchor: Option<String>,
    /// Its text.
    pub text: String,
}

impl VersionPassage {
    /// A stored passage as its version keeps it (its heading path is stored as JSON).
    pub fn of(passage: &entity::passage::Model) -> Self {
        Self {
            position: passage.position,
            headings: serde_json::from_str(&passage.headings).unwrap_or_default(),
            anchor: passage.anchor.clone(),
            text: passage.text.clone(),
        }
    }
}

/// The passages as JSON: what [`hash`] and [`encode`] read.
fn json(passages: &[VersionPassage]) -> Vec<u8> {
    // Serialising plain strings and numbers cannot fail.
    serde_json::to_vec(passages).unwrap_or_default()
}

/// SHA-256 (hex) of a version's passages: the key of its text.
pub fn hash(passages: &[VersionPassage]) -> String {
    Sha256::digest(json(passages))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A version's passages, as stored.
pub fn encode(passages: &[VersionPassage]) -> Vec<u8> {
    lz4_flex::compress_prepend_size(&json(passages))
}

/// A version's passages from what [`encode`] stored.
///
/// # Errors
/// Bytes that are not such a text, naming the text's hash.
pub fn decode(text_hash: &str, bytes: &[u8]) -> Result<Vec<VersionPassage>, IngestError> {
    let bad = |detail: String| IngestError::BadInput {
        url: format!("version text {text_hash}"),
        detail,
    };
    let raw = lz4_flex::decompress_size_prepended(bytes).map_err(|e| bad(e.to_string()))?;
    serde_json::from_slice(&raw).map_err(|e| bad(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passage(position: i32, text: &str) -> VersionPassage {
        VersionPassage {
            position,
            headings: vec!["Aims".to_owned()],
            anchor: Some("aims".to_owned()),
            text: text.to_owned(),
        }
    }

    #[test]
    fn a_text_reads_back_and_its_hash_follows_its_words_only() {
        let text = [
            passage(0, "We will do a thing."),
            passage(1, "And another."),
        ];
        let stored = encode(&text);
        assert_eq!(decode("h", &stored).ok().as_deref(), Some(&text[..]));
        assert_eq!(hash(&text), hash(&text.clone()));
        assert_ne!(hash(&text), hash(&[passage(0, "We will do a thing.")]));
        let why = decode("abc", b"not a text").expect_err("garbage");
        assert!(why.to_string().contains("version text abc"), "{why}");
    }
}
