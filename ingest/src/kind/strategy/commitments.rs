//! A strategy's commitments: the dated promises in its prose.
//!
//! A commitment is either
//! - a sentence of a paragraph that starts "By `<date>`, we will …", or has that clause after a
//!   comma ("To reach the islands first, by 2019, we will …"): the sentence, dated by its
//!   deadline; or
//! - a bullet of the list after a lead-in: a paragraph or heading ending "we will:" ("To
//!   support digital leadership we will:"), or a label "Our Commitments" (a heading, a bold or a
//!   plain paragraph, the colon optional). A bullet is dated by a date phrase inside it, else by
//!   a deadline its lead-in states ("By 2020, we will:").
//!
//! Nothing else is: prose that only mentions a date ("In July 2021, 300 people …") is not a
//! promise, and quoted text (a pull-quote, which opens with a quotation mark) is someone
//! else's words.
//!
//! Each commitment sits under its page's area: the 2018-style domain ("Steering from the
//! Shore" / "Domain A", or "Domain A: Name" in one line) or the 2021-style numbered priority
//! ("Priority one: …"). Labels are recognised by their words, whichever element carries them.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::date::{FoundDate, find_date_in, re};
use crate::kind::family::{PRIORITY, number_word, page_domain};
use crate::page::{Block, BlockKind, Page};

/// One dated promise of a strategy page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentFacts {
    /// The sentence, or the bullet, as printed.
    pub text: String,
    /// The date phrase as printed ("By July 2018"), when there is one.
    pub date_text: Option<String>,
    /// The last day the date phrase allows: the deadline.
    pub due_date: Option<NaiveDate>,
    /// The domain or priority the page is about.
    pub area: Option<AreaRef>,
    /// The nearest anchor.
    pub anchor: Option<String>,
}

/// The domain or priority the commitment sits under, as the page states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AreaRef {
    /// A 2018-style domain: "Domain A" under the domain's name.
    Domain {
        /// The letter, upper case.
        letter: char,
        /// The domain's name.
        name: String,
    },
    /// A 2021-style priority: "Priority one: …".
    Priority {
        /// Its number.
        number: Option<i32>,
        /// The page's content heading when the label is a paragraph; the words after the label
        /// when the label is the heading.
        name: String,
    },
}

