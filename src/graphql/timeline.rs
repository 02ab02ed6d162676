//! The timeline: every dated event of every source, in date order, as `timeline(from, to)` (a
//! list, for small windows) and `events(first, after, filter)` (the same events, paged).
//!
//! The events are rows (`event`), recomputed by the ingest after each run from every stored
//! row (see `ingest::derive`): a milestone's date range, a progress report's reporting
//! date, a page's publication date, a commitment's period, a workstream's due date, a strategy
//! commitment's deadline and a co-creation page's dated meeting. Both fields select them in
//! SQL by overlap with the window, ordered by date, kind and title.

use std::sync::Arc;
use std::time::Instant;

use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::NaiveDate;
use entity::event;
use sea_orm::{DatabaseConnection, DbErr, Select};

use super::commitments::DeliveryStatus;
use super::context::{ApiContext, Services};
use super::error::{ApiError, ApiResult};
use super::loader::many;
use super::node::{Node, NodeType, decode, load_node};
use super::scalars::{Date, date};
use crate::read;
use crate::read::filter::{Filter, StatusFilter, Subject};

/// What a timeline event is. On the wire these are the strings the feed has always sent.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::EventKind")]
pub enum EventKind {
    /// A milestone's dates, with its latest status.
    Milestone,
    /// The day a progress report covers to.
    ProgressReport,
    /// A page's publication date.
    Publication,
    /// A commitment's period.
    CommitmentPeriod,
    /// A workstream's due date, with its status.
    WorkstreamDue,
    /// A strategy commitment's deadline.
    StrategyCommitment,
    /// A sentence of a co-creation page dating a workshop or meeting.
    CoCreationEvent,
}

/// A dated event from any source.
#[derive(Clone)]
pub struct TimelineEvent(pub event::Model);

/// A dated event from any source.
#[Object]
impl TimelineEvent {
    /// The day the event starts (or happens).
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    /// The last day, for events that span a range.
    async fn end_date(&self) -> Option<Date> {
        date(self.0.end_date)
    }
    /// What the event is.
    async fn kind(&self) -> EventKind {
        self.0.kind.into()
    }
    /// What happens.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The milestone, document, commitment, workstream or strategy commitment the event is about.
    async fn subject(&self, ctx: &Context<'_>) -> ApiResult<Option<Node>> {
        let kind = NodeType::from(self.0.subject_type);
        Ok(load_node(ctx.loaders()?, kind, self.0.subject_id).await?)
    }
    /// The latest status of the milestone or workstream the event is about, if any.
    async fn status(&self) -> Option<DeliveryStatus> {
        self.0.status.map(Into::into)
    }
    /// For a milestone's or a workstream's event: its end (or due) date before the latest
    /// ingest that moved it, from the change feed; null when no ingest has moved it.
    async fn previous_end_date(&self, ctx: &Context<'_>) -> ApiResult<Option<Date>> {
        if !matches!(
            NodeType::from(self.0.subject_type),
            NodeType::Milestone | NodeType::Workstream
        ) {
            return Ok(None);
        }
        let found = many(&ctx.loaders()?.previous_ends, self.0.subject_id).await?;
        Ok(date(found.into_iter().next()))
    }
}

/// Selects events.
#[derive(InputObject, Default)]
pub struct EventFilter {
    /// Events whose [date, endDate] overlaps [from, to].
    pub from: Option<Date>,
    /// See `from`.
    pub to: Option<Date>,
    /// Only these kinds, e.g. [MILESTONE, WORKSTREAM_DUE].
    pub kinds: Option<Vec<EventKind>>,
    /// Only events about a milestone or workstream with this latest status.
    pub status: Option<DeliveryStatus>,
    /// Only events about this commitment or strategy (or their milestones, workstreams and
    /// reports).
    pub subject: Option<ID>,
}

/// The most kinds a filter may name (there are seven).
const MAX_KINDS: usize = 16;

/// The events `filter` selects, in timeline order.
///
/// # Errors
/// `from` after `to`, too many kinds, or a subject that is not a commitment's or a strategy's
/// ID.
pub fn select(filter: &EventFilter) -> Result<Select<event::Entity>, ApiError> {
    let (from, to) = (filter.from.map(|d| d.0), filter.to.map(|d| d.0));
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(ApiError::BadUserInput(format!(
            "`from` ({from}) is after `to` ({to})"
        )));
    }
    if let Some(kinds) = &filter.kinds
        && kinds.len() > MAX_KINDS
    {
        return Err(ApiError::BadUserInput(format!(
            "`kinds` names {} kinds; at most {MAX_KINDS}",
            kinds.len()
        )));
    }
    let subject = match &filter.subject {
        Some(subject) => Some(match decode(subject)? {
            (NodeType::Commitment, id) => Subject::Commitment(id),
            (NodeType::Strategy, id) => Subject::Strategy(id),
            _ => {
                return Err(ApiError::BadUserInput(format!(
                    "{:?} is not the ID of a Commitment or a Strategy",
                    subject.as_str()
                )));
            }
        }),
        None => None,
    };
    Ok(read::events::select(&read::events::Query {
        filter: Filter {
            from,
            to,
            status: filter
                .status
                .map(|s| StatusFilter::Is(entity::DeliveryStatus::from(s))),
            subject,
        },
        kinds: filter
            .kinds
            .as_ref()
            .map(|kinds| kinds.iter().copied().map(entity::EventKind::from).collect()),
    }))
}

/// [`timeline`], or the answer of the same window's read already under way (if `since` is
/// given, one begun since), as [`InFlight`](super::in_flight::InFlight) shares root pages.
///
/// # Errors
/// A database error.
pub async fn shared(
    services: &Services,
    since: Option<Instant>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Arc<Vec<TimelineEvent>>, ApiError> {
    let db = services.db.clone();
    let events = services
        .reads
        .read_named(
            "timeline",
            vec![from.into(), to.into()],
            since,
            async move { timeline(&db, from, to).await },
        )
        .await?;
    Ok(events)
}

/// Every dated event overlapping `[from, to]` (either end open), ordered by date.
///
/// # Errors
/// A database error.
pub async fn timeline(
    db: &DatabaseConnection,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<TimelineEvent>, DbErr> {
    let window = Filter {
        from,
        to,
        ..Filter::default()
    };
    Ok(read::events::select(&(&window).into())
        .all(db)
        .await?
        .into_iter()
        .map(TimelineEvent)
        .collect())
}
