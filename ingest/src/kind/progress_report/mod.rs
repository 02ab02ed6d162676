//! Progress reports of a commitment.
//!
//! A report is a run of blocks, one per milestone or activity, whose wording drifted from report
//! to report: the milestone is labelled "Milestone:", "Milestone", "Milestone aim",
//! "Milestone (2024):", "Milestones", "Aim" or "Objective", or is a sentence standing alone; a
//! short title line may name the activity, the same milestone repeating for each; the update is
//! under "Update and next steps", "Progress and next steps", "Progress" or "Update:", with
//! "Next steps" sometimes apart; commitment 4 pairs "Plan:" or "Success criteria:" with
//! "Update:"; a status ("On schedule.") follows, labelled "Status" or not. Labels are read by
//! their words whatever carries them ([`label`]); a block ends where the next milestone label,
//! a status, a repeated milestone sentence or a title line after an update begins the next.
//!
//! A report becomes `progress_update` rows under its commitment; which milestone each update
//! reports on is worked out across pages, once the run has stored them (`store::passes`).
//!
//! The organisations a report lists under a sentence introducing them (the partners of a
//! design school) are civil society stakeholders of the commitment: bodies outside government
//! taking part in its work, as the overview's stakeholders are. The report is their source.
//!
//! - [`label`]: the labels, whatever element carries them;
//! - [`partners`]: the organisations a report lists;
//! - [`status`]: printed statuses, normalised.

mod label;
pub mod partners;
pub mod status;
#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use chrono::NaiveDate;
use entity::{DeliveryStatus, OrganisationRole, progress_update};
use regex::Regex;

use super::action_plan::commitment_of;
use super::commitment_overview;
use super::lexicon::{Entry, field_of};
use crate::date::{FuzzyDate, find_date, find_date_in, re};
use crate::error::IngestError;
use crate::ids;
use crate::page::{Block, Form, Page};
use crate::store::Rows;
use crate::store::rows::Subject;
use crate::store::rows::saturating_i32;
use label::{Label, Labelled};

/// What a progress report says.
#[derive(Clone, Debug)]
pub struct ReportFacts {
    /// The commitment's action plan.
    pub action_plan: String,
    /// The commitment's number.
    pub number: i32,
    /// The report's own title, e.g. "Progress to August 2022".
    pub report_title: String,
    /// The last day the report covers.
    pub reported_on: Option<NaiveDate>,
    /// The updates, in page order.
    pub updates: Vec<UpdateFacts>,
    /// The organisations the report lists, in page order.
    pub partners: Vec<partners::Listed>,
}

/// One update: on a milestone, or on one activity of it.
#[derive(Clone, Debug, Default)]
pub struct UpdateFacts {
    /// The milestone as the report prints it, without its label.
    pub milestone_heading: String,
    /// The activity line(s) the update reports on: a title, a dated line, a plan or success
    /// criteria; empty when the report names none.
    pub activity: String,
    /// The date phrase of the activity (else of the milestone), if any: used to match the
    /// update to its milestone.
    pub date: Option<FuzzyDate>,
    /// The update text.
    pub text: String,
    /// The next steps, when the report gives them apart from the update.
    pub next_steps: Option<String>,
    /// The status, normalised, when the printed words are one the vocabulary knows.
    pub status: Option<DeliveryStatus>,
    /// The status as printed ("On schedule."), where the report gives one.
    pub status_text: Option<String>,
    /// Anchor of the block's first line.
    pub anchor: Option<String>,
}

/// Headings that frame the page rather than a milestone: "Progress to June 2024",
/// "Commitment 2: Health and Social Care progress updates".
static FRAME: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:commitment\s+\d+\b|progress\s+(?:to|up\s+to|report)\b)"));

/// True for a page of a commitment that prints update labels (in any carrier), and is not the
/// commitment's overview.
pub fn looks_like(page: &Page) -> bool {
    let (mut standalone, mut inline) = (0, 0);
    for block in &page.blocks {
        let Some(l) = label::of(block) else { continue };
        if !l.label.is_update_side() {
            continue;
        }
        if l.rest.is_none() || block.is_heading() || block.lead.is_some() {
            standalone += 1;
        } else {
            inline += 1;
        }
    }
    // One plain "Update: ..." line could be prose; two, or one set apart, are a report's.
    (standalone >= 1 || inline >= 2)
        && commitment_of(page).is_some()
        && !commitment_overview::looks_like(page)
}

/// Where a milestone was printed: in a label standing alone (a heading, a bold line), at its
/// depth in the page's outline, or in running text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Carrier {
    Label(u8),
    Text,
}

