//! Delivery-plan workstreams: what each plan year says it will deliver, why, who leads it, when
//! it is due and how it is going.
//!
//! The plans print the same four labels ("What we will deliver", "Why we are doing this", "Who
//! is leading this work", "When it will be delivered" with "by" or "and progress" or neither)
//! in four layouts, and a label is recognised by its words whatever element carries it
//! (heading, bold paragraph, plain paragraph, table cell), with or without a colon, in any case:
//! - 2022-23: labels as headings, each value one paragraph; the "When" value may be missing, the
//!   next "What" following at once;
//! - 2023-24: labels as headings, values as bullets;
//! - 2024-25: one table whose header row holds the labels, one row per workstream; a cell's
//!   lines (`<br>`, paragraphs, bullets) are its values;
//! - 2025-26: "Label:" paragraphs, with unlabelled progress paragraphs between "Why" and "Who".
//!
//! Rules a reader may need to know:
//! - a workstream starts at a "What" label, or at any label that does not follow the labels
//!   already seen in the order What, Why, Who, When (so a block missing its "What" is read, and
//!   warned about, rather than merged into the one before); a heading that is no label ends it;
//! - rationale and progress: when the "Why" label is printed with a colon (the 2025-26 layout),
//!   the rationale is its first paragraph and the bullets of one list right after it (or that
//!   list alone when the value opens with bullets); every later paragraph or bullet before the
//!   next label is progress narrative. Without a colon every "Why" value is rationale;
//! - the "When" value: a line that is a status and nothing else is the status (the first one;
//!   a later one is progress); status words after a date on one line ("December 2024 On Track")
//!   or a status sentence after a sentence are split off; the first line that is a date phrase
//!   is the due text and its last day the due date; every other line is progress, and with no
//!   date line those lines, joined with a space, are the due text too;
//! - leads: one per line, bullet or paragraph, split on "/", on " with " before a capital, and
//!   on commas between parts that each read as a body's name;
//!   names run together on one line ("... Division ABC") cannot be split without knowing the
//!   names, so they are kept as one lead here; the store splits them once the corpus's names
//!   are known (`store::leads`), and warns about those it cannot.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::NaiveDate;
use entity::DeliveryStatus;
use regex::Regex;

use super::{PRIORITY, number_word};
use crate::date::{FuzzyDate, re};
use crate::kind::progress_report::status;
use crate::page::{Block, BlockKind, Page};

/// One workstream of a delivery plan page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkstreamFacts {
    /// The "What we will deliver" value (a lead-in and its bullets joined with a space).
    pub deliverable: String,
    /// "Why we are doing this": one entry per paragraph or bullet.
    pub rationale: Vec<String>,
    /// "Who is leading this work": one entry per body as printed.
    pub leads: Vec<String>,
    /// The "When" value as printed, without its status words; `None` when empty.
    pub due_text: Option<String>,
    /// The last day of the due period, when the due text is a date phrase.
    pub due_date: Option<NaiveDate>,
    /// The status, normalised.
    pub status: Option<DeliveryStatus>,
    /// The status as printed ("On Track").
    pub status_text: Option<String>,
    /// Progress sentences, paragraphs or bullets, in page order.
    pub progress: Vec<String>,
    /// The anchor of the deliverable's block.
    pub anchor: Option<String>,
}

/// The priority area a plan page is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagePriority {
    /// Its number, where a "Priority Four:" label gives one.
    pub number: Option<i32>,
    /// Its name: the page heading without a "Priority N:" prefix.
    pub name: String,
    /// Its statement: the words after a "Priority N:" paragraph, or the first paragraph.
    pub statement: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Label {
    What,
    Why,
    Who,
    When,
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(what we will deliver|why we are doing this|who is leading this work|when it will be delivered(?:\s+and\s+progress|\s+by)?)\b\s*(:)?\s*(.*)$",
    )
});
static YEARS: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b((?:19|20)\d{2})\s*(?:[-–—/]|\s+to\s+)\s*(\d{4}|\d{2})\b"));

/// A label block: which label, whether a colon follows it, and any value after it.
struct Labelled {
    label: Label,
    colon: bool,
    rest: Option<String>,
}

