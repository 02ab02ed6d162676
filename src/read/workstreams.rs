//! Workstreams: which a query selects, in plan order, for every surface (the GraphQL
//! `workstreams` root and loaders, `workstreams.csv`, the dashboard's view of them); and the
//! names shown beside them (their priority area's, their leads').

use std::collections::{BTreeSet, HashMap};

use entity::{
    OrganisationRole, organisation, organisation_alias, organisation_role, strategy_element,
    workstream,
};
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Select,
};

use super::filter::{Filter, StatusFilter, Subject};
use super::keyset::ordered;
use super::text::{lower_like, words};
use super::window::{Undated, within};

/// Plan order: plan year, page, place on the page, ID (a key: see [`super::keyset`]).
pub const PLAN_ORDER: [workstream::Column; 4] = [
    workstream::Column::PlanPeriod,
    workstream::Column::DocumentId,
    workstream::Column::Position,
    workstream::Column::Id,
];

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
    /// Whether a window keeps workstreams without a due date.
    pub undated: Undated,
}

impl From<&Filter> for Query {
    fn from(f: &Filter) -> Self {
        Self {
            filter: *f,
            ..Self::default()
        }
    }
}

/// The workstreams `q` selects, in [`PLAN_ORDER`].
pub fn select(q: &Query) -> Select<workstream::Entity> {
    ordered(workstream::Entity::find().filter(condition(q)), &PLAN_ORDER)
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
    cond = cond.add(within(W::DueDate, W::DueDate, f.from, f.to, q.undated));
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

/// The name of each priority area of `ids`: its canonical element's name when it restates one.
///
/// # Errors
/// A database error.
pub async fn area_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, DbErr> {
    use strategy_element::Column as E;
    type Row = (i64, String, Option<i64>);
    let own: Vec<Row> = strategy_element::Entity::find()
        .select_only()
        .column(E::Id)
        .column(E::Name)
        .column(E::CanonicalId)
        .filter(E::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    let canonical: HashMap<i64, String> = strategy_element::Entity::find()
        .select_only()
        .column(E::Id)
        .column(E::Name)
        .filter(E::Id.is_in(own.iter().filter_map(|(_, _, c)| *c)))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(own
        .into_iter()
        .map(|(id, name, c)| {
            let name = c.and_then(|c| canonical.get(&c).cloned()).unwrap_or(name);
            (id, name)
        })
        .collect())
}

/// The lead organisations' names of each of `workstreams`, sorted and without repeats.
///
/// # Errors
/// A database error.
pub async fn lead_names(
    db: &impl ConnectionTrait,
    workstreams: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, BTreeSet<String>>, DbErr> {
    use organisation_role::Column as R;
    let roles: Vec<(Option<i64>, i64)> = organisation_role::Entity::find()
        .select_only()
        .column(R::WorkstreamId)
        .column(R::OrganisationId)
        .filter(R::Role.eq(OrganisationRole::WorkstreamLead))
        .filter(R::WorkstreamId.is_in(workstreams))
        .into_tuple()
        .all(db)
        .await?;
    let names: HashMap<i64, String> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .column(organisation::Column::Name)
        .filter(organisation::Column::Id.is_in(roles.iter().map(|(_, o)| *o)))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut leads: HashMap<i64, BTreeSet<String>> = HashMap::new();
    for (workstream, org) in roles {
        if let (Some(w), Some(name)) = (workstream, names.get(&org)) {
            leads.entry(w).or_default().insert(name.clone());
        }
    }
    Ok(leads)
}
