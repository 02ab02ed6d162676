//! Batched loading: every list or parent a resolver needs goes through a `DataLoader`, so a
//! nested query costs one statement per level, however many parents the level has.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, Loader};
use entity::{
    change, change_field, commitment, commitment_item, document, document_version, ingest_run,
    mention, milestone, organisation, organisation_alias, organisation_role, passage,
    progress_update, strategy, strategy_commitment, strategy_element, workstream,
};
use sea_orm::sea_query::SimpleExpr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, IntoSimpleExpr, ModelTrait, QueryFilter,
    QueryOrder, Value,
};

use super::error::ApiError;

mod joined;

pub use joined::{MilestoneTrees, PreviousEnds, ReadAhead, RoleHolder, RoleHolders};

/// Loads the rows of `E` whose `column` holds one of the keys, grouped by key, in `order`.
pub struct ByColumn<E: EntityTrait> {
    db: DatabaseConnection,
    column: E::Column,
    order: Vec<SimpleExpr>,
}

impl<E> Loader<i64> for ByColumn<E>
where
    E: EntityTrait + Sync,
    E::Model: Sync,
    E::Column: Sync,
{
    type Value = Vec<E::Model>;
    // `Loader::Error` must be `Clone`; `DbErr` is not, so it travels in an `Arc`.
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let mut query = E::find().filter(self.column.is_in(keys.iter().copied()));
        for expr in &self.order {
            query = query.order_by_asc(expr.clone());
        }
        let rows = query.all(&self.db).await?;
        let mut grouped: HashMap<i64, Vec<E::Model>> = HashMap::new();
        for row in rows {
            if let Value::BigInt(Some(key)) = row.get(self.column) {
                grouped.entry(key).or_default().push(row);
            }
        }
        Ok(grouped)
    }
}

/// How long a loader waits for more keys before it runs its statement. The loaders belong to
/// the schema, not to a request, so under load one statement serves the keys of every request
/// that arrived in the window: measured with 32 concurrent deep queries on PostgreSQL, 1 ms
/// gave about twice the throughput of no wait, for about 1 ms more latency per level.
pub const DEFAULT_BATCH_WINDOW: Duration = Duration::from_millis(1);

/// A `DataLoader` over one column of one table.
pub type By<E> = DataLoader<ByColumn<E>>;

fn by<E>(
    db: &DatabaseConnection,
    window: Duration,
    column: E::Column,
    order: impl IntoIterator<Item = E::Column>,
) -> By<E>
where
    E: EntityTrait + Sync,
    E::Model: Sync,
    E::Column: Sync,
{
    let order = order.into_iter().map(IntoSimpleExpr::into_simple_expr);
    by_order(db, window, column, order.collect())
}

/// A loader in an order of expressions (see [`crate::read::reports::sql_order`]).
fn by_order<E>(
    db: &DatabaseConnection,
    window: Duration,
    column: E::Column,
    order: Vec<SimpleExpr>,
) -> By<E>
where
    E: EntityTrait + Sync,
    E::Model: Sync,
    E::Column: Sync,
{
    batched(
        ByColumn {
            db: db.clone(),
            column,
            order,
        },
        window,
    )
}

fn holders(
    db: &DatabaseConnection,
    window: Duration,
    column: organisation_role::Column,
) -> DataLoader<RoleHolders> {
    batched(
        RoleHolders {
            db: db.clone(),
            column,
        },
        window,
    )
}

/// A `DataLoader` on the Tokio runtime that waits `window` for more keys.
fn batched<L>(inner: L, window: Duration) -> DataLoader<L> {
    DataLoader::new(inner, tokio::spawn).delay(window)
}

