//! Delivery plans and the strategy family: workstreams, strategy commitments, the elements
//! that restate another (`strategy_element.canonical_id`), the strategy that replaced one
//! (`strategy.superseded_by_url`, as a page of it
//! names it, and `superseded_by_id` once that publication is stored) and the workstream a lead leads (`organisation_role.workstream_id`).
//!
//! The new columns are nullable and set by the pass after each run, so a database made by an
//! older caregraph keeps answering: an element with no `canonical_id` is its own.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Workstream {
    Table,
    Id,
    DocumentId,
    StrategyId,
    PriorityAreaId,
    Position,
    PlanPeriod,
    Deliverable,
    Rationale,
    DueText,
    DueDate,
    Status,
    StatusText,
    Progress,
    Anchor,
}

#[derive(DeriveIden)]
enum StrategyCommitment {
    Table,
    Id,
    StrategyId,
    DocumentId,
    AreaId,
    Position,
    Text,
    DateText,
    DueDate,
    Anchor,
}

#[derive(DeriveIden)]
enum StrategyElement {
    Table,
    CanonicalId,
}

#[derive(DeriveIden)]
enum Strategy {
    Table,
    SupersededByUrl,
    SupersededById,
}

#[derive(DeriveIden)]
enum OrganisationRole {
    Table,
    WorkstreamId,
}

/// One index on one column.
fn index(name: &str, table: impl IntoIden, column: impl IntoIden) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(table)
        .col(column)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Workstream::Table)
                    .col(
                        ColumnDef::new(Workstream::Id)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(Workstream::DocumentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Workstream::StrategyId).big_integer())
                    .col(ColumnDef::new(Workstream::PriorityAreaId).big_integer())
                    .col(ColumnDef::new(Workstream::Position).integer().not_null())
                    .col(
                        ColumnDef::new(Workstream::PlanPeriod)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Workstream::Deliverable).text().not_null())
                    .col(ColumnDef::new(Workstream::Rationale).text().not_null())
                    .col(ColumnDef::new(Workstream::DueText).text())
                    .col(ColumnDef::new(Workstream::DueDate).date())
                    .col(ColumnDef::new(Workstream::Status).string_len(32))
                    .col(ColumnDef::new(Workstream::StatusText).text())
                    .col(ColumnDef::new(Workstream::Progress).text().not_null())
                    .col(ColumnDef::new(Workstream::Anchor).text())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StrategyCommitment::Table)
                    .col(
                        ColumnDef::new(StrategyCommitment::Id)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(StrategyCommitment::StrategyId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StrategyCommitment::DocumentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(StrategyCommitment::AreaId).big_integer())
                    .col(
                        ColumnDef::new(StrategyCommitment::Position)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(StrategyCommitment::Text).text().not_null())
                    .col(ColumnDef::new(StrategyCommitment::DateText).text())
                    .col(ColumnDef::new(StrategyCommitment::DueDate).date())
                    .col(ColumnDef::new(StrategyCommitment::Anchor).text())
                    .to_owned(),
            )
            .await?;
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(StrategyElement::Table)
                    .add_column(ColumnDef::new(StrategyElement::CanonicalId).big_integer())
                    .to_owned(),
            )
            .await?;
        for column in [
            ColumnDef::new(Strategy::SupersededByUrl).text().to_owned(),
            ColumnDef::new(Strategy::SupersededById)
                .big_integer()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Strategy::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(OrganisationRole::Table)
                    .add_column(ColumnDef::new(OrganisationRole::WorkstreamId).big_integer())
                    .to_owned(),
            )
            .await?;
        for statement in [
            index(
                "idx_workstream_document",
                Workstream::Table,
                Workstream::DocumentId,
            ),
            index(
                "idx_workstream_strategy",
                Workstream::Table,
                Workstream::StrategyId,
            ),
            index(
                "idx_workstream_priority_area",
                Workstream::Table,
                Workstream::PriorityAreaId,
            ),
            index(
                "idx_workstream_due_date",
                Workstream::Table,
                Workstream::DueDate,
            ),
            index(
                "idx_strategy_commitment_strategy",
                StrategyCommitment::Table,
                StrategyCommitment::StrategyId,
            ),
            index(
                "idx_strategy_commitment_document",
                StrategyCommitment::Table,
                StrategyCommitment::DocumentId,
            ),
            index(
                "idx_strategy_element_canonical",
                StrategyElement::Table,
                StrategyElement::CanonicalId,
            ),
            index(
                "idx_organisation_role_workstream",
                OrganisationRole::Table,
                OrganisationRole::WorkstreamId,
            ),
        ] {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "idx_organisation_role_workstream",
            "idx_strategy_element_canonical",
        ] {
            manager
                .drop_index(Index::drop().name(name).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(OrganisationRole::Table)
                    .drop_column(OrganisationRole::WorkstreamId)
                    .to_owned(),
            )
            .await?;
        for column in [Strategy::SupersededById, Strategy::SupersededByUrl] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Strategy::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(StrategyElement::Table)
                    .drop_column(StrategyElement::CanonicalId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(StrategyCommitment::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Workstream::Table).to_owned())
            .await
    }
}
