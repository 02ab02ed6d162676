//! What a stored version of a page said, kept once per distinct text.

use sea_orm::entity::prelude::*;

/// What a stored version of a page said, kept once per distinct text.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "version_text")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `text_hash` column: SHA-256 of the passages (see `ingest::texts`).
    pub text_hash: String,
    /// The `passages` column: the passages, encoded by `ingest::texts`.
    pub passages: Vec<u8>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
