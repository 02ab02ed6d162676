//! The search index of an SQLite database: every passage's text in a tantivy index beside the
//! database file (`caregraph.db` → `caregraph.db.search/`).
//!
//! SQLite's FTS5 scores every passage that matches before it can keep the best page, so a word
//! that most pages use cost half a second at a million passages. Tantivy's block-max WAND skips
//! the blocks of matches that cannot reach the page. PostgreSQL keeps its full-text index in the
//! database, where every server shares it, and has no index here.
//!
//! The index follows the database, never the other way round. [`sync`] compares each document's
//! content hash and passage count in both and re-indexes the documents that differ. Every run
//! syncs after its commit, and the server syncs when it starts, so an index that was deleted,
//! left stale by a crash or built by an older caregraph heals itself.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tantivy::collector::TopDocs;
use tantivy::directory::MmapDirectory;
use tantivy::indexer::{IndexWriterOptions, LogMergePolicy};
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::IngestError;

/// How many words of a search string count (the rest are ignored).
const MAX_QUERY_WORDS: usize = 32;
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
/// Syncs committed by this process: a reader that has seen fewer reloads before it searches, so
/// a search right after an ingest in the same process sees it. (Commits by another process are
/// seen by the reader's file watcher, within about a second.)
static SYNCS: AtomicU64 = AtomicU64::new(0);
/// The longest snippet, in characters.
const SNIPPET_CHARS: usize = 200;

#[derive(Clone, Copy)]
struct Fields {
    passage: Field,
    document: Field,
    stamp: Field,
    text: Field,
}

fn schema() -> (Schema, Fields) {
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
enum Location {
    Dir(PathBuf),
    /// An in-memory SQLite database: its index is in memory too, one per process.
    Memory,
}

impl Location {
    fn describe(&self) -> String {
        match self {
            Self::Dir(dir) => dir.display().to_string(),
            Self::Memory => "in memory".to_owned(),
        }
    }
}

fn err(location: &Location, e: impl std::fmt::Display) -> IngestError {
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

async fn location(db: &DatabaseConnection) -> Result<Option<Location>, IngestError> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(None);
    }
    let file: String = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
        ))
        .await?
        .map(|row| row.try_get("", "file"))
        .transpose()?
        .unwrap_or_default();
    Ok(Some(if file.is_empty() {
        Location::Memory
    } else {
        Location::Dir(dir_for(Path::new(&file)))
    }))
}

fn open_index(location: &Location) -> Result<Index, IngestError> {
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

/// A database's search index, open for searching. It sees each sync's commit, by this process
/// or another, within about a second.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// The value of [`SYNCS`] the reader last reloaded at.
    seen: AtomicU64,
    fields: Fields,
    location: Location,
}

/// One page of ranked passages.
pub struct Ranked {
    /// Passage IDs with their scores, best first.
    pub hits: Vec<(i64, f32)>,
    /// Every matching passage, when counting was asked for.
    pub total: Option<usize>,
    snippets: Option<SnippetGenerator>,
}

impl Ranked {
    /// A passage's snippet as HTML: an extract of its text around the matches, escaped, with
    /// the matches in `<mark>`.
    pub fn snippet_html(&self, text: &str) -> String {
        if let Some(generator) = &self.snippets {
            let mut snippet = generator.snippet(text);
            if !snippet.is_empty() {
                snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
                return snippet.to_html();
            }
        }
        let mut end = text.len().min(SNIPPET_CHARS);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        escape_html(&text[..end])
    }
}

/// Text as HTML: `<`, `>`, `&` and `"` escaped.
pub fn escape_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '&' => html.push_str("&amp;"),
            '"' => html.push_str("&quot;"),
            _ => html.push(c),
        }
    }
    html
}

/// A ranking query and the query of the same matches, cheaper to count.
type RankAndMatch = (Box<dyn Query>, Box<dyn Query>);

