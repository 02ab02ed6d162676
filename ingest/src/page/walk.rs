//! The walk over a content element that flattens it into [`Block`]s, in document order: which
//! elements are blocks, which are furniture, and what each block carries (its headings, anchor,
//! bold lead, list, table cell, nesting).
//!
//! Page furniture inside the content area is not content, and is skipped by its markup (see
//! [`is_furniture`]): site banners (gov.scot's "Information" notifications, such as an
//! archived-page or pre-election notice) and collection markers (the "Part of" box and the
//! older "This document is part of a collection" accordion).

use std::sync::LazyLock;

use scraper::{ElementRef, Node, Selector};

use super::block::{Block, BlockKind, Cell, fold_space, text_of};

/// Elements nested deeper than this are not read: no real page comes near it, and a hostile
/// one must not exhaust the stack. Text left unread so is counted ([`Walked::too_deep`]) and
/// warned of.
pub const MAX_NESTING: usize = 256;

/// A content element flattened.
#[derive(Debug, Default)]
pub struct Walked {
    /// Its blocks, in document order.
    pub blocks: Vec<Block>,
    /// Elements holding text that stood deeper than [`MAX_NESTING`], and so were not read.
    pub too_deep: usize,
}

struct Walker {
    blocks: Vec<Block>,
    depth: usize,
    /// (level, text, id) of the headings open at this point of the page.
    stack: Vec<(u8, String, Option<String>)>,
    lists: usize,
    /// How many lists are open at this point.
    open_lists: usize,
    /// Tables seen so far.
    tables: usize,
    /// The tables open at this point: (table number, rows seen, columns seen in the last row).
    open_tables: Vec<(usize, usize, usize)>,
    /// The cell being read, if any.
    cell: Option<Cell>,
    /// Elements with text left unread for their depth.
    too_deep: usize,
}

/// Flattens a content element into blocks, in document order.
pub fn blocks(content: ElementRef<'_>) -> Vec<Block> {
    walk(content).blocks
}

/// Flattens a content element into blocks, in document order, counting what was too deep to
/// read.
pub fn walk(content: ElementRef<'_>) -> Walked {
    let mut walker = Walker {
        blocks: Vec::new(),
        depth: 0,
        stack: Vec::new(),
        lists: 0,
        open_lists: 0,
        tables: 0,
        open_tables: Vec::new(),
        cell: None,
        too_deep: 0,
    };
    walker.walk(content, None);
    Walked {
        blocks: walker.blocks,
        too_deep: walker.too_deep,
    }
}

/// A collection link, as gov.scot marks each one in both forms of its collections box.
static COLLECTION_LINK: LazyLock<Selector> = LazyLock::new(|| {
    // A constant selector: a typo is a bug its tests catch at once.
    match Selector::parse(".sg-meta__collection") {
        Ok(s) => s,
        Err(e) => panic!("invalid built-in selector: {e}"),
    }
});

/// True for page furniture, by its classes and ids, never its words:
/// - a Design System notification (`ds_notification…`, gov.scot's `notification-wrapper`,
///   `#important-banner`): the site's "Information" banners;
/// - a collections box: the "Part of" inset (`ds_inset-text`) or the "part of a collection"
///   accordion item (`ds_accordion-item`, `#panel-collections`) that holds `.sg-meta__collection` links,
///   and the older `collections-list`;
/// - the "Back to top" link (`ds_back-to-top`).
///
/// An inset or accordion without collection links is content, and is read.
fn is_furniture(el: ElementRef<'_>) -> bool {
    let value = el.value();
    if matches!(
        value.id(),
        Some("important-banner" | "cookie-notice" | "cookie-confirm" | "panel-collections")
    ) {
        return true;
    }
    let mut boxed = false;
    for class in value.classes() {
        if class.starts_with("ds_notification")
            || class.starts_with("ds_back-to-top")
            || matches!(class, "notification-wrapper" | "collections-list")
        {
            return true;
        }
        boxed |= matches!(class, "ds_inset-text" | "ds_accordion-item");
    }
    boxed && el.select(&COLLECTION_LINK).next().is_some()
}

