//! The ingest: from gov.scot pages, read from a saved snapshot or crawled from the live site
//! (`ingest --live`), to rows.
//!
//! # Layout
//! - [`address`] names every gov.scot page at its one canonical address, whichever of the
//!   site's old or new hosts it was reached by;
//! - [`snapshot`] reads a `wget -x` folder into raw pages, and writes one;
//! - [`crawl`] fetches pages from the web, politely, starting from publication roots
//!   (`config`, `fetch`, `robots`, `frontier`);
//! - [`page`] reads a page's HTML (either site template) into metadata and content blocks
//!   (`input`, `template`, `block`);
//! - [`kind`] recognises each page's kind, one module per kind, each owning its kind's whole
//!   journey: recognising, parsing, warning, and turning its facts into rows;
//! - [`date`] normalises the date phrases the pages print;
//! - [`ids`] derives every row's stable ID from its natural key, one function per entity;
//! - [`store`] writes a run in one transaction, idempotently ([`store::run`]), in batches
//!   ([`store::rows`]); it only writes: [`store::Run::finish`] is write, derive, record;
//! - [`derive`] brings cross-page facts up to date after a run's writes, one pass per file, in
//!   the one order `derive/mod.rs` lists (family, strategy dates, update links, aliases,
//!   leads, organisation renames, mentions, prune, events, latest statuses);
//! - `history` records what a run changed (the change feed): each tracked table described
//!   once, captured before a page is rewritten and after the derive passes, compared; and
//!   `identity`, which rows of a rewritten page continue which stored ones, as pure functions;
//! - [`link`] matches progress updates to milestones and finds organisation mentions;
//! - [`search_index`] keeps an SQLite database's full-text index (tantivy) in step with it;
//! - [`pipeline`] runs the stages in order, for a snapshot or a live crawl.
//!
//! Dependencies point one way: `pipeline` uses `kind` and `store`, `kind` pushes rows into
//! `store`, and `store` sees a page only as a [`store::StoredPage`], so parsing never touches
//! the database and storing never parses (a co-creation page's dated meetings, say, are read
//! when it is parsed and stored as its rows); `store` calls `derive` and `history` once its
//! writes are done. A run is one transaction that pages stream into; a
//! page that fails to parse is recorded as a failure and the run goes on, keeping that page's
//! data from earlier runs, on a snapshot run as on a live one.
#![warn(missing_docs)]

pub mod address;
pub mod crawl;
pub mod date;
pub mod derive;
pub mod error;
mod history;
pub use history::texts;
pub mod ids;
pub mod kind;
pub mod link;
pub mod page;
pub mod pipeline;
pub mod search_index;
pub mod snapshot;
pub mod store;

pub use error::IngestError;
pub use history::recorded_fields;
pub use pipeline::{LiveOptions, Progress, RunSettings, ingest_live, ingest_snapshot};
pub use store::OnBusy;
pub use store::RunSummary;

/// The snapshot that ships with caregraph: the five source pages, as gov.scot and the eHealth
/// site serve them. Crown copyright, reproduced under the Open Government Licence v3.0 (see
/// `snapshot/LICENCE.md`).
pub fn bundled_snapshot() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshot")
}
