//! Timeline events: which a query selects, in timeline order (date, kind, title), for every
//! surface (the GraphQL `events` and `timeline` roots, `timeline.ics`).

use entity::{EventKind, SubjectType, event};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Select};

use super::filter::{Filter, StatusFilter, Subject};
use super::window::event_window;

/// What selects events: the view's filter, and kinds.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// The window (on `[date, end]`), status (of a milestone's or workstream's events; `NONE`
    /// is theirs without one) and subject (a commitment or strategy, and their milestones,
    /// workstreams and reports).
    pub filter: Filter,
    /// Only events of these kinds.
    pub kinds: Option<Vec<EventKind>>,
}

impl From<&Filter> for Query {
    fn from(f: &Filter) -> Self {
        Self {
            filter: *f,
            kinds: None,
        }
    }
}

/// The events `q` selects, in timeline order.
pub fn select(q: &Query) -> Select<event::Entity> {
    event::Entity::find()
        .filter(condition(q))
        .order_by_asc(event::Column::Date)
        .order_by_asc(event::Column::Kind)
        .order_by_asc(event::Column::Title)
        .order_by_asc(event::Column::Id)
}

/// The condition of [`select`].
pub fn condition(q: &Query) -> Condition {
    let f = &q.filter;
    let mut cond = event_window(f.from, f.to);
    if let Some(kinds) = &q.kinds {
        cond = cond.add(event::Column::Kind.is_in(kinds.iter().copied()));
    }
    match f.status {
        Some(StatusFilter::Is(status)) => cond = cond.add(event::Column::Status.eq(status)),
        // Rows without a status are those of a kind that has one: milestones and workstreams.
        Some(StatusFilter::None) => {
            cond = cond.add(event::Column::Status.is_null()).add(
                event::Column::SubjectType.is_in([SubjectType::Milestone, SubjectType::Workstream]),
            );
        }
        None => {}
    }
    match f.subject {
        Some(Subject::Commitment(id)) => cond = cond.add(event::Column::CommitmentId.eq(id)),
        Some(Subject::Strategy(id)) => cond = cond.add(event::Column::StrategyId.eq(id)),
        None => {}
    }
    cond
}
