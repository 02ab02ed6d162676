//! Ingest runs: what each run of the ingest read and changed.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};

use super::error::ApiResult;
use super::node::{Change, IngestRun, NodeType, encode};
use super::pagination::{Conn, Page, connection_cost, paged};

/// What a run's list of warnings or failures costs: each string counts, and a run stores at
/// most [`ingest::store::MAX_LISTED`] of each plus a line counting the rest, so that a query
/// cannot ask for many runs' long lists under a small cost.
const LINES_COST: usize = ingest::store::MAX_LISTED + 1;

/// One run of the ingest.
#[Object]
impl IngestRun {
    /// Global ID, like every other node's.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::IngestRun, self.0.id)
    }
    /// The run's number, counting from 1 (what `IngestRun.id` was before it became a global
    /// ID; the dataset version the `ETag`s carry).
    async fn number(&self) -> i64 {
        self.0.id
    }
    /// When it started.
    async fn started_at(&self) -> DateTime<Utc> {
        self.0.started_at
    }
    /// When it finished.
    async fn finished_at(&self) -> DateTime<Utc> {
        self.0.finished_at
    }
    /// What it read (a snapshot folder or a site).
    async fn source(&self) -> &str {
        &self.0.source
    }
    /// Pages it read.
    async fn pages_seen(&self) -> i32 {
        self.0.pages_seen
    }
    /// Pages new to the database.
    async fn added(&self) -> i32 {
        self.0.added
    }
    /// Pages whose content changed.
    async fn changed(&self) -> i32 {
        self.0.changed
    }
    /// Pages unchanged since the last run.
    async fn unchanged(&self) -> i32 {
        self.0.unchanged
    }
    /// Pages removed because the run no longer saw them.
    async fn removed(&self) -> i32 {
        self.0.removed
    }
    /// Warnings raised while parsing (at most 1,000, then a line counting the rest).
    #[graphql(complexity = "LINES_COST")]
    async fn warnings(&self) -> Vec<String> {
        serde_json::from_str(&self.0.warnings).unwrap_or_default()
    }
    /// Pages the run could not fetch or parse, each with why; their earlier data was kept (at
    /// most 1,000, then a line counting the rest).
    #[graphql(complexity = "LINES_COST")]
    async fn failures(&self) -> Vec<String> {
        serde_json::from_str(&self.0.failures).unwrap_or_default()
    }
    /// What it added, removed or changed, newest first (selected and paged in SQL: a first
    /// run records every entity it read).
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
    ) -> ApiResult<Conn<Change>> {
        let page = Page::new(first, after.as_deref())?;
        let select = crate::read::changes::select(&crate::read::changes::Query {
            run: Some(self.0.id),
            ..Default::default()
        });
        Ok(paged(ctx, select, page, Change).await?)
    }
}
