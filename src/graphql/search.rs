//! Search hits as the schema gives them; the search itself is the read layer's
//! ([`crate::read::search`]).

use async_graphql::SimpleObject;
use sea_orm::DatabaseConnection;

use super::error::ApiError;
use super::node::Passage;
use super::pagination::Page;
use crate::read::search::{SearchIndexHandle, ranked};

/// A passage matching a search, with a highlighted snippet.
#[derive(SimpleObject, Clone)]
pub struct SearchHit {
    /// The passage.
    pub passage: Passage,
    /// A short extract as HTML: the passage's text escaped, the matching words wrapped in
    /// `<mark>`…`</mark>`.
    pub snippet: String,
    /// Relevance: higher is better; comparable within one search only.
    pub score: f64,
}

/// Runs a search and returns one page of hits, best first, and the total number of hits:
/// counted when `count` asks for it (every match is visited), otherwise just enough to tell
/// whether another page follows.
///
/// # Errors
/// A database error, or a search index that cannot be read.
pub async fn search(
    db: &DatabaseConnection,
    index: &SearchIndexHandle,
    query: &str,
    page: Page,
    count: bool,
) -> Result<(Vec<SearchHit>, usize), ApiError> {
    let (hits, total) = ranked(db, index, query, page.offset, page.limit, count).await?;
    let hits = hits
        .into_iter()
        .map(|h| SearchHit {
            passage: Passage(h.passage),
            snippet: h.snippet,
            score: h.score,
        })
        .collect();
    Ok((hits, total))
}
