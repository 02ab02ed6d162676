//! The timeline's events, recomputed from every stored row after a run: one row per dated
//! thing, so the API selects and pages them in SQL (`events`) and never reads a page's
//! passages to find its dates at query time.
//!
//! Seven kinds, each with the row it is about (its subject) and the commitment or strategy it
//! belongs to (what `events(filter: {subject})` selects by):
//! - `MILESTONE`: a milestone's dates (the first to the last day), with its latest status
//!   (given by the pass after this one, `statuses`);
//! - `PROGRESS_REPORT`: the day a report covers to, about the report's page;
//! - `PUBLICATION`: a page's publication date;
//! - `COMMITMENT_PERIOD`: a commitment's period;
//! - `WORKSTREAM_DUE`: a workstream's due date, with its status;
//! - `STRATEGY_COMMITMENT`: a strategy commitment's deadline;
//! - `CO_CREATION_EVENT`: a sentence of a co-creation page dating a workshop or meeting, read
//!   when the page is parsed and written with its rows, not here.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use entity::{
    DeliveryStatus, EventKind, SubjectType, commitment, document, event, milestone,
    progress_update, strategy_commitment, workstream,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::date::first_and_last;
use crate::ids;
use crate::store::rows::insert_all;

/// Events gathered before they are written, one batch per kind.
#[derive(Default)]
struct Events(BTreeMap<i64, event::Model>);

impl Events {
    #[expect(clippy::too_many_arguments, reason = "one row's fields")]
    fn push(
        &mut self,
        kind: EventKind,
        (date, end_date): (NaiveDate, Option<NaiveDate>),
        title: String,
        (subject_type, subject_id): (SubjectType, i64),
        status: Option<DeliveryStatus>,
        commitment_id: Option<i64>,
        strategy_id: Option<i64>,
    ) {
        let id = ids::event(kind, (subject_type, subject_id), date, &title);
        self.0.insert(
            id,
            event::Model {
                id,
                kind,
                date,
                end_date,
                title,
                subject_type,
                subject_id,
                status,
                commitment_id,
                strategy_id,
            },
        );
    }

    async fn write(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let rows = std::mem::take(&mut self.0)
            .into_values()
            .map(Into::into)
            .collect::<Vec<event::ActiveModel>>();
        insert_all(db, rows).await
    }
}

/// Replaces every derived event with those the stored rows give now. A co-creation page's
/// events are its own rows, written with the page (see [`crate::kind::co_creation`]), and stay.
pub(crate) async fn refresh(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    event::Entity::delete_many()
        .filter(event::Column::Kind.ne(EventKind::CoCreationEvent))
        .exec(db)
        .await?;
    let mut events = Events::default();

    for m in milestone::Entity::find().all(db).await? {
        let Some(dates) = first_and_last(m.start_date, m.end_date) else {
            continue;
        };
        events.push(
            EventKind::Milestone,
            dates,
            m.title,
            (SubjectType::Milestone, m.id),
            // Given by the latest statuses pass, which follows.
            None,
            Some(m.commitment_id),
            None,
        );
    }
    events.write(db).await?;

    let reports: Vec<(i64, i64, String, Option<NaiveDate>)> = progress_update::Entity::find()
        .select_only()
        .column(progress_update::Column::DocumentId)
        .column(progress_update::Column::CommitmentId)
        .column(progress_update::Column::ReportTitle)
        .column(progress_update::Column::ReportedOn)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    for (document, commitment, title, reported_on) in reports {
        if let Some(day) = reported_on {
            events.push(
                EventKind::ProgressReport,
                (day, None),
                title,
                (SubjectType::Document, document),
                None,
                Some(commitment),
                None,
            );
        }
    }
    events.write(db).await?;

    let docs = document::Entity::find()
        .filter(document::Column::PublishedOn.is_not_null())
        .all(db)
        .await?;
    for d in docs {
        let Some(day) = d.published_on else { continue };
        let title = if d.title == d.publication_title {
            d.title
        } else {
            format!("{} – {}", d.publication_title, d.title)
        };
        events.push(
            EventKind::Publication,
            (day, None),
            title,
            (SubjectType::Document, d.id),
            None,
            d.commitment_id,
            d.strategy_id,
        );
    }
    events.write(db).await?;

    for c in commitment::Entity::find().all(db).await? {
        let Some(start) = c.period_start.or(c.period_end) else {
            continue;
        };
        let title = c.label();
        events.push(
            EventKind::CommitmentPeriod,
            (start, c.period_end),
            title,
            (SubjectType::Commitment, c.id),
            None,
            Some(c.id),
            None,
        );
    }
    events.write(db).await?;

    for w in workstream::Entity::find()
        .filter(workstream::Column::DueDate.is_not_null())
        .all(db)
        .await?
    {
        let Some(due) = w.due_date else { continue };
        events.push(
            EventKind::WorkstreamDue,
            (due, None),
            w.deliverable,
            (SubjectType::Workstream, w.id),
            w.status,
            None,
            w.strategy_id,
        );
    }
    events.write(db).await?;

    for c in strategy_commitment::Entity::find()
        .filter(strategy_commitment::Column::DueDate.is_not_null())
        .all(db)
        .await?
    {
        let Some(due) = c.due_date else { continue };
        events.push(
            EventKind::StrategyCommitment,
            (due, None),
            c.text,
            (SubjectType::StrategyCommitment, c.id),
            None,
            None,
            Some(c.strategy_id),
        );
    }
    events.write(db).await?;

    events.write(db).await
}
