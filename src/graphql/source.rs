//! The [`Source`] every fact points at: the page it was read from, the place on it, and the copy
//! that was read.

use std::sync::Arc;

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use entity::document;

use super::context::ApiContext;
use super::error::ApiResult;
use super::node::Document;

/// Where a fact was read: the page, the place on it, and the copy that was read.
pub struct Source {
    /// The page's canonical URL, without the anchor.
    url: String,
    anchor: Option<String>,
    title: String,
    fetched_at: DateTime<Utc>,
    content_hash: String,
    document_id: i64,
    /// The document, when it was read with the fact.
    doc: Option<document::Model>,
}

impl Source {
    /// The source of a fact read from `doc`, under `anchor`.
    fn of(doc: document::Model, anchor: Option<String>) -> Self {
        Self {
            url: doc.url.clone(),
            anchor,
            title: doc.title.clone(),
            fetched_at: doc.fetched_at,
            content_hash: doc.content_hash.clone(),
            document_id: doc.id,
            doc: Some(doc),
        }
    }

    /// A source as recorded with a change, whose page may since have changed or gone:
    /// `url` may carry the anchor after `#`.
    pub fn recorded(
        url: &str,
        title: String,
        fetched_at: DateTime<Utc>,
        content_hash: String,
        document_id: i64,
    ) -> Self {
        let (url, anchor) = match url.split_once('#') {
            Some((url, anchor)) => (url.to_owned(), Some(anchor.to_owned())),
            None => (url.to_owned(), None),
        };
        Self {
            url,
            anchor,
            title,
            fetched_at,
            content_hash,
            document_id,
            doc: None,
        }
    }
}

/// Where a fact was read: the page, the place on it, and the copy that was read.
#[Object]
impl Source {
    /// The page's canonical URL, with `#anchor` where the fact sits under an anchored heading.
    async fn url(&self) -> String {
        crate::read::source::url(&self.url, self.anchor.as_deref())
    }
    /// The page's title.
    async fn document_title(&self) -> &str {
        &self.title
    }
    /// When the copy that was parsed was fetched.
    async fn fetched_at(&self) -> DateTime<Utc> {
        self.fetched_at
    }
    /// SHA-256 of the page body that was parsed.
    async fn content_hash(&self) -> &str {
        &self.content_hash
    }
    /// The fragment identifier on the page, if the fact has one.
    async fn anchor(&self) -> Option<&str> {
        self.anchor.as_deref()
    }
    /// The document itself; null only for a change's source whose page has since been
    /// removed.
    async fn document(&self, ctx: &Context<'_>) -> ApiResult<Option<Document>> {
        match &self.doc {
            Some(doc) => Ok(Some(Document(doc.clone()))),
            None => Ok(Document::load(ctx.loaders()?, self.document_id).await?),
        }
    }
}

/// A source from the page already read with the fact, or else through the document loader.
pub async fn source_of(
    ctx: &Context<'_>,
    document_id: i64,
    anchor: Option<String>,
    read: Option<&Arc<document::Model>>,
) -> ApiResult<Source> {
    match read {
        Some(doc) => Ok(Source::of(document::Model::clone(doc), anchor)),
        None => source(ctx, document_id, anchor).await,
    }
}

/// A source through the document loader.
pub async fn source(
    ctx: &Context<'_>,
    document_id: i64,
    anchor: Option<String>,
) -> ApiResult<Source> {
    let Document(doc) = Document::linked(ctx.loaders()?, document_id).await?;
    Ok(Source::of(doc, anchor))
}
