//! The named parts of a strategy that every family page may print, in any of the family's
//! layouts:
//! - aims: "Aim N: ..." in a list item or paragraph (a bold lead included), or a label "Aim N"
//!   followed by the aim's paragraph;
//! - a priority page's own area: "Priority one: ..." (number words one to ten, or digits, any
//!   case, the colon optional) in a label or paragraph; its name is the words after the label,
//!   or the page heading when the label stands alone;
//! - priority areas: list items under a heading about priorities, "Name – description" (the
//!   name often in `<strong>`);
//! - domains: the list that follows a sentence naming "domains", and a 2018-style domain page's
//!   own domain ([`super::domains`]);
//! - vision statements: paragraphs under a "vision" heading whose whole text is a link;
//! - standards: a capitalised name ending in "Standard" ("the Digital First Service Standard").

use std::sync::LazyLock;

use entity::StrategyElementKind;
use regex::Regex;

use super::domains::domain_element;
use crate::date::re;
use crate::page::{Block, BlockKind, Page};

/// One named part of a strategy.
#[derive(Clone, Debug)]
pub struct ElementFacts {
    /// Aim, priority area, ...
    pub kind: StrategyElementKind,
    /// The aim's number, for aims; the priority's, for a priority page's area.
    pub number: Option<i32>,
    /// The name (for an aim or a vision statement, its text).
    pub name: String,
    /// The description, or the passage the element was read from.
    pub description: String,
    /// Its anchor.
    pub anchor: Option<String>,
}

static AIM: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^aim\s+(\d+)\s*[:.–-]\s*(.+)$"));
static AIM_LABEL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^aim\s+(\d+)\s*:?$"));
pub(crate) static PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^priority\s+(one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\b\s*[:.–-]?\s*(.*)$",
    )
});
static NAME_DASH: LazyLock<Regex> = LazyLock::new(|| re(r"^(.{2,100}?)\s+[–—-]\s+(.+)$"));
static STANDARD: LazyLock<Regex> = LazyLock::new(|| re(r"\b((?:[A-Z][\w-]*\s+){1,5}Standard)\b"));

