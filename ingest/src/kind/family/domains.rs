//! A 2018-style domain page's own domain: the domain's name (the heading) followed by a line
//! "Domain A".."Domain Z" on its own (any label or paragraph, any case), or "Domain A: Name" in
//! one line.

use std::sync::LazyLock;

use entity::StrategyElementKind;
use regex::Regex;

use super::ElementFacts;
use crate::date::re;
use crate::page::{BlockKind, Page};

/// "Domain A", alone or followed by the name ("Domain A: Name"), any case.
static DOMAIN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^domain\s+([a-z])\b\s*(?:[:.–—-]\s*(.*))?$"));

/// The domain a 2018-style domain page is about, and where its label stands.
struct DomainLabel {
    letter: char,
    name: String,
    /// The label's block.
    at: usize,
}

/// The page's domain, when it is a 2018-style domain page: the domain name (the heading)
/// followed by a line "Domain A".."Domain Z" on its own (heading or paragraph, any case), or
/// "Domain A: Name" in one line.
pub fn page_domain(page: &Page) -> Option<(char, String)> {
    domain_label(page).map(|d| (d.letter, d.name))
}

fn domain_label(page: &Page) -> Option<DomainLabel> {
    page.blocks.iter().enumerate().find_map(|(at, block)| {
        if matches!(block.kind, BlockKind::Item { .. }) {
            return None;
        }
        let c = DOMAIN.captures(page.text_at(at))?;
        let letter = c
            .get(1)?
            .as_str()
            .chars()
            .next()
            .filter(char::is_ascii_alphabetic)?
            .to_ascii_uppercase();
        let rest = c.get(2).map_or("", |m| m.as_str()).trim();
        let name = if rest.is_empty() {
            let previous = at
                .checked_sub(1)
                .and_then(|i| page.outline.head_at(i))
                .map(|l| &l.text);
            previous
                .or_else(|| block.headings.last())
                .filter(|h| !DOMAIN.is_match(h))
                .cloned()
                .or_else(|| Some(page.title.clone()).filter(|t| !DOMAIN.is_match(t)))?
        } else {
            rest.to_owned()
        };
        Some(DomainLabel { letter, name, at })
    })
}

/// A domain page's own domain as a strategy element: numbered by its letter (A is 1), described
/// by the first paragraph after its label (else by its name).
pub(super) fn domain_element(page: &Page) -> Option<ElementFacts> {
    let label = domain_label(page)?;
    let number = u32::from(label.letter)
        .checked_sub(u32::from('A') - 1)
        .and_then(|n| i32::try_from(n).ok());
    let description = page
        .blocks
        .iter()
        .skip(label.at + 1)
        .find(|b| b.kind == BlockKind::Paragraph)
        .map_or_else(|| label.name.clone(), |b| b.text.clone());
    Some(ElementFacts {
        kind: StrategyElementKind::Domain,
        number,
        name: label.name,
        description,
        anchor: page.blocks.get(label.at).and_then(|b| b.anchor.clone()),
    })
}
