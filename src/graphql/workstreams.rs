//! Delivery-plan workstreams and strategy commitments: who delivers what by when, and what a
//! strategy promised.

use async_graphql::futures_util::future::try_join_all;
use async_graphql::{Context, ID, InputObject, Object};
use entity::{strategy_element, workstream};
use sea_orm::Select;

use super::changes;
use super::commitments::DeliveryStatus;
use super::context::ApiContext;
use super::error::{ApiError, ApiResult};
use super::loader::{each, many};
use super::node::{
    Change, Document, Node, NodeType, Organisation, PriorityArea, Strategy, StrategyCommitment,
    StrategyElement, Workstream, encode,
};
use super::pagination::{Conn, connection_cost, list_cost};
use super::scalars::{Date, date};
use super::source::{Source, source};
use crate::read::{
    self,
    filter::{Filter, StatusFilter},
};

/// Selects workstreams.
#[derive(InputObject, Default)]
pub struct WorkstreamFilter {
    /// Only workstreams with this status.
    pub status: Option<DeliveryStatus>,
    /// Words that must occur in a lead organisation's name or alias.
    pub lead: Option<String>,
    /// Words that must occur in the priority area's name.
    pub priority_area: Option<String>,
    /// The plan year as printed in the plan's title, normalised to YYYY-YY, e.g. "2024-25".
    pub plan_period: Option<String>,
    /// Workstreams whose due date falls in [from, to]; undated ones are left out when either is set.
    pub from: Option<Date>,
    /// See `from`.
    pub to: Option<Date>,
}

/// The workstreams `filter` selects, in plan order (see [`crate::read::workstreams`]).
///
/// # Errors
/// `from` after `to`.
pub fn select(filter: &WorkstreamFilter) -> Result<Select<workstream::Entity>, ApiError> {
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        return Err(ApiError::BadUserInput(format!(
            "`from` ({}) is after `to` ({})",
            from.0, to.0
        )));
    }
    Ok(read::workstreams::select(&read::workstreams::Query {
        filter: Filter {
            from: filter.from.map(|d| d.0),
            to: filter.to.map(|d| d.0),
            status: filter
                .status
                .map(|s| StatusFilter::Is(entity::DeliveryStatus::from(s))),
            subject: None,
        },
        lead: filter.lead.clone(),
        priority_area: filter.priority_area.clone(),
        plan_period: filter.plan_period.clone(),
        ..Default::default()
    }))
}

/// A JSON array column as its strings (empty when it is not one).
fn strings(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// A delivery-plan workstream: what will be delivered, why, who leads it and when.
#[Object]
impl Workstream {
    /// Global ID.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::Workstream, self.0.id)
    }
    /// What ingest runs added, removed or changed in it, newest first: its previous dates,
    /// wording and status.
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
        changes::of_subject(ctx, NodeType::Workstream, self.0.id, first, after).await
    }
    /// What will be delivered, as printed. A lead-in printed with bullets is followed by its
    /// bullets joined with "; " ("... covering: free local classes; online self-study guides").
    async fn deliverable(&self) -> &str {
        &self.0.deliverable
    }
    /// Why it is being done: one entry per paragraph or bullet.
    async fn rationale(&self) -> Vec<String> {
        strings(&self.0.rationale)
    }
    /// Who leads it, as the same organisation entities that every other page names (by name).
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn leads(&self, ctx: &Context<'_>) -> ApiResult<Vec<Organisation>> {
        let mut leads: Vec<_> = many(&ctx.loaders()?.holders_by_workstream, self.0.id)
            .await?
            .into_iter()
            .map(|h| h.organisation)
            .collect();
        leads.sort_by(|a, b| a.name.cmp(&b.name));
        leads.dedup_by_key(|o| o.id);
        Ok(leads.into_iter().map(Organisation).collect())
    }
    /// When it will be delivered, exactly as printed (status words removed).
    async fn due_text(&self) -> Option<&str> {
        self.0.due_text.as_deref()
    }
    /// The last day of the due period, when dueText is a date.
    async fn due_date(&self) -> Option<Date> {
        date(self.0.due_date)
    }
    /// The status the plan gives it.
    async fn status(&self) -> Option<DeliveryStatus> {
        self.0.status.map(Into::into)
    }
    /// The status exactly as printed, e.g. "On Track".
    async fn status_text(&self) -> Option<&str> {
        self.0.status_text.as_deref()
    }
    /// Progress the plan reports for it: one entry per sentence, paragraph or bullet.
    async fn progress(&self) -> Vec<String> {
        strings(&self.0.progress)
    }
    /// The priority area of its page, as the strategy states it.
    async fn priority_area(&self, ctx: &Context<'_>) -> ApiResult<Option<PriorityArea>> {
        let Some(id) = self.0.priority_area_id else {
            return Ok(None);
        };
        canonical_area(ctx, id).await
    }
    /// The delivery plan page it is listed on.
    async fn document(&self, ctx: &Context<'_>) -> ApiResult<Document> {
        Ok(Document::linked(ctx.loaders()?, self.0.document_id).await?)
    }
    /// The plan year, normalised to YYYY-YY.
    async fn plan_period(&self) -> &str {
        &self.0.plan_period
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
}

