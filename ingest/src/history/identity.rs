//! Identity across edits: which of a changed page's new rows continue which stored rows, so
//! that a milestone whose date or wording changes keeps its ID (and the change feed can say
//! what changed), while one rewritten into something else is a new milestone.
//!
//! A row whose ID is its place on a page (a milestone, a workstream, a progress update, a
//! strategy's aim, priority area or domain, a strategy commitment) is matched, when its page is
//! written again, against the rows the page held before, within a *scope*:
//!
//! | row | scope | words compared |
//! |---|---|---|
//! | milestone | its commitment and objective | title |
//! | workstream | its plan page | deliverable |
//! | progress update | its report page | the milestone heading and activity it reports on |
//! | aim, priority area, domain | its page and kind | name |
//! | strategy commitment | its page | text |
//!
//! Two rows are the same when they share at least [`THRESHOLD`] of the words of the longer
//! of the two (words are runs of letters and digits, in any case). Dates are not compared, so
//! a milestone re-dated from "Spring 2023" to "Autumn 2023" is itself. Pairs are taken best
//! first, a row at the same place winning a tie. A new row that continues none keeps its
//! place's ID unless a stored row of the page held it, and then takes [`ids::successor`].
//!
//! An organisation is keyed by its name (see `ids::organisation`), which many pages print. When
//! a run leaves an organisation named by no page and brings in a new one whose name shares
//! [`THRESHOLD`] of its words ("Island Learning Council" becoming "Islands Learning
//! Council"), the new name is the old organisation renamed: it keeps the old ID, and the new
//! name's key is remembered (`organisation_rename`) so later runs find it too
//! (`derive::renames`, `Rows::write`).
//!
//! Rows with other natural keys need no matching: documents (URL), commitments (action plan
//! and number) and strategies (title).

use std::collections::{HashMap, HashSet};

use entity::{milestone, progress_update, strategy_commitment, strategy_element, workstream};

use crate::ids;
use crate::store::rows::Rows;

/// The share of the longer text's words two rows must share to be one row.
pub const THRESHOLD: f64 = 0.6;

/// The tables whose rows are matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Table {
    Milestone,
    Workstream,
    Update,
    Element,
    StrategyCommitment,
    Organisation,
}

impl Table {
    /// The key namespace of [`ids::successor`].
    fn kind(self) -> &'static str {
        match self {
            Self::Milestone => "milestone",
            Self::Workstream => "workstream",
            Self::Update => "progress_update",
            Self::Element => "strategy_element",
            Self::StrategyCommitment => "strategy_commitment",
            Self::Organisation => "organisation",
        }
    }
}

/// What a row is matched by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Identity {
    pub table: Table,
    pub id: i64,
    pub scope: String,
    pub text: String,
}

fn identity(table: Table, id: i64, scope: String, text: String) -> Identity {
    Identity {
        table,
        id,
        scope,
        text,
    }
}

pub(crate) fn of_milestone(m: &milestone::Model) -> Identity {
    let objective = ids::normalise_name(m.objective.as_deref().unwrap_or_default());
    let scope = format!("{}|{objective}", m.commitment_id);
    identity(Table::Milestone, m.id, scope, m.title.clone())
}

pub(crate) fn of_workstream(w: &workstream::Model) -> Identity {
    let scope = w.document_id.to_string();
    identity(Table::Workstream, w.id, scope, w.deliverable.clone())
}

pub(crate) fn of_update(u: &progress_update::Model) -> Identity {
    let text = format!("{} {}", u.milestone_heading, u.activity);
    identity(Table::Update, u.id, u.document_id.to_string(), text)
}

pub(crate) fn of_element(e: &strategy_element::Model) -> Identity {
    let scope = format!("{}|{:?}", e.document_id, e.kind);
    identity(Table::Element, e.id, scope, e.name.clone())
}

pub(crate) fn of_strategy_commitment(c: &strategy_commitment::Model) -> Identity {
    let scope = c.document_id.to_string();
    identity(Table::StrategyCommitment, c.id, scope, c.text.clone())
}

/// An organisation, by its name: organisations are matched across the whole corpus.
fn of_organisation(id: i64, name: &str) -> Identity {
    identity(Table::Organisation, id, String::new(), name.to_owned())
}

