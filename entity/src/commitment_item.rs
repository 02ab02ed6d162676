//! A listed item of a commitment: a problem, a status-quo item, a co-design principle or an OGP value.

use sea_orm::entity::prelude::*;

use crate::vocabulary::CommitmentItemKind;

/// A listed item of a commitment: a problem, a status-quo item, a co-design principle or an OGP value.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commitment_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// The `commitment_id` column.
    pub commitment_id: i64,
    /// The `document_id` column.
    pub document_id: i64,
    /// What kind of item it is.
    pub kind: CommitmentItemKind,
    /// The `position` column.
    pub position: i32,
    #[sea_orm(column_type = "Text")]
    /// The `text` column.
    pub text: String,
    /// The `anchor` column.
    pub anchor: Option<String>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
