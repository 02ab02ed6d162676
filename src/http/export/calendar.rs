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
//! The calendar's `PRODID` ([`PRODID`]) names caregraph and its version, not the crate that
//! writes the text (whose default is `ICALENDAR-RS`).
//!
//! The events are the stored timeline's (`event` rows), selected in SQL by window, status and
//! subject. Unlike the CSV files, this answer is built whole: it holds the window's events in
//! memory, so a client should ask for a window (`from`, `to`) on a large corpus.

use chrono::{DateTime, Utc};
use entity::{EventKind, event};
use icalendar::{Calendar, Component, EventLike};
use sea_orm::{ActiveEnum, DatabaseConnection, DbErr};
use sha2::{Digest, Sha256};

use super::Filter;
use crate::read;
use crate::read::ids::encode;

/// The product that made the calendar (RFC 5545 §3.7.3: an FPI naming its maker and product).
pub const PRODID: &str = concat!(
    "-//caregraph//caregraph ",
    env!("CARGO_PKG_VERSION"),
    "//EN"
);

/// The calendar text.
///
/// # Errors
/// A database error.
pub async fn body(db: &DatabaseConnection, filter: Filter) -> Result<String, DbErr> {
    let events = read::events::select(&(&filter).into()).all(db).await?;
    let subjects = events.iter().map(|e| (e.subject_type, e.subject_id));
    let sources = read::source::of_subjects(db, subjects).await?;
    let stamp = stamp(db).await?;

    // `Calendar::new` would add the crate's own PRODID; these are its other two defaults.
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", PRODID))
        .append_property(("CALSCALE", "GREGORIAN"));
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

/// When the latest ingest finished (the Unix epoch before any).
async fn stamp(db: &DatabaseConnection) -> Result<DateTime<Utc>, DbErr> {
    Ok(read::runs::last_finished(db).await?.unwrap_or_default())
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
