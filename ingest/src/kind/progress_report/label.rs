//! The labels of a progress report, recognised by their words whatever carries them: a heading
//! of any level, a bold lead ("**Milestone:** ..." or "**Milestone** ..."), a paragraph or a
//! table cell; with or without a colon; inline ("Milestone: ...") or on a line of its own (the
//! text follows in the next block); in any case. Their words are a lexicon ([`LEXICON`]), matched
//! whole, as every kind's are ([`crate::kind::lexicon`]).

use crate::kind::lexicon::{Entry, groups, leading, phrase_field};
use crate::page::{Block, outside_brackets, words};

/// What a label introduces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Label {
    /// The milestone: "Milestone", "Milestone aim", "Milestone (2024):", "Milestones", "Aim",
    /// "Objective".
    Milestone,
    /// What the update is measured against: commitment 4's "Plan:" and "Success criteria:".
    Activity,
    /// The update: "Update and next steps", "Progress and next steps", "Progress", "Update:".
    Update,
    /// "Next steps", when the page gives them apart.
    NextSteps,
    /// "Status".
    Status,
}

impl Label {
    /// True for the labels that only a progress report's update side prints.
    pub(super) fn is_update_side(self) -> bool {
        !matches!(self, Self::Milestone)
    }
}

/// A label and, when it is inline, the text after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Labelled {
    pub(super) label: Label,
    pub(super) rest: Option<String>,
}

/// The report's labels (section 7.2 of the research notes, and their synonyms), by their words
/// ([`crate::page::words`], so "&" is no word): a label's bracketed note and its numbers are
/// not among them ("Milestone (2024 to 2025):", "Milestone 2 aim").
const LEXICON: &[Entry<Label>] = &[
    Entry {
        field: Label::Milestone,
        phrases: &[
            "milestone",
            "milestones",
            "milestone aim",
            "milestone aims",
            "milestones aim",
            "milestones aims",
            "aim",
            "aims",
            "objective",
            "objectives",
        ],
    },
    Entry {
        field: Label::Activity,
        phrases: &["plan", "success criteria"],
    },
    Entry {
        field: Label::Update,
        phrases: &[
            "update",
            "updates",
            "progress update",
            "progress updates",
            "update and next steps",
            "updates and next steps",
            "update next steps",
            "updates next steps",
            "progress update and next steps",
            "progress updates and next steps",
            "progress",
            "progress and next steps",
            "progress next steps",
            "progress and update",
            "progress and updates",
        ],
    },
    Entry {
        field: Label::NextSteps,
        phrases: &["next steps"],
    },
    Entry {
        field: Label::Status,
        phrases: &["status", "current status"],
    },
];

/// The lexicon's phrase groups ([`crate::kind::lexicon::synonyms`]).
pub(super) fn synonyms() -> impl Iterator<Item = &'static [&'static str]> {
    groups(LEXICON)
}

/// The label `head` names, when its words without bracketed notes and numbers are one of the
/// lexicon's phrases, whole.
fn named(head: &str) -> Option<Label> {
    let label: Vec<String> = words(&outside_brackets(head))
        .split(' ')
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_owned)
        .collect();
    phrase_field(LEXICON, &label.join(" "))
}

/// The label a block is or starts with, if any ([`leading`]).
pub(super) fn of(block: &Block) -> Option<Labelled> {
    leading(block, named).map(|l| Labelled {
        label: l.field,
        rest: l.rest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str, lead: Option<&str>) -> Option<(Label, Option<String>)> {
        of(&Block::paragraph(text, lead)).map(|l| (l.label, l.rest))
    }

    #[test]
    fn labels_are_read_alone_inline_and_bold() {
        use Label::*;
        let own = |l| Some((l, None));
        assert_eq!(label("Milestone", None), own(Milestone));
        assert_eq!(label("MILESTONE:", None), own(Milestone));
        assert_eq!(label("Milestone aim", None), own(Milestone));
        assert_eq!(label("Milestones", None), own(Milestone));
        assert_eq!(label("Objective", None), own(Milestone));
        assert_eq!(label("Update and next steps", None), own(Update));
        assert_eq!(label("progress and next steps:", None), own(Update));
        assert_eq!(label("Next steps", None), own(NextSteps));
        assert_eq!(label("Status", None), own(Status));
        assert_eq!(
            label("Milestone (2024 to 2025): Publish the data", None),
            Some((Milestone, Some("Publish the data".to_owned())))
        );
        assert_eq!(
            label("Success criteria: ten boards", None),
            Some((Activity, Some("ten boards".to_owned())))
        );
        assert_eq!(
            label("Aim Run the pilots", Some("Aim")),
            Some((Milestone, Some("Run the pilots".to_owned())))
        );
        assert_eq!(
            label("Status: In progress.", Some("Status:")),
            Some((Status, Some("In progress.".to_owned())))
        );
        // Words that only begin like a label are not one.
        assert_eq!(label("Progress to August 2022", None), None);
        assert_eq!(label("Status Quo", None), None);
        assert_eq!(label("Planning the events", Some("Planning")), None);
    }
}
