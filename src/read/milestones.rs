//! Milestones: which a query selects, for every surface (the GraphQL `milestones` root,
//! `milestones.csv`, the dashboard's view of them), in page order unless a surface sorts them
//! by date; and the report days a surface draws beside them.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{milestone, progress_update};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, Order as SqlOrder, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use super::filter::{Filter, StatusFilter, Subject};
use super::text::{lower_like, words};
use super::window::{Undated, within};

/// Page order: the page they were read from, their place on it, their ID (a key: see
/// [`super::keyset`]).
pub const PAGE_ORDER: [milestone::Column; 3] = [
    milestone::Column::DocumentId,
    milestone::Column::Position,
    milestone::Column::Id,
];

/// How a list of milestones is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// By commitment, then in [`PAGE_ORDER`].
    #[default]
    Page,
    /// By first day, earliest first, undated ones last; then as [`Order::Page`].
    StartDate,
    /// By last day, earliest first, undated ones last; then as [`Order::Page`].
    EndDate,
}

/// The milestones `q` selects, in `order`.
pub fn select(q: &Query, order: Order) -> Select<milestone::Entity> {
    use milestone::Column as M;
    let mut select = milestone::Entity::find().filter(condition(q));
    let by_date = match order {
        Order::Page => None,
        Order::StartDate => Some(M::StartDate),
        Order::EndDate => Some(M::EndDate),
    };
    if let Some(column) = by_date {
        // `IS NULL` first puts undated rows last on both backends, whose NULL orders differ.
        select = select
            .order_by(Expr::col(column).is_null(), SqlOrder::Asc)
            .order_by_asc(column);
    }
    std::iter::once(M::CommitmentId)
        .chain(PAGE_ORDER)
        .fold(select, |s, c| s.order_by_asc(c))
}

/// What selects milestones: the view's filter (its status is the stored latest status), and
/// words of the title.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// The window, latest status and subject (a strategy has no milestones).
    pub filter: Filter,
    /// Words that must occur in the milestone's title.
    pub title: Option<String>,
    /// Whether a window keeps undated milestones.
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

/// The condition selecting what `q` asks for.
pub fn condition(q: &Query) -> Condition {
    use milestone::Column as M;
    let mut cond = Condition::all();
    let f = &q.filter;
    cond = cond.add(within(M::StartDate, M::EndDate, f.from, f.to, q.undated));
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

/// The days the progress reports on each of `milestones` were published, oldest first, without
/// repeats (undated reports have none).
///
/// # Errors
/// A database error.
pub async fn report_days(
    db: &impl ConnectionTrait,
    milestones: &[i64],
) -> Result<HashMap<i64, Vec<NaiveDate>>, DbErr> {
    use progress_update::Column as P;
    let mut days: HashMap<i64, Vec<NaiveDate>> = HashMap::new();
    for chunk in milestones.chunks(500) {
        let rows: Vec<(Option<i64>, Option<NaiveDate>)> = progress_update::Entity::find()
            .select_only()
            .column(P::MilestoneId)
            .column(P::ReportedOn)
            .filter(P::MilestoneId.is_in(chunk.iter().copied()))
            .filter(P::ReportedOn.is_not_null())
            .order_by_asc(P::ReportedOn)
            .into_tuple()
            .all(db)
            .await?;
        for (m, day) in rows {
            if let (Some(m), Some(day)) = (m, day) {
                let list = days.entry(m).or_default();
                if !list.contains(&day) {
                    list.push(day);
                }
            }
        }
    }
    Ok(days)
}
