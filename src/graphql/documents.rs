//! Documents and passages: the ingested pages, their stored copies and their paragraphs.

use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};

use super::changes;
use super::context::ApiContext;
use super::error::ApiResult;
use super::loader::many;
use super::node::{
    Change, Commitment, Document, DocumentVersion, NodeType, Passage, Strategy, encode,
};
use super::pagination::{Conn, Page, connection_cost, list_cost, slice};
use super::scalars::{Date, date};
use super::source::{Source, source};
use super::versions::{DocumentDiff, document_diff};

/// Kinds of ingested document.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::DocumentKind")]
pub enum DocumentKind {
    /// An Open Government commitment's overview page.
    CommitmentOverview,
    /// A commitment's progress report.
    ProgressReport,
    /// A page of a strategy.
    Strategy,
    /// A page of a delivery plan.
    DeliveryPlan,
    /// A page asking for views on a strategy in development.
    Consultation,
    /// A page about how a commitment was co-created.
    CoCreation,
    /// Any other page.
    Other,
}

/// An ingested page.
#[Object]
impl Document {
    /// Global ID.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::Document, self.0.id)
    }
    /// What ingest runs added, removed or changed on this page (the page itself and every
    /// entity read from it), newest first.
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
        changes::of_document(ctx, self.0.id, first, after).await
    }
    /// The page's canonical URL.
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// The page's own title (for a publication's sub-page, the page heading).
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The title of the publication the page belongs to.
    async fn publication_title(&self) -> &str {
        &self.0.publication_title
    }
    /// The URL of the publication the page belongs to.
    async fn publication_url(&self) -> &str {
        &self.0.publication_url
    }
    /// What kind of page it is.
    async fn kind(&self) -> DocumentKind {
        self.0.kind.into()
    }
    /// The publication date the page states.
    async fn published_on(&self) -> Option<Date> {
        date(self.0.published_on)
    }
    /// When the stored copy was fetched.
    async fn fetched_at(&self) -> DateTime<Utc> {
        self.0.fetched_at
    }
    /// SHA-256 of the stored copy's body.
    async fn content_hash(&self) -> &str {
        &self.0.content_hash
    }
    /// The page's labelled sections that no reader understood, in page order: what the
    /// ingest kept only as passages. Empty for a page read in full.
    async fn unread_sections(&self) -> Vec<UnreadSection> {
        serde_json::from_str::<Vec<ingest::kind::Unread>>(&self.0.unread_sections)
            .unwrap_or_default()
            .into_iter()
            .map(UnreadSection)
            .collect()
    }
    /// The page's paragraphs and list items, in page order.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn passages(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
    ) -> ApiResult<Conn<Passage>> {
        let page = Page::new(first, after.as_deref())?;
        let rows = many(&ctx.loaders()?.passages_by_document, self.0.id).await?;
        Ok(slice(rows.into_iter().map(Passage).collect(), page))
    }
    /// The strategy the page belongs to, if any.
    async fn strategy(&self, ctx: &Context<'_>) -> ApiResult<Option<Strategy>> {
        let Some(sid) = self.0.strategy_id else {
            return Ok(None);
        };
        Ok(Strategy::load(ctx.loaders()?, sid).await?)
    }
    /// The commitment the page is about, if any.
    async fn commitment(&self, ctx: &Context<'_>) -> ApiResult<Option<Commitment>> {
        let Some(cid) = self.0.commitment_id else {
            return Ok(None);
        };
        Ok(Commitment::load(ctx.loaders()?, cid).await?)
    }
    /// Every distinct copy of the page that an ingest stored, oldest first.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn versions(&self, ctx: &Context<'_>) -> ApiResult<Vec<DocumentVersion>> {
        Ok(many(&ctx.loaders()?.versions_by_document, self.0.id)
            .await?
            .into_iter()
            .map(DocumentVersion)
            .collect())
    }
    /// What changed from one version to another (their IDs, from `versions`): by default the
    /// previous and the latest. Null when the page has one version, or when either version was
    /// stored before texts were kept.
    async fn diff(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The earlier version; by default the one before `to`.")] from: Option<ID>,
        #[graphql(desc = "The later version; by default the latest.")] to: Option<ID>,
    ) -> ApiResult<Option<DocumentDiff>> {
        document_diff(ctx, self.0.id, from, to).await
    }
}

/// A labelled section of a page that no reader understood.
pub struct UnreadSection(ingest::kind::Unread);

/// A labelled section of a page that no reader understood: its content is kept as passages.
#[Object]
impl UnreadSection {
    /// The label, as printed (without a trailing colon).
    async fn label(&self) -> &str {
        &self.0.label
    }
    /// Its fragment identifier on the page, if it has one.
    async fn anchor(&self) -> Option<&str> {
        self.0.anchor.as_deref()
    }
    /// How the label was printed: `HEADING`, `BOLD_PARAGRAPH`, `BOLD_LEAD`, `LABEL_LINE`,
    /// `TERM`, `HEADER_CELL` or `FIRST_COLUMN_CELL`.
    async fn form(&self) -> &str {
        &self.0.form
    }
}

/// A paragraph or list item of a page, with the headings above it.
#[Object]
impl Passage {
    /// Global ID.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::Passage, self.0.id)
    }
    /// The page the passage is on.
    async fn document(&self, ctx: &Context<'_>) -> ApiResult<Document> {
        Ok(Document::linked(ctx.loaders()?, self.0.document_id).await?)
    }
    /// The headings above the passage, outermost first.
    async fn headings(&self) -> Vec<String> {
        serde_json::from_str(&self.0.headings).unwrap_or_default()
    }
    /// The passage's text.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// Its position among the page's passages, from 0.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
}
