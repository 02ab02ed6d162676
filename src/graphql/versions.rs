//! A page's stored versions, what each said, and what changed between two of them, as the
//! schema gives them; the reads and the diff are the read layer's ([`crate::read::versions`],
//! [`crate::read::diff`]).

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};

use super::context::ApiContext;
use super::error::{ApiError, ApiResult};
use super::loader::many;
use super::node::{DocumentVersion, IngestRun, NodeType, decode_as, encode};
use crate::read::diff::Operation;
use crate::read::versions::{self, CompareError, diff_path};

/// One stored copy of a page.
#[Object]
impl DocumentVersion {
    /// Global ID of the version (an argument of `Document.diff`).
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::DocumentVersion, self.0.id)
    }
    /// SHA-256 of the copy's body.
    async fn content_hash(&self) -> &str {
        &self.0.content_hash
    }
    /// When the copy was fetched.
    async fn fetched_at(&self) -> DateTime<Utc> {
        self.0.fetched_at
    }
    /// The ingest run that stored it (its row number).
    async fn run_id(&self) -> i64 {
        self.0.run_id
    }
    /// The ingest run that stored it.
    async fn run(&self, ctx: &Context<'_>) -> ApiResult<IngestRun> {
        Ok(IngestRun::linked(ctx.loaders()?, self.0.run_id).await?)
    }
    /// The content as this version was read, in page order; null for versions stored before
    /// texts were kept.
    async fn passages(&self, ctx: &Context<'_>) -> ApiResult<Option<Vec<VersionPassage>>> {
        let said = versions::passages(ctx.db()?, &self.0).await?;
        Ok(said.map(|ps| {
            ps.into_iter()
                .map(|p| VersionPassage {
                    position: p.position,
                    headings: p.headings,
                    anchor: p.anchor,
                    text: p.text,
                })
                .collect()
        }))
    }
}

/// One passage of a stored version: what the page said then.
#[derive(SimpleObject)]
pub struct VersionPassage {
    /// Its place among the version's passages, from 0.
    pub position: i32,
    /// The headings above it, outermost first.
    pub headings: Vec<String>,
    /// The fragment of the heading it stands under, if any.
    pub anchor: Option<String>,
    /// Its text.
    pub text: String,
}

/// What happened to a passage between two versions.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::read::diff::Action")]
pub enum DiffAction {
    /// Only in the later version.
    Added,
    /// Only in the earlier version.
    Removed,
    /// In both, reworded.
    Changed,
}

/// What a run of words of a changed passage is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "crate::read::diff::SpanKind")]
pub enum DiffSpanKind {
    /// In both versions.
    Kept,
    /// Only in the later.
    Inserted,
    /// Only in the earlier.
    Deleted,
}

/// A run of words of a changed passage, with the spaces between them.
#[derive(SimpleObject)]
pub struct DiffSpan {
    /// Kept, inserted or deleted.
    pub kind: DiffSpanKind,
    /// The words.
    pub text: String,
}

/// One passage added, removed or changed.
pub struct DiffOperation(Operation);

/// One passage added, removed or changed.
#[Object]
impl DiffOperation {
    /// What happened to it.
    async fn action(&self) -> DiffAction {
        self.0.action.into()
    }
    /// The headings above it (in the later version; in the earlier for a removal).
    async fn headings(&self) -> &[String] {
        &self.0.headings
    }
    /// The fragment of the heading it stands under, likewise.
    async fn anchor(&self) -> Option<&str> {
        self.0.anchor.as_deref()
    }
    /// The passage before (null when ADDED).
    async fn before(&self) -> Option<&str> {
        self.0.before.as_deref()
    }
    /// The passage after (null when REMOVED).
    async fn after(&self) -> Option<&str> {
        self.0.after.as_deref()
    }
    /// For CHANGED: the words kept, inserted and deleted, in order.
    async fn spans(&self) -> Vec<DiffSpan> {
        self.0
            .spans
            .iter()
            .map(|s| DiffSpan {
                kind: s.kind.into(),
                text: s.text.clone(),
            })
            .collect()
    }
}

/// What changed on a page from one version to another.
pub struct DocumentDiff {
    document: i64,
    compared: versions::Compared,
    operations: Vec<Operation>,
}

/// What changed on a page from one version to another.
#[Object]
impl DocumentDiff {
    /// The earlier version.
    async fn from(&self) -> DocumentVersion {
        DocumentVersion(self.compared.from.clone())
    }
    /// The later version.
    async fn to(&self) -> DocumentVersion {
        DocumentVersion(self.compared.to.clone())
    }
    /// Passage-level operations in page order; passages that did not change are left out.
    /// White space and the page's furniture (banners, menus) are never a difference.
    async fn operations(&self) -> Vec<DiffOperation> {
        self.operations.iter().cloned().map(DiffOperation).collect()
    }
    /// The same diff drawn as an HTML page (a path on this server).
    async fn html_url(&self) -> String {
        diff_path(self.document, self.compared.from.id, self.compared.to.id)
    }
}

/// `Document.diff`: what changed on `document` between the versions `from` and `to` (global
/// IDs; by default the previous and the latest). Null when the page has one version, or when
/// either version was stored before texts were kept.
///
/// # Errors
/// An ID that is not a version of this page, or a database error.
pub async fn document_diff(
    ctx: &Context<'_>,
    document: i64,
    from: Option<ID>,
    to: Option<ID>,
) -> ApiResult<Option<DocumentDiff>> {
    let version = |id: Option<ID>| match id {
        Some(id) => decode_as(&id, NodeType::DocumentVersion).map(Some),
        None => Ok(None),
    };
    let (from, to) = (version(from)?, version(to)?);
    let compared = match versions::compare(ctx.db()?, document, from, to).await {
        Ok(compared) => compared,
        Err(CompareError::NotOfDocument(id)) => {
            return Err(ApiError::BadUserInput(format!(
                "{} is not a version of this document",
                encode(NodeType::DocumentVersion, id).0
            ))
            .into());
        }
        Err(CompareError::Db(e)) => return Err(ApiError::from(e).into()),
    };
    Ok(compared.and_then(|compared| {
        let operations = compared.operations.clone()?;
        Some(DocumentDiff {
            document,
            compared,
            operations,
        })
    }))
}

/// `Change.diffUrl`: for a change read from a page, the page's diff from the version before the
/// change's run to the version that run stored; `None` when there is no earlier version.
///
/// # Errors
/// A database error.
pub async fn change_diff_url(
    ctx: &Context<'_>,
    document: i64,
    run: i64,
) -> ApiResult<Option<String>> {
    let stored = many(&ctx.loaders()?.versions_by_document, document).await?;
    Ok(versions::diff_of_run(&stored, run))
}
