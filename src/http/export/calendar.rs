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
//! Unlike the CSV files, this answer is built whole: [`timeline`] holds the window's events in
//! memory, so a client should ask for a window (`from`, `to`) on a large corpus.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{document, ingest_run};
use icalendar::{Calendar, Component, EventLike};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use sha2::{Digest, Sha256};

use super::{Filter, Subject, source_url};
use crate::graphql::node::{Node, NodeType, encode};
use crate::graphql::timeline::{TimelineEvent, timeline};

/// The calendar text.
///
/// # Errors
/// A database error.
pub async fn body(db: &DatabaseConnection, filter: Filter) -> Result<String, DbErr> {
    let mut events = timeline(db, filter.from, filter.to).await?;
    events.retain(|e| {
        filter
            .status
            .is_none_or(|s| e.status.map(entity::DeliveryStatus::from) == Some(s))
    });
    if let Some(subject) = filter.subject {
        events.retain(|e| e.subject.as_ref().is_some_and(|n| belongs(n, subject)));
    }
    let pages = page_urls(db, &events).await?;
    let stamp = stamp(db).await?;

    let mut calendar = Calendar::new();
    calendar.name("caregraph: health and social care policy timeline");
    for e in &events {
        let first = e.date.0;
        let last = e.end_date.map_or(first, |d| d.0);
        let Some(end) = last.succ_opt() else { continue };
        let url = e
            .subject
            .as_ref()
            .and_then(|n| source(n, &pages))
            .unwrap_or_default();
        let mut description = e.kind.to_lowercase().replace('_', " ");
        if let Some(status) = e.status {
            let name = super::status_name(Some(status.into()));
            description.push_str(&format!("; status {name}"));
        }
        if !url.is_empty() {
            description.push_str(&format!("\nSource: {url}"));
        }
        let mut event = icalendar::Event::new();
        event
            .uid(&uid(e))
            .summary(&e.title)
            .description(&description)
            .starts(first)
            .ends(end)
            .timestamp(stamp);
        if !url.is_empty() {
            event.url(&url);
        }
        calendar.push(event.done());
    }
    Ok(calendar.done().to_string())
}

/// The event's UID: its subject's global ID and its kind, and for co-creation events (several
/// per page) the day and a hash of the sentence.
fn uid(e: &TimelineEvent) -> String {
    let subject = e.subject.as_ref().map(node_id).unwrap_or_default();
    let mut uid = format!("{subject}-{}", e.kind);
    if e.kind == "CO_CREATION_EVENT" || e.subject.is_none() {
        let digest = Sha256::digest(e.title.as_bytes());
        uid.push_str(&format!(
            "-{}-{}",
            e.date.0.format("%Y%m%d"),
            ingest::ids::hex(&digest[..4])
        ));
    }
    uid
}

/// The global ID of a timeline event's subject.
fn node_id(node: &Node) -> String {
    let (kind, id) = match node {
        Node::Milestone(m) => (NodeType::Milestone, m.row.id),
        Node::Document(d) => (NodeType::Document, d.0.id),
        Node::Commitment(c) => (NodeType::Commitment, c.0.id),
        Node::Workstream(w) => (NodeType::Workstream, w.0.id),
        Node::StrategyCommitment(c) => (NodeType::StrategyCommitment, c.0.id),
        Node::Strategy(s) => (NodeType::Strategy, s.0.id),
        // The timeline names no other kind of subject.
        _ => return String::new(),
    };
    encode(kind, id).0
}

/// Whether a timeline event's subject is, or belongs to, the commitment or strategy.
fn belongs(node: &Node, subject: Subject) -> bool {
    match (node, subject) {
        (Node::Commitment(c), Subject::Commitment(id)) => c.0.id == id,
        (Node::Milestone(m), Subject::Commitment(id)) => m.row.commitment_id == id,
        (Node::Document(d), Subject::Commitment(id)) => d.0.commitment_id == Some(id),
        (Node::Strategy(s), Subject::Strategy(id)) => s.0.id == id,
        (Node::Workstream(w), Subject::Strategy(id)) => w.0.strategy_id == Some(id),
        (Node::StrategyCommitment(c), Subject::Strategy(id)) => c.0.strategy_id == id,
        (Node::Document(d), Subject::Strategy(id)) => d.0.strategy_id == Some(id),
        _ => false,
    }
}

/// Where a subject is stated.
fn source(node: &Node, pages: &HashMap<i64, String>) -> Option<String> {
    let (document, anchor) = match node {
        Node::Document(d) => return Some(d.0.url.clone()),
        Node::Milestone(m) => (m.row.document_id, m.row.anchor.as_deref()),
        Node::Commitment(c) => (c.0.document_id, c.0.anchor.as_deref()),
        Node::Workstream(w) => (w.0.document_id, w.0.anchor.as_deref()),
        Node::StrategyCommitment(c) => (c.0.document_id, c.0.anchor.as_deref()),
        _ => return None,
    };
    pages.get(&document).map(|page| source_url(page, anchor))
}

/// The page URLs of the events' subjects that are not pages themselves.
async fn page_urls(
    db: &DatabaseConnection,
    events: &[TimelineEvent],
) -> Result<HashMap<i64, String>, DbErr> {
    let ids: Vec<i64> = events
        .iter()
        .filter_map(|e| match e.subject.as_ref()? {
            Node::Milestone(m) => Some(m.row.document_id),
            Node::Commitment(c) => Some(c.0.document_id),
            Node::Workstream(w) => Some(w.0.document_id),
            Node::StrategyCommitment(c) => Some(c.0.document_id),
            _ => None,
        })
        .collect();
    let mut pages = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String)> = document::Entity::find()
            .select_only()
            .column(document::Column::Id)
            .column(document::Column::Url)
            .filter(document::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        pages.extend(rows);
    }
    Ok(pages)
}

/// When the latest ingest finished (the Unix epoch before any).
async fn stamp(db: &DatabaseConnection) -> Result<DateTime<Utc>, DbErr> {
    let latest = ingest_run::Entity::find()
        .order_by_desc(ingest_run::Column::Id)
        .one(db)
        .await?;
    Ok(latest.map(|r| r.finished_at).unwrap_or_default())
}
