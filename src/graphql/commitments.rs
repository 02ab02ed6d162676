//! Commitments of the Open Government action plans, their milestones, and the progress
//! updates reported on them.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object};
use entity::commitment_item;

use super::changes;
use super::context::ApiContext;
use super::error::ApiResult;
use super::loader::many;
use super::node::{Change, Commitment, Milestone, NodeType, Organisation, ProgressUpdate, encode};
use super::organisations::{OrganisationRole, organisations_in_roles};
use super::pagination::{Conn, Page, connection_cost, list_cost, slice};
use super::scalars::{Date, date};
use super::source::{Source, source, source_of};

/// A delivery status as a report or plan states it, normalised; the page's own words stay in
/// `statusText`.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::DeliveryStatus")]
pub enum DeliveryStatus {
    /// On schedule, On track.
    OnTrack,
    /// In progress, Ongoing.
    InProgress,
    /// Behind schedule, Delayed.
    BehindSchedule,
    /// Completed, Complete.
    Completed,
    /// Not started, Not yet started.
    NotStarted,
}

/// One status a progress report gave a milestone.
pub struct StatusReport(ProgressUpdate);

/// One status a progress report gave a milestone.
#[Object]
impl StatusReport {
    /// The last day the report covers.
    async fn reported_on(&self) -> Option<Date> {
        date(self.0.row.reported_on)
    }
    /// The status, normalised (null when the printed words are none the vocabulary knows).
    async fn status(&self) -> Option<DeliveryStatus> {
        self.0.row.delivery_status.map(Into::into)
    }
    /// The status exactly as printed, e.g. "On schedule.".
    async fn status_text(&self) -> &str {
        self.0.row.status_text.as_deref().unwrap_or_default()
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        let read = self.0.document.as_ref();
        source_of(ctx, self.0.row.document_id, self.0.row.anchor.clone(), read).await
    }
}

/// The commitment's listed items of one kind (OGP values, problems, ...), in page order.
async fn items(
    ctx: &Context<'_>,
    commitment_id: i64,
    kind: entity::CommitmentItemKind,
) -> ApiResult<Vec<String>> {
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
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::Commitment, self.0.id)
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
        items(ctx, self.0.id, entity::CommitmentItemKind::OgpValue).await
    }
    /// The problems it addresses.
    async fn problems(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        items(ctx, self.0.id, entity::CommitmentItemKind::Problem).await
    }
    /// Its co-design principles.
    async fn principles(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        items(ctx, self.0.id, entity::CommitmentItemKind::Principle).await
    }
    /// The paragraphs describing it that its overview prints, unlabelled, under its title.
    async fn description(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        items(ctx, self.0.id, entity::CommitmentItemKind::Description).await
    }
    /// The status quo it builds on.
    async fn status_quo(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        items(ctx, self.0.id, entity::CommitmentItemKind::StatusQuo).await
    }
    /// Its milestones, in page order.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn milestones(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
    ) -> ApiResult<Conn<Milestone>> {
        let page = Page::new(first, after.as_deref())?;
        let nodes = ctx.look_ahead().field("nodes");
        let edges = ctx.look_ahead().field("edges").field("node");
        let reads_updates = ["progressUpdates", "statusHistory"]
            .into_iter()
            .any(|f| nodes.field(f).exists() || edges.field(f).exists());
        if reads_updates {
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
        #[graphql(desc = "Only those in this role; every role when omitted.")] role: Option<
            OrganisationRole,
        >,
    ) -> ApiResult<Vec<Organisation>> {
        organisations_in_roles(&ctx.loaders()?.holders_by_commitment, self.0.id, role).await
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
}

/// A milestone of a commitment.
#[Object]
impl Milestone {
    /// Global ID.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::Milestone, self.row.id)
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
        changes::of_subject(ctx, NodeType::Milestone, self.row.id, first, after).await
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
        Ok(Commitment::linked(ctx.loaders()?, self.row.commitment_id).await?)
    }
    /// Progress reported on it, oldest report first.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn progress_updates(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProgressUpdate>> {
        self.updates(ctx).await
    }
    /// The status given by the latest report that states one.
    // Stored by the ingest (`milestone.latest_status`), which every surface reads.
    async fn status(&self) -> Option<DeliveryStatus> {
        self.row.latest_status.map(Into::into)
    }
    /// Every status reported for this milestone, oldest report first.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn status_history(&self, ctx: &Context<'_>) -> ApiResult<Vec<StatusReport>> {
        Ok(self
            .status_reports(ctx)
            .await?
            .into_iter()
            .map(StatusReport)
            .collect())
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        let read = self.ahead.as_ref().map(|a| &a.document);
        source_of(ctx, self.row.document_id, self.row.anchor.clone(), read).await
    }
}

