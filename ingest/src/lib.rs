//! The ingest: from gov.scot pages (a saved snapshot, or later the live site) to rows.
//!
//! # Layout
//! - [`snapshot`] reads a `wget -x` folder into raw pages, and writes one;
//! - [`crawl`] fetches pages from the web, politely, starting from publication roots;
//! - [`page`] reads a page's HTML (either site template) into metadata and content blocks;
//! - [`kind`] recognises each page's kind and reads its facts, one module per kind;
//! - [`date`] normalises the date phrases the pages print;
//! - [`link`] matches progress updates to milestones and finds organisation mentions;
//! - [`store`] writes a run in one transaction, idempotently, with stable IDs ([`ids`]);
//! - [`search_index`] keeps an SQLite database's full-text index (tantivy) in step with it;
//! - [`pipeline`] runs the stages in order.
//!
//! Parsing never touches the database and storing never parses. A run is one transaction that
//! pages stream into, so a page that fails to parse rolls the whole run back, and the data of
//! earlier runs stays served.
#![warn(missing_docs)]

pub mod crawl;
pub mod date;
pub mod error;
pub mod ids;
pub mod kind;
pub mod link;
pub mod page;
pub mod pipeline;
pub mod search_index;
pub mod snapshot;
pub mod store;

pub use error::IngestError;
pub use pipeline::{LiveOptions, Progress, ingest_live, ingest_snapshot};
pub use store::RunSummary;

/// The snapshot that ships with caregraph: the five source pages, as gov.scot and the eHealth
/// site serve them. Crown copyright, reproduced under the Open Government Licence v3.0 (see
/// `snapshot/LICENCE.md`).
pub fn bundled_snapshot() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshot")
}
