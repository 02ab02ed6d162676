//! The tracked tables, each described once: its subject type, its label and its fields, as a
//! [`Tracked`] implementation. [`capture`] and [`capture_shared`] are one loop over them.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    CommitmentItemKind, SubjectType, commitment, commitment_item, document, milestone,
    organisation, organisation_role, progress_update, strategy, strategy_commitment,
    strategy_element, workstream,
};
use sea_orm::{
    ActiveEnum, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use super::identity::{self, Identity};
use crate::store::rows::INSERT_BATCH;

/// The page an entity was read from, as its change cites it.
#[derive(Clone, Debug)]
pub(super) struct SourceRef {
    pub(super) document_id: i64,
    pub(super) url: String,
    pub(super) title: String,
    pub(super) fetched_at: DateTime<Utc>,
    pub(super) hash: String,
}

/// A field as the feed compares it: its API name and its value as text.
pub(super) type Field = (&'static str, Option<String>);

/// One entity as the feed compares it.
#[derive(Clone, Debug)]
pub(crate) struct Captured {
    pub(super) subject_type: SubjectType,
    pub(super) id: i64,
    pub(super) label: String,
    pub(super) source: Option<SourceRef>,
    pub(super) fields: Vec<Field>,
    pub(super) identity: Option<Identity>,
}

/// A captured entity's key: its API type and row ID.
pub(super) type Key = (SubjectType, i64);

impl Captured {
    pub(super) fn key(&self) -> Key {
        (self.subject_type, self.id)
    }

    fn of<T: Tracked>(row: &T::Model, pages: &Pages) -> Self {
        let source = T::cited(row).and_then(|(document_id, anchor)| {
            let mut source = pages.sources.get(&document_id)?.clone();
            if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                source.url = format!("{}#{anchor}", source.url);
            }
            Some(source)
        });
        Self {
            subject_type: T::subject_type(row),
            id: T::id(row),
            label: label(&T::label(row)),
            source,
            fields: T::fields(row, pages),
            identity: T::identity(row),
        }
    }
}

/// What the fields of a chunk of pages' rows are read with, beside the rows: the pages
/// themselves, the organisations they name, and commitments' listed items.
#[derive(Default)]
pub(super) struct Pages {
    sources: HashMap<i64, SourceRef>,
    roles: HashMap<i64, BTreeSet<String>>,
    leads: HashMap<i64, BTreeSet<String>>,
    items: HashMap<(i64, CommitmentItemKind), Vec<String>>,
}

/// A table the change feed follows.
pub(super) trait Tracked: EntityTrait {
    /// The column naming a row's page; `None` for a table that belongs to no one page
    /// (organisations, strategies), captured whole.
    const PAGE: Option<Self::Column>;
    /// The row's API type.
    fn subject_type(row: &Self::Model) -> SubjectType;
    /// The row's ID.
    fn id(row: &Self::Model) -> i64;
    /// A human-readable name, before it is cut to [`LABEL_CHARS`].
    fn label(row: &Self::Model) -> String;
    /// The fields its page states, as text.
    fn fields(row: &Self::Model, pages: &Pages) -> Vec<Field>;
    /// The page it was read from and its anchor there.
    fn cited(row: &Self::Model) -> Option<(i64, Option<&str>)>;
    /// What it is matched by when its page is rewritten (see [`identity`]).
    fn identity(_row: &Self::Model) -> Option<Identity> {
        None
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

fn joined(set: Option<&BTreeSet<String>>) -> Option<String> {
    set.map(|s| s.iter().cloned().collect::<Vec<_>>().join("; "))
        .filter(|s| !s.is_empty())
}

impl Tracked for document::Entity {
    const PAGE: Option<Self::Column> = Some(document::Column::Id);
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::Document
    }
    fn id(d: &Self::Model) -> i64 {
        d.id
    }
    /// Its publication's title, then its own where that differs.
    fn label(d: &Self::Model) -> String {
        if d.publication_title.is_empty() || d.publication_title == d.title {
            d.title.clone()
        } else {
            format!("{}: {}", d.publication_title, d.title)
        }
    }
    fn fields(d: &Self::Model, pages: &Pages) -> Vec<Field> {
        vec![
            ("title", text(&d.title)),
            ("kind", Some(d.kind.to_value())),
            ("publishedOn", day(d.published_on)),
            ("contentHash", text(&d.content_hash)),
            ("organisationRoles", joined(pages.roles.get(&d.id))),
        ]
    }
    fn cited(d: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((d.id, None))
    }
}

impl Tracked for commitment::Entity {
    const PAGE: Option<Self::Column> = Some(commitment::Column::DocumentId);
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::Commitment
    }
    fn id(c: &Self::Model) -> i64 {
        c.id
    }
    fn label(c: &Self::Model) -> String {
        format!("Commitment {}: {}", c.number, c.title)
    }
    fn fields(c: &Self::Model, pages: &Pages) -> Vec<Field> {
        // The listed items, one field per list, an item a line.
        let listed = |kind| {
            pages
                .items
                .get(&(c.id, kind))
                .map(|lines| lines.join("\n"))
                .filter(|s| !s.is_empty())
        };
        vec![
            ("title", text(&c.title)),
            ("periodText", opt(c.period_text.as_deref())),
            ("periodStart", day(c.period_start)),
            ("periodEnd", day(c.period_end)),
            ("leadDirectorate", opt(c.lead_directorate.as_deref())),
            ("description", listed(CommitmentItemKind::Description)),
            ("problems", listed(CommitmentItemKind::Problem)),
            ("statusQuo", listed(CommitmentItemKind::StatusQuo)),
            ("principles", listed(CommitmentItemKind::Principle)),
            ("ogpValues", listed(CommitmentItemKind::OgpValue)),
        ]
    }
    fn cited(c: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((c.document_id, c.anchor.as_deref()))
    }
}

/// A milestone's latest status is computed across pages, not stated by its page: the
/// progress update's `status` is what the feed reports.
impl Tracked for milestone::Entity {
    const PAGE: Option<Self::Column> = Some(milestone::Column::DocumentId);
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::Milestone
    }
    fn id(m: &Self::Model) -> i64 {
        m.id
    }
    fn label(m: &Self::Model) -> String {
        m.title.clone()
    }
    fn fields(m: &Self::Model, _: &Pages) -> Vec<Field> {
        vec![
            ("title", text(&m.title)),
            ("objective", opt(m.objective.as_deref())),
            ("dateText", opt(m.date_text.as_deref())),
            ("startDate", day(m.start_date)),
            ("endDate", day(m.end_date)),
        ]
    }
    fn cited(m: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((m.document_id, m.anchor.as_deref()))
    }
    fn identity(m: &Self::Model) -> Option<Identity> {
        Some(identity::of_milestone(m))
    }
}