impl Milestone {
    /// Its progress updates, as read ahead or through the batch loader.
    async fn updates(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProgressUpdate>> {
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

    /// The updates that state a status, oldest report first (undated reports before dated
    /// ones, page order breaking ties), the same on every backend whatever its order of NULLs.
    async fn status_reports(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProgressUpdate>> {
        let mut stated: Vec<ProgressUpdate> = self
            .updates(ctx)
            .await?
            .into_iter()
            .filter(|u| u.row.status_text.is_some())
            .collect();
        stated.sort_by_key(|u| {
            crate::read::reports::report_order(u.row.reported_on, u.row.position, u.row.id)
        });
        Ok(stated)
    }
}

/// How sure the ingest is that an update reports on its milestone.
#[derive(async_graphql::SimpleObject)]
pub struct LinkConfidence {
    /// The winning score: word overlap of the activity or milestone sentence with the
    /// milestone's title (0 to 1), with dates, the update's text and the objective adding to
    /// it. An update links from 0.45.
    pub score: f64,
    /// How far it beat the next-best milestone of the commitment (the whole score when no
    /// other scored); a link needs 0.05.
    pub margin: f64,
    /// The evidence that scored: `ACTIVITY`, `MILESTONE` (the milestone sentence the report
    /// prints), `DATES`, `TEXT` (the update's own words) and `OBJECTIVE`.
    pub evidence: Vec<String>,
}

/// One milestone's update in a progress report.
#[Object]
impl ProgressUpdate {
    /// Global ID.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::ProgressUpdate, self.row.id)
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
    /// The activity this update reports on, when the report names it under the milestone.
    async fn activity(&self) -> Option<&str> {
        Some(self.row.activity.as_str()).filter(|a| !a.is_empty())
    }
    /// The next steps, when the report gives them apart from the progress.
    async fn next_steps(&self) -> Option<&str> {
        self.row.next_steps.as_deref()
    }
    /// The milestone heading the report prints above the update.
    async fn milestone_heading(&self) -> &str {
        &self.row.milestone_heading
    }
    /// The status the report gives, normalised (null when it gives none, or words the
    /// vocabulary does not know: those stay in `statusText`).
    async fn status(&self) -> Option<DeliveryStatus> {
        self.row.delivery_status.map(Into::into)
    }
    /// The status exactly as printed, e.g. "On schedule.".
    async fn status_text(&self) -> Option<&str> {
        self.row.status_text.as_deref()
    }
    /// The milestone the update reports on, matched by the evidence in `linkConfidence`.
    async fn milestone(&self, ctx: &Context<'_>) -> ApiResult<Option<Milestone>> {
        let Some(mid) = self.row.milestone_id else {
            return Ok(None);
        };
        Ok(Milestone::load(ctx.loaders()?, mid).await?)
    }
    /// How sure the link to `milestone` is, and on what evidence; null when unlinked.
    async fn link_confidence(&self) -> Option<LinkConfidence> {
        self.row.milestone_id?;
        let (score, margin) = (self.row.link_score?, self.row.link_margin?);
        Some(LinkConfidence {
            score: f64::from(score) / 1000.0,
            margin: f64::from(margin) / 1000.0,
            evidence: self
                .row
                .link_evidence
                .as_deref()
                .unwrap_or_default()
                .split(',')
                .filter(|e| !e.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }
    /// The commitment reported on (null until its overview page is ingested).
    async fn commitment(&self, ctx: &Context<'_>) -> ApiResult<Option<Commitment>> {
        Ok(Commitment::load(ctx.loaders()?, self.row.commitment_id).await?)
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        let read = self.document.as_ref();
        source_of(ctx, self.row.document_id, self.row.anchor.clone(), read).await
    }
}
