//! Which part of the commitment template each labelled section of an overview is: its labels'
//! lexicon (section 7.2 of the research notes, and their synonyms), the role of every section
//! of the outline, and the sections left unread.

use super::names::reads_as_sentence;
use crate::date::{FuzzyDate, find_date};
use crate::kind::lexicon::{Entry, field_of, groups};
use crate::page::{Block, BlockKind, Label, Outline, words};

/// What a labelled section of the overview holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Section {
    Title,
    Timeframe,
    Directorate,
    Stakeholders,
    Problem,
    StatusQuo,
    Milestones,
    /// A group of milestones set apart by their horizon ("Longer term activities (4 year
    /// plan, to December 2025)"): milestones with no objective, due by the group's date.
    LongerTerm,
    Values,
    /// Prose the page explains the commitment in ("Ambition"): kept as passages.
    Prose,
    #[default]
    Other,
}

/// The overview's labels (section 7.2 of the research notes, and their synonyms).
const LEXICON: &[Entry<Section>] = &[
    Entry {
        field: Section::Title,
        phrases: &[
            "commitment title",
            "title",
            "commitment name",
            "name of commitment",
        ],
    },
    Entry {
        field: Section::Timeframe,
        phrases: &[
            "timeframe",
            "time frame",
            "timescale",
            "timescales",
            "period",
            "duration",
        ],
    },
    Entry {
        field: Section::Directorate,
        phrases: &[
            "lead implementing directorate",
            "lead implementing directorates",
            "lead directorate",
            "lead implementing organisation",
            "directorate",
        ],
    },
    Entry {
        field: Section::Stakeholders,
        phrases: &[
            "civil society stakeholders",
            "civil society stakeholder",
            "civil society partners",
            "stakeholders",
            "other stakeholders involved",
        ],
    },
    Entry {
        field: Section::StatusQuo,
        phrases: &["status quo"],
    },
    Entry {
        field: Section::Problem,
        phrases: &["problem", "problems", "problem definition", "the problem"],
    },
    Entry {
        field: Section::Milestones,
        phrases: &[
            "initial milestones",
            "milestones",
            "milestone",
            "key milestones",
        ],
    },
    Entry {
        field: Section::LongerTerm,
        phrases: &[
            "longer term activities",
            "longer term milestones",
            "longer term actions",
            "long term activities",
            "long term milestones",
        ],
    },
    Entry {
        field: Section::Values,
        phrases: &[
            "open government partnership value",
            "open government partnership values",
            "ogp values",
            "ogp value",
        ],
    },
    Entry {
        field: Section::Prose,
        phrases: &[
            "ambition",
            "commitment overview",
            "commitment description",
            "how the commitment will contribute to solving the problem described above",
            "how the commitment will contribute to solving the problem",
        ],
    },
];

/// The lexicon's phrase groups ([`crate::kind::lexicon::synonyms`]).
pub(crate) fn synonyms() -> Vec<&'static [&'static str]> {
    groups(LEXICON).collect()
}

/// The template field a label names, when its words are in the lexicon.
pub(super) fn section_of(label: &Label) -> Option<Section> {
    field_of(LEXICON, &label.words)
}

/// What a section of the outline is, for this kind.
#[derive(Clone, Debug, Default)]
pub(super) struct Role {
    /// Its field.
    pub(super) field: Section,
    /// The objective its milestones stand under.
    pub(super) objective: Option<String>,
    /// The date a group of longer-term milestones is due by, for those printing none.
    pub(super) horizon: Option<FuzzyDate>,
}

impl Role {
    fn of(field: Section, objective: Option<String>) -> Self {
        Self {
            field,
            objective,
            horizon: None,
        }
    }
}

/// What each section of the outline is, for this kind (see [`Role`]): by its label, else by
/// the shape of its value ([`by_shape`]).
/// Also gives the depth the page prints its labels at.
pub(super) fn roles(outline: &Outline, blocks: &[Block]) -> Option<(u8, Vec<Role>)> {
    let label_depth = outline
        .labelled()
        .find(|(_, _, l)| section_of(l).is_some_and(|s| s != Section::Prose))
        .map(|(_, s, _)| s.depth)?;
    let mut roles: Vec<Role> = Vec::with_capacity(outline.sections.len());
    // The field of the label-level section now open.
    let mut open = Section::Other;
    // The longer-term group now open: its section and its date.
    let mut group: Option<(usize, Option<FuzzyDate>)> = None;
    for (i, section) in outline.sections.iter().enumerate() {
        let label = section.label.as_ref();
        let field = label.and_then(section_of);
        group = group.filter(|(g, _)| outline.is_within(i, *g));
        let horizon = group.as_ref().and_then(|(_, d)| d.clone());
        let role = match label {
            None => Role::default(),
            // A longer-term group, at the labels' own level or among the milestones' groups.
            Some(l)
                if field == Some(Section::LongerTerm)
                    && (section.depth == label_depth || open == Section::Milestones) =>
            {
                open = Section::Milestones;
                // The group's date is one part of its bracket ("4 year plan, to December
                // 2025"): the first part that is a date.
                let date = l
                    .text
                    .split(['(', ')', ','])
                    .find_map(|part| find_date(part).map(|f| f.date).filter(|d| !d.is_undated()));
                group = Some((i, date.clone()));
                Role {
                    field: Section::Milestones,
                    objective: None,
                    horizon: date,
                }
            }
            Some(l) if section.depth == label_depth => match field {
                Some(s) => {
                    open = s;
                    Role::of(s, None)
                }
                // A theme printed at the labels' own level, after the milestones and holding
                // a list, is a group of milestones.
                None if open == Section::Milestones && holds_items(outline, blocks, i) => {
                    Role::of(Section::Milestones, Some(l.text.clone()))
                }
                None => {
                    open = Section::Other;
                    Role::default()
                }
            },
            // Deeper: a label of its own field ("**Timeframe:** ..." under a bold title label),
            // else a sub-heading of the open field; under the milestones, an objective.
            Some(l) if section.depth > label_depth => match (open, field) {
                (Section::Milestones, _) => Role {
                    field: Section::Milestones,
                    objective: Some(l.text.clone()),
                    horizon,
                },
                (_, Some(own)) if own != Section::Prose => {
                    open = own;
                    Role::of(own, None)
                }
                (other, _) => Role::of(other, None),
            },
            Some(_) => {
                open = Section::Other;
                Role::default()
            }
        };
        roles.push(role);
    }
    by_shape(outline, blocks, &mut roles);
    Some((label_depth, roles))
}

