//! The stored versions of a page, what each said, and what changed between two of them: read
//! by GraphQL (`Document.versions`, `Document.diff`, `Change.diffUrl`) and the diff page alike.

use std::collections::HashMap;

use entity::{document_version, version_text};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::diff::{Operation, diff};
use super::ids::{NodeType, encode};
use ingest::texts::{self, VersionPassage};

/// A page's stored versions, oldest first.
///
/// # Errors
/// A database error.
pub async fn of_document(
    db: &impl ConnectionTrait,
    document: i64,
) -> Result<Vec<document_version::Model>, DbErr> {
    Ok(of_documents(db, [document])
        .await?
        .remove(&document)
        .unwrap_or_default())
}

/// What a version said, in page order; `None` for a version stored before texts were kept.
///
/// # Errors
/// A database error, or a stored text that cannot be read (named by its hash).
pub async fn passages(
    db: &impl ConnectionTrait,
    version: &document_version::Model,
) -> Result<Option<Vec<VersionPassage>>, DbErr> {
    let Some(hash) = &version.text_hash else {
        return Ok(None);
    };
    let Some(row) = version_text::Entity::find_by_id(hash.clone())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    texts::decode(hash, &row.passages)
        .map(Some)
        .map_err(|e| DbErr::Custom(e.to_string()))
}

/// Two versions of a page and what changed between them.
#[derive(Clone, Debug)]
pub struct Compared {
    /// The earlier.
    pub from: document_version::Model,
    /// The later.
    pub to: document_version::Model,
    /// What changed, in page order; `None` when either version was stored before texts were
    /// kept.
    pub operations: Option<Vec<Operation>>,
}

/// Why two versions cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// A version that is not one of this page's.
    #[error("version {0} is not a version of this document")]
    NotOfDocument(i64),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// What changed on `document` from version `from` to version `to` (row IDs): by default `to`
/// is the latest version and `from` the one before `to`. `None` when there is no earlier
/// version to compare with.
///
/// # Errors
/// A version of another page, or a database error.
pub async fn compare(
    db: &impl ConnectionTrait,
    document: i64,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<Option<Compared>, CompareError> {
    let versions = of_document(db, document).await?;
    let find = |id: i64| {
        versions
            .iter()
            .position(|v| v.id == id)
            .ok_or(CompareError::NotOfDocument(id))
    };
    let to_at = match to {
        Some(id) => find(id)?,
        None => match versions.len().checked_sub(1) {
            Some(last) => last,
            None => return Ok(None),
        },
    };
    let from_at = match from {
        Some(id) => find(id)?,
        None => match to_at.checked_sub(1) {
            Some(before) => before,
            None => return Ok(None),
        },
    };
    let (from, to) = (versions[from_at].clone(), versions[to_at].clone());
    let operations = match (passages(db, &from).await?, passages(db, &to).await?) {
        (Some(before), Some(after)) => Some(diff(&before, &after)),
        _ => None,
    };
    Ok(Some(Compared {
        from,
        to,
        operations,
    }))
}

/// For each of `documents` stored in more than one version: the path of its latest diff (from
/// the version before the latest to the latest).
///
/// # Errors
/// A database error.
pub async fn latest_diffs(
    db: &impl ConnectionTrait,
    documents: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, DbErr> {
    Ok(of_documents(db, documents)
        .await?
        .into_iter()
        .filter_map(|(document, versions)| match &versions[..] {
            [.., from, to] => Some((document, diff_path(document, from.id, to.id))),
            _ => None,
        })
        .collect())
}

/// The diff a run made on a page: from the version before the one `run` stored to that one,
/// given the page's versions oldest first; `None` when the run stored none, or the first.
pub fn diff_of_run(versions: &[document_version::Model], run: i64) -> Option<String> {
    let at = versions.iter().position(|v| v.run_id == run)?;
    let before = &versions[at.checked_sub(1)?];
    Some(diff_path(
        versions[at].document_id,
        before.id,
        versions[at].id,
    ))
}

/// The stored versions of each of `documents`, oldest first.
///
/// # Errors
/// A database error.
pub async fn of_documents(
    db: &impl ConnectionTrait,
    documents: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, Vec<document_version::Model>>, DbErr> {
    let mut ids: Vec<i64> = documents.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    let mut by_document: HashMap<i64, Vec<document_version::Model>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows = document_version::Entity::find()
            .filter(document_version::Column::DocumentId.is_in(chunk.iter().copied()))
            .order_by_asc(document_version::Column::Id)
            .all(db)
            .await?;
        for v in rows {
            by_document.entry(v.document_id).or_default().push(v);
        }
    }
    Ok(by_document)
}

/// Where the diff page of `document` between two versions is served (a path on this server).
pub fn diff_path(document: i64, from: i64, to: i64) -> String {
    format!(
        "/documents/{}/diff?from={}&to={}",
        encode(NodeType::Document, document),
        encode(NodeType::DocumentVersion, from),
        encode(NodeType::DocumentVersion, to)
    )
}
