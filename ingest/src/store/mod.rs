//! Storing pages: a run's transaction, the rows pages are turned into, and the passes that keep
//! cross-page facts true. Storing never parses: a page reaches the store as a [`StoredPage`],
//! which can say which copy it is and push its own rows.
//!
//! - [`run`]: the run and its transaction, recorded as an ingest run with document versions;
//! - `lock`: one run at a time on a database ([`OnBusy`]: fail at once, or wait);
//! - [`rows`]: the [`Rows`] batch pages push models into, batched inserts, deleting a page's
//!   rows;
//! - `claims`: which page holds each commitment, so two pages claiming one fail alone;
//! - `changes`: the change feed, captured around each page's rewrite and stored at the end;
//! - `identity`: which of a rewritten page's rows continue which stored ones;
//! - [`events`]: the timeline's events as rows, recomputed after each run;
//! - `family`: the strategy family (publications' strategies, restated elements, supersession);
//! - `leads`: workstream leads that print two bodies run together, split by known names;
//! - [`passes`]: what is recomputed across pages after a run's writes (strategy dates,
//!   update-to-milestone links, mentions, organisations no page names any more).

mod changes;
mod claims;
pub mod events;
mod family;
mod identity;
mod leads;
mod lock;
pub mod passes;
pub mod rows;
pub mod run;

pub use identity::THRESHOLD as IDENTITY_THRESHOLD;
pub use lock::OnBusy;
pub(crate) use lock::sqlite_file;
pub use rows::{Rows, Subject};
pub use run::{MAX_LISTED, PageCopy, Run, RunOptions, RunSummary, StoredPage};
