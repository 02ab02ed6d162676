//! What earlier runs said: the dates an ingest moved.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{SubjectType, change, change_field};
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::ids::NodeType;

/// For every milestone (or workstream) whose end date (or due date) an ingest moved, of those
/// `only` names (all when `None`): that date before the latest move, by row ID. Read from the
/// `CHANGED` rows with that field, which are few beside the rows themselves.
///
/// # Errors
/// A database error.
pub async fn previous_ends(
    db: &DatabaseConnection,
    kind: NodeType,
    only: Option<&[i64]>,
) -> Result<HashMap<i64, NaiveDate>, DbErr> {
    let (subject_type, field) = match kind {
        NodeType::Milestone => (SubjectType::Milestone, "endDate"),
        NodeType::Workstream => (SubjectType::Workstream, "dueDate"),
        _ => return Ok(HashMap::new()),
    };
    let mut moves = change::Entity::find()
        .select_only()
        .column(change::Column::Id)
        .column(change::Column::SubjectId)
        .filter(change::Column::SubjectType.eq(subject_type))
        .filter(change::Column::Action.eq(entity::ChangeAction::Changed))
        .filter(
            change::Column::Id.in_subquery(
                SqlQuery::select()
                    .column(change_field::Column::ChangeId)
                    .from(change_field::Entity)
                    .and_where(change_field::Column::Field.eq(field))
                    .to_owned(),
            ),
        );
    if let Some(ids) = only {
        moves = moves.filter(change::Column::SubjectId.is_in(ids.iter().copied()));
    }
    let moves: Vec<(i64, i64)> = moves
        .order_by_asc(change::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let subjects: HashMap<i64, i64> = moves.iter().copied().collect();
    let mut out = HashMap::new();
    for chunk in moves.chunks(400) {
        let befores: Vec<(i64, Option<String>)> = change_field::Entity::find()
            .select_only()
            .column(change_field::Column::ChangeId)
            .column(change_field::Column::Before)
            .filter(change_field::Column::Field.eq(field))
            .filter(change_field::Column::ChangeId.is_in(chunk.iter().map(|(id, _)| *id)))
            .order_by_asc(change_field::Column::ChangeId)
            .into_tuple()
            .all(db)
            .await?;
        for (change, before) in befores {
            let day = before.and_then(|b| NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok());
            if let (Some(subject), Some(day)) = (subjects.get(&change), day) {
                // In change order, so the latest move's is kept.
                out.insert(*subject, day);
            }
        }
    }
    Ok(out)
}
