//! Delivery partners a strategy-family page names: the list in a sentence "... delivery
//! partners, including A, B and C". (The bodies leading a plan's workstreams are workstream
//! leads, read with the workstreams.)

use std::sync::LazyLock;

use regex::Regex;

use super::PartnerFacts;
use crate::date::re;
use crate::page::Page;

static PARTNERS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)delivery partners,?\s+(?:including|such as|are|:)\s+(.+?)\.(?:\s|$)")
});

pub(super) fn partners(page: &Page) -> Vec<PartnerFacts> {
    let mut out = Vec::new();
    for block in &page.blocks {
        let Some(list) = PARTNERS.captures(&block.text).and_then(|c| c.get(1)) else {
            continue;
        };
        for printed in split_list(list.as_str()) {
            let name = organisation_name(&printed);
            if !name.is_empty() {
                out.push(PartnerFacts {
                    printed,
                    name,
                    anchor: block.anchor.clone(),
                });
            }
        }
    }
    out
}

/// "A, B, C and D" or "A, B, and D" into its items. Only the last entry is split on " and ",
/// so "Directorate for Healthcare Quality and Improvement, NHS 24" keeps its first name whole.
pub fn split_list(list: &str) -> Vec<String> {
    let mut parts: Vec<String> = list.split(", ").map(str::to_owned).collect();
    if let Some(last) = parts.pop() {
        let last = last.strip_prefix("and ").unwrap_or(&last).to_owned();
        match last.split_once(" and ") {
            Some((a, b)) if !parts.is_empty() && !a.is_empty() && !b.is_empty() => {
                parts.push(a.to_owned());
                parts.push(b.to_owned());
            }
            _ => parts.push(last),
        }
    }
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// An organisation's name from a list entry: no leading "the", no trailing relative clause
/// ("... which includes the CivTech ® operation").
pub fn organisation_name(printed: &str) -> String {
    let mut name = printed.trim();
    for article in ["the ", "The "] {
        if let Some(rest) = name.strip_prefix(article) {
            name = rest;
        }
    }
    for clause in [" which ", " who ", " that ", " (", ", "] {
        if let Some(i) = name.find(clause) {
            name = &name[..i];
        }
    }
    name.trim().trim_end_matches(['.', ',', ';']).to_owned()
}
