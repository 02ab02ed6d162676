//! Organisations a report lists: "The design school's partners this year were:" and a list
//! of names under it.
//!
//! A list counts when the sentence that introduces it ends in a colon and says, within its last
//! few words, that what follows are partners, organisations, members or charities, or is
//! "including:", or who was worked with, took part or was involved ("We worked with:",
//! "Organisations that took part in the pilots:"); and when every item reads as a name: short, with no sentence punctuation, and
//! mostly capitalised words. A list of problems, activities or topics fails one test or the
//! other, and names nobody.

use std::sync::LazyLock;

use regex::Regex;

use crate::date::re;
use crate::page::{Block, BlockKind};

/// The end of a sentence that introduces a list of organisations: the telling word, then at
/// most three more words, then the colon.
static INTRO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:partners|partner|organisations|organizations|members|charities|including|include|includes|(?:worked|working|work)\s+(?:with|alongside)|(?:took|taking|take)\s+part|involved)\b(?:\s+[^\s:]+){0,3}\s*:$",
    )
});

/// A name printed as a list item: the name, and its anchor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The item as printed, trimmed of list punctuation ("Sacro;", "Cemvo, and").
    pub name: String,
    /// Where it was read.
    pub anchor: Option<String>,
}

/// The organisations a page lists under introducing sentences, in page order.
pub fn listed(blocks: &[Block]) -> Vec<Listed> {
    let mut out = Vec::new();
    for (i, intro) in blocks.iter().enumerate() {
        if intro.kind != BlockKind::Paragraph || !INTRO.is_match(intro.text.trim_end()) {
            continue;
        }
        let Some(&BlockKind::Item { list }) = blocks.get(i + 1).map(|b| &b.kind) else {
            continue;
        };
        let items: Vec<&Block> = blocks[i + 1..]
            .iter()
            .take_while(|b| b.kind == BlockKind::Item { list })
            .collect();
        let names: Vec<Listed> = items
            .iter()
            .filter_map(|b| {
                name_of(&b.text).map(|name| Listed {
                    name,
                    anchor: b.anchor.clone(),
                })
            })
            .collect();
        // One item that is no name makes it a list of something else.
        if names.len() == items.len() {
            out.extend(names);
        }
    }
    out
}

/// Words a name may have in lower case between capitalised ones.
fn is_joining(word: &str) -> bool {
    word.len() <= 4 || word.starts_with('(')
}

/// The name an item prints, if it reads as one.
fn name_of(item: &str) -> Option<String> {
    let trimmed = item
        .trim()
        .trim_end_matches(|c: char| c == ';' || c == ',' || c.is_whitespace());
    let trimmed = trimmed
        .strip_suffix(" and")
        .or_else(|| trimmed.strip_suffix(" or"))
        .unwrap_or(trimmed)
        .trim_end_matches([',', ';'])
        .trim();
    let trimmed = trimmed.strip_prefix("the ").unwrap_or(trimmed);
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 12
        || trimmed.ends_with(['.', '!', '?', ':'])
        || trimmed.contains([',', ';', ':'])
        || !trimmed.starts_with(|c: char| c.is_uppercase())
    {
        return None;
    }
    let lower = words
        .iter()
        .filter(|w| w.starts_with(|c: char| c.is_lowercase()) && !is_joining(w))
        .count();
    // "Scottish Commission for people with Learning Disabilities": one long word in lower case
    // of six; a sentence or an activity has more.
    (lower * 4 < words.len()).then(|| trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_told_from_sentences() {
        assert_eq!(
            name_of("Glasgow Disability Alliance (GDA);").as_deref(),
            Some("Glasgow Disability Alliance (GDA)")
        );
        assert_eq!(name_of("Sacro, and").as_deref(), Some("Sacro"));
        assert_eq!(
            name_of("the Scottish Commission for people with Learning Disabilities (SCLD)")
                .as_deref(),
            Some("Scottish Commission for people with Learning Disabilities (SCLD)")
        );
        assert_eq!(name_of("Carers told us sessions were too short."), None);
        assert_eq!(name_of("running listening sessions in rural areas"), None);
        assert_eq!(name_of("Travel costs stopped people from attending"), None);
        assert_eq!(name_of("Waiting lists, long journeys and cost"), None);
    }

    #[test]
    fn introductions_say_what_follows() {
        for intro in [
            "The design school's partners this year were:",
            "Eight organisations took part:",
            "Its members are:",
            "We worked with third sector bodies including:",
            "We worked with:",
            "Organisations that took part in the pilots:",
            "These groups were involved:",
        ] {
            assert!(INTRO.is_match(intro), "{intro}");
        }
        for intro in [
            "We focused on two key areas:",
            "Our partners told us about these problems:",
            "Organisations worked on the following four activities:",
            "The partners are listed below.",
            "We worked through the following steps in turn over the year:",
        ] {
            assert!(!INTRO.is_match(intro), "{intro}");
        }
    }
}
