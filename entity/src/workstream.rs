//! A delivery-plan workstream: what will be delivered, why, by whom and when, as one plan page
//! lists it.

use sea_orm::entity::prelude::*;

use crate::vocabulary::DeliveryStatus;

/// A delivery-plan workstream: what will be delivered, why, by whom and when, as one plan page
/// lists it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workstream")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// The plan page it is listed on.
    pub document_id: i64,
    /// The strategy the plan delivers.
    pub strategy_id: Option<i64>,
    /// The priority area of its page (a `strategy_element`).
    pub priority_area_id: Option<i64>,
    /// Its place on the page.
    pub position: i32,
    /// The plan year, "YYYY-YY".
    pub plan_period: String,
    #[sea_orm(column_type = "Text")]
    /// What will be delivered.
    pub deliverable: String,
    #[sea_orm(column_type = "Text")]
    /// Why: a JSON array of paragraphs or bullets.
    pub rationale: String,
    #[sea_orm(column_type = "Text", nullable)]
    /// When, as printed without status words.
    pub due_text: Option<String>,
    /// The last day of the due period.
    pub due_date: Option<Date>,
    /// The status, normalised.
    pub status: Option<DeliveryStatus>,
    /// The status as printed.
    pub status_text: Option<String>,
    #[sea_orm(column_type = "Text")]
    /// Progress reported: a JSON array of sentences, paragraphs or bullets.
    pub progress: String,
    /// The `anchor` column.
    pub anchor: Option<String>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
