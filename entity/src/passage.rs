//! A paragraph or list item of a page, with the headings above it.

use sea_orm::entity::prelude::*;

/// A paragraph or list item of a page, with the headings above it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "passage")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// The `document_id` column.
    pub document_id: i64,
    /// The `position` column.
    pub position: i32,
    /// The `anchor` column.
    pub anchor: Option<String>,
    #[sea_orm(column_type = "Text")]
    /// The `headings` column.
    pub headings: String,
    #[sea_orm(column_type = "Text")]
    /// The `text` column.
    pub text: String,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
