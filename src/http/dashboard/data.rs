//! Reading the dashboard's rows: milestones (grouped by commitment, with their progress reports
//! as ticks and their latest reported status) and workstreams (grouped by priority area, with
//! their own status and due date), each with its end or due date before the latest ingest that
//! moved it.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use entity::{
    DeliveryStatus, SubjectType, commitment, document, milestone, progress_update, strategy,
    strategy_element, workstream,
};
use sea_orm::{
    ActiveEnum, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use crate::read::history::previous_ends;
use crate::read::ids::{NodeType, encode};
use crate::read::source;

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

pub use crate::read::filter::Subject;

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
    let commitments = commitment::Entity::find()
        .order_by_asc(commitment::Column::Number)
        .all(db)
        .await?;
    let strategies = strategy::Entity::find()
        .order_by_asc(strategy::Column::Title)
        .all(db)
        .await?;
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

/// Every row of the subject (all when `None`), grouped, commitments first.
///
/// # Errors
/// A database error.
pub async fn groups(
    db: &DatabaseConnection,
    subject: Option<Subject>,
) -> Result<Vec<Group>, DbErr> {
    let mut groups = Vec::new();
    if !matches!(subject, Some(Subject::Strategy(_))) {
        let only = match subject {
            Some(Subject::Commitment(id)) => Some(id),
            _ => None,
        };
        groups.extend(milestone_groups(db, only).await?);
    }
    if !matches!(subject, Some(Subject::Commitment(_))) {
        let only = match subject {
            Some(Subject::Strategy(id)) => Some(id),
            _ => None,
        };
        groups.extend(workstream_groups(db, only).await?);
    }
    Ok(groups)
}

/// Source links of documents: their URL, by ID.
async fn document_urls(
    db: &DatabaseConnection,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, String>, DbErr> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    let mut urls = HashMap::new();
    for chunk in ids.chunks(500) {
        let docs = document::Entity::find()
            .filter(document::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        urls.extend(docs.into_iter().map(|d| (d.id, d.url)));
    }
    Ok(urls)
}

/// A row's source link: its document's URL and its anchor.
fn source_link(urls: &HashMap<i64, String>, document: i64, anchor: Option<&str>) -> Option<String> {
    // Only web links: a stored URL of another scheme is never made a link.
    let url = urls
        .get(&document)
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))?;
    Some(source::url(url, anchor))
}

/// The days of the progress reports on each milestone, oldest first, without repeats.
async fn report_days(
    db: &DatabaseConnection,
    milestones: &[i64],
) -> Result<HashMap<i64, Vec<NaiveDate>>, DbErr> {
    let mut days: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for chunk in milestones.chunks(500) {
        let updates = progress_update::Entity::find()
            .filter(progress_update::Column::MilestoneId.is_in(chunk.iter().copied()))
            .filter(progress_update::Column::ReportedOn.is_not_null())
            .order_by_asc(progress_update::Column::ReportedOn)
            .all(db)
            .await?;
        for u in updates {
            if let (Some(m), Some(day)) = (u.milestone_id, u.reported_on) {
                let list = days.entry(m).or_default();
                if !list.contains(&day) {
                    list.push(day);
                }
            }
        }
    }
    Ok(days)
}

/// Milestones under their commitments, by commitment number and position.
async fn milestone_groups(db: &DatabaseConnection, only: Option<i64>) -> Result<Vec<Group>, DbErr> {
    let mut query = commitment::Entity::find().order_by_asc(commitment::Column::Number);
    if let Some(id) = only {
        query = query.filter(commitment::Column::Id.eq(id));
    }
    let commitments = query.all(db).await?;
    let mut query = milestone::Entity::find()
        .order_by_asc(milestone::Column::Position)
        .order_by_asc(milestone::Column::Id);
    if let Some(id) = only {
        query = query.filter(milestone::Column::CommitmentId.eq(id));
    }
    let milestones = query.all(db).await?;
    let ids: Vec<i64> = milestones.iter().map(|m| m.id).collect();
    let mut reports = report_days(db, &ids).await?;
    let urls = document_urls(db, milestones.iter().map(|m| m.document_id)).await?;
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
            source: source_link(&urls, m.document_id, m.anchor.as_deref()),
            previous_end: moved.remove(&m.id),
        };
        by_commitment.entry(m.commitment_id).or_default().push(item);
    }
    Ok(commitments
        .into_iter()
        .filter_map(|c| {
            let items = by_commitment.remove(&c.id)?;
            let label = c.label();
            Some(Group { label, items })
        })
        .collect())
}

/// The names of priority areas by element ID, a restated element taking its canonical
/// element's name.
async fn area_names(
    db: &DatabaseConnection,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, String>, DbErr> {
    let ids: Vec<i64> = ids.collect();
    let elements = strategy_element::Entity::find()
        .filter(strategy_element::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let canonical_ids = elements
        .iter()
        .filter_map(|e| e.canonical_id.filter(|c| *c != e.id));
    let canonical: HashMap<i64, String> = strategy_element::Entity::find()
        .filter(strategy_element::Column::Id.is_in(canonical_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.name))
        .collect();
    Ok(elements
        .into_iter()
        .map(|e| {
            let name = e
                .canonical_id
                .and_then(|c| canonical.get(&c).cloned())
                .unwrap_or(e.name);
            (e.id, name)
        })
        .collect())
}

/// Workstreams under their priority areas (by name; those without one last).
async fn workstream_groups(
    db: &DatabaseConnection,
    only: Option<i64>,
) -> Result<Vec<Group>, DbErr> {
    let mut query = workstream::Entity::find()
        .order_by_asc(workstream::Column::DocumentId)
        .order_by_asc(workstream::Column::Position);
    if let Some(id) = only {
        query = query.filter(workstream::Column::StrategyId.eq(id));
    }
    let workstreams = query.all(db).await?;
    let names = area_names(db, workstreams.iter().filter_map(|w| w.priority_area_id)).await?;
    let urls = document_urls(db, workstreams.iter().map(|w| w.document_id)).await?;
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
            source: source_link(&urls, w.document_id, w.anchor.as_deref()),
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
