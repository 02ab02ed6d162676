//! Progress reports of a commitment.
//!
//! A report is a run of milestone blocks: a heading naming the milestone (in 2022 prefixed
//! "Milestone:", later not), the activity it reports on, then a label heading ("Update and next
//! steps", "Progress and next steps", "Progress", "Next steps") over the update, and sometimes
//! "Status". Labels drift between reports, so they are matched loosely and a block is
//! recognised by having a label under it, not by the "Milestone:" prefix.
//!
//! A report becomes `progress_update` rows under its commitment; which milestone each update
//! reports on is worked out across pages, once the run has stored them (`store::passes`).

use std::sync::LazyLock;

use chrono::NaiveDate;
use entity::progress_update;
use regex::Regex;

use super::action_plan::commitment_of;
use crate::date::{FuzzyDate, find_date, re};
use crate::error::IngestError;
use crate::ids;
use crate::page::{BlockKind, Page};
use crate::store::Rows;
use crate::store::rows::saturating_i32;

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
}

/// One milestone's update.
#[derive(Clone, Debug, Default)]
pub struct UpdateFacts {
    /// The milestone heading, without a "Milestone:" prefix.
    pub milestone_heading: String,
    /// The activity line(s) the update reports on.
    pub activity: String,
    /// The date phrase in the activity, if any: used to match the update to its milestone.
    pub date: Option<FuzzyDate>,
    /// The update text.
    pub text: String,
    /// The status line, where the report gives one.
    pub status: Option<String>,
    /// Anchor of the milestone heading.
    pub anchor: Option<String>,
}

static UPDATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(?:updates?|progress|next steps)(?:\s+(?:and|&)\s+(?:next steps|updates?))?\s*:?$")
});
static STATUS_LABEL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(?:current )?status:?$"));
static MILESTONE_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^milestone\s*\d*\s*[:.–-]\s*"));

fn is_label(text: &str) -> bool {
    UPDATE_LABEL.is_match(text) || STATUS_LABEL.is_match(text)
}

/// True for a page whose headings include update labels under milestone headings.
pub fn looks_like(page: &Page) -> bool {
    let labels = page
        .blocks
        .iter()
        .filter(|b| b.is_heading() && UPDATE_LABEL.is_match(&b.text))
        .count();
    labels >= 1 && commitment_of(page).is_some()
}

#[derive(PartialEq)]
enum Mode {
    Outside,
    Activity,
    Update,
    Status,
}

/// Reads a progress report, with a warning when its title gives no date.
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
    let top = page
        .blocks
        .iter()
        .filter_map(|b| b.level())
        .min()
        .unwrap_or(2);

    let mut updates = Vec::new();
    let mut current: Option<UpdateFacts> = None;
    let mut mode = Mode::Outside;
    let flush = |current: &mut Option<UpdateFacts>, updates: &mut Vec<UpdateFacts>| {
        if let Some(u) = current.take()
            && !u.text.is_empty()
        {
            updates.push(u);
        }
    };
    for block in &page.blocks {
        match block.kind {
            BlockKind::Heading(level) if level <= top => {
                flush(&mut current, &mut updates);
                mode = Mode::Outside;
            }
            BlockKind::Heading(_) if STATUS_LABEL.is_match(&block.text) => mode = Mode::Status,
            BlockKind::Heading(_) if is_label(&block.text) => mode = Mode::Update,
            BlockKind::Heading(_) => {
                flush(&mut current, &mut updates);
                current = Some(UpdateFacts {
                    milestone_heading: MILESTONE_PREFIX.replace(&block.text, "").into_owned(),
                    anchor: block.anchor.clone(),
                    ..UpdateFacts::default()
                });
                mode = Mode::Activity;
            }
            BlockKind::Paragraph | BlockKind::Item { .. } => {
                let Some(u) = current.as_mut() else { continue };
                let target = match mode {
                    Mode::Activity => &mut u.activity,
                    Mode::Update => &mut u.text,
                    Mode::Status => u.status.get_or_insert_with(String::new),
                    Mode::Outside => continue,
                };
                if !target.is_empty() {
                    target.push('\n');
                }
                target.push_str(&block.text);
            }
        }
    }
    flush(&mut current, &mut updates);
    if updates.is_empty() {
        return Err(missing(
            "progress updates (milestone headings with an \"Update\"/\"Progress\" label under them)",
        ));
    }
    for u in &mut updates {
        u.date = find_date(&u.activity)
            .filter(|f| !f.date.is_undated())
            .map(|f| f.date);
    }
    let report_title = page.title.clone();
    let reported_on = find_date(&report_title).and_then(|f| f.date.end);
    let mut warnings = Vec::new();
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
                status: u.status.clone(),
                milestone_id: None,
                anchor: u.anchor.clone(),
            });
        }
        id
    }
}
