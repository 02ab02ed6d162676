//! One date expression, read to the days it covers: a day (a weekday before it must agree), a
//! month, a season, a quarter or a pair of quarters, a calendar year, a financial year, or the
//! early, middle or late third of a year or season. Ranges between two expressions, and the
//! "by"/"from" lead-ins, are `super`'s business.

use std::sync::LazyLock;

use chrono::{Datelike, Months, NaiveDate, Weekday};
use regex::Regex;

use super::{MONTH, Span, YEAR, re};

static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?({MONTH})\s*,?\s*({YEAR})$"
    ))
});
/// A day printed month first, as legacy pages and metadata do: "March 9, 2015", "September
/// 12th, 2012".
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^({MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+({YEAR})$"
    ))
});
/// "Monday, March 9, 2015", "Wednesday 27 August 2008": a weekday before a day.
static WEEKDAY: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(mon|tues|wednes|thurs|fri|satur|sun)day\s*,?\s+(.+)$"));
/// A day or month with no year ("1 September", "june"): readable only against a reference day.
static YEARLESS: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?({MONTH})$"
    ))
});
/// "start:", "end", "the end of", "beginning of": a point inside the period, which the period
/// itself stands for.
static MARKER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:the\s+)?(?:start|end|beginning)(?:\s+of)?\s*:?\s+"));
/// "summer 2024", "winter 2021/22", "the spring of 2023".
static SEASON: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:the\s+)?(spring|summer|autumn|fall|winter)\s+(?:of\s+)?(\d{4})(?:\s*/\s*(\d{2}|\d{4}))?$",
    )
});
/// A season with no year ("summer", "the autumn"): readable only against a reference day.
static SEASON_ALONE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:the\s+)?(spring|summer|autumn|fall|winter)$"));
/// "early 2017", "mid-2020", "late summer 2024", "early autumn": a third of what follows.
static PART: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(early|mid|late)(?:\s*-\s*|\s+)(.+)$"));
/// "this quarter": readable only against a reference day.
static THIS_QUARTER: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^this\s+quarter$"));
static YEAR_ONLY: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4})$"));
static YEAR_PAIR: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4})\s*[-–/]\s*(\d{2}|\d{4})$"));
/// A year pair a word names as a financial year: "Scottish Budget 2021 - 2022", "the 2021-22
/// Scottish Budget", "financial year 2023/24".
static FINANCIAL: LazyLock<Regex> = LazyLock::new(|| {
    let pair = r"(\d{4})\s*[-–/]\s*(\d{2}|\d{4})";
    let word = r"(?:(?:scottish\s+)?budget|financial\s+year|fiscal\s+year|fy)";
    re(&format!(
        r"(?i)^(?:the\s+)?(?:{word}\s+{pair}|{pair}\s+{word})$"
    ))
});
static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:q([1-4])|(first|second|third|fourth)\s+quarter)\s+(?:(?:of|in)\s+)?(\d{4})(?:\s*[-–/]\s*(\d{2}|\d{4}))?$",
    )
});
/// Two calendar quarters and what lies between: "Q4 2022 or Q1 2023", "Q1 and Q2 2023",
/// "Q3/4 2023". The first may borrow the second's year.
static QUARTER_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^q([1-4])(?:\s+(?:(?:of|in)\s+)?(\d{4}))?\s*(?:[/&]|[-–]|\s(?:and|or|to)\s)\s*q?([1-4])\s+(?:(?:of|in)\s+)?(\d{4})$",
    )
});
static ISO_DAY: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{4})-(\d{2})-(\d{2})$"));

/// The days one date expression covers. A day or month with no year is read only when a
/// `reference` day is given (see [`super::FuzzyDate::parse_in`]).
pub(super) fn single(s: &str, reference: Option<NaiveDate>) -> Option<Span> {
    let mut s = s.trim().trim_end_matches(['.', ',']);
    if let Some(m) = MARKER.find(s) {
        s = &s[m.end()..];
    }
    month_year(s)
        .or_else(|| month_day_year(s))
        .or_else(|| weekday_day(s))
        .or_else(|| iso_day(s))
        .or_else(|| season(s))
        .or_else(|| quarter(s))
        .or_else(|| quarter_pair(s))
        .or_else(|| year(s))
        .or_else(|| part(s, reference))
        .or_else(|| {
            let r = reference?;
            yearless(s, r)
                .or_else(|| season_alone(s, r))
                .or_else(|| this_quarter(s, r))
        })
}

