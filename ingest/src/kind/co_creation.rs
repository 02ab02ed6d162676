//! Co-creation pages: the page of a commitment's publication that tells how the commitment was
//! co-created with civil society (workshops, working-group meetings, feedback rounds).
//!
//! The page is recognised by what it is about, not by its layout, which is plain prose (some
//! copies lose the page heading): it belongs to a commitment's publication ("... - commitment
//! N: ..." in the publication title, see [`commitment_of`]) and its address's last segment, its
//! title or one of its headings speaks of co-creation ("co-creation", "co-creating",
//! "co-created").
//!
//! It becomes a document of kind `CO_CREATION` linked to its commitment. Its dated events, its
//! passages' sentences that name a day, a month or a season (see [`events`]), are read when
//! the page is parsed and become the page's timeline events (`CO_CREATION_EVENT`), written
//! and removed with its other rows.

use chrono::NaiveDate;
use entity::{EventKind, SubjectType, event};

use super::action_plan::commitment_of;
use crate::date::{FoundDate, FuzzyDate, find_date_in, first_and_last};
use crate::error::IngestError;
use crate::ids;
use crate::page::Page;
use crate::store::Rows;

/// What a co-creation page says: which commitment it is about, and its dated events.
#[derive(Clone, Debug)]
pub struct CoCreationFacts {
    /// The action plan, e.g. "Open Government action plan 2021 to 2025".
    pub action_plan: String,
    /// The commitment's number in its plan.
    pub number: i32,
    /// The dated events of its passages, in page order.
    pub events: Vec<CoCreationEvent>,
}

/// One dated event of a co-creation page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoCreationEvent {
    /// The sentence that tells of it.
    pub sentence: String,
    /// Its date, as printed and read.
    pub date: FuzzyDate,
}

fn speaks_of_co_creation(text: &str) -> bool {
    let t = text.to_lowercase();
    t.contains("co-creat") || t.contains("cocreat") || t.contains("co creat")
}

/// True for a page of a commitment's publication about the commitment's co-creation.
pub fn looks_like(page: &Page) -> bool {
    if commitment_of(page).is_none() {
        return false;
    }
    let slug = page
        .url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    speaks_of_co_creation(slug)
        || speaks_of_co_creation(&page.title)
        || page
            .outline
            .labelled()
            .any(|(_, _, l)| l.heads() && speaks_of_co_creation(&l.text))
}

/// Reads which commitment a co-creation page is about, with a warning for each date phrase it
/// could not read (see [`warnings`]).
///
/// # Errors
/// A page without a commitment number is [`IngestError::Missing`].
pub fn parse(page: &Page) -> Result<(CoCreationFacts, Vec<String>), IngestError> {
    let (action_plan, number) = commitment_of(page).ok_or_else(|| IngestError::Missing {
        url: page.url.clone(),
        what: "commitment number (\"commitment N\" in the publication title or a heading)"
            .to_owned(),
    })?;
    // The passages' text, as the page's passages store it.
    let events = page
        .blocks
        .iter()
        .filter(|b| !b.is_heading())
        .flat_map(|b| events(&b.text, page.published_on))
        .collect();
    Ok((
        CoCreationFacts {
            action_plan,
            number,
            events,
        },
        warnings(page),
    ))
}

impl CoCreationFacts {
    /// The ID of the commitment the page is about, which need not be stored (yet).
    pub fn commitment_id(&self) -> i64 {
        ids::commitment(&self.action_plan, self.number)
    }

    /// Pushes the page's timeline events, about document `document_id`; answers the
    /// commitment's ID.
    pub fn rows(&self, document_id: i64, rows: &mut Rows) -> i64 {
        let commitment_id = self.commitment_id();
        for e in &self.events {
            let Some((date, end_date)) = first_and_last(e.date.start, e.date.end) else {
                continue;
            };
            let subject = (SubjectType::Document, document_id);
            let id = ids::event(EventKind::CoCreationEvent, subject, date, &e.sentence);
            rows.events.insert(
                id,
                event::Model {
                    id,
                    kind: EventKind::CoCreationEvent,
                    date,
                    end_date,
                    title: e.sentence.clone(),
                    subject_type: subject.0,
                    subject_id: document_id,
                    status: None,
                    commitment_id: Some(commitment_id),
                    strategy_id: None,
                },
            );
        }
        commitment_id
    }
}

/// The longest span an event's date may have: a season (three months) and a little. A year
/// ("in 2021") or a range of years names no event, only a time.
const EVENT_SPAN_DAYS: i64 = 93;

