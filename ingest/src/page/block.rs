//! A page's content as a flat list of blocks (headings, paragraphs, list items) in page order,
//! each with the headings above it and its nearest anchor: what every page-kind parser reads,
//! whichever site template the page came from ([`super::walk`] builds them).

use scraper::ElementRef;

/// What a block of content is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// `h1`..`h6`, with its level.
    Heading(u8),
    /// A paragraph.
    Paragraph,
    /// A list item; `list` numbers the lists of the page, so items of one list share it.
    Item {
        /// Which list of the page the item belongs to.
        list: usize,
    },
}

/// One heading, paragraph or list item of a page's content, in page order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Heading, paragraph or list item.
    pub kind: BlockKind,
    /// The text, with white space folded.
    pub text: String,
    /// The headings above the block, outermost first (not including the block itself); once
    /// the page's outline is built, the labels that head its parts whatever their form (see
    /// `Outline::head_blocks`).
    pub headings: Vec<String>,
    /// The nearest fragment identifier: the block's own `id`, else the closest heading's.
    pub anchor: Option<String>,
    /// Text of a leading `<strong>`, when the block starts with one ("**Digital Access** – ...").
    pub lead: Option<String>,
    /// True when all the block's text is one link (a vision statement linking to case studies).
    pub is_link: bool,
    /// True when all the block's text is bold (`strong` or `b`): "**Timeframe**" as a paragraph.
    pub bold: bool,
    /// True for a definition list's term (`dt`); its description (`dd`) is a paragraph.
    pub term: bool,
    /// True for a list item of a list nested in another list (a sub-point of the item above).
    pub nested: bool,
    /// The block's own `id`, where its element has one (unlike [`Block::anchor`], which falls
    /// back to the closest heading's).
    pub id: Option<String>,
    /// The table cell the block stands in (a bare-text cell's own lines, or a paragraph, list
    /// item or heading nested in a `td`/`th`); `None` outside tables.
    pub cell: Option<Cell>,
}

/// Where a block stands in a table: which table of the page, which row and which column, all
/// counted from 0 in page order (a header row is row 0 like any other; a cell spanning columns
/// moves the columns after it along by its span).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cell {
    /// Which table of the page (the first is 0).
    pub table: usize,
    /// Which row of that table.
    pub row: usize,
    /// Which column of that row.
    pub column: usize,
}

impl Block {
    /// True for headings.
    pub fn is_heading(&self) -> bool {
        matches!(self.kind, BlockKind::Heading(_))
    }

    /// The heading level, for headings.
    pub fn level(&self) -> Option<u8> {
        match self.kind {
            BlockKind::Heading(level) => Some(level),
            _ => None,
        }
    }
}

#[cfg(test)]
impl Block {
    /// A paragraph of `text`, its bold lead `lead`, standing under no heading: for tests of
    /// what reads labels.
    pub(crate) fn paragraph(text: &str, lead: Option<&str>) -> Self {
        Self {
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
}

/// Folds runs of white space (non-breaking spaces included) into single spaces.
pub fn fold_space(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` without what stands in round brackets ("Milestone (2024)" is "Milestone "): a note
/// beside a name or a label, not part of it.
pub fn outside_brackets(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .filter(|c| {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ => return depth == 0,
            }
            false
        })
        .collect()
}

/// An element's text, white space folded.
pub(super) fn text_of(el: ElementRef<'_>) -> String {
    fold_space(&el.text().collect::<String>())
}
