//! The tracked tables, each described once: its subject type, its label and its fields, as a
//! [`Tracked`] implementation.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use entity::{
    CommitmentItemKind, SubjectType, commitment, document, milestone, organisation,
    progress_update, strategy, strategy_commitment, strategy_element, workstream,
};
use sea_orm::ActiveEnum;

use super::identity::{self, Identity};
use super::tracked::{Field, Pages, Tracked};

/// Declares a table's fields once, as `"name" => value` pairs over a row and its pages: their
/// names (`Tracked::FIELDS`, which the API checks a filter's field against) and how a row's
/// are read (`Tracked::fields`).
macro_rules! fields {
    (|$row:ident, $pages:tt| $($name:literal => $value:expr),* $(,)?) => {
        const FIELDS: &'static [&'static str] = &[$($name),*];
        fn fields($row: &Self::Model, $pages: &Pages) -> Vec<Field> {
            vec![$(($name, $value)),*]
        }
    };
}

fn text(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn opt(s: Option<&str>) -> Option<String> {
    s.and_then(text)
}

fn day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// A commitment's listed items of one kind, one field per list, an item a line.
fn listed(pages: &Pages, commitment: i64, kind: CommitmentItemKind) -> Option<String> {
    pages
        .items
        .get(&(commitment, kind))
        .map(|lines| lines.join("\n"))
        .filter(|s| !s.is_empty())
}

fn joined(set: Option<&BTreeSet<String>>) -> Option<String> {
    set.map(|s| s.iter().cloned().collect::<Vec<_>>().join("; "))
        .filter(|s| !s.is_empty())
}

impl Tracked for document::Entity {
    const PAGE: Option<Self::Column> = Some(document::Column::Id);
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::Document
    }
    fn id(d: &Self::Model) -> i64 {
        d.id
    }
    /// Its publication's title, then its own where that differs.
    fn label(d: &Self::Model) -> String {
        if d.publication_title.is_empty() || d.publication_title == d.title {
            d.title.clone()
        } else {
            format!("{}: {}", d.publication_title, d.title)
        }
    }
    fields! {
        |d, pages|
        "title" => text(&d.title),
        "kind" => Some(d.kind.to_value()),
        "publishedOn" => day(d.published_on),
        "contentHash" => text(&d.content_hash),
        "organisationRoles" => joined(pages.roles.get(&d.id)),
    }
    fn cited(d: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((d.id, None))
    }
}

impl Tracked for commitment::Entity {
    const PAGE: Option<Self::Column> = Some(commitment::Column::DocumentId);
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::Commitment
    }
    fn id(c: &Self::Model) -> i64 {
        c.id
    }
    fn label(c: &Self::Model) -> String {
        c.label()
    }
    fields! {
        |c, pages|
        "title" => text(&c.title),
        "periodText" => opt(c.period_text.as_deref()),
        "periodStart" => day(c.period_start),
        "periodEnd" => day(c.period_end),
        "leadDirectorate" => opt(c.lead_directorate.as_deref()),
        "description" => listed(pages, c.id, CommitmentItemKind::Description),
        "problems" => listed(pages, c.id, CommitmentItemKind::Problem),
        "statusQuo" => listed(pages, c.id, CommitmentItemKind::StatusQuo),
        "principles" => listed(pages, c.id, CommitmentItemKind::Principle),
        "ogpValues" => listed(pages, c.id, CommitmentItemKind::OgpValue),
    }
    fn cited(c: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((c.document_id, c.anchor.as_deref()))
    }
}

/// A milestone's latest status is computed across pages, not stated by its page: the
/// progress update's `status` is what the feed reports.
impl Tracked for milestone::Entity {
    const PAGE: Option<Self::Column> = Some(milestone::Column::DocumentId);
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::Milestone
    }
    fn id(m: &Self::Model) -> i64 {
        m.id
    }
    fn label(m: &Self::Model) -> String {
        m.title.clone()
    }
    fields! {
        |m, _|
        "title" => text(&m.title),
        "objective" => opt(m.objective.as_deref()),
        "dateText" => opt(m.date_text.as_deref()),
        "startDate" => day(m.start_date),
        "endDate" => day(m.end_date),
    }
    fn cited(m: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((m.document_id, m.anchor.as_deref()))
    }
    fn identity(m: &Self::Model) -> Option<Identity> {
        Some(identity::of_milestone(m))
    }
}

