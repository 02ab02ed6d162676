//! Stable row IDs derived from natural keys: one function per entity, so that every key's
//! format is written down once.
//!
//! Every ingested row's primary key is a hash of what identifies it on the page (a URL, a
//! commitment number, a position), so a re-ingest writes the same IDs, and the public node IDs
//! built on them stay valid across re-ingests and across databases. The key formats below are
//! therefore frozen: changing one changes every public ID built on it.

use chrono::NaiveDate;
use entity::{CommitmentItemKind, EventKind, OrganisationRole, StrategyElementKind, SubjectType};
use sea_orm::ActiveEnum;
use sha2::{Digest, Sha256};

use crate::page::fold_space;

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

/// Lower case, curly apostrophes straightened, "&" read as "and", white space folded: names
/// that differ only so name one organisation (or one strategy).
pub fn normalise_name(s: &str) -> String {
    fold_space(&s.replace(['’', '‘'], "'").replace('&', " and ")).to_lowercase()
}

/// A page's document, by its canonical URL.
pub fn document(url: &str) -> i64 {
    stable_id("document", url)
}

/// A timeline event: of its kind, about its subject, from its first day, by its title as
/// names are compared (so a page re-cased or re-spaced keeps its events' IDs).
pub fn event(
    kind: EventKind,
    (subject_type, subject_id): (SubjectType, i64),
    date: NaiveDate,
    title: &str,
) -> i64 {
    let key = format!(
        "{}|{}|{subject_id}|{date}|{}",
        kind.to_value(),
        subject_type.to_value(),
        normalise_name(title)
    );
    stable_id("event", &key)
}

/// The `position`th passage (paragraph or list item) of a page.
pub fn passage(url: &str, position: usize) -> i64 {
    stable_id("passage", &format!("{url}#{position}"))
}

/// The natural key of a commitment: its action plan (in any case) and number. Its items and
/// milestones are keyed under it, not under a URL, so they keep their IDs if the overview moves.
pub fn commitment_key(action_plan: &str, number: i32) -> String {
    format!("{}#{number}", action_plan.to_lowercase())
}

/// A commitment, by its action plan and number.
pub fn commitment(action_plan: &str, number: i32) -> i64 {
    stable_id("commitment", &commitment_key(action_plan, number))
}

/// The `position`th listed item of one kind of a commitment (see [`commitment_key`]).
pub fn commitment_item(commitment_key: &str, kind: CommitmentItemKind, position: usize) -> i64 {
    stable_id(
        "commitment_item",
        &format!("{commitment_key}|{}|{position}", kind.to_value()),
    )
}

/// The `position`th milestone of a commitment (see [`commitment_key`]).
pub fn milestone(commitment_key: &str, position: usize) -> i64 {
    stable_id("milestone", &format!("{commitment_key}|{position}"))
}

/// The `position`th update of a progress report page.
pub fn progress_update(url: &str, position: usize) -> i64 {
    stable_id("progress_update", &format!("{url}|{position}"))
}

/// A strategy, by its title as any of its pages prints it (see [`normalise_name`]).
pub fn strategy(title: &str) -> i64 {
    stable_id("strategy", &normalise_name(title))
}

/// The `position`th element of one kind on a strategy-family page.
pub fn strategy_element(url: &str, kind: StrategyElementKind, position: usize) -> i64 {
    stable_id(
        "strategy_element",
        &format!("{url}|{}|{position}", kind.to_value()),
    )
}

/// A priority page's own area ("Priority one: ..."), by its page and number; a key of its own,
/// so it never meets a listed area's [`strategy_element`] ID.
pub fn numbered_priority_area(url: &str, number: i32) -> i64 {
    stable_id(
        "strategy_element",
        &format!("{url}|PRIORITY_AREA|number {number}"),
    )
}

/// An organisation, by its name as printed (see [`normalise_name`]).
pub fn organisation(name: &str) -> i64 {
    stable_id("organisation", &normalise_name(name))
}

