//! `milestones.csv`: one row per milestone of an Open Government commitment, in page order
//! (commitment overview page by page, milestones as the page lists them).
//!
//! | column | what it holds |
//! |---|---|
//! | `id` | the milestone's global ID, as `/graphql` gives it |
//! | `commitment` | `Commitment N: title`, as the action plan numbers and names it |
//! | `objective` | the objective the milestone is listed under, as printed |
//! | `title` | the milestone, as printed |
//! | `start_date`, `end_date` | its first and last day (`YYYY-MM-DD`), empty when unknown |
//! | `date_text` | its dates as printed ("Start August 2021 – end January 2022") |
//! | `status` | its latest status: that of the latest report (by report date, undated last) that states one, e.g. `ON_TRACK`; empty without one |
//! | `status_text` | that status as the report that gives it prints it ("On schedule.") |
//! | `latest_report` | the title of its latest progress report, by report date (undated last), whether or not it states a status ("Progress to August 2022") |
//! | `source_url` | the milestone's page, with `#anchor` when it sits under an anchored heading |
//!
//! The latest status is the one the ingest stores on the milestone (`milestone.latest_status`),
//! the value every surface shows, so the `status` parameter selects in SQL.

use std::collections::HashMap;

use axum::body::Body;
use chrono::NaiveDate;
use entity::{commitment, milestone, progress_update};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
};

use super::{Filter, PAGE_ROWS, paged_csv, status_name};
use crate::read;
use crate::read::ids::{NodeType, encode};
use crate::read::keyset::{self, Key};
use crate::read::milestones::PAGE_ORDER;
use crate::read::reports::{ReportOrder, report_order};
use crate::read::source::Pages;

/// The header row.
pub const COLUMNS: &[&str] = &[
    "id",
    "commitment",
    "objective",
    "title",
    "start_date",
    "end_date",
    "date_text",
    "status",
    "status_text",
    "latest_report",
    "source_url",
];

/// The CSV body, streamed a page of [`PAGE_ROWS`] milestones at a time.
pub fn body(db: DatabaseConnection, filter: Filter) -> Body {
    let cond = read::milestones::condition(&(&filter).into());
    paged_csv(COLUMNS, move |after| {
        let (db, cond) = (db.clone(), cond.clone());
        async move { rows(&db, cond, after).await }
    })
}

/// A milestone's latest report (its title) and the report behind its latest status (its words).
#[derive(Default)]
struct Latest {
    report: Option<(ReportOrder, String)>,
    status: Option<(ReportOrder, Option<String>)>,
}

/// The page of rows after the row keyed `after` in [`PAGE_ORDER`] (from the first when `None`),
/// with the last one's key; `None` past the last page.
async fn rows(
    db: &DatabaseConnection,
    cond: Condition,
    after: Option<Key>,
) -> Result<Option<(Vec<Vec<String>>, Key)>, DbErr> {
    let Some((milestones, last)) =
        keyset::page::<milestone::Entity>(db, cond, &PAGE_ORDER, after, PAGE_ROWS).await?
    else {
        return Ok(None);
    };
    let commitments: HashMap<i64, commitment::Model> = commitment::Entity::find()
        .filter(commitment::Column::Id.is_in(milestones.iter().map(|m| m.commitment_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let pages = Pages::of(db, milestones.iter().map(|m| m.document_id)).await?;
    let stated: Vec<(i64, Option<entity::DeliveryStatus>)> =
        milestones.iter().map(|m| (m.id, m.latest_status)).collect();
    let latest = reports_of(db, &stated).await?;

    let mut out = Vec::with_capacity(milestones.len());
    for m in milestones {
        let last = latest.get(&m.id);
        let last_status = m.latest_status;
        let commitment = commitments
            .get(&m.commitment_id)
            .map(commitment::Model::label)
            .unwrap_or_default();
        out.push(vec![
            encode(NodeType::Milestone, m.id),
            commitment,
            m.objective.unwrap_or_default(),
            m.title,
            day(m.start_date),
            day(m.end_date),
            m.date_text.unwrap_or_default(),
            status_name(last_status),
            last.and_then(|l| l.status.as_ref())
                .and_then(|(_, words)| words.clone())
                .unwrap_or_default(),
            last.and_then(|l| l.report.as_ref())
                .map(|(_, title)| title.clone())
                .unwrap_or_default(),
            pages
                .link(m.document_id, m.anchor.as_deref())
                .unwrap_or_default(),
        ]);
    }
    Ok(Some((out, last)))
}

/// Each milestone's latest report (by date, undated ones after every dated one, then place on
/// the page), whose title is `latest_report`; and the latest report that states the stored
/// latest status (`milestone.latest_status`, which the ingest computes by one rule for every
/// surface), whose words are `status_text`.
async fn reports_of(
    db: &DatabaseConnection,
    milestones: &[(i64, Option<entity::DeliveryStatus>)],
) -> Result<HashMap<i64, Latest>, DbErr> {
    use progress_update::Column as P;
    type Row = (
        Option<i64>,
        Option<NaiveDate>,
        i32,
        i64,
        String,
        Option<entity::DeliveryStatus>,
        Option<String>,
    );
    let wanted: HashMap<i64, Option<entity::DeliveryStatus>> = milestones.iter().copied().collect();
    let rows: Vec<Row> = progress_update::Entity::find()
        .select_only()
        .column(P::MilestoneId)
        .column(P::ReportedOn)
        .column(P::Position)
        .column(P::Id)
        .column(P::ReportTitle)
        .column(P::DeliveryStatus)
        .column(P::StatusText)
        .filter(P::MilestoneId.is_in(wanted.keys().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let mut latest: HashMap<i64, Latest> = HashMap::new();
    for (milestone, reported_on, position, id, title, status, status_text) in rows {
        let Some(milestone) = milestone else { continue };
        let key = report_order(reported_on, position, id);
        let entry = latest.entry(milestone).or_default();
        if entry.report.as_ref().is_none_or(|(k, _)| *k < key) {
            entry.report = Some((key, title));
        }
        let gives_status = status.is_some() && wanted.get(&milestone).copied().flatten() == status;
        if gives_status && entry.status.as_ref().is_none_or(|(k, _)| *k < key) {
            entry.status = Some((key, status_text));
        }
    }
    Ok(latest)
}

/// A day as `YYYY-MM-DD`, or empty.
pub(super) fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}
