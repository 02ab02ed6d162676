//! What the feed captures of a tracked table's row ([`Captured`]), what a table says to be
//! tracked ([`Tracked`], implemented once per table in `tables`), and capture, one loop over
//! the tables.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use entity::{
    CommitmentItemKind, SubjectType, commitment, commitment_item, document, milestone,
    organisation, organisation_role, progress_update, strategy, strategy_commitment,
    strategy_element, workstream,
};
use sea_orm::{
    ActiveEnum, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use super::identity::Identity;
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
    pub(super) roles: HashMap<i64, BTreeSet<String>>,
    pub(super) leads: HashMap<i64, BTreeSet<String>>,
    pub(super) items: HashMap<(i64, CommitmentItemKind), Vec<String>>,
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
    /// The API names of the fields [`Tracked::fields`] reads, in its order.
    const FIELDS: &'static [&'static str];
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

/// A tracked table: how its rows are captured, and the names of their fields.
struct Table {
    capture: Capture,
    fields: &'static [&'static str],
}

const fn table<T: Tracked>() -> Table
where
    T::Model: Sync,
{
    Table {
        capture: rows::<T>,
        fields: T::FIELDS,
    }
}

/// The tables read from pages, in the order their changes are numbered.
const PAGE_TABLES: &[Table] = &[
    table::<document::Entity>(),
    table::<commitment::Entity>(),
    table::<milestone::Entity>(),
    table::<progress_update::Entity>(),
    table::<workstream::Entity>(),
    table::<strategy_element::Entity>(),
    table::<strategy_commitment::Entity>(),
];

/// The tables that belong to no one page.
const SHARED_TABLES: &[Table] = &[table::<organisation::Entity>(), table::<strategy::Entity>()];

/// The API name of every field the feed records, of any type.
pub fn recorded_fields() -> BTreeSet<&'static str> {
    PAGE_TABLES
        .iter()
        .chain(SHARED_TABLES)
        .flat_map(|t| t.fields.iter().copied())
        .collect()
}

/// The tracked entities read from the documents `ids`, a chunk of documents at a time.
pub(super) async fn capture(db: &DatabaseTransaction, ids: &[i64]) -> Result<Vec<Captured>, DbErr> {
    let mut out = Vec::new();
    for chunk in ids.chunks(INSERT_BATCH) {
        let pages = Pages::read(db, chunk).await?;
        for table in PAGE_TABLES {
            out.extend((table.capture)(db, chunk, &pages).await?);
        }
    }
    Ok(out)
}

/// The tracked entities that belong to no one page: every organisation and strategy.
pub(super) async fn capture_shared(db: &DatabaseTransaction) -> Result<Vec<Captured>, DbErr> {
    let mut out = Vec::new();
    for table in SHARED_TABLES {
        out.extend((table.capture)(db, &[], &Pages::default()).await?);
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
