//! The first migration's indexes, and full-text search, the one part where the backends differ.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

fn index(table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("idx_{table}_{}", columns.join("_")))
        .table(Alias::new(table));
    for column in columns {
        stmt.col(Alias::new(*column));
    }
    stmt.to_owned()
}

/// The indexes the loaders' and filters' statements use.
pub(super) async fn create_indexes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    Ok(())
}

/// Full-text search over passages: FTS5 on SQLite, a generated `tsvector` on PostgreSQL.
pub(super) async fn create_search(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
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
