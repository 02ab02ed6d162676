//! A passage that names an organisation.

use sea_orm::entity::prelude::*;

/// A passage that names an organisation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mention")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `organisation_id` column.
    pub organisation_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `passage_id` column.
    pub passage_id: i64,
    /// The `document_id` column.
    pub document_id: i64,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
