//! `timeline.ics`: the timeline (see [`crate::graphql::timeline`]) as an RFC 5545 calendar,
//! written by the `icalendar` crate.
//!
//! One all-day event per dated item: `DTSTART;VALUE=DATE` is its first day and `DTEND` the day
//! after its last (RFC 5545 ends are exclusive). Each event has:
//! - `UID`: the subject's global ID and the event's kind (`<id>-MILESTONE`,
//!   `<id>-PROGRESS_REPORT`, ...), so a milestone's event and its report's differ and a
//!   re-ingest keeps them. A co-creation page has several events of one kind; theirs add the
//!   day and a hash of the sentence (`<id>-CO_CREATION_EVENT-20220301-1a2b3c4d`);
//! - `SUMMARY`: the event's title; `DESCRIPTION`: its kind, status when it has one, and the
//!   source URL, which is also its `URL`;
//! - `DTSTAMP`: when the ingest that produced the data finished, so the same dataset version
//!   always gives the same file.
//!
//! The events are the stored timeline's (`event` rows), selected in SQL by window, status and
//! subject. Unlike the CSV files, this answer is built whole: it holds the window's events in
//! memory, so a client should ask for a window (`from`, `to`) on a large corpus.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    EventKind, SubjectType, commitment, event, milestone, strategy_commitment, workstream,
};
use icalendar::{Calendar, Component, EventLike};
use sea_orm::{
    ActiveEnum, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
};
use sha2::{Digest, Sha256};

use super::Filter;
use crate::read;
use crate::read::ids::encode;
use crate::read::source::Pages;

/// The calendar text.
///
/// # Errors
/// A database error.
pub async fn body(db: &DatabaseConnection, filter: Filter) -> Result<String, DbErr> {
    let events = read::events::select(&(&filter).into()).all(db).await?;
    let sources = sources(db, &events).await?;
    let stamp = stamp(db).await?;

    let mut calendar = Calendar::new();
    calendar.name("caregraph: health and social care policy timeline");
    for e in &events {
        let first = e.date;
        let last = e.end_date.unwrap_or(first);
        let Some(end) = last.succ_opt() else { continue };
        let url = sources
            .get(&(e.subject_type, e.subject_id))
            .cloned()
            .unwrap_or_default();
        let mut description = e.kind.to_value().to_lowercase().replace('_', " ");
        if let Some(status) = e.status {
            let name = super::status_name(Some(status));
            description.push_str(&format!("; status {name}"));
        }
        if !url.is_empty() {
            description.push_str(&format!("\nSource: {url}"));
        }
        let mut item = icalendar::Event::new();
        item.uid(&uid(e))
            .summary(&one_line(&e.title))
            .description(&description)
            .starts(first)
            .ends(end)
            .timestamp(stamp);
        if !url.is_empty() {
            item.url(&url);
        }
        calendar.push(item.done());
    }
    Ok(calendar.done().to_string())
}

/// A summary on one line: a carriage return or line feed in a title (which the page text folds
/// away, but a title is data) is a space, so no raw CR reaches a calendar line.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The event's UID: its subject's global ID and its kind, and for co-creation events (several
/// per page) the day and a hash of the sentence.
fn uid(e: &event::Model) -> String {
    let subject = encode(e.subject_type.into(), e.subject_id);
    let mut uid = format!("{subject}-{}", e.kind.to_value());
    if e.kind == EventKind::CoCreationEvent {
        let digest = Sha256::digest(e.title.as_bytes());
        uid.push_str(&format!(
            "-{}-{}",
            e.date.format("%Y%m%d"),
            ingest::ids::hex(&digest[..4])
        ));
    }
    uid
}

/// Where each event's subject is stated, by (subject type, ID): a page's own URL, or the page
/// and anchor of a milestone, commitment, workstream or strategy commitment.
async fn sources(
    db: &DatabaseConnection,
    events: &[event::Model],
) -> Result<HashMap<(SubjectType, i64), String>, DbErr> {
    let mut by_type: HashMap<SubjectType, Vec<i64>> = HashMap::new();
    for e in events {
        by_type
            .entry(e.subject_type)
            .or_default()
            .push(e.subject_id);
    }
    // (subject type, ID) → (page, anchor).
    let mut stated: Vec<(SubjectType, i64, i64, Option<String>)> = Vec::new();
    for (kind, ids) in &by_type {
        for chunk in ids.chunks(500) {
            let chunk = chunk.iter().copied();
            let rows: Vec<(i64, i64, Option<String>)> = match *kind {
                // A page is stated on itself.
                SubjectType::Document => chunk.map(|id| (id, id, None)).collect(),
                SubjectType::Milestone => {
                    milestone::Entity::find()
                        .select_only()
                        .columns([
                            milestone::Column::Id,
                            milestone::Column::DocumentId,
                            milestone::Column::Anchor,
                        ])
                        .filter(milestone::Column::Id.is_in(chunk))
                        .into_tuple()
                        .all(db)
                        .await?
                }
                SubjectType::Commitment => {
                    commitment::Entity::find()
                        .select_only()
                        .columns([
                            commitment::Column::Id,
                            commitment::Column::DocumentId,
                            commitment::Column::Anchor,
                        ])
                        .filter(commitment::Column::Id.is_in(chunk))
                        .into_tuple()
                        .all(db)
                        .await?
                }
                SubjectType::Workstream => {
                    workstream::Entity::find()
                        .select_only()
                        .columns([
                            workstream::Column::Id,
                            workstream::Column::DocumentId,
                            workstream::Column::Anchor,
                        ])
                        .filter(workstream::Column::Id.is_in(chunk))
                        .into_tuple()
                        .all(db)
                        .await?
                }
                SubjectType::StrategyCommitment => {
                    strategy_commitment::Entity::find()
                        .select_only()
                        .columns([
                            strategy_commitment::Column::Id,
                            strategy_commitment::Column::DocumentId,
                            strategy_commitment::Column::Anchor,
                        ])
                        .filter(strategy_commitment::Column::Id.is_in(chunk))
                        .into_tuple()
                        .all(db)
                        .await?
                }
                _ => Vec::new(),
            };
            stated.extend(
                rows.into_iter()
                    .map(|(id, page, anchor)| (*kind, id, page, anchor)),
            );
        }
    }
    let pages = Pages::of(db, stated.iter().map(|s| s.2)).await?;
    Ok(stated
        .into_iter()
        .filter_map(|(kind, id, page, anchor)| {
            Some(((kind, id), pages.link(page, anchor.as_deref())?))
        })
        .collect())
}

/// When the latest ingest finished (the Unix epoch before any).
async fn stamp(db: &DatabaseConnection) -> Result<DateTime<Utc>, DbErr> {
    Ok(read::runs::latest_finished(db).await?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_s_line_breaks_become_spaces() {
        assert_eq!(
            one_line("Progress to June 2024\r\nBEGIN:VEVENT\rX"),
            "Progress to June 2024 BEGIN:VEVENT X"
        );
        assert_eq!(one_line("One line"), "One line");
    }
}
