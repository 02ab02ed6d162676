//! Keeping the index in step with the database: re-indexing the documents whose content hash or
//! passage count differ, in bounded steps, and dropping the ones that are gone.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tantivy::indexer::{IndexWriterOptions, LogMergePolicy};
use tantivy::{Index, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::index::{Fields, Location, SYNCS, err, location, open_index, schema};
use crate::error::IngestError;

/// Documents whose passages are read from the database per step, so memory stays bounded.
const DOCUMENTS_PER_STEP: usize = 500;
/// The largest segment a merge makes: merging costs memory in proportion to the segments
/// merged, so capping them keeps an ingest's memory bounded however large the index grows
/// (a million passages make four or five segments; a search visits each).
const MAX_MERGED_PASSAGES: usize = 250_000;
/// Steps between commits: what a writer holds until it commits stays bounded too.
const STEPS_PER_COMMIT: usize = 10;
/// The indexing arena: tantivy writes a segment each time it fills. Indexing and merging each
/// get one thread: a sync is part of an ingest, whose memory must stay bounded (tantivy's
/// defaults, four merge threads, doubled the peak of a million-passage ingest).
const WRITER_MEMORY: usize = 20_000_000;
/// How long a sync waits for another process that is updating the same index.
const LOCK_WAIT: Duration = Duration::from_secs(60);

/// A short, stable fingerprint of a document's content hash.
fn stamp(content_hash: &str) -> u64 {
    // FNV-1a: the hash is already a digest; this only folds it into a fast field.
    content_hash.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What a [`sync`] changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncSummary {
    /// Documents whose passages were (re)indexed.
    pub indexed: usize,
    /// Documents dropped from the index because the database no longer has them.
    pub dropped: usize,
}

/// Brings the database's search index up to date with the database: re-indexes every document
/// whose content hash or passage count differs, and drops the documents that are gone. Does
/// nothing on PostgreSQL.
///
/// # Errors
/// A database error, or an index that cannot be opened or written (the message names it).
pub async fn sync(db: &DatabaseConnection) -> Result<SyncSummary, IngestError> {
    let Some(location) = location(db).await? else {
        return Ok(SyncSummary::default());
    };
    let index = open_index(&location)?;
    let (_, fields) = schema();
    let wanted: HashMap<i64, (u64, u64)> = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT d.id AS id, d.content_hash AS hash, \
             (SELECT COUNT(*) FROM passage p WHERE p.document_id = d.id) AS n FROM document d",
        ))
        .await?
        .into_iter()
        .map(|row| {
            let id: i64 = row.try_get("", "id")?;
            let hash: String = row.try_get("", "hash")?;
            let n: i64 = row.try_get("", "n")?;
            Ok((id, (stamp(&hash), u64::try_from(n).unwrap_or(0))))
        })
        .collect::<Result<_, sea_orm::DbErr>>()?;
    let indexed = indexed_documents(&index, fields).map_err(|e| err(&location, e))?;
    let mut stale: Vec<i64> = indexed
        .iter()
        .filter(|(id, have)| wanted.get(id) != Some(have))
        .map(|(id, _)| *id)
        .chain(
            wanted
                .iter()
                .filter(|(id, (_, n))| *n > 0 && !indexed.contains_key(id))
                .map(|(id, _)| *id),
        )
        .collect();
    if stale.is_empty() {
        return Ok(SyncSummary::default());
    }
    stale.sort_unstable();
    let mut writer = writer(&index, &location).await?;
    let mut summary = SyncSummary::default();
    for (step, chunk) in stale.chunks(DOCUMENTS_PER_STEP).enumerate() {
        for id in chunk {
            // Each pending delete holds a query (about 1 KiB) until the commit: only documents
            // the index has get one, and commits come every few steps.
            if indexed.contains_key(id) {
                writer.delete_term(Term::from_field_i64(fields.document, *id));
            }
            match wanted.get(id) {
                Some((_, n)) if *n > 0 => summary.indexed += 1,
                Some(_) => {}
                None => summary.dropped += 1,
            }
        }
        let ids = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        // The IDs are integers read from the database and the index, so joining them is safe.
        let rows = db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                format!(
                    "SELECT id, document_id, text FROM passage WHERE document_id IN ({ids}) ORDER BY id"
                ),
            ))
            .await?;
        for row in rows {
            let document: i64 = row.try_get("", "document_id")?;
            let mut doc = TantivyDocument::default();
            doc.add_i64(fields.passage, row.try_get("", "id")?);
            doc.add_i64(fields.document, document);
            doc.add_u64(fields.stamp, wanted.get(&document).map_or(0, |w| w.0));
            doc.add_text(fields.text, row.try_get::<String>("", "text")?);
            writer.add_document(doc).map_err(|e| err(&location, e))?;
        }
        // A sync that stops half-way leaves an index that the next sync finishes.
        if (step + 1) % STEPS_PER_COMMIT == 0 {
            writer = blocking_commit(&location, move || {
                writer.commit()?;
                Ok(writer)
            })
            .await?;
        }
    }
    blocking_commit(&location, move || {
        writer.commit()?;
        writer.wait_merging_threads()
    })
    .await?;
    tracing::info!(
        indexed = summary.indexed,
        dropped = summary.dropped,
        "search index brought up to date"
    );
    Ok(summary)
}

/// Runs tantivy work that blocks (a commit waits for indexing, and at the end for merges) off
/// the async runtime's threads, and counts the commit for readers in this process.
async fn blocking_commit<T: Send + 'static>(
    location: &Location,
    work: impl FnOnce() -> tantivy::Result<T> + Send + 'static,
) -> Result<T, IngestError> {
    let done = tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| err(location, e))?
        .map_err(|e| err(location, e))?;
    SYNCS.fetch_add(1, Ordering::AcqRel);
    Ok(done)
}

/// Each indexed document's stamp and passage count, read from the fast fields.
fn indexed_documents(index: &Index, fields: Fields) -> tantivy::Result<HashMap<i64, (u64, u64)>> {
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let schema = index.schema();
    let (document, stamp) = (
        schema.get_field_name(fields.document),
        schema.get_field_name(fields.stamp),
    );
    let mut indexed: HashMap<i64, (u64, u64)> = HashMap::new();
    for segment in searcher.segment_readers() {
        let documents = segment.fast_fields().i64(document)?;
        let stamps = segment.fast_fields().u64(stamp)?;
        for doc in segment.doc_ids_alive() {
            if let (Some(id), Some(s)) = (documents.first(doc), stamps.first(doc)) {
                let entry = indexed.entry(id).or_insert((s, 0));
                entry.0 = s;
                entry.1 += 1;
            }
        }
    }
    Ok(indexed)
}

/// The index's writer, waiting while another process (an ingest, a starting server) holds it.
async fn writer(index: &Index, location: &Location) -> Result<IndexWriter, IngestError> {
    let started = std::time::Instant::now();
    loop {
        let options = IndexWriterOptions::builder()
            .memory_budget_per_thread(WRITER_MEMORY)
            .num_worker_threads(1)
            .num_merge_threads(1)
            .build();
        match index.writer_with_options(options) {
            Ok(writer) => {
                let mut merges = LogMergePolicy::default();
                merges.set_max_docs_before_merge(MAX_MERGED_PASSAGES);
                writer.set_merge_policy(Box::new(merges));
                return Ok(writer);
            }
            Err(tantivy::TantivyError::LockFailure(..)) if started.elapsed() < LOCK_WAIT => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => return Err(err(location, e)),
        }
    }
}
