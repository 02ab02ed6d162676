//! A page as the store sees it: which copy was read, and the rows it pushes; and how a run
//! treats what it did not read.

use chrono::{DateTime, Utc};

use super::rows::Rows;

/// How a run treats what it did not read.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Remove stored pages the run did not see: true for a snapshot, which is the whole
    /// dataset; false for a live crawl, where an unreachable page is not a removed one.
    pub remove_unseen: bool,
    /// Pages the server said were not modified (counted as unchanged).
    pub not_modified: usize,
    /// Pages that failed, with why.
    pub failures: Vec<String>,
}

/// Which copy of a page was read, and from where: stored with its document, so the next live
/// run can ask the server whether it changed.
#[derive(Clone, Debug)]
pub struct PageCopy {
    /// SHA-256 of the body read.
    pub content_hash: String,
    /// When the copy was fetched.
    pub fetched_at: DateTime<Utc>,
    /// The address fetched, which may differ from the page's canonical URL.
    pub source_url: String,
    /// The server's `ETag` for this copy.
    pub etag: Option<String>,
    /// The server's `Last-Modified` for this copy.
    pub last_modified: Option<String>,
}

/// A page as a run stores it. The run tells from the URL and the content hash whether the page
/// is new, changed or as stored, and asks only a new or changed page for its rows; the store
/// needs nothing else of how the page was parsed.
pub trait StoredPage {
    /// The page's canonical URL, which names its document.
    fn url(&self) -> &str;
    /// The copy read.
    fn copy(&self) -> &PageCopy;
    /// Things worth a look that did not stop the parse.
    fn warnings(&self) -> &[String];
    /// How many of the page's labelled sections no reader understood.
    fn unread(&self) -> usize {
        0
    }
    /// Pushes the page's rows, its document's among them, under the document's ID.
    fn rows(&self, document_id: i64, rows: &mut Rows);
}
