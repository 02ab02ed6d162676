//! A commitment of an Open Government action plan, read off its overview page.

use sea_orm::entity::prelude::*;

/// A commitment of an Open Government action plan, read off its overview page.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commitment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// The `number` column.
    pub number: i32,
    /// The `action_plan` column.
    pub action_plan: String,
    /// The `title` column.
    pub title: String,
    /// The `period_text` column.
    pub period_text: Option<String>,
    /// The `period_start` column.
    pub period_start: Option<Date>,
    /// The `period_end` column.
    pub period_end: Option<Date>,
    /// The `lead_directorate` column.
    pub lead_directorate: Option<String>,
    /// The `document_id` column.
    pub document_id: i64,
    /// The `anchor` column.
    pub anchor: Option<String>,
}

impl Model {
    /// The commitment as every surface names it: "Commitment 2: Improving and increasing …",
    /// its number and its title as the action plan prints them.
    pub fn label(&self) -> String {
        format!("Commitment {}: {}", self.number, self.title)
    }
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
