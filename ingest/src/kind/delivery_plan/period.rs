//! Which plan year a delivery plan page is for, and which priority area it is about.

use std::sync::LazyLock;

use regex::Regex;

use super::workstreams::{fold, label_of};
use crate::date::re;
use crate::kind::family::{PRIORITY, number_word};
use crate::page::{Block, BlockKind, Page};

/// The priority area a plan page is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagePriority {
    /// Its number, where a "Priority Four:" label gives one.
    pub number: Option<i32>,
    /// Its name: the page heading without a "Priority N:" prefix.
    pub name: String,
    /// Its statement: the words after a "Priority N:" paragraph, or the first paragraph.
    pub statement: Option<String>,
}

static YEARS: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b((?:19|20)\d{2})\s*(?:[-–—/]|\s+to\s+)\s*(\d{4}|\d{2})\b"));

/// A "YYYY-YY" plan year in a text: "2022 to 2023", "2023-24", "2025-2026".
pub(super) fn year_pair(text: &str) -> Option<String> {
    YEARS.captures_iter(text).find_map(|c| {
        let first: i32 = c.get(1)?.as_str().parse().ok()?;
        let second = c.get(2)?.as_str();
        let next: i32 = second.parse().ok()?;
        let follows = if second.len() == 4 {
            next == first + 1
        } else {
            next == (first + 1) % 100
        };
        follows.then(|| format!("{first}-{:02}", (first + 1) % 100))
    })
}

/// The plan year, normalised "YYYY-YY", from the publication title, else the publication's
/// address, else the page title.
pub fn plan_period(page: &Page) -> Option<String> {
    let slug = page
        .publication_url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    year_pair(&page.publication_title)
        .or_else(|| year_pair(slug))
        .or_else(|| year_pair(&page.title))
}

/// The priority area a plan page is about, from its content heading (not the publication
/// title): a "Priority Four:" prefix gives the number and is dropped from the name; a paragraph
/// "Priority Six: statement" right after the heading gives the number and the statement;
/// otherwise the first paragraph after the heading is the statement.
pub fn page_priority(page: &Page) -> Option<PagePriority> {
    let title = fold(&page.publication_title).to_lowercase();
    let at = (0..page.blocks.len()).find(|&i| {
        page.outline.head_at(i).is_some()
            && label_of(&page.blocks[i]).is_none()
            && fold(&page.blocks[i].text).to_lowercase() != title
    })?;
    // The label's words, without the colon a bold line may end in.
    let heading = &Block {
        text: page.text_at(at).to_owned(),
        ..page.blocks.get(at)?.clone()
    };
    let (mut number, name) = match PRIORITY.captures(&heading.text) {
        Some(c) => {
            let n = c.get(1).and_then(|n| number_word(n.as_str()));
            let rest = c.get(2).map_or("", |m| m.as_str()).trim();
            let name = if rest.is_empty() {
                heading.text.clone()
            } else {
                rest.to_owned()
            };
            (n, name)
        }
        None => (None, heading.text.clone()),
    };
    let statement_block = |i: usize| {
        page.blocks
            .get(i)
            .filter(|b| b.kind == BlockKind::Paragraph && label_of(b).is_none())
    };
    let mut statement = None;
    if let Some(first) = statement_block(at + 1) {
        match PRIORITY.captures(&first.text) {
            Some(c) => {
                number = number.or_else(|| c.get(1).and_then(|n| number_word(n.as_str())));
                let rest = c.get(2).map_or("", |m| m.as_str()).trim();
                statement = if rest.is_empty() {
                    statement_block(at + 2).map(|b| b.text.clone())
                } else {
                    Some(rest.to_owned())
                };
            }
            None => statement = Some(first.text.clone()),
        }
    }
    Some(PagePriority {
        number,
        name,
        statement,
    })
}
