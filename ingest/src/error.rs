//! What can go wrong in an ingest, each error naming the page or file and what was wrong.

use std::path::PathBuf;

/// An ingest failure. Parse errors name the page URL and the element that was missing, so that
/// a change of page structure reads as such in the log.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// A page of a known layout lacked something every page of its kind has.
    #[error("{url}: {what} not found; has the page structure changed?")]
    Missing {
        /// The page.
        url: String,
        /// What was looked for, in words and, where useful, as the selector.
        what: String,
    },
    /// A page matched none of the site templates the parsers know.
    #[error("{url}: unrecognised page layout ({detail})")]
    UnknownLayout {
        /// The page.
        url: String,
        /// Which markers were looked for.
        detail: String,
    },
    /// A page that is not HTML text: binary, wrongly encoded, empty or too large.
    #[error("{url}: {detail}")]
    BadInput {
        /// The page.
        url: String,
        /// What is wrong with its bytes.
        detail: String,
    },
    /// A file or folder of a snapshot could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A snapshot folder with no pages in it: most likely the wrong folder.
    #[error(
        "{0}: no HTML pages found (expected a `wget -x` layout such as www.gov.scot/publications/<slug>/index.html)"
    )]
    EmptySnapshot(PathBuf),
    /// The search index could not be opened, read or written.
    #[error("search index {index}: {detail}")]
    Search {
        /// Where the index is.
        index: String,
        /// What went wrong.
        detail: String,
    },
    /// Another ingest holds the database's ingest lock (see [`crate::store::OnBusy`]).
    #[error("another ingest is running ({holder})")]
    Busy {
        /// The run holding the lock, in words: "run 12, started at ...".
        holder: String,
    },
    /// The HTTP client could not be built (TLS set-up).
    #[error("HTTP client: {0}")]
    Http(String),
    /// The database refused a read or a write; the run's transaction was rolled back.
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
}

impl IngestError {
    /// The page an error is about, when it is about one page: the canonical URL where the page
    /// got far enough to name it, else the address it was read from.
    pub fn page_url(&self) -> Option<&str> {
        match self {
            Self::Missing { url, .. }
            | Self::UnknownLayout { url, .. }
            | Self::BadInput { url, .. } => Some(url),
            _ => None,
        }
    }
}
