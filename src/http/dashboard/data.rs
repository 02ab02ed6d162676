//! Reading the dashboard's rows: milestones (grouped by commitment, with their progress reports
//! as ticks and their latest reported status) and workstreams (grouped by priority area, with
//! their own status and due date), each with its end or due date before the latest ingest that
//! moved it.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use entity::{DeliveryStatus, SubjectType, commitment};
use sea_orm::{ActiveEnum, ColumnTrait, DatabaseConnection, DbErr, QueryFilter};

use crate::read;
use crate::read::filter::Filter;
use crate::read::history::previous_ends;
use crate::read::ids::{NodeType, encode};
use crate::read::source::Pages;
use crate::read::versions;
use crate::read::window::Undated;
use crate::read::workstreams::area_names;

/// What a row of the chart is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A commitment's milestone.
    Milestone,
    /// A delivery plan's workstream.
    Workstream,
}

impl ItemKind {
    /// Its name on the page: its type's.
    pub fn label(self) -> String {
        match self {
            Self::Milestone => SubjectType::Milestone,
            Self::Workstream => SubjectType::Workstream,
        }
        .to_value()
    }
}

/// One row: a milestone or a workstream.
#[derive(Clone, Debug)]
pub struct Item {
    /// Its global ID, as the API gives it.
    pub id: String,
    /// A milestone or a workstream.
    pub kind: ItemKind,
    /// What it is (a milestone's title, a workstream's deliverable).
    pub title: String,
    /// The first day, when known.
    pub start: Option<NaiveDate>,
    /// The last day or the deadline, when known.
    pub end: Option<NaiveDate>,
    /// The latest status, if any was reported.
    pub status: Option<DeliveryStatus>,
    /// The days progress reports were published on it, oldest first.
    pub reports: Vec<NaiveDate>,
    /// The page it was read from, with its anchor.
    pub source: Option<String>,
    /// What changed on that page at its latest ingest (the diff page's path), when the page
    /// has an earlier version.
    pub diff: Option<String>,
    /// Its last day or deadline before the latest ingest that moved it (from the change
    /// feed), when one did.
    pub previous_end: Option<NaiveDate>,
}

impl Item {
    /// The days it spans: a range, or one day (a deadline); `None` when undated.
    pub fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        let first = self.start.or(self.end)?;
        let last = self.end.or(self.start)?;
        Some((first.min(last), first.max(last)))
    }
}

/// The rows under one heading: a commitment or a priority area.
#[derive(Clone, Debug)]
pub struct Group {
    /// The heading.
    pub label: String,
    /// Its rows, in the order of their source.
    pub items: Vec<Item>,
}

/// A subject the page offers in its select: its global ID and its name.
#[derive(Clone, Debug)]
pub struct Choice {
    /// The global ID, the `subject` parameter's value.
    pub id: String,
    /// What the select shows.
    pub label: String,
}

/// The subjects the page offers: every commitment, then every strategy.
///
/// # Errors
/// A database error.
pub async fn choices(db: &DatabaseConnection) -> Result<Vec<Choice>, DbErr> {
    let commitments = read::commitments::select().all(db).await?;
    let strategies = read::commitments::strategies().all(db).await?;
    let commitments = commitments.into_iter().map(|c| Choice {
        id: encode(NodeType::Commitment, c.id),
        label: c.label(),
    });
    let strategies = strategies.into_iter().map(|s| Choice {
        id: encode(NodeType::Strategy, s.id),
        label: format!("Strategy: {}", s.title),
    });
    Ok(commitments.chain(strategies).collect())
}

/// The rows of the view, grouped, commitments first: those the view's filter selects (the
/// read layer's, as its downloads read them), undated rows kept in a window (the page lists
/// them, undrawn). A group without rows is left out.
///
/// # Errors
/// A database error.
pub async fn groups(db: &DatabaseConnection, view: &Filter) -> Result<Vec<Group>, DbErr> {
    let mut groups = milestone_groups(db, view).await?;
    groups.extend(workstream_groups(db, view).await?);
    Ok(groups)
}