/// What the next text block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Before any milestone: a sentence starts one.
    Outside,
    /// The milestone's lines: the first is the milestone, the rest its activity.
    Describe,
    /// Activity lines.
    Activity,
    /// The update.
    Update,
    /// The next steps.
    NextSteps,
    /// The value of a "Status" label.
    Status,
    /// A status ended the update: a sentence starts the next milestone.
    Done,
}

/// An update being read.
struct Draft {
    facts: UpdateFacts,
    carrier: Carrier,
    /// Started by a milestone label, so later milestone-side labels describe the same block.
    labelled: bool,
    next_steps: String,
}

impl Draft {
    fn new(carrier: Carrier, labelled: bool, anchor: Option<String>) -> Self {
        Self {
            facts: UpdateFacts {
                anchor,
                ..UpdateFacts::default()
            },
            carrier,
            labelled,
            next_steps: String::new(),
        }
    }

    fn has_update(&self) -> bool {
        !self.facts.text.is_empty()
            || !self.next_steps.is_empty()
            || self.facts.status_text.is_some()
    }
}

fn push_line(target: &mut String, line: &str) {
    if !target.is_empty() {
        target.push('\n');
    }
    target.push_str(line);
}

/// Takes a trailing status sentence off the last line of `text`.
fn take_trailing_status(text: &mut String) -> Option<String> {
    let start = text.rfind('\n').map_or(0, |i| i + 1);
    let (head, tail) = status::split_trailing(&text[start..])?;
    let (head, tail) = (head.to_owned(), tail.to_owned());
    text.replace_range(start.., &head);
    Some(tail)
}

/// Reads the blocks in order, one draft at a time.
struct Reader<'a> {
    url: &'a str,
    updates: Vec<UpdateFacts>,
    current: Option<Draft>,
    mode: Mode,
    warnings: Vec<String>,
}

