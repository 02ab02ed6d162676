//! A workstream's "When it will be delivered" value: its due date, its status and the progress
//! lines printed with them.

use chrono::NaiveDate;
use entity::DeliveryStatus;

use super::workstreams::Value;
use crate::date::FuzzyDate;
use crate::kind::delivery_status;

/// What a "When" value says.
#[derive(Default)]
pub(super) struct When {
    pub(super) due_text: Option<String>,
    pub(super) due_date: Option<NaiveDate>,
    pub(super) status: Option<DeliveryStatus>,
    pub(super) status_text: Option<String>,
    pub(super) progress: Vec<String>,
}

/// The date phrase a line is, when it is one and nothing else.
fn as_date(text: &str) -> Option<FuzzyDate> {
    FuzzyDate::parse(text).ok().filter(|d| !d.is_undated())
}

/// Status words after a date on one line ("December 2024 On Track"): the date and the status.
fn date_then_status(text: &str) -> Option<(String, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=3.min(words.len().saturating_sub(1))).find_map(|k| {
        let (head, tail) = words.split_at(words.len() - k);
        let (head, tail) = (head.join(" "), tail.join(" "));
        (delivery_status::is_bare(&tail) && as_date(&head).is_some()).then_some((head, tail))
    })
}

pub(super) fn read_when(values: &[Value]) -> When {
    let mut when = When::default();
    let mut date: Option<FuzzyDate> = None;
    let mut others: Vec<String> = Vec::new();
    for v in values {
        let mut line = v.text.clone();
        let mut printed_status: Option<String> = None;
        if delivery_status::is_bare(&line) {
            printed_status = Some(line.clone());
            line.clear();
        } else if let Some((head, tail)) = date_then_status(&line) {
            printed_status = Some(tail);
            line = head;
        } else if let Some((head, tail)) = delivery_status::split_trailing(&line) {
            printed_status = Some(tail.to_owned());
            line = head.to_owned();
        }
        if let Some(s) = printed_status {
            if when.status.is_none() {
                when.status = delivery_status::normalise(&s);
                when.status_text = Some(s);
            } else {
                when.progress.push(s);
            }
        }
        if line.is_empty() {
            continue;
        }
        match as_date(&line) {
            Some(d) if date.is_none() => date = Some(d),
            _ => others.push(line),
        }
    }
    match date {
        Some(d) => {
            when.due_date = d.end;
            when.due_text = Some(d.text);
        }
        None if !others.is_empty() => when.due_text = Some(others.join(" ")),
        None => {}
    }
    when.progress.extend(others);
    when
}