/// The dated events in a passage of a co-creation page: each date phrase of each sentence that
/// names a day, a month, a season or a short range of them ("a workshop on 22 June 2021", "met
/// in July 2021"), with a year or read against `reference` (the page's publication date) when it
/// has none. A sentence listing several dates ("sessions on 10 August 2021 and 2 September
/// 2021") gives one event per date, each titled by the sentence. A date with only a year, or
/// one that cannot be read, is no event.
pub fn events(text: &str, reference: Option<NaiveDate>) -> Vec<CoCreationEvent> {
    let mut events = Vec::new();
    for sentence in sentences(text) {
        for found in every_date(sentence, reference) {
            let Some(start) = found.date.start.or(found.date.end) else {
                continue;
            };
            let end = found.date.end.unwrap_or(start);
            if (end - start).num_days() <= EVENT_SPAN_DAYS {
                events.push(CoCreationEvent {
                    sentence: sentence.to_owned(),
                    date: found.date,
                });
            }
        }
    }
    events
}

/// The date phrases of a page that look like dates but could not be read, with the sentence
/// each stands in: kept out of the timeline, and reported.
pub fn warnings(page: &Page) -> Vec<String> {
    let mut warnings = Vec::new();
    for block in page.blocks.iter().filter(|b| !b.is_heading()) {
        for sentence in sentences(&block.text) {
            for found in every_date(sentence, page.published_on) {
                if found.date.is_undated() {
                    warnings.push(format!(
                        "{}: unrecognised date phrase {:?} in {sentence:?}; not on the timeline",
                        page.url, found.date.text
                    ));
                }
            }
        }
    }
    warnings
}

/// Every date phrase of a text, in text order: the one [`find_date_in`] picks, then those before
/// and after it (their ranges count from the piece of text each was found in).
fn every_date(text: &str, reference: Option<NaiveDate>) -> Vec<FoundDate> {
    let Some(found) = find_date_in(text, reference) else {
        return Vec::new();
    };
    let before = text.get(..found.range.start).unwrap_or_default();
    let after = text.get(found.range.end..).unwrap_or_default();
    let mut all = every_date(before, reference);
    let later = every_date(after, reference);
    all.push(found);
    all.extend(later);
    all
}

/// The sentences of a text: split after ".", "!" or "?" followed by a space and a capital
/// letter or digit, so that "e.g. the" and "2.5 days" stay whole.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut cuts = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for w in chars.windows(3) {
        if let [(_, end), (_, space), (next_at, next)] = w
            && matches!(end, '.' | '!' | '?')
            && space.is_whitespace()
            && (next.is_uppercase() || next.is_ascii_digit())
        {
            cuts.push(*next_at);
        }
    }
    let mut from = 0;
    cuts.into_iter()
        .chain(std::iter::once(text.len()))
        .map(move |to| {
            let s = text[from..to].trim();
            from = to;
            s
        })
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use entity::DocumentKind;

    use super::*;
    use crate::kind::classify;
    use crate::page::fixture;

    #[test]
    fn a_co_creation_page_is_told_from_its_commitment_s_other_pages() {
        let c8 = "open-government-action-plan-2021-to-2025-commitment-8-coastal-communities";
        let c6 = "open-government-action-plan-2021-to-2025-commitment-6-shared-care-records";
        let co = fixture("overviews", c8, Some("co-creation"));
        assert_eq!(classify(&co), DocumentKind::CoCreation);
        let (facts, warnings) = parse(&co).expect("parses");
        assert_eq!(
            (facts.action_plan.as_str(), facts.number),
            ("Open Government action plan 2021 to 2025", 8)
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            classify(&fixture("overviews", c8, None)),
            DocumentKind::CommitmentOverview
        );
        assert_eq!(
            classify(&fixture("reports", c6, Some("progress-to-august-2022"))),
            DocumentKind::ProgressReport
        );
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn each_dated_sentence_is_an_event_and_a_bare_year_is_not() {
        let got = events(
            "Work began under the 2019 plan. A first workshop met on 4 March 2022. \
             The group then met twice in May.",
            day(2022, 6, 1),
        );
        let got: Vec<_> = got
            .iter()
            .map(|e| (e.sentence.as_str(), e.date.start, e.date.end))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "A first workshop met on 4 March 2022.",
                    day(2022, 3, 4),
                    day(2022, 3, 4)
                ),
                (
                    "The group then met twice in May.",
                    day(2022, 5, 1),
                    day(2022, 5, 31)
                ),
            ]
        );
    }

    #[test]
    fn a_sentence_listing_dates_gives_an_event_for_each() {
        let got: Vec<_> = events(
            "Sessions ran on 3 August 2021, 17 August 2021 and 1 September 2021.",
            None,
        )
        .into_iter()
        .map(|e| e.date.start)
        .collect();
        assert_eq!(
            got,
            vec![day(2021, 8, 3), day(2021, 8, 17), day(2021, 9, 1)]
        );
    }

    #[test]
    fn a_year_less_date_without_a_reference_is_no_event() {
        assert!(events("The group met in May.", None).is_empty());
    }
}
