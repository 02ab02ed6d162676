//! Lexicons: which field a label names, by its words.
//!
//! Each kind keeps its own table of fields and the label phrases that name each one, as data
//! in its module; this module holds the one way they are matched against a label's normalised
//! words ([`crate::page::words`]), strictest first:
//! 1. a phrase equal to the label's words;
//! 2. a phrase standing in the label's words as a run of whole words, when the label is short
//!    (a long heading that happens to hold "milestone" is an objective, not a label).

use entity::DocumentKind;

use crate::page::Block;

/// A field and the phrases that name it.
#[derive(Clone, Copy, Debug)]
pub struct Entry<F> {
    /// The field.
    pub field: F,
    /// Its label phrases, as [`words`] normalises them.
    pub phrases: &'static [&'static str],
}

/// How many words a label may have beyond the phrase it holds, to be matched by the phrase.
const SLACK_WORDS: usize = 6;

/// True when `phrase` stands in `label` as a run of whole words.
fn holds(label: &str, phrase: &str) -> bool {
    let (label, phrase): (Vec<&str>, Vec<&str>) =
        (label.split(' ').collect(), phrase.split(' ').collect());
    !phrase.is_empty()
        && label.len() <= phrase.len() + SLACK_WORDS
        && label.windows(phrase.len()).any(|w| w == phrase.as_slice())
}

/// The field of `lexicon` that the label with normalised words `label` names, if any.
pub fn field_of<F: Copy>(lexicon: &[Entry<F>], label: &str) -> Option<F> {
    phrase_field(lexicon, label).or_else(|| {
        lexicon
            .iter()
            .find(|e| e.phrases.iter().any(|p| holds(label, p)))
            .map(|e| e.field)
    })
}

/// The field of `lexicon` one of whose phrases `label`'s normalised words are, whole: the
/// strict first step of [`field_of`], for kinds whose labels run into their values.
pub fn phrase_field<F: Copy>(lexicon: &[Entry<F>], label: &str) -> Option<F> {
    lexicon
        .iter()
        .find(|e| e.phrases.contains(&label))
        .map(|e| e.field)
}

/// Every kind's lexicons as phrase groups, one per field, each with the kind that reads it:
/// the label phrases that name one field of one kind are synonyms. For tools that reprint
/// labels in other words (the metamorphic tests).
pub fn synonyms() -> Vec<(DocumentKind, &'static [&'static str])> {
    let overview = super::commitment_overview::synonyms()
        .into_iter()
        .map(|g| (DocumentKind::CommitmentOverview, g));
    let report = super::progress_report::synonyms()
        .into_iter()
        .map(|g| (DocumentKind::ProgressReport, g));
    let plan = super::delivery_plan::synonyms()
        .into_iter()
        .map(|g| (DocumentKind::DeliveryPlan, g));
    overview.chain(report).chain(plan).collect()
}

/// The phrase groups of one lexicon ([`synonyms`]).
pub(crate) fn groups<F>(lexicon: &[Entry<F>]) -> impl Iterator<Item = &'static [&'static str]> {
    lexicon.iter().map(|e| e.phrases)
}

/// A label a block is or starts with ([`leading`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leading<F> {
    /// The field it names.
    pub field: F,
    /// Whether a colon set it apart.
    pub colon: bool,
    /// The words after it on its line, if any.
    pub rest: Option<String>,
}

/// The label `block` is or starts with, if any, `named` telling a label's words from other
/// words: the words before its first colon ("Milestone: To do X"), the whole block ("Who is
/// leading this work"), or its bold lead ("**Milestone** To do X", where the bold run delimits
/// the label as a colon would). For kinds whose labels run into their values; words after a
/// label are its value only when a colon or a bold run sets them apart.
pub fn leading<F>(block: &Block, named: impl Fn(&str) -> Option<F>) -> Option<Leading<F>> {
    let text = block.text.trim();
    if let Some((head, rest)) = text.split_once(':')
        && let Some(field) = named(head)
    {
        return Some(Leading {
            field,
            colon: true,
            rest: value(rest),
        });
    }
    if let Some(field) = named(text) {
        return Some(Leading {
            field,
            colon: false,
            rest: None,
        });
    }
    let lead = block.lead.as_deref()?.trim();
    let field = named(lead.trim_end_matches(':'))?;
    Some(Leading {
        field,
        colon: lead.ends_with(':'),
        rest: text.strip_prefix(lead).and_then(value),
    })
}

/// The words after a label: without the colons and spaces that set them apart; `None` when
/// there are none.
fn value(text: &str) -> Option<String> {
    let rest = text.trim_start_matches(|c: char| c == ':' || c.is_whitespace());
    let rest = rest.trim_end();
    (!rest.is_empty()).then(|| rest.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::words;

    /// [`field_of`] for a label as printed.
    fn field_of_text<F: Copy>(lexicon: &[Entry<F>], label: &str) -> Option<F> {
        field_of(lexicon, &words(label))
    }

    const LEXICON: &[Entry<u8>] = &[
        Entry {
            field: 1,
            phrases: &["status quo"],
        },
        Entry {
            field: 2,
            phrases: &["status", "current status"],
        },
        Entry {
            field: 3,
            phrases: &["milestones", "milestone"],
        },
    ];

    #[test]
    fn the_whole_phrase_wins_then_a_run_of_words_in_a_short_label() {
        assert_eq!(field_of_text(LEXICON, "Status Quo:"), Some(1));
        assert_eq!(field_of_text(LEXICON, "CURRENT STATUS"), Some(2));
        assert_eq!(field_of_text(LEXICON, "Initial milestones"), Some(3));
        assert_eq!(field_of_text(LEXICON, "Milestone (2024 to 2025)"), Some(3));
        // Part of a word, or a phrase lost in a long heading, is no match.
        assert_eq!(field_of_text(LEXICON, "Statuses"), None);
        assert_eq!(
            field_of_text(
                LEXICON,
                "To agree which milestone comes first with the partners in the spring"
            ),
            None
        );
    }
}
