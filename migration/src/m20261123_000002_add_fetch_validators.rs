//! Remembers how each page was fetched, so a live crawl can ask "changed since?" and get a
//! 304 instead of the page: the address fetched (which may differ from the canonical URL the
//! document is keyed by), and the `ETag` and `Last-Modified` the server sent with it. Runs
//! also record the pages they could not fetch or parse.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Document {
    Table,
    SourceUrl,
    Etag,
    LastModified,
}

#[derive(DeriveIden)]
enum IngestRun {
    Table,
    Failures,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            ColumnDef::new(Document::SourceUrl).text().to_owned(),
            ColumnDef::new(Document::Etag).text().to_owned(),
            ColumnDef::new(Document::LastModified).text().to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Document::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(IngestRun::Table)
                    .add_column(
                        ColumnDef::new(IngestRun::Failures)
                            .text()
                            .not_null()
                            .default("[]"),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(IngestRun::Table)
                    .drop_column(IngestRun::Failures)
                    .to_owned(),
            )
            .await?;
        for column in [Document::SourceUrl, Document::Etag, Document::LastModified] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Document::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
