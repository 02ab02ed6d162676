//! A dated event of the timeline, recomputed from the stored pages after every run: a
//! milestone's dates, a progress report, a publication, a commitment's period, a workstream's
//! due date, a strategy commitment's deadline or a co-creation page's dated meeting.

use sea_orm::entity::prelude::*;

use crate::vocabulary::{DeliveryStatus, EventKind, SubjectType};

/// A dated event of the timeline.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    /// The `id` column.
    pub id: i64,
    /// What the event marks.
    pub kind: EventKind,
    /// The day it starts (or happens).
    pub date: Date,
    /// The last day, for an event that spans a range.
    pub end_date: Option<Date>,
    #[sea_orm(column_type = "Text")]
    /// What happens.
    pub title: String,
    /// The type of the row it is about (`Milestone`, `Document`, `Commitment`, `Workstream`,
    /// `StrategyCommitment`).
    pub subject_type: SubjectType,
    /// That row's ID.
    pub subject_id: i64,
    /// The latest status of the milestone or workstream it is about.
    pub status: Option<DeliveryStatus>,
    /// The commitment it belongs to, if any.
    pub commitment_id: Option<i64>,
    /// The strategy it belongs to, if any.
    pub strategy_id: Option<i64>,
}

/// No declared relations: joins go through explicit queries and loaders.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
