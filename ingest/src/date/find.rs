//! Finding a date phrase inside a sentence.
//!
//! Every shape is searched for, and the phrases found compete: a phrase inside a longer one
//! (the "2024" of "by the end of 2024", the "(…)" around a range) gives way to it; then a
//! phrase with dates beats one without, a longer phrase beats a shorter, and an earlier beats a
//! later. Numbers alone never make a date: a bare year needs a lead-in ("by 2026", "in 2023"),
//! a day needs its month, a month without a year needs a lead-in or a day and a capital
//! letter ("By end June", "1 September", but not "we may"), and a season without a year needs
//! a lead-in ("over summer", but not "spring into action").

use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::{Captures, Regex};

use super::{FuzzyDate, MONTH, YEAR, re};

/// A date phrase found inside a longer text: where it stands, and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundDate {
    /// The date, with the phrase as printed (without brackets).
    pub date: FuzzyDate,
    /// Byte range of the phrase in the text searched, brackets included where it had them.
    pub range: Range<usize>,
}

/// Lead-ins that change what a phrase means ("by" makes a deadline), so belong to it.
const LEAD: &str = r"(?:by|before|until|up\s+to|from)\s+";
/// Lead-ins that only place a phrase in the sentence; they are not part of it, and the
/// phrase found starts after them.
const PLACE: &str = r"(?:in|on|during|at|over)\s+";
const MARK: &str = r"(?:(?:the\s+)?(?:start|end|beginning)(?:\s+of)?\s*:?\s+)";

/// A bracketed group: read whole when it is a date, kept undated when it is not but names a
/// year.
static BRACKET: LazyLock<Regex> = LazyLock::new(|| re(r"\(([^()]{4,80})\)"));

/// A phrase that states its year: `phrase`, after any placing lead-in; `lead`, any lead-in or
/// "end" marker it starts with.
static WITH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    let day = r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)";
    let q = r"q[1-4](?:\s*(?:[/&]|[-–]|\s(?:and|or|to)\s)\s*q?[1-4])?\s+(?:(?:in|of)\s+)?\d{4}(?:[-–/]\d{2}\b)?(?:\s+(?:or|and|to)\s+q[1-4]\s+\d{4})?";
    let weekday = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day\s*,?\s+)";
    let season = r"(?:spring|summer|autumn|fall|winter)";
    let point = [
        format!(r"(?:the\s+)?{season}\s+(?:of\s+)?\d{{4}}(?:/\d{{2,4}})?"),
        // "mid-2020", "early 2017", "late summer 2024".
        format!(r"(?:early|mid|late)(?:\s*-\s*|\s+)(?:{season}\s+)?\d{{4}}\b"),
        q.to_owned(),
        r"(?:first|second|third|fourth)\s+quarter\s+(?:of\s+)?\d{4}".to_owned(),
        r"(?:scottish\s+)?budget\s+\d{4}\s*[-–/]\s*\d{2,4}\b".to_owned(),
        r"\d{4}\s*[-–/]\s*\d{2,4}\s+(?:scottish\s+)?budget".to_owned(),
        r"(?:financial|fiscal)\s+year\s+\d{4}\s*[-–/]\s*\d{2,4}\b".to_owned(),
        // Month first, as legacy pages print a day: "Monday, March 9, 2015".
        format!(r"{weekday}?{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s+\d{{4}}\b"),
        format!(r"(?:{weekday}?{day})?{MONTH}\s*,?\s*{YEAR}"),
        // Bare years are this or the last century's, so that "in 1000 homes" is no date.
        r"(?:19|20)\d{2}[-–/]\d{2}(?:\d{2})?\b".to_owned(),
        r"(?:19|20)\d{2}\b".to_owned(),
    ]
    .join("|");
    let left = format!(r"(?:{point}|{day}?{MONTH})");
    let sep = r"(?:\s*[-–—]\s*|\s+(?:to|until)\s+)";
    // "and" joins a range's ends only after "between": "between November 2022 and February
    // 2023" is one range, "in March 2023 and June 2024" is two dates.
    re(&format!(
        r"(?i)\b(?P<place>{PLACE})?(?P<phrase>(?P<between>between\s+{MARK}?{left}\s+and\s+{MARK}?(?:{point}))|(?P<lead>(?:{LEAD})?{MARK}?)(?:{left}{sep}{MARK}?(?:{point})|(?:{point})))"
    ))
});

/// A day or month printed without a year, with a lead-in (`place` or `lead`) or a `day`, and a
/// capital letter on the month, which the pattern checks itself: "By end June", "on 1
/// September", "from June to August".
static YEARLESS: LazyLock<Regex> = LazyLock::new(|| {
    let cap_month = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
    let place = r"(?i:(?:in|on|during|at|over)\s+)";
    let lead = r"(?i:(?:by|before|until|from|between)\s+)";
    let mark = r"(?i:(?:the\s+)?(?:start|end|beginning)(?:\s+of)?\s+)";
    let day = r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)";
    re(&format!(
        r"\b(?P<place>{place})?(?P<phrase>(?P<lead>{lead}?{mark}?)(?P<day>{day})?{cap_month}\b(?:\s+(?i:to|and|until)\s+{day}?{cap_month}\b|\s*[-–]\s*{cap_month}\b)?)"
    ))
});

