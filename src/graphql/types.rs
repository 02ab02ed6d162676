//! The GraphQL object types. Each wraps an entity model; names, IDs and descriptions live here,
//! so a column rename never changes the public API.

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{
    Context, Enum, ID, InputValueError, InputValueResult, Interface, Object, OutputType, Scalar,
    ScalarType, SimpleObject, Value,
};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    commitment, commitment_item, document, document_version, ingest_run, milestone, organisation,
    organisation_role, passage, progress_update, strategy, strategy_element,
};

use super::context::ApiContext;
use super::error::{ApiError, ApiResult};
use super::id::{self, NodeType};
use super::loader::{ReadAhead, RoleHolders, each, many, one};
use async_graphql::dataloader::DataLoader;
use std::sync::Arc;

/// A calendar date, ISO 8601 ("2021-08-01").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar date, ISO 8601 ("2021-08-01").
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| InputValueError::custom(format!("{s:?} is not a date (YYYY-MM-DD)"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

fn date(d: Option<NaiveDate>) -> Option<Date> {
    d.map(Date)
}

/// The default page size of connections.
pub const DEFAULT_PAGE_SIZE: i32 = 20;
/// The largest page a connection serves; asking for more is an error, not a silent cap.
pub const MAX_PAGE_SIZE: i32 = 100;

/// Fields every connection has besides its edges.
#[derive(SimpleObject)]
pub struct ConnectionTotal {
    /// How many items the whole connection holds, across all pages.
    pub total_count: i32,
}

/// A Relay cursor connection with `totalCount` and `nodes`.
pub type Conn<N> = Connection<String, N, ConnectionTotal, EmptyFields>;

/// Which slice of a connection a request wants.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    /// Items to skip.
    pub offset: usize,
    /// Items to return.
    pub limit: usize,
}

impl Page {
    /// Checks `first` and `after`.
    ///
    /// # Errors
    /// `first` below 0 or above [`MAX_PAGE_SIZE`], or a cursor this server did not issue.
    pub fn new(first: Option<i32>, after: Option<&str>) -> Result<Self, ApiError> {
        let first = first.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(0..=MAX_PAGE_SIZE).contains(&first) {
            return Err(ApiError::BadUserInput(format!(
                "`first` must be between 0 and {MAX_PAGE_SIZE}, got {first}"
            )));
        }
        let offset = match after {
            Some(c) => id::decode_cursor(c)? + 1,
            None => 0,
        };
        Ok(Self {
            offset,
            limit: usize::try_from(first).unwrap_or(0),
        })
    }
}

/// What a connection field costs: `first` (or the default page size) times what one node
/// costs, plus one for the connection itself. Used in `complexity` attributes.
pub fn connection_cost(first: Option<i32>, child_complexity: usize) -> usize {
    let n = usize::try_from(first.unwrap_or(DEFAULT_PAGE_SIZE).max(0)).unwrap_or(0);
    n.saturating_mul(child_complexity).saturating_add(1)
}

/// What an unpaged list field (an organisation's roles, a strategy's aims, ...) is counted as,
/// for cost: such lists are short on the real pages but not bounded by the request, so nesting
/// them must not be free.
pub const LIST_COST: usize = 10;

/// The cost of an unpaged list field: [`LIST_COST`] items.
pub fn list_cost(child_complexity: usize) -> usize {
    LIST_COST.saturating_mul(child_complexity).saturating_add(1)
}

/// Builds a connection from one page of items and the total.
pub fn connection<N: OutputType>(items: Vec<N>, total: usize, page: Page) -> Conn<N> {
    let has_next = page.offset + items.len() < total;
    let mut conn = Connection::with_additional_fields(
        page.offset > 0,
        has_next,
        ConnectionTotal {
            total_count: i32::try_from(total).unwrap_or(i32::MAX),
        },
    );
    conn.edges.extend(
        items
            .into_iter()
            .enumerate()
            .map(|(i, node)| Edge::new(id::cursor(page.offset + i), node)),
    );
    conn
}

/// Builds a connection from every item, keeping one page.
pub fn slice<N: OutputType>(all: Vec<N>, page: Page) -> Conn<N> {
    let total = all.len();
    let items = all.into_iter().skip(page.offset).take(page.limit).collect();
    connection(items, total, page)
}

/// Where a fact was read: the page, the place on it, and the copy that was read.
pub struct Source {
    doc: document::Model,
    anchor: Option<String>,
}

/// Where a fact was read: the page, the place on it, and the copy that was read.
#[Object]
impl Source {
    /// The page's canonical URL, with `#anchor` where the fact sits under an anchored heading.
    async fn url(&self) -> String {
        match &self.anchor {
            Some(a) => format!("{}#{a}", self.doc.url),
            None => self.doc.url.clone(),
        }
    }
    /// The page's title.
    async fn document_title(&self) -> &str {
        &self.doc.title
    }
    /// When the copy that was parsed was fetched.
    async fn fetched_at(&self) -> DateTime<Utc> {
        self.doc.fetched_at
    }
    /// SHA-256 of the page body that was parsed.
    async fn content_hash(&self) -> &str {
        &self.doc.content_hash
    }
    /// The fragment identifier on the page, if the fact has one.
    async fn anchor(&self) -> Option<&str> {
        self.anchor.as_deref()
    }
    /// The document itself.
    async fn document(&self) -> Document {
        Document(self.doc.clone())
    }
}

/// A source from the page already read with the fact, or else through the document loader.
async fn source_of(
    ctx: &Context<'_>,
    document_id: i64,
    anchor: Option<String>,
    read: Option<&Arc<document::Model>>,
) -> ApiResult<Source> {
    match read {
        Some(doc) => Ok(Source {
            doc: document::Model::clone(doc),
            anchor,
        }),
        None => source(ctx, document_id, anchor).await,
    }
}

async fn source(ctx: &Context<'_>, document_id: i64, anchor: Option<String>) -> ApiResult<Source> {
    let doc = one(&ctx.loaders()?.document, document_id)
        .await?
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "document {document_id} missing for a source"
            ))
        })?;
    Ok(Source { doc, anchor })
}