fn label_of(block: &Block) -> Option<Labelled> {
    let c = LABEL.captures(block.text.trim())?;
    let words = c.get(1)?.as_str().to_lowercase();
    let label = match words.split_whitespace().next()? {
        "what" => Label::What,
        "why" => Label::Why,
        "who" => Label::Who,
        _ => Label::When,
    };
    let colon = c.get(2).is_some();
    let rest = c
        .get(3)
        .map(|m| m.as_str().trim().to_owned())
        .filter(|r| !r.is_empty());
    if rest.is_some() {
        // Words after the label are its value only when a colon or a bold label sets them
        // apart; otherwise the sentence merely starts with the same words.
        let bold = block.lead.as_deref().is_some_and(|lead| {
            lead.trim().trim_end_matches(':').trim().to_lowercase() == fold(&words)
        });
        if !colon && !bold {
            return None;
        }
    }
    Some(Labelled { label, colon, rest })
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One value line of a workstream field.
#[derive(Clone)]
struct Value {
    text: String,
    kind: BlockKind,
    anchor: Option<String>,
}

impl Value {
    fn of(block: &Block) -> Self {
        Self {
            text: block.text.trim().to_owned(),
            kind: block.kind.clone(),
            anchor: block.anchor.clone(),
        }
    }
}

#[derive(Default)]
struct Builder {
    what: Vec<Value>,
    why: Vec<Value>,
    who: Vec<Value>,
    when: Vec<Value>,
    last: Option<Label>,
    /// The "Why" label had a colon: its later paragraphs are progress.
    why_colon: bool,
    /// The "What" label's own anchor, for a deliverable value without one.
    label_anchor: Option<String>,
}

impl Builder {
    fn field(&mut self, label: Label) -> &mut Vec<Value> {
        match label {
            Label::What => &mut self.what,
            Label::Why => &mut self.why,
            Label::Who => &mut self.who,
            Label::When => &mut self.when,
        }
    }
}

/// Workstreams on a page, in page order, and warnings naming what could not be read (a block
/// missing its deliverable).
pub fn parse(page: &Page) -> (Vec<WorkstreamFacts>, Vec<String>) {
    let tables = workstream_tables(page);
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let mut done: HashSet<usize> = HashSet::new();
    let mut run: Vec<&Block> = Vec::new();
    for block in &page.blocks {
        match block.cell.map(|c| c.table) {
            Some(t) if tables.contains_key(&t) => {
                if done.insert(t) {
                    linear(&run, &mut out, &mut warnings);
                    run.clear();
                    let header = tables.get(&t).copied().unwrap_or_default();
                    table(page, t, header, &mut out, &mut warnings);
                }
            }
            _ => run.push(block),
        }
    }
    linear(&run, &mut out, &mut warnings);
    (out, warnings)
}

/// Workstream tables, each with its header row: the first row holding a "What" label and
/// another label (a title row above it is passed over).
fn workstream_tables(page: &Page) -> HashMap<usize, usize> {
    let mut labels: Vec<(usize, usize, Label)> = Vec::new();
    for block in &page.blocks {
        if let Some(cell) = block.cell
            && let Some(l) = label_of(block)
        {
            labels.push((cell.table, cell.row, l.label));
        }
    }
    let mut out: HashMap<usize, usize> = HashMap::new();
    for (t, r, l) in &labels {
        let header = *l == Label::What
            && labels
                .iter()
                .any(|(u, s, m)| u == t && s == r && *m != Label::What);
        if header {
            let row = out.entry(*t).or_insert(*r);
            *row = (*row).min(*r);
        }
    }
    out
}

/// Reads labels and values in page order.
fn linear(blocks: &[&Block], out: &mut Vec<WorkstreamFacts>, warnings: &mut Vec<String>) {
    let mut current: Option<Builder> = None;
    let mut field: Option<Label> = None;
    for block in blocks {
        if let Some(l) = label_of(block) {
            let fresh = l.label == Label::What
                || current
                    .as_ref()
                    .is_none_or(|c| c.last.is_some_and(|last| last >= l.label));
            if fresh {
                finish(current.take(), out, warnings);
            }
            let c = current.get_or_insert_with(Builder::default);
            c.last = Some(l.label);
            match l.label {
                Label::What => c.label_anchor.clone_from(&block.anchor),
                Label::Why => c.why_colon = l.colon,
                _ => {}
            }
            if let Some(rest) = l.rest {
                c.field(l.label).push(Value {
                    text: rest,
                    kind: BlockKind::Paragraph,
                    anchor: block.anchor.clone(),
                });
            }
            field = Some(l.label);
        } else if block.is_heading() {
            finish(current.take(), out, warnings);
            field = None;
        } else if let (Some(c), Some(f)) = (current.as_mut(), field) {
            c.field(f).push(Value::of(block));
        }
    }
    finish(current, out, warnings);
}

/// Reads a workstream table: the header row's labels name the columns, each later row is a
/// workstream (rows above the header are not).
fn table(
    page: &Page,
    t: usize,
    header: usize,
    out: &mut Vec<WorkstreamFacts>,
    warnings: &mut Vec<String>,
) {
    let in_table = || {
        page.blocks
            .iter()
            .filter(move |b| b.cell.is_some_and(|c| c.table == t))
    };
    let mut columns: Vec<(usize, Label)> = Vec::new();
    for block in in_table() {
        if let Some(cell) = block.cell.filter(|c| c.row == header)
            && let Some(l) = label_of(block)
            && !columns.iter().any(|(c, _)| *c == cell.column)
        {
            columns.push((cell.column, l.label));
        }
    }
    let mut rows: Vec<usize> = in_table()
        .filter_map(|b| b.cell.map(|c| c.row))
        .filter(|r| *r > header)
        .collect();
    rows.dedup();
    for row in rows {
        let mut builder = Builder::default();
        let mut any = false;
        for block in in_table().filter(|b| b.cell.is_some_and(|c| c.row == row)) {
            if label_of(block).is_some() {
                // A repeated header row.
                any = false;
                break;
            }
            let column = block.cell.map(|c| c.column);
            if let Some((_, label)) = columns.iter().find(|(c, _)| Some(*c) == column) {
                builder.field(*label).push(Value::of(block));
                any = true;
            }
        }
        if any {
            finish(Some(builder), out, warnings);
        }
    }
}

fn finish(builder: Option<Builder>, out: &mut Vec<WorkstreamFacts>, warnings: &mut Vec<String>) {
    let Some(b) = builder else {
        return;
    };
    let deliverable = b
        .what
        .iter()
        .map(|v| v.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if deliverable.is_empty() {
        let what = b
            .why
            .iter()
            .chain(&b.who)
            .chain(&b.when)
            .map(|v| v.text.as_str())
            .next()
            .map_or_else(
                || "a block with no values".to_owned(),
                |t| format!("the block starting {t:?}"),
            );
        warnings.push(format!(
            "workstream with no deliverable (\"What we will deliver\") skipped: {what}"
        ));
        return;
    }
    let anchor = b
        .what
        .iter()
        .find_map(|v| v.anchor.clone())
        .or(b.label_anchor);
    let (rationale, mut progress) = if b.why_colon {
        split_why(&b.why)
    } else {
        (b.why.iter().map(|v| v.text.clone()).collect(), Vec::new())
    };
    let mut leads = Vec::new();
    for v in &b.who {
        leads.extend(split_leads(&v.text));
    }
    let when = read_when(&b.when);
    progress.extend(when.progress);
    out.push(WorkstreamFacts {
        deliverable,
        rationale,
        leads,
        due_text: when.due_text,
        due_date: when.due_date,
        status: when.status,
        status_text: when.status_text,
        progress,
        anchor,
    });
}

/// Rationale (the first paragraph and the bullets of one list right after it, or that list
/// alone) and progress (the rest) of a 2025-26 "Why" value.
fn split_why(values: &[Value]) -> (Vec<String>, Vec<String>) {
    let mut taken = 0;
    if values
        .first()
        .is_some_and(|v| v.kind == BlockKind::Paragraph)
    {
        taken = 1;
    }
    if let Some(BlockKind::Item { list }) = values.get(taken).map(|v| &v.kind) {
        let list = *list;
        taken += values[taken..]
            .iter()
            .take_while(|v| v.kind == (BlockKind::Item { list }))
            .count();
    }
    let texts = |vs: &[Value]| vs.iter().map(|v| v.text.clone()).collect::<Vec<_>>();
    (texts(&values[..taken]), texts(&values[taken..]))
}

/// The bodies a lead line names: split on "/" and on " with " before a capital.
fn split_leads(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in text.split('/') {
        let mut pieces: Vec<String> = Vec::new();
        for piece in part.split(" with ") {
            let starts_name = piece
                .trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            match pieces.last_mut() {
                Some(last) if !starts_name => {
                    last.push_str(" with ");
                    last.push_str(piece);
                }
                _ => pieces.push(piece.to_owned()),
            }
        }
        for piece in pieces {
            // "Island Learning Council, Harbour Records Service": bodies listed with commas,
            // when every part reads as a body's name (a comma inside one name, as in
            // "Directorate for Rivers, Lochs and Canals", leaves a part that does not).
            let parts: Vec<&str> = piece.split(',').map(str::trim).collect();
            if parts.len() > 1 && parts.iter().all(|p| is_body_name(p)) {
                out.extend(parts.into_iter().map(str::to_owned));
            } else {
                out.push(piece.trim().to_owned());
            }
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

/// Words that end or make a body's name: what a part of a comma-separated lead line must hold
/// to be a body of its own.
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

/// True for a part of a lead line that reads as a body's name: capitalised, short, and an
/// acronym or holding one of [`BODY_WORDS`].
fn is_body_name(part: &str) -> bool {
    let words: Vec<&str> = part.split_whitespace().collect();
    part.starts_with(char::is_uppercase)
        && words.len() <= 10
        && (crate::link::is_acronym(part)
            || words
                .iter()
                .any(|w| BODY_WORDS.contains(&w.to_lowercase().as_str())))
}

#[derive(Default)]
struct When {
    due_text: Option<String>,
    due_date: Option<NaiveDate>,
    status: Option<DeliveryStatus>,
    status_text: Option<String>,
    progress: Vec<String>,
}

/// The date phrase a line is, when it is one and nothing else.
fn as_date(text: &str) -> Option<FuzzyDate> {
    FuzzyDate::parse(text).ok().filter(|d| !d.is_undated())
}

/// Status words after a date on one line ("December 2024 On Track"): the date and the status.
fn date_then_status(text: &str) -> Option<(String, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    (1..=3.min(words.len().saturating_sub(1))).find_map(|k| {
        let (head, tail) = words.split_at(words.len() - k);
        let (head, tail) = (head.join(" "), tail.join(" "));
        (status::is_bare(&tail) && as_date(&head).is_some()).then_some((head, tail))
    })
}

fn read_when(values: &[Value]) -> When {
    let mut when = When::default();
    let mut date: Option<FuzzyDate> = None;
    let mut others: Vec<String> = Vec::new();
    for v in values {
        let mut line = v.text.clone();
        let mut printed_status: Option<String> = None;
        if status::is_bare(&line) {
            printed_status = Some(line.clone());
            line.clear();
        } else if let Some((head, tail)) = date_then_status(&line) {
            printed_status = Some(tail);
            line = head;
        } else if let Some((head, tail)) = status::split_trailing(&line) {
            printed_status = Some(tail.to_owned());
            line = head.to_owned();
        }
        if let Some(s) = printed_status {
            if when.status.is_none() {
                when.status = status::normalise(&s);
                when.status_text = Some(s);
            } else {
                when.progress.push(s);
            }
        }
        if line.is_empty() {
            continue;
        }
        match as_date(&line) {
            Some(d) if date.is_none() => date = Some(d),
            _ => others.push(line),
        }
    }
    match date {
        Some(d) => {
            when.due_date = d.end;
            when.due_text = Some(d.text);
        }
        None if !others.is_empty() => when.due_text = Some(others.join(" ")),
        None => {}
    }
    when.progress.extend(others);
    when
}

/// A "YYYY-YY" plan year in a text: "2022 to 2023", "2023-24", "2025-2026".
fn year_pair(text: &str) -> Option<String> {
    YEARS.captures_iter(text).find_map(|c| {
        let first: i32 = c.get(1)?.as_str().parse().ok()?;
        let second = c.get(2)?.as_str();
        let next: i32 = second.parse().ok()?;
        let follows = if second.len() == 4 {
            next == first + 1
        } else {
            next == (first + 1) % 100
        };
        follows.then(|| format!("{first}-{:02}", (first + 1) % 100))
    })
}

/// The plan year, normalised "YYYY-YY", from the publication title, else the publication's
/// address, else the page title.
pub fn plan_period(page: &Page) -> Option<String> {
    let slug = page
        .publication_url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    year_pair(&page.publication_title)
        .or_else(|| year_pair(slug))
        .or_else(|| year_pair(&page.title))
}

/// The priority area a plan page is about, from its content heading (not the publication
/// title): a "Priority Four:" prefix gives the number and is dropped from the name; a paragraph
/// "Priority Six: statement" right after the heading gives the number and the statement;
/// otherwise the first paragraph after the heading is the statement.
pub fn page_priority(page: &Page) -> Option<PagePriority> {
    let title = fold(&page.publication_title).to_lowercase();
    let at = (0..page.blocks.len()).find(|&i| {
        page.outline.head_at(i).is_some()
            && label_of(&page.blocks[i]).is_none()
            && fold(&page.blocks[i].text).to_lowercase() != title
    })?;
    // The label's words, without the colon a bold line may end in.
    let heading = &Block {
        text: page.text_at(at).to_owned(),
        ..page.blocks.get(at)?.clone()
    };
    let (mut number, name) = match PRIORITY.captures(&heading.text) {
        Some(c) => {
            let n = c.get(1).and_then(|n| number_word(n.as_str()));
            let rest = c.get(2).map_or("", |m| m.as_str()).trim();
            let name = if rest.is_empty() {
                heading.text.clone()
            } else {
                rest.to_owned()
            };
            (n, name)
        }
        None => (None, heading.text.clone()),
    };
    let statement_block = |i: usize| {
        page.blocks
            .get(i)
            .filter(|b| b.kind == BlockKind::Paragraph && label_of(b).is_none())
    };
    let mut statement = None;
    if let Some(first) = statement_block(at + 1) {
        match PRIORITY.captures(&first.text) {
            Some(c) => {
                number = number.or_else(|| c.get(1).and_then(|n| number_word(n.as_str())));
                let rest = c.get(2).map_or("", |m| m.as_str()).trim();
                statement = if rest.is_empty() {
                    statement_block(at + 2).map(|b| b.text.clone())
                } else {
                    Some(rest.to_owned())
                };
            }
            None => statement = Some(first.text.clone()),
        }
    }
    Some(PagePriority {
        number,
        name,
        statement,
    })
}

#[cfg(test)]
mod tests {
    //! Every expected value is copied by hand from the invented fixture pages in
    //! `tests/fixtures/plans/`.

    use entity::DeliveryStatus::*;

    use super::*;

    const Y22: &str = "harbour-care-online-delivery-plan";
    const Y23: &str = "harbour-care-online-delivery-plan-2023-24";
    const Y24: &str = "harbour-care-online-delivery-plan-2024-25";
    const Y25: &str = "harbour-care-online-delivery-plan-2025-2026";

    fn fixture(slug: &str, n: &str) -> Page {
        crate::page::fixture("plans", slug, Some(n))
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn plan_years_come_from_titles_and_slugs() {
        assert_eq!(
            year_pair("Care in the Digital Age: delivery plan 2022 to 2023").as_deref(),
            Some("2022-23")
        );
        assert_eq!(
            year_pair("Delivery Plan 2023-24").as_deref(),
            Some("2023-24")
        );
        assert_eq!(
            year_pair("care-digital-age-delivery-plan-2025-2026").as_deref(),
            Some("2025-26")
        );
        assert_eq!(year_pair("Plan 2099–00").as_deref(), Some("2099-00"));
        assert_eq!(year_pair("care-digital-age-delivery-plan"), None);
        assert_eq!(year_pair("Open Government action plan 2021-25"), None);
        assert_eq!(year_pair("Strategy 2021 to 2025"), None);

        // The 2022-23 slug has no year: the title gives it; a title without one yields to the
        // slug, then to the page title.
        let mut page = fixture(Y22, "8");
        assert_eq!(plan_period(&page).as_deref(), Some("2022-23"));
        page.publication_title = "Harbour Care Online: delivery plan".to_owned();
        assert_eq!(plan_period(&page), None);
        page.title = "Delivery Plan 2022/23".to_owned();
        assert_eq!(plan_period(&page).as_deref(), Some("2022-23"));
        let mut page = fixture(Y25, "4");
        assert_eq!(plan_period(&page).as_deref(), Some("2025-26"));
        page.publication_title = "Harbour Care Online".to_owned();
        assert_eq!(plan_period(&page).as_deref(), Some("2025-26"));
        assert_eq!(plan_period(&fixture(Y23, "6")).as_deref(), Some("2023-24"));
        assert_eq!(plan_period(&fixture(Y24, "5")).as_deref(), Some("2024-25"));
    }

    #[test]
    fn page_priorities_read_prefixed_paragraphs_and_plain_statements() {
        let priority = |slug, n| page_priority(&fixture(slug, n)).expect("a priority");
        assert_eq!(
            priority(Y22, "8"),
            PagePriority {
                number: Some(2),
                name: "Island Data and Insight".to_owned(),
                statement: Some(
                    "Island services share and use their data to plan care around the ferry timetable."
                        .to_owned()
                ),
            }
        );
        assert_eq!(
            priority(Y23, "6"),
            PagePriority {
                number: Some(6),
                name: "Island Digital Skills".to_owned(),
                statement: Some(
                    "Staff feel sure of the digital tools their daily work relies on.".to_owned()
                ),
            }
        );
        assert_eq!(
            priority(Y24, "5"),
            PagePriority {
                number: None,
                name: "Island Digital Skills".to_owned(),
                statement: Some(
                    "Staff across the islands have the skills and the confidence to work digitally."
                        .to_owned()
                ),
            }
        );
        assert_eq!(
            priority(Y25, "4"),
            PagePriority {
                number: None,
                name: "Island Digital Skills".to_owned(),
                statement: Some(
                    "Every island team has the digital skills it needs now and will need next."
                        .to_owned()
                ),
            }
        );
        // A "Priority Two:" prefix on the heading itself is dropped from the name.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/plans/www.gov.scot/publications")
            .join(Y24)
            .join("pages/5/index.html");
        let html = std::fs::read_to_string(path)
            .expect("read the fixture")
            .replace(
                "<h2>Island Digital Skills</h2>",
                "<h2>Priority two: Island Digital Skills</h2>",
            );
        let page = crate::page::parse_page("fallback", html.as_bytes()).expect("parses");
        let p = page_priority(&page).expect("a priority");
        assert_eq!(
            (p.number, p.name.as_str()),
            (Some(2), "Island Digital Skills")
        );
    }

    #[test]
    fn workstream_2022_23_heading_blocks_with_an_empty_when() {
        let (ws, warnings) = parse(&fixture(Y22, "8"));
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(ws.len(), 3);
        assert_eq!(
            ws[0],
            WorkstreamFacts {
                deliverable: "A shared dashboard showing clinic waiting times beside ferry crossings for every island board.".to_owned(),
                rationale: strings(&["Planners cannot yet see how a cancelled crossing changes when patients are seen."]),
                // Slash-joined bodies.
                leads: strings(&["Island Health Intelligence", "Harbour Records Service"]),
                due_text: Some("By March 2023".to_owned()),
                due_date: day(2023, 3, 31),
                status: None,
                status_text: None,
                progress: Vec::new(),
                anchor: Some("ws-dashboards".to_owned()),
            }
        );
        // " with " joins two bodies; the "When" value is empty.
        assert_eq!(
            ws[1],
            WorkstreamFacts {
                deliverable:
                    "One data dictionary for community pharmacy records across the islands."
                        .to_owned(),
                rationale: strings(&[
                    "Each pharmacy names the same medicine differently, so records cannot be compared."
                ]),
                leads: strings(&["Harbour Digital Office (HDO)", "Island Pharmacy Network"]),
                due_text: None,
                due_date: None,
                status: None,
                status_text: None,
                progress: Vec::new(),
                anchor: Some("ws-dictionary".to_owned()),
            }
        );
        assert_eq!(
            ws[2].deliverable,
            "Plain-language guidance on sharing anonymised records with researchers."
        );
        assert_eq!(ws[2].leads, strings(&["Harbour Records Service"]));
        assert_eq!(ws[2].due_text.as_deref(), Some("Winter 2022/23"));
        assert_eq!(ws[2].due_date, day(2023, 2, 28));
        assert_eq!(ws[2].anchor, None);
    }

    #[test]
    fn workstream_2023_24_bullet_values_under_heading_and_bold_labels() {
        let (ws, warnings) = parse(&fixture(Y23, "6"));
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(ws.len(), 2);
        assert_eq!(
            ws[0],
            WorkstreamFacts {
                deliverable: "A digital confidence course for home care staff on every island."
                    .to_owned(),
                rationale: strings(&[
                    "Many carers were handed tablets without any training.",
                    "Managers asked for one shared course instead of several local ones.",
                ]),
                leads: strings(&["HDO"]),
                due_text: Some("March 2026".to_owned()),
                due_date: day(2026, 3, 31),
                status: None,
                status_text: None,
                progress: Vec::new(),
                anchor: Some("ws-confidence".to_owned()),
            }
        );
        // Labels in bold paragraphs; a lead-in and its bullets make one deliverable.
        assert_eq!(
            ws[1],
            WorkstreamFacts {
                deliverable: "Two new learning routes: a leadership course for clinical managers short refresher sessions for reception teams".to_owned(),
                rationale: strings(&["Managers choose the systems their teams use but are rarely trained in them."]),
                leads: strings(&["Island Learning Council", "Harbour Digital Care Directorate"]),
                due_text: Some("March 2024".to_owned()),
                due_date: day(2024, 3, 31),
                status: None,
                status_text: None,
                progress: Vec::new(),
                anchor: None,
            }
        );
    }

    #[test]
    fn workstream_2024_25_table_rows() {
        let (ws, warnings) = parse(&fixture(Y24, "5"));
        assert_eq!(ws.len(), 4);
        // An empty who cell; date and status on separate lines of one cell.
        assert_eq!(
            ws[0],
            WorkstreamFacts {
                deliverable: "Extend the digital confidence course to day centre staff.".to_owned(),
                rationale: strings(&[
                    "Day centre staff now book transport and record visits online."
                ]),
                leads: Vec::new(),
                due_text: Some("March 2026".to_owned()),
                due_date: day(2026, 3, 31),
                status: Some(OnTrack),
                status_text: Some("On Track".to_owned()),
                progress: Vec::new(),
                anchor: Some("ws-course".to_owned()),
            }
        );
        // Two bodies on two lines; two why paragraphs; date and status on one line.
        assert_eq!(
            ws[1],
            WorkstreamFacts {
                deliverable: "A peer mentor on every island.".to_owned(),
                rationale: strings(&[
                    "Staff ask a colleague before they ask a helpdesk.",
                    "Mentors cost less than travelling trainers.",
                ]),
                leads: strings(&["Harbour Digital Care Division", "Island Learning Council"]),
                due_text: Some("December 2024".to_owned()),
                due_date: day(2024, 12, 31),
                status: Some(OnTrack),
                status_text: Some("On Track".to_owned()),
                progress: Vec::new(),
                anchor: None,
            }
        );
        // Two bodies run together: one lead (split by the store, which knows the names);
        // progress sentences, not a date.
        assert_eq!(
            ws[2].leads,
            strings(&["Harbour Digital Care Division ILCA"])
        );
        assert_eq!(
            ws[2].progress,
            strings(&[
                "Pilots finished on Skerry in September 2023.",
                "Procurement of the shared platform finished April 2024.",
            ])
        );
        assert_eq!(
            ws[2].due_text.as_deref(),
            Some(
                "Pilots finished on Skerry in September 2023. Procurement of the shared platform finished April 2024."
            )
        );
        assert_eq!(ws[2].due_date, None);
        assert_eq!(ws[2].status, Some(OnTrack));
        assert_eq!(ws[2].status_text.as_deref(), Some("On Track"));
        assert_eq!(warnings, Vec::<String>::new());
        // " with " in a cell; free text in the when cell.
        assert_eq!(
            ws[3],
            WorkstreamFacts {
                deliverable: "A skills passport that follows staff between employers.".to_owned(),
                rationale: strings(&[
                    "Staff repeat the same training each time they change employer."
                ]),
                leads: strings(&["Harbour Digital Care Division", "Island Records Office"]),
                due_text: Some(
                    "Work will resume once the new ferry timetable is agreed.".to_owned()
                ),
                due_date: None,
                status: None,
                status_text: None,
                progress: strings(&["Work will resume once the new ferry timetable is agreed."]),
                anchor: None,
            }
        );
    }

    #[test]
    fn workstream_2025_26_colon_labels_with_progress_between_why_and_who() {
        let (ws, warnings) = parse(&fixture(Y25, "4"));
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(ws.len(), 4);
        // Unlabelled paragraphs after the first "Why" paragraph are progress.
        assert_eq!(
            ws[0],
            WorkstreamFacts {
                deliverable: "A refreshed digital confidence course with modules for volunteers."
                    .to_owned(),
                rationale: strings(&[
                    "The first course showed that carers learn best alongside colleagues."
                ]),
                leads: strings(&["HDO", "Island Learning Council"]),
                due_text: Some("March 2026".to_owned()),
                due_date: day(2026, 3, 31),
                status: Some(OnTrack),
                status_text: Some("On Track".to_owned()),
                progress: strings(&[
                    "Since it launched in July 2024, 410 carers have finished the course.",
                    "A version for volunteer drivers started in May 2025.",
                ]),
                anchor: Some("ws-refresh".to_owned()),
            }
        );
        // Plain "Label:" paragraphs; one plain lead line; a status before a sentence.
        assert_eq!(
            ws[1],
            WorkstreamFacts {
                deliverable: "Secure video links between the three island care homes and the mainland hospital.".to_owned(),
                rationale: strings(&["Residents make long crossings for appointments that could happen on screen."]),
                leads: strings(&["IRO"]),
                due_text: Some("Full roll-out to be completed in 2026".to_owned()),
                due_date: None,
                status: Some(BehindSchedule),
                status_text: Some("Delayed".to_owned()),
                progress: strings(&["Full roll-out to be completed in 2026"]),
                anchor: None,
            }
        );
        // A lead-in with bullets; a plain "Completed" line without a bullet.
        assert_eq!(
            ws[2],
            WorkstreamFacts {
                deliverable: "A directory of digital skills support, covering: free local classes online self-study guides".to_owned(),
                rationale: strings(&["Staff did not know what help already existed near them."]),
                leads: strings(&["Island Learning Council"]),
                due_text: None,
                due_date: None,
                status: Some(Completed),
                status_text: Some("Completed".to_owned()),
                progress: Vec::new(),
                anchor: None,
            }
        );
        // Three progress sentences and no status.
        let sentences = [
            "A first draft was shared with partners in January 2025.",
            "Two partnerships tested it by end June 2025.",
            "The final version will be published later in 2025.",
        ];
        assert_eq!(ws[3].leads, strings(&["Harbour Digital Care"]));
        assert_eq!(ws[3].progress, strings(&sentences));
        assert_eq!(ws[3].due_text, Some(sentences.join(" ")));
        assert_eq!((ws[3].due_date, ws[3].status), (None, None));
    }

    #[test]
    fn when_values_split_statuses_from_dates() {
        let values = |lines: &[&str]| -> Vec<Value> {
            lines
                .iter()
                .map(|t| Value {
                    text: (*t).to_owned(),
                    kind: BlockKind::Item { list: 1 },
                    anchor: None,
                })
                .collect()
        };
        let w = read_when(&values(&["Completed", "Ongoing"]));
        assert_eq!(
            (w.status, w.status_text.as_deref()),
            (Some(Completed), Some("Completed"))
        );
        assert_eq!((w.due_text, w.progress), (None, strings(&["Ongoing"])));
        let w = read_when(&values(&["The pilot ended. On Track."]));
        assert_eq!(w.status, Some(OnTrack));
        assert_eq!(w.due_text.as_deref(), Some("The pilot ended."));
        let w = read_when(&values(&["Summer 2025 Not yet started"]));
        assert_eq!((w.due_date, w.status), (day(2025, 8, 31), Some(NotStarted)));
        assert_eq!(w.due_text.as_deref(), Some("Summer 2025"));
    }

    #[test]
    fn a_block_without_its_deliverable_is_warned_about_not_merged() {
        let mut page = fixture(Y22, "8");
        // Drop the second workstream's "What" label and value.
        let at = page
            .blocks
            .iter()
            .position(|b| b.text.starts_with("One data dictionary"))
            .expect("the deliverable");
        page.blocks.drain(at - 1..=at);
        let (ws, warnings) = parse(&page);
        assert_eq!(ws.len(), 2);
        assert_eq!(
            ws[0].leads,
            strings(&["Island Health Intelligence", "Harbour Records Service"])
        );
        assert_eq!(
            warnings,
            vec![
                "workstream with no deliverable (\"What we will deliver\") skipped: the block starting \"Each pharmacy names the same medicine differently, so records cannot be compared.\""
                    .to_owned()
            ]
        );
    }

    #[test]
    fn comma_separated_bodies_are_leads_of_their_own() {
        assert_eq!(
            split_leads("Island Learning Council, Harbour Records Service, HDO"),
            strings(&["Island Learning Council", "Harbour Records Service", "HDO"])
        );
        // A comma inside one name.
        assert_eq!(
            split_leads("Directorate for Rivers, Lochs and Canals"),
            strings(&["Directorate for Rivers, Lochs and Canals"])
        );
    }

    #[test]
    fn labels_are_words_in_any_element_case_and_colon() {
        let block = |text: &str, lead: Option<&str>| Block {
            kind: BlockKind::Paragraph,
            text: text.to_owned(),
            headings: Vec::new(),
            anchor: None,
            lead: lead.map(str::to_owned),
            is_link: false,
            bold: false,
            term: false,
            nested: false,
            id: None,
            cell: None,
        };
        let label = |text, lead| label_of(&block(text, lead)).map(|l| (l.label, l.rest));
        assert_eq!(
            label("WHAT WE WILL DELIVER", None),
            Some((Label::What, None))
        );
        assert_eq!(
            label("When it will be delivered by", None),
            Some((Label::When, None))
        );
        assert_eq!(
            label("When it will be delivered and progress:", None),
            Some((Label::When, None))
        );
        assert_eq!(
            label("Who is leading this work: NSS", None),
            Some((Label::Who, Some("NSS".to_owned())))
        );
        assert_eq!(
            label(
                "Who is leading this work NSS",
                Some("Who is leading this work")
            ),
            Some((Label::Who, Some("NSS".to_owned())))
        );
        assert_eq!(
            label("Why we are doing this matters to islanders.", None),
            None
        );
    }

    #[test]
    fn a_title_row_above_the_header_and_a_label_value_table_are_read() {
        let html = r#"<html><body>
          <h1 class="ds_page-header__title">Harbour Care Online: delivery plan 2024 to 2025</h1>
          <div class="js-content-wrapper">
            <h2>Island Records</h2>
            <table>
              <tr><td colspan="4">This year's work</td></tr>
              <tr><th><p><strong>What we will deliver</strong></p></th><th>Why we are doing this</th><th>Who is leading this work:</th><th>When it will be delivered and progress</th></tr>
              <tr><td>A records audit.</td><td>Nobody knows which records are kept twice.</td><td>HDO/Island Records Office</td><td>Spring 2025<br>Ongoing</td></tr>
            </table>
            <table>
              <tr><th>What we will deliver</th><td>A second audit.</td></tr>
              <tr><th>Who is leading this work</th><td>Island Records Office</td></tr>
            </table>
          </div></body></html>"#;
        let page = crate::page::parse_page(
            "https://www.gov.scot/publications/p/pages/2/",
            html.as_bytes(),
        )
        .expect("parses");
        let (ws, warnings) = parse(&page);
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(ws.len(), 2);
        assert_eq!(ws[0].deliverable, "A records audit.");
        assert_eq!(ws[0].leads, strings(&["HDO", "Island Records Office"]));
        assert_eq!(ws[0].due_text.as_deref(), Some("Spring 2025"));
        assert_eq!(ws[0].due_date, day(2025, 5, 31));
        assert_eq!(ws[0].status, Some(InProgress));
        assert_eq!(ws[1].deliverable, "A second audit.");
        assert_eq!(ws[1].leads, strings(&["Island Records Office"]));
        assert_eq!(ws[1].due_text, None);
    }
}
