//! SQLite's full-text search moves out of the database, into a tantivy index beside the file
//! (see the `ingest` crate's `search_index`): FTS5 scored every match of a common word before
//! keeping the best page. Its table and triggers go, which also spares every passage written an
//! FTS5 update. PostgreSQL keeps its `tsvector` column.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            for sql in [
                "DROP TRIGGER IF EXISTS passage_fts_insert",
                "DROP TRIGGER IF EXISTS passage_fts_delete",
                "DROP TRIGGER IF EXISTS passage_fts_update",
                "DROP TABLE IF EXISTS passage_fts",
            ] {
                manager.get_connection().execute_unprepared(sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            for sql in [
                "CREATE VIRTUAL TABLE passage_fts USING fts5(text, content='passage', content_rowid='id', tokenize='porter unicode61')",
                "CREATE TRIGGER passage_fts_insert AFTER INSERT ON passage BEGIN INSERT INTO passage_fts(rowid, text) VALUES (new.id, new.text); END",
                "CREATE TRIGGER passage_fts_delete AFTER DELETE ON passage BEGIN INSERT INTO passage_fts(passage_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
                "CREATE TRIGGER passage_fts_update AFTER UPDATE ON passage BEGIN INSERT INTO passage_fts(passage_fts, rowid, text) VALUES ('delete', old.id, old.text); INSERT INTO passage_fts(rowid, text) VALUES (new.id, new.text); END",
                "INSERT INTO passage_fts(passage_fts) VALUES ('rebuild')",
            ] {
                manager.get_connection().execute_unprepared(sql).await?;
            }
        }
        Ok(())
    }
}
