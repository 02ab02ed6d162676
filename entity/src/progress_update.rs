//! One milestone's update in a progress report.

use sea_orm::entity::prelude::*;

/// One milestone's update in a progress report.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "progress_update")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// The `document_id` column.
    pub document_id: i64,
    /// The `commitment_id` column.
    pub commitment_id: i64,
    /// The `position` column.
    pub position: i32,
    /// The `report_title` column.
    pub report_title: String,
    /// The `reported_on` column.
    pub reported_on: Option<Date>,
    /// The `milestone_heading` column.
    pub milestone_heading: String,
    #[sea_orm(column_type = "Text")]
    /// The `activity` column.
    pub activity: String,
    #[sea_orm(column_type = "Text")]
    /// The `text` column.
    pub text: String,
    /// The `status` column: the printed status line, as caregraph stored it before
    /// `status_text`; still written, the same as `status_text`, for older readers.
    pub status: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    /// The `next_steps` column: the next steps, when the report gives them apart.
    pub next_steps: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    /// The `status_text` column: the status as printed ("On schedule.").
    pub status_text: Option<String>,
    /// The `delivery_status` column: the status, normalised.
    pub delivery_status: Option<crate::DeliveryStatus>,
    /// The `milestone_id` column.
    pub milestone_id: Option<i64>,
    /// How well the linked milestone matched, in thousandths (null when unlinked).
    pub link_score: Option<i32>,
    /// By how much it beat the next-best milestone, in thousandths (its whole score when no
    /// other scored).
    pub link_margin: Option<i32>,
    /// The evidence that scored, comma-separated: `ACTIVITY`, `MILESTONE`, `DATES`, `TEXT`,
    /// `OBJECTIVE`.
    pub link_evidence: Option<String>,
    /// The `anchor` column.
    pub anchor: Option<String>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
