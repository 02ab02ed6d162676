//! A named part of a strategy read off one of its pages: an aim, a priority area, a domain, a vision statement or a standard.

use sea_orm::entity::prelude::*;

use crate::vocabulary::StrategyElementKind;

/// A named part of a strategy read off one of its pages: an aim, a priority area, a domain, a vision statement or a standard.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "strategy_element")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// The `strategy_id` column.
    pub strategy_id: i64,
    /// The `document_id` column.
    pub document_id: i64,
    /// What kind of element it is.
    pub kind: StrategyElementKind,
    /// The `position` column.
    pub position: i32,
    /// The `number` column.
    pub number: Option<i32>,
    /// The `name` column.
    pub name: String,
    #[sea_orm(column_type = "Text")]
    /// The `description` column.
    pub description: String,
    /// The `anchor` column.
    pub anchor: Option<String>,
    /// The element this one restates (an aim or priority area repeated on another page of
    /// the strategy family is one element with several sources); its own ID when it is the
    /// first statement, or `NULL` until the pass after a run sets it.
    pub canonical_id: Option<i64>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
