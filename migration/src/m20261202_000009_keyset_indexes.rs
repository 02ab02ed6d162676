//! Indexes for reading in order from a key: the event feed's window (`date` and `end_date`
//! together, so counting a window reads the index alone), and the export files' row orders,
//! which they page through by the last row's key instead of by `OFFSET`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// The indexes: name, table, columns.
const INDEXES: &[(&str, &str, &[&str])] = &[
    ("idx_event_window", "event", &["date", "end_date"]),
    (
        "idx_milestone_export",
        "milestone",
        &["document_id", "position", "id"],
    ),
    (
        "idx_workstream_export",
        "workstream",
        &["plan_period", "document_id", "position", "id"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(*name).table(Alias::new(*table));
            for column in *columns {
                index.col(Alias::new(*column));
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            manager
                .drop_index(
                    Index::drop()
                        .name(*name)
                        .table(Alias::new(*table))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