/// A "By <date>, we will" clause (the comma optional) at the start of a sentence or after a
/// comma.
static BY_WE_WILL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)(?:^|,\s*)(by\s+[^,.;:]{2,60}?)\s*,?\s+we\s+will\b"));
/// A lead-in ending "we will:".
static WE_WILL_LEAD: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bwe\s+will(?:\s+also)?\s*:\s*$"));
/// The "Our Commitments" label.
static COMMITMENTS_LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:our\s+)?(?:key\s+)?commitments\s*:?\s*$"));
/// The end of a sentence: a stop (and any closing quote, bracket or footnote marker), spaces,
/// and the capital, digit or opening quote that starts the next.
static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| re(r#"[.!?]["”’')]*(?:\s*\[\d+\])?\s+["“‘(]?[A-Z0-9]"#));

/// Reads a strategy page's commitments, in page order.
pub fn parse(page: &Page) -> Vec<CommitmentFacts> {
    let area = area(page);
    let reference = page.published_on;
    let mut out = Vec::new();
    // Bullets are commitments while the list after a lead-in lasts; `lead_date` is a deadline
    // the lead-in states.
    let mut in_list = false;
    let mut lead_date: Option<FoundDate> = None;
    for block in &page.blocks {
        if matches!(block.kind, BlockKind::Item { .. }) {
            let under_label = block
                .headings
                .last()
                .is_some_and(|h| COMMITMENTS_LABEL.is_match(h));
            if in_list || under_label {
                let found = find_date_in(&block.text, reference).or_else(|| lead_date.clone());
                out.push(commitment(block.text.clone(), found, &area, block));
            }
            continue;
        }
        in_list = false;
        lead_date = None;
        if quoted(&block.text) {
            continue;
        }
        let is_lead = WE_WILL_LEAD.is_match(&block.text);
        if is_lead || COMMITMENTS_LABEL.is_match(&block.text) {
            in_list = true;
            lead_date = BY_WE_WILL
                .captures(&block.text)
                .and_then(|c| c.get(1))
                .and_then(|m| find_date_in(m.as_str(), reference));
        }
        if block.kind != BlockKind::Paragraph {
            continue;
        }
        for sentence in sentences(&block.text) {
            if quoted(sentence) || (is_lead && sentence.ends_with(':')) {
                continue;
            }
            let Some(by) = BY_WE_WILL.captures(sentence).and_then(|c| c.get(1)) else {
                continue;
            };
            let Some(found) = find_date_in(by.as_str(), reference) else {
                continue;
            };
            out.push(commitment(sentence.to_owned(), Some(found), &area, block));
        }
    }
    out
}

fn commitment(
    text: String,
    found: Option<FoundDate>,
    area: &Option<AreaRef>,
    block: &Block,
) -> CommitmentFacts {
    CommitmentFacts {
        text,
        date_text: found.as_ref().map(|f| f.date.text.clone()),
        due_date: found.and_then(|f| f.date.end),
        area: area.clone(),
        anchor: block.anchor.clone(),
    }
}

/// True for quoted words (a pull-quote) and for an attribution line under one.
fn quoted(text: &str) -> bool {
    text.starts_with(['"', '“', '‘', '\'', '–', '—'])
}

/// A paragraph's sentences, trimmed.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for m in SENTENCE_END.find_iter(text) {
        // Cut before the first character of the next sentence (and its opening quote).
        let next = text[m.start()..m.end()]
            .rfind(|c: char| c.is_whitespace())
            .map_or(m.end(), |i| m.start() + i);
        out.push(text[start..next].trim());
        start = next;
    }
    out.push(text[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// The page's area: its domain, else its numbered priority.
fn area(page: &Page) -> Option<AreaRef> {
    if let Some((letter, name)) = page_domain(page) {
        return Some(AreaRef::Domain { letter, name });
    }
    page.blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| !matches!(b.kind, BlockKind::Item { .. }))
        .find_map(|(i, block)| {
            let c = PRIORITY.captures(&block.text)?;
            let number = c.get(1).and_then(|n| number_word(n.as_str()));
            let rest = c.get(2).map_or("", |m| m.as_str()).trim();
            let name = if page.outline.head_at(i).is_some() && !rest.is_empty() {
                rest.to_owned()
            } else {
                block
                    .headings
                    .last()
                    .filter(|h| !PRIORITY.is_match(h))
                    .cloned()
                    .unwrap_or_else(|| page.title.clone())
            };
            Some(AreaRef::Priority { number, name })
        })
}

#[cfg(test)]
pub(super) mod tests {
    //! Expected values are written by hand from the fixture pages under
    //! `tests/fixtures/strategy2018/` and `tests/fixtures/strategy2021/` (invented text in
    //! gov.scot's markup).

    use super::*;

    pub(in crate::kind::strategy) const LINKING: &str =
        "harbour-digital-care-strategy-linking-islands";
    pub(in crate::kind::strategy) const HARBOUR: &str = "harbour-digital-care-strategy";

    /// Page `n` of publication `slug` in `tests/fixtures/<set>/`.
    pub(in crate::kind::strategy) fn fixture(set: &str, slug: &str, n: u32) -> Page {
        crate::page::fixture(set, slug, Some(&n.to_string()))
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn domain(letter: char, name: &str) -> Option<AreaRef> {
        Some(AreaRef::Domain {
            letter,
            name: name.to_owned(),
        })
    }

    /// (text, date as printed, due date, anchor) of each commitment.
    type Row<'a> = (&'a str, Option<&'a str>, Option<NaiveDate>, Option<&'a str>);

    fn rows(read: &[CommitmentFacts]) -> Vec<Row<'_>> {
        read.iter()
            .map(|c| {
                (
                    c.text.as_str(),
                    c.date_text.as_deref(),
                    c.due_date,
                    c.anchor.as_deref(),
                )
            })
            .collect()
    }

    #[test]
    fn a_domain_page_s_deadline_sentence_and_we_will_bullets_are_commitments() {
        let page = fixture("strategy2018", LINKING, 6);
        let read = parse(&page);
        assert_eq!(
            rows(&read),
            vec![
                (
                    "By July 2018, we will name a chief digital lead for the island boards, who will chair that group.",
                    Some("By July 2018"),
                    day(2018, 7, 31),
                    Some("steering"),
                ),
                (
                    "agree a shared set of digital principles with every island board by March 2019",
                    Some("by March 2019"),
                    day(2019, 3, 31),
                    Some("steering"),
                ),
                (
                    "publish the group's minutes online",
                    None,
                    None,
                    Some("steering")
                ),
            ]
        );
        for c in &read {
            assert_eq!(c.area, domain('A', "Steering from the Shore"));
        }
    }

    #[test]
    fn year_deadlines_and_a_deadline_after_a_comma_are_read() {
        let page = fixture("strategy2018", LINKING, 7);
        let read = parse(&page);
        assert_eq!(
            rows(&read),
            vec![
                (
                    "By 2020, we will move every island record onto servers that are patched from the mainland.",
                    Some("By 2020"),
                    day(2020, 12, 31),
                    Some("records"),
                ),
                (
                    "To reach the smallest surgeries first, by December 2019, we will give each of them a secure link to the mainland.",
                    Some("by December 2019"),
                    day(2019, 12, 31),
                    Some("records"),
                ),
                (
                    "test every island backup twice a year",
                    None,
                    None,
                    Some("records")
                ),
                (
                    "train one data guardian for each practice during 2019",
                    Some("2019"),
                    day(2019, 12, 31),
                    Some("records"),
                ),
            ]
        );
        for c in &read {
            assert_eq!(c.area, domain('B', "Keeping Records Safe"));
        }
    }

    #[test]
    fn quotes_attributions_and_dated_prose_are_not_commitments() {
        for n in [6, 7, 9] {
            let read = parse(&fixture("strategy2018", LINKING, n));
            for c in &read {
                assert!(!c.text.contains("By 2019, we will see"), "{c:?}");
                assert!(!c.text.contains("Chair of the Harbour"), "{c:?}");
                assert!(!c.text.starts_with("In May 2017"), "{c:?}");
                assert!(!c.text.contains("passwords in 2016"), "{c:?}");
                assert!(!c.text.contains("doubled in 2017"), "{c:?}");
                assert!(!c.text.contains("Larger practices will follow"), "{c:?}");
            }
        }
        assert!(parse(&fixture("strategy2018", LINKING, 9)).is_empty());
        // A priority page with a date in its prose and no promise.
        assert!(parse(&fixture("strategy2021", HARBOUR, 4)).is_empty());
        assert!(parse(&fixture("strategy2021", HARBOUR, 7)).is_empty());
    }

    #[test]
    fn bullets_under_our_commitments_sit_under_the_page_s_priority() {
        let page = fixture("strategy2021", HARBOUR, 8);
        let read = parse(&page);
        assert_eq!(
            rows(&read),
            vec![
                (
                    "offer a digital skills course to every new starter by March 2023",
                    Some("by March 2023"),
                    day(2023, 3, 31),
                    Some("skilled-crews"),
                ),
                (
                    "set up a network of digital champions across the island practices",
                    None,
                    None,
                    Some("skilled-crews"),
                ),
            ]
        );
        let skilled = Some(AreaRef::Priority {
            number: Some(5),
            name: "Skilled Crews".to_owned(),
        });
        for c in &read {
            assert_eq!(c.area, skilled);
        }
    }

    #[test]
    fn a_priority_is_named_by_its_heading_or_the_words_after_its_label() {
        assert_eq!(
            area(&fixture("strategy2021", HARBOUR, 4)),
            Some(AreaRef::Priority {
                number: Some(1),
                name: "Reaching a clinician without a ferry crossing".to_owned(),
            })
        );
        assert_eq!(
            area(&fixture("strategy2021", HARBOUR, 7)),
            Some(AreaRef::Priority {
                number: Some(4),
                name: "Growing Skills".to_owned(),
            })
        );
        assert_eq!(area(&fixture("strategy2021", HARBOUR, 3)), None);
    }

    #[test]
    fn a_domain_is_read_from_its_label_in_a_paragraph_a_heading_or_one_line() {
        let domain_of = |n| page_domain(&fixture("strategy2018", LINKING, n));
        assert_eq!(
            domain_of(6),
            Some(('A', "Steering from the Shore".to_owned()))
        );
        assert_eq!(domain_of(7), Some(('B', "Keeping Records Safe".to_owned())));
        assert_eq!(
            domain_of(9),
            Some(('D', "Crews at Ease with Technology".to_owned()))
        );
        for n in [3, 4, 7, 8] {
            assert_eq!(page_domain(&fixture("strategy2021", HARBOUR, n)), None);
        }
    }

    #[test]
    fn a_deadline_clause_needs_a_date_and_we_will() {
        let clause = |text: &str| {
            BY_WE_WILL
                .captures(text)
                .and_then(|c| c.get(1))
                .and_then(|m| find_date_in(m.as_str(), None))
                .map(|f| (f.date.text, f.date.end))
        };
        assert_eq!(
            clause("By end 2023 we will close the old system."),
            Some(("By end 2023".to_owned(), day(2023, 12, 31)))
        );
        assert_eq!(
            clause("Once funded, by September 2020, we will begin."),
            Some(("by September 2020".to_owned(), day(2020, 9, 30)))
        );
        assert_eq!(clause("By then, we will know more."), None);
        assert_eq!(clause("By 2020, islanders will have video calls."), None);
        assert_eq!(clause("Staff trained by 2019 say we will need more."), None);
    }

    #[test]
    fn sentences_split_at_stops_before_a_capital() {
        assert_eq!(
            sentences("One ends here. Two follows, e.g. this. “Three” is quoted.[4] Five"),
            vec![
                "One ends here.",
                "Two follows, e.g. this.",
                "“Three” is quoted.[4]",
                "Five"
            ]
        );
    }
}
