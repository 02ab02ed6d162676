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

    /// Row IDs are the public node IDs' payload, so they must never change: these were computed
    /// with the key formats as they stood before the keys moved here (issue 14).
    #[test]
    fn natural_keys_keep_their_ids() {
        use crate::store::{commitment_id, organisation_id, strategy_id};
        let url = "https://www.gov.scot/publications/x/pages/2/";
        let plan = "Open Government action plan 2021 to 2025";
        let key = crate::kind::commitment_natural_key(plan, 2);
        let commitment = commitment_id(plan, 2);
        let strategy = strategy_id("Care in the  Digital Age");
        let organisation = organisation_id("Scotland\u{2019}s Health & Care");
        assert_eq!(stable_id("document", url), 6_673_307_111_351_646_356);
        assert_eq!(
            stable_id("passage", &format!("{url}#4")),
            8_761_531_959_817_803_055
        );
        assert_eq!(commitment, 7_193_846_720_976_441_389);
        assert_eq!(
            stable_id("commitment_item", &format!("{key}|PROBLEM|1")),
            1_249_898_248_766_040_108
        );
        assert_eq!(
            stable_id("milestone", &format!("{key}|3")),
            705_613_635_283_958_276
        );
        assert_eq!(
            stable_id("progress_update", &format!("{url}|2")),
            3_247_884_292_620_997_680
        );
        assert_eq!(strategy, 1_555_583_619_802_564_377);
        assert_eq!(
            stable_id("strategy_element", &format!("{url}|AIM|0")),
            2_994_948_408_619_543_764
        );
        assert_eq!(organisation, 8_158_639_579_165_940_412);
        let subject = (Some(commitment), None::<i64>);
        assert_eq!(
            stable_id(
                "organisation_role",
                &format!("{url}|LEAD_DIRECTORATE|{organisation}|{subject:?}")
            ),
            3_362_430_056_617_490_393
        );
        let subject = (None::<i64>, Some(strategy));
        assert_eq!(
            stable_id(
                "organisation_role",
                &format!("{url}|DELIVERY_PARTNER|{organisation}|{subject:?}")
            ),
            6_923_771_604_902_451_949
        );
    }
}