/// The element a page's priority area restates (itself when it restates none).
async fn canonical_area(ctx: &Context<'_>, id: i64) -> ApiResult<Option<PriorityArea>> {
    let loaders = ctx.loaders()?;
    let Some(area) = PriorityArea::load(loaders, id).await? else {
        return Ok(None);
    };
    // Always a second load, even of the element itself: every workstream then takes the same
    // two steps, so their later reads (sources, strategy) batch together.
    let canonical = area.0.canonical_id.unwrap_or(id);
    Ok(PriorityArea::load(loaders, canonical).await?.or(Some(area)))
}

/// Every statement of an aim or priority area (the element itself and those restating it),
/// as sources, the element's own first.
pub(super) async fn sources_of(
    ctx: &Context<'_>,
    element: &strategy_element::Model,
) -> ApiResult<Vec<Source>> {
    let mut statements = many(&ctx.loaders()?.elements_by_canonical, element.id).await?;
    if !statements.iter().any(|e| e.id == element.id) {
        statements.insert(0, element.clone());
    }
    statements.sort_by_key(|e| (e.id != element.id, e.document_id, e.position));
    try_join_all(
        statements
            .into_iter()
            .map(|e| source(ctx, e.document_id, e.anchor)),
    )
    .await
}

/// The workstreams under a priority area (the element and every statement restating it), in
/// plan order.
pub(super) async fn workstreams_of(
    ctx: &Context<'_>,
    element: &strategy_element::Model,
) -> ApiResult<Vec<Workstream>> {
    let loaders = ctx.loaders()?;
    let mut statements: Vec<i64> = many(&loaders.elements_by_canonical, element.id)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    if !statements.contains(&element.id) {
        statements.push(element.id);
    }
    let found = loaders
        .workstreams_by_area
        .load_many(statements.iter().copied())
        .await?;
    let mut rows: Vec<workstream::Model> = found.into_values().flatten().collect();
    rows.sort_by(|a, b| {
        (&a.plan_period, a.document_id, a.position).cmp(&(
            &b.plan_period,
            b.document_id,
            b.position,
        ))
    });
    Ok(rows.into_iter().map(Workstream).collect())
}

/// A dated promise in a strategy's prose, e.g. "By July 2018, we will ...", or a bullet under
/// "Our Commitments:".
#[Object]
impl StrategyCommitment {
    /// Global ID.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::StrategyCommitment, self.0.id)
    }
    /// The promise as printed.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// Its date phrase, e.g. "By July 2018".
    async fn date_text(&self) -> Option<&str> {
        self.0.date_text.as_deref()
    }
    /// The last day of the date phrase's period.
    async fn due_date(&self) -> Option<Date> {
        date(self.0.due_date)
    }
    /// The strategy that made it.
    async fn strategy(&self, ctx: &Context<'_>) -> ApiResult<Strategy> {
        Ok(Strategy::linked(ctx.loaders()?, self.0.strategy_id).await?)
    }
    /// The domain or priority area it sits under, if any.
    async fn area(&self, ctx: &Context<'_>) -> ApiResult<Option<Node>> {
        let Some(id) = self.0.area_id else {
            return Ok(None);
        };
        if let Some(area) = canonical_area(ctx, id).await? {
            return Ok(Some(Node::PriorityArea(area)));
        }
        Ok(StrategyElement::load(ctx.loaders()?, id)
            .await?
            .map(Node::StrategyElement))
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
}

/// Loads strategies by ID, in the order given.
pub(super) async fn strategies(ctx: &Context<'_>, ids: &[i64]) -> ApiResult<Vec<Strategy>> {
    Ok(each(&ctx.loaders()?.strategy, ids)
        .await?
        .into_iter()
        .map(Strategy)
        .collect())
}
