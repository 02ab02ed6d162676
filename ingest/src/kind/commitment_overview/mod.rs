//! Commitment overview pages of an Open Government action plan.
//!
//! The page follows the OGP commitment template: labelled sections ("Commitment title",
//! "Timeframe", "Lead implementing directorate", "Civil society stakeholders", "Problem",
//! "Status Quo", the milestones, "Open Government Partnership value..."). Sections are found by
//! their labels; the milestones section holds objective sub-headings, each over a list of
//! milestones, except the objective that introduces the co-design principles ("...as follows:").
//! Real pages drop labels, so several values are also found by their form or their place:
//! - the period: without a "Timeframe" label, the first paragraph that reads wholly as a date
//!   range ("October 2021 to September 2025", "2021 to 2025");
//! - the problems: without a "Problem" label, what follows the stakeholder list in the
//!   stakeholders' section (a second list, or paragraphs), and any stakeholder bullet that
//!   reads as a sentence (see [`reads_as_sentence`]) together with everything after it. A
//!   problem never becomes an organisation;
//! - a description: a paragraph after the title, under the title's label, that is no date
//!   range, is kept as a commitment item of kind `DESCRIPTION`;
//! - a group of "Longer term activities (4 year plan, to December 2025)" among the milestones:
//!   its milestones stand under no objective, and one printing no date of its own is due by
//!   the group's.
//!
//! A commitment becomes a `commitment` row with its listed items, its milestones and the
//! organisations named in its roles (the lead directorates, the civil society stakeholders):
//! see [`directorates`] and [`stakeholders`] for how one printed line names several.
//!
//! Submodules: `names` (organisation names in a line, and telling a sentence from names),
//! `sections` (the template's labels, and what each section of the outline is) and `title` (a
//! milestone's title without its trailing date phrase).

use entity::{CommitmentItemKind, OrganisationRole, commitment, commitment_item, milestone};

mod names;
mod sections;
mod title;

pub use names::{directorates, reads_as_sentence, stakeholders};
pub(crate) use sections::synonyms;
use sections::{Section, roles, section_of, unread};
use title::milestone;

use super::action_plan::commitment_of;
use crate::date::FuzzyDate;
use crate::error::IngestError;
use crate::ids;
use crate::page::{BlockKind, Page};
use crate::store::rows::saturating_i32;
use crate::store::{Rows, Subject};

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
    pub items: Vec<(CommitmentItemKind, Listed)>,
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

/// True for a page carrying the commitment template's own labels, in any form.
pub fn looks_like(page: &Page) -> bool {
    let labels = page
        .outline
        .labelled()
        .filter_map(|(_, _, l)| section_of(l))
        .filter(|s| {
            matches!(
                s,
                Section::Title | Section::Directorate | Section::Stakeholders
            )
        })
        .count();
    labels >= 2
}

