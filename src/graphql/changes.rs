//! The change feed: what each ingest run added, removed or changed, entity by entity and field
//! by field (recorded by the ingest, see `ingest::store`'s `changes`), newest first.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::change;
use sea_orm::Select;

use super::context::ApiContext;
use super::error::{ApiError, ApiResult};
use super::loader::many;
use super::node::{Change, IngestRun, Node, NodeType, encode, load_node};
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

/// The types whose changes are recorded. Each value is the type's own GraphQL name, as
/// `__typename` gives it, so the wire format is the strings the feed has always sent.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::SubjectType")]
pub enum SubjectType {
    /// An ingested page.
    #[graphql(name = "Document")]
    Document,
    /// A commitment of an action plan.
    #[graphql(name = "Commitment")]
    Commitment,
    /// A milestone of a commitment.
    #[graphql(name = "Milestone")]
    Milestone,
    /// One milestone's update in a progress report.
    #[graphql(name = "ProgressUpdate")]
    ProgressUpdate,
    /// A delivery-plan workstream.
    #[graphql(name = "Workstream")]
    Workstream,
    /// An aim of a strategy.
    #[graphql(name = "Aim")]
    Aim,
    /// A priority area of a strategy.
    #[graphql(name = "PriorityArea")]
    PriorityArea,
    /// A domain, vision statement or standard of a strategy.
    #[graphql(name = "StrategyElement")]
    StrategyElement,
    /// A dated promise in a strategy's prose.
    #[graphql(name = "StrategyCommitment")]
    StrategyCommitment,
    /// An organisation.
    #[graphql(name = "Organisation")]
    Organisation,
    /// A strategy.
    #[graphql(name = "Strategy")]
    Strategy,
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
    subject_type: Option<SubjectType>,
    /// Only this action.
    action: Option<ChangeAction>,
    /// Only changes with this field, e.g. "endDate" or "status": what slipped. A name that no
    /// recorded type has is a BAD_USER_INPUT error that lists the valid names.
    field: Option<String>,
}

/// The changes `filter` selects, newest first.
///
/// # Errors
/// A field name that no recorded type has.
pub fn select(filter: &ChangeFilter) -> Result<Select<change::Entity>, ApiError> {
    if let Some(field) = &filter.field {
        read::changes::check_field(field).map_err(ApiError::BadUserInput)?;
    }
    Ok(read::changes::select(&read::changes::Query {
        since: filter.since,
        subject_type: filter.subject_type.map(entity::SubjectType::from),
        action: filter.action.map(entity::ChangeAction::from),
        field: filter.field.clone(),
        ..Default::default()
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
        Ok(IngestRun::linked(ctx.loaders()?, self.0.run_id).await?)
    }
    /// When the run stored it.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// What the run did.
    async fn action(&self) -> ChangeAction {
        self.0.action.into()
    }
    /// The GraphQL type of the entity.
    async fn subject_type(&self) -> SubjectType {
        self.0.subject_type.into()
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
        use async_graphql::resolver_utils::enum_value;
        use sea_orm::{ActiveEnum, Iterable};
        for kind in entity::SubjectType::iter() {
            let name = kind.to_value();
            assert_eq!(NodeType::named(&name), Some(NodeType::from(kind)), "{name}");
            // The GraphQL value is the stored name, which is the type's.
            assert_eq!(
                enum_value(SubjectType::from(kind)),
                async_graphql::Value::Enum(async_graphql::Name::new(&name))
            );
        }
    }

    #[test]
    fn unknown_and_long_fields_are_refused() {
        let bad = ChangeFilter {
            field: Some("end_date".to_owned()),
            ..ChangeFilter::default()
        };
        let Err(ApiError::BadUserInput(message)) = select(&bad) else {
            panic!("accepted");
        };
        assert!(message.contains("endDate"), "{message}");
        let long = ChangeFilter {
            field: Some("x".repeat(65)),
            ..ChangeFilter::default()
        };
        assert!(select(&long).is_err());
        assert!(select(&ChangeFilter::default()).is_ok());
    }
}
