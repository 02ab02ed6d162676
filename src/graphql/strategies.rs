//! Strategies, their aims and priority areas, and their other elements (domains, vision
//! statements, standards).

use async_graphql::{Context, Enum, ID, Object};
use entity::StrategyElementKind as Stored;
use entity::strategy_element;

use super::context::ApiContext;
use super::error::ApiResult;
use super::loader::many;
use super::node::{
    Aim, Document, NodeType, Organisation, PriorityArea, Strategy, StrategyCommitment,
    StrategyElement, Workstream, encode,
};
use super::organisations::{OrganisationRole, organisations_in_roles};
use super::pagination::{Conn, Page, connection_cost, list_cost, slice};
use super::scalars::{Date, date};
use super::source::{Source, source};
use super::workstreams::{sources_of, strategies, workstreams_of};

/// The strategy's elements of one kind, in the loader's order, each wrapped as its type: an
/// element restating another (an aim repeated in a delivery plan) is that one, not listed again.
async fn elements<T>(
    ctx: &Context<'_>,
    strategy_id: i64,
    kind: entity::StrategyElementKind,
    wrap: fn(strategy_element::Model) -> T,
) -> ApiResult<Vec<T>> {
    Ok(many(&ctx.loaders()?.elements_by_strategy, strategy_id)
        .await?
        .into_iter()
        .filter(|e| e.kind == kind && e.canonical_id.is_none_or(|c| c == e.id))
        .map(wrap)
        .collect())
}

/// A strategy, with the documents that publish, develop or deliver it.
#[Object]
impl Strategy {
    /// Global ID.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::Strategy, self.0.id)
    }
    /// The strategy's title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// When its own strategy pages were published (not its delivery plans).
    async fn published_on(&self) -> Option<Date> {
        date(self.0.published_on)
    }
    /// Its aims, in number order.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn aims(&self, ctx: &Context<'_>) -> ApiResult<Vec<Aim>> {
        let mut aims = elements(ctx, self.0.id, Stored::Aim, Aim).await?;
        aims.sort_by_key(|a| (a.0.number, a.0.position));
        Ok(aims)
    }
    /// Its priority areas, in page order.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn priority_areas(&self, ctx: &Context<'_>) -> ApiResult<Vec<PriorityArea>> {
        elements(ctx, self.0.id, Stored::PriorityArea, PriorityArea).await
    }
    /// Its domains (areas of work), in page order.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn domains(&self, ctx: &Context<'_>) -> ApiResult<Vec<StrategyElement>> {
        elements(ctx, self.0.id, Stored::Domain, StrategyElement).await
    }
    /// The statements of its vision, in page order.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn vision_statements(&self, ctx: &Context<'_>) -> ApiResult<Vec<StrategyElement>> {
        elements(ctx, self.0.id, Stored::Vision, StrategyElement).await
    }
    /// Standards it adopts.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn standards(&self, ctx: &Context<'_>) -> ApiResult<Vec<StrategyElement>> {
        elements(ctx, self.0.id, Stored::Standard, StrategyElement).await
    }
    /// Organisations named in a role in it, optionally in one role only.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those in this role; every role when omitted.")] role: Option<
            OrganisationRole,
        >,
    ) -> ApiResult<Vec<Organisation>> {
        organisations_in_roles(&ctx.loaders()?.holders_by_strategy, self.0.id, role).await
    }
    /// The documents that belong to it.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn documents(&self, ctx: &Context<'_>) -> ApiResult<Vec<Document>> {
        Ok(many(&ctx.loaders()?.documents_by_strategy, self.0.id)
            .await?
            .into_iter()
            .map(Document)
            .collect())
    }
    /// Dated promises its pages make, by page and place on the page.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn commitments(&self, ctx: &Context<'_>) -> ApiResult<Vec<StrategyCommitment>> {
        Ok(many(&ctx.loaders()?.commitments_by_strategy, self.0.id)
            .await?
            .into_iter()
            .map(StrategyCommitment)
            .collect())
    }
    /// The strategy that this one refreshes or replaces.
    async fn supersedes(&self, ctx: &Context<'_>) -> ApiResult<Option<Strategy>> {
        Ok(many(&ctx.loaders()?.strategies_superseded_by, self.0.id)
            .await?
            .into_iter()
            .next()
            .map(Strategy))
    }
    /// The strategy that refreshed or replaced this one.
    async fn superseded_by(&self, ctx: &Context<'_>) -> ApiResult<Option<Strategy>> {
        let Some(id) = self.0.superseded_by_id else {
            return Ok(None);
        };
        Ok(strategies(ctx, &[id]).await?.into_iter().next())
    }
}

/// An aim of a strategy.
#[Object]
impl Aim {
    /// Global ID.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::Aim, self.0.id)
    }
    /// The aim's number ("Aim 1").
    async fn number(&self) -> i32 {
        self.0.number.unwrap_or(self.0.position + 1)
    }
    /// The aim's text, without its "Aim N:" label.
    async fn text(&self) -> &str {
        &self.0.name
    }
    /// The strategy it is an aim of.
    async fn strategy(&self, ctx: &Context<'_>) -> ApiResult<Strategy> {
        Ok(Strategy::linked(ctx.loaders()?, self.0.strategy_id).await?)
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
    /// Every page that states this aim: an aim repeated in a delivery plan is the same aim.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<Source>> {
        sources_of(ctx, &self.0).await
    }
}

/// A priority area of a strategy, as one of its documents describes it.
#[Object]
impl PriorityArea {
    /// Global ID.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::PriorityArea, self.0.id)
    }
    /// The area's name, e.g. "Digital Access".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Its number in the strategy ("Priority one" is 1), when the pages number it.
    async fn number(&self) -> Option<i32> {
        self.0.number
    }
    /// What the area means, as the page words it.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The strategy it is a priority of.
    async fn strategy(&self, ctx: &Context<'_>) -> ApiResult<Strategy> {
        Ok(Strategy::linked(ctx.loaders()?, self.0.strategy_id).await?)
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
    /// Every page that states it: the strategy's and each delivery plan's.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn sources(&self, ctx: &Context<'_>) -> ApiResult<Vec<Source>> {
        sources_of(ctx, &self.0).await
    }
    /// The delivery-plan workstreams under it, from every plan year, in plan order.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn workstreams(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
    ) -> ApiResult<Conn<Workstream>> {
        let page = Page::new(first, after.as_deref())?;
        Ok(slice(workstreams_of(ctx, &self.0).await?, page))
    }
}

/// Kinds of strategy element beyond aims and priority areas.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::StrategyElementKind")]
pub enum StrategyElementKind {
    /// An aim.
    Aim,
    /// A priority area.
    PriorityArea,
    /// A domain (an area of work).
    Domain,
    /// A statement of the vision.
    Vision,
    /// A standard the strategy adopts.
    Standard,
}

/// A domain, vision statement or standard of a strategy.
#[Object]
impl StrategyElement {
    /// Global ID.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::StrategyElement, self.0.id)
    }
    /// What kind of element it is.
    async fn kind(&self) -> StrategyElementKind {
        self.0.kind.into()
    }
    /// Its name (for a vision statement, the statement).
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The passage it was read from, or its description.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The strategy it belongs to.
    async fn strategy(&self, ctx: &Context<'_>) -> ApiResult<Strategy> {
        Ok(Strategy::linked(ctx.loaders()?, self.0.strategy_id).await?)
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
}
