//! The change feed: what a run added, removed or changed, entity by entity and field by field,
//! written in the run's own transaction.
//!
//! Each entity the API serves is *tracked* as its type, ID, a label and the fields a page
//! states, as text (dates as `YYYY-MM-DD`, statuses by their API names). A run captures the
//! tracked entities of each page before it rewrites or removes it, and those of every page it
//! wrote once its cross-page passes are done; organisations and strategies, which belong to no
//! one page, are captured whole before the run's first write and after its passes. Then:
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

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    ChangeAction, CommitmentItemKind, SubjectType, change, change_field, commitment,
    commitment_item, document, mention, milestone, organisation, organisation_alias,
    organisation_rename, organisation_role, progress_update, strategy, strategy_commitment,
    strategy_element, workstream,
};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::identity::{self, Identity};
use super::rows::{INSERT_BATCH, insert_all};

/// The page an entity was read from, as its change cites it.
#[derive(Clone, Debug)]
struct SourceRef {
    document_id: i64,
    url: String,
    title: String,
    fetched_at: DateTime<Utc>,
    hash: String,
}

/// One entity as the feed compares it.
#[derive(Clone, Debug)]
pub(crate) struct Tracked {
    subject_type: SubjectType,
    id: i64,
    label: String,
    source: Option<SourceRef>,
    fields: Vec<(&'static str, Option<String>)>,
    identity: Option<Identity>,
}

/// A tracked entity's key: its API type and row ID.
type Key = (SubjectType, i64);

impl Tracked {
    fn key(&self) -> Key {
        (self.subject_type, self.id)
    }
}

/// Labels are cut to this many characters.
const LABEL_CHARS: usize = 120;

fn label(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(LABEL_CHARS) {
        Some((end, _)) => format!("{}…", text[..end].trim_end()),
        None => text.to_owned(),
    }
}

fn text(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn opt(s: Option<&str>) -> Option<String> {
    s.and_then(text)
}

fn day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// A page's name: its publication's title, then its own where that differs.
fn document_name(d: &document::Model) -> String {
    if d.publication_title.is_empty() || d.publication_title == d.title {
        d.title.clone()
    } else {
        format!("{}: {}", d.publication_title, d.title)
    }
}

fn cited(
    sources: &HashMap<i64, SourceRef>,
    document_id: i64,
    anchor: Option<&str>,
) -> Option<SourceRef> {
    let mut source = sources.get(&document_id)?.clone();
    if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
        source.url = format!("{}#{anchor}", source.url);
    }
    Some(source)
}

/// The tracked entities read from the documents `ids`, a chunk of documents at a time.
pub(crate) async fn capture(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<Tracked>, DbErr> {
    let mut out = Vec::new();
    for chunk in ids.chunks(INSERT_BATCH) {
        capture_chunk(db, chunk, &mut out).await?;
    }
    Ok(out)
}

async fn capture_chunk(
    db: &impl ConnectionTrait,
    chunk: &[i64],
    out: &mut Vec<Tracked>,
) -> Result<(), DbErr> {
    let docs = chunk.iter().copied();
    let documents = document::Entity::find()
        .filter(document::Column::Id.is_in(docs.clone()))
        .all(db)
        .await?;
    let roles = organisation_role::Entity::find()
        .filter(organisation_role::Column::DocumentId.is_in(docs.clone()))
        .all(db)
        .await?;
    let sources: HashMap<i64, SourceRef> = documents
        .iter()
        .map(|d| {
            let source = SourceRef {
                document_id: d.id,
                url: d.url.clone(),
                title: d.title.clone(),
                fetched_at: d.fetched_at,
                hash: d.content_hash.clone(),
            };
            (d.id, source)
        })
        .collect();
    let mut page_roles: HashMap<i64, BTreeSet<String>> = HashMap::new();
    let mut leads: HashMap<i64, BTreeSet<String>> = HashMap::new();
    for r in &roles {
        page_roles.entry(r.document_id).or_default().insert(format!(
            "{}: {}",
            r.role.to_value(),
            r.name_as_printed
        ));
        if let Some(w) = r.workstream_id {
            leads
                .entry(w)
                .or_default()
                .insert(r.name_as_printed.clone());
        }
    }
    let joined = |set: Option<&BTreeSet<String>>| {
        set.map(|s| s.iter().cloned().collect::<Vec<_>>().join("; "))
            .filter(|s| !s.is_empty())
    };
    for d in &documents {
        out.push(Tracked {
            subject_type: SubjectType::Document,
            id: d.id,
            label: label(&document_name(d)),
            source: cited(&sources, d.id, None),
            fields: vec![
                ("title", text(&d.title)),
                ("kind", Some(d.kind.to_value())),
                ("publishedOn", day(d.published_on)),
                ("contentHash", text(&d.content_hash)),
                ("organisationRoles", joined(page_roles.get(&d.id))),
            ],
            identity: None,
        });
    }
    let mut items: HashMap<(i64, CommitmentItemKind), Vec<String>> = HashMap::new();
    for i in commitment_item::Entity::find()
        .filter(commitment_item::Column::DocumentId.is_in(docs.clone()))
        .order_by_asc(commitment_item::Column::Position)
        .all(db)
        .await?
    {
        items
            .entry((i.commitment_id, i.kind))
            .or_default()
            .push(i.text);
    }
    for c in commitment::Entity::find()
        .filter(commitment::Column::DocumentId.is_in(docs.clone()))
        .all(db)
        .await?
    {
        // The listed items, one field per list, an item a line.
        let mut listed = |kind| {
            items
                .remove(&(c.id, kind))
                .map(|lines| lines.join("\n"))
                .filter(|s| !s.is_empty())
        };
        let lists = [
            ("description", listed(CommitmentItemKind::Description)),
            ("problems", listed(CommitmentItemKind::Problem)),
            ("statusQuo", listed(CommitmentItemKind::StatusQuo)),
            ("principles", listed(CommitmentItemKind::Principle)),
            ("ogpValues", listed(CommitmentItemKind::OgpValue)),
        ];
        out.push(Tracked {
            subject_type: SubjectType::Commitment,
            id: c.id,
            label: label(&format!("Commitment {}: {}", c.number, c.title)),
            source: cited(&sources, c.document_id, c.anchor.as_deref()),
            fields: vec![
                ("title", text(&c.title)),
                ("periodText", opt(c.period_text.as_deref())),
                ("periodStart", day(c.period_start)),
                ("periodEnd", day(c.period_end)),
                ("leadDirectorate", opt(c.lead_directorate.as_deref())),
            ]
            .into_iter()
            .chain(lists)
            .collect(),
            identity: None,
        });
    }
    for m in milestone::Entity::find()
        .filter(milestone::Column::DocumentId.is_in(docs.clone()))
        .all(db)
        .await?
    {
        out.push(Tracked {
            subject_type: SubjectType::Milestone,
            id: m.id,
            label: label(&m.title),
            source: cited(&sources, m.document_id, m.anchor.as_deref()),
            fields: vec![
                ("title", text(&m.title)),
                ("objective", opt(m.objective.as_deref())),
                ("dateText", opt(m.date_text.as_deref())),
                ("startDate", day(m.start_date)),
                ("endDate", day(m.end_date)),
            ],
            identity: Some(identity::of_milestone(&m)),
        });
    }
    for u in progress_update::Entity::find()
        .filter(progress_update::Column::DocumentId.is_in(docs.clone()))
        .all(db)
        .await?
    {
        let name = [
            u.activity.as_str(),
            u.milestone_heading.as_str(),
            u.text.as_str(),
        ]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .unwrap_or_default();
        out.push(Tracked {
            subject_type: SubjectType::ProgressUpdate,
            id: u.id,
            label: label(name),
            source: cited(&sources, u.document_id, u.anchor.as_deref()),
            fields: vec![
                ("reportTitle", text(&u.report_title)),
                ("reportedOn", day(u.reported_on)),
                ("milestoneHeading", text(&u.milestone_heading)),
                ("activity", text(&u.activity)),
                ("text", text(&u.text)),
                ("nextSteps", opt(u.next_steps.as_deref())),
                ("status", u.delivery_status.map(|s| s.to_value())),
                ("statusText", opt(u.status_text.as_deref())),
            ],
            identity: Some(identity::of_update(&u)),
        });
    }
    for w in workstream::Entity::find()
        .filter(workstream::Column::DocumentId.is_in(docs.clone()))
        .all(db)
        .await?
    {
        out.push(Tracked {
            subject_type: SubjectType::Workstream,
            id: w.id,
            label: label(&w.deliverable),
            source: cited(&sources, w.document_id, w.anchor.as_deref()),
            fields: vec![
                ("planPeriod", text(&w.plan_period)),
                ("deliverable", text(&w.deliverable)),
                ("rationale", text(&w.rationale)),
                ("leads", joined(leads.get(&w.id))),
                ("dueText", opt(w.due_text.as_deref())),
                ("dueDate", day(w.due_date)),
                ("status", w.status.map(|s| s.to_value())),
                ("statusText", opt(w.status_text.as_deref())),
                ("progress", text(&w.progress)),
            ],
            identity: Some(identity::of_workstream(&w)),
        });
    }
    for e in strategy_element::Entity::find()
        .filter(strategy_element::Column::DocumentId.is_in(docs.clone()))
        .all(db)
        .await?
    {
        out.push(Tracked {
            subject_type: SubjectType::of_element(e.kind),
            id: e.id,
            label: label(&e.name),
            source: cited(&sources, e.document_id, e.anchor.as_deref()),
            fields: vec![
                ("number", e.number.map(|n| n.to_string())),
                ("name", text(&e.name)),
                ("description", text(&e.description)),
            ],
            identity: Some(identity::of_element(&e)),
        });
    }
    for c in strategy_commitment::Entity::find()
        .filter(strategy_commitment::Column::DocumentId.is_in(docs))
        .all(db)
        .await?
    {
        out.push(Tracked {
            subject_type: SubjectType::StrategyCommitment,
            id: c.id,
            label: label(&c.text),
            source: cited(&sources, c.document_id, c.anchor.as_deref()),
            fields: vec![
                ("text", text(&c.text)),
                ("dateText", opt(c.date_text.as_deref())),
                ("dueDate", day(c.due_date)),
            ],
            identity: Some(identity::of_strategy_commitment(&c)),
        });
    }
    Ok(())
}

/// The tracked entities that belong to no one page: every organisation and strategy.
async fn capture_shared(db: &impl ConnectionTrait) -> Result<Vec<Tracked>, DbErr> {
    let mut out = Vec::new();
    for o in organisation::Entity::find().all(db).await? {
        out.push(Tracked {
            subject_type: SubjectType::Organisation,
            id: o.id,
            label: label(&o.name),
            source: None,
            fields: vec![("name", text(&o.name))],
            identity: None,
        });
    }
    for s in strategy::Entity::find().all(db).await? {
        out.push(Tracked {
            subject_type: SubjectType::Strategy,
            id: s.id,
            label: label(&s.title),
            source: None,
            fields: vec![
                ("title", text(&s.title)),
                ("publishedOn", day(s.published_on)),
                ("supersededByUrl", opt(s.superseded_by_url.as_deref())),
            ],
            identity: None,
        });
    }
    Ok(out)
}

/// Gives each organisation the run brought in the ID of one it left named by no page, where
/// the names share enough words to be one organisation renamed (see `identity`), and
/// remembers the new name's key for later runs. `before` and `after` are the run's two
/// captures of what belongs to no one page; the renamed ones in `after` take their kept IDs.
async fn rename_organisations(
    db: &impl ConnectionTrait,
    before: &[Tracked],
    after: &mut [Tracked],
) -> Result<(), DbErr> {
    let organisations = |tracked: &[Tracked]| -> Vec<Identity> {
        tracked
            .iter()
            .filter(|t| t.subject_type == SubjectType::Organisation)
            .filter_map(|t| {
                Some(identity::of_organisation(
                    t.id,
                    t.fields.first()?.1.as_deref()?,
                ))
            })
            .collect()
    };
    let (old, now) = (organisations(before), organisations(after));
    let now_ids: HashSet<i64> = now.iter().map(|i| i.id).collect();
    let old_ids: HashSet<i64> = old.iter().map(|i| i.id).collect();
    let gone: Vec<&Identity> = old.iter().filter(|i| !now_ids.contains(&i.id)).collect();
    let new: Vec<&Identity> = now.iter().filter(|i| !old_ids.contains(&i.id)).collect();
    if gone.is_empty() || new.is_empty() {
        return Ok(());
    }
    for (n, o) in identity::matches(&gone, &new) {
        let (from, to) = (new[n].id, gone[o].id);
        if let Some(renamed) = after
            .iter_mut()
            .find(|t| t.subject_type == SubjectType::Organisation && t.id == from)
        {
            renamed.id = to;
        }
        // What the old organisation left behind goes: it had no roles, or it would be named.
        organisation_alias::Entity::delete_many()
            .filter(organisation_alias::Column::OrganisationId.eq(to))
            .exec(db)
            .await?;
        mention::Entity::delete_many()
            .filter(mention::Column::OrganisationId.eq(to))
            .exec(db)
            .await?;
        organisation_role::Entity::update_many()
            .col_expr(organisation_role::Column::OrganisationId, Expr::value(to))
            .filter(organisation_role::Column::OrganisationId.eq(from))
            .exec(db)
            .await?;
        organisation_alias::Entity::update_many()
            .col_expr(organisation_alias::Column::OrganisationId, Expr::value(to))
            .filter(organisation_alias::Column::OrganisationId.eq(from))
            .exec(db)
            .await?;
        mention::Entity::update_many()
            .col_expr(mention::Column::OrganisationId, Expr::value(to))
            .filter(mention::Column::OrganisationId.eq(from))
            .exec(db)
            .await?;
        organisation::Entity::update_many()
            .col_expr(organisation::Column::Id, Expr::value(to))
            .filter(organisation::Column::Id.eq(from))
            .exec(db)
            .await?;
        organisation_rename::Entity::insert(organisation_rename::ActiveModel {
            from_id: Set(from),
            to_id: Set(to),
        })
        .on_conflict(
            OnConflict::column(organisation_rename::Column::FromId)
                .update_column(organisation_rename::Column::ToId)
                .to_owned(),
        )
        .exec(db)
        .await?;
    }
    Ok(())
}

/// One change, before it is stored.
struct Pending {
    action: ChangeAction,
    entity: Tracked,
    fields: Vec<(&'static str, Option<String>, Option<String>)>,
}

/// What changed between an entity's two captures; `None` when nothing did.
fn compare(before: Option<Tracked>, after: Option<Tracked>) -> Option<Pending> {
    match (before, after) {
        (None, Some(entity)) => Some(Pending {
            action: ChangeAction::Added,
            entity,
            fields: Vec::new(),
        }),
        (Some(entity), None) => {
            let fields = entity
                .fields
                .iter()
                .filter(|(_, v)| v.is_some())
                .map(|(f, v)| (*f, v.clone(), None))
                .collect();
            Some(Pending {
                action: ChangeAction::Removed,
                entity,
                fields,
            })
        }
        (Some(before), Some(entity)) => {
            let fields: Vec<_> = before
                .fields
                .into_iter()
                .zip(&entity.fields)
                .filter(|((_, old), (_, new))| old != new)
                .map(|((f, old), (_, new))| (f, old, new.clone()))
                .collect();
            (!fields.is_empty()).then_some(Pending {
                action: ChangeAction::Changed,
                entity,
                fields,
            })
        }
        (None, None) => None,
    }
}

/// What a run has captured so far, and what it records at its end.
#[derive(Default)]
pub(crate) struct Recorder {
    /// Entities of the pages the run rewrote or removed, as they were.
    before: HashMap<Key, Tracked>,
    /// Organisations and strategies as they were, once the run has begun to write.
    shared: Option<Vec<Tracked>>,
    /// Documents the run wrote.
    written: Vec<i64>,
    /// Changes numbered so far.
    next: i64,
}

impl Recorder {
    /// Captures what belongs to no one page, before the run's first write.
    pub(crate) async fn before_writing(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        if self.shared.is_none() {
            self.shared = Some(capture_shared(db).await?);
        }
        Ok(())
    }

    /// Captures the stored pages `ids` before they are rewritten or removed; answers the
    /// identities of their rows, for [`identity::reconcile`].
    pub(crate) async fn before_delete(
        &mut self,
        db: &impl ConnectionTrait,
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

    /// Compares, once the run's writes and passes are done, and stores the changes of run
    /// `run_id` at `at`; answers how many it stored.
    pub(crate) async fn finish(
        mut self,
        db: &impl ConnectionTrait,
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
        let mut left: Vec<Tracked> = std::mem::take(&mut self.before).into_values().collect();
        left.sort_by_key(|t| (t.source.as_ref().map(|s| s.document_id), t.id));
        let pending = left
            .into_iter()
            .filter_map(|entity| compare(Some(entity), None))
            .collect();
        stored += self.store(db, run_id, at, pending).await?;

        let mut after = capture_shared(db).await?;
        rename_organisations(db, &shared, &mut after).await?;
        let mut before: BTreeMap<Key, Tracked> = shared.into_iter().map(|t| (t.key(), t)).collect();
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
        db: &impl ConnectionTrait,
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
