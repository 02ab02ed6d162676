//! Storing pages: a run's transaction and the rows pages are turned into. The store only
//! writes; what is true across pages is [`crate::derive`]d after the writes, and what changed
//! is recorded by [`crate::history`]. Storing never parses: a page reaches the store as a
//! [`StoredPage`], which can say which copy it is and push its own rows.
//!
//! - [`run`]: the run and its transaction, recorded as an ingest run with document versions;
//!   [`Run::finish`] writes, derives, then records;
//! - `page`: a page as the store sees it ([`StoredPage`]: its URL, copy and rows);
//! - `summary`: what a run did, as its `ingest_run` row keeps it;
//! - `lock`: one run at a time on a database ([`OnBusy`]: fail at once, or wait);
//! - [`rows`]: the [`Rows`] batch pages push models into, batched inserts, deleting a page's
//!   rows;
//! - `claims`: which page holds each commitment, so two pages claiming one fail alone.

mod claims;
mod lock;
mod page;
pub mod rows;
pub mod run;
mod summary;

pub use crate::history::identity::THRESHOLD as IDENTITY_THRESHOLD;
pub use lock::OnBusy;
pub(crate) use lock::sqlite_file;
pub use page::{PageCopy, RunOptions, StoredPage};
pub use rows::{Rows, Subject};
pub use run::Run;
pub use summary::{MAX_LISTED, RunSummary};