/// Milestones under their commitments, in the commitments' order, each in page order.
async fn milestone_groups(db: &DatabaseConnection, view: &Filter) -> Result<Vec<Group>, DbErr> {
    let query = read::milestones::Query {
        filter: *view,
        undated: Undated::Kept,
        ..Default::default()
    };
    let milestones = read::milestones::select(&query, read::milestones::Order::Page)
        .all(db)
        .await?;
    if milestones.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = milestones.iter().map(|m| m.id).collect();
    let mut reports = read::milestones::report_days(db, &ids).await?;
    let pages = Pages::of(db, milestones.iter().map(|m| m.document_id)).await?;
    let diffs = versions::latest_diffs(db, milestones.iter().map(|m| m.document_id)).await?;
    let mut moved = previous_ends(db, NodeType::Milestone, None).await?;
    let mut by_commitment: HashMap<i64, Vec<Item>> = HashMap::new();
    for m in milestones {
        let item = Item {
            id: encode(NodeType::Milestone, m.id),
            kind: ItemKind::Milestone,
            title: m.title,
            start: m.start_date,
            end: m.end_date,
            status: m.latest_status,
            reports: reports.remove(&m.id).unwrap_or_default(),
            source: pages.link(m.document_id, m.anchor.as_deref()),
            diff: diffs.get(&m.document_id).cloned(),
            previous_end: moved.remove(&m.id),
        };
        by_commitment.entry(m.commitment_id).or_default().push(item);
    }
    let commitments = read::commitments::select()
        .filter(commitment::Column::Id.is_in(by_commitment.keys().copied()))
        .all(db)
        .await?;
    Ok(commitments
        .into_iter()
        .filter_map(|c| {
            let items = by_commitment.remove(&c.id)?;
            let label = c.label();
            Some(Group { label, items })
        })
        .collect())
}

/// Workstreams under their priority areas (by name; those without one last), each in plan
/// order.
async fn workstream_groups(db: &DatabaseConnection, view: &Filter) -> Result<Vec<Group>, DbErr> {
    let query = read::workstreams::Query {
        filter: *view,
        undated: Undated::Kept,
        ..Default::default()
    };
    let workstreams = read::workstreams::select(&query).all(db).await?;
    if workstreams.is_empty() {
        return Ok(Vec::new());
    }
    let names = area_names(db, workstreams.iter().filter_map(|w| w.priority_area_id)).await?;
    let pages = Pages::of(db, workstreams.iter().map(|w| w.document_id)).await?;
    let diffs = versions::latest_diffs(db, workstreams.iter().map(|w| w.document_id)).await?;
    let mut moved = previous_ends(db, NodeType::Workstream, None).await?;
    // Areas sort by name; `None` (no priority area) sorts after every name.
    let mut by_area: BTreeMap<(bool, String), Vec<Item>> = BTreeMap::new();
    for w in workstreams {
        let area = w.priority_area_id.and_then(|a| names.get(&a).cloned());
        let key = (area.is_none(), area.unwrap_or_default());
        let item = Item {
            id: encode(NodeType::Workstream, w.id),
            kind: ItemKind::Workstream,
            title: w.deliverable,
            start: None,
            end: w.due_date,
            status: w.status,
            reports: Vec::new(),
            source: pages.link(w.document_id, w.anchor.as_deref()),
            diff: diffs.get(&w.document_id).cloned(),
            previous_end: moved.remove(&w.id),
        };
        by_area.entry(key).or_default().push(item);
    }
    Ok(by_area
        .into_iter()
        .map(|((none, name), items)| Group {
            label: if none {
                "Workstreams without a priority area".to_owned()
            } else {
                format!("Priority area: {name}")
            },
            items,
        })
        .collect())
}