/// Reads by the shape of its value a section whose label the lexicon does not hold, for a field
/// no label gave (research notes, section 7.5): a line naming directorates is the lead
/// directorate, a list of bodies the civil society stakeholders.
fn by_shape(outline: &Outline, blocks: &[Block], roles: &mut [Role]) {
    for field in [Section::Directorate, Section::Stakeholders] {
        if roles.iter().any(|r| r.field == field) {
            continue;
        }
        let found = outline.labelled().map(|(i, _, _)| i).find(|&i| {
            roles.get(i).is_some_and(|r| r.field == Section::Other)
                && shaped_as(field, outline, blocks, i)
        });
        if let Some(role) = found.and_then(|i| roles.get_mut(i)) {
            *role = Role::of(field, None);
        }
    }
}

/// True when section `i`'s value has the shape of `field`'s.
fn shaped_as(field: Section, outline: &Outline, blocks: &[Block], i: usize) -> bool {
    let Some(section) = outline.sections.get(i) else {
        return false;
    };
    let inline = section.label.as_ref().and_then(|l| l.value.as_deref());
    let content: Vec<&Block> = section
        .blocks
        .iter()
        .filter_map(|&b| blocks.get(b))
        .collect();
    match field {
        Section::Directorate => match (inline, content.as_slice()) {
            (Some(line), []) => names_directorates(line),
            (None, [line]) => line.kind == BlockKind::Paragraph && names_directorates(&line.text),
            _ => false,
        },
        Section::Stakeholders => {
            // The list that opens the section, up to a bullet that reads as a sentence (the
            // unlabelled problem, read after it as it is under a stakeholders' label).
            let list = content.first().and_then(|b| match b.kind {
                BlockKind::Item { list } => Some(list),
                _ => None,
            });
            let names: Vec<&&Block> = content
                .iter()
                .take_while(|b| {
                    list.is_some_and(|l| b.kind == BlockKind::Item { list: l })
                        && !reads_as_sentence(&b.text)
                })
                .collect();
            // Names, most of them capitalised, one at least a body's by its words ("... Trust",
            // "... Association"): a list of values ("Transparency", "Participation") names none.
            let capitalised = names
                .iter()
                .filter(|b| {
                    b.text
                        .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                })
                .count();
            inline.is_none()
                && names.len() >= 2
                && names.iter().all(|b| find_date(&b.text).is_none())
                && 2 * capitalised > names.len()
                && names.iter().any(|b| crate::link::is_body_name(&b.text))
        }
        _ => false,
    }
}

/// True for a line that names directorates and is no sentence: short comma-separated parts,
/// no full stop ("Marine Planning Directorate, DG Net Zero").
fn names_directorates(line: &str) -> bool {
    !line.trim_end().ends_with('.')
        && line
            .split(',')
            .all(|part| part.split_whitespace().count() <= 8)
        && words(line)
            .split(' ')
            .any(|w| w == "directorate" || w == "directorates")
}

/// True when section `i` or a section under it holds a list item (the sections under it
/// follow it, in page order).
fn holds_items(outline: &Outline, blocks: &[Block], i: usize) -> bool {
    (i..outline.sections.len())
        .take_while(|&j| j == i || outline.is_within(j, i))
        .flat_map(|j| outline.sections[j].blocks.iter())
        .any(|&b| matches!(blocks.get(b).map(|b| &b.kind), Some(BlockKind::Item { .. })))
}

/// The labelled sections with content that the overview's reader leaves alone: labels its
/// lexicon does not hold, outside the milestones (see [`crate::kind::read`]).
pub(super) fn unread(outline: &Outline, roles: &[Role]) -> Vec<usize> {
    outline
        .labelled()
        .map(|(i, _, _)| i)
        .filter(|&i| {
            roles
                .get(i)
                .is_some_and(|role| role.field == Section::Other)
                && outline.has_content(i)
        })
        .collect()
}
