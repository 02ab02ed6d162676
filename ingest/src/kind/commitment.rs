//! Commitment overview pages of an Open Government action plan.
//!
//! The page follows the OGP commitment template: labelled sections ("Commitment title",
//! "Timeframe", "Lead implementing directorate", "Civil society stakeholders", "Problem",
//! "Status Quo", the milestones, "Open Government Partnership value..."). Sections are found by
//! their labels; the milestones section holds objective sub-headings, each over a list of
//! milestones, except the objective that introduces the co-design principles ("...as follows:").
//! Some real pages drop a label (the period line stands alone), so the period also falls back
//! to the first paragraph that reads wholly as a date range.

use crate::date::{FuzzyDate, find_date};
use crate::error::IngestError;
use crate::page::{Block, BlockKind, Page};

/// What a commitment overview page says.
#[derive(Clone, Debug)]
pub struct CommitmentFacts {
    /// The action plan, e.g. "Open Government action plan 2021 to 2025".
    pub action_plan: String,
    /// The commitment's number in its plan.
    pub number: i32,
    /// The commitment title.
    pub title: String,
    /// The timeframe, as printed and normalised.
    pub period: Option<FuzzyDate>,
    /// The lead implementing directorate, as printed, with its anchor.
    pub lead_directorate: Option<(String, Option<String>)>,
    /// Civil society stakeholder list items, as printed.
    pub stakeholders: Vec<Listed>,
    /// Problems, status-quo items, principles and OGP values, in page order.
    pub items: Vec<(ItemKind, Listed)>,
    /// The milestones, in page order.
    pub milestones: Vec<MilestoneFacts>,
    /// Anchor of the title, for the commitment's source.
    pub anchor: Option<String>,
}

/// A list item with where it stands.
#[derive(Clone, Debug)]
pub struct Listed {
    /// The item's text.
    pub text: String,
    /// Its anchor.
    pub anchor: Option<String>,
}

/// The kinds of listed commitment items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A problem the commitment addresses.
    Problem,
    /// An item of the status quo.
    StatusQuo,
    /// A co-design principle.
    Principle,
    /// An Open Government Partnership value the commitment is relevant to.
    OgpValue,
}

impl ItemKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Problem => "PROBLEM",
            Self::StatusQuo => "STATUS_QUO",
            Self::Principle => "PRINCIPLE",
            Self::OgpValue => "OGP_VALUE",
        }
    }
}

/// One milestone as the overview prints it.
#[derive(Clone, Debug)]
pub struct MilestoneFacts {
    /// The objective heading above it, as printed (duplicates and all).
    pub objective: Option<String>,
    /// The milestone's text without a trailing date phrase.
    pub title: String,
    /// Its date phrase, if it has one.
    pub date: Option<FuzzyDate>,
    /// Its anchor.
    pub anchor: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Title,
    Timeframe,
    Directorate,
    Stakeholders,
    Problem,
    StatusQuo,
    Milestones,
    Values,
    Other,
}

fn section_of(label: &str) -> Option<Section> {
    let l = label.to_lowercase();
    let l = l.trim_end_matches(':');
    let s = if l == "commitment title" || l == "title" {
        Section::Title
    } else if l.starts_with("timeframe") || l == "period" || l == "duration" {
        Section::Timeframe
    } else if l.contains("directorate") || l.contains("lead implementing") {
        Section::Directorate
    } else if l.contains("civil society") || l.contains("stakeholder") {
        Section::Stakeholders
    } else if l.starts_with("problem") {
        Section::Problem
    } else if l.starts_with("status quo") {
        Section::StatusQuo
    } else if l.contains("milestone") {
        Section::Milestones
    } else if l.contains("value") && l.contains("open government") {
        Section::Values
    } else {
        return None;
    };
    Some(s)
}

/// True for a page carrying the commitment template's own labels.
pub fn looks_like(page: &Page) -> bool {
    let labels = page
        .blocks
        .iter()
        .filter(|b| b.is_heading())
        .filter_map(|b| section_of(&b.text))
        .filter(|s| {
            matches!(
                s,
                Section::Title | Section::Directorate | Section::Stakeholders
            )
        })
        .count();
    labels >= 2
}