/// The lower-case words (runs of letters and digits) of `text`.
fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The share of the longer word set that the two share; 1 for two empty sets.
fn similarity(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 1.0;
    }
    let shared = a.intersection(b).count();
    #[expect(clippy::cast_precision_loss, reason = "word counts are small")]
    let share = shared as f64 / longer as f64;
    share
}

/// The pairs (new, old), as indexes into `new` and `old`, of rows that are one row: same scope,
/// at least [`THRESHOLD`] of the words shared, best first, a row keeping its own ID winning a
/// tie.
fn matches(old: &[&Identity], new: &[&Identity]) -> Vec<(usize, usize)> {
    let old_words: Vec<HashSet<String>> = old.iter().map(|o| words(&o.text)).collect();
    let mut pairs = Vec::new();
    for (n, row) in new.iter().enumerate() {
        let mine = words(&row.text);
        for (o, theirs) in old_words.iter().enumerate() {
            if old[o].scope != row.scope {
                continue;
            }
            let share = similarity(&mine, theirs);
            if share >= THRESHOLD {
                pairs.push((share, old[o].id == row.id, n, o));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
    let (mut new_done, mut old_done) = (HashSet::new(), HashSet::new());
    let mut out = Vec::new();
    for (_, _, n, o) in pairs {
        if new_done.contains(&n) || old_done.contains(&o) {
            continue;
        }
        new_done.insert(n);
        old_done.insert(o);
        out.push((n, o));
    }
    out
}

/// Organisations renamed: of those a run left named by no page (`gone`) and those it brought
/// in (`new`), each as its ID and name, the pairs (new ID, old ID) whose names are one
/// organisation's (see the module doc).
pub(crate) fn renamed(gone: &[(i64, &str)], new: &[(i64, &str)]) -> Vec<(i64, i64)> {
    let gone: Vec<Identity> = gone.iter().map(|(id, n)| of_organisation(*id, n)).collect();
    let new: Vec<Identity> = new.iter().map(|(id, n)| of_organisation(*id, n)).collect();
    let pairs = matches(
        &gone.iter().collect::<Vec<_>>(),
        &new.iter().collect::<Vec<_>>(),
    );
    pairs
        .into_iter()
        .map(|(n, o)| (new[n].id, gone[o].id))
        .collect()
}

/// For one table: the ID each new row takes, where it is not its own (see the module doc).
fn renumber(table: Table, old: &[&Identity], new: &[&Identity]) -> HashMap<i64, i64> {
    let mut map = HashMap::new();
    let mut new_done = HashSet::new();
    for (n, o) in matches(old, new) {
        new_done.insert(n);
        map.insert(new[n].id, old[o].id);
    }
    let mut taken: HashSet<i64> = old.iter().map(|o| o.id).collect();
    for (n, row) in new.iter().enumerate() {
        if new_done.contains(&n) {
            continue;
        }
        let mut id = row.id;
        while taken.contains(&id) {
            id = ids::successor(table.kind(), id, &row.text);
        }
        taken.insert(id);
        map.insert(row.id, id);
    }
    map.retain(|from, to| from != to);
    map
}

/// Gives a changed page's new `rows` the IDs of the stored rows they continue (`before`: the
/// identities of what the page held), and repoints the page's own links at them.
pub(crate) fn reconcile(before: &[Identity], rows: &mut Rows) {
    let table_map = |table: Table, new: Vec<Identity>| {
        let old: Vec<&Identity> = before.iter().filter(|i| i.table == table).collect();
        let new: Vec<&Identity> = new.iter().collect();
        renumber(table, &old, &new)
    };
    let milestones = table_map(
        Table::Milestone,
        rows.milestones.iter().map(of_milestone).collect(),
    );
    let workstreams = table_map(
        Table::Workstream,
        rows.workstreams.iter().map(of_workstream).collect(),
    );
    let updates = table_map(Table::Update, rows.updates.iter().map(of_update).collect());
    let elements = table_map(
        Table::Element,
        rows.elements.iter().map(of_element).collect(),
    );
    let commitments = table_map(
        Table::StrategyCommitment,
        rows.strategy_commitments
            .iter()
            .map(of_strategy_commitment)
            .collect(),
    );
    let moved = |map: &HashMap<i64, i64>, id: &mut i64| {
        if let Some(to) = map.get(id) {
            *id = *to;
        }
    };
    let moved_opt = |map: &HashMap<i64, i64>, id: &mut Option<i64>| {
        if let Some(id) = id {
            moved(map, id);
        }
    };
    for m in &mut rows.milestones {
        moved(&milestones, &mut m.id);
    }
    for u in &mut rows.updates {
        moved(&updates, &mut u.id);
        moved_opt(&milestones, &mut u.milestone_id);
    }
    for e in &mut rows.elements {
        moved(&elements, &mut e.id);
        moved_opt(&elements, &mut e.canonical_id);
    }
    for w in &mut rows.workstreams {
        moved(&workstreams, &mut w.id);
        moved_opt(&elements, &mut w.priority_area_id);
    }
    for c in &mut rows.strategy_commitments {
        moved(&commitments, &mut c.id);
        moved_opt(&elements, &mut c.area_id);
    }
    if !workstreams.is_empty() {
        let roles = std::mem::take(&mut rows.roles);
        for (id, mut role) in roles {
            let id = match role.workstream_id.and_then(|w| workstreams.get(&w)) {
                Some(&workstream) => {
                    role.workstream_id = Some(workstream);
                    role.id = ids::workstream_lead(workstream, role.organisation_id);
                    role.id
                }
                None => id,
            };
            rows.roles.insert(id, role);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, text: &str) -> Identity {
        identity(Table::Milestone, id, "c|".to_owned(), text.to_owned())
    }

    #[test]
    fn a_reworded_row_keeps_its_id_and_a_rewritten_one_does_not() {
        let old = [
            row(1, "Publish the draft principles for consultation"),
            row(2, "Hold three workshops with partners"),
        ];
        // One word added (6 of 7 shared): the same milestone. The second is rewritten.
        let new = [
            row(1, "Publish the revised draft principles for consultation"),
            row(2, "Train staff in every health board"),
        ];
        let map = renumber(
            Table::Milestone,
            &old.iter().collect::<Vec<_>>(),
            &new.iter().collect::<Vec<_>>(),
        );
        // Row 1 keeps its ID (no entry); row 2 shares nothing with the old row 2, whose ID it
        // may not take.
        assert_eq!(map.get(&1), None);
        let fresh = map.get(&2).copied();
        assert!(fresh.is_some_and(|id| id != 1 && id != 2), "{map:?}");
    }

    #[test]
    fn a_row_that_moves_takes_its_old_id_and_scopes_are_kept_apart() {
        let old = [
            row(10, "Agree the data standards"),
            row(11, "Launch the pilot"),
        ];
        let new = [
            row(10, "Launch the pilot"),
            row(11, "Agree the data standards"),
        ];
        let map = renumber(
            Table::Milestone,
            &old.iter().collect::<Vec<_>>(),
            &new.iter().collect::<Vec<_>>(),
        );
        assert_eq!(map.get(&10), Some(&11));
        assert_eq!(map.get(&11), Some(&10));

        let mut elsewhere = row(10, "Agree the data standards");
        elsewhere.scope = "other|".to_owned();
        let map = renumber(Table::Milestone, &[&old[0]], &[&elsewhere]);
        assert!(map.get(&10).is_some_and(|id| *id != 10));
    }

    #[test]
    fn an_organisation_renamed_keeps_its_id_and_an_unrelated_one_does_not() {
        let gone = [(1, "Island Learning Council"), (2, "Harbour Care Trust")];
        let new = [(3, "Islands Learning Council"), (4, "Fife Digital Office")];
        assert_eq!(renamed(&gone, &new), vec![(3, 1)]);
    }

    #[test]
    fn the_threshold_is_the_longer_text_s_share() {
        let a = words("one two three four five");
        assert!((similarity(&a, &words("one two three")) - 0.6).abs() < 1e-9);
        assert!(similarity(&a, &words("one two six seven eight")) < THRESHOLD);
        assert!((similarity(&words(""), &words("")) - 1.0).abs() < 1e-9);
    }
}
