//! A page that was ingested: one row per URL, holding the copy last read.

use sea_orm::entity::prelude::*;

use crate::vocabulary::{DocumentKind, Site};

/// A page that was ingested: one row per URL, holding the copy last read.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// The `url` column.
    pub url: String,
    /// The `publication_url` column.
    pub publication_url: String,
    /// The `title` column.
    pub title: String,
    /// The `publication_title` column.
    pub publication_title: String,
    /// What kind of page it is.
    pub kind: DocumentKind,
    /// The site template it was read with.
    pub site: Site,
    /// The `published_on` column.
    pub published_on: Option<Date>,
    /// The `fetched_at` column.
    pub fetched_at: DateTimeUtc,
    /// The `content_hash` column.
    pub content_hash: String,
    /// The `strategy_id` column.
    pub strategy_id: Option<i64>,
    /// The `commitment_id` column.
    pub commitment_id: Option<i64>,
    /// The address the stored copy was fetched from (may differ from the canonical `url`).
    pub source_url: Option<String>,
    /// The `ETag` the server sent with the stored copy.
    pub etag: Option<String>,
    /// The `Last-Modified` the server sent with the stored copy.
    pub last_modified: Option<String>,
    /// The page's labelled sections that no reader understood, as a JSON array of
    /// `{"label", "anchor", "form"}` objects.
    pub unread_sections: String,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
