//! The change feed: what each ingest run added, removed or changed, entity by entity
//! (`change`), and field by field (`change_field`). Written in the run's own transaction, so a
//! reader sees a change together with the data it describes, or neither. Also the names that
//! runs found to be organisations renamed (`organisation_rename`), so that a renamed
//! organisation keeps its ID. A change's ID is its
//! run's ID in the high 32 bits and its number within the run below, so runs never collide.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Change {
    Table,
    Id,
    RunId,
    At,
    Action,
    SubjectType,
    SubjectId,
    Label,
    DocumentId,
    SourceUrl,
    SourceTitle,
    SourceFetchedAt,
    SourceHash,
}

#[derive(DeriveIden)]
enum ChangeField {
    Table,
    Id,
    ChangeId,
    Field,
    Before,
    After,
}

/// An organisation's name key that a run found to be an older organisation renamed: the
/// name's ID (`from_id`, as `ids::organisation` gives it) stands for the kept one (`to_id`).
#[derive(DeriveIden)]
enum OrganisationRename {
    Table,
    FromId,
    ToId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Change::Table)
                    .col(
                        ColumnDef::new(Change::Id)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Change::RunId).big_integer().not_null())
                    .col(
                        ColumnDef::new(Change::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Change::Action).string_len(16).not_null())
                    .col(
                        ColumnDef::new(Change::SubjectType)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Change::SubjectId).big_integer().not_null())
                    .col(ColumnDef::new(Change::Label).text().not_null())
                    .col(ColumnDef::new(Change::DocumentId).big_integer())
                    .col(ColumnDef::new(Change::SourceUrl).text())
                    .col(ColumnDef::new(Change::SourceTitle).text())
                    .col(ColumnDef::new(Change::SourceFetchedAt).timestamp_with_time_zone())
                    .col(ColumnDef::new(Change::SourceHash).string_len(64))
                    .to_owned(),
            )
            .await?;
        // The feed is read newest first (by ID) from a time, by run, by subject and by page.
        for (name, column) in [
            ("idx_change_at", Change::At),
            ("idx_change_run", Change::RunId),
            ("idx_change_subject", Change::SubjectId),
            ("idx_change_document", Change::DocumentId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Change::Table)
                        .col(column)
                        .col(Change::Id)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ChangeField::Table)
                    .col(
                        ColumnDef::new(ChangeField::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ChangeField::ChangeId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ChangeField::Field).string_len(64).not_null())
                    .col(ColumnDef::new(ChangeField::Before).text())
                    .col(ColumnDef::new(ChangeField::After).text())
                    .to_owned(),
            )
            .await?;
        // A change's fields, and the changes of one field ("what slipped": `endDate`).
        for (name, first, second) in [
            (
                "idx_change_field_change",
                ChangeField::ChangeId,
                ChangeField::Id,
            ),
            (
                "idx_change_field_field",
                ChangeField::Field,
                ChangeField::ChangeId,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ChangeField::Table)
                        .col(first)
                        .col(second)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(OrganisationRename::Table)
                    .col(
                        ColumnDef::new(OrganisationRename::FromId)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(OrganisationRename::ToId)
                            .big_integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OrganisationRename::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ChangeField::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Change::Table).to_owned())
            .await
    }
}