/// Every loader the resolvers use, built once per schema.
pub struct Loaders {
    /// Documents by ID.
    pub document: By<document::Entity>,
    /// A strategy's documents.
    pub documents_by_strategy: By<document::Entity>,
    /// A document's stored versions.
    pub versions_by_document: By<document_version::Entity>,
    /// Stored versions by ID.
    pub version: By<document_version::Entity>,
    /// Passages by ID.
    pub passage: By<passage::Entity>,
    /// A document's passages, in page order.
    pub passages_by_document: By<passage::Entity>,
    /// Strategies by ID.
    pub strategy: By<strategy::Entity>,
    /// Strategy elements by ID.
    pub element: By<strategy_element::Entity>,
    /// A strategy's elements.
    pub elements_by_strategy: By<strategy_element::Entity>,
    /// Commitments by ID.
    pub commitment: By<commitment::Entity>,
    /// A commitment's listed items.
    pub items_by_commitment: By<commitment_item::Entity>,
    /// Milestones by ID.
    pub milestone: By<milestone::Entity>,
    /// A commitment's milestones, in its page's order.
    pub milestones_by_commitment: By<milestone::Entity>,
    /// Progress updates by ID.
    pub update: By<progress_update::Entity>,
    /// A milestone's progress updates, oldest report first (the read layer's one report order).
    pub updates_by_milestone: By<progress_update::Entity>,
    /// A commitment's progress updates.
    pub updates_by_commitment: By<progress_update::Entity>,
    /// Organisations by ID.
    pub organisation: By<organisation::Entity>,
    /// An organisation's aliases, in alphabetical order.
    pub aliases_by_organisation: By<organisation_alias::Entity>,
    /// An organisation's roles.
    pub roles_by_organisation: By<organisation_role::Entity>,
    /// The organisations in roles in a commitment.
    pub holders_by_commitment: DataLoader<RoleHolders>,
    /// The organisations in roles in a strategy.
    pub holders_by_strategy: DataLoader<RoleHolders>,
    /// Passages naming an organisation.
    pub mentions_by_organisation: By<mention::Entity>,
    /// A commitment's milestones with their progress updates and sources.
    pub milestone_trees_by_commitment: DataLoader<MilestoneTrees>,
    /// Workstreams by ID.
    pub workstream: By<workstream::Entity>,
    /// The workstreams whose page states a priority area (the page's own element).
    pub workstreams_by_area: By<workstream::Entity>,
    /// The lead organisations of a workstream.
    pub holders_by_workstream: DataLoader<RoleHolders>,
    /// The statements of an aim or priority area (the elements restating it, itself included).
    pub elements_by_canonical: By<strategy_element::Entity>,
    /// Strategy commitments by ID.
    pub strategy_commitment: By<strategy_commitment::Entity>,
    /// A strategy's commitments, by page and place on it.
    pub commitments_by_strategy: By<strategy_commitment::Entity>,
    /// The strategies a strategy superseded.
    pub strategies_superseded_by: By<strategy::Entity>,
    /// Ingest runs by ID.
    pub run: By<ingest_run::Entity>,
    /// Changes by ID.
    pub change: By<change::Entity>,
    /// The changes of an entity, oldest first.
    pub changes_by_subject: By<change::Entity>,
    /// The changes read from a page, oldest first.
    pub changes_by_document: By<change::Entity>,
    /// A change's fields, in the order they were recorded.
    pub fields_by_change: By<change_field::Entity>,
    /// The end or due date a milestone or workstream had before the latest ingest moved it.
    pub previous_ends: DataLoader<PreviousEnds>,
}

/// The one order of progress reports, on the table as a loader reads it.
fn report_order() -> Vec<SimpleExpr> {
    crate::read::reports::sql_order(IntoSimpleExpr::into_simple_expr)
}