impl Walker {
    fn walk(&mut self, el: ElementRef<'_>, list: Option<usize>) {
        if self.depth >= MAX_NESTING {
            if el.text().any(|t| !t.trim().is_empty()) {
                self.too_deep += 1;
            }
            return;
        }
        self.depth += 1;
        self.walk_children(el, list);
        self.depth -= 1;
    }

    fn walk_children(&mut self, el: ElementRef<'_>, list: Option<usize>) {
        for child in el.children() {
            let Some(child) = ElementRef::wrap(child) else {
                continue;
            };
            if is_furniture(child) {
                continue;
            }
            let name = child.value().name();
            match name {
                "script" | "style" | "noscript" | "template" | "nav" | "form" | "button" => {}
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    let level = name.as_bytes()[1] - b'0';
                    // A heading's trailing colon is punctuation of the label, not its words.
                    let text = text_of(child);
                    let text = match text.strip_suffix(':') {
                        Some(t) => t.trim_end().to_owned(),
                        None => text,
                    };
                    if text.is_empty() {
                        continue;
                    }
                    let id = child.value().id().map(str::to_owned);
                    while self.stack.last().is_some_and(|(l, _, _)| *l >= level) {
                        self.stack.pop();
                    }
                    self.push(BlockKind::Heading(level), text.clone(), child);
                    self.stack.push((level, text, id));
                }
                "p" => {
                    let text = text_of(child);
                    if !text.is_empty() {
                        self.push(BlockKind::Paragraph, text, child);
                    }
                }
                // A definition list's term and description: a label and its value, read as
                // paragraphs (a `dd` holding paragraphs or lists is walked for them).
                "dt" | "dd" if !has_block_children(child) => {
                    let text = text_of(child);
                    if !text.is_empty() {
                        self.push(BlockKind::Paragraph, text, child);
                        if name == "dt"
                            && let Some(last) = self.blocks.last_mut()
                        {
                            last.term = true;
                        }
                    }
                }
                "table" => {
                    self.open_tables.push((self.tables, 0, 0));
                    self.tables += 1;
                    let outer = self.cell.take();
                    self.walk(child, list);
                    self.cell = outer;
                    self.open_tables.pop();
                }
                "tr" => {
                    if let Some(open) = self.open_tables.last_mut() {
                        open.1 += 1;
                        open.2 = 0;
                    }
                    self.walk(child, list);
                }
                "td" | "th" => {
                    let outer = self.cell;
                    if let Some(open) = self.open_tables.last_mut() {
                        let span = child
                            .value()
                            .attr("colspan")
                            .and_then(|n| n.trim().parse::<usize>().ok())
                            .unwrap_or(1)
                            .clamp(1, 1000);
                        self.cell = Some(Cell {
                            table: open.0,
                            row: open.1.saturating_sub(1),
                            column: open.2,
                        });
                        open.2 = open.2.saturating_add(span);
                    }
                    if has_block_children(child) {
                        // A cell holding paragraphs or lists is walked for them.
                        self.walk(child, list);
                    } else {
                        // A cell of bare text ("Milestone" | "the milestone's text") is a
                        // paragraph, or one per line when `<br>` breaks it.
                        let lines = lines_of(child);
                        if lines.len() > 1 {
                            for line in lines {
                                self.push_line(line, child);
                            }
                        } else {
                            let text = text_of(child);
                            if !text.is_empty() {
                                self.push(BlockKind::Paragraph, text, child);
                            }
                        }
                    }
                    self.cell = outer;
                }
                "ul" | "ol" => {
                    self.lists += 1;
                    let n = self.lists;
                    self.open_lists += 1;
                    self.walk(child, Some(n));
                    self.open_lists -= 1;
                }
                "li" => {
                    let text = fold_space(&own_text(child));
                    if !text.is_empty() {
                        let list = list.unwrap_or(0);
                        self.push(BlockKind::Item { list }, text, child);
                    }
                    // Nested lists are items of their own.
                    for nested in child.children().filter_map(ElementRef::wrap) {
                        if matches!(nested.value().name(), "ul" | "ol") {
                            self.lists += 1;
                            let n = self.lists;
                            self.open_lists += 1;
                            self.walk(nested, Some(n));
                            self.open_lists -= 1;
                        }
                    }
                }
                _ => self.walk(child, list),
            }
        }
    }

    fn anchor(&self, el: ElementRef<'_>) -> Option<String> {
        el.value()
            .id()
            .map(str::to_owned)
            .or_else(|| self.stack.iter().rev().find_map(|(_, _, id)| id.clone()))
    }

    /// One line of a cell broken by `<br>`: a paragraph of its own, with no lead or link.
    fn push_line(&mut self, text: String, cell: ElementRef<'_>) {
        let anchor = self.anchor(cell);
        self.blocks.push(Block {
            kind: BlockKind::Paragraph,
            text,
            headings: self.stack.iter().map(|(_, t, _)| t.clone()).collect(),
            anchor,
            lead: None,
            is_link: false,
            bold: false,
            term: false,
            nested: false,
            id: None,
            cell: self.cell,
        });
    }

    fn push(&mut self, kind: BlockKind, text: String, el: ElementRef<'_>) {
        let anchor = self.anchor(el);
        let lead = el
            .children()
            .find(|c| match c.value() {
                Node::Text(t) => !t.trim().is_empty(),
                Node::Element(_) => true,
                _ => false,
            })
            .and_then(ElementRef::wrap)
            .filter(|c| matches!(c.value().name(), "strong" | "b"))
            .map(text_of)
            .filter(|t| !t.is_empty());
        let is_link = {
            let links: Vec<_> = el
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| c.value().name() == "a")
                .collect();
            links.len() == 1 && links.iter().map(|a| text_of(*a)).collect::<String>() == text
        };
        // Compared without white space, which the two texts space differently.
        let dense = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let bold = dense(&bold_text(el)) == dense(&text);
        let nested = matches!(kind, BlockKind::Item { .. }) && self.open_lists > 1;
        self.blocks.push(Block {
            kind,
            text,
            headings: self.stack.iter().map(|(_, t, _)| t.clone()).collect(),
            anchor,
            lead,
            is_link,
            bold,
            term: false,
            nested,
            id: el.value().id().map(str::to_owned),
            cell: self.cell,
        });
    }
}