/// Reads a commitment overview.
///
/// # Errors
/// A page without a commitment number, a title or any milestone is [`IngestError::Missing`],
/// naming the page and what was missing.
pub fn parse(page: &Page) -> Result<CommitmentFacts, IngestError> {
    let missing = |what: &str| IngestError::Missing {
        url: page.url.clone(),
        what: what.to_owned(),
    };
    let (action_plan, number) = super::commitment_key(page).ok_or_else(|| {
        missing("commitment number (\"commitment N\" in the publication title or a heading)")
    })?;
    let label_level = page
        .blocks
        .iter()
        .find(|b| b.is_heading() && section_of(&b.text).is_some())
        .and_then(Block::level)
        .ok_or_else(|| missing("commitment template labels"))?;

    let mut facts = CommitmentFacts {
        action_plan,
        number,
        title: String::new(),
        period: None,
        lead_directorate: None,
        stakeholders: Vec::new(),
        items: Vec::new(),
        milestones: Vec::new(),
        anchor: None,
    };
    let mut section = Section::Other;
    let mut objective: Option<String> = None;
    let mut first_unlabelled_range: Option<FuzzyDate> = None;

    for block in &page.blocks {
        match block.kind {
            BlockKind::Heading(level) if level == label_level => {
                section = section_of(&block.text).unwrap_or(Section::Other);
                objective = None;
            }
            BlockKind::Heading(level) if level > label_level => {
                objective = Some(block.text.clone());
            }
            BlockKind::Heading(_) => {
                section = Section::Other;
                objective = None;
            }
            BlockKind::Paragraph => {
                let text = block.text.clone();
                match section {
                    Section::Title if facts.title.is_empty() => {
                        facts.title = text;
                        facts.anchor = block.anchor.clone();
                    }
                    Section::Timeframe if facts.period.is_none() => {
                        facts.period = Some(date_or_text(&text));
                    }
                    Section::Directorate if facts.lead_directorate.is_none() => {
                        facts.lead_directorate = Some((text, block.anchor.clone()));
                    }
                    _ => {
                        if first_unlabelled_range.is_none()
                            && let Ok(d) = FuzzyDate::parse(&text)
                            && d.start.is_some()
                            && d.end.is_some()
                        {
                            first_unlabelled_range = Some(d);
                        }
                    }
                }
            }
            BlockKind::Item { .. } => {
                let listed = Listed {
                    text: block.text.clone(),
                    anchor: block.anchor.clone(),
                };
                match section {
                    Section::Stakeholders => facts.stakeholders.push(listed),
                    Section::Problem => facts.items.push((ItemKind::Problem, listed)),
                    Section::StatusQuo => facts.items.push((ItemKind::StatusQuo, listed)),
                    Section::Values => facts.items.push((ItemKind::OgpValue, listed)),
                    Section::Milestones if introduces_principles(objective.as_deref()) => {
                        facts.items.push((ItemKind::Principle, listed));
                    }
                    Section::Milestones => {
                        facts.milestones.push(milestone(objective.clone(), listed));
                    }
                    Section::Title | Section::Timeframe | Section::Directorate => {}
                    Section::Other => {}
                }
            }
        }
    }
    if facts.period.is_none() {
        facts.period = first_unlabelled_range;
    }
    if facts.title.is_empty() {
        return Err(missing(
            "commitment title (paragraph under \"Commitment title\")",
        ));
    }
    if facts.milestones.is_empty() {
        return Err(missing(
            "milestones (list items under a \"milestones\" heading)",
        ));
    }
    Ok(facts)
}

/// An objective that introduces a list of principles ("The Principles of co-design ... are as
/// follows:") heads principles, not milestones.
fn introduces_principles(objective: Option<&str>) -> bool {
    objective.is_some_and(|o| {
        let o = o.to_lowercase();
        o.contains("principle") && o.trim_end().ends_with(':')
    })
}

fn date_or_text(text: &str) -> FuzzyDate {
    FuzzyDate::parse(text).unwrap_or_else(|_| {
        tracing::warn!(phrase = text, "unreadable date phrase kept as text");
        FuzzyDate {
            text: text.to_owned(),
            start: None,
            end: None,
        }
    })
}

/// Splits a milestone's trailing date phrase off its text; a date inside the sentence stays in
/// the title too, since cutting it out would change what the page says.
fn milestone(objective: Option<String>, listed: Listed) -> MilestoneFacts {
    let text = listed.text;
    let found = find_date(&text);
    let title = match &found {
        Some(f)
            if text[f.range.end..]
                .trim_matches(|c: char| c == '.' || c.is_whitespace())
                .is_empty() =>
        {
            text[..f.range.start]
                .trim_end_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '.' | ',' | ';' | '–' | '-')
                })
                .to_owned()
        }
        _ => text.clone(),
    };
    MilestoneFacts {
        objective,
        title: if title.is_empty() { text } else { title },
        date: found.map(|f| f.date),
        anchor: listed.anchor,
    }
}
