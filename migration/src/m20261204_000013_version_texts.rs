//! What each stored version of a page said: its passages as the ingest read them, kept once per
//! distinct text (`version_text`, keyed by the text's hash) and named by each version
//! (`document_version.text_hash`). Versions stored before this migration have no text
//! (`text_hash` is null), and the API says so rather than guess.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum VersionText {
    Table,
    TextHash,
    Passages,
}

#[derive(DeriveIden)]
enum DocumentVersion {
    Table,
    TextHash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(VersionText::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(VersionText::TextHash)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(VersionText::Passages).blob().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(DocumentVersion::Table)
                    .add_column(ColumnDef::new(DocumentVersion::TextHash).string_len(64))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DocumentVersion::Table)
                    .drop_column(DocumentVersion::TextHash)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(VersionText::Table).to_owned())
            .await?;
        Ok(())
    }
}
