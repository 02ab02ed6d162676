//! A name key that stands for an older organisation, renamed: see the ingest's identity rules.

use sea_orm::entity::prelude::*;

/// A name key that stands for an older organisation, renamed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation_rename")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The ID the new name gives (`ids::organisation`).
    pub from_id: i64,
    /// The organisation it names: the one that kept its ID.
    pub to_id: i64,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
