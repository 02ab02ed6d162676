//! Fuzzy dates: the date phrases gov.scot prints, normalised to day-level bounds.
//!
//! A phrase is kept three ways: as printed (`text`), and as the first and last day it can mean
//! (`start`, `end`). Either bound may be missing ("by March 2024" has no start). A phrase this
//! module does not understand is an error naming the phrase; callers keep the text with null
//! dates and log a warning, never a guess.
//!
//! Conventions, each a choice a reader may need to know:
//! - seasons are meteorological: spring is March to May, summer June to August, autumn
//!   September to November, winter December to February; "winter 2021/22" and "winter 2021"
//!   both start in December 2021;
//! - "2023-24" or "2023/24" (second year one after the first, joined by a dash or slash) is a
//!   Scottish financial year, 1 April to 31 March, as is a year pair named a budget or a
//!   financial year ("Scottish Budget 2021 - 2022"); "2017-22" (any other gap) and "2021 to
//!   2025" are spans of calendar years. Source: the Scottish Government's accounts "for the
//!   year ended 31 March 2025" head their prior-year column "Restated 2023-24" (gov.scot,
//!   `scottish-government-consolidated-accounts-year-ended-31-march-2025/pages/4/`), so a
//!   consecutive pair names the year ending 31 March of its second year; that every "2023-24"
//!   on the policy pages, a delivery plan's included, means that year is assumed;
//! - "Q1 2024" is a calendar quarter (Q1 is January to March); "Q1 2023-24" is a quarter of the
//!   financial year (Q1 is April to June); two quarters joined by "and", "or", "to" or a slash
//!   ("Q4 2022 or Q1 2023", "Q3/4 2023") cover both and what lies between;
//! - a deadline ("by March 2024", "by the end of 2024", "By end Q1 2024", "by 2026") has an end
//!   and no start: the page says when the work is due, not when it begins; "start"/"end"/"the
//!   end of" before a period stand for the whole period;
//! - a month range printing one year ("June-July 2022") puts the first month in that year, or
//!   in the year before when it would otherwise come after the last ("August-January 2022"
//!   starts in August 2021);
//! - a day or month with no year ("By end June", "1 September") is read only against a
//!   reference day, normally the date of the report that prints it ([`FuzzyDate::parse_in`],
//!   [`find_date_in`]): it is the occurrence nearest the reference month, from six months
//!   before it to five after, or for a deadline ("by", "before", "until", "up to") from five
//!   before to six after. Without a reference it stays undated. A season with no year ("over
//!   summer") is read the same way, by its first month, so "summer" in a November report is
//!   the summer just gone and in a February report the one to come;
//! - "up to February 2025" ends a period without opening it, so it reads as a deadline;
//! - "early", "mid" and "late" before a year, a season or a quarter are its first, middle and
//!   last third, in whole months: "early 2017" is January to April, "mid-2020" May to August,
//!   "late 2019" September to December, "early autumn" September. "By mid-2020" is a deadline,
//!   31 August 2020. "the start of 2020" is the whole of 2020, as "start" before any period is;
//! - "this quarter" is, against a reference day, the three months (January to March, April to
//!   June, July to September or October to December) that hold it; calendar and financial
//!   quarters share these bounds. Without a reference it stays undated;
//! - a day printed month first ("March 9, 2015", "September 12th, 2012") is that day; a weekday
//!   before a day ("Monday, March 9, 2015") must agree with it, or the phrase is refused.
//!
//! Some phrases look like dates but name no period a page fixes, and stay undated: months that
//! recur every year ("(February and August)", an "April-March reporting cycle"), an event
//! ("Since the June update"), and a term the page does not date ("by the end of this
//! parliamentary term").

mod find;
mod period;
#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use chrono::{Datelike, Months, NaiveDate};
use regex::Regex;

pub use find::{FoundDate, find_date, find_date_in};

/// A date phrase as printed, with the first and last day it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FuzzyDate {
    /// The phrase exactly as the page prints it.
    pub text: String,
    /// The first day the phrase can mean, if it has a start.
    pub start: Option<NaiveDate>,
    /// The last day the phrase can mean, if it has an end.
    pub end: Option<NaiveDate>,
}

/// A date phrase that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unrecognised date phrase {phrase:?}")]
pub struct DateError {
    /// The phrase, as given.
    pub phrase: String,
}

/// A bare span of days, before it is attached to its phrase.
type Span = (NaiveDate, NaiveDate);

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
const YEAR: &str = r"(?:\d{4}|['’‘]\d{2})";

/// Compiles one of the crate's own constant patterns; a failure is a bug the unit tests catch.
pub(crate) fn re(pattern: &str) -> Regex {
    match Regex::new(pattern) {
        Ok(r) => r,
        Err(e) => panic!("invalid built-in pattern {pattern:?}: {e}"),
    }
}

/// The joints of a range: a dash, "to", "until", "through", or "into" as in "summer and into
/// early autumn".
static RANGE_SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\s*(?:\s[-–—]\s|[–—]|\sto\s|\suntil\s|\sthrough\s|\s(?:and\s+)?into\s)\s*")
});
/// "june-july 2022": months joined by an unspaced hyphen, which `RANGE_SPLIT` leaves alone so
/// that "2023-24" stays one expression.
static MONTH_HYPHEN: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i)^((?:\d{{1,2}}\s+)?{MONTH})-(.+)$")));
/// "from June to August", "between January and April": a range with both ends.
static BETWEEN: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:from|between)\s+(.+?)\s+(?:to|and|until)\s+(.+)$"));

