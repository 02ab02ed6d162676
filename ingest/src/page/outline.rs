//! A page's outline: its blocks grouped under the labels that head them, built once per page
//! and read by every page kind.
//!
//! Which block is a label is decided in [`super::label`].
//!
//! Depth comes from heading levels and prominence: a heading of level `n` is at depth `n`; any
//! other label one below the innermost open label that heads more prominently than it does (a
//! heading above a bold line, above a plain "Label:" lead-in, above a label with its value on
//! its line). A label beside an open label of its own form (and inline or not, as it is) is
//! that label's sibling, whatever came between: a bold label after a sub-heading under an
//! earlier bold label stands beside the earlier one. A section holds the blocks after its label up to the
//! next label at its depth or above; deeper labels open its child sections.

use super::block::Block;
use super::label::{Form, Label, LabelKind, label_of, prominence, tables};

/// One section of the outline: a label (none for the page's opening section), the blocks
/// under it and its place in the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The label heading the section; `None` only for section 0, what stands before any label.
    pub label: Option<Label>,
    /// Its depth (see the module's documentation); 0 for section 0.
    pub depth: u8,
    /// The section it stands in.
    pub parent: Option<usize>,
    /// Its content blocks (not its label's block, nor its child sections' blocks), as indices
    /// into the page's blocks, in page order.
    pub blocks: Vec<usize>,
    /// Its fragment identifier: its label's own `id`, else its parent's (a sibling's `id` would
    /// send a reader to the wrong section).
    pub anchor: Option<String>,
}

/// A page's sections in page order (each one's parent comes before it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    /// The sections; section 0 holds what stands before the first label.
    pub sections: Vec<Section>,
    /// For each block, the section holding it (its own section, for a label's block).
    block_section: Vec<usize>,
    /// The header cells, as (table, column, label).
    headers: Vec<(usize, usize, Label)>,
}

impl Outline {
    /// Groups `blocks` under their labels.
    pub fn build(blocks: &[Block]) -> Self {
        let tables = tables(blocks);
        let mut outline = Outline {
            sections: vec![Section {
                label: None,
                depth: 0,
                parent: None,
                blocks: Vec::new(),
                anchor: None,
            }],
            block_section: Vec::with_capacity(blocks.len()),
            headers: Vec::new(),
        };
        // The open sections, innermost last.
        let mut open: Vec<usize> = vec![0];
        let mut cell_table: Option<usize> = None;
        for (i, block) in blocks.iter().enumerate() {
            // A label/value table's row sections end with the table.
            if cell_table.is_some() && block.cell.map(|c| c.table) != cell_table {
                while open.len() > 1
                    && outline.label_kind(open[open.len() - 1]).map(|k| k.0)
                        == Some(Form::FirstColumnCell)
                {
                    open.pop();
                }
                cell_table = None;
            }
            let Some(label) = label_of(block, i, &tables) else {
                let current = open.last().copied().unwrap_or(0);
                outline.sections[current].blocks.push(i);
                outline.block_section.push(current);
                continue;
            };
            if label.form == Form::HeaderCell {
                if let Some(cell) = block.cell {
                    outline.headers.push((cell.table, cell.column, label));
                }
                let current = open.last().copied().unwrap_or(0);
                outline.block_section.push(current);
                continue;
            }
            let depth = match label.form {
                Form::Heading(level) => level,
                // A label of a kind already open stands beside it: one kind is one level of
                // the page's structure, whatever came between. Otherwise it sits under the
                // innermost open label more prominent than itself (see `prominence`).
                form => {
                    let kind = (form, label.value.is_some(), label.colon);
                    let rank = prominence(kind);
                    let sibling = open
                        .iter()
                        .rev()
                        .find(|&&s| outline.label_kind(s) == Some(kind))
                        .map(|&s| outline.sections[s].depth);
                    let base = open
                        .iter()
                        .rev()
                        .find(|&&s| outline.label_kind(s).is_some_and(|k| prominence(k) < rank))
                        .map_or(1, |&s| outline.sections[s].depth.max(1));
                    sibling.unwrap_or(base.saturating_add(1))
                }
            };
            if label.form == Form::FirstColumnCell {
                cell_table = block.cell.map(|c| c.table);
            }
            while open.len() > 1
                && open
                    .last()
                    .is_some_and(|&s| outline.sections[s].depth >= depth)
            {
                open.pop();
            }
            let parent = open.last().copied().unwrap_or(0);
            let anchor = block
                .id
                .clone()
                .or_else(|| outline.sections[parent].anchor.clone())
                .or_else(|| block.anchor.clone().filter(|_| block.is_heading()));
            outline.sections.push(Section {
                label: Some(label),
                depth,
                parent: Some(parent),
                blocks: Vec::new(),
                anchor,
            });
            let index = outline.sections.len() - 1;
            open.push(index);
            outline.block_section.push(index);
        }
        outline
    }

