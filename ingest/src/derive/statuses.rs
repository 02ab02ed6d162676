//! Latest statuses: each milestone's latest status, from its progress updates, stored on the
//! milestone (`latest_status`) and on its timeline event, so every reader reads one value.
//!
//! The rule: the report dated latest that states a status gives it. A report that states none
//! is passed over (it does not hide an earlier report's status); undated reports come after
//! every dated one, so they give the status only when no dated report states one; on one day,
//! the update later on the page wins. It is applied here, in Rust, so it is the same on every
//! backend whatever its order of NULLs.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{DeliveryStatus, EventKind, SubjectType, event, milestone, progress_update};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::store::rows::INSERT_BATCH;

/// One update as the rule reads it: its milestone, report date, place on its page, ID and
/// status.
type Report = (i64, Option<NaiveDate>, i32, i64, Option<DeliveryStatus>);

/// A report as stored: its milestone is nullable (the rule reads linked ones).
type Stored = (
    Option<i64>,
    Option<NaiveDate>,
    i32,
    i64,
    Option<DeliveryStatus>,
);

/// Which of two reports is the later by the rule: dated after undated, then by date, place on
/// the page and ID. Readers that pick a report the way this step does (the one behind the
/// status, the latest report) order by it.
pub type ReportOrder = (bool, Option<NaiveDate>, i32, i64);

/// A report's place in [`ReportOrder`].
pub fn report_order(reported_on: Option<NaiveDate>, position: i32, id: i64) -> ReportOrder {
    (reported_on.is_some(), reported_on, position, id)
}

/// Each milestone's latest status by the rule (see the module doc), of `reports`.
fn latest(reports: impl IntoIterator<Item = Report>) -> HashMap<i64, DeliveryStatus> {
    let mut best: HashMap<i64, (ReportOrder, DeliveryStatus)> = HashMap::new();
    for (milestone, reported_on, position, id, status) in reports {
        let Some(status) = status else { continue };
        let key = report_order(reported_on, position, id);
        if best.get(&milestone).is_none_or(|(k, _)| *k < key) {
            best.insert(milestone, (key, status));
        }
    }
    best.into_iter().map(|(m, (_, s))| (m, s)).collect()
}

/// Recomputes every milestone's latest status, and gives it to the milestone's events.
///
/// # Errors
/// A database error.
pub async fn refresh(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let rows: Vec<Stored> = progress_update::Entity::find()
        .select_only()
        .column(progress_update::Column::MilestoneId)
        .column(progress_update::Column::ReportedOn)
        .column(progress_update::Column::Position)
        .column(progress_update::Column::Id)
        .column(progress_update::Column::DeliveryStatus)
        .filter(progress_update::Column::MilestoneId.is_not_null())
        .filter(progress_update::Column::DeliveryStatus.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let latest = latest(
        rows.into_iter()
            .filter_map(|(m, day, position, id, status)| Some((m?, day, position, id, status))),
    );
    let stored: Vec<(i64, Option<DeliveryStatus>)> = milestone::Entity::find()
        .select_only()
        .column(milestone::Column::Id)
        .column(milestone::Column::LatestStatus)
        .into_tuple()
        .all(db)
        .await?;
    // Milestones by the status they take, where it is not the one stored.
    let mut moved: HashMap<Option<DeliveryStatus>, Vec<i64>> = HashMap::new();
    for (id, was) in stored {
        let now = latest.get(&id).copied();
        if now != was {
            moved.entry(now).or_default().push(id);
        }
    }
    for (status, ids) in moved {
        for chunk in ids.chunks(INSERT_BATCH) {
            milestone::Entity::update_many()
                .col_expr(milestone::Column::LatestStatus, Expr::value(status))
                .filter(milestone::Column::Id.is_in(chunk.iter().copied()))
                .exec(db)
                .await?;
        }
    }
    // The events pass wrote milestones' events without a status: each takes its milestone's.
    let mut by_status: HashMap<DeliveryStatus, Vec<i64>> = HashMap::new();
    for (id, status) in latest {
        by_status.entry(status).or_default().push(id);
    }
    for (status, ids) in by_status {
        for chunk in ids.chunks(INSERT_BATCH) {
            event::Entity::update_many()
                .col_expr(event::Column::Status, Expr::value(Some(status)))
                .filter(event::Column::Kind.eq(EventKind::Milestone))
                .filter(event::Column::SubjectType.eq(SubjectType::Milestone))
                .filter(event::Column::SubjectId.is_in(chunk.iter().copied()))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2024, m, 1)
    }

    #[test]
    fn the_latest_dated_report_stating_a_status_gives_it_and_undated_ones_come_last() {
        use DeliveryStatus::{BehindSchedule, Completed, InProgress, OnTrack};
        let latest = latest([
            // Milestone 1: an undated report, a newer one stating nothing, two dated ones.
            (1, None, 1, 10, Some(Completed)),
            (1, day(9), 2, 11, None),
            (1, day(6), 3, 12, Some(BehindSchedule)),
            (1, day(3), 4, 13, Some(OnTrack)),
            // Milestone 2: undated only.
            (2, None, 1, 20, Some(InProgress)),
            // Milestone 3: two on one day; the later on the page wins.
            (3, day(3), 1, 30, Some(OnTrack)),
            (3, day(3), 2, 31, Some(Completed)),
            // Milestone 4: nothing stated.
            (4, day(3), 1, 40, None),
        ]);
        assert_eq!(latest.get(&1), Some(&BehindSchedule));
        assert_eq!(latest.get(&2), Some(&InProgress));
        assert_eq!(latest.get(&3), Some(&Completed));
        assert_eq!(latest.get(&4), None);
    }
}
