//! An organisation named by a page in a role (stakeholder, directorate, delivery partner).

use sea_orm::entity::prelude::*;

/// An organisation named by a page in a role (stakeholder, directorate, delivery partner).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// The `name` column.
    pub name: String,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