impl Tracked for progress_update::Entity {
    const PAGE: Option<Self::Column> = Some(progress_update::Column::DocumentId);
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::ProgressUpdate
    }
    fn id(u: &Self::Model) -> i64 {
        u.id
    }
    /// Its activity, else its milestone sentence, else its text.
    fn label(u: &Self::Model) -> String {
        [
            u.activity.as_str(),
            u.milestone_heading.as_str(),
            u.text.as_str(),
        ]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .unwrap_or_default()
        .to_owned()
    }
    fields! {
        |u, _|
        "reportTitle" => text(&u.report_title),
        "reportedOn" => day(u.reported_on),
        "milestoneHeading" => text(&u.milestone_heading),
        "activity" => text(&u.activity),
        "text" => text(&u.text),
        "nextSteps" => opt(u.next_steps.as_deref()),
        "status" => u.delivery_status.map(|s| s.to_value()),
        "statusText" => opt(u.status_text.as_deref()),
    }
    fn cited(u: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((u.document_id, u.anchor.as_deref()))
    }
    fn identity(u: &Self::Model) -> Option<Identity> {
        Some(identity::of_update(u))
    }
}

impl Tracked for workstream::Entity {
    const PAGE: Option<Self::Column> = Some(workstream::Column::DocumentId);
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::Workstream
    }
    fn id(w: &Self::Model) -> i64 {
        w.id
    }
    fn label(w: &Self::Model) -> String {
        w.deliverable.clone()
    }
    fields! {
        |w, pages|
        "planPeriod" => text(&w.plan_period),
        "deliverable" => text(&w.deliverable),
        "rationale" => text(&w.rationale),
        "leads" => joined(pages.leads.get(&w.id)),
        "dueText" => opt(w.due_text.as_deref()),
        "dueDate" => day(w.due_date),
        "status" => w.status.map(|s| s.to_value()),
        "statusText" => opt(w.status_text.as_deref()),
        "progress" => text(&w.progress),
    }
    fn cited(w: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((w.document_id, w.anchor.as_deref()))
    }
    fn identity(w: &Self::Model) -> Option<Identity> {
        Some(identity::of_workstream(w))
    }
}

impl Tracked for strategy_element::Entity {
    const PAGE: Option<Self::Column> = Some(strategy_element::Column::DocumentId);
    fn subject_type(e: &Self::Model) -> SubjectType {
        SubjectType::of_element(e.kind)
    }
    fn id(e: &Self::Model) -> i64 {
        e.id
    }
    fn label(e: &Self::Model) -> String {
        e.name.clone()
    }
    fields! {
        |e, _|
        "number" => e.number.map(|n| n.to_string()),
        "name" => text(&e.name),
        "description" => text(&e.description),
    }
    fn cited(e: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((e.document_id, e.anchor.as_deref()))
    }
    fn identity(e: &Self::Model) -> Option<Identity> {
        Some(identity::of_element(e))
    }
}

impl Tracked for strategy_commitment::Entity {
    const PAGE: Option<Self::Column> = Some(strategy_commitment::Column::DocumentId);
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::StrategyCommitment
    }
    fn id(c: &Self::Model) -> i64 {
        c.id
    }
    fn label(c: &Self::Model) -> String {
        c.text.clone()
    }
    fields! {
        |c, _|
        "text" => text(&c.text),
        "dateText" => opt(c.date_text.as_deref()),
        "dueDate" => day(c.due_date),
    }
    fn cited(c: &Self::Model) -> Option<(i64, Option<&str>)> {
        Some((c.document_id, c.anchor.as_deref()))
    }
    fn identity(c: &Self::Model) -> Option<Identity> {
        Some(identity::of_strategy_commitment(c))
    }
}

impl Tracked for organisation::Entity {
    const PAGE: Option<Self::Column> = None;
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::Organisation
    }
    fn id(o: &Self::Model) -> i64 {
        o.id
    }
    fn label(o: &Self::Model) -> String {
        o.name.clone()
    }
    fields! {
        |o, _|
        "name" => text(&o.name),
    }
    fn cited(_: &Self::Model) -> Option<(i64, Option<&str>)> {
        None
    }
}

impl Tracked for strategy::Entity {
    const PAGE: Option<Self::Column> = None;
    fn subject_type(_: &Self::Model) -> SubjectType {
        SubjectType::Strategy
    }
    fn id(s: &Self::Model) -> i64 {
        s.id
    }
    fn label(s: &Self::Model) -> String {
        s.title.clone()
    }
    fields! {
        |s, _|
        "title" => text(&s.title),
        "publishedOn" => day(s.published_on),
        "supersededByUrl" => opt(s.superseded_by_url.as_deref()),
    }
    fn cited(_: &Self::Model) -> Option<(i64, Option<&str>)> {
        None
    }
}
