//! Milestones: which a query selects, for every surface (the GraphQL `milestones` root,
//! `milestones.csv`, the dashboard's view of them). Each surface orders them its own way.

use entity::milestone;
use sea_orm::{ColumnTrait, Condition};

use super::filter::{Filter, StatusFilter, Subject};
use super::text::{lower_like, words};
use super::window::overlaps;

/// What selects milestones: the view's filter (its status is the stored latest status), and
/// words of the title.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// The window, latest status and subject (a strategy has no milestones).
    pub filter: Filter,
    /// Words that must occur in the milestone's title.
    pub title: Option<String>,
}

impl From<&Filter> for Query {
    fn from(f: &Filter) -> Self {
        Self {
            filter: *f,
            title: None,
        }
    }
}

/// The condition selecting what `q` asks for.
pub fn condition(q: &Query) -> Condition {
    use milestone::Column as M;
    let mut cond = Condition::all();
    let f = &q.filter;
    if f.is_windowed() {
        cond = cond.add(overlaps(M::StartDate, M::EndDate, f.from, f.to));
    }
    match f.status {
        Some(StatusFilter::Is(status)) => cond = cond.add(M::LatestStatus.eq(status)),
        Some(StatusFilter::None) => cond = cond.add(M::LatestStatus.is_null()),
        None => {}
    }
    match f.subject {
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
