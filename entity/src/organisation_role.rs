//! An organisation's role in a commitment or a strategy, as one page states it.

use sea_orm::entity::prelude::*;

use crate::vocabulary::OrganisationRole;

/// An organisation's role in a commitment or a strategy, as one page states it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation_role")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// The `organisation_id` column.
    pub organisation_id: i64,
    /// The `document_id` column.
    pub document_id: i64,
    /// The role.
    pub role: OrganisationRole,
    /// The `name_as_printed` column.
    pub name_as_printed: String,
    /// The `commitment_id` column.
    pub commitment_id: Option<i64>,
    /// The `strategy_id` column.
    pub strategy_id: Option<i64>,
    /// The `anchor` column.
    pub anchor: Option<String>,
    /// The workstream it leads, for a workstream lead.
    pub workstream_id: Option<i64>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
