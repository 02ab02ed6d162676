//! The labels of a progress report, recognised by their words whatever carries them: a heading
//! of any level, a bold lead ("**Milestone:** ..." or "**Milestone** ..."), a paragraph or a
//! table cell; with or without a colon; inline ("Milestone: ...") or on a line of its own (the
//! text follows in the next block); in any case.

use std::sync::LazyLock;

use regex::Regex;

use crate::date::re;
use crate::page::Block;

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

const WORDS: &str = r"(?:(?P<milestone>milestones?(?:\s+\d+)?(?:\s+aims?)?(?:\s*\([^)]{1,40}\))?|aims?|objectives?)|(?P<activity>plan|success\s+criteria)|(?P<update>(?:progress\s+)?updates?(?:\s+(?:and|&)\s+next\s+steps)?|progress(?:\s+(?:and|&)\s+(?:next\s+steps|updates?))?)|(?P<next>next\s+steps)|(?P<status>(?:current\s+)?status))";

/// A label alone ("Milestone", "Update and next steps:") or followed by a colon and its text.
static LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?i)^{WORDS}\s*(?:$|:\s*(?P<rest>.*)$)")));
/// A bold lead that is a label and nothing else ("**Milestone**", "**Update:**").
static LEAD: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"(?i)^{WORDS}\s*:?$")));

fn label_in(caps: &regex::Captures<'_>) -> Option<Label> {
    [
        ("milestone", Label::Milestone),
        ("activity", Label::Activity),
        ("update", Label::Update),
        ("next", Label::NextSteps),
        ("status", Label::Status),
    ]
    .into_iter()
    .find(|(name, _)| caps.name(name).is_some())
    .map(|(_, label)| label)
}

fn rest_of(text: &str) -> Option<String> {
    let rest = text.trim_start_matches(|c: char| c == ':' || c.is_whitespace());
    (!rest.is_empty()).then(|| rest.to_owned())
}

/// The label a block is or starts with, if any.
pub(super) fn of(block: &Block) -> Option<Labelled> {
    if let Some(caps) = LABEL.captures(&block.text) {
        return Some(Labelled {
            label: label_in(&caps)?,
            rest: caps.name("rest").and_then(|r| rest_of(r.as_str())),
        });
    }
    // "**Milestone** To do X": the bold run delimits the label where no colon does.
    let lead = block.lead.as_deref()?;
    let caps = LEAD.captures(lead)?;
    Some(Labelled {
        label: label_in(&caps)?,
        rest: block.text.strip_prefix(lead).and_then(rest_of),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::BlockKind;

    fn block(text: &str, lead: Option<&str>) -> Block {
        Block {
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
        }
    }

    fn label(text: &str, lead: Option<&str>) -> Option<(Label, Option<String>)> {
        of(&block(text, lead)).map(|l| (l.label, l.rest))
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