fn month_year(s: &str) -> Option<Span> {
    let c = MONTH_YEAR.captures(s)?;
    let month = month_number(c.get(2)?.as_str())?;
    let year = year_number(c.get(3)?.as_str())?;
    day_or_month(year, month, c.get(1).map(|d| d.as_str()))
}

fn month_day_year(s: &str) -> Option<Span> {
    let c = MONTH_DAY_YEAR.captures(s)?;
    let month = month_number(c.get(1)?.as_str())?;
    let year = year_number(c.get(3)?.as_str())?;
    day_or_month(year, month, c.get(2).map(|d| d.as_str()))
}

/// A day after its weekday. A weekday that disagrees with the day makes the phrase contradict
/// itself, so it is refused rather than one half believed.
fn weekday_day(s: &str) -> Option<Span> {
    let c = WEEKDAY.captures(s)?;
    let weekday = match c[1].to_lowercase().as_str() {
        "mon" => Weekday::Mon,
        "tues" => Weekday::Tue,
        "wednes" => Weekday::Wed,
        "thurs" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "satur" => Weekday::Sat,
        _ => Weekday::Sun,
    };
    let rest = c.get(2)?.as_str();
    let (start, end) = month_year(rest).or_else(|| month_day_year(rest))?;
    (start == end && start.weekday() == weekday).then_some((start, end))
}

fn day_or_month(year: i32, month: u32, day: Option<&str>) -> Option<Span> {
    match day {
        Some(day) => {
            let d = NaiveDate::from_ymd_opt(year, month, day.parse().ok()?)?;
            Some((d, d))
        }
        None => month_span(year, month, 1),
    }
}

fn iso_day(s: &str) -> Option<Span> {
    let c = ISO_DAY.captures(s)?;
    let d = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
    Some((d, d))
}

fn season(s: &str) -> Option<Span> {
    let c = SEASON.captures(s)?;
    let year: i32 = c[2].parse().ok()?;
    if let Some(second) = c.get(3) {
        // "winter 2021/22": the second year must follow the first.
        if expand_second_year(year, second.as_str())? != year + 1 {
            return None;
        }
    }
    let month = season_month(&c[1]);
    if c.get(3).is_some() && month != 12 {
        return None;
    }
    month_span(year, month, 3)
}

/// "summer" read against `reference`: the occurrence whose first month is nearest the
/// reference month, as [`yearless`] reads a month.
fn season_alone(s: &str, reference: NaiveDate) -> Option<Span> {
    let c = SEASON_ALONE.captures(s)?;
    let month = season_month(&c[1]);
    month_span(nearest_year(month, reference), month, 3)
}

/// The first month of a season.
fn season_month(name: &str) -> u32 {
    match name.to_lowercase().as_str() {
        "spring" => 3,
        "summer" => 6,
        "autumn" | "fall" => 9,
        _ => 12,
    }
}

/// "early", "mid" or "late" before a calendar or financial year, a season or a quarter: the
/// first, middle or last third of its months ("mid-2020" is May to August, "early autumn"
/// September). A season or quarter without a year needs `reference`, as it would alone.
fn part(s: &str, reference: Option<NaiveDate>) -> Option<Span> {
    let c = PART.captures(s)?;
    let (start, end) = single(c.get(2)?.as_str(), reference)?;
    let months = (i64::from(end.year()) - i64::from(start.year())) * 12 + i64::from(end.month())
        - i64::from(start.month())
        + 1;
    // Only a whole year or a three-month period has thirds of whole months; "late March 2024"
    // would need a rule for parts of a month, which no page has called for.
    if !(months == 12 || months == 3) || start.day() != 1 {
        return None;
    }
    let third = u32::try_from(months / 3).ok()?;
    let index = match c[1].to_lowercase().as_str() {
        "early" => 0,
        "mid" => 1,
        _ => 2,
    };
    let first = start.checked_add_months(Months::new(index * third))?;
    month_span(first.year(), first.month(), third)
}

