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
//! - "2023-24" (second year one after the first) is a UK financial year, 1 April to 31 March;
//!   "2017-22" (any other gap) is a span of calendar years;
//! - "Q1 2024" is a calendar quarter; "Q1 2023-24" is a quarter of the financial year (Q1 is
//!   April to June).

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

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

static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^(?:(?:start|end|the\s+end\s+of|end\s+of)\s*:?\s+)?(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?({MONTH})\s*,?\s*({YEAR})$"
    ))
});
static SEASON: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(spring|summer|autumn|fall|winter)\s+(\d{4})(?:\s*/\s*(\d{2}|\d{4}))?$")
});
static YEAR_ONLY: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4})$"));
static YEAR_PAIR: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4})\s*[-–/]\s*(\d{2}|\d{4})$"));
static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:q([1-4])|(first|second|third|fourth)\s+quarter(?:\s+of)?)\s+(\d{4})(?:\s*[-–/]\s*(\d{2}|\d{4}))?$",
    )
});
static ISO_DAY: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4})-(\d{2})-(\d{2})$"));
static RANGE_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\s*(?:\s[-–—]\s|[–—]|\sto\s|\suntil\s|\sthrough\s)\s*"));

impl FuzzyDate {
    /// Reads a date phrase.
    ///
    /// # Errors
    /// A phrase of no supported shape, or naming a day that does not exist, is a [`DateError`].
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let err = || DateError {
            phrase: text.to_owned(),
        };
        let cleaned = clean(text);
        if cleaned.is_empty() || cleaned.len() > 80 {
            return Err(err());
        }
        let lower = cleaned.to_lowercase();
        let (start, end) = if let Some(rest) = strip_word(&lower, &["by", "before", "until"]) {
            (None, Some(span(rest).ok_or_else(err)?.1))
        } else if let Some(rest) = strip_word(&lower, &["from", "after", "starting"]) {
            (Some(span(rest).ok_or_else(err)?.0), None)
        } else {
            let (s, e) = span(&lower).ok_or_else(err)?;
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
}

/// Drops wrapping brackets, a trailing full stop, "start:"/"in" lead-ins and extra spaces.
fn clean(text: &str) -> String {
    let mut s = text.trim();
    loop {
        let before = s;
        s = s.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace());
        s = s.trim_end_matches(['.', ',', ';']);
        for lead in ["in ", "In ", "during ", "During "] {
            if let Some(rest) = s.strip_prefix(lead) {
                s = rest;
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
fn span(s: &str) -> Option<Span> {
    if let Some(single) = single(s) {
        return Some(single);
    }
    // A range: "August 2021 – January 2022", "start August 2021 – end January 2022",
    // "October 2021 to September 2025", "Aug. '21 - Jan. '22". The left side may leave out its
    // year ("August to December 2022").
    let mut parts = RANGE_SPLIT.splitn(s, 2);
    let left = parts.next()?.trim();
    let right = parts.next()?.trim();
    let (_, right_end) = single(right)?;
    let left_start = match single(left) {
        Some((start, _)) => start,
        None => {
            let with_year = format!("{left} {}", right_end.year());
            let (start, _) = single(&with_year)?;
            start
        }
    };
    (left_start <= right_end).then_some((left_start, right_end))
}

/// The days one date expression covers: a day, month, season, quarter, year or year pair.
fn single(s: &str) -> Option<Span> {
    let s = s.trim().trim_end_matches(['.', ',']);
    if let Some(c) = MONTH_YEAR.captures(s) {
        let month = month_number(c.get(2)?.as_str())?;
        let year = year_number(c.get(3)?.as_str())?;
        return match c.get(1) {
            Some(day) => {
                let d = NaiveDate::from_ymd_opt(year, month, day.as_str().parse().ok()?)?;
                Some((d, d))
            }
            None => month_span(year, month, 1),
        };
    }
    if let Some(c) = ISO_DAY.captures(s) {
        let d =
            NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
        return Some((d, d));
    }
    if let Some(c) = SEASON.captures(s) {
        let year: i32 = c[2].parse().ok()?;
        if let Some(second) = c.get(3) {
            // "winter 2021/22": the second year must follow the first.
            if expand_second_year(year, second.as_str())? != year + 1 {
                return None;
            }
        }
        let (month, len) = match c[1].to_lowercase().as_str() {
            "spring" => (3, 3),
            "summer" => (6, 3),
            "autumn" | "fall" => (9, 3),
            _ => (12, 3),
        };
        if c.get(3).is_some() && month != 12 {
            return None;
        }
        return month_span(year, month, len);
    }
    if let Some(c) = QUARTER.captures(s) {
        let q: u32 = match (c.get(1), c.get(2)) {
            (Some(n), _) => n.as_str().parse().ok()?,
            (None, Some(word)) => match word.as_str().to_lowercase().as_str() {
                "first" => 1,
                "second" => 2,
                "third" => 3,
                _ => 4,
            },
            (None, None) => return None,
        };
        let year: i32 = c[3].parse().ok()?;
        return match c.get(4) {
            Some(second) => {
                if expand_second_year(year, second.as_str())? != year + 1 {
                    return None;
                }
                // Financial quarters: Q1 is April to June of the first year.
                let first_month = 4 + (q - 1) * 3;
                let (y, m) = if first_month > 12 {
                    (year + 1, first_month - 12)
                } else {
                    (year, first_month)
                };
                month_span(y, m, 3)
            }
            None => month_span(year, 1 + (q - 1) * 3, 3),
        };
    }
    if let Some(c) = YEAR_ONLY.captures(s) {
        let year: i32 = c[1].parse().ok()?;
        return Some((
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year, 12, 31)?,
        ));
    }
    if let Some(c) = YEAR_PAIR.captures(s) {
        let first: i32 = c[1].parse().ok()?;
        let second = expand_second_year(first, &c[2])?;
        if second == first + 1 {
            return Some((
                NaiveDate::from_ymd_opt(first, 4, 1)?,
                NaiveDate::from_ymd_opt(second, 3, 31)?,
            ));
        }
        if second > first {
            return Some((
                NaiveDate::from_ymd_opt(first, 1, 1)?,
                NaiveDate::from_ymd_opt(second, 12, 31)?,
            ));
        }
    }
    None
}

/// "22" after 2021 is 2022; "2022" is itself. A two-digit year takes the first year's century.
fn expand_second_year(first: i32, second: &str) -> Option<i32> {
    let n: i32 = second.parse().ok()?;
    if second.len() == 4 {
        return Some(n);
    }
    let century = first - first.rem_euclid(100);
    let mut year = century + n;
    if year < first {
        year += 100;
    }
    Some(year)
}

fn month_number(name: &str) -> Option<u32> {
    let key: String = name
        .trim_end_matches('.')
        .chars()
        .take(3)
        .collect::<String>()
        .to_lowercase();
    let n = match key.as_str() {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// "2021" or "'21" (read as 20xx: the pages are about this century).
fn year_number(s: &str) -> Option<i32> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let n: i32 = digits.parse().ok()?;
    match digits.len() {
        4 => Some(n),
        2 => Some(2000 + n),
        _ => None,
    }
}

/// `len` whole months starting at `month` of `year`, rolling into the next year as needed.
fn month_span(year: i32, month: u32, len: u32) -> Option<Span> {
    let start = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last_month0 = month - 1 + len - 1;
    let end_year = year + i32::try_from(last_month0 / 12).ok()?;
    let end_month = last_month0 % 12 + 1;
    let next = if end_month == 12 {
        NaiveDate::from_ymd_opt(end_year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(end_year, end_month + 1, 1)?
    };
    Some((start, next.pred_opt()?))
}

static EMBEDDED: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let month_year = format!(r"{MONTH}\s*{YEAR}");
    let point = format!(
        r"(?:(?:start|end)\s*:?\s+)?(?:{month_year}|(?:spring|summer|autumn|winter)\s+\d{{4}}(?:/\d{{2,4}})?)"
    );
    vec![
        // A bracketed phrase: "(start August 2021 – end January 2022)", "(winter 2021/22)".
        re(r"\(([^()]{4,80})\)"),
        // A range in running text: "Start August 2021 – end January 2022".
        re(&format!(r"(?i)\b({point}\s*(?:[-–—]|to)\s*{point})")),
        // "by March 2024", "from Summer 2017".
        re(&format!(r"(?i)\b((?:by|from)\s+{point})")),
        // "in winter 2021/2022", a season on its own.
        re(r"(?i)\b((?:spring|summer|autumn|winter)\s+\d{4}(?:/\d{2,4})?)"),
        // A bare month and year.
        re(&format!(r"(?i)\b({month_year})\b")),
    ]
});

/// A date phrase found inside a longer text: where it stands, and what it means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundDate {
    /// The date, with the phrase as printed (without brackets).
    pub date: FuzzyDate,
    /// Byte range of the phrase in the text searched, brackets included where it had them.
    pub range: std::ops::Range<usize>,
}

/// Finds the first date phrase in a sentence, trying the most specific shapes first.
///
/// A bracketed group that mentions a year but cannot be read comes back with null dates, so
/// that the caller keeps the phrase and warns: a date was printed, and it is not guessed.
pub fn find_date(text: &str) -> Option<FoundDate> {
    for (i, pattern) in EMBEDDED.iter().enumerate() {
        for caps in pattern.captures_iter(text) {
            let (Some(whole), Some(inner)) = (caps.get(0), caps.get(1)) else {
                continue;
            };
            match FuzzyDate::parse(inner.as_str()) {
                Ok(date) => {
                    return Some(FoundDate {
                        date,
                        range: whole.range(),
                    });
                }
                Err(_) if i == 0 && YEAR_IN_TEXT.is_match(inner.as_str()) => {
                    return Some(FoundDate {
                        date: FuzzyDate {
                            text: inner.as_str().trim().to_owned(),
                            start: None,
                            end: None,
                        },
                        range: whole.range(),
                    });
                }
                Err(_) => {}
            }
        }
    }
    None
}

static YEAR_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| re(r"\b(19|20)\d{2}\b|['’]\d{2}\b"));

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn bounds(text: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
        match FuzzyDate::parse(text) {
            Ok(f) => (f.start, f.end),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn month_ranges_as_the_commitment_pages_print_them() {
        // ogp-2021-25-commitment-2-overview.txt: "Start August 2021 – end January 2022"
        assert_eq!(
            bounds("Start August 2021 – end January 2022"),
            (d(2021, 8, 1), d(2022, 1, 31))
        );
        assert_eq!(
            bounds("start August 2021 – end February 2022"),
            (d(2021, 8, 1), d(2022, 2, 28))
        );
        // The same milestone in the milestones publication: "(start: Aug. '21 – end: Jan. '22)".
        assert_eq!(
            bounds("(start: Aug. '21 – end: Jan. '22)"),
            (d(2021, 8, 1), d(2022, 1, 31))
        );
        assert_eq!(
            bounds("October 2021 to September 2025"),
            (d(2021, 10, 1), d(2025, 9, 30))
        );
        assert_eq!(
            bounds("August to December 2022"),
            (d(2022, 8, 1), d(2022, 12, 31))
        );
    }

    #[test]
    fn seasons_are_meteorological_and_winter_spans_the_new_year() {
        assert_eq!(bounds("winter 2021/22"), (d(2021, 12, 1), d(2022, 2, 28)));
        assert_eq!(bounds("winter 2021/2022"), (d(2021, 12, 1), d(2022, 2, 28)));
        assert_eq!(bounds("winter 2023/24"), (d(2023, 12, 1), d(2024, 2, 29)));
        assert_eq!(bounds("Summer 2017"), (d(2017, 6, 1), d(2017, 8, 31)));
        assert_eq!(bounds("autumn 2022"), (d(2022, 9, 1), d(2022, 11, 30)));
        assert!(FuzzyDate::parse("winter 2021/23").is_err());
        assert!(FuzzyDate::parse("summer 2021/22").is_err());
    }

    #[test]
    fn single_months_years_and_days() {
        assert_eq!(bounds("March 2024"), (d(2024, 3, 1), d(2024, 3, 31)));
        assert_eq!(bounds("Sept 2021"), (d(2021, 9, 1), d(2021, 9, 30)));
        assert_eq!(bounds("2021"), (d(2021, 1, 1), d(2021, 12, 31)));
        assert_eq!(bounds("4 August 2023"), (d(2023, 8, 4), d(2023, 8, 4)));
        assert_eq!(bounds("2022-08-31"), (d(2022, 8, 31), d(2022, 8, 31)));
        assert!(FuzzyDate::parse("31 February 2023").is_err());
    }

    #[test]
    fn financial_years_and_year_spans() {
        assert_eq!(bounds("2023-24"), (d(2023, 4, 1), d(2024, 3, 31)));
        assert_eq!(bounds("2099-00"), (d(2099, 4, 1), d(2100, 3, 31)));
        assert_eq!(bounds("2017-22"), (d(2017, 1, 1), d(2022, 12, 31)));
        assert_eq!(bounds("2021-2025"), (d(2021, 1, 1), d(2025, 12, 31)));
    }

    #[test]
    fn open_ended_phrases_keep_only_the_bound_they_state() {
        assert_eq!(bounds("by March 2024"), (None, d(2024, 3, 31)));
        assert_eq!(bounds("from Summer 2017"), (d(2017, 6, 1), None));
    }

    #[test]
    fn quarters_calendar_and_financial() {
        assert_eq!(bounds("Q1 2024"), (d(2024, 1, 1), d(2024, 3, 31)));
        assert_eq!(bounds("Q4 2024"), (d(2024, 10, 1), d(2024, 12, 31)));
        assert_eq!(bounds("Q1 2023-24"), (d(2023, 4, 1), d(2023, 6, 30)));
        assert_eq!(bounds("Q4 2023-24"), (d(2024, 1, 1), d(2024, 3, 31)));
        assert_eq!(
            bounds("third quarter of 2022"),
            (d(2022, 7, 1), d(2022, 9, 30))
        );
    }

    #[test]
    fn nonsense_is_an_error_that_names_the_phrase() {
        let err = FuzzyDate::parse("when resources allow").err();
        assert_eq!(
            err.map(|e| e.to_string()),
            Some("unrecognised date phrase \"when resources allow\"".to_owned())
        );
        assert!(FuzzyDate::parse("").is_err());
        assert!(FuzzyDate::parse("January 2023 – March 2022").is_err());
    }

    #[test]
    fn dates_are_found_inside_milestone_sentences() {
        // ogp-2021-25-commitment-2-overview.txt, first milestone.
        let text =
            "hire and on-board a person centred design team. Start August 2021 – end January 2022";
        let found = find_date(text).expect("a date in the milestone");
        assert_eq!(found.date.text, "Start August 2021 – end January 2022");
        assert_eq!(found.date.start, d(2021, 8, 1));
        assert_eq!(
            &text[found.range.clone()],
            "Start August 2021 – end January 2022"
        );

        // ogp-2021-25-commitment-2-progress-to-august-2022.txt: "(winter 2021/22)".
        let found =
            find_date("ensure actions are progressed as intended (winter 2021/22). We will")
                .expect("a bracketed season");
        assert_eq!(found.date.text, "winter 2021/22");
        assert_eq!(found.date.end, d(2022, 2, 28));

        let found = find_date("ensure actions are progressed as intended in winter 2021/2022. We")
            .expect("a season in running text");
        assert_eq!(found.date.start, d(2021, 12, 1));

        assert_eq!(find_date("review relevant good practice"), None);
    }

    #[test]
    fn an_unreadable_bracketed_date_is_kept_without_bounds() {
        let found = find_date("do the thing (sometime in 2022, maybe)").expect("kept");
        assert!(found.date.is_undated());
        assert_eq!(found.date.text, "sometime in 2022, maybe");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];

        proptest! {
            #[test]
            fn parse_never_panics(s in "\\PC{0,60}") {
                let _ = FuzzyDate::parse(&s);
                let _ = find_date(&s);
            }

            #[test]
            fn a_month_covers_exactly_that_month(year in 1990i32..2100, m in 0usize..12, abbreviate: bool) {
                let name = if abbreviate { MONTHS[m][..3].to_owned() } else { MONTHS[m].to_owned() };
                let f = FuzzyDate::parse(&format!("{name} {year}")).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let (start, end) = (f.start.unwrap_or_default(), f.end.unwrap_or_default());
                prop_assert_eq!(start.day(), 1);
                prop_assert_eq!(start.month() as usize, m + 1);
                prop_assert_eq!(end.month() as usize, m + 1);
                prop_assert_eq!(end.succ_opt().map(|n| n.day()), Some(1));
            }

            #[test]
            fn ranges_start_no_later_than_they_end(y1 in 2000i32..2040, m1 in 0usize..12, gap in 0i32..5, m2 in 0usize..12, sep in prop::sample::select(vec![" – ", " - ", " to "])) {
                let y2 = y1 + gap;
                let text = format!("{} {y1}{sep}{} {y2}", MONTHS[m1], MONTHS[m2]);
                match FuzzyDate::parse(&text) {
                    Ok(f) => {
                        let (s, e) = (f.start.unwrap_or_default(), f.end.unwrap_or_default());
                        prop_assert!(s <= e);
                        prop_assert_eq!(s.year(), y1);
                        prop_assert_eq!(e.year(), y2);
                    }
                    // Only a range that runs backwards may be refused.
                    Err(_) => prop_assert!(gap == 0 && m2 < m1),
                }
            }

            #[test]
            fn financial_years_run_april_to_march(y in 1990i32..2098) {
                let f = FuzzyDate::parse(&format!("{y}-{:02}", (y + 1) % 100)).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(f.start, NaiveDate::from_ymd_opt(y, 4, 1));
                prop_assert_eq!(f.end, NaiveDate::from_ymd_opt(y + 1, 3, 31));
            }

            #[test]
            fn winter_is_three_months_from_december(y in 1990i32..2098) {
                let f = FuzzyDate::parse(&format!("winter {y}/{:02}", (y + 1) % 100)).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(f.start, NaiveDate::from_ymd_opt(y, 12, 1));
                prop_assert_eq!(f.end.map(|e| (e.year(), e.month())), Some((y + 1, 2)));
            }
        }
    }
}
