//! Which block of a page is a label, and how it was printed: one rule for every kind, decided
//! by the block's form and length, never by its words (the kinds' lexicons decide what a label
//! means):
//! - a heading of any level;
//! - a definition list's term (`dt`);
//! - a short paragraph that is wholly bold ("**Timeframe**"), unless it ends as a sentence does;
//! - a paragraph whose bold lead ends in a colon ("**Timeframe:** 2021 to 2025"): the rest is the
//!   label's inline value;
//! - a short plain paragraph ending in a colon ("We will:"), or opening with a few words and a
//!   colon ("Milestone: To publish ..."): the rest, if any, is the inline value;
//! - the first cell of a row in a two-column table whose first column is all short labels;
//! - a header cell: row 0 of a table of several columns whose cells are all short. Header cells
//!   label their column ([`Outline::header_of`]) and open no section.
//!
//! List items are never labels: a list of bold names is a list of names.

use super::block::{Block, BlockKind};

/// How a label was printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    /// A heading, with its level.
    Heading(u8),
    /// A paragraph that is wholly bold.
    BoldParagraph,
    /// A bold lead ending in a colon, before the label's value.
    BoldLead,
    /// A plain "Label:" line, or "Label: value".
    ColonLine,
    /// A definition list's term.
    Term,
    /// A table's header cell, labelling its column.
    HeaderCell,
    /// The first cell of a label/value table's row.
    FirstColumnCell,
}

impl Form {
    /// The form's name as the API serves it (`UnreadSection.form`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Heading(_) => "HEADING",
            Self::BoldParagraph => "BOLD_PARAGRAPH",
            Self::BoldLead => "BOLD_LEAD",
            Self::ColonLine => "LABEL_LINE",
            Self::Term => "TERM",
            Self::HeaderCell => "HEADER_CELL",
            Self::FirstColumnCell => "FIRST_COLUMN_CELL",
        }
    }
}

/// A block acting as a label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The label as printed, without a trailing colon.
    pub text: String,
    /// Its words, normalised by [`words`]: what lexicons compare.
    pub words: String,
    /// How it was printed.
    pub form: Form,
    /// The value printed in the label's own block, after it ("2021 to 2025").
    pub value: Option<String>,
    /// True when the label was printed with a trailing colon, as a lead-in is.
    pub colon: bool,
    /// The label's block, as an index into the page's blocks.
    pub block: usize,
}

impl Label {
    /// True for a label that heads a part of the page as a heading does: a heading, a wholly
    /// bold line or a term; not a lead-in ("We will:") nor a label with its value on its line.
    pub fn heads(&self) -> bool {
        matches!(
            self.form,
            Form::Heading(_) | Form::BoldParagraph | Form::Term
        )
    }
}