/// Kinds of ingested document.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
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
    /// Any other page.
    Other,
}

impl DocumentKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CommitmentOverview => "COMMITMENT_OVERVIEW",
            Self::ProgressReport => "PROGRESS_REPORT",
            Self::Strategy => "STRATEGY",
            Self::DeliveryPlan => "DELIVERY_PLAN",
            Self::Consultation => "CONSULTATION",
            Self::Other => "OTHER",
        }
    }

    fn from_stored(s: &str) -> Self {
        [
            Self::CommitmentOverview,
            Self::ProgressReport,
            Self::Strategy,
            Self::DeliveryPlan,
            Self::Consultation,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .unwrap_or(Self::Other)
    }
}

/// An ingested page.
#[derive(Clone)]
pub struct Document(pub document::Model);

/// An ingested page.
#[Object]
impl Document {
    /// Global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::Document, self.0.id)
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
        DocumentKind::from_stored(&self.0.kind)
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
    /// The page's paragraphs and list items, in page order.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn passages(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
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
        Ok(one(&ctx.loaders()?.strategy, sid).await?.map(Strategy))
    }
    /// The commitment the page is about, if any.
    async fn commitment(&self, ctx: &Context<'_>) -> ApiResult<Option<Commitment>> {
        let Some(cid) = self.0.commitment_id else {
            return Ok(None);
        };
        Ok(one(&ctx.loaders()?.commitment, cid).await?.map(Commitment))
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
}

/// One stored copy of a page.
pub struct DocumentVersion(pub document_version::Model);

/// One stored copy of a page.
#[Object]
impl DocumentVersion {
    /// SHA-256 of the copy's body.
    async fn content_hash(&self) -> &str {
        &self.0.content_hash
    }
    /// When the copy was fetched.
    async fn fetched_at(&self) -> DateTime<Utc> {
        self.0.fetched_at
    }
    /// The ingest run that stored it.
    async fn run_id(&self) -> i64 {
        self.0.run_id
    }
}