/// An organisation's role as one page states it, in a commitment or in a strategy: one row per
/// page, role, organisation and subject, however often the page repeats it.
pub fn organisation_role(
    url: &str,
    role: OrganisationRole,
    organisation: i64,
    commitment: Option<i64>,
    strategy: Option<i64>,
) -> i64 {
    // The subject is keyed in the pair's `Debug` form, "(Some(1), None)", as it always was.
    let subject = (commitment, strategy);
    stable_id(
        "organisation_role",
        &format!("{url}|{}|{organisation}|{subject:?}", role.to_value()),
    )
}

/// A workstream lead's role: one row per workstream and organisation.
pub fn workstream_lead(workstream: i64, organisation: i64) -> i64 {
    stable_id("workstream_lead", &format!("{workstream}|{organisation}"))
}

/// The ID a new row takes when its place's ID belongs to a stored row it does not continue
/// (see `history::identity`): derived from that ID and the row's words, so a re-ingest of the
/// same page gives the same answer.
pub fn successor(kind: &str, id: i64, text: &str) -> i64 {
    stable_id(kind, &format!("{id}|successor|{}", normalise_name(text)))
}

/// The `position`th workstream of a delivery plan page.
pub fn workstream(url: &str, position: usize) -> i64 {
    stable_id("workstream", &format!("{url}|{position}"))
}

/// The `position`th commitment of a strategy page.
pub fn strategy_commitment(url: &str, position: usize) -> i64 {
    stable_id("strategy_commitment", &format!("{url}|{position}"))
}

/// A priority area a delivery plan page is about without numbering it, by its name.
pub fn named_priority_area(url: &str, name: &str) -> i64 {
    stable_id(
        "strategy_element",
        &format!("{url}|PRIORITY_AREA|name {}", normalise_name(name)),
    )
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

    #[test]
    fn numbered_priority_areas_never_meet_listed_ones() {
        let url = "https://www.gov.scot/publications/x/pages/4/";
        let listed: Vec<i64> = (0..20)
            .map(|n| strategy_element(url, StrategyElementKind::PriorityArea, n))
            .collect();
        for number in 0..20 {
            assert!(!listed.contains(&numbered_priority_area(url, number)));
        }
        assert_ne!(
            numbered_priority_area(url, 4),
            numbered_priority_area("https://www.gov.scot/publications/x/pages/5/", 4)
        );
    }

    /// Row IDs are the public node IDs' payload, so they must never change: these were computed
    /// with the key formats as they stood before the keys moved here (issue 14).
    #[test]
    fn natural_keys_keep_their_ids() {
        let url = "https://www.gov.scot/publications/x/pages/2/";
        let plan = "Open Government action plan 2021 to 2025";
        let key = commitment_key(plan, 2);
        let commitment = commitment(plan, 2);
        let strategy = strategy("Care in the  Digital Age");
        let organisation = organisation("Scotland\u{2019}s Health & Care");
        assert_eq!(document(url), 6_673_307_111_351_646_356);
        assert_eq!(passage(url, 4), 8_761_531_959_817_803_055);
        assert_eq!(commitment, 7_193_846_720_976_441_389);
        assert_eq!(
            commitment_item(&key, CommitmentItemKind::Problem, 1),
            1_249_898_248_766_040_108
        );
        assert_eq!(milestone(&key, 3), 705_613_635_283_958_276);
        assert_eq!(progress_update(url, 2), 3_247_884_292_620_997_680);
        assert_eq!(strategy, 1_555_583_619_802_564_377);
        assert_eq!(
            strategy_element(url, StrategyElementKind::Aim, 0),
            2_994_948_408_619_543_764
        );
        assert_eq!(organisation, 8_158_639_579_165_940_412);
        assert_eq!(
            organisation_role(
                url,
                OrganisationRole::LeadDirectorate,
                organisation,
                Some(commitment),
                None
            ),
            3_362_430_056_617_490_393
        );
        assert_eq!(
            organisation_role(
                url,
                OrganisationRole::DeliveryPartner,
                organisation,
                None,
                Some(strategy)
            ),
            6_923_771_604_902_451_949
        );
    }
}
