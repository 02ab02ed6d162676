//! The change feed: what each ingest run added, removed or changed, entity by entity and field
//! by field (recorded by the ingest, see `ingest::store`'s `changes`), newest first.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{SubjectType, change};
use sea_orm::{ActiveEnum, Iterable, Select};

use super::context::ApiContext;
use super::error::{ApiError, ApiResult};
use super::ingest_runs::IngestRun;
use super::loader::many;
use super::node::{Change, Node, NodeType, encode, load_node};
use super::pagination::{Conn, Page, slice};
use super::source::Source;
use super::versions::change_diff_url;
use crate::read;

/// What an ingest run did to an entity.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::ChangeAction")]
pub enum ChangeAction {
    /// The entity is new.
    Added,
    /// The entity is gone.
    Removed,
    /// Some of its fields changed.
    Changed,
}

/// One field of a change, with both values as text (dates as `YYYY-MM-DD`, statuses by
/// their enum names).
#[derive(SimpleObject)]
pub struct FieldChange {
    /// The field's name in the API, e.g. `endDate`.
    field: String,
    /// Its value before the run; null when it had none.
    before: Option<String>,
    /// Its value after the run; null when it has none (or the entity was removed).
    after: Option<String>,
}

/// Which changes to list.
#[derive(InputObject, Default)]
pub struct ChangeFilter {
    /// Changes made at or after this time.
    since: Option<DateTime<Utc>>,
    /// Only changes to entities of this type, e.g. `Milestone`.
    subject_type: Option<String>,
    /// Only this action.
    action: Option<ChangeAction>,
    /// Only changes with this field, e.g. `endDate` or `status`: what slipped.
    field: Option<String>,
}

/// The longest field name a filter may ask for.
const MAX_FIELD_NAME: usize = 64;

/// The changes `filter` selects, newest first.
///
/// # Errors
/// A subject type the feed does not record, or an over-long field name.
pub fn select(filter: &ChangeFilter) -> Result<Select<change::Entity>, ApiError> {
    let subject_type = match &filter.subject_type {
        Some(kind) => Some(SubjectType::try_from_value(kind).map_err(|_| {
            ApiError::BadUserInput(format!(
                "subjectType {kind:?} is not one the feed records; it records {}",
                SubjectType::iter()
                    .map(|t| t.to_value())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
        None => None,
    };
    if let Some(field) = &filter.field
        && field.len() > MAX_FIELD_NAME
    {
        return Err(ApiError::BadUserInput(format!(
            "field name over {MAX_FIELD_NAME} bytes"
        )));
    }
    Ok(read::changes::select(&read::changes::Query {
        since: filter.since,
        subject_type,
        action: filter.action.map(entity::ChangeAction::from),
        field: filter.field.clone(),
        run: None,
    }))
}

/// The changes of the entity `id` of type `kind`, newest first.
pub(super) async fn of_subject(
    ctx: &Context<'_>,
    kind: NodeType,
    id: i64,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<Conn<Change>> {
    let page = Page::new(first, after.as_deref())?;
    let rows = many(&ctx.loaders()?.changes_by_subject, id).await?;
    Ok(newest_first(
        rows.into_iter()
            .filter(|c| NodeType::from(c.subject_type) == kind)
            .collect(),
        page,
    ))
}

/// The changes read from the page `document_id`, newest first.
pub(super) async fn of_document(
    ctx: &Context<'_>,
    document_id: i64,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<Conn<Change>> {
    let page = Page::new(first, after.as_deref())?;
    let rows = many(&ctx.loaders()?.changes_by_document, document_id).await?;
    Ok(newest_first(rows, page))
}

fn newest_first(mut rows: Vec<change::Model>, page: Page) -> Conn<Change> {
    rows.reverse();
    slice(rows.into_iter().map(Change).collect(), page)
}

/// One entity added, removed or changed by one ingest run.
#[Object]
impl Change {
    /// Global ID.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::Change, self.0.id)
    }
    /// The ingest run that made it.
    async fn run(&self, ctx: &Context<'_>) -> ApiResult<IngestRun> {
        let runs = many(&ctx.loaders()?.run, self.0.run_id).await?;
        runs.into_iter().next().map(IngestRun).ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("ingest run {} missing", self.0.run_id)).into()
        })
    }
    /// When the run stored it.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// What the run did.
    async fn action(&self) -> ChangeAction {
        self.0.action.into()
    }
    /// The GraphQL type of the entity, e.g. "Milestone".
    async fn subject_type(&self) -> String {
        self.0.subject_type.to_value()
    }
    /// The entity's global ID (stable across ingests), kept even when the entity was removed.
    async fn subject_id(&self) -> ApiResult<ID> {
        Ok(encode(self.kind()?, self.0.subject_id))
    }
    /// The entity as it is now; null when it was removed.
    async fn subject(&self, ctx: &Context<'_>) -> ApiResult<Option<Node>> {
        Ok(load_node(ctx.loaders()?, self.kind()?, self.0.subject_id).await?)
    }
    /// A human-readable name for the entity at the time, e.g. the milestone's title.
    async fn label(&self) -> &str {
        &self.0.label
    }
    /// For CHANGED: every field whose value differs, with both values as text. For REMOVED:
    /// the values it had. For ADDED: none (the entity is there to read).
    async fn fields(&self, ctx: &Context<'_>) -> ApiResult<Vec<FieldChange>> {
        Ok(many(&ctx.loaders()?.fields_by_change, self.0.id)
            .await?
            .into_iter()
            .map(|f| FieldChange {
                field: f.field,
                before: f.before,
                after: f.after,
            })
            .collect())
    }
    /// The page the change was read from, as it was read; null for organisations and
    /// strategies, which belong to no one page.
    async fn source(&self) -> Option<Source> {
        let c = &self.0;
        Some(Source::recorded(
            c.source_url.as_deref()?,
            c.source_title.clone()?,
            c.source_fetched_at?,
            c.source_hash.clone()?,
            c.document_id?,
        ))
    }
    /// For a change read from a page that has an earlier version: the page's diff between the
    /// two (a path on this server).
    async fn diff_url(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        let Some(document) = self.0.document_id else {
            return Ok(None);
        };
        change_diff_url(ctx, document, self.0.run_id).await
    }
}

impl Change {
    fn kind(&self) -> Result<NodeType, ApiError> {
        Ok(self.0.subject_type.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recorded_type_is_a_node_type_of_its_name() {
        for kind in SubjectType::iter() {
            let name = kind.to_value();
            assert_eq!(NodeType::named(&name), Some(NodeType::from(kind)), "{name}");
        }
    }

    #[test]
    fn unknown_subject_types_and_long_fields_are_refused() {
        let bad = ChangeFilter {
            subject_type: Some("Passage".to_owned()),
            ..ChangeFilter::default()
        };
        assert!(select(&bad).is_err());
        let long = ChangeFilter {
            field: Some("x".repeat(65)),
            ..ChangeFilter::default()
        };
        assert!(select(&long).is_err());
        assert!(select(&ChangeFilter::default()).is_ok());
    }
}