/// Aims, priority areas, domains, vision statements and standards, in page order.
pub(super) fn elements(page: &Page) -> Vec<ElementFacts> {
    // A 2018-style domain page's own domain ("Domain A" under the domain's name) comes first.
    let mut out: Vec<ElementFacts> = domain_element(page).into_iter().collect();
    let mut domain_list: Option<usize> = None;
    let mut previous_text = String::new();
    // The number of a heading "Aim N" whose text is the next paragraph.
    let mut aim_label: Option<i32> = None;
    for (i, block) in page.blocks.iter().enumerate() {
        let heads = page.outline.head_at(i).is_some();
        if !matches!(block.kind, BlockKind::Item { .. })
            && let Some(area) = numbered_priority(page, block, heads)
        {
            if !out
                .iter()
                .any(|e: &ElementFacts| e.kind == area.kind && e.number == area.number)
            {
                out.push(area);
            }
        } else if heads {
            aim_label = AIM_LABEL
                .captures(&block.text)
                .and_then(|c| c.get(1))
                .and_then(|n| n.as_str().parse().ok());
            if aim_label.is_some() {
                continue;
            }
        } else if let (Some(number), BlockKind::Paragraph) = (aim_label.take(), &block.kind) {
            out.push(ElementFacts {
                kind: StrategyElementKind::Aim,
                number: Some(number),
                name: block.text.clone(),
                description: block.text.clone(),
                anchor: block.anchor.clone(),
            });
            continue;
        }
        let last_heading = block
            .headings
            .last()
            .map(|h| h.to_lowercase())
            .unwrap_or_default();
        match block.kind {
            BlockKind::Item { list } => {
                if let Some(aim) = aim(block) {
                    out.push(aim);
                } else if last_heading.contains("priorit") {
                    let (name, description) = match (&block.lead, NAME_DASH.captures(&block.text)) {
                        (_, Some(c)) => (
                            c.get(1).map_or("", |m| m.as_str()).to_owned(),
                            c.get(2).map_or("", |m| m.as_str()).to_owned(),
                        ),
                        (Some(lead), None) => (lead.clone(), String::new()),
                        (None, None) => (block.text.clone(), String::new()),
                    };
                    out.push(ElementFacts {
                        kind: StrategyElementKind::PriorityArea,
                        number: None,
                        name,
                        description,
                        anchor: block.anchor.clone(),
                    });
                } else if domain_list == Some(list)
                    || (domain_list.is_none() && previous_text.to_lowercase().contains("domains"))
                {
                    domain_list = Some(list);
                    out.push(ElementFacts {
                        kind: StrategyElementKind::Domain,
                        number: None,
                        name: block.text.trim_end_matches('.').to_owned(),
                        description: block.text.clone(),
                        anchor: block.anchor.clone(),
                    });
                }
            }
            // Under a "vision" heading, or under a label within it ("As a citizen:").
            BlockKind::Paragraph
                if block.is_link
                    && block
                        .headings
                        .iter()
                        .any(|h| h.to_lowercase().contains("vision")) =>
            {
                out.push(ElementFacts {
                    kind: StrategyElementKind::Vision,
                    number: None,
                    name: block.text.clone(),
                    description: block.text.clone(),
                    anchor: block.anchor.clone(),
                });
            }
            BlockKind::Paragraph if AIM.is_match(&block.text) => {
                if let Some(aim) = aim(block) {
                    out.push(aim);
                }
            }
            BlockKind::Paragraph => {
                for c in STANDARD.captures_iter(&block.text) {
                    let Some(name) = c.get(1).map(|m| m.as_str().to_owned()) else {
                        continue;
                    };
                    let known = out
                        .iter()
                        .any(|e| e.kind == StrategyElementKind::Standard && e.name == name);
                    if !known {
                        out.push(ElementFacts {
                            kind: StrategyElementKind::Standard,
                            number: None,
                            name,
                            description: block.text.clone(),
                            anchor: block.anchor.clone(),
                        });
                    }
                }
            }
            _ => {}
        }
        if !matches!(block.kind, BlockKind::Item { .. }) {
            previous_text.clone_from(&block.text);
            if domain_list.is_some() {
                // Only the one list right after the sentence naming domains.
                domain_list = Some(usize::MAX);
            }
        }
    }
    out
}

/// An aim printed "Aim N: text" (in a list item or a paragraph, the label bold or not).
fn aim(block: &Block) -> Option<ElementFacts> {
    let c = AIM.captures(&block.text)?;
    Some(ElementFacts {
        kind: StrategyElementKind::Aim,
        number: c.get(1).and_then(|n| n.as_str().parse().ok()),
        name: c.get(2).map_or("", |m| m.as_str()).to_owned(),
        description: block.text.clone(),
        anchor: block.anchor.clone(),
    })
}

/// A priority page's own area, from its "Priority one: name" heading (any label that `heads`)
/// or paragraph; the page heading names it when the label stands alone.
fn numbered_priority(page: &Page, block: &Block, heads: bool) -> Option<ElementFacts> {
    let c = PRIORITY.captures(&block.text)?;
    let number = c.get(1).and_then(|n| number_word(n.as_str()))?;
    let rest = c.get(2).map_or("", |m| m.as_str()).trim();
    let heading = block
        .headings
        .last()
        .filter(|h| !PRIORITY.is_match(h) && **h != page.publication_title)
        .cloned();
    // "Priority one: <statement>" as a paragraph under the area's heading ("Digital Access")
    // is named by the heading and described by the statement; as a heading, by its own words.
    let (name, description) = match (heading, heads, rest.is_empty()) {
        (Some(h), false, false) => (h, rest.to_owned()),
        (_, _, false) => (rest.to_owned(), block.text.clone()),
        (h, _, true) => (h.unwrap_or_else(|| page.title.clone()), block.text.clone()),
    };
    Some(ElementFacts {
        kind: StrategyElementKind::PriorityArea,
        number: Some(number),
        name,
        description,
        anchor: block.anchor.clone(),
    })
}

/// "one" to "ten" (any case), or digits.
pub(crate) fn number_word(word: &str) -> Option<i32> {
    const WORDS: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let lower = word.to_lowercase();
    WORDS
        .iter()
        .position(|w| *w == lower)
        .and_then(|i| i32::try_from(i + 1).ok())
        .or_else(|| word.parse().ok())
}
