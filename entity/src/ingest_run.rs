//! One run of the ingest, with what it found.

use sea_orm::entity::prelude::*;

/// One run of the ingest, with what it found.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ingest_run")]
pub struct Model {
    #[sea_orm(primary_key)]
    /// The `id` column.
    pub id: i64,
    /// The `started_at` column.
    pub started_at: DateTimeUtc,
    /// The `finished_at` column.
    pub finished_at: DateTimeUtc,
    /// The `source` column.
    pub source: String,
    /// The `pages_seen` column.
    pub pages_seen: i32,
    /// The `added` column.
    pub added: i32,
    /// The `changed` column.
    pub changed: i32,
    /// The `unchanged` column.
    pub unchanged: i32,
    /// The `removed` column.
    pub removed: i32,
    #[sea_orm(column_type = "Text")]
    /// The `warnings` column.
    pub warnings: String,
    /// Pages the run could not fetch or parse, with why (a JSON list of strings).
    #[sea_orm(column_type = "Text")]
    pub failures: String,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
