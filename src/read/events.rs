//! Timeline events: which a query selects, in timeline order (date, kind, title), for every
//! surface (the GraphQL `events` and `timeline` roots, `timeline.ics`).

use chrono::NaiveDate;
use entity::{SubjectType, event};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Select};

use super::filter::{Filter, StatusFilter, Subject};
use super::window::event_window;

/// What selects events.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Events whose `[date, end]` overlaps `[from, to]`.
    pub from: Option<NaiveDate>,
    /// See `from`.
    pub to: Option<NaiveDate>,
    /// Only events of these kinds, by their names (`MILESTONE`, ...); a name of no kind
    /// selects nothing.
    pub kinds: Option<Vec<String>>,
    /// Only events about a milestone or workstream of this latest status, or without one.
    pub status: Option<StatusFilter>,
    /// Only events about this commitment or strategy (or their milestones, workstreams and
    /// reports).
    pub subject: Option<Subject>,
}

impl From<&Filter> for Query {
    fn from(f: &Filter) -> Self {
        Self {
            from: f.from,
            to: f.to,
            kinds: None,
            status: f.status,
            subject: f.subject,
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
    let mut cond = event_window(q.from, q.to);
    if let Some(kinds) = &q.kinds {
        cond = cond.add(event::Column::Kind.is_in(kinds.iter().map(String::as_str)));
    }
    match q.status {
        Some(StatusFilter::Is(status)) => cond = cond.add(event::Column::Status.eq(status)),
        // Rows without a status are those of a kind that has one: milestones and workstreams.
        Some(StatusFilter::None) => {
            cond = cond.add(event::Column::Status.is_null()).add(
                event::Column::SubjectType.is_in([SubjectType::Milestone, SubjectType::Workstream]),
            );
        }
        None => {}
    }
    match q.subject {
        Some(Subject::Commitment(id)) => cond = cond.add(event::Column::CommitmentId.eq(id)),
        Some(Subject::Strategy(id)) => cond = cond.add(event::Column::StrategyId.eq(id)),
        None => {}
    }
    cond
}