    /// The form of section `section`'s label, whether its value stands on its line, and
    /// whether it ends in a colon.
    fn label_kind(&self, section: usize) -> Option<LabelKind> {
        self.sections
            .get(section)
            .and_then(|s| s.label.as_ref())
            .map(|l| (l.form, l.value.is_some(), l.colon))
    }

    /// The labelled sections, with their indices, in page order.
    pub fn labelled(&self) -> impl Iterator<Item = (usize, &Section, &Label)> {
        self.sections
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.label.as_ref().map(|l| (i, s, l)))
    }

    /// True when section `section` holds something of its own: an inline value or a block.
    pub fn has_content(&self, section: usize) -> bool {
        self.sections.get(section).is_some_and(|s| {
            !s.blocks.is_empty() || s.label.as_ref().is_some_and(|l| l.value.is_some())
        })
    }

    /// The sections directly under section `section`, in page order.
    pub fn children(&self, section: usize) -> impl Iterator<Item = usize> + '_ {
        (section + 1..self.sections.len())
            .filter(move |&i| self.sections[i].parent == Some(section))
    }

    /// True when section `inner` stands somewhere under section `outer`.
    pub fn is_within(&self, inner: usize, outer: usize) -> bool {
        let mut at = self.sections.get(inner).and_then(|s| s.parent);
        while let Some(p) = at {
            if p == outer {
                return true;
            }
            at = self.sections.get(p).and_then(|s| s.parent);
        }
        false
    }

    /// The section holding block `block` (for a label's block, the section it opens).
    pub fn section_of(&self, block: usize) -> usize {
        self.block_section.get(block).copied().unwrap_or(0)
    }

    /// The section block `block` opens and its label, when the block is a label.
    pub fn label_at(&self, block: usize) -> Option<(&Section, &Label)> {
        let section = self.sections.get(self.section_of(block))?;
        let label = section.label.as_ref().filter(|l| l.block == block)?;
        Some((section, label))
    }

    /// The label block `block` is, when it heads a part of the page as a heading does (see
    /// [`Label::heads`]).
    pub fn head_at(&self, block: usize) -> Option<&Label> {
        self.label_at(block).map(|(_, l)| l).filter(|l| l.heads())
    }

    /// The fragment identifier of block `block`: its own `id`, else its section's.
    pub fn anchor_of(&self, blocks: &[Block], block: usize) -> Option<String> {
        blocks
            .get(block)
            .and_then(|b| b.id.clone())
            .or_else(|| self.sections.get(self.section_of(block))?.anchor.clone())
    }

    /// Gives each block the anchor the outline finds for it ([`Outline::anchor_of`]), so a
    /// label of any form lends its `id` to what it heads, as a heading does.
    pub fn anchor_blocks(&self, blocks: &mut [Block]) {
        for i in 0..blocks.len() {
            let anchor = self.anchor_of(blocks, i);
            if let Some(b) = blocks.get_mut(i) {
                b.anchor = anchor;
            }
        }
    }

    /// Gives each block the path of labels above it ([`Block::headings`]): the labels of its
    /// section and of the sections it stands in, outermost first, counting the labels that
    /// head a part of the page as a heading does (headings, wholly bold lines, terms), not
    /// lead-ins ("We will:") or labels with their value on their line. A label's own block
    /// has the path above it.
    pub fn head_blocks(&self, blocks: &mut [Block]) {
        fn heads(s: &Section) -> Option<&Label> {
            s.label.as_ref().filter(|l| l.heads())
        }
        for i in 0..blocks.len() {
            let mut at = Some(self.section_of(i));
            if let Some((s, _)) = self.label_at(i) {
                at = s.parent;
            }
            let mut path = Vec::new();
            while let Some(s) = at.and_then(|s| self.sections.get(s)) {
                if let Some(l) = heads(s) {
                    path.push(l.text.clone());
                }
                at = s.parent;
            }
            path.reverse();
            if let Some(b) = blocks.get_mut(i) {
                b.headings = path;
            }
        }
    }

    /// The first label's text: what a page without a title of its own is called.
    pub fn first_label(&self) -> Option<&str> {
        self.labelled().next().map(|(_, _, l)| l.text.as_str())
    }

    /// The header cell labelling the column block `block` stands in, when its table has a
    /// header row and the block is a cell below it (a header cell has none).
    pub fn header_of(&self, blocks: &[Block], block: usize) -> Option<&Label> {
        let cell = blocks.get(block)?.cell?;
        self.headers
            .iter()
            .find(|(t, c, l)| *t == cell.table && *c == cell.column && l.block != block)
            .map(|(_, _, l)| l)
    }

    /// True for a table's header cell (which labels its column and opens no section).
    pub fn is_header(&self, block: usize) -> bool {
        self.headers.iter().any(|(_, _, l)| l.block == block)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::parse_page;

    fn outline_of(body: &str) -> (Vec<Block>, Outline) {
        let html = format!(
            r#"<html><body><h1 class="ds_page-header__title">Pub</h1>
            <div class="js-content-wrapper">{body}</div></body></html>"#
        );
        let page =
            parse_page("https://www.gov.scot/publications/p/", html.as_bytes()).expect("parses");
        (page.blocks, page.outline)
    }

    /// (depth, form, label words, inline value, content texts) of each labelled section.
    type Seen = (u8, Form, String, Option<String>, Vec<String>);

    fn seen(body: &str) -> Vec<Seen> {
        let (blocks, outline) = outline_of(body);
        outline
            .labelled()
            .map(|(_, s, l)| {
                (
                    s.depth,
                    l.form,
                    l.words.clone(),
                    l.value.clone(),
                    s.blocks.iter().map(|&b| blocks[b].text.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn every_label_form_opens_a_section_of_its_own() {
        let got = seen(
            r#"<h2>Overview</h2>
            <p><strong>Timeframe</strong></p><p>2021 to 2025</p>
            <p><strong>Lead directorate:</strong> Ports Directorate</p>
            <p><b>Owner</b>: Harbours Team</p>
            <p>Partners we worked with:</p><ul><li>Alpha Trust</li></ul>
            <p>Milestone: To open the books</p>
            <dl><dt>Problem</dt><dd>Nobody can read them.</dd></dl>
            <h3>Deeper</h3><p>Under it.</p>"#,
        );
        let s = |d, f, w: &str, v: Option<&str>, c: &[&str]| {
            (
                d,
                f,
                w.to_owned(),
                v.map(str::to_owned),
                c.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            got,
            vec![
                s(2, Form::Heading(2), "overview", None, &[]),
                s(3, Form::BoldParagraph, "timeframe", None, &["2021 to 2025"]),
                // Labels with their values sit under the bold line above them; a lead-in too,
                // and a label with its value under the lead-in.
                s(
                    4,
                    Form::BoldLead,
                    "lead directorate",
                    Some("Ports Directorate"),
                    &[]
                ),
                s(4, Form::BoldLead, "owner", Some("Harbours Team"), &[]),
                s(
                    4,
                    Form::ColonLine,
                    "partners we worked with",
                    None,
                    &["Alpha Trust"]
                ),
                s(
                    5,
                    Form::ColonLine,
                    "milestone",
                    Some("To open the books"),
                    &[]
                ),
                s(3, Form::Term, "problem", None, &["Nobody can read them."]),
                s(3, Form::Heading(3), "deeper", None, &["Under it."]),
            ]
        );
    }

    #[test]
    fn sentences_bold_items_and_long_lines_are_no_labels() {
        let got = seen(
            r#"<h2>Top</h2>
            <p><strong>On schedule.</strong></p>
            <ul><li><strong>Alpha Trust</strong></li></ul>
            <p>Three things went well in the year, and here they are in turn, one by one, as follows:</p>
            <p>The board said this, in short: the data is late.</p>"#,
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].4.len(), 4);
    }

    #[test]
    fn a_label_sits_one_below_the_heading_above_and_sections_nest_by_depth() {
        let (blocks, outline) = outline_of(
            r#"<h2 id="top">Milestones</h2>
            <p><strong>Theme one</strong></p><ul><li>first</li></ul>
            <h4>Deep heading</h4><ul><li>second</li></ul>
            <h3 id="next">Next</h3><p>after</p>
            <h2>Again</h2>
            <p><strong>Bold one</strong></p><h4>Under bold</h4><p><strong>Bold two</strong></p>"#,
        );
        let labels: Vec<(u8, Option<usize>, Option<&str>)> = outline
            .labelled()
            .map(|(_, s, _)| (s.depth, s.parent, s.anchor.as_deref()))
            .collect();
        assert_eq!(
            labels,
            vec![
                (2, Some(0), Some("top")),
                (3, Some(1), Some("top")),
                (4, Some(2), Some("top")),
                (3, Some(1), Some("next")),
                (2, Some(0), None),
                (3, Some(5), None),
                (4, Some(6), None),
                // Beside "Bold one", not under "Under bold".
                (3, Some(5), None),
            ]
        );
        assert!(outline.is_within(3, 1));
        assert_eq!(outline.children(1).collect::<Vec<_>>(), vec![2, 4]);
        let after = blocks
            .iter()
            .position(|b| b.text == "after")
            .expect("a block");
        assert_eq!(outline.section_of(after), 4);
        assert_eq!(outline.anchor_of(&blocks, after).as_deref(), Some("next"));
    }

    #[test]
    fn tables_label_by_first_column_or_by_header_row() {
        let (blocks, outline) = outline_of(
            r#"<table><tr><td>Timeframe</td><td>2021 to 2025</td></tr>
                      <tr><td>Lead</td><td>Ports Directorate</td></tr></table>
            <p>After the table.</p>
            <table><tr><th>Milestone</th><th>Status</th><th>Progress</th></tr>
                   <tr><td>Open the books</td><td>Complete</td><td>All published.</td></tr></table>"#,
        );
        let labels: Vec<(Form, &str, usize)> = outline
            .labelled()
            .map(|(_, s, l)| (l.form, l.words.as_str(), s.blocks.len()))
            .collect();
        assert_eq!(
            labels,
            vec![
                (Form::FirstColumnCell, "timeframe", 1),
                (Form::FirstColumnCell, "lead", 1),
            ]
        );
        let after = blocks
            .iter()
            .position(|b| b.text == "After the table.")
            .expect("a block");
        assert_eq!(outline.section_of(after), 0);
        let done = blocks
            .iter()
            .position(|b| b.text == "Complete")
            .expect("a cell");
        assert_eq!(
            outline.header_of(&blocks, done).map(|l| l.words.as_str()),
            Some("status")
        );
        let header = blocks
            .iter()
            .position(|b| b.text == "Status")
            .expect("a cell");
        assert!(outline.is_header(header));
        assert_eq!(outline.header_of(&blocks, header), None);
    }
}
