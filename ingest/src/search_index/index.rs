//! The index itself: its schema, where it lives beside an SQLite database file, and opening it
//! (rebuilding one whose schema an older caregraph wrote).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::AtomicU64;

use sea_orm::{DatabaseConnection, DbBackend};
use tantivy::Index;
use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
};

use crate::error::IngestError;

/// Syncs committed by this process: a reader that has seen fewer reloads before it searches, so
/// a search right after an ingest in the same process sees it. (Commits by another process are
/// seen by the reader's file watcher, within about a second.)
pub(super) static SYNCS: AtomicU64 = AtomicU64::new(0);

/// The fields of an indexed passage.
#[derive(Clone, Copy)]
pub(super) struct Fields {
    pub(super) passage: Field,
    pub(super) document: Field,
    pub(super) stamp: Field,
    pub(super) text: Field,
}

/// The index's schema, and its fields.
pub(super) fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("en_stem")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        passage: builder.add_i64_field("passage", FAST),
        document: builder.add_i64_field("document", INDEXED | FAST),
        stamp: builder.add_u64_field("stamp", FAST),
        text: builder.add_text_field("text", text),
    };
    (builder.build(), fields)
}

/// Where a database's index lives.
pub(super) enum Location {
    Dir(PathBuf),
    /// An in-memory SQLite database: its index is in memory too, one per process.
    Memory,
}

impl Location {
    pub(super) fn describe(&self) -> String {
        match self {
            Self::Dir(dir) => dir.display().to_string(),
            Self::Memory => "in memory".to_owned(),
        }
    }
}

/// An index error, naming the index.
pub(super) fn err(location: &Location, e: impl std::fmt::Display) -> IngestError {
    IngestError::Search {
        index: location.describe(),
        detail: e.to_string(),
    }
}

/// The index's folder for an SQLite database file.
pub fn dir_for(database_file: &Path) -> PathBuf {
    let mut name = database_file.as_os_str().to_owned();
    name.push(".search");
    PathBuf::from(name)
}

/// Where `db`'s index lives; `None` on PostgreSQL, which has none.
pub(super) async fn location(db: &DatabaseConnection) -> Result<Option<Location>, IngestError> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(None);
    }
    Ok(Some(match crate::store::sqlite_file(db).await? {
        Some(file) => Location::Dir(dir_for(&file)),
        None => Location::Memory,
    }))
}

/// Opens (or creates) the index at `location`.
pub(super) fn open_index(location: &Location) -> Result<Index, IngestError> {
    let (schema, _) = schema();
    match location {
        Location::Memory => {
            static MEMORY: OnceLock<Index> = OnceLock::new();
            Ok(MEMORY.get_or_init(|| Index::create_in_ram(schema)).clone())
        }
        Location::Dir(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| err(location, e))?;
            let open = || -> tantivy::Result<Index> {
                Index::open_or_create(MmapDirectory::open(dir)?, schema.clone())
            };
            match open() {
                Ok(index) => Ok(index),
                // Built by a caregraph with another schema: the database has everything needed
                // to build it again.
                Err(tantivy::TantivyError::SchemaError(why)) => {
                    tracing::warn!(index = %dir.display(), "rebuilding the search index: {why}");
                    std::fs::remove_dir_all(dir).map_err(|e| err(location, e))?;
                    std::fs::create_dir_all(dir).map_err(|e| err(location, e))?;
                    open().map_err(|e| err(location, e))
                }
                Err(e) => Err(err(location, e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_sits_beside_the_database_file() {
        assert_eq!(
            dir_for(Path::new("/data/caregraph.db")),
            PathBuf::from("/data/caregraph.db.search")
        );
    }
}