/// A paragraph or list item of a page, with the headings above it.
#[derive(Clone)]
pub struct Passage(pub passage::Model);

/// A paragraph or list item of a page, with the headings above it.
#[Object]
impl Passage {
    /// Global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::Passage, self.0.id)
    }
    /// The page the passage is on.
    async fn document(&self, ctx: &Context<'_>) -> ApiResult<Document> {
        Ok(Document(source(ctx, self.0.document_id, None).await?.doc))
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

/// A strategy, with the documents that publish, develop or deliver it.
#[derive(Clone)]
pub struct Strategy(pub strategy::Model);

async fn elements(
    ctx: &Context<'_>,
    strategy_id: i64,
    kind: &str,
) -> ApiResult<Vec<strategy_element::Model>> {
    Ok(many(&ctx.loaders()?.elements_by_strategy, strategy_id)
        .await?
        .into_iter()
        .filter(|e| e.kind == kind)
        .collect())
}

async fn organisations_in_roles(
    loader: &DataLoader<RoleHolders>,
    key: i64,
    role: Option<OrganisationRole>,
) -> ApiResult<Vec<Organisation>> {
    let holders = many(loader, key).await?;
    let mut seen = std::collections::HashSet::new();
    Ok(holders
        .into_iter()
        .filter(|h| role.is_none_or(|want| want.as_str() == h.role))
        .filter(|h| seen.insert(h.organisation.id))
        .map(|h| Organisation(h.organisation))
        .collect())
}

/// A strategy, with the documents that publish, develop or deliver it.
#[Object]
impl Strategy {
    /// Global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::Strategy, self.0.id)
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
        let mut aims: Vec<Aim> = elements(ctx, self.0.id, "AIM")
            .await?
            .into_iter()
            .map(Aim)
            .collect();
        aims.sort_by_key(|a| (a.0.number, a.0.position));
        Ok(aims)
    }
    /// Its priority areas, in page order.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn priority_areas(&self, ctx: &Context<'_>) -> ApiResult<Vec<PriorityArea>> {
        Ok(elements(ctx, self.0.id, "PRIORITY_AREA")
            .await?
            .into_iter()
            .map(PriorityArea)
            .collect())
    }
    /// Its domains (areas of work), in page order.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn domains(&self, ctx: &Context<'_>) -> ApiResult<Vec<StrategyElement>> {
        Ok(elements(ctx, self.0.id, "DOMAIN")
            .await?
            .into_iter()
            .map(StrategyElement)
            .collect())
    }
    /// The statements of its vision, in page order.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn vision_statements(&self, ctx: &Context<'_>) -> ApiResult<Vec<StrategyElement>> {
        Ok(elements(ctx, self.0.id, "VISION")
            .await?
            .into_iter()
            .map(StrategyElement)
            .collect())
    }
    /// Standards it adopts.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn standards(&self, ctx: &Context<'_>) -> ApiResult<Vec<StrategyElement>> {
        Ok(elements(ctx, self.0.id, "STANDARD")
            .await?
            .into_iter()
            .map(StrategyElement)
            .collect())
    }
    /// Organisations named in a role in it, optionally in one role only.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        role: Option<OrganisationRole>,
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
}

async fn strategy_of(ctx: &Context<'_>, id: i64) -> ApiResult<Strategy> {
    one(&ctx.loaders()?.strategy, id)
        .await?
        .map(Strategy)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("strategy {id} missing")).into())
}

/// An aim of a strategy.
#[derive(Clone)]
pub struct Aim(pub strategy_element::Model);

/// An aim of a strategy.
#[Object]
impl Aim {
    /// Global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::Aim, self.0.id)
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
        strategy_of(ctx, self.0.strategy_id).await
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
}

/// A priority area of a strategy, as one of its documents describes it.
#[derive(Clone)]
pub struct PriorityArea(pub strategy_element::Model);

