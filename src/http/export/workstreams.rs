//! `workstreams.csv`: one row per delivery-plan workstream, in plan order (plan year, page,
//! place on the page).
//!
//! | column | what it holds |
//! |---|---|
//! | `id` | the workstream's global ID, as `/graphql` gives it |
//! | `plan_period` | the plan year, `YYYY-YY` ("2024-25") |
//! | `priority_area` | the priority area's name; when the plan restates an area of the strategy, the strategy's own name for it |
//! | `deliverable` | what will be delivered, as printed; a lead-in's bullets joined with `; ` (as `/graphql` and the dashboard give it) |
//! | `leads` | the lead organisations' names, sorted and joined with `; ` |
//! | `due_text` | when, as printed without status words ("December 2024") |
//! | `due_date` | the last day of that period (`YYYY-MM-DD`), empty when unknown |
//! | `status` | the status the plan gives it, e.g. `ON_TRACK`; empty without one |
//! | `status_text` | that status as printed ("On Track") |
//! | `source_url` | the plan page, with `#anchor` when it sits under an anchored heading |

use axum::body::Body;
use sea_orm::{Condition, DatabaseConnection, DbErr};

use super::milestones::day;
use super::{Filter, PAGE_ROWS, paged_csv, status_name};
use crate::read;
use crate::read::ids::{NodeType, encode};
use crate::read::keyset::{self, Key};
use crate::read::source::Pages;
use crate::read::workstreams::{PLAN_ORDER, area_names, lead_names};

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

/// The page of rows after the row keyed `after` in [`PLAN_ORDER`] (from the first when `None`),
/// with the last one's key; `None` past the last page.
async fn rows(
    db: &DatabaseConnection,
    cond: Condition,
    after: Option<Key>,
) -> Result<Option<(Vec<Vec<String>>, Key)>, DbErr> {
    let Some((workstreams, last)) =
        keyset::page::<entity::workstream::Entity>(db, cond, &PLAN_ORDER, after, PAGE_ROWS).await?
    else {
        return Ok(None);
    };
    let pages = Pages::of(db, workstreams.iter().map(|w| w.document_id)).await?;
    let areas = area_names(db, workstreams.iter().filter_map(|w| w.priority_area_id)).await?;
    let mut leads = lead_names(db, workstreams.iter().map(|w| w.id)).await?;

    let mut out = Vec::with_capacity(workstreams.len());
    for w in workstreams {
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
            pages
                .link(w.document_id, w.anchor.as_deref())
                .unwrap_or_default(),
        ]);
    }
    Ok(Some((out, last)))
}
