//! The first schema: documents and their passages, and every entity read from them.
//!
//! Primary keys of ingested rows are not sequences: the ingest derives them from natural keys
//! (a page's URL, a commitment's number, a milestone's position), so an ID stays the same across
//! re-ingests and across databases. Only `ingest_run` counts up.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

mod idents;

use idents::{
    Commitment, CommitmentItem, Document, DocumentVersion, IngestRun, Mention, Milestone,
    Organisation, OrganisationRole, Passage, ProgressUpdate, Strategy, StrategyElement,
};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

fn id_column<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .big_integer()
        .not_null()
        .primary_key()
        .to_owned()
}

fn index(table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("idx_{table}_{}", columns.join("_")))
        .table(Alias::new(table));
    for column in columns {
        stmt.col(Alias::new(*column));
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Document::Table)
                    .col(id_column(Document::Id))
                    .col(ColumnDef::new(Document::Url).text().not_null().unique_key())
                    .col(ColumnDef::new(Document::PublicationUrl).text().not_null())
                    .col(ColumnDef::new(Document::Title).text().not_null())
                    .col(ColumnDef::new(Document::PublicationTitle).text().not_null())
                    .col(ColumnDef::new(Document::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Document::Site).string_len(32).not_null())
                    .col(ColumnDef::new(Document::PublishedOn).date())
                    .col(
                        ColumnDef::new(Document::FetchedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Document::ContentHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Document::StrategyId).big_integer())
                    .col(ColumnDef::new(Document::CommitmentId).big_integer())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DocumentVersion::Table)
                    .col(
                        ColumnDef::new(DocumentVersion::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(DocumentVersion::DocumentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(DocumentVersion::Url).text().not_null())
                    .col(
                        ColumnDef::new(DocumentVersion::ContentHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DocumentVersion::FetchedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DocumentVersion::RunId)
                            .big_integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Passage::Table)
                    .col(id_column(Passage::Id))
                    .col(ColumnDef::new(Passage::DocumentId).big_integer().not_null())
                    .col(ColumnDef::new(Passage::Position).integer().not_null())
                    .col(ColumnDef::new(Passage::Anchor).text())
                    .col(ColumnDef::new(Passage::Headings).text().not_null())
                    .col(ColumnDef::new(Passage::Text).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Strategy::Table)
                    .col(id_column(Strategy::Id))
                    .col(ColumnDef::new(Strategy::Title).text().not_null())
                    .col(ColumnDef::new(Strategy::PublishedOn).date())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StrategyElement::Table)
                    .col(id_column(StrategyElement::Id))
                    .col(
                        ColumnDef::new(StrategyElement::StrategyId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StrategyElement::DocumentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StrategyElement::Kind)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(StrategyElement::Position)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(StrategyElement::Number).integer())
                    .col(ColumnDef::new(StrategyElement::Name).text().not_null())
                    .col(
                        ColumnDef::new(StrategyElement::Description)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(StrategyElement::Anchor).text())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Commitment::Table)
                    .col(id_column(Commitment::Id))
                    .col(ColumnDef::new(Commitment::Number).integer().not_null())
                    .col(ColumnDef::new(Commitment::ActionPlan).text().not_null())
                    .col(ColumnDef::new(Commitment::Title).text().not_null())
                    .col(ColumnDef::new(Commitment::PeriodText).text())
                    .col(ColumnDef::new(Commitment::PeriodStart).date())
                    .col(ColumnDef::new(Commitment::PeriodEnd).date())
                    .col(ColumnDef::new(Commitment::LeadDirectorate).text())
                    .col(
                        ColumnDef::new(Commitment::DocumentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Commitment::Anchor).text())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CommitmentItem::Table)
                    .col(id_column(CommitmentItem::Id))
                    .col(
                        ColumnDef::new(CommitmentItem::CommitmentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CommitmentItem::DocumentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CommitmentItem::Kind)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CommitmentItem::Position)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(CommitmentItem::Text).text().not_null())
                    .col(ColumnDef::new(CommitmentItem::Anchor).text())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Milestone::Table)
                    .col(id_column(Milestone::Id))
                    .col(
                        ColumnDef::new(Milestone::CommitmentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Milestone::DocumentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Milestone::Position).integer().not_null())
                    .col(ColumnDef::new(Milestone::Objective).text())
                    .col(ColumnDef::new(Milestone::Title).text().not_null())
                    .col(ColumnDef::new(Milestone::DateText).text())
                    .col(ColumnDef::new(Milestone::StartDate).date())
                    .col(ColumnDef::new(Milestone::EndDate).date())
                    .col(ColumnDef::new(Milestone::Anchor).text())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgressUpdate::Table)
                    .col(id_column(ProgressUpdate::Id))
                    .col(
                        ColumnDef::new(ProgressUpdate::DocumentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProgressUpdate::CommitmentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProgressUpdate::Position)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProgressUpdate::ReportTitle)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ProgressUpdate::ReportedOn).date())
                    .col(
                        ColumnDef::new(ProgressUpdate::MilestoneHeading)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ProgressUpdate::Activity).text().not_null())
                    .col(ColumnDef::new(ProgressUpdate::Text).text().not_null())
                    .col(ColumnDef::new(ProgressUpdate::Status).text())
                    .col(ColumnDef::new(ProgressUpdate::MilestoneId).big_integer())
                    .col(ColumnDef::new(ProgressUpdate::Anchor).text())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Organisation::Table)
                    .col(id_column(Organisation::Id))
                    .col(ColumnDef::new(Organisation::Name).text().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrganisationRole::Table)
                    .col(id_column(OrganisationRole::Id))
                    .col(
                        ColumnDef::new(OrganisationRole::OrganisationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrganisationRole::DocumentId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrganisationRole::Role)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrganisationRole::NameAsPrinted)
                            .text()
                            .not_null(),
                    )
                    .col(ColumnDef::new(OrganisationRole::CommitmentId).big_integer())
                    .col(ColumnDef::new(OrganisationRole::StrategyId).big_integer())
                    .col(ColumnDef::new(OrganisationRole::Anchor).text())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Mention::Table)
                    .col(
                        ColumnDef::new(Mention::OrganisationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Mention::PassageId).big_integer().not_null())
                    .col(ColumnDef::new(Mention::DocumentId).big_integer().not_null())
                    .primary_key(
                        Index::create()
                            .col(Mention::OrganisationId)
                            .col(Mention::PassageId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IngestRun::Table)
                    .col(
                        ColumnDef::new(IngestRun::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(IngestRun::StartedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IngestRun::FinishedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(IngestRun::Source).text().not_null())
                    .col(ColumnDef::new(IngestRun::PagesSeen).integer().not_null())
                    .col(ColumnDef::new(IngestRun::Added).integer().not_null())
                    .col(ColumnDef::new(IngestRun::Changed).integer().not_null())
                    .col(ColumnDef::new(IngestRun::Unchanged).integer().not_null())
                    .col(ColumnDef::new(IngestRun::Removed).integer().not_null())
                    .col(ColumnDef::new(IngestRun::Warnings).text().not_null())
                    .to_owned(),
            )
            .await?;

        for stmt in [
            index("passage", &["document_id", "position"]),
            index("strategy_element", &["strategy_id", "kind", "position"]),
            index("strategy_element", &["document_id"]),
            index("commitment", &["document_id"]),
            index("commitment_item", &["commitment_id", "kind", "position"]),
            index("commitment_item", &["document_id"]),
            index("milestone", &["commitment_id", "position"]),
            index("milestone", &["start_date", "end_date"]),
            index("milestone", &["document_id"]),
            index("progress_update", &["milestone_id"]),
            index("progress_update", &["document_id"]),
            index("progress_update", &["commitment_id"]),
            index("organisation_role", &["organisation_id"]),
            index("organisation_role", &["commitment_id"]),
            index("organisation_role", &["strategy_id"]),
            index("organisation_role", &["document_id"]),
            index("mention", &["passage_id"]),
            index("mention", &["document_id"]),
            index("document", &["strategy_id"]),
            index("document", &["kind"]),
            index("document_version", &["document_id"]),
        ] {
            manager.create_index(stmt).await?;
        }

        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Sqlite => {
                // External-content FTS5 table: the text lives once, in `passage`; triggers keep
                // the index in step with every insert and delete the ingest makes.
                for sql in [
                    "CREATE VIRTUAL TABLE passage_fts USING fts5(text, content='passage', content_rowid='id', tokenize='porter unicode61')",
                    "CREATE TRIGGER passage_fts_insert AFTER INSERT ON passage BEGIN INSERT INTO passage_fts(rowid, text) VALUES (new.id, new.text); END",
                    "CREATE TRIGGER passage_fts_delete AFTER DELETE ON passage BEGIN INSERT INTO passage_fts(passage_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
                    "CREATE TRIGGER passage_fts_update AFTER UPDATE ON passage BEGIN INSERT INTO passage_fts(passage_fts, rowid, text) VALUES ('delete', old.id, old.text); INSERT INTO passage_fts(rowid, text) VALUES (new.id, new.text); END",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
            DbBackend::Postgres => {
                for sql in [
                    "ALTER TABLE passage ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED",
                    "CREATE INDEX idx_passage_tsv ON passage USING GIN (tsv)",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
            other => {
                return Err(DbErr::Migration(format!(
                    "caregraph supports SQLite and PostgreSQL, not {other:?}"
                )));
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            manager
                .get_connection()
                .execute_unprepared("DROP TABLE IF EXISTS passage_fts")
                .await?;
        }
        for table in [
            IngestRun::Table.into_iden(),
            Mention::Table.into_iden(),
            OrganisationRole::Table.into_iden(),
            Organisation::Table.into_iden(),
            ProgressUpdate::Table.into_iden(),
            Milestone::Table.into_iden(),
            CommitmentItem::Table.into_iden(),
            Commitment::Table.into_iden(),
            StrategyElement::Table.into_iden(),
            Strategy::Table.into_iden(),
            Passage::Table.into_iden(),
            DocumentVersion::Table.into_iden(),
            Document::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