/// A priority area of a strategy, as one of its documents describes it.
#[Object]
impl PriorityArea {
    /// Global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::PriorityArea, self.0.id)
    }
    /// The area's name, e.g. "Digital Access".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What the area means, as the page words it.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The strategy it is a priority of.
    async fn strategy(&self, ctx: &Context<'_>) -> ApiResult<Strategy> {
        strategy_of(ctx, self.0.strategy_id).await
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
}

/// Kinds of strategy element beyond aims and priority areas.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
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
#[derive(Clone)]
pub struct StrategyElement(pub strategy_element::Model);

/// A domain, vision statement or standard of a strategy.
#[Object]
impl StrategyElement {
    /// Global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::StrategyElement, self.0.id)
    }
    /// What kind of element it is.
    async fn kind(&self) -> StrategyElementKind {
        match self.0.kind.as_str() {
            "AIM" => StrategyElementKind::Aim,
            "PRIORITY_AREA" => StrategyElementKind::PriorityArea,
            "DOMAIN" => StrategyElementKind::Domain,
            "VISION" => StrategyElementKind::Vision,
            _ => StrategyElementKind::Standard,
        }
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
        strategy_of(ctx, self.0.strategy_id).await
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
}

/// A commitment of an Open Government action plan.
#[derive(Clone)]
pub struct Commitment(pub commitment::Model);

async fn items(ctx: &Context<'_>, commitment_id: i64, kind: &str) -> ApiResult<Vec<String>> {
    Ok(many(&ctx.loaders()?.items_by_commitment, commitment_id)
        .await?
        .into_iter()
        .filter(|i: &commitment_item::Model| i.kind == kind)
        .map(|i| i.text)
        .collect())
}

/// A commitment of an Open Government action plan.
#[Object]
impl Commitment {
    /// Global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::Commitment, self.0.id)
    }
    /// Its number in the action plan.
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// The commitment title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The action plan, e.g. "Open Government action plan 2021 to 2025".
    async fn action_plan(&self) -> &str {
        &self.0.action_plan
    }
    /// First day of its timeframe.
    async fn period_start(&self) -> Option<Date> {
        date(self.0.period_start)
    }
    /// Last day of its timeframe.
    async fn period_end(&self) -> Option<Date> {
        date(self.0.period_end)
    }
    /// The timeframe as printed, e.g. "October 2021 to September 2025".
    async fn period_text(&self) -> Option<&str> {
        self.0.period_text.as_deref()
    }
    /// The lead implementing directorate, as printed.
    async fn lead_directorate(&self) -> Option<&str> {
        self.0.lead_directorate.as_deref()
    }
    /// Open Government Partnership values it is relevant to.
    async fn ogp_values(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        items(ctx, self.0.id, "OGP_VALUE").await
    }
    /// The problems it addresses.
    async fn problems(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        items(ctx, self.0.id, "PROBLEM").await
    }
    /// Its co-design principles.
    async fn principles(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        items(ctx, self.0.id, "PRINCIPLE").await
    }
    /// The status quo it builds on.
    async fn status_quo(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        items(ctx, self.0.id, "STATUS_QUO").await
    }
    /// Its milestones, in page order.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn milestones(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Conn<Milestone>> {
        let page = Page::new(first, after.as_deref())?;
        let nodes = ctx.look_ahead().field("nodes");
        let edges = ctx.look_ahead().field("edges").field("node");
        if nodes.field("progressUpdates").exists() || edges.field("progressUpdates").exists() {
            // The updates are wanted too: read both levels, and their pages, in one statement.
            let trees = many(&ctx.loaders()?.milestone_trees_by_commitment, self.0.id).await?;
            let milestones = trees
                .into_iter()
                .map(|(row, ahead)| Milestone {
                    row,
                    ahead: Some(ahead),
                })
                .collect();
            return Ok(slice(milestones, page));
        }
        let rows = many(&ctx.loaders()?.milestones_by_commitment, self.0.id).await?;
        Ok(slice(rows.into_iter().map(Milestone::from).collect(), page))
    }
    /// Every progress update reported on it, oldest report first.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn progress_updates(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProgressUpdate>> {
        Ok(many(&ctx.loaders()?.updates_by_commitment, self.0.id)
            .await?
            .into_iter()
            .map(ProgressUpdate::from)
            .collect())
    }
    /// Organisations named in a role in it, optionally in one role only.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        role: Option<OrganisationRole>,
    ) -> ApiResult<Vec<Organisation>> {
        organisations_in_roles(&ctx.loaders()?.holders_by_commitment, self.0.id, role).await
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
}

