//! The timeline's events as rows (`event`), recomputed by the pass after each run, so that
//! `events(first, after, filter)` selects and pages them in SQL on both backends, and the
//! co-creation pages' dated meetings are read once per run rather than on every request.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Event {
    Table,
    Id,
    Kind,
    Date,
    EndDate,
    Title,
    SubjectType,
    SubjectId,
    Status,
    CommitmentId,
    StrategyId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Event::Table)
                    .col(
                        ColumnDef::new(Event::Id)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Event::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Event::Date).date().not_null())
                    .col(ColumnDef::new(Event::EndDate).date())
                    .col(ColumnDef::new(Event::Title).text().not_null())
                    .col(ColumnDef::new(Event::SubjectType).string_len(32).not_null())
                    .col(ColumnDef::new(Event::SubjectId).big_integer().not_null())
                    .col(ColumnDef::new(Event::Status).string_len(32))
                    .col(ColumnDef::new(Event::CommitmentId).big_integer())
                    .col(ColumnDef::new(Event::StrategyId).big_integer())
                    .to_owned(),
            )
            .await?;
        // The feed's order, and its window's first bound.
        manager
            .create_index(
                Index::create()
                    .name("idx_event_date")
                    .table(Event::Table)
                    .col(Event::Date)
                    .col(Event::Kind)
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_event_commitment", Event::CommitmentId),
            ("idx_event_strategy", Event::StrategyId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Event::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Event::Table).to_owned())
            .await
    }
}
