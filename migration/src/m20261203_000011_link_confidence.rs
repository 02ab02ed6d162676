//! How sure the ingest is of each progress update's link to its milestone: the winning score
//! and its margin over the runner-up (both in thousandths), and the evidence that scored
//! (a comma-separated list: `ACTIVITY`, `MILESTONE`, `DATES`, `TEXT`, `OBJECTIVE`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum ProgressUpdate {
    Table,
    LinkScore,
    LinkMargin,
    LinkEvidence,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            ColumnDef::new(ProgressUpdate::LinkScore)
                .integer()
                .to_owned(),
            ColumnDef::new(ProgressUpdate::LinkMargin)
                .integer()
                .to_owned(),
            ColumnDef::new(ProgressUpdate::LinkEvidence)
                .text()
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
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            ProgressUpdate::LinkScore,
            ProgressUpdate::LinkMargin,
            ProgressUpdate::LinkEvidence,
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
