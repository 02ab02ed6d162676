//! One field of a change, with its value before and after as text.

use sea_orm::entity::prelude::*;

/// One field of a change, with its value before and after as text.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_field")]
pub struct Model {
    #[sea_orm(primary_key)]
    /// The `id` column.
    pub id: i64,
    /// The change it belongs to.
    pub change_id: i64,
    /// The field's name in the API (`endDate`, `status`, ...).
    pub field: String,
    #[sea_orm(column_type = "Text", nullable)]
    /// Its value before the run; null when it had none.
    pub before: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    /// Its value after the run; null when it has none.
    pub after: Option<String>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