impl Tracked for progress_update::Entity {
    const PAGE: Option<Self::Column> = Some(progress_update::Column::DocumentId);
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::ProgressUpdate
    }
    fn id(u: &Self::Model) -> i64 {
        u.id
    }
    /// Its activity, else its milestone sentence, else its text.
    fn label(u: &Self::Model) -> String {
        [
            u.activity.as_str(),
            u.milestone_heading.as_str(),
            u.text.as_str(),
        ]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .unwrap_or_default()
        .to_owned()
    }
    fn fields(u: &Self::Model, _: &Pages) -> Vec<Field> {
        vec![
            ("reportTitle", text(&u.report_title)),
            ("reportedOn", day(u.reported_on)),
            ("milestoneHeading", text(&u.milestone_heading)),
            ("activity", text(&u.activity)),
            ("text", text(&u.text)),
            ("nextSteps", opt(u.next_steps.as_deref())),
            ("status", u.delivery_status.map(|s| s.to_value())),
            ("statusText", opt(u.status_text.as_deref())),
        ]
    }
    fn cited(u: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((u.document_id, u.anchor.as_deref()))
    }
    fn identity(u: &Self::Model) -> Option<Identity> {
        Some(identity::of_update(u))
    }
}

impl Tracked for workstream::Entity {
    const PAGE: Option<Self::Column> = Some(workstream::Column::DocumentId);
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::Workstream
    }
    fn id(w: &Self::Model) -> i64 {
        w.id
    }
    fn label(w: &Self::Model) -> String {
        w.deliverable.clone()
    }
    fn fields(w: &Self::Model, pages: &Pages) -> Vec<Field> {
        vec![
            ("planPeriod", text(&w.plan_period)),
            ("deliverable", text(&w.deliverable)),
            ("rationale", text(&w.rationale)),
            ("leads", joined(pages.leads.get(&w.id))),
            ("dueText", opt(w.due_text.as_deref())),
            ("dueDate", day(w.due_date)),
            ("status", w.status.map(|s| s.to_value())),
            ("statusText", opt(w.status_text.as_deref())),
            ("progress", text(&w.progress)),
        ]
    }
    fn cited(w: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((w.document_id, w.anchor.as_deref()))
    }
    fn identity(w: &Self::Model) -> Option<Identity> {
        Some(identity::of_workstream(w))
    }
}