impl Reader<'_> {
    fn has_update(&self) -> bool {
        self.current.as_ref().is_some_and(Draft::has_update)
    }

    fn flush(&mut self) {
        let Some(mut d) = self.current.take() else {
            return;
        };
        if d.facts.status_text.is_none() {
            let trailing = if d.next_steps.is_empty() {
                take_trailing_status(&mut d.facts.text)
            } else {
                take_trailing_status(&mut d.next_steps)
            };
            if let Some(t) = trailing {
                self.set_status(&mut d, &t);
            }
        }
        if !d.has_update() {
            return;
        }
        d.facts.next_steps = (!d.next_steps.is_empty()).then_some(d.next_steps);
        self.updates.push(d.facts);
    }

    fn set_status(&mut self, d: &mut Draft, printed: &str) {
        let printed = printed.trim();
        d.facts.status = status::normalise(printed);
        if d.facts.status.is_none() {
            self.warnings.push(format!(
                "{}: unrecognised status {printed:?} of milestone {:?}; kept as printed",
                self.url, d.facts.milestone_heading
            ));
        }
        d.facts.status_text = Some(printed.to_owned());
    }

    fn status(&mut self, printed: &str) {
        if let Some(mut d) = self.current.take() {
            self.set_status(&mut d, printed);
            self.current = Some(d);
        }
        self.mode = Mode::Done;
    }

    fn start(&mut self, draft: Draft) {
        self.flush();
        self.current = Some(draft);
    }

    /// Starts an update on another activity of the current milestone.
    fn next_activity(&mut self, anchor: Option<String>) {
        let (heading, carrier, labelled) = self.current.as_ref().map_or_else(
            || (String::new(), Carrier::Text, false),
            |d| (d.facts.milestone_heading.clone(), d.carrier, d.labelled),
        );
        let mut draft = Draft::new(carrier, labelled, anchor);
        draft.facts.milestone_heading = heading;
        self.start(draft);
    }

    fn ensure(&mut self, anchor: Option<String>) -> &mut Draft {
        self.current
            .get_or_insert_with(|| Draft::new(Carrier::Text, false, anchor))
    }

    /// A milestone-side line: the milestone if there is none yet, else an activity line.
    fn describe(&mut self, line: &str, anchor: Option<String>) {
        let d = self.ensure(anchor);
        if d.facts.milestone_heading.is_empty() {
            // A milestone leading into its activities may end in a colon; it is no part of it.
            let line = line.trim_end();
            d.facts.milestone_heading = line.strip_suffix(':').unwrap_or(line).to_owned();
        } else {
            push_line(&mut d.facts.activity, line);
        }
    }

    fn label(&mut self, block: &Block, carrier: Carrier, Labelled { label, rest }: Labelled) {
        let anchor = block.anchor.clone();
        let rest = rest.as_deref();
        match label {
            Label::Milestone => {
                let same_block = self
                    .current
                    .as_ref()
                    .is_some_and(|d| d.labelled && !d.has_update());
                if !same_block {
                    self.start(Draft::new(carrier, true, anchor.clone()));
                }
                self.mode = Mode::Describe;
                if let Some(rest) = rest {
                    self.describe(rest, anchor);
                }
            }
            Label::Activity => {
                if self.current.is_none() || self.has_update() {
                    self.next_activity(anchor.clone());
                }
                self.mode = Mode::Activity;
                if let Some(rest) = rest {
                    push_line(&mut self.ensure(anchor).facts.activity, rest);
                }
            }
            Label::Update => {
                self.mode = Mode::Update;
                let d = self.ensure(anchor);
                if let Some(rest) = rest {
                    push_line(&mut d.facts.text, rest);
                }
            }
            Label::NextSteps => {
                self.mode = Mode::NextSteps;
                let d = self.ensure(anchor);
                if let Some(rest) = rest {
                    push_line(&mut d.next_steps, rest);
                }
            }
            Label::Status => {
                self.ensure(anchor);
                match rest {
                    Some(rest) => self.status(rest),
                    None => self.mode = Mode::Status,
                }
            }
        }
    }

    /// A heading or a bold line that is no label: a milestone, or an activity's title.
    fn title(&mut self, block: &Block, carrier: Carrier) {
        let anchor = block.anchor.clone();
        let finished = self.has_update() || self.mode == Mode::Done;
        match &self.current {
            None => {
                self.start(Draft::new(carrier, false, anchor.clone()));
                self.describe(&block.text, anchor);
                self.mode = Mode::Describe;
            }
            Some(d) if finished => {
                // A label as high as the milestone's starts the next milestone; a lower one,
                // or a title line under a milestone printed as text, names its next activity.
                let next_milestone = match (d.carrier, carrier) {
                    (Carrier::Label(m), Carrier::Label(l)) => l <= m,
                    _ => false,
                };
                if next_milestone {
                    self.start(Draft::new(carrier, false, anchor.clone()));
                    self.describe(&block.text, anchor);
                    self.mode = Mode::Describe;
                } else {
                    self.next_activity(anchor.clone());
                    push_line(&mut self.ensure(anchor).facts.activity, &block.text);
                    self.mode = Mode::Activity;
                }
            }
            Some(_) if self.mode == Mode::Describe => self.describe(&block.text, anchor),
            Some(_) => push_line(&mut self.ensure(anchor).facts.activity, &block.text),
        }
    }

    fn text(&mut self, block: &Block) {
        let (text, anchor) = (block.text.as_str(), block.anchor.clone());
        match self.mode {
            Mode::Outside | Mode::Done => {
                self.start(Draft::new(Carrier::Text, false, anchor.clone()));
                self.describe(text, anchor);
                self.mode = Mode::Describe;
            }
            Mode::Describe => self.describe(text, anchor),
            Mode::Activity => push_line(&mut self.ensure(anchor).facts.activity, text),
            Mode::Status => self.status(text),
            Mode::Update | Mode::NextSteps if status::is_bare(text) => self.status(text),
            Mode::Update | Mode::NextSteps
                if self
                    .current
                    .as_ref()
                    .is_some_and(|d| d.facts.milestone_heading == text) =>
            {
                // The same milestone again: its next activity follows.
                self.start(Draft::new(Carrier::Text, false, anchor.clone()));
                self.describe(text, anchor);
                self.mode = Mode::Describe;
            }
            Mode::Update => push_line(&mut self.ensure(anchor).facts.text, text),
            Mode::NextSteps => push_line(&mut self.ensure(anchor).next_steps, text),
        }
    }
}

/// Where a block stands in the outline: the depth of the section it opens, when it is a label
/// standing alone (a heading, a bold line, a term, a "Label:" line without its value).
fn title_depth(page: &Page, i: usize) -> Option<u8> {
    let (section, label) = page.outline.label_at(i)?;
    let alone = match label.form {
        Form::Heading(_) | Form::BoldParagraph | Form::Term => true,
        Form::BoldLead | Form::ColonLine => label.value.is_none(),
        Form::HeaderCell | Form::FirstColumnCell => false,
    };
    alone.then_some(section.depth)
}

/// The labels that date a report whose title does not ("Last updated: 20 September 2024").
const DATE_LABELS: &[Entry<()>] = &[Entry {
    field: (),
    phrases: &[
        "last updated",
        "updated",
        "date",
        "as at",
        "report date",
        "date of update",
    ],
}];

/// The last day a report's dating line gives: a label of [`DATE_LABELS`] with a date as its
/// value, on its line or in the block after it.
fn dated_line(page: &Page) -> Option<NaiveDate> {
    page.outline.labelled().find_map(|(_, section, label)| {
        field_of(DATE_LABELS, &label.words)?;
        let value = label.value.clone().or_else(|| {
            let first = section.blocks.first()?;
            page.blocks.get(*first).map(|b| b.text.clone())
        })?;
        find_date(&value).and_then(|f| f.date.end)
    })
}

