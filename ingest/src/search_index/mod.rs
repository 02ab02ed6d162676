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
//!
//! - `index`: the schema, where the index lives, opening it;
//! - `sync`: bringing it up to date with the database;
//! - `search`: ranking, counting and snippets.

mod index;
mod search;
mod sync;

pub use index::dir_for;
pub use search::{Ranked, SearchIndex, escape_html};
pub use sync::{SyncSummary, sync};