impl Tracked for strategy_element::Entity {
    const PAGE: Option<Self::Column> = Some(strategy_element::Column::DocumentId);
    fn subject_type(e: &Self::Model) -> SubjectType {
        SubjectType::of_element(e.kind)
    }
    fn id(e: &Self::Model) -> i64 {
        e.id
    }
    fn label(e: &Self::Model) -> String {
        e.name.clone()
    }
    fn fields(e: &Self::Model, _: &Pages) -> Vec<Field> {
        vec![
            ("number", e.number.map(|n| n.to_string())),
            ("name", text(&e.name)),
            ("description", text(&e.description)),
        ]
    }
    fn cited(e: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((e.document_id, e.anchor.as_deref()))
    }
    fn identity(e: &Self::Model) -> Option<Identity> {
        Some(identity::of_element(e))
    }
}

impl Tracked for strategy_commitment::Entity {
    const PAGE: Option<Self::Column> = Some(strategy_commitment::Column::DocumentId);
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::StrategyCommitment
    }
    fn id(c: &Self::Model) -> i64 {
        c.id
    }
    fn label(c: &Self::Model) -> String {
        c.text.clone()
    }
    fn fields(c: &Self::Model, _: &Pages) -> Vec<Field> {
        vec![
            ("text", text(&c.text)),
            ("dateText", opt(c.date_text.as_deref())),
            ("dueDate", day(c.due_date)),
        ]
    }
    fn cited(c: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((c.document_id, c.anchor.as_deref()))
    }
    fn identity(c: &Self::Model) -> Option<Identity> {
        Some(identity::of_strategy_commitment(c))
    }
}

impl Tracked for organisation::Entity {
    const PAGE: Option<Self::Column> = None;
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::Organisation
    }
    fn id(o: &Self::Model) -> i64 {
        o.id
    }
    fn label(o: &Self::Model) -> String {
        o.name.clone()
    }
    fn fields(o: &Self::Model, _: &Pages) -> Vec<Field> {
        vec![("name", text(&o.name))]
    }
    fn cited(_: &Self::Model) -> Option<(i64, Option<&str>)> {
        None
    }
}

impl Tracked for strategy::Entity {
    const PAGE: Option<Self::Column> = None;
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::Strategy
    }
    fn id(s: &Self::Model) -> i64 {
        s.id
    }
    fn label(s: &Self::Model) -> String {
        s.title.clone()
    }
    fn fields(s: &Self::Model, _: &Pages) -> Vec<Field> {
        vec![
            ("title", text(&s.title)),
            ("publishedOn", day(s.published_on)),
            ("supersededByUrl", opt(s.superseded_by_url.as_deref())),
        ]
    }
    fn cited(_: &Self::Model) -> Option<(i64, Option<&str>)> {
        None
    }
}

