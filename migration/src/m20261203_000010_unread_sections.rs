//! What each page printed under a label that no reader understood: its labelled sections
//! that no page kind read, as a JSON array of `{label, anchor, form}`, so a user sees from the
//! API which structure the ingest did not know.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum Document {
    Table,
    UnreadSections,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Document::Table)
                    .add_column(
                        ColumnDef::new(Document::UnreadSections)
                            .text()
                            .not_null()
                            .default("[]"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Document::Table)
                    .drop_column(Document::UnreadSections)
                    .to_owned(),
            )
            .await
    }
}