impl Loaders {
    /// Builds the loaders over one database, each waiting `window` for more keys.
    pub fn new(db: &DatabaseConnection, window: Duration) -> Self {
        use entity::{
            change as ch, change_field as cf, commitment as c, commitment_item as ci,
            document as d, document_version as dv, ingest_run as ir, mention as me, milestone as m,
            organisation as o, organisation_alias as oa, organisation_role as r, passage as p,
            progress_update as u, strategy as s, strategy_commitment as sc, strategy_element as se,
            workstream as w,
        };
        Self {
            document: by(db, window, d::Column::Id, vec![]),
            documents_by_strategy: by(db, window, d::Column::StrategyId, vec![d::Column::Url]),
            versions_by_document: by(db, window, dv::Column::DocumentId, vec![dv::Column::Id]),
            version: by(db, window, dv::Column::Id, vec![]),
            passage: by(db, window, p::Column::Id, vec![]),
            passages_by_document: by(db, window, p::Column::DocumentId, vec![p::Column::Position]),
            strategy: by(db, window, s::Column::Id, vec![]),
            element: by(db, window, se::Column::Id, vec![]),
            elements_by_strategy: by(
                db,
                window,
                se::Column::StrategyId,
                vec![
                    se::Column::DocumentId,
                    se::Column::Kind,
                    se::Column::Position,
                ],
            ),
            commitment: by(db, window, c::Column::Id, vec![]),
            items_by_commitment: by(
                db,
                window,
                ci::Column::CommitmentId,
                vec![ci::Column::Kind, ci::Column::Position],
            ),
            milestone: by(db, window, m::Column::Id, vec![]),
            milestones_by_commitment: by(
                db,
                window,
                m::Column::CommitmentId,
                crate::read::milestones::PAGE_ORDER,
            ),
            update: by(db, window, u::Column::Id, vec![]),
            updates_by_milestone: by_order(db, window, u::Column::MilestoneId, report_order()),
            updates_by_commitment: by_order(db, window, u::Column::CommitmentId, report_order()),
            organisation: by(db, window, o::Column::Id, vec![]),
            aliases_by_organisation: by(
                db,
                window,
                oa::Column::OrganisationId,
                vec![oa::Column::Alias],
            ),
            roles_by_organisation: by(db, window, r::Column::OrganisationId, vec![r::Column::Id]),
            holders_by_commitment: holders(db, window, r::Column::CommitmentId),
            holders_by_strategy: holders(db, window, r::Column::StrategyId),
            milestone_trees_by_commitment: batched(MilestoneTrees { db: db.clone() }, window),
            mentions_by_organisation: by(
                db,
                window,
                me::Column::OrganisationId,
                vec![me::Column::DocumentId, me::Column::PassageId],
            ),
            run: by(db, window, ir::Column::Id, vec![]),
            change: by(db, window, ch::Column::Id, vec![]),
            changes_by_subject: by(db, window, ch::Column::SubjectId, vec![ch::Column::Id]),
            changes_by_document: by(db, window, ch::Column::DocumentId, vec![ch::Column::Id]),
            fields_by_change: by(db, window, cf::Column::ChangeId, vec![cf::Column::Id]),
            previous_ends: batched(PreviousEnds { db: db.clone() }, window),
            workstream: by(db, window, w::Column::Id, vec![]),
            workstreams_by_area: by(
                db,
                window,
                w::Column::PriorityAreaId,
                crate::read::workstreams::PLAN_ORDER,
            ),
            holders_by_workstream: holders(db, window, r::Column::WorkstreamId),
            elements_by_canonical: by(
                db,
                window,
                se::Column::CanonicalId,
                vec![se::Column::DocumentId, se::Column::Position],
            ),
            strategy_commitment: by(db, window, sc::Column::Id, vec![]),
            commitments_by_strategy: by(
                db,
                window,
                sc::Column::StrategyId,
                vec![sc::Column::DocumentId, sc::Column::Position],
            ),
            strategies_superseded_by: by(
                db,
                window,
                s::Column::SupersededById,
                vec![s::Column::Id],
            ),
        }
    }
}

// The helpers below answer `ApiError`, so that a resolver's `?` keeps the error's code: `?` on
// the loaders' own `Arc<DbErr>` would also compile, through async-graphql's conversion of any
// `Display` error, and answer without one.

/// Loads one row by ID through a by-ID loader.
///
/// # Errors
/// A database error.
pub async fn one<E>(loader: &By<E>, id: i64) -> Result<Option<E::Model>, ApiError>
where
    E: EntityTrait + Sync,
    E::Model: Sync,
    E::Column: Sync,
{
    Ok(many(loader, id).await?.into_iter().next())
}

/// Loads rows by ID through a by-ID loader, in the order of `ids`, leaving out those that do
/// not exist.
///
/// # Errors
/// A database error.
pub async fn each<E>(loader: &By<E>, ids: &[i64]) -> Result<Vec<E::Model>, ApiError>
where
    E: EntityTrait + Sync,
    E::Model: Sync,
    E::Column: Sync,
{
    let found = loader.load_many(ids.iter().copied()).await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.get(id).and_then(|rows| rows.first()).cloned())
        .collect())
}

/// Loads what a loader groups under one key (empty when there is nothing).
///
/// # Errors
/// A database error.
pub async fn many<L, T>(loader: &DataLoader<L>, key: i64) -> Result<Vec<T>, ApiError>
where
    L: Loader<i64, Value = Vec<T>, Error = Arc<DbErr>>,
{
    Ok(loader.load_one(key).await?.unwrap_or_default())
}