async fn commitment_of(ctx: &Context<'_>, id: i64) -> ApiResult<Option<Commitment>> {
    Ok(one(&ctx.loaders()?.commitment, id).await?.map(Commitment))
}

/// A milestone of a commitment.
#[derive(Clone)]
pub struct Milestone {
    /// The stored row.
    pub row: milestone::Model,
    /// What was read with it, when its parent's statement read ahead.
    pub ahead: Option<Arc<ReadAhead>>,
}

impl From<milestone::Model> for Milestone {
    fn from(row: milestone::Model) -> Self {
        Self { row, ahead: None }
    }
}

/// A milestone of a commitment.
#[Object]
impl Milestone {
    /// Global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::Milestone, self.row.id)
    }
    /// The milestone's text, without a trailing date phrase.
    async fn title(&self) -> &str {
        &self.row.title
    }
    /// The objective (milestone group heading) that this milestone sits under.
    async fn objective(&self) -> Option<&str> {
        self.row.objective.as_deref()
    }
    /// First day of its date range.
    async fn start_date(&self) -> Option<Date> {
        date(self.row.start_date)
    }
    /// Last day of its date range.
    async fn end_date(&self) -> Option<Date> {
        date(self.row.end_date)
    }
    /// The date phrase exactly as the page gives it, e.g. "Start August 2021 – end January 2022".
    async fn date_text(&self) -> Option<&str> {
        self.row.date_text.as_deref()
    }
    /// Its position among the commitment's milestones, from 0.
    async fn position(&self) -> i32 {
        self.row.position
    }
    /// The commitment it belongs to.
    async fn commitment(&self, ctx: &Context<'_>) -> ApiResult<Commitment> {
        commitment_of(ctx, self.row.commitment_id)
            .await?
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("commitment missing")).into())
    }
    /// Progress reported on it, oldest report first.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn progress_updates(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProgressUpdate>> {
        if let Some(ahead) = &self.ahead {
            return Ok(ahead
                .updates
                .iter()
                .map(|(row, document)| ProgressUpdate {
                    row: row.clone(),
                    document: Some(Arc::clone(document)),
                })
                .collect());
        }
        Ok(many(&ctx.loaders()?.updates_by_milestone, self.row.id)
            .await?
            .into_iter()
            .map(ProgressUpdate::from)
            .collect())
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        let read = self.ahead.as_ref().map(|a| &a.document);
        source_of(ctx, self.row.document_id, self.row.anchor.clone(), read).await
    }
}

/// One milestone's update in a progress report.
#[derive(Clone)]
pub struct ProgressUpdate {
    /// The stored row.
    pub row: progress_update::Model,
    /// The page it was read from, when its parent's statement read it too.
    pub document: Option<Arc<document::Model>>,
}

impl From<progress_update::Model> for ProgressUpdate {
    fn from(row: progress_update::Model) -> Self {
        Self {
            row,
            document: None,
        }
    }
}

