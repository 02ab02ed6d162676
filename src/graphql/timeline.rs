//! The timeline: every dated event of every source, in date order.
//!
//! Seven kinds of event: a milestone's date range, a progress report's reporting date, a page's
//! publication date, a commitment's period, a workstream's due date, a strategy commitment's
//! deadline and a co-creation page's dated event (a workshop, a meeting). The first six are
//! selected in SQL by overlap with the requested window; the
//! co-creation events are read off their pages' passages (see
//! [`ingest::kind::co_creation::events`]) and kept when they overlap it. Then the lists are
//! merged in date order.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use async_graphql::SimpleObject;
use chrono::NaiveDate;
use entity::{
    DocumentKind, commitment, document, milestone, passage, progress_update, strategy_commitment,
    workstream,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::commitments::DeliveryStatus;
use super::context::Services;
use super::error::ApiError;
use super::node::{Commitment, Document, Milestone, Node, StrategyCommitment, Workstream};
use super::scalars::Date;

/// A dated event from any source.
#[derive(SimpleObject, Clone)]
pub struct TimelineEvent {
    /// The day the event starts (or happens).
    pub date: Date,
    /// The last day, for events that span a range.
    pub end_date: Option<Date>,
    /// MILESTONE, PROGRESS_REPORT, PUBLICATION, COMMITMENT_PERIOD, WORKSTREAM_DUE,
    /// STRATEGY_COMMITMENT or CO_CREATION_EVENT.
    pub kind: String,
    /// What happens.
    pub title: String,
    /// The milestone, document, commitment, workstream or strategy commitment the event is about.
    pub subject: Option<Node>,
    /// The latest status of the milestone or workstream the event is about, if any.
    pub status: Option<DeliveryStatus>,
}

/// Rows with a date whose span `[COALESCE(start, end), COALESCE(end, start)]` overlaps
/// `[from, to]`: a row dated only "by March 2024" spans its one known day. Undated rows are
/// always left out.
pub fn overlaps<C: ColumnTrait>(
    start: C,
    end: C,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Condition {
    let first = Func::coalesce([Expr::col(start), Expr::col(end)]);
    let last = Func::coalesce([Expr::col(end), Expr::col(start)]);
    let mut cond = Condition::all().add(
        Condition::any()
            .add(start.is_not_null())
            .add(end.is_not_null()),
    );
    if let Some(from) = from {
        cond = cond.add(Expr::expr(last).gte(from));
    }
    if let Some(to) = to {
        cond = cond.add(Expr::expr(first).lte(to));
    }
    cond
}

/// The dated events of co-creation pages overlapping `[from, to]`: each sentence of their
/// passages that names a day, a month or a season, titled by that sentence, its subject the page.
async fn co_creation_events(
    db: &DatabaseConnection,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    events: &mut Vec<TimelineEvent>,
) -> Result<(), DbErr> {
    let docs = document::Entity::find()
        .filter(document::Column::Kind.eq(DocumentKind::CoCreation))
        .all(db)
        .await?;
    if docs.is_empty() {
        return Ok(());
    }
    let passages = passage::Entity::find()
        .filter(passage::Column::DocumentId.is_in(docs.iter().map(|d| d.id)))
        .order_by_asc(passage::Column::DocumentId)
        .order_by_asc(passage::Column::Position)
        .all(db)
        .await?;
    for p in passages {
        let Some(doc) = docs.iter().find(|d| d.id == p.document_id) else {
            continue;
        };
        for e in ingest::kind::co_creation::events(&p.text, doc.published_on) {
            let Some(start) = e.date.start.or(e.date.end) else {
                continue;
            };
            let end = e.date.end.unwrap_or(start);
            if from.is_some_and(|f| end < f) || to.is_some_and(|t| start > t) {
                continue;
            }
            events.push(TimelineEvent {
                date: Date(start),
                end_date: Some(end).filter(|e| *e != start).map(Date),
                kind: "CO_CREATION_EVENT".to_owned(),
                title: e.sentence,
                subject: Some(Node::Document(Document(doc.clone()))),
                status: None,
            });
        }
    }
    Ok(())
}

/// The latest status reported for each of some milestones (by report date), for those with one.
///
/// # Errors
/// A database error.
pub async fn latest_statuses(
    db: &DatabaseConnection,
    milestones: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, entity::DeliveryStatus>, DbErr> {
    let ids: Vec<i64> = milestones.collect();
    let mut latest = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(Option<i64>, Option<entity::DeliveryStatus>)> =
            progress_update::Entity::find()
                .select_only()
                .column(progress_update::Column::MilestoneId)
                .column(progress_update::Column::DeliveryStatus)
                .filter(progress_update::Column::MilestoneId.is_in(chunk.iter().copied()))
                .filter(progress_update::Column::DeliveryStatus.is_not_null())
                .order_by_asc(progress_update::Column::ReportedOn)
                .order_by_asc(progress_update::Column::Position)
                .into_tuple()
                .all(db)
                .await?;
        // Oldest first, so the last written is the latest.
        for (milestone, status) in rows {
            if let (Some(m), Some(s)) = (milestone, status) {
                latest.insert(m, s);
            }
        }
    }
    Ok(latest)
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
    let mut events = Vec::new();

    let milestones = milestone::Entity::find()
        .filter(overlaps(
            milestone::Column::StartDate,
            milestone::Column::EndDate,
            from,
            to,
        ))
        .all(db)
        .await?;
    let statuses = latest_statuses(db, milestones.iter().map(|m| m.id)).await?;
    for m in milestones {
        let Some(start) = m.start_date.or(m.end_date) else {
            continue;
        };
        events.push(TimelineEvent {
            date: Date(start),
            end_date: m.end_date.filter(|e| *e != start).map(Date),
            kind: "MILESTONE".to_owned(),
            title: m.title.clone(),
            status: statuses.get(&m.id).map(|s| (*s).into()),
            subject: Some(Node::Milestone(Milestone::from(m))),
        });
    }

    for w in workstream::Entity::find()
        .filter(overlaps(
            workstream::Column::DueDate,
            workstream::Column::DueDate,
            from,
            to,
        ))
        .all(db)
        .await?
    {
        let Some(due) = w.due_date else { continue };
        events.push(TimelineEvent {
            date: Date(due),
            end_date: None,
            kind: "WORKSTREAM_DUE".to_owned(),
            title: w.deliverable.clone(),
            status: w.status.map(Into::into),
            subject: Some(Node::Workstream(Workstream(w))),
        });
    }

    for c in strategy_commitment::Entity::find()
        .filter(overlaps(
            strategy_commitment::Column::DueDate,
            strategy_commitment::Column::DueDate,
            from,
            to,
        ))
        .all(db)
        .await?
    {
        let Some(due) = c.due_date else { continue };
        events.push(TimelineEvent {
            date: Date(due),
            end_date: None,
            kind: "STRATEGY_COMMITMENT".to_owned(),
            title: c.text.clone(),
            status: None,
            subject: Some(Node::StrategyCommitment(StrategyCommitment(c))),
        });
    }

    let reports: Vec<(i64, String, Option<NaiveDate>)> = progress_update::Entity::find()
        .select_only()
        .column(progress_update::Column::DocumentId)
        .column(progress_update::Column::ReportTitle)
        .column(progress_update::Column::ReportedOn)
        .distinct()
        .filter(overlaps(
            progress_update::Column::ReportedOn,
            progress_update::Column::ReportedOn,
            from,
            to,
        ))
        .into_tuple()
        .all(db)
        .await?;
    let report_docs = document::Entity::find()
        .filter(document::Column::Id.is_in(reports.iter().map(|r| r.0)))
        .all(db)
        .await?;
    for (doc_id, title, reported_on) in reports {
        let Some(day) = reported_on else { continue };
        events.push(TimelineEvent {
            date: Date(day),
            end_date: None,
            kind: "PROGRESS_REPORT".to_owned(),
            title,
            status: None,
            subject: report_docs
                .iter()
                .find(|d| d.id == doc_id)
                .cloned()
                .map(|d| Node::Document(Document(d))),
        });
    }

    for d in document::Entity::find()
        .filter(overlaps(
            document::Column::PublishedOn,
            document::Column::PublishedOn,
            from,
            to,
        ))
        .all(db)
        .await?
    {
        let Some(day) = d.published_on else { continue };
        let title = if d.title == d.publication_title {
            d.title.clone()
        } else {
            format!("{} – {}", d.publication_title, d.title)
        };
        events.push(TimelineEvent {
            date: Date(day),
            end_date: None,
            kind: "PUBLICATION".to_owned(),
            title,
            status: None,
            subject: Some(Node::Document(Document(d))),
        });
    }

    for c in commitment::Entity::find()
        .filter(overlaps(
            commitment::Column::PeriodStart,
            commitment::Column::PeriodEnd,
            from,
            to,
        ))
        .all(db)
        .await?
    {
        let Some(start) = c.period_start.or(c.period_end) else {
            continue;
        };
        events.push(TimelineEvent {
            date: Date(start),
            end_date: c.period_end.map(Date),
            kind: "COMMITMENT_PERIOD".to_owned(),
            title: format!("Commitment {}: {}", c.number, c.title),
            status: None,
            subject: Some(Node::Commitment(Commitment(c))),
        });
    }

    co_creation_events(db, from, to, &mut events).await?;

    events.sort_by(|a, b| (a.date, &a.kind, &a.title).cmp(&(b.date, &b.kind, &b.title)));
    Ok(events)
}
