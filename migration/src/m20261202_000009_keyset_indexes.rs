//! Indexes for reading in order from a key: the event feed's (`date`, `kind`, then `end_date`,
//! which replaces the `(date, kind)` index of migration 7: the feed walks it in its order and
//! tests a window's start on the index alone, and counts a window from it), and the export
//! files' row orders, which they page through by the last row's key instead of by `OFFSET`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// The indexes: name, table, columns.
const INDEXES: &[(&str, &str, &[&str])] = &[
    ("idx_event_span", "event", &["date", "kind", "end_date"]),
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

/// The index of migration 7 that `idx_event_span` begins with, and so replaces.
const SUPERSEDED: (&str, &str, &[&str]) = ("idx_event_date", "event", &["date", "kind"]);

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(SUPERSEDED.0)
                    .table(Alias::new(SUPERSEDED.1))
                    .to_owned(),
            )
            .await?;
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
        let mut index = Index::create();
        index.name(SUPERSEDED.0).table(Alias::new(SUPERSEDED.1));
        for column in SUPERSEDED.2 {
            index.col(Alias::new(*column));
        }
        manager.create_index(index.to_owned()).await?;
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