type Captures<'a> = Pin<Box<dyn Future<Output = Result<Vec<Captured>, DbErr>> + Send + 'a>>;

/// Captures one table's rows: those of the pages `docs`, or all of them for a table that
/// belongs to no one page.
type Capture = for<'a> fn(&'a DatabaseTransaction, &'a [i64], &'a Pages) -> Captures<'a>;

fn rows<'a, T: Tracked>(
    db: &'a DatabaseTransaction,
    docs: &'a [i64],
    pages: &'a Pages,
) -> Captures<'a>
where
    T::Model: Sync,
{
    Box::pin(async move {
        let mut select = T::find();
        if let Some(column) = T::PAGE {
            select = select.filter(column.is_in(docs.iter().copied()));
        }
        let found = select.all(db).await?;
        Ok(found
            .iter()
            .map(|row| Captured::of::<T>(row, pages))
            .collect())
    })
}

/// The tables read from pages, in the order their changes are numbered.
const PAGE_TABLES: &[Capture] = &[
    rows::<document::Entity>,
    rows::<commitment::Entity>,
    rows::<milestone::Entity>,
    rows::<progress_update::Entity>,
    rows::<workstream::Entity>,
    rows::<strategy_element::Entity>,
    rows::<strategy_commitment::Entity>,
];

/// The tables that belong to no one page.
const SHARED_TABLES: &[Capture] = &[rows::<organisation::Entity>, rows::<strategy::Entity>];

/// The tracked entities read from the documents `ids`, a chunk of documents at a time.
pub(super) async fn capture(db: &DatabaseTransaction, ids: &[i64]) -> Result<Vec<Captured>, DbErr> {
    let mut out = Vec::new();
    for chunk in ids.chunks(INSERT_BATCH) {
        let pages = Pages::read(db, chunk).await?;
        for table in PAGE_TABLES {
            out.extend(table(db, chunk, &pages).await?);
        }
    }
    Ok(out)
}

/// The tracked entities that belong to no one page: every organisation and strategy.
pub(super) async fn capture_shared(db: &DatabaseTransaction) -> Result<Vec<Captured>, DbErr> {
    let mut out = Vec::new();
    for table in SHARED_TABLES {
        out.extend(table(db, &[], &Pages::default()).await?);
    }
    Ok(out)
}

impl Pages {
    /// What the rows of the pages `chunk` are read with.
    async fn read(db: &DatabaseTransaction, chunk: &[i64]) -> Result<Self, DbErr> {
        let docs = chunk.iter().copied();
        let mut pages = Self::default();
        for d in document::Entity::find()
            .filter(document::Column::Id.is_in(docs.clone()))
            .all(db)
            .await?
        {
            let source = SourceRef {
                document_id: d.id,
                url: d.url,
                title: d.title,
                fetched_at: d.fetched_at,
                hash: d.content_hash,
            };
            pages.sources.insert(d.id, source);
        }
        for r in organisation_role::Entity::find()
            .filter(organisation_role::Column::DocumentId.is_in(docs.clone()))
            .all(db)
            .await?
        {
            pages
                .roles
                .entry(r.document_id)
                .or_default()
                .insert(format!("{}: {}", r.role.to_value(), r.name_as_printed));
            if let Some(w) = r.workstream_id {
                pages.leads.entry(w).or_default().insert(r.name_as_printed);
            }
        }
        for i in commitment_item::Entity::find()
            .filter(commitment_item::Column::DocumentId.is_in(docs))
            .order_by_asc(commitment_item::Column::Position)
            .all(db)
            .await?
        {
            pages
                .items
                .entry((i.commitment_id, i.kind))
                .or_default()
                .push(i.text);
        }
        Ok(pages)
    }
}