/// Reads a commitment overview, with a warning for each date phrase it could not read, and the
/// outline sections it left unread.
///
/// # Errors
/// A page without a commitment number, a title or any milestone is [`IngestError::Missing`],
/// naming the page and what was missing.
pub fn parse(page: &Page) -> Result<(CommitmentFacts, Vec<String>, Vec<usize>), IngestError> {
    let missing = |what: &str| IngestError::Missing {
        url: page.url.clone(),
        what: what.to_owned(),
    };
    let (action_plan, number) = commitment_of(page).ok_or_else(|| {
        missing("commitment number (\"commitment N\" in the publication title or a heading)")
    })?;
    let outline = &page.outline;
    let (label_depth, roles) =
        roles(outline, &page.blocks).ok_or_else(|| missing("commitment template labels"))?;

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
    let mut first_unlabelled_range: Option<FuzzyDate> = None;
    // The stakeholders' list, once it has ended: what follows in its section is problems.
    let mut stakeholder_list: Option<usize> = None;
    let mut stakeholders_over = false;

    for (i, part) in outline.sections.iter().enumerate() {
        let Some(role) = roles.get(i) else {
            continue;
        };
        let section = role.field;
        if part.depth <= label_depth {
            stakeholders_over = false;
        }
        let mut objective = role.objective.clone();
        // The label's inline value comes first, as a paragraph of the section.
        let inline = part.label.as_ref().and_then(|l| {
            let value = l.value.clone()?;
            Some((value, BlockKind::Paragraph, part.anchor.clone(), None))
        });
        // A nested bullet under a milestone is a sub-point of it, no milestone of its own: it
        // stays a passage.
        let contents = inline.into_iter().chain(
            part.blocks
                .iter()
                .filter(|&&b| section != Section::Milestones || !page.blocks[b].nested)
                .map(|&b| {
                    let block = &page.blocks[b];
                    let next = page.blocks.get(b + 1).map(|n| n.kind.clone());
                    (
                        block.text.clone(),
                        block.kind.clone(),
                        block.anchor.clone(),
                        next,
                    )
                }),
        );
        for (text, kind, anchor, next) in contents {
            match kind {
                BlockKind::Heading(_) => {}
                BlockKind::Paragraph => match section {
                    Section::Title if facts.title.is_empty() => {
                        facts.title = text;
                        facts.anchor = anchor;
                    }
                    Section::Timeframe if facts.period.is_none() => {
                        facts.period = Some(date_or_text(&text));
                    }
                    Section::Directorate if facts.lead_directorate.is_none() => {
                        facts.lead_directorate = Some((text, anchor));
                    }
                    _ => {
                        let range = FuzzyDate::parse(&text)
                            .ok()
                            .filter(|d| d.start.is_some() && d.end.is_some());
                        let listed = Listed { text, anchor };
                        if let Some(d) = range {
                            if first_unlabelled_range.is_none() {
                                first_unlabelled_range = Some(d);
                            }
                        } else if section == Section::Title {
                            facts.items.push((CommitmentItemKind::Description, listed));
                        } else if section == Section::Problem
                            || (section == Section::Stakeholders && !facts.stakeholders.is_empty())
                        {
                            // Paragraphs after the stakeholder list are the unlabelled problem.
                            stakeholders_over = true;
                            facts.items.push((CommitmentItemKind::Problem, listed));
                        } else if section == Section::Milestones
                            && matches!(next, Some(BlockKind::Item { .. }))
                        {
                            // An objective printed as a plain paragraph over its milestones,
                            // without the colon that leads into them.
                            let text = listed.text.trim_end();
                            objective = Some(text.strip_suffix(':').unwrap_or(text).to_owned());
                        }
                    }
                },
                BlockKind::Item { list } => {
                    let listed = Listed { text, anchor };
                    match section {
                        Section::Stakeholders => {
                            if stakeholder_list.is_some_and(|l| l != list)
                                || reads_as_sentence(&listed.text)
                            {
                                stakeholders_over = true;
                            }
                            if stakeholders_over {
                                facts.items.push((CommitmentItemKind::Problem, listed));
                            } else {
                                stakeholder_list = Some(list);
                                facts.stakeholders.push(listed);
                            }
                        }
                        Section::Problem => {
                            facts.items.push((CommitmentItemKind::Problem, listed));
                        }
                        Section::StatusQuo => {
                            facts.items.push((CommitmentItemKind::StatusQuo, listed));
                        }
                        Section::Values => {
                            facts.items.push((CommitmentItemKind::OgpValue, listed));
                        }
                        Section::Milestones if introduces_principles(objective.as_deref()) => {
                            facts.items.push((CommitmentItemKind::Principle, listed));
                        }
                        Section::Milestones => {
                            let mut m = milestone(objective.clone(), listed);
                            if m.date.is_none() {
                                m.date.clone_from(&role.horizon);
                            }
                            facts.milestones.push(m);
                        }
                        Section::Title
                        | Section::Timeframe
                        | Section::Directorate
                        | Section::LongerTerm
                        | Section::Prose
                        | Section::Other => {}
                    }
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
    let warnings = warnings(&page.url, &facts);
    Ok((facts, warnings, unread(outline, &roles)))
}

/// Date phrases the page prints that could not be read: kept as text, and reported.
fn warnings(url: &str, facts: &CommitmentFacts) -> Vec<String> {
    let mut warnings = Vec::new();
    for m in &facts.milestones {
        if let Some(d) = m.date.as_ref().filter(|d| d.is_undated()) {
            warnings.push(format!(
                "{url}: unrecognised date phrase {:?} in milestone {:?}; kept as text with no dates",
                d.text, m.title
            ));
        }
    }
    if let Some(p) = facts.period.as_ref().filter(|p| p.is_undated()) {
        warnings.push(format!(
            "{url}: unrecognised commitment period {:?}; kept as text with no dates",
            p.text
        ));
    }
    warnings
}

impl CommitmentFacts {
    /// Pushes the commitment, its items, its milestones and its organisations' roles, read off
    /// page `url` (document `document_id`); returns the commitment's ID.
    pub fn rows(&self, document_id: i64, url: &str, rows: &mut Rows) -> i64 {
        let id = ids::commitment(&self.action_plan, self.number);
        let key = ids::commitment_key(&self.action_plan, self.number);
        rows.commitments.push(commitment::Model {
            id,
            number: self.number,
            action_plan: self.action_plan.clone(),
            title: self.title.clone(),
            period_text: self.period.as_ref().map(|p| p.text.clone()),
            period_start: self.period.as_ref().and_then(|p| p.start),
            period_end: self.period.as_ref().and_then(|p| p.end),
            lead_directorate: self.lead_directorate.as_ref().map(|(t, _)| t.clone()),
            document_id,
            anchor: self.anchor.clone(),
        });
        for (i, (kind, listed)) in self.items.iter().enumerate() {
            rows.items.push(commitment_item::Model {
                id: ids::commitment_item(&key, *kind, i),
                commitment_id: id,
                document_id,
                kind: *kind,
                position: saturating_i32(i),
                text: listed.text.clone(),
                anchor: listed.anchor.clone(),
            });
        }
        for (i, m) in self.milestones.iter().enumerate() {
            rows.milestones.push(milestone::Model {
                id: ids::milestone(&key, i),
                commitment_id: id,
                document_id,
                position: saturating_i32(i),
                objective: m.objective.clone(),
                title: m.title.clone(),
                date_text: m.date.as_ref().map(|d| d.text.clone()),
                start_date: m.date.as_ref().and_then(|d| d.start),
                end_date: m.date.as_ref().and_then(|d| d.end),
                anchor: m.anchor.clone(),
                latest_status: None,
            });
        }
        let subject = Subject::Commitment(id);
        if let Some((printed, anchor)) = &self.lead_directorate {
            for name in directorates(printed) {
                rows.add_role(
                    document_id,
                    url,
                    OrganisationRole::LeadDirectorate,
                    name,
                    printed,
                    subject,
                    anchor.clone(),
                );
            }
        }
        for listed in &self.stakeholders {
            for name in stakeholders(&listed.text) {
                rows.add_role(
                    document_id,
                    url,
                    OrganisationRole::CivilSocietyStakeholder,
                    name,
                    &listed.text,
                    subject,
                    listed.anchor.clone(),
                );
            }
        }
        id
    }
}

/// An objective that introduces a list of principles ("The Principles of co-design ... are as
/// follows:") heads principles, not milestones.
fn introduces_principles(objective: Option<&str>) -> bool {
    objective.is_some_and(|o| {
        let o = o.to_lowercase();
        // A heading's colon is gone by now (see `page::block`), so the words say it too.
        let o = o.trim_end();
        o.contains("principle") && (o.ends_with(':') || o.ends_with("as follows"))
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn cut(text: &str) -> (String, Option<String>) {
        let m = milestone(
            None,
            Listed {
                text: text.to_owned(),
                anchor: None,
            },
        );
        (m.title, m.date.map(|d| d.text))
    }

    #[test]
    fn a_trailing_date_leaves_no_preposition_on_the_title() {
        assert_eq!(
            cut("Publish the guidance by June 2023"),
            (
                "Publish the guidance".to_owned(),
                Some("by June 2023".to_owned())
            )
        );
        assert_eq!(
            cut("Agree the reporting format in Q3 2024."),
            (
                "Agree the reporting format".to_owned(),
                Some("Q3 2024".to_owned())
            )
        );
        assert_eq!(
            cut("Run two pilot sites during 2023-24"),
            ("Run two pilot sites".to_owned(), Some("2023-24".to_owned()))
        );
        assert_eq!(
            cut("Test the prototype with users over Spring 2025"),
            (
                "Test the prototype with users".to_owned(),
                Some("Spring 2025".to_owned())
            )
        );
    }

    #[test]
    fn a_title_ending_in_an_ordinary_word_keeps_it() {
        // "plan" is no preposition; only the date goes.
        assert_eq!(
            cut("Write the engagement plan (March 2024)").0,
            "Write the engagement plan"
        );
        // A date inside the sentence stays where it is, and so does its "in".
        let (title, date) = cut("Report in March 2024 on what users said");
        assert_eq!(title, "Report in March 2024 on what users said");
        assert_eq!(date.as_deref(), Some("March 2024"));
    }

    #[test]
    fn the_trailing_date_still_carries_its_days() {
        let m = milestone(
            None,
            Listed {
                text: "Set up the panel by the end of 2024".to_owned(),
                anchor: None,
            },
        );
        assert_eq!(m.title, "Set up the panel");
        let date = m.date.expect("a date");
        assert_eq!(
            (date.start, date.end),
            (None, NaiveDate::from_ymd_opt(2024, 12, 31))
        );
    }

    #[test]
    fn a_directorate_s_dg_area_is_no_directorate_but_several_directorates_are() {
        assert_eq!(
            directorates("Directorate for Coastal Affairs, DG Net Zero"),
            vec!["Directorate for Coastal Affairs"]
        );
        assert_eq!(
            directorates("Ports Directorate, Directorate for Inland Waters"),
            vec!["Ports Directorate", "Directorate for Inland Waters"]
        );
        // A comma inside a name, then a DG area.
        assert_eq!(
            directorates("Directorate for Rivers, Lochs and Canals, Director-General Economy"),
            vec!["Directorate for Rivers, Lochs and Canals"]
        );
        assert_eq!(directorates("Harbours Team"), vec!["Harbours Team"]);
        // "Steamers" holds "team" but is no unit: the part continues the name before it.
        assert_eq!(
            directorates("Directorate for Ferries, Steamers and Piers"),
            vec!["Directorate for Ferries, Steamers and Piers"]
        );
    }

    #[test]
    fn a_stakeholder_bullet_names_each_organisation_without_its_role_note() {
        assert_eq!(
            stakeholders("Kelpie Trust; Otter Forum"),
            vec!["Kelpie Trust", "Otter Forum"]
        );
        assert_eq!(
            stakeholders("Heron Society /Puffin Club/ Gannet Group"),
            vec!["Heron Society", "Puffin Club", "Gannet Group"]
        );
        assert_eq!(
            stakeholders("Seal Watch (lead non-government stakeholder)"),
            vec!["Seal Watch"]
        );
        // A bracket that is part of the name stays.
        assert_eq!(
            stakeholders("Tern Players (Drama)"),
            vec!["Tern Players (Drama)"]
        );
        // A bracket listing bodies after words that describe them gives the bodies.
        assert_eq!(
            stakeholders("other organisations (Kelp Growers Union, Dune Wardens and Skerry Trust)"),
            vec!["Kelp Growers Union", "Dune Wardens", "Skerry Trust"]
        );
        assert_eq!(
            stakeholders("Firth Rowing Club (Leith, Portobello)"),
            vec!["Firth Rowing Club (Leith, Portobello)"]
        );
    }

    #[test]
    fn a_problem_sentence_is_no_name() {
        assert!(reads_as_sentence(
            "people living by the coast are rarely asked how its harbours should change"
        ));
        assert!(reads_as_sentence("Data on harbours is hard to find."));
        assert!(!reads_as_sentence(
            "Minority Ethnic Carers of Older People Project"
        ));
        assert!(!reads_as_sentence(
            "other organisations (Coastal Climate Action Network, Shoreline Friends)"
        ));
    }

    /// An overview of commitment 5 whose directorate and stakeholder labels are in words no
    /// lexicon holds, and a list of values under a third such label.
    fn unlabelled(bodies: &str, values: &str) -> Page {
        let html = format!(
            r#"<html><head><link rel="canonical" href="https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-5-harbours/"/></head>
            <body><h1 class="ds_page-header__title">Open Government action plan 2021 to 2025 - commitment 5: harbours</h1>
            <div class="js-content-wrapper">
            <h2>Commitment overview</h2>
            <h3>Commitment title</h3><p>Opening the harbour accounts.</p>
            <h3>Who leads it</h3><p>Harbour Finance Directorate, DG Coasts</p>
            <h3>Who we work with</h3><ul>{bodies}</ul>
            <h3>What guides us</h3><ul>{values}</ul>
            <h3>Initial milestones</h3><ul><li>publish the accounts (May 2023)</li></ul>
            </div></body></html>"#
        );
        crate::page::parse_page(
            "https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-5-harbours/",
            html.as_bytes(),
        )
        .expect("parses")
    }

    #[test]
    fn unknown_labels_are_read_by_the_shape_of_their_values() {
        let bodies = "<li>Pier Users Association</li><li>Skerry Boat Club</li>";
        let values = "<li>Openness</li><li>Taking part</li>";
        let (facts, _, unread) = parse(&unlabelled(bodies, values)).expect("an overview");
        // A line naming directorates, and a list of bodies, where no label gave either.
        assert_eq!(
            facts.lead_directorate.map(|(d, _)| d).as_deref(),
            Some("Harbour Finance Directorate, DG Coasts")
        );
        let names: Vec<&str> = facts.stakeholders.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(names, ["Pier Users Association", "Skerry Boat Club"]);
        // A list naming no body is no list of stakeholders: it stays unread.
        assert_eq!(unread.len(), 1);
        // So, printed first, the values are passed over and the bodies after them are read.
        let (facts, _, unread) = parse(&unlabelled(values, bodies)).expect("an overview");
        let names: Vec<&str> = facts.stakeholders.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(names, ["Pier Users Association", "Skerry Boat Club"]);
        assert_eq!(unread.len(), 1);
    }
}