/// One milestone's update in a progress report.
#[Object]
impl ProgressUpdate {
    /// Global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::ProgressUpdate, self.row.id)
    }
    /// The report's own title, e.g. "Progress to August 2022".
    async fn report_title(&self) -> &str {
        &self.row.report_title
    }
    /// The last day the report covers.
    async fn reported_on(&self) -> Option<Date> {
        date(self.row.reported_on)
    }
    /// The update text.
    async fn text(&self) -> &str {
        &self.row.text
    }
    /// The activity the update reports on, as the report words it.
    async fn activity(&self) -> &str {
        &self.row.activity
    }
    /// The milestone heading the report prints above the update.
    async fn milestone_heading(&self) -> &str {
        &self.row.milestone_heading
    }
    /// The status line, where the report gives one.
    async fn status(&self) -> Option<&str> {
        self.row.status.as_deref()
    }
    /// The milestone the update reports on, matched by its words and dates.
    async fn milestone(&self, ctx: &Context<'_>) -> ApiResult<Option<Milestone>> {
        let Some(mid) = self.row.milestone_id else {
            return Ok(None);
        };
        Ok(one(&ctx.loaders()?.milestone, mid)
            .await?
            .map(Milestone::from))
    }
    /// The commitment reported on (null until its overview page is ingested).
    async fn commitment(&self, ctx: &Context<'_>) -> ApiResult<Option<Commitment>> {
        commitment_of(ctx, self.row.commitment_id).await
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        let read = self.document.as_ref();
        source_of(ctx, self.row.document_id, self.row.anchor.clone(), read).await
    }
}

/// The roles an organisation can have.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrganisationRole {
    /// A civil society stakeholder of a commitment.
    CivilSocietyStakeholder,
    /// A commitment's lead implementing directorate.
    LeadDirectorate,
    /// A strategy's delivery partner.
    DeliveryPartner,
}

impl OrganisationRole {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CivilSocietyStakeholder => "CIVIL_SOCIETY_STAKEHOLDER",
            Self::LeadDirectorate => "LEAD_DIRECTORATE",
            Self::DeliveryPartner => "DELIVERY_PARTNER",
        }
    }

    fn from_stored(s: &str) -> Self {
        match s {
            "LEAD_DIRECTORATE" => Self::LeadDirectorate,
            "DELIVERY_PARTNER" => Self::DeliveryPartner,
            _ => Self::CivilSocietyStakeholder,
        }
    }
}

/// An organisation named by a page in a role.
#[derive(Clone)]
pub struct Organisation(pub organisation::Model);

/// An organisation named by a page in a role.
#[Object]
impl Organisation {
    /// Global ID.
    async fn id(&self) -> ID {
        id::encode(NodeType::Organisation, self.0.id)
    }
    /// Its name, as first printed.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Its roles in commitments and strategies, each with its source.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn roles(&self, ctx: &Context<'_>) -> ApiResult<Vec<Involvement>> {
        Ok(many(&ctx.loaders()?.roles_by_organisation, self.0.id)
            .await?
            .into_iter()
            .map(Involvement)
            .collect())
    }
    /// Passages, on any page, that name this organisation.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn mentions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Conn<Passage>> {
        let page = Page::new(first, after.as_deref())?;
        let rows = many(&ctx.loaders()?.mentions_by_organisation, self.0.id).await?;
        let total = rows.len();
        let ids: Vec<i64> = rows
            .iter()
            .skip(page.offset)
            .take(page.limit)
            .map(|m| m.passage_id)
            .collect();
        let passages = each(&ctx.loaders()?.passage, &ids)
            .await?
            .into_iter()
            .map(Passage)
            .collect();
        Ok(connection(passages, total, page))
    }
}

/// An organisation's role in a commitment or a strategy.
pub struct Involvement(pub organisation_role::Model);