/// Reads a progress report, with a warning when its title gives no date or a status is not
/// one the vocabulary knows.
///
/// # Errors
/// A report whose commitment cannot be told, or with no update under any milestone, is
/// [`IngestError::Missing`].
pub fn parse(page: &Page) -> Result<(ReportFacts, Vec<String>), IngestError> {
    let missing = |what: &str| IngestError::Missing {
        url: page.url.clone(),
        what: what.to_owned(),
    };
    let (action_plan, number) = commitment_of(page)
        .ok_or_else(|| missing("commitment number (\"commitment N\" in the publication title)"))?;
    let depths: Vec<Option<u8>> = (0..page.blocks.len())
        .map(|i| title_depth(page, i))
        .collect();
    let top = depths.iter().flatten().min().copied().unwrap_or(2);

    let mut reader = Reader {
        url: &page.url,
        updates: Vec::new(),
        current: None,
        mode: Mode::Outside,
        warnings: Vec::new(),
    };
    for (i, (block, depth)) in page.blocks.iter().zip(depths).enumerate() {
        let carrier = depth.map_or(Carrier::Text, Carrier::Label);
        // A label standing alone is read by its words, without the colon a bold line or a
        // "Title:" line may end in.
        if page.outline.is_header(i) {
            // A header cell labels its column: each cell under it is read with it (below).
            continue;
        }
        let titled = depth.map(|_| Block {
            text: page.text_at(i).to_owned(),
            ..block.clone()
        });
        let block = titled.as_ref().unwrap_or(block);
        // A cell under a header row is the value of its column's label ("Milestone | Status |
        // Progress" tables): as if printed "Status: Completed".
        let headed = page.outline.header_of(&page.blocks, i).and_then(|h| {
            let header = Block {
                text: h.text.clone(),
                ..block.clone()
            };
            label::of(&header).map(|l| Labelled {
                label: l.label,
                rest: Some(block.text.clone()),
            })
        });
        if let Some(l) = headed.or_else(|| label::of(block)) {
            reader.label(block, carrier, l);
        } else if depth.is_some_and(|d| d <= top)
            || (depth.is_some() && FRAME.is_match(&block.text))
        {
            reader.flush();
            reader.mode = Mode::Outside;
        } else if titled.is_some() {
            reader.title(block, carrier);
        } else {
            reader.text(block);
        }
    }
    reader.flush();
    let Reader {
        mut updates,
        mut warnings,
        ..
    } = reader;
    if updates.is_empty() {
        return Err(missing(
            "progress updates (milestones with an \"Update\"/\"Progress\" label under them)",
        ));
    }
    let report_title = page.title.clone();
    let reported_on = find_date(&report_title)
        .and_then(|f| f.date.end)
        .or_else(|| dated_line(page));
    // A day or month printed without a year ("By end June") is read against the report's own
    // date, and only here: nothing else on the page says which year it means.
    for u in &mut updates {
        u.date = [&u.activity, &u.milestone_heading]
            .into_iter()
            .find_map(|t| find_date_in(t, reported_on).filter(|f| !f.date.is_undated()))
            .map(|f| f.date);
    }
    if reported_on.is_none() {
        warnings.push(format!(
            "{}: no date in report title {report_title:?}",
            page.url
        ));
    }
    let facts = ReportFacts {
        action_plan,
        number,
        report_title,
        reported_on,
        updates,
        partners: partners::listed(&page.blocks),
    };
    Ok((facts, warnings))
}

impl ReportFacts {
    /// Pushes the report's updates, read off page `url` (document `document_id`); returns the
    /// ID of the commitment reported on, which need not be stored (yet).
    pub fn rows(&self, document_id: i64, url: &str, rows: &mut Rows) -> i64 {
        let id = ids::commitment(&self.action_plan, self.number);
        for (i, u) in self.updates.iter().enumerate() {
            rows.updates.push(progress_update::Model {
                id: ids::progress_update(url, i),
                document_id,
                commitment_id: id,
                position: saturating_i32(i),
                report_title: self.report_title.clone(),
                reported_on: self.reported_on,
                milestone_heading: u.milestone_heading.clone(),
                activity: u.activity.clone(),
                text: u.text.clone(),
                status: u.status_text.clone(),
                next_steps: u.next_steps.clone(),
                status_text: u.status_text.clone(),
                delivery_status: u.status,
                milestone_id: None,
                link_score: None,
                link_margin: None,
                link_evidence: None,
                anchor: u.anchor.clone(),
            });
        }
        for p in &self.partners {
            rows.add_role(
                document_id,
                url,
                OrganisationRole::CivilSocietyStakeholder,
                &p.name,
                &p.name,
                Subject::Commitment(id),
                p.anchor.clone(),
            );
        }
        id
    }
}