/// "this quarter" read against `reference`: the three months, January to March, April to June,
/// July to September or October to December, that hold the reference day. Calendar and
/// financial quarters share these bounds, so which numbering the page uses does not matter.
fn this_quarter(s: &str, reference: NaiveDate) -> Option<Span> {
    if !THIS_QUARTER.is_match(s) {
        return None;
    }
    let first_month = (reference.month() - 1) / 3 * 3 + 1;
    month_span(reference.year(), first_month, 3)
}

fn quarter(s: &str) -> Option<Span> {
    let c = QUARTER.captures(s)?;
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
    match c.get(4) {
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
        None => calendar_quarter(year, q),
    }
}

fn calendar_quarter(year: i32, q: u32) -> Option<Span> {
    month_span(year, 1 + (q.checked_sub(1)?) * 3, 3)
}

fn quarter_pair(s: &str) -> Option<Span> {
    let c = QUARTER_PAIR.captures(s)?;
    let (q1, q2): (u32, u32) = (c[1].parse().ok()?, c[3].parse().ok()?);
    let y2: i32 = c[4].parse().ok()?;
    let y1 = match c.get(2) {
        Some(y) => y.as_str().parse().ok()?,
        // "Q4 and Q1 2023": the first quarter falls in the year before.
        None if q1 > q2 => y2 - 1,
        None => y2,
    };
    let (start, _) = calendar_quarter(y1, q1)?;
    let (_, end) = calendar_quarter(y2, q2)?;
    (start <= end).then_some((start, end))
}

fn year(s: &str) -> Option<Span> {
    if let Some(c) = YEAR_ONLY.captures(s) {
        let year: i32 = c[1].parse().ok()?;
        return Some((
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year, 12, 31)?,
        ));
    }
    if let Some(c) = FINANCIAL.captures(s) {
        let (first, second) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(f), Some(s), _, _) | (_, _, Some(f), Some(s)) => (f.as_str(), s.as_str()),
            _ => return None,
        };
        let first: i32 = first.parse().ok()?;
        return (expand_second_year(first, second)? == first + 1)
            .then(|| financial_year(first))
            .flatten();
    }
    let c = YEAR_PAIR.captures(s)?;
    let first: i32 = c[1].parse().ok()?;
    let second = expand_second_year(first, &c[2])?;
    if second == first + 1 {
        return financial_year(first);
    }
    if second > first {
        return Some((
            NaiveDate::from_ymd_opt(first, 1, 1)?,
            NaiveDate::from_ymd_opt(second, 12, 31)?,
        ));
    }
    None
}

/// A Scottish (and UK) public-sector financial year: 1 April to 31 March.
fn financial_year(first: i32) -> Option<Span> {
    Some((
        NaiveDate::from_ymd_opt(first, 4, 1)?,
        NaiveDate::from_ymd_opt(first + 1, 3, 31)?,
    ))
}

/// "1 September" or "June" read against `reference`: the occurrence of that month nearest the
/// reference month, from six months before it to five after.
fn yearless(s: &str, reference: NaiveDate) -> Option<Span> {
    let c = YEARLESS.captures(s)?;
    let month = month_number(c.get(2)?.as_str())?;
    let year = nearest_year(month, reference);
    day_or_month(year, month, c.get(1).map(|d| d.as_str()))
}

/// The year that puts `month` within -6..=+5 months of `reference`'s month.
fn nearest_year(month: u32, reference: NaiveDate) -> i32 {
    let gap = i64::from(month) - i64::from(reference.month());
    if gap > 5 {
        reference.year() - 1
    } else if gap < -6 {
        reference.year() + 1
    } else {
        reference.year()
    }
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