impl SearchIndex {
    /// Opens the index of an SQLite database; `None` on PostgreSQL.
    ///
    /// # Errors
    /// A database error, or an index that cannot be opened.
    pub async fn open(db: &DatabaseConnection) -> Result<Option<Self>, IngestError> {
        let Some(location) = location(db).await? else {
            return Ok(None);
        };
        let index = open_index(&location)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|e| err(&location, e))?;
        let (_, fields) = schema();
        Ok(Some(Self {
            index,
            reader,
            seen: AtomicU64::new(SYNCS.load(Ordering::Acquire)),
            fields,
            location,
        }))
    }

    /// The queries for a user string, to rank with and to count with: every word required;
    /// with two or more words, the ranking query has the words as a phrase too, optional, so
    /// that passages holding the exact phrase rank first. An optional clause beside required
    /// ones matches nothing more, so the count leaves it out and reads no word positions. The
    /// string is only ever cut into words, so no character in it has a meaning. `None` when it
    /// has no words.
    fn query(&self, user: &str) -> Result<Option<RankAndMatch>, IngestError> {
        let mut analyzer = self
            .index
            .tokenizer_for_field(self.fields.text)
            .map_err(|e| err(&self.location, e))?;
        let mut terms = Vec::new();
        let mut stream = analyzer.token_stream(user);
        while terms.len() < MAX_QUERY_WORDS && stream.advance() {
            terms.push(Term::from_field_text(
                self.fields.text,
                &stream.token().text,
            ));
        }
        let word = |t: &Term| -> Box<dyn Query> {
            Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs))
        };
        let every_word = |many: &[Term]| -> Vec<(Occur, Box<dyn Query>)> {
            many.iter().map(|t| (Occur::Must, word(t))).collect()
        };
        Ok(match terms.as_slice() {
            [] => None,
            [one] => Some((word(one), word(one))),
            many => {
                let mut ranking = every_word(many);
                ranking.push((Occur::Should, Box::new(PhraseQuery::new(terms.clone()))));
                Some((
                    Box::new(BooleanQuery::new(ranking)),
                    Box::new(BooleanQuery::new(every_word(many))),
                ))
            }
        })
    }

    /// Ranks the passages matching `user` and keeps `limit` of them from `offset`; counts every
    /// match only when `count` is set. CPU-bound: call it off the async runtime's threads.
    ///
    /// # Errors
    /// An index that cannot be read.
    pub fn search(
        &self,
        user: &str,
        offset: usize,
        limit: usize,
        count: bool,
    ) -> Result<Ranked, IngestError> {
        let Some((query, matching)) = self.query(user)? else {
            return Ok(Ranked {
                hits: Vec::new(),
                total: Some(0),
                snippets: None,
            });
        };
        let failed = |e: tantivy::TantivyError| err(&self.location, e);
        let syncs = SYNCS.load(Ordering::Acquire);
        if self.seen.swap(syncs, Ordering::AcqRel) != syncs {
            self.reader.reload().map_err(failed)?;
        }
        let searcher = self.reader.searcher();
        let top = searcher
            .search(
                &*query,
                &TopDocs::with_limit(limit.max(1))
                    .and_offset(offset)
                    .order_by_score(),
            )
            .map_err(failed)?;
        let name = searcher.schema().get_field_name(self.fields.passage);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let ids = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .i64(name)
                .map_err(failed)?;
            if let Some(id) = ids.first(address.doc_id) {
                hits.push((id, score));
            }
        }
        let total = if count {
            Some(matching.count(&searcher).map_err(failed)?)
        } else {
            None
        };
        let snippets = SnippetGenerator::create(&searcher, &*query, self.fields.text)
            .map(|mut g| {
                g.set_max_num_chars(SNIPPET_CHARS);
                g
            })
            .ok();
        Ok(Ranked {
            hits,
            total,
            snippets,
        })
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

    #[test]
    fn snippets_without_a_match_are_escaped_text() {
        let ranked = Ranked {
            hits: Vec::new(),
            total: None,
            snippets: None,
        };
        assert_eq!(ranked.snippet_html("a <b> & c"), "a &lt;b&gt; &amp; c");
    }
}