/// True when an element holds block-level content (paragraphs, lists, headings, divisions).
fn has_block_children(el: ElementRef<'_>) -> bool {
    el.children().filter_map(ElementRef::wrap).any(|c| {
        matches!(
            c.value().name(),
            "p" | "ul" | "ol" | "div" | "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
        )
    })
}

/// The lines of an element's text as `<br>` breaks them, white space folded, empty lines
/// dropped.
fn lines_of(el: ElementRef<'_>) -> Vec<String> {
    let mut lines = vec![String::new()];
    for node in el.descendants() {
        match node.value() {
            Node::Text(t) => {
                if let Some(last) = lines.last_mut() {
                    last.push_str(t);
                }
            }
            Node::Element(e) if e.name() == "br" => lines.push(String::new()),
            _ => {}
        }
    }
    lines
        .iter()
        .map(|l| fold_space(l))
        .filter(|l| !l.is_empty())
        .collect()
}

/// The text of an element that stands inside `strong` or `b` (nested lists left out, as in
/// [`own_text`]), so a block is wholly bold when this is all its text.
fn bold_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    // (node, inside bold): depth-first without recursion, as in `own_text`.
    let mut stack: Vec<_> = el.children().rev().map(|n| (n, false)).collect();
    while let Some((node, bold)) = stack.pop() {
        match node.value() {
            Node::Text(t) if bold => out.push_str(t),
            Node::Element(e) if matches!(e.name(), "ul" | "ol") => {}
            Node::Element(e) => {
                let bold = bold || matches!(e.name(), "strong" | "b");
                stack.extend(node.children().rev().map(|n| (n, bold)));
            }
            _ => {}
        }
    }
    out
}

/// The text of a list item without the text of lists nested in it.
fn own_text(li: ElementRef<'_>) -> String {
    let mut out = String::new();
    // Depth-first without recursion, so nesting depth cannot exhaust the stack.
    let mut stack: Vec<_> = li.children().rev().collect();
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if matches!(e.name(), "ul" | "ol") => {}
            Node::Element(_) => {
                out.push(' ');
                stack.extend(node.children().rev());
            }
            _ => {}
        }
    }
    out
}
