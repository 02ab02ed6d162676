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
//! - the deliverable: its lines joined with a space, but bullets of one list joined with "; "
//!   (a bullet ending a sentence or with its own ";", with a space), so a lead-in and its
//!   bullets read "... covering: free local classes; online self-study guides" and the items
//!   stay apart. The API, the dashboard and `workstreams.csv` all show this stored text;
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

use chrono::NaiveDate;
use entity::DeliveryStatus;

use super::leads::split_leads;
use super::when::read_when;
use crate::kind::lexicon::{Entry, groups, leading, phrase_field};
use crate::page::{Block, BlockKind, Page, words};

/// One workstream of a delivery plan page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkstreamFacts {
    /// The "What we will deliver" value, one line ([`one_deliverable`]: a lead-in, then its
    /// bullets joined with "; ").
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Label {
    What,
    Why,
    Who,
    When,
}

/// The plans' four labels (section 7.2 of the research notes), by their words
/// ([`crate::page::words`]).
const LEXICON: &[Entry<Label>] = &[
    Entry {
        field: Label::What,
        phrases: &["what we will deliver"],
    },
    Entry {
        field: Label::Why,
        phrases: &["why we are doing this"],
    },
    Entry {
        field: Label::Who,
        phrases: &["who is leading this work"],
    },
    Entry {
        field: Label::When,
        phrases: &[
            "when it will be delivered",
            "when it will be delivered and progress",
            "when it will be delivered by",
        ],
    },
];

/// The lexicon's phrase groups ([`crate::kind::lexicon::synonyms`]).
pub(super) fn synonyms() -> impl Iterator<Item = &'static [&'static str]> {
    groups(LEXICON)
}

/// A label block: which label, whether a colon follows it, and any value after it.
pub(super) struct Labelled {
    pub(super) label: Label,
    pub(super) colon: bool,
    pub(super) rest: Option<String>,
}

/// The label `block` is, if it is one ([`leading`]).
pub(super) fn label_of(block: &Block) -> Option<Labelled> {
    leading(block, |head| phrase_field(LEXICON, &words(head))).map(|l| Labelled {
        label: l.field,
        colon: l.colon,
        rest: l.rest,
    })
}

/// `s` with its white space folded to single spaces.
pub(super) fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One value line of a workstream field.
#[derive(Clone)]
pub(super) struct Value {
    pub(super) text: String,
    pub(super) kind: BlockKind,
    pub(super) anchor: Option<String>,
}

impl Value {
    pub(super) fn of(block: &Block) -> Self {
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
    let deliverable = one_deliverable(&b.what);
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

/// The "What" value's lines as one deliverable: joined with a space, except that one bullet
/// and the next of the same list are joined with "; ", so a list's items stay apart (one that
/// ends a sentence, or with its own ";", is followed by a space alone).
pub(super) fn one_deliverable(values: &[Value]) -> String {
    let mut out = String::new();
    let mut previous: Option<&Value> = None;
    for v in values.iter().filter(|v| !v.text.is_empty()) {
        if let Some(p) = previous {
            let same_list = matches!(
                (&p.kind, &v.kind),
                (BlockKind::Item { list: a }, BlockKind::Item { list: b }) if a == b
            );
            let punctuated = p.text.ends_with(['.', '!', '?', ';']);
            out.push_str(if same_list && !punctuated { "; " } else { " " });
        }
        out.push_str(&v.text);
        previous = Some(v);
    }
    out
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
