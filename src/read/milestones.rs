//! Milestones: which a query selects, for every surface (the GraphQL `milestones` root,
//! `milestones.csv`, the dashboard's view of them). Each surface orders them its own way.

use chrono::NaiveDate;
use entity::milestone;
use sea_orm::{ColumnTrait, Condition};

use super::filter::{Filter, StatusFilter, Subject};
use super::text::{lower_like, words};
use super::window::overlaps;

/// What selects milestones.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Milestones whose date range overlaps `[from, to]`; undated ones are left out when
    /// either is set.
    pub from: Option<NaiveDate>,
    /// See `from`.
    pub to: Option<NaiveDate>,
    /// Only milestones of this latest status, or without one.
    pub status: Option<StatusFilter>,
    /// Only a commitment's milestones (a strategy has none).
    pub subject: Option<Subject>,
    /// Words that must occur in the milestone's title.
    pub title: Option<String>,
}

impl From<&Filter> for Query {
    fn from(f: &Filter) -> Self {
        Self {
            from: f.from,
            to: f.to,
            status: f.status,
            subject: f.subject,
            title: None,
        }
    }
}

/// The condition selecting what `q` asks for.
pub fn condition(q: &Query) -> Condition {
    use milestone::Column as M;
    let mut cond = Condition::all();
    if q.from.is_some() || q.to.is_some() {
        cond = cond.add(overlaps(M::StartDate, M::EndDate, q.from, q.to));
    }
    match q.status {
        Some(StatusFilter::Is(status)) => cond = cond.add(M::LatestStatus.eq(status)),
        Some(StatusFilter::None) => cond = cond.add(M::LatestStatus.is_null()),
        None => {}
    }
    match q.subject {
        Some(Subject::Commitment(id)) => cond = cond.add(M::CommitmentId.eq(id)),
        // Milestones belong to commitments, never to strategies: no rows. The key is never
        // null, so this selects nothing on either backend.
        Some(Subject::Strategy(_)) => cond = cond.add(M::Id.is_null()),
        None => {}
    }
    if let Some(text) = &q.title {
        for word in words(text) {
            cond = cond.add(lower_like(M::Title, word));
        }
    }
    cond
}
