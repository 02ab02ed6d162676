//! Delivery statuses of progress updates: the next steps when a report gives them apart, the
//! status as printed (`status_text`), and the status normalised (`delivery_status`, one of
//! `entity::DeliveryStatus`'s names).
//!
//! `status` keeps what it always held, the printed status line, so an older caregraph reading
//! the database still finds it; rows stored before this migration get `status_text` from it,
//! and `delivery_status` from its words, so a database made by an older caregraph answers the
//! new fields without a re-ingest.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum ProgressUpdate {
    Table,
    NextSteps,
    StatusText,
    DeliveryStatus,
}

/// Stored names by the words of the printed status, most specific first ("not started" before
/// anything that might also match a part of it).
const BACKFILL: &str = "UPDATE progress_update SET status_text = status, delivery_status = CASE
    WHEN lower(status) LIKE '%not%started%' THEN 'NOT_STARTED'
    WHEN lower(status) LIKE '%behind schedule%' OR lower(status) LIKE '%delayed%' THEN 'BEHIND_SCHEDULE'
    WHEN lower(status) LIKE '%on schedule%' OR lower(status) LIKE '%on track%' THEN 'ON_TRACK'
    WHEN lower(status) LIKE '%in progress%' OR lower(status) LIKE '%ongoing%' THEN 'IN_PROGRESS'
    WHEN lower(status) LIKE '%complete%' THEN 'COMPLETED'
    END
    WHERE status IS NOT NULL";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            ColumnDef::new(ProgressUpdate::NextSteps).text().to_owned(),
            ColumnDef::new(ProgressUpdate::StatusText).text().to_owned(),
            ColumnDef::new(ProgressUpdate::DeliveryStatus)
                .string_len(32)
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ProgressUpdate::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .get_connection()
            .execute_unprepared(BACKFILL)
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            ProgressUpdate::NextSteps,
            ProgressUpdate::StatusText,
            ProgressUpdate::DeliveryStatus,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ProgressUpdate::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
