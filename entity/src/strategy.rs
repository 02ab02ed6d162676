//! A strategy, made of the documents that publish, develop or deliver it.

use sea_orm::entity::prelude::*;

/// A strategy, made of the documents that publish, develop or deliver it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "strategy")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// The `title` column.
    pub title: String,
    /// The `published_on` column.
    pub published_on: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    /// The publication that a page of this strategy says refreshes or replaces it.
    pub superseded_by_url: Option<String>,
    /// The strategy of that publication, once it is stored.
    pub superseded_by_id: Option<i64>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
