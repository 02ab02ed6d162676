//! Cross-page normalisation: matching progress updates to milestones ([`updates`]), and
//! finding which passages name which organisations.
//!
//! An update names its milestone in other words than the overview does ("Hire and on-board a
//! person centred design team (start August 2021 – end January 2022)" against "hire and
//! on-board a person centred design team" dated "Start August 2021 – end January 2022"), and a
//! page may print objectives in the wrong place, so matching is by the words of the activity
//! and by the dates, never by position.

mod updates;

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use rust_stemmers::{Algorithm, Stemmer};

pub use updates::{Candidate, Decision, Evidence, MIN_SCORE, Update, assign};

use crate::date::re;

/// Words too common to tell two sentences apart.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "that", "with", "our", "are", "will", "this", "has", "have", "been",
    "from", "which", "their", "into", "all", "any", "can", "its", "who", "was", "were",
];

/// English stems, so "agreeing" meets "agree" and "workshops" "workshop".
static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// The words of a sentence that carry meaning, lower-cased and stemmed.
pub fn words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|w| STEMMER.stem(&w).into_owned())
        .collect()
}

/// True when `name` occurs in `text` as whole words.
pub fn names(text: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// An acronym (printed alone, or in brackets after a name): capitals, 2 to 8 characters, digits
/// or "&" after the first.
const ACRONYM_WORD: &str = "[A-Z][A-Z0-9&]{1,7}";

/// An acronym alone: "NES", "COSLA".
static ACRONYM_ALONE: LazyLock<Regex> = LazyLock::new(|| re(&format!("^{ACRONYM_WORD}$")));

/// True for a word that is an acronym ("NES", "COSLA").
pub fn is_acronym(word: &str) -> bool {
    ACRONYM_ALONE.is_match(word)
}

/// Words that end or make a body's name: what a part of a comma-separated lead line must hold
/// to be a body of its own, and most of a list must hold to be a list of bodies.
const BODY_WORDS: &[&str] = &[
    "agency",
    "alliance",
    "association",
    "authority",
    "board",
    "boards",
    "centre",
    "college",
    "council",
    "directorate",
    "division",
    "forum",
    "foundation",
    "group",
    "institute",
    "network",
    "nhs",
    "office",
    "partnership",
    "service",
    "services",
    "society",
    "team",
    "trust",
    "unit",
    "university",
];

/// True for a name, a part of a lead line or a bullet, that reads as a body's name: capitalised, short, and an
/// acronym or holding one of [`BODY_WORDS`].
pub fn is_body_name(part: &str) -> bool {
    let words: Vec<&str> = part.split_whitespace().collect();
    part.starts_with(char::is_uppercase)
        && words.len() <= 10
        && (is_acronym(part)
            || words
                .iter()
                .any(|w| BODY_WORDS.contains(&w.to_lowercase().as_str())))
}

/// An acronym in brackets after a name: capitals as [`ACRONYM_WORD`], or in mixed case
/// ("CfRC"), which [`abbreviates`] then holds to the name's initials.
const BRACKETED_ACRONYM: &str = "[A-Z][A-Za-z0-9&]{1,7}";

/// A name ending in its acronym: "Scottish Action for Mental Health (SAMH)".
static NAME_AND_ACRONYM: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^(.*?[^\s(])\s*\(({BRACKETED_ACRONYM})\)$")));

/// An acronym in brackets at the start of a text, after optional space.
static ACRONYM_NEXT: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^\s*\(({BRACKETED_ACRONYM})\)")));

/// The full name and the acronym of a name printed as "Full Name (ACR)"; `None` for any other
/// name, "Centrestage (Arts)" included.
pub fn acronym_form(name: &str) -> Option<(&str, &str)> {
    let caps = NAME_AND_ACRONYM.captures(name.trim())?;
    let (full, acronym) = (caps.get(1)?.as_str().trim(), caps.get(2)?.as_str());
    // Two words at least: a lone word before brackets is no full name the acronym abbreviates.
    (full.split_whitespace().nth(1).is_some() && abbreviates(acronym, full))
        .then_some((full, acronym))
}

/// True when `acronym` starts as `name` does, a leading "the" aside: the least an acronym of
/// that name shares with it. An acronym in mixed case ("CfRC", not "Drama") must have two
/// capitals at least and spell the name's initials, in order.
fn abbreviates(acronym: &str, name: &str) -> bool {
    if !is_acronym(acronym) {
        let capitals = acronym.chars().filter(char::is_ascii_uppercase).count();
        if capitals < 2 || !initials_spell(acronym, name) {
            return false;
        }
    }
    let mut words = name.split_whitespace();
    let first = match words.next() {
        Some(w) if w.eq_ignore_ascii_case("the") => words.next(),
        w => w,
    };
    let initial = first.and_then(|w| w.chars().next());
    initial.is_some_and(|c| acronym.starts_with(c.to_ascii_uppercase()))
}

/// The acronyms `text` prints in brackets right after `name` ("... Glasgow Disability Alliance
/// (GDA) ..." gives "GDA" for "Glasgow Disability Alliance"), wherever it names it.
pub fn acronyms_after<'t>(text: &'t str, name: &str) -> Vec<&'t str> {
    if name.is_empty() {
        return Vec::new();
    }
    text.match_indices(name)
        .filter(|(i, _)| {
            !text[..*i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        })
        .filter_map(|(i, _)| ACRONYM_NEXT.captures(&text[i + name.len()..]))
        .filter_map(|caps| caps.get(1).map(|m| m.as_str()))
        .filter(|acronym| *acronym != name && abbreviates(acronym, name))
        .collect()
}

/// Words that may join the capitalised words of a name ("NHS Education for Scotland").
const NAME_JOINERS: &[&str] = &["for", "of", "and", "&", "the", "in", "on"];

/// The full names `text` prints right before "(ACRONYM)" ("... by NHS Education for Scotland
/// (NES) ..." gives "NHS Education for Scotland" for "NES"): the run of capitalised words (and
/// the small words joining them) before the bracket, from the word the acronym starts with,
/// when the acronym's letters are the initials of those words, in order.
pub fn expansions_before<'t>(text: &'t str, acronym: &str) -> Vec<&'t str> {
    let bracketed = format!("({acronym})");
    let first = acronym.chars().next();
    let mut out = Vec::new();
    for (at, _) in text.match_indices(&bracketed) {
        let before = text[..at].trim_end();
        let mut words = Vec::new();
        let mut word_start = None;
        for (i, c) in before.char_indices() {
            match (c.is_whitespace(), word_start) {
                (false, None) => word_start = Some(i),
                (true, Some(s)) => {
                    words.push((s, &before[s..i]));
                    word_start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = word_start {
            words.push((s, &before[s..]));
        }
        let mut from = None;
        for (n, &(i, word)) in words.iter().enumerate().rev() {
            let last = n + 1 == words.len();
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            let joins = NAME_JOINERS.contains(&word.to_lowercase().as_str());
            if (!last && word.ends_with([',', '.', ';', ':', ')'])) || !(capitalised || joins) {
                break;
            }
            if word.chars().next().map(|c| c.to_ascii_uppercase()) == first {
                from = Some(i);
            }
        }
        let Some(from) = from else { continue };
        let full = before[from..].trim();
        if full.split_whitespace().nth(1).is_some() && initials_spell(acronym, full) {
            out.push(full);
        }
    }
    out
}

/// True when the letters of `acronym` are, in order, initials of words of `name`, the first
/// of them its first word's.
fn initials_spell(acronym: &str, name: &str) -> bool {
    let initials: Vec<char> = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut letters = acronym
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase());
    let Some(first) = letters.next() else {
        return false;
    };
    if initials.first() != Some(&first) {
        return false;
    }
    let mut rest = initials.iter().skip(1);
    letters.all(|l| rest.any(|i| *i == l))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mixed_case_acronym_spelling_the_initials_is_an_alias() {
        assert_eq!(
            acronym_form("Centre for Rural Care (CfRC)"),
            Some(("Centre for Rural Care", "CfRC"))
        );
        assert_eq!(
            acronyms_after(
                "Work with the Centre for Rural Care (CfRC) began.",
                "Centre for Rural Care"
            ),
            vec!["CfRC"]
        );
        // One capital, or letters that are not the initials: a bracket of the name.
        assert_eq!(acronym_form("Tern Players (Drama)"), None);
        assert_eq!(acronym_form("Centre for Rural Care (CeRa)"), None);
    }

    #[test]
    fn expansions_are_the_capitalised_run_before_the_bracket() {
        assert_eq!(
            expansions_before(
                "Training is led by NHS Education for Scotland (NES) with boards.",
                "NES"
            ),
            vec!["NHS Education for Scotland"]
        );
        assert_eq!(
            expansions_before(
                "working with the Convention of Scottish Local Authorities (COSLA), and",
                "COSLA"
            ),
            vec!["Convention of Scottish Local Authorities"]
        );
        // Words that do not spell the acronym are no expansion of it.
        assert!(expansions_before("see the Annual Report (NES)", "NES").is_empty());
        assert!(expansions_before("(NES) alone", "NES").is_empty());
    }

    #[test]
    fn acronyms_are_read_after_full_names_only() {
        assert_eq!(
            acronym_form("Scottish Action for Mental Health (SAMH)"),
            Some(("Scottish Action for Mental Health", "SAMH"))
        );
        assert_eq!(
            acronym_form("Lothian Carers & Families (LC&F2)"),
            Some(("Lothian Carers & Families", "LC&F2"))
        );
        assert_eq!(acronym_form("Centrestage (Arts)"), None);
        assert_eq!(acronym_form("Shelter (S)"), None);
        assert_eq!(acronym_form("Shelter (SHEL)"), None);
        assert_eq!(acronym_form("A Very Long Name (ABCDEFGHI)"), None);
        assert_eq!(acronym_form("Glasgow Disability Alliance"), None);
        assert_eq!(
            acronyms_after(
                "Partners: Glasgow Disability Alliance (GDA), and the Glasgow Disability Alliance again.",
                "Glasgow Disability Alliance"
            ),
            vec!["GDA"]
        );
        // The acronym of a longer name that ends in this one is not this one's.
        assert!(
            acronyms_after(
                "North Glasgow Disability Alliance (NGDA)",
                "Glasgow Disability Alliance"
            )
            .is_empty()
        );
        assert_eq!(
            acronym_form("North Glasgow Disability Alliance (GDA)"),
            None
        );
    }

    #[test]
    fn names_match_whole_words_only() {
        assert!(names("working with NHS 24 and others", "NHS 24"));
        assert!(!names("working with NHS 245", "NHS 24"));
        assert!(!names("Sheltered housing", "Shelter"));
        assert!(names(
            "Community Justice Scotland /Shelter / Families",
            "Shelter"
        ));
    }
}
