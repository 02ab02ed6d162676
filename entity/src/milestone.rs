//! A milestone of a commitment, under the objective heading the page prints above it.

use sea_orm::entity::prelude::*;

use crate::vocabulary::DeliveryStatus;

/// A milestone of a commitment, under the objective heading the page prints above it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "milestone")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// The `commitment_id` column.
    pub commitment_id: i64,
    /// The `document_id` column.
    pub document_id: i64,
    /// The `position` column.
    pub position: i32,
    /// The `objective` column.
    pub objective: Option<String>,
    /// The `title` column.
    pub title: String,
    /// The `date_text` column.
    pub date_text: Option<String>,
    /// The `start_date` column.
    pub start_date: Option<Date>,
    /// The `end_date` column.
    pub end_date: Option<Date>,
    /// The `anchor` column.
    pub anchor: Option<String>,
    /// The status its latest report states, computed across pages after each run (see
    /// `ingest::derive::statuses`); no page states it.
    pub latest_status: Option<DeliveryStatus>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
