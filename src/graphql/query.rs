//! The query root: where every query starts.

use async_graphql::futures_util::future::try_join_all;
use async_graphql::{Context, ID, Object};
use sea_orm::QuerySelect;

use super::changes::{self, ChangeFilter};
use super::context::ApiContext;
use super::error::{ApiError, ApiResult};
use super::filters::{DocumentFilter, MilestoneFilter, MilestoneOrder, OrganisationFilter};
use super::node::IngestRun;
use super::node::{
    self, Change, Commitment, Document, Milestone, Node, NodeType, Organisation, Strategy,
    Workstream, decode_as,
};
use super::pagination::{
    Conn, EventConnectionName, MAX_PAGE_SIZE, NamedConn, Page, all, asks_total, connection,
    connection_cost, paged, renamed, usize_to_u64,
};
use super::scalars::Date;
use super::search::{self, SearchHit};
use super::timeline::{self, EventFilter, TimelineEvent};
use super::workstreams::{self, WorkstreamFilter};
use crate::read;
use crate::read::filter::{Filter, Subject};

/// What a list without `first` is counted as, for cost: the timeline and the strategies list
/// are bounded by the data, not by the request, so they are charged a fixed size.
const UNPAGED_LIST_COST: usize = 100;

/// The query root.
pub struct Query;