/// A label's words as every lexicon compares them: Unicode compatibility forms folded, lower
/// case, each run of punctuation or white space one space, apostrophes dropped ("Who’s" and
/// "Whos" are one word).
pub fn words(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfkc().flat_map(char::to_lowercase) {
        if matches!(c, '\'' | '’' | '‘') {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// Longest a label may be, in words, when no heading or term marks it.
const MAX_LABEL_WORDS: usize = 12;
/// Longest the words before an inline colon may be, for "Label: value" in plain text.
const MAX_INLINE_LABEL_WORDS: usize = 5;

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// True for text that ends as a sentence does, which no label does.
fn ends_as_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', '!', '?'])
}

/// `text` without one trailing colon and the space before it.
pub(super) fn without_colon(text: &str) -> &str {
    let t = text.trim_end();
    t.strip_suffix(':').unwrap_or(t).trim_end()
}

fn non_empty(s: &str) -> Option<String> {
    let s = s
        .trim_start_matches(|c: char| c == ':' || c.is_whitespace())
        .trim_end();
    (!s.is_empty()).then(|| s.to_owned())
}

/// The tables laid out as label/value rows, and the tables with a header row, by table number.
pub(super) struct Tables {
    label_value: Vec<usize>,
    headed: Vec<usize>,
}

fn short_cell(text: &str) -> bool {
    word_count(text) <= MAX_LABEL_WORDS && !ends_as_sentence(text)
}

pub(super) fn tables(blocks: &[Block]) -> Tables {
    use std::collections::BTreeMap;
    // table -> (columns seen, first column all short, row 0 all short, rows after row 0)
    let mut seen: BTreeMap<usize, (usize, bool, bool, bool)> = BTreeMap::new();
    for b in blocks {
        let Some(cell) = b.cell else { continue };
        let entry = seen.entry(cell.table).or_insert((0, true, true, false));
        entry.0 = entry.0.max(cell.column + 1);
        if cell.column == 0 {
            entry.1 &= short_cell(&b.text);
        }
        if cell.row == 0 {
            entry.2 &= short_cell(&b.text);
        } else {
            entry.3 = true;
        }
    }
    let mut out = Tables {
        label_value: Vec::new(),
        headed: Vec::new(),
    };
    for (table, (columns, first_short, header_short, more_rows)) in seen {
        if columns == 2 && first_short {
            out.label_value.push(table);
        } else if columns >= 2 && header_short && more_rows {
            out.headed.push(table);
        }
    }
    out
}

/// The label `block` is, if any, by its form; `tables` says how its table is laid out.
pub(super) fn label_of(block: &Block, index: usize, tables: &Tables) -> Option<Label> {
    let label = |printed: &str, form, value: Option<String>| {
        let text = without_colon(printed).to_owned();
        Some(Label {
            words: words(&text),
            colon: text.len() < printed.trim_end().len(),
            text,
            form,
            value,
            block: index,
        })
    };
    if let BlockKind::Heading(level) = block.kind {
        return label(&block.text, Form::Heading(level), None);
    }
    if !matches!(block.kind, BlockKind::Paragraph) {
        return None;
    }
    if let Some(cell) = block.cell {
        if cell.row == 0 && tables.headed.contains(&cell.table) {
            return label(&block.text, Form::HeaderCell, None);
        }
        if cell.column == 0 && tables.label_value.contains(&cell.table) {
            return label(&block.text, Form::FirstColumnCell, None);
        }
    }
    if block.term {
        return label(&block.text, Form::Term, None);
    }
    let text = block.text.as_str();
    if block.bold && word_count(text) <= MAX_LABEL_WORDS && !ends_as_sentence(text) {
        return label(text, Form::BoldParagraph, None);
    }
    if let Some(lead) = block.lead.as_deref() {
        let rest = text.strip_prefix(lead).unwrap_or_default();
        let colon = lead.trim_end().ends_with(':') || rest.trim_start().starts_with(':');
        if colon && word_count(lead) <= MAX_LABEL_WORDS {
            return label(lead, Form::BoldLead, non_empty(rest)).map(|l| Label { colon, ..l });
        }
    }
    if text.ends_with(':') && word_count(text) <= MAX_LABEL_WORDS {
        return label(text, Form::ColonLine, None);
    }
    if let Some((head, rest)) = text.split_once(": ") {
        let plain = word_count(head) <= MAX_INLINE_LABEL_WORDS
            && head.chars().next().is_some_and(char::is_uppercase)
            && !head.contains([',', '.', ';', '(', ')']);
        // "Milestone (2024 to 2025): ...": a short label keyed by a bracket.
        let keyed = head.contains('(') && head.ends_with(')') && word_count(head) <= 8;
        let inline = plain || keyed;
        if inline {
            return label(head, Form::ColonLine, non_empty(rest))
                .map(|l| Label { colon: true, ..l });
        }
    }
    None
}

/// What decides a label's level, beside its form: whether its value is on its line, and
/// whether it ends in a colon.
pub(super) type LabelKind = (Form, bool, bool);

/// How prominently a label of this kind heads what follows, most first: a heading; a bold
/// line, a term or a table's row label; a bold lead-in ending in a colon ("**As a
/// citizen:**"); a plain lead-in ("We will:"); a label followed by its value ("**Timeframe:**
/// 2021 to 2025").
pub(super) fn prominence((form, inline, colon): LabelKind) -> u8 {
    match (form, inline, colon) {
        (Form::Heading(_), _, _) => 0,
        (_, true, _) => 4,
        (Form::ColonLine, false, _) => 3,
        (_, false, true) => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_case_punctuation_and_compatibility_forms() {
        assert_eq!(
            words("  Lead  implementing\u{a0}DIRECTORATE: "),
            "lead implementing directorate"
        );
        assert_eq!(
            words("Who’s leading – this work?"),
            "whos leading this work"
        );
        assert_eq!(words("ﬁrst Milestone (2024)"), "first milestone 2024");
    }
}
