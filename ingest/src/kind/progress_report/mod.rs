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
//! reports on is worked out across pages, once the run has stored them (`derive::updates`).
//!
//! The organisations a report lists under a sentence introducing them (the partners of a
//! design school) are civil society stakeholders of the commitment: bodies outside government
//! taking part in its work, as the overview's stakeholders are. The report is their source.
//!
//! - [`label`]: the labels, whatever element carries them;
//! - [`partners`]: the organisations a report lists;
//! - [`reader`]: the walk over a report's blocks, one update at a time;
//! - printed statuses are read by [`super::delivery_status`], which plans share.

mod label;
pub mod partners;
mod reader;

#[cfg(test)]
mod tests;

use std::sync::LazyLock;

use chrono::NaiveDate;
use entity::{DeliveryStatus, OrganisationRole, progress_update};
use regex::Regex;

use super::action_plan::commitment_of;
use super::commitment_overview;
use super::lexicon::{Entry, field_of, groups};
use crate::date::{FuzzyDate, find_date, find_date_in, re};
use crate::error::IngestError;
use crate::ids;
use crate::page::{Block, Form, Page};
use crate::store::Rows;
use crate::store::rows::Subject;
use crate::store::rows::saturating_i32;
use label::Labelled;
use reader::{Carrier, Mode, Reader};

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

/// The report's lexicons' phrase groups ([`crate::kind::lexicon::synonyms`]): its labels' and
/// its dating lines'.
pub(crate) fn synonyms() -> Vec<&'static [&'static str]> {
    label::synonyms().chain(groups(DATE_LABELS)).collect()
}

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

    let mut reader = Reader::new(&page.url);
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
    let (mut updates, mut warnings) = reader.finish();
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
