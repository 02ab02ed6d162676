//! Workstreams: which a query selects, in plan order, for every surface (the GraphQL
//! `workstreams` root, `workstreams.csv`, the dashboard's view of them).

use entity::{organisation, organisation_alias, organisation_role, strategy_element, workstream};
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Select};

use super::filter::{Filter, StatusFilter, Subject};
use super::text::{lower_like, words};
use super::window::overlaps;

/// What selects workstreams: the view's filter (its window bounds the due date), and the
/// GraphQL filter's own fields.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// The window (on the due date), status and subject (a commitment has no workstreams).
    pub filter: Filter,
    /// Words that must occur in a lead organisation's name or alias.
    pub lead: Option<String>,
    /// Words that must occur in the priority area's name.
    pub priority_area: Option<String>,
    /// The plan year as printed in the plan's title, normalised to YYYY-YY.
    pub plan_period: Option<String>,
}

impl From<&Filter> for Query {
    fn from(f: &Filter) -> Self {
        Self {
            filter: *f,
            ..Self::default()
        }
    }
}

/// The workstreams `q` selects, in plan order (plan year, page, place on the page).
pub fn select(q: &Query) -> Select<workstream::Entity> {
    use workstream::Column as W;
    workstream::Entity::find()
        .filter(condition(q))
        .order_by_asc(W::PlanPeriod)
        .order_by_asc(W::DocumentId)
        .order_by_asc(W::Position)
}

/// The condition of [`select`], for a surface with an order of its own.
pub fn condition(q: &Query) -> Condition {
    use workstream::Column as W;
    let mut cond = Condition::all();
    let f = &q.filter;
    match f.status {
        Some(StatusFilter::Is(status)) => cond = cond.add(W::Status.eq(status)),
        Some(StatusFilter::None) => cond = cond.add(W::Status.is_null()),
        None => {}
    }
    match f.subject {
        Some(Subject::Strategy(id)) => cond = cond.add(W::StrategyId.eq(id)),
        // Workstreams belong to strategies, never to commitments: no rows. The key is never
        // null, so this selects nothing on either backend.
        Some(Subject::Commitment(_)) => cond = cond.add(W::Id.is_null()),
        None => {}
    }
    if let Some(period) = &q.plan_period {
        cond = cond.add(W::PlanPeriod.eq(period.trim()));
    }
    if f.is_windowed() {
        cond = cond.add(overlaps(W::DueDate, W::DueDate, f.from, f.to));
    }
    if let Some(text) = &q.priority_area {
        let mut names = Condition::all();
        for word in words(text) {
            names = names.add(lower_like(strategy_element::Column::Name, word));
        }
        // The area as the plan page names it, or as the element it restates does.
        let named = SqlQuery::select()
            .column(strategy_element::Column::Id)
            .from(strategy_element::Entity)
            .cond_where(names)
            .to_owned();
        let restating = SqlQuery::select()
            .column(strategy_element::Column::Id)
            .from(strategy_element::Entity)
            .and_where(strategy_element::Column::CanonicalId.in_subquery(named.clone()))
            .to_owned();
        cond = cond.add(
            Condition::any()
                .add(W::PriorityAreaId.in_subquery(named))
                .add(W::PriorityAreaId.in_subquery(restating)),
        );
    }
    if let Some(text) = &q.lead {
        for word in words(text) {
            let by_name = SqlQuery::select()
                .column(organisation::Column::Id)
                .from(organisation::Entity)
                .and_where(lower_like(organisation::Column::Name, word))
                .to_owned();
            let by_alias = SqlQuery::select()
                .column(organisation_alias::Column::OrganisationId)
                .from(organisation_alias::Entity)
                .and_where(lower_like(organisation_alias::Column::Alias, word))
                .to_owned();
            let leads = SqlQuery::select()
                .column(organisation_role::Column::WorkstreamId)
                .from(organisation_role::Entity)
                .and_where(organisation_role::Column::WorkstreamId.is_not_null())
                .cond_where(
                    Condition::any()
                        .add(organisation_role::Column::OrganisationId.in_subquery(by_name))
                        .add(organisation_role::Column::OrganisationId.in_subquery(by_alias)),
                )
                .to_owned();
            cond = cond.add(W::Id.in_subquery(leads));
        }
    }
    cond
}
