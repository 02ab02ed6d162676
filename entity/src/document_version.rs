//! Every distinct copy of a page an ingest run has stored, oldest first.

use sea_orm::entity::prelude::*;

/// Every distinct copy of a page an ingest run has stored, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    /// The `id` column.
    pub id: i64,
    /// The `document_id` column.
    pub document_id: i64,
    /// The `url` column.
    pub url: String,
    /// The `content_hash` column.
    pub content_hash: String,
    /// The `fetched_at` column.
    pub fetched_at: DateTimeUtc,
    /// The `run_id` column.
    pub run_id: i64,
    /// The `text_hash` column: the `version_text` row of what this version said; null for
    /// versions stored before texts were kept.
    pub text_hash: Option<String>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
