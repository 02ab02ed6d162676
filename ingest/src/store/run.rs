//! A run: one transaction that pages are added to one at a time, recorded as an `ingest_run`
//! row, with a `document_version` row for each page it wrote.
//!
//! For each page: an unchanged body (same content hash) is left alone but for its validators;
//! a changed or new page has every row it produced deleted and written again; a page the run
//! read but could not parse is kept as stored ([`Run::keep`]). At the end a snapshot run
//! removes the pages it did not read, the cross-page facts are derived ([`crate::derive`]), and
//! the run is recorded with what it changed ([`crate::history`]). All of it commits together
//! or not at all.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{document, document_version, ingest_run};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QuerySelect, Set, TransactionTrait,
};

use super::claims::{Claims, Verdict};
use super::lock::{IngestLock, OnBusy};
use super::page::{PageCopy, RunOptions, StoredPage};
use super::rows::{Rows, delete_document, saturating_i32};
use super::summary::{RunSummary, bounded};
use crate::error::IngestError;
use crate::history::{Recorder, identity};
use crate::ids;
use crate::texts::{self, VersionPassage};

/// SQLite's "database is locked" at a run's first write: a writer that took no ingest lock
/// (another program, or a run of this database under another path) holds the write lock.
fn busy_if_locked(e: sea_orm::DbErr) -> IngestError {
    if e.to_string().contains("database is locked") {
        IngestError::Busy {
            holder: "a writer that holds SQLite's write lock".to_owned(),
        }
    } else {
        e.into()
    }
}

/// Documents buffered before their rows are written: enough for large batched inserts, few
/// enough that memory stays bounded however large the corpus.
const FLUSH_DOCUMENTS: usize = 200;

/// A run being stored: one open transaction that pages are added to one at a time, so a corpus
/// is streamed rather than held. Dropping a run without [`Run::finish`] rolls everything back.
pub struct Run {
    db: DatabaseConnection,
    txn: DatabaseTransaction,
    /// Held until the run commits or rolls back (dropped after `txn`'s commit in `finish`).
    _lock: IngestLock,
    run_id: i64,
    existing: HashMap<String, String>,
    /// Stored documents by the address their copy was read from, where it differs from their
    /// URL, so that a page that fails before its canonical URL is known can still be kept.
    sources: HashMap<String, String>,
    seen: HashSet<String>,
    kept: HashSet<String>,
    rows: Rows,
    buffered: usize,
    added: i32,
    changed: i32,
    unchanged: i32,
    warnings: Vec<String>,
    unread: usize,
    /// Pages refused by the run itself (a commitment another page holds), with why.
    failures: Vec<String>,
    /// What the run changed, captured as it writes.
    changes: Recorder,
    claims: Claims,
    /// Pages waiting for the end of the run to learn whether they may take a commitment over.
    waiting: Vec<(String, PageCopy, Rows)>,
}

