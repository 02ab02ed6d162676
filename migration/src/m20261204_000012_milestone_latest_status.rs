//! Each milestone's latest status, stored (`milestone.latest_status`, one of
//! `entity::DeliveryStatus`'s names): the ingest computes it once after each run, by one rule,
//! and every reader reads it.
//!
//! Rows stored before this migration get it from their progress updates by that rule (the
//! latest dated report stating a status, undated reports last, the later update on the page
//! on one day), and the milestones' timeline events take it too, so a database made by an
//! older caregraph answers the same before its next ingest.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Milestone {
    Table,
    LatestStatus,
}

/// The rule, in SQL both backends read alike: `reported_on IS NULL` sorts the undated last
/// whatever a backend's order of NULLs.
const BACKFILL: &str = "UPDATE milestone SET latest_status = (
    SELECT p.delivery_status FROM progress_update p
    WHERE p.milestone_id = milestone.id AND p.delivery_status IS NOT NULL
    ORDER BY (p.reported_on IS NULL), p.reported_on DESC, p.position DESC, p.id DESC
    LIMIT 1)";

const EVENTS: &str = "UPDATE event SET status = (
    SELECT m.latest_status FROM milestone m WHERE m.id = event.subject_id)
    WHERE kind = 'MILESTONE' AND subject_type = 'Milestone'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Milestone::Table)
                    .add_column(ColumnDef::new(Milestone::LatestStatus).string_len(32))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(BACKFILL).await?;
        db.execute_unprepared(EVENTS).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Milestone::Table)
                    .drop_column(Milestone::LatestStatus)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
