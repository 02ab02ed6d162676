//! The change feed: what a run added, removed or changed, entity by entity and field by field,
//! written in the run's own transaction.
//!
//! Each entity the API serves is *tracked* as its type, ID, a label and the fields a page
//! states, as text (dates as `YYYY-MM-DD`, statuses by their API names). A run captures the
//! tracked entities of each page before it rewrites or removes it, and those of every page it
//! wrote once the derive steps are done; organisations and strategies, which belong to no
//! one page, are captured whole before the run's first write and after the derive steps. Then:
//!
//! - an entity only after is ADDED (no fields: the entity itself is there to read);
//! - an entity only before is REMOVED, with the fields it had (as `before`);
//! - an entity in both is CHANGED when any field differs, with those fields.
//!
//! An unchanged page is never captured, so an unchanged re-ingest records nothing; a page that
//! failed is kept as stored and records nothing either. Fields computed across pages (a
//! milestone's latest status, an update's milestone) are not tracked here: the page that
//! states them is (the progress update's `status`). Passages are the page's text, whose
//! change is the document's `contentHash`.
//!
//! - `tables`: each tracked table described once, as a `Tracked` implementation (its type,
//!   label and fields);
//! - `tracked`: what is captured of a row, and capture, one loop over the tables;
//! - `compare`: what differs between an entity's two captures;
//! - [`identity`]: which rows continue which across edits, as pure functions;
//! - [`texts`]: what each version of a page said, kept once per distinct text.
//!
//! History writes only change rows: what the derive steps change (organisation renames
//! among them) is done by then, and is read here as it is stored.

mod compare;
pub(crate) mod identity;
mod tables;
pub mod texts;
mod tracked;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use entity::{SubjectType, change, change_field};
use sea_orm::{DatabaseTransaction, DbErr, Set};

use crate::store::rows::{INSERT_BATCH, insert_all};
use compare::{Pending, compare};
use identity::Identity;
pub use tracked::recorded_fields;
use tracked::{Captured, Key, capture, capture_shared};

/// What a run has captured so far, and what it records at its end.
#[derive(Default)]
pub(crate) struct Recorder {
    /// Entities of the pages the run rewrote or removed, as they were.
    before: HashMap<Key, Captured>,
    /// Organisations and strategies as they were, once the run has begun to write.
    shared: Option<Vec<Captured>>,
    /// Documents the run wrote.
    written: Vec<i64>,
    /// Changes numbered so far.
    next: i64,
}

impl Recorder {
    /// Captures what belongs to no one page, before the run's first write.
    pub(crate) async fn before_writing(&mut self, db: &DatabaseTransaction) -> Result<(), DbErr> {
        if self.shared.is_none() {
            self.shared = Some(capture_shared(db).await?);
        }
        Ok(())
    }

    /// Captures the stored pages `ids` before they are rewritten or removed; answers the
    /// identities of their rows, for [`identity::reconcile`].
    pub(crate) async fn before_delete(
        &mut self,
        db: &DatabaseTransaction,
        ids: &[i64],
    ) -> Result<Vec<Identity>, DbErr> {
        self.before_writing(db).await?;
        let mut identities = Vec::new();
        for entity in capture(db, ids).await? {
            identities.extend(entity.identity.clone());
            self.before.insert(entity.key(), entity);
        }
        Ok(identities)
    }

    /// Notes a document the run wrote.
    pub(crate) fn wrote(&mut self, id: i64) {
        self.written.push(id);
    }

    /// The organisations stored before the run's first write, by ID with their names, for
    /// the derive step that follows renames.
    pub(crate) fn organisations_before(&self) -> Vec<(i64, String)> {
        self.shared
            .iter()
            .flatten()
            .filter(|t| t.subject_type == SubjectType::Organisation)
            .filter_map(|t| Some((t.id, t.fields.first()?.1.clone()?)))
            .collect()
    }

    /// Compares, once the run's writes and derive steps are done, and stores the changes of
    /// run `run_id` at `at`; answers how many it stored.
    pub(crate) async fn record(
        mut self,
        db: &DatabaseTransaction,
        run_id: i64,
        at: DateTime<Utc>,
    ) -> Result<usize, DbErr> {
        let Some(shared) = self.shared.take() else {
            return Ok(0);
        };
        let mut stored = 0;
        let written = std::mem::take(&mut self.written);
        for chunk in written.chunks(INSERT_BATCH) {
            let mut pending = Vec::new();
            for entity in capture(db, chunk).await? {
                let before = self.before.remove(&entity.key());
                pending.extend(compare(before, Some(entity)));
            }
            stored += self.store(db, run_id, at, pending).await?;
        }
        // What is left was on a rewritten or removed page and is on no written one: gone.
        let mut left: Vec<Captured> = std::mem::take(&mut self.before).into_values().collect();
        left.sort_by_key(|t| (t.source.as_ref().map(|s| s.document_id), t.id));
        let pending = left
            .into_iter()
            .filter_map(|entity| compare(Some(entity), None))
            .collect();
        stored += self.store(db, run_id, at, pending).await?;

        let after = capture_shared(db).await?;
        let mut before: BTreeMap<Key, Captured> =
            shared.into_iter().map(|t| (t.key(), t)).collect();
        let mut pending = Vec::new();
        for entity in after {
            pending.extend(compare(before.remove(&entity.key()), Some(entity)));
        }
        pending.extend(
            before
                .into_values()
                .filter_map(|entity| compare(Some(entity), None)),
        );
        stored += self.store(db, run_id, at, pending).await?;
        Ok(stored)
    }

    async fn store(
        &mut self,
        db: &DatabaseTransaction,
        run_id: i64,
        at: DateTime<Utc>,
        pending: Vec<Pending>,
    ) -> Result<usize, DbErr> {
        let count = pending.len();
        let mut changes = Vec::with_capacity(count);
        let mut fields = Vec::new();
        for p in pending {
            // A run's changes are numbered under its ID: unique however many runs write at
            // once, and newer runs' changes sort after older ones'.
            let id = (run_id << 32) | self.next;
            self.next += 1;
            let source = p.entity.source;
            changes.push(change::ActiveModel {
                id: Set(id),
                run_id: Set(run_id),
                at: Set(at),
                action: Set(p.action),
                subject_type: Set(p.entity.subject_type),
                subject_id: Set(p.entity.id),
                label: Set(p.entity.label),
                document_id: Set(source.as_ref().map(|s| s.document_id)),
                source_url: Set(source.as_ref().map(|s| s.url.clone())),
                source_title: Set(source.as_ref().map(|s| s.title.clone())),
                source_fetched_at: Set(source.as_ref().map(|s| s.fetched_at)),
                source_hash: Set(source.map(|s| s.hash)),
            });
            fields.extend(p.fields.into_iter().map(|(field, before, after)| {
                change_field::ActiveModel {
                    change_id: Set(id),
                    field: Set(field.to_owned()),
                    before: Set(before),
                    after: Set(after),
                    ..Default::default()
                }
            }));
        }
        insert_all(db, changes).await?;
        insert_all(db, fields).await?;
        Ok(count)
    }
}
