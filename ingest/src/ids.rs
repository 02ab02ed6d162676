//! Stable row IDs derived from natural keys.
//!
//! Every ingested row's primary key is a hash of what identifies it on the page (a URL, a
//! commitment number, a position), so a re-ingest writes the same IDs, and the public node IDs
//! built on them stay valid across re-ingests and across databases.

use sha2::{Digest, Sha256};

/// A positive 63-bit ID for a natural key: `kind` namespaces the key (`"document"`, ...).
pub fn stable_id(kind: &str, key: &str) -> i64 {
    let digest = Sha256::new()
        .chain_update(kind.as_bytes())
        .chain_update([0u8])
        .chain_update(key.as_bytes())
        .finalize();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    // Clearing the top bit keeps IDs positive in every database's signed BIGINT.
    i64::from_be_bytes(bytes) & i64::MAX
}

/// The SHA-256 of a page body, as lower-case hex.
pub fn content_hash(body: &str) -> String {
    hex(&Sha256::digest(body.as_bytes()))
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_positive_and_depend_on_kind_and_key() {
        let a = stable_id("document", "https://www.gov.scot/x/");
        assert!(a > 0);
        assert_eq!(a, stable_id("document", "https://www.gov.scot/x/"));
        assert_ne!(a, stable_id("passage", "https://www.gov.scot/x/"));
        assert_ne!(a, stable_id("document", "https://www.gov.scot/y/"));
    }

    #[test]
    fn content_hash_is_sha256_hex() {
        // The SHA-256 of the empty string, from FIPS 180-2 test vectors.
        assert_eq!(
            content_hash(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