/// A season with no year, after a lead-in ("over summer", "by the autumn", "through summer
/// and into early autumn"): "spring" alone is too often a verb to count without one. "fall" is
/// left out for the same reason.
static SEASON_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    let part = r"(?:(?:early|mid|late)(?:\s*-\s*|\s+))";
    let season = r"(?:spring|summer|autumn|winter)";
    re(&format!(
        r"(?i)\b(?P<place>(?:in|during|at|over|through|throughout)\s+(?:the\s+)?)?(?P<phrase>(?P<lead>(?:{LEAD})?{MARK}?)(?:the\s+)?{part}?{season}\b(?:\s+(?:and\s+)?(?:into|to|until)\s+(?:the\s+)?{part}?{season}\b)?)"
    ))
});

/// "this quarter": dated only against a reference day.
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bthis\s+quarter\b"));

static YEAR_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| re(r"\b(19|20)\d{2}\b|['’]\d{2}\b"));
static NUMBERS_ONLY: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^[\d\s\-–—/]*(?:(?:to|until)[\d\s\-–—/]*)?$"));

/// Finds the date phrase of a sentence that states its years; see [`find_date_in`].
pub fn find_date(text: &str) -> Option<FoundDate> {
    find_date_in(text, None)
}

/// Finds the date phrase of a sentence, reading a day or month without a year against
/// `reference` (see [`FuzzyDate::parse_in`]).
///
/// A phrase that is plainly a date but cannot be read comes back with null dates, so that the
/// caller keeps the phrase and warns: a bracketed group that names a year, or a day or month
/// without a year when `reference` is `None`.
pub fn find_date_in(text: &str, reference: Option<NaiveDate>) -> Option<FoundDate> {
    let mut found: Vec<FoundDate> = Vec::new();
    for caps in BRACKET.captures_iter(text) {
        let (Some(whole), Some(inner)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let date = match FuzzyDate::parse_in(inner.as_str(), reference) {
            Ok(date) => date,
            Err(_) if YEAR_IN_TEXT.is_match(inner.as_str()) => FuzzyDate::undated(inner.as_str()),
            Err(_) => continue,
        };
        found.push(FoundDate {
            date,
            range: whole.range(),
        });
    }
    for caps in WITH_YEAR.captures_iter(text) {
        let Some(whole) = caps.name("phrase") else {
            continue;
        };
        if !is_led(&caps) && NUMBERS_ONLY.is_match(whole.as_str()) {
            continue;
        }
        // "up to 2000 carers" is a count: after "up to", a bare number is no year.
        let lead = caps.name("lead").map_or("", |m| m.as_str());
        if lead.get(..2).is_some_and(|w| w.eq_ignore_ascii_case("up"))
            && whole
                .as_str()
                .get(lead.len()..)
                .is_some_and(|rest| NUMBERS_ONLY.is_match(rest))
        {
            continue;
        }
        if let Ok(date) = FuzzyDate::parse_in(whole.as_str(), reference) {
            found.push(FoundDate {
                date,
                range: whole.range(),
            });
        }
    }
    let yearless = YEARLESS
        .captures_iter(text)
        .filter(|caps| is_led(caps) || caps.name("day").is_some())
        .chain(
            SEASON_ALONE
                .captures_iter(text)
                .filter(|caps| is_led(caps) && !names_a_thing(text, caps)),
        )
        .filter_map(|caps| caps.name("phrase"))
        .chain(RELATIVE.find_iter(text));
    for whole in yearless {
        let date = FuzzyDate::parse_in(whole.as_str(), reference)
            .unwrap_or_else(|_| FuzzyDate::undated(whole.as_str()));
        found.push(FoundDate {
            date,
            range: whole.range(),
        });
    }
    let outer: Vec<&FoundDate> = found
        .iter()
        .filter(|f| !found.iter().any(|g| inside(&f.range, &g.range)))
        .collect();
    outer
        .into_iter()
        .max_by_key(|f| {
            (
                !f.date.is_undated(),
                f.range.len(),
                std::cmp::Reverse(f.range.start),
            )
        })
        .cloned()
}

/// True when the phrase matched has a lead-in ("in", "by") or an "end" marker before it.
fn is_led(caps: &Captures<'_>) -> bool {
    caps.name("place").is_some()
        || caps.name("between").is_some()
        || caps.name("lead").is_some_and(|m| !m.is_empty())
}

/// True when a capitalised season runs into another capitalised word: the start of a name
/// ("in the Winter Resilience Plan"), not a season.
fn names_a_thing(text: &str, caps: &Captures<'_>) -> bool {
    let Some(phrase) = caps.name("phrase") else {
        return false;
    };
    let capital = |s: &str| s.chars().next().is_some_and(char::is_uppercase);
    let last = phrase
        .as_str()
        .split_whitespace()
        .last()
        .unwrap_or_default();
    let next = text[phrase.end()..]
        .split_whitespace()
        .next()
        .unwrap_or_default();
    capital(last) && capital(next)
}

/// True when `a` lies within `b` and is shorter.
fn inside(a: &Range<usize>, b: &Range<usize>) -> bool {
    b.start <= a.start && a.end <= b.end && a.len() < b.len()
}
