//! `workstreams.csv`: one row per delivery-plan workstream, in plan order (plan year, page,
//! place on the page).
//!
//! | column | what it holds |
//! |---|---|
//! | `id` | the workstream's global ID, as `/graphql` gives it |
//! | `plan_period` | the plan year, `YYYY-YY` ("2024-25") |
//! | `priority_area` | the priority area's name; when the plan restates an area of the strategy, the strategy's own name for it |
//! | `deliverable` | what will be delivered, as printed |
//! | `leads` | the lead organisations' names, sorted and joined with `; ` |
//! | `due_text` | when, as printed without status words ("December 2024") |
//! | `due_date` | the last day of that period (`YYYY-MM-DD`), empty when unknown |
//! | `status` | the status the plan gives it, e.g. `ON_TRACK`; empty without one |
//! | `status_text` | that status as printed ("On Track") |
//! | `source_url` | the plan page, with `#anchor` when it sits under an anchored heading |

use std::collections::{BTreeSet, HashMap};

use axum::body::Body;
use entity::{
    OrganisationRole, document, organisation, organisation_role, strategy_element, workstream,
};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::milestones::day;
use super::{Filter, PAGE_ROWS, after_key, paged_csv, status_name};
use crate::read;
use crate::read::ids::{NodeType, encode};
use crate::read::source;

/// The header row.
pub const COLUMNS: &[&str] = &[
    "id",
    "plan_period",
    "priority_area",
    "deliverable",
    "leads",
    "due_text",
    "due_date",
    "status",
    "status_text",
    "source_url",
];

/// The CSV body, streamed a page of [`PAGE_ROWS`] workstreams at a time.
pub fn body(db: DatabaseConnection, filter: Filter) -> Body {
    let cond = read::workstreams::condition(&(&filter).into());
    paged_csv(COLUMNS, move |after| {
        let (db, cond) = (db.clone(), cond.clone());
        async move { rows(&db, cond, after).await }
    })
}

/// A workstream's place in the file: its plan year, page, place on the page and ID.
type Key = (String, i64, i32, i64);

/// The page of rows after the row `after` (from the first when `None`), with the last one's
/// key; `None` past the last page.
async fn rows(
    db: &DatabaseConnection,
    mut cond: Condition,
    after: Option<Key>,
) -> Result<Option<(Vec<Vec<String>>, Key)>, DbErr> {
    use workstream::Column as W;
    const ORDER: [W; 4] = [W::PlanPeriod, W::DocumentId, W::Position, W::Id];
    if let Some((period, document, position, id)) = after {
        let key = vec![period.into(), document.into(), position.into(), id.into()];
        cond = cond.add(after_key(&ORDER, key));
    }
    let workstreams = workstream::Entity::find()
        .filter(cond)
        .order_by_asc(W::PlanPeriod)
        .order_by_asc(W::DocumentId)
        .order_by_asc(W::Position)
        .order_by_asc(W::Id)
        .limit(PAGE_ROWS)
        .all(db)
        .await?;
    let Some(last) = workstreams
        .last()
        .map(|w| (w.plan_period.clone(), w.document_id, w.position, w.id))
    else {
        return Ok(None);
    };
    let pages: HashMap<i64, String> = document::Entity::find()
        .select_only()
        .column(document::Column::Id)
        .column(document::Column::Url)
        .filter(document::Column::Id.is_in(workstreams.iter().map(|w| w.document_id)))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let areas = area_names(db, workstreams.iter().filter_map(|w| w.priority_area_id)).await?;
    let mut leads = lead_names(db, workstreams.iter().map(|w| w.id)).await?;

    let mut out = Vec::with_capacity(workstreams.len());
    for w in workstreams {
        let page = pages.get(&w.document_id).map(String::as_str).unwrap_or("");
        let names: Vec<String> = leads
            .remove(&w.id)
            .unwrap_or_default()
            .into_iter()
            .collect();
        out.push(vec![
            encode(NodeType::Workstream, w.id),
            w.plan_period,
            w.priority_area_id
                .and_then(|a| areas.get(&a).cloned())
                .unwrap_or_default(),
            w.deliverable,
            names.join("; "),
            w.due_text.unwrap_or_default(),
            day(w.due_date),
            status_name(w.status),
            w.status_text.unwrap_or_default(),
            source::url(page, w.anchor.as_deref()),
        ]);
    }
    Ok(Some((out, last)))
}

/// The name of each priority area: its canonical element's name when it restates one.
async fn area_names(
    db: &DatabaseConnection,
    ids: impl Iterator<Item = i64>,
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

/// The lead organisations' names of each workstream, sorted and without repeats.
async fn lead_names(
    db: &DatabaseConnection,
    workstreams: impl Iterator<Item = i64>,
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