impl Run {
    /// Opens the run's transaction, takes the ingest lock (see [`super::lock`]) and records the
    /// run's start.
    ///
    /// # Errors
    /// [`IngestError::Busy`] when another run holds the lock and `on_busy` is
    /// [`OnBusy::Fail`]; a database error.
    pub async fn begin(
        db: &DatabaseConnection,
        source: &str,
        started_at: DateTime<Utc>,
        on_busy: OnBusy,
    ) -> Result<Self, IngestError> {
        let txn = db.begin().await?;
        let mut lock = IngestLock::take(&txn, on_busy).await?;
        // The run's row is its first write, so that SQLite's write lock is taken at the start.
        let run_id = ingest_run::ActiveModel {
            started_at: Set(started_at),
            finished_at: Set(started_at),
            source: Set(source.to_owned()),
            pages_seen: Set(0),
            added: Set(0),
            changed: Set(0),
            unchanged: Set(0),
            removed: Set(0),
            warnings: Set("[]".to_owned()),
            failures: Set("[]".to_owned()),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(busy_if_locked)?
        .id;
        lock.announce(&txn, run_id, started_at).await?;
        let stored = document::Entity::find()
            .select_only()
            .column(document::Column::Url)
            .column(document::Column::ContentHash)
            .column(document::Column::SourceUrl)
            .into_tuple::<(String, String, Option<String>)>()
            .all(&txn)
            .await?;
        let mut existing = HashMap::with_capacity(stored.len());
        let mut sources = HashMap::new();
        for (url, hash, source) in stored {
            if let Some(source) = source.filter(|s| *s != url) {
                sources.insert(source, url.clone());
            }
            existing.insert(url, hash);
        }
        let claims = Claims::load(&txn, existing.keys()).await?;
        Ok(Self {
            db: db.clone(),
            txn,
            _lock: lock,
            run_id,
            existing,
            sources,
            seen: HashSet::new(),
            kept: HashSet::new(),
            rows: Rows::default(),
            buffered: 0,
            added: 0,
            changed: 0,
            unchanged: 0,
            warnings: Vec::new(),
            unread: 0,
            failures: Vec::new(),
            changes: Recorder::default(),
            claims,
            waiting: Vec::new(),
        })
    }

    /// The run's ID, as its `ingest_run` row and the change feed have it.
    pub fn id(&self) -> i64 {
        self.run_id
    }

    /// Gives the run up: nothing it added is kept, and the ingest lock is let go.
    ///
    /// # Errors
    /// A database error (the transaction is then rolled back as its connection closes).
    pub async fn cancel(self) -> Result<(), IngestError> {
        tracing::warn!(
            run.id = self.run_id,
            "run cancelled: nothing it read is stored"
        );
        self.txn.rollback().await?;
        Ok(())
    }

    /// Adds one parsed page: unchanged pages are left alone, changed and new ones are
    /// (re)written, in batches. A page claiming a commitment that another page holds is
    /// refused alone, or waits for the end of the run (see [`super::claims`]).
    ///
    /// # Errors
    /// A database error.
    pub async fn add(&mut self, page: &impl StoredPage) -> Result<(), IngestError> {
        let (url, copy) = (page.url(), page.copy());
        let document_id = ids::document(url);
        if !self.seen.insert(url.to_owned()) {
            // Two copies of one page (say, saved under two of the site's hosts): the first read
            // is stored, and the run goes on rather than writing the document twice.
            self.warnings.push(format!(
                "{url}: read again from {}; the copy read first is kept",
                copy.source_url
            ));
            return Ok(());
        }
        self.warnings.extend(page.warnings().iter().cloned());
        self.unread += page.unread();
        if self
            .existing
            .get(url)
            .is_some_and(|hash| *hash == copy.content_hash)
        {
            self.unchanged += 1;
            self.claims.kept(url);
            // Same content, perhaps new validators: keep them for the next conditional GET.
            document::Entity::update_many()
                .col_expr(document::Column::Etag, Expr::value(copy.etag.clone()))
                .col_expr(
                    document::Column::LastModified,
                    Expr::value(copy.last_modified.clone()),
                )
                .col_expr(
                    document::Column::SourceUrl,
                    Expr::value(Some(copy.source_url.clone())),
                )
                .filter(document::Column::Url.eq(url))
                .exec(&self.txn)
                .await?;
            return Ok(());
        }
        let mut rows = Rows::default();
        page.rows(document_id, &mut rows);
        match self.claims.check(url, &rows, &self.seen, None) {
            Verdict::Free => self.write(url, copy, rows).await,
            Verdict::Wait => {
                self.waiting.push((url.to_owned(), copy.clone(), rows));
                Ok(())
            }
            Verdict::Taken(why) => {
                self.refuse(url, why);
                Ok(())
            }
        }
    }

    /// A page that may not be written: it fails alone, and what is stored for it stays.
    fn refuse(&mut self, url: &str, why: String) {
        tracing::error!(page.url = %url, "skipped: {why}");
        self.claims.kept(url);
        self.kept.insert(url.to_owned());
        self.failures.push(why);
    }

    /// Writes a new or changed page's rows (buffered), in place of what is stored for it.
    async fn write(
        &mut self,
        url: &str,
        copy: &PageCopy,
        mut rows: Rows,
    ) -> Result<(), IngestError> {
        let document_id = ids::document(url);
        self.claims.claim(url, &rows);
        if self.existing.contains_key(url) {
            self.changed += 1;
            let before = self
                .changes
                .before_delete(&self.txn, &[document_id])
                .await?;
            delete_document(&self.txn, document_id).await?;
            identity::reconcile(&before, &mut rows);
        } else {
            self.added += 1;
            self.changes.before_writing(&self.txn).await?;
        }
        // What this version said, kept once per distinct text.
        let said: Vec<VersionPassage> = rows
            .passages
            .iter()
            .filter(|p| p.document_id == document_id)
            .map(VersionPassage::of)
            .collect();
        let text_hash = texts::hash(&said);
        rows.texts
            .entry(text_hash.clone())
            .or_insert_with(|| texts::encode(&said));
        self.rows.append(rows);
        self.changes.wrote(document_id);
        self.rows.versions.push(document_version::ActiveModel {
            document_id: Set(document_id),
            url: Set(url.to_owned()),
            content_hash: Set(copy.content_hash.clone()),
            fetched_at: Set(copy.fetched_at),
            run_id: Set(self.run_id),
            text_hash: Set(Some(text_hash)),
            ..Default::default()
        });
        self.buffered += 1;
        if self.buffered >= FLUSH_DOCUMENTS {
            std::mem::take(&mut self.rows).write(&self.txn).await?;
            self.buffered = 0;
        }
        Ok(())
    }

    /// Keeps the stored page at `address` (its URL, or the address its copy was read from) as
    /// it is: a page the run read but could not parse is not removed with the pages the run
    /// did not read, so its facts from earlier runs stay served. Nothing is stored at an
    /// address never seen before, and then this does nothing.
    pub fn keep(&mut self, address: &str) {
        let url = if self.existing.contains_key(address) {
            Some(address)
        } else {
            self.sources.get(address).map(String::as_str)
        };
        if let Some(url) = url {
            self.kept.insert(url.to_owned());
        }
    }

    /// Ends the run in three steps: writes what is left to write (the buffer, the removal of
    /// unseen pages if asked, the pages that waited), derives what is true across pages, and
    /// records what changed and what the run did; then commits.
    ///
    /// # Errors
    /// A database error; the run is rolled back.
    pub async fn finish(mut self, options: RunOptions) -> Result<RunSummary, IngestError> {
        let removed = self.write_rest(options.remove_unseen).await?;
        if self.added + self.changed + removed > 0 {
            let before = self.changes.organisations_before();
            let warnings = crate::derive::run(&self.txn, &before).await?;
            self.warnings.extend(warnings);
        }
        let mut summary = self.record(options, removed).await?;
        self.txn.commit().await?;
        // The run is stored; an index that cannot follow is reported, and heals at the next
        // sync (the next run, or the server's start).
        if let Err(e) = crate::search_index::sync(&self.db).await {
            tracing::error!("{e}");
            summary
                .warnings
                .push(format!("{e}; search answers from the index as it was"));
        }
        Ok(summary)
    }

    /// Writes what is buffered, removes the pages the run did not see (when `remove_unseen`)
    /// and writes the pages that waited for them; answers how many pages it removed.
    async fn write_rest(&mut self, remove_unseen: bool) -> Result<i32, IngestError> {
        std::mem::take(&mut self.rows).write(&self.txn).await?;
        // The stored pages this run removes: what it did not read, nor keep.
        let mut removed_urls = HashSet::new();
        if remove_unseen {
            removed_urls = self
                .existing
                .keys()
                .filter(|u| !self.seen.contains(*u) && !self.kept.contains(*u))
                .cloned()
                .collect();
            let unseen: Vec<i64> = removed_urls.iter().map(|url| ids::document(url)).collect();
            self.changes.before_delete(&self.txn, &unseen).await?;
            for id in unseen {
                delete_document(&self.txn, id).await?;
            }
        }
        // Pages that waited for a stored page holding their commitment: it is removed by now,
        // or it keeps what it holds. They are checked one at a time, so that of two waiting for
        // one commitment the first takes it.
        let gone = |holder: &str| removed_urls.contains(holder);
        for (url, copy, rows) in std::mem::take(&mut self.waiting) {
            match self.claims.check(&url, &rows, &self.seen, Some(&gone)) {
                Verdict::Taken(why) => self.refuse(&url, why),
                Verdict::Free | Verdict::Wait => self.write(&url, &copy, rows).await?,
            }
        }
        std::mem::take(&mut self.rows).write(&self.txn).await?;
        Ok(saturating_i32(removed_urls.len()))
    }

    /// Records the run's changes (see [`crate::history`]) and its summary.
    async fn record(
        &mut self,
        options: RunOptions,
        removed: i32,
    ) -> Result<RunSummary, IngestError> {
        let finished_at = Utc::now();
        let recorded = std::mem::take(&mut self.changes)
            .record(&self.txn, self.run_id, finished_at)
            .await?;
        let summary = RunSummary {
            run_id: self.run_id,
            pages_seen: saturating_i32(self.seen.len() + options.not_modified),
            added: self.added,
            changed: self.changed,
            unchanged: self.unchanged + saturating_i32(options.not_modified),
            removed,
            changes: recorded,
            warnings: bounded(std::mem::take(&mut self.warnings)),
            unread_sections: self.unread,
            failures: bounded([options.failures, std::mem::take(&mut self.failures)].concat()),
        };
        summary.store(&self.txn, finished_at).await?;
        Ok(summary)
    }
}