/// The query root.
#[Object]
impl Query {
    /// Fetches any object by its global ID; null when it does not exist.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The object's global ID.")] id: ID,
    ) -> ApiResult<Option<Node>> {
        Ok(node::fetch(ctx.loaders()?, &id).await?)
    }

    /// Fetches several objects by global ID, in the order asked; null for those that do not exist.
    #[graphql(complexity = "ids.len().saturating_mul(child_complexity).saturating_add(1)")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Their global IDs, at most 100.")] ids: Vec<ID>,
    ) -> ApiResult<Vec<Option<Node>>> {
        if ids.len() > MAX_PAGE_SIZE as usize {
            return Err(
                ApiError::BadUserInput(format!("at most {MAX_PAGE_SIZE} IDs per request")).into(),
            );
        }
        // All at once, so the loaders batch every ID of a type into one statement.
        let loaders = ctx.loaders()?;
        Ok(try_join_all(ids.iter().map(|id| node::fetch(loaders, id))).await?)
    }

    /// Every ingested page, by URL.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn documents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
        #[graphql(desc = "Which documents to list; all when omitted.")] filter: Option<
            DocumentFilter,
        >,
    ) -> ApiResult<Conn<Document>> {
        let page = Page::new(first, after.as_deref())?;
        let filter = filter.unwrap_or_default();
        let q = read::documents::select(read::documents::Query {
            kind: filter.kind.map(entity::DocumentKind::from),
            strategy: match &filter.strategy {
                Some(s) => Some(decode_as(s, NodeType::Strategy)?),
                None => None,
            },
            commitment: match &filter.commitment {
                Some(c) => Some(decode_as(c, NodeType::Commitment)?),
                None => None,
            },
        });
        Ok(paged(ctx, q, page, Document).await?)
    }

    /// Every strategy, by title.
    #[graphql(complexity = "UNPAGED_LIST_COST * child_complexity + 1")]
    async fn strategies(&self, ctx: &Context<'_>) -> ApiResult<Vec<Strategy>> {
        Ok(all(ctx, read::commitments::strategies())
            .await?
            .into_iter()
            .map(Strategy)
            .collect())
    }

    /// Every commitment, by action plan and number.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn commitments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
    ) -> ApiResult<Conn<Commitment>> {
        let page = Page::new(first, after.as_deref())?;
        Ok(paged(ctx, read::commitments::select(), page, Commitment).await?)
    }

    /// Milestones of every commitment, selected in SQL; by commitment and page order unless
    /// `orderBy` says otherwise.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn milestones(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
        #[graphql(desc = "Which milestones to list; all when omitted.")] filter: Option<
            MilestoneFilter,
        >,
        #[graphql(default, desc = "Their order: the commitments' page order by default.")]
        order_by: MilestoneOrder,
    ) -> ApiResult<Conn<Milestone>> {
        let page = Page::new(first, after.as_deref())?;
        let filter = filter.unwrap_or_default();
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from > to
        {
            return Err(ApiError::BadUserInput(format!(
                "`from` ({}) is after `to` ({})",
                from.0, to.0
            ))
            .into());
        }
        let commitment = match &filter.commitment {
            Some(c) => Some(Subject::Commitment(decode_as(c, NodeType::Commitment)?)),
            None => None,
        };
        let query = read::milestones::Query {
            filter: Filter {
                from: filter.from.map(|d| d.0),
                to: filter.to.map(|d| d.0),
                status: None,
                subject: commitment,
            },
            title: filter.text.clone(),
            ..Default::default()
        };
        let order = match order_by {
            MilestoneOrder::Position => read::milestones::Order::Page,
            MilestoneOrder::StartDate => read::milestones::Order::StartDate,
            MilestoneOrder::EndDate => read::milestones::Order::EndDate,
        };
        let q = read::milestones::select(&query, order);
        Ok(paged(ctx, q, page, Milestone::from).await?)
    }

    /// Delivery-plan workstreams from every plan year, in plan order, selected in SQL.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn workstreams(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
        #[graphql(desc = "Which workstreams to list; all when omitted.")] filter: Option<
            WorkstreamFilter,
        >,
    ) -> ApiResult<Conn<Workstream>> {
        let page = Page::new(first, after.as_deref())?;
        let q = workstreams::select(&filter.unwrap_or_default())?;
        Ok(paged(ctx, q, page, Workstream).await?)
    }

    /// Organisations named in any role, by name.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
        #[graphql(desc = "Which organisations to list; all when omitted.")] filter: Option<
            OrganisationFilter,
        >,
    ) -> ApiResult<Conn<Organisation>> {
        let page = Page::new(first, after.as_deref())?;
        let filter = filter.unwrap_or_default();
        let q = read::organisations::select(&read::organisations::Query {
            name: filter.name.clone(),
            role: filter.role.map(entity::OrganisationRole::from),
        });
        Ok(paged(ctx, q, page, Organisation).await?)
    }

    /// Dated events across every source, ordered by date: what dashboard timelines are built from.
    #[graphql(complexity = "UNPAGED_LIST_COST * child_complexity + 1")]
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Events ending on or after this day; no lower bound when omitted.")]
        from: Option<Date>,
        #[graphql(desc = "Events starting on or before this day; no upper bound when omitted.")]
        to: Option<Date>,
    ) -> ApiResult<Vec<TimelineEvent>> {
        // Dashboards ask for the same window over and over: requests at the same moment share
        // its statements, as root pages do.
        let (from, to) = (from.map(|d| d.0), to.map(|d| d.0));
        let events = timeline::shared(ctx.services()?, ctx.arrived(), from, to).await?;
        Ok(events.as_ref().clone())
    }

    /// Dated events in date order, paged and filtered: `timeline()` as a connection, selected
    /// and paged in SQL.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
        #[graphql(desc = "Which events to list; all when omitted.")] filter: Option<EventFilter>,
    ) -> ApiResult<NamedConn<TimelineEvent, EventConnectionName, EventConnectionName>> {
        let page = Page::new(first, after.as_deref())?;
        let q = timeline::select(&filter.unwrap_or_default())?;
        Ok(renamed(paged(ctx, q, page, TimelineEvent).await?))
    }

    /// Changes, newest first: what each ingest run added, removed or changed, field by field.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
        #[graphql(desc = "Which changes to list; all when omitted.")] filter: Option<ChangeFilter>,
    ) -> ApiResult<Conn<Change>> {
        let page = Page::new(first, after.as_deref())?;
        let q = changes::select(&filter.unwrap_or_default())?;
        Ok(paged(ctx, q, page, Change).await?)
    }

    /// Full-text search over every passage of every ingested page, best match first.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The words to find (at most 1,000 bytes).")] query: String,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
    ) -> ApiResult<Conn<SearchHit>> {
        let page = Page::new(first, after.as_deref())?;
        if query.len() > 1000 {
            return Err(ApiError::BadUserInput("search query over 1000 bytes".to_owned()).into());
        }
        let count = asks_total(ctx);
        let services = ctx.services()?;
        let (hits, total) =
            search::search(&services.db, &services.search_index, &query, page, count).await?;
        Ok(connection(hits, total, page))
    }

    /// Ingest runs, newest first.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn ingest_runs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
    ) -> ApiResult<Vec<IngestRun>> {
        let page = Page::new(first, None)?;
        let select = read::runs::select().limit(usize_to_u64(page.limit));
        Ok(all(ctx, select).await?.into_iter().map(IngestRun).collect())
    }
}
