//! The change feed: which changes a query selects, newest first.

use chrono::{DateTime, Utc};
use entity::{ChangeAction, SubjectType, change, change_field};
use sea_orm::sea_query::Query as SqlQuery;
use sea_orm::{ActiveEnum, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Select};

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
    /// Only changes to this entity (its type and row ID).
    pub subject: Option<(SubjectType, i64)>,
    /// Only changes older than this one (by row ID): the next page of a feed.
    pub before: Option<i64>,
}

/// Checks a field name against those the ingest records (`ingest::recorded_fields`): a
/// misspelt or snake_case name would otherwise match nothing, silently.
///
/// # Errors
/// The message: the name (cut to 64 characters) and every name the feed records.
pub fn check_field(field: &str) -> Result<(), String> {
    let recorded = ingest::recorded_fields();
    if recorded.contains(field) {
        return Ok(());
    }
    let mut shown: String = field.chars().take(64).collect();
    if shown.len() < field.len() {
        shown.push('…');
    }
    Err(format!(
        "field {shown:?} is not one the feed records; it records {}",
        recorded.into_iter().collect::<Vec<_>>().join(", ")
    ))
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
    if let Some((kind, id)) = q.subject {
        cond = cond
            .add(change::Column::SubjectType.eq(kind))
            .add(change::Column::SubjectId.eq(id));
    }
    if let Some(before) = q.before {
        cond = cond.add(change::Column::Id.lt(before));
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

/// The fields of each of `changes`, in the order they were recorded.
///
/// # Errors
/// A database error.
pub async fn fields_of(
    db: &impl sea_orm::ConnectionTrait,
    changes: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<change_field::Model>>, sea_orm::DbErr> {
    let mut fields: std::collections::HashMap<i64, Vec<change_field::Model>> =
        std::collections::HashMap::new();
    for chunk in changes.chunks(500) {
        let rows = change_field::Entity::find()
            .filter(change_field::Column::ChangeId.is_in(chunk.iter().copied()))
            .order_by_asc(change_field::Column::Id)
            .all(db)
            .await?;
        for f in rows {
            fields.entry(f.change_id).or_default().push(f);
        }
    }
    Ok(fields)
}

/// A type's name as a person reads it: "ProgressUpdate" → "Progress update".
fn type_words(kind: SubjectType) -> String {
    let name = kind.to_value();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if i > 0 && c.is_uppercase() {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A recorded value as a person reads it: a `YYYY-MM-DD` day as "31 Jul 2022", an empty value
/// as "none", others as they are.
fn value_words(value: Option<&str>) -> String {
    match value {
        None | Some("") => "none".to_owned(),
        Some(v) => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_or_else(|_| v.to_owned(), |d| d.format("%-d %b %Y").to_string()),
    }
}

/// What a change says, in a line a person can read: "Milestone re-dated: <label>, end 31 Jul
/// 2022 → 31 Oct 2022"; "Workstream status changed: …"; "Document added: …". Dates that
/// moved are named first, then a status, then the fields changed.
pub fn headline(change: &change::Model, fields: &[change_field::Model]) -> String {
    let kind = type_words(change.subject_type);
    let label = &change.label;
    let field = |names: &[&str]| fields.iter().find(|f| names.contains(&f.field.as_str()));
    match change.action {
        ChangeAction::Added => format!("{kind} added: {label}"),
        ChangeAction::Removed => format!("{kind} removed: {label}"),
        ChangeAction::Changed => {
            if let Some(f) = field(&["endDate", "dueDate", "startDate"]) {
                let which = if f.field == "startDate" {
                    "start"
                } else {
                    "end"
                };
                format!(
                    "{kind} re-dated: {label}, {which} {} → {}",
                    value_words(f.before.as_deref()),
                    value_words(f.after.as_deref())
                )
            } else if let Some(f) = field(&["status"]) {
                format!(
                    "{kind} status changed: {label}, {} → {}",
                    value_words(f.before.as_deref()),
                    value_words(f.after.as_deref())
                )
            } else {
                let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
                format!("{kind} changed: {label} ({})", names.join(", "))
            }
        }
    }
}

/// Every field a change records, one per line: "endDate: 31 Jul 2022 → 31 Oct 2022".
pub fn summary(fields: &[change_field::Model]) -> String {
    fields
        .iter()
        .map(|f| {
            format!(
                "{}: {} → {}",
                f.field,
                value_words(f.before.as_deref()),
                value_words(f.after.as_deref())
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