impl FuzzyDate {
    /// Reads a date phrase that states its year.
    ///
    /// # Errors
    /// A phrase of no supported shape, naming a day that does not exist, or leaving out its year
    /// is a [`DateError`].
    pub fn parse(text: &str) -> Result<Self, DateError> {
        Self::parse_in(text, None)
    }

    /// Reads a date phrase, taking a day or month printed without a year ("By end June",
    /// "1 September") as its occurrence nearest `reference`: from six months before the
    /// reference's month to five after, or five before to six after for a deadline ("by end
    /// of November"). Pass the date of the page that prints the phrase (the last day of a
    /// progress report's "Progress to June 2024"). With `None` this is [`FuzzyDate::parse`].
    ///
    /// # Errors
    /// As [`FuzzyDate::parse`]; a phrase without a year is an error only when `reference` is
    /// `None`.
    pub fn parse_in(text: &str, reference: Option<NaiveDate>) -> Result<Self, DateError> {
        let err = || DateError {
            phrase: text.to_owned(),
        };
        let cleaned = clean(text);
        if cleaned.is_empty() || cleaned.len() > 80 {
            return Err(err());
        }
        let lower = cleaned.to_lowercase();
        let both = BETWEEN
            .captures(&lower)
            .and_then(|c| range(c.get(1)?.as_str(), c.get(2)?.as_str(), reference));
        let (start, end) = if let Some((s, e)) = both {
            (Some(s), Some(e))
        } else if let Some(rest) = strip_word(&lower, &["by", "before", "until", "up to"]) {
            // A deadline looks ahead: its window is one month later than a plain mention's,
            // so "by end of November" in a May report is this November, not last.
            let ahead = reference.and_then(|r| r.checked_add_months(Months::new(1)));
            (None, Some(span(rest, ahead).ok_or_else(err)?.1))
        } else if let Some(rest) = strip_word(&lower, &["from", "after", "starting"]) {
            (Some(span(rest, reference).ok_or_else(err)?.0), None)
        } else {
            let (s, e) = span(&lower, reference).ok_or_else(err)?;
            (Some(s), Some(e))
        };
        Ok(Self {
            text: text.trim().to_owned(),
            start,
            end,
        })
    }

    /// True when the phrase gives neither a start nor an end.
    pub fn is_undated(&self) -> bool {
        self.start.is_none() && self.end.is_none()
    }

    /// The phrase kept as printed, with no dates: what callers store for a phrase they could
    /// not read.
    pub fn undated(text: &str) -> Self {
        Self {
            text: text.trim().to_owned(),
            start: None,
            end: None,
        }
    }
}

/// Drops wrapping brackets, a trailing full stop, "in"/"during"/"on"/"at"/"over"/"through"
/// lead-ins and extra spaces.
fn clean(text: &str) -> String {
    let mut s = text.trim();
    loop {
        let before = s;
        s = s.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace());
        s = s.trim_end_matches(['.', ',', ';']);
        for lead in ["in ", "during ", "on ", "at ", "over ", "through "] {
            if s.len() > lead.len()
                && s.is_char_boundary(lead.len())
                && s[..lead.len()].eq_ignore_ascii_case(lead)
            {
                s = &s[lead.len()..];
            }
        }
        if s == before {
            break;
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_word<'a>(s: &'a str, words: &[&str]) -> Option<&'a str> {
    words.iter().find_map(|w| {
        s.strip_prefix(w)
            .and_then(|rest| rest.strip_prefix(' '))
            .map(str::trim)
    })
}

/// The days a phrase without a "by"/"from" lead-in covers.
fn span(s: &str, reference: Option<NaiveDate>) -> Option<Span> {
    if let Some(single) = period::single(s, reference) {
        return Some(single);
    }
    // A range: "August 2021 – January 2022", "start August 2021 – end January 2022",
    // "October 2021 to September 2025", "Aug. '21 - Jan. '22", "June-July 2022".
    let mut parts = RANGE_SPLIT.splitn(s, 2);
    if let (Some(left), Some(right)) = (parts.next(), parts.next()) {
        return range(left, right, reference);
    }
    let c = MONTH_HYPHEN.captures(s)?;
    range(c.get(1)?.as_str(), c.get(2)?.as_str(), reference)
}

/// From the start of `left` to the end of `right`. The left side may leave out its year
/// ("August to December 2022"): it takes the right side's, or the year before when the range
/// would otherwise run backwards ("August-January 2022").
fn range(left: &str, right: &str, reference: Option<NaiveDate>) -> Option<Span> {
    let (left, right) = (left.trim(), right.trim());
    let (_, right_end) = period::single(right, reference)?;
    let left_start = match period::single(left, None) {
        Some((start, _)) => start,
        None => {
            let year = right_end.year();
            let (start, _) = period::single(&format!("{left} {year}"), None)?;
            if start > right_end {
                period::single(&format!("{left} {}", year - 1), None)?.0
            } else {
                start
            }
        }
    };
    (left_start <= right_end).then_some((left_start, right_end))
}

/// A span's first day and, when it differs, its last: how a timeline event is dated.
pub fn first_and_last(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Option<(NaiveDate, Option<NaiveDate>)> {
    let first = start.or(end)?;
    Some((first, end.filter(|e| *e != first)))
}
