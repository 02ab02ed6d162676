//! A dated promise in a strategy's prose ("By July 2018, we will ...") or a bullet of its
//! "We will:" and "Our Commitments:" lists.

use sea_orm::entity::prelude::*;

/// A dated promise in a strategy's prose ("By July 2018, we will ...") or a bullet of its
/// "We will:" and "Our Commitments:" lists.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "strategy_commitment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// The strategy whose page states it.
    pub strategy_id: i64,
    /// The page that states it.
    pub document_id: i64,
    /// The domain or priority area (a `strategy_element`) it sits under.
    pub area_id: Option<i64>,
    /// Its place on the page.
    pub position: i32,
    #[sea_orm(column_type = "Text")]
    /// The promise.
    pub text: String,
    /// Its date phrase ("By July 2018").
    pub date_text: Option<String>,
    /// The last day of the date phrase's period.
    pub due_date: Option<Date>,
    /// The `anchor` column.
    pub anchor: Option<String>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
