//! Another name the pages use for an organisation: an acronym printed after its full name.

use sea_orm::entity::prelude::*;

/// Another name the pages use for an organisation: an acronym printed after its full name.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation_alias")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `organisation_id` column.
    pub organisation_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `alias` column.
    pub alias: String,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
