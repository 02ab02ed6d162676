//! Which commitment of which Open Government action plan a page is about: shared by the
//! commitment overview and its progress reports, which name it the same ways.

use std::sync::LazyLock;

use regex::Regex;

use crate::date::re;
use crate::page::Page;

static COMMITMENT_IN_TITLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(.*?)\s*[-–:]\s*commitment\s+(\d+)\b"));
static COMMITMENT_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bcommitment\s+(\d+)\b"));

/// The action plan and commitment number a commitment page belongs to, read from the
/// publication title ("Open Government action plan 2021 to 2025 - commitment 2: ...") or, failing
/// that, from a heading ("Commitment 2: Health and Social Care progress updates").
pub fn commitment_of(page: &Page) -> Option<(String, i32)> {
    if let Some(c) = COMMITMENT_IN_TITLE.captures(&page.publication_title) {
        let plan = c.get(1)?.as_str().trim().to_owned();
        let number = c.get(2)?.as_str().parse().ok()?;
        return Some((plan, number));
    }
    let number = page
        .outline
        .labelled()
        .filter(|(_, _, l)| l.heads())
        .find_map(|(_, _, l)| COMMITMENT_ANYWHERE.captures(&l.text))?
        .get(1)?
        .as_str()
        .parse()
        .ok()?;
    Some((page.publication_title.clone(), number))
}
