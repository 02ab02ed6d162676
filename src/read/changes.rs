//! The change feed: which changes a query selects, newest first.

use chrono::{DateTime, Utc};
use entity::{ChangeAction, SubjectType, change, change_field};
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Select};

/// What selects changes.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Only changes recorded at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only changes to entities of this type.
    pub subject_type: Option<SubjectType>,
    /// Only changes of this action.
    pub action: Option<ChangeAction>,
    /// Only changes to this field.
    pub field: Option<String>,
    /// Only changes of this ingest run (by row ID).
    pub run: Option<i64>,
}

/// The changes `q` selects, newest first.
pub fn select(q: &Query) -> Select<change::Entity> {
    let mut cond = Condition::all();
    if let Some(since) = q.since {
        cond = cond.add(change::Column::At.gte(since));
    }
    if let Some(kind) = q.subject_type {
        cond = cond.add(change::Column::SubjectType.eq(kind));
    }
    if let Some(run) = q.run {
        cond = cond.add(change::Column::RunId.eq(run));
    }
    if let Some(action) = q.action {
        cond = cond.add(change::Column::Action.eq(action));
    }
    if let Some(field) = &q.field {
        cond = cond.add(
            change::Column::Id.in_subquery(
                SqlQuery::select()
                    .column(change_field::Column::ChangeId)
                    .from(change_field::Entity)
                    .and_where(change_field::Column::Field.eq(field.as_str()))
                    .to_owned(),
            ),
        );
    }
    change::Entity::find()
        .filter(cond)
        .order_by_desc(change::Column::Id)
}
