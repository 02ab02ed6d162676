//! One entity added, removed or changed by one ingest run: the change feed's rows.

use sea_orm::entity::prelude::*;

use crate::vocabulary::{ChangeAction, SubjectType};

/// One entity added, removed or changed by one ingest run.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column: the run's ID in the high 32 bits, the change's number in the run below.
    pub id: i64,
    /// The ingest run that made it.
    pub run_id: i64,
    /// When that run stored it.
    pub at: DateTimeUtc,
    /// ADDED, REMOVED or CHANGED.
    pub action: ChangeAction,
    /// The GraphQL type of the entity (`Milestone`, `Workstream`, ...).
    pub subject_type: SubjectType,
    /// The entity's row ID, kept after it is removed.
    pub subject_id: i64,
    #[sea_orm(column_type = "Text")]
    /// A human-readable name for the entity at the time.
    pub label: String,
    /// The document it was read from (which may since have been removed).
    pub document_id: Option<i64>,
    #[sea_orm(column_type = "Text", nullable)]
    /// That page's URL, with the entity's anchor where it has one.
    pub source_url: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    /// That page's title.
    pub source_title: Option<String>,
    /// When that copy of the page was fetched.
    pub source_fetched_at: Option<DateTimeUtc>,
    /// The SHA-256 of that copy.
    pub source_hash: Option<String>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