/// An organisation's role in a commitment or a strategy.
#[Object]
impl Involvement {
    /// The role.
    async fn role(&self) -> OrganisationRole {
        OrganisationRole::from_stored(&self.0.role)
    }
    /// The commitment or strategy the role is in.
    async fn subject(&self, ctx: &Context<'_>) -> ApiResult<Node> {
        if let Some(cid) = self.0.commitment_id
            && let Some(c) = commitment_of(ctx, cid).await?
        {
            return Ok(Node::Commitment(c));
        }
        if let Some(sid) = self.0.strategy_id {
            return Ok(Node::Strategy(strategy_of(ctx, sid).await?));
        }
        Err(ApiError::Internal(anyhow::anyhow!("role {} has no subject", self.0.id)).into())
    }
    /// The name as the page prints it (a list item may name several organisations).
    async fn name_as_printed(&self) -> &str {
        &self.0.name_as_printed
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
}

/// A dated event from any source.
#[derive(SimpleObject, Clone)]
pub struct TimelineEvent {
    /// The day the event starts (or happens).
    pub date: Date,
    /// The last day, for events that span a range.
    pub end_date: Option<Date>,
    /// MILESTONE, PROGRESS_REPORT, PUBLICATION or COMMITMENT_PERIOD.
    pub kind: String,
    /// What happens.
    pub title: String,
    /// The milestone, document or commitment the event is about.
    pub subject: Option<Node>,
}

/// A passage matching a search, with a highlighted snippet.
#[derive(SimpleObject, Clone)]
pub struct SearchHit {
    /// The passage.
    pub passage: Passage,
    /// A short extract as HTML: the passage's text escaped, the matching words wrapped in
    /// `<mark>`…`</mark>`.
    pub snippet: String,
    /// Relevance: higher is better; comparable within one search only.
    pub score: f64,
}

/// One run of the ingest.
pub struct IngestRun(pub ingest_run::Model);

/// One run of the ingest.
#[Object]
impl IngestRun {
    /// The run's number.
    async fn id(&self) -> i64 {
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
    /// Warnings raised while parsing.
    async fn warnings(&self) -> Vec<String> {
        serde_json::from_str(&self.0.warnings).unwrap_or_default()
    }
    /// Pages the run could not fetch or parse, each with why; their earlier data was kept.
    async fn failures(&self) -> Vec<String> {
        serde_json::from_str(&self.0.failures).unwrap_or_default()
    }
}

/// Anything with a global ID.
#[derive(Interface, Clone)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Global, opaque ID, stable across re-ingests."
))]
pub enum Node {
    /// A document.
    Document(Document),
    /// A passage.
    Passage(Passage),
    /// A strategy.
    Strategy(Strategy),
    /// An aim.
    Aim(Aim),
    /// A priority area.
    PriorityArea(PriorityArea),
    /// A domain, vision statement or standard.
    StrategyElement(StrategyElement),
    /// A commitment.
    Commitment(Commitment),
    /// A milestone.
    Milestone(Milestone),
    /// A progress update.
    ProgressUpdate(ProgressUpdate),
    /// An organisation.
    Organisation(Organisation),
}

/// Loads any node by its global ID; `None` when it does not exist.
///
/// # Errors
/// A malformed ID, or a database error.
pub async fn node(ctx: &Context<'_>, global: &str) -> ApiResult<Option<Node>> {
    let (kind, row) = id::decode(global)?;
    let l = ctx.loaders()?;
    let node = match kind {
        NodeType::Document => one(&l.document, row)
            .await
            .map(|r| r.map(Document).map(Node::Document)),
        NodeType::Passage => one(&l.passage, row)
            .await
            .map(|r| r.map(Passage).map(Node::Passage)),
        NodeType::Strategy => one(&l.strategy, row)
            .await
            .map(|r| r.map(Strategy).map(Node::Strategy)),
        NodeType::Aim => one(&l.element, row)
            .await
            .map(|r| r.filter(|e| e.kind == "AIM").map(Aim).map(Node::Aim)),
        NodeType::PriorityArea => one(&l.element, row).await.map(|r| {
            r.filter(|e| e.kind == "PRIORITY_AREA")
                .map(PriorityArea)
                .map(Node::PriorityArea)
        }),
        NodeType::StrategyElement => one(&l.element, row)
            .await
            .map(|r| r.map(StrategyElement).map(Node::StrategyElement)),
        NodeType::Commitment => one(&l.commitment, row)
            .await
            .map(|r| r.map(Commitment).map(Node::Commitment)),
        NodeType::Milestone => one(&l.milestone, row)
            .await
            .map(|r| r.map(Milestone::from).map(Node::Milestone)),
        NodeType::ProgressUpdate => one(&l.update, row)
            .await
            .map(|r| r.map(ProgressUpdate::from).map(Node::ProgressUpdate)),
        NodeType::Organisation => one(&l.organisation, row)
            .await
            .map(|r| r.map(Organisation).map(Node::Organisation)),
    };
    Ok(node?)
}
