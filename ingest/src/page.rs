//! Reading one HTML page into its metadata and a flat list of content blocks.
//!
//! Two site templates are recognised by their markup, not by their address: gov.scot's
//! Design System publication page (content in `.js-content-wrapper`, title in
//! `h1.ds_page-header__title`) and a WordPress page (content in `.entry-content`, title in
//! `h1.entry-title`), which is what the older eHealth site serves. Everything after this module
//! works on [`Block`]s, so the page-kind parsers do not care which template a page came from.

use std::sync::LazyLock;

use chrono::NaiveDate;
use entity::Site;
use scraper::{ElementRef, Html, Node, Selector};

use crate::date::FuzzyDate;
use crate::error::IngestError;

/// Pages larger than this are refused rather than parsed: no real page comes close.
pub const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// Markup nested deeper than this is refused before parsing: the HTML parser's work grows with
/// the square of the nesting, so a hostile page of nested tags could otherwise stall a run.
/// Real pages nest a few dozen deep.
pub const MAX_MARKUP_DEPTH: usize = 2048;

const VOID_ELEMENTS: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param",
    b"source", b"track", b"wbr",
];

/// How deep the tags of a page nest, roughly: opening tags count up (void and self-closing ones
/// do not), closing tags count down. One pass, no allocation.
pub fn markup_depth(html: &[u8]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(offset) = html[i..].iter().position(|&b| b == b'<') {
        let start = i + offset + 1;
        i = start;
        match html.get(start) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b) if b.is_ascii_alphabetic() => {
                let name_end = html[start..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(html.len(), |p| start + p);
                let name = html[start..name_end].to_ascii_lowercase();
                let tag_end = html[name_end..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(html.len(), |p| name_end + p);
                let self_closing = tag_end > 0 && html.get(tag_end - 1) == Some(&b'/');
                if !self_closing && !VOID_ELEMENTS.contains(&name.as_slice()) {
                    depth += 1;
                    max = max.max(depth);
                }
                i = tag_end.min(html.len());
            }
            _ => {}
        }
    }
    max
}

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
    /// The headings above the block, outermost first (not including the block itself).
    pub headings: Vec<String>,
    /// The nearest fragment identifier: the block's own `id`, else the closest heading's.
    pub anchor: Option<String>,
    /// Text of a leading `<strong>`, when the block starts with one ("**Digital Access** – ...").
    pub lead: Option<String>,
    /// True when all the block's text is one link (a vision statement linking to case studies).
    pub is_link: bool,
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

/// A parsed page: metadata and content blocks.
#[derive(Clone, Debug)]
pub struct Page {
    /// The canonical URL of this page.
    pub url: String,
    /// The URL of the publication the page belongs to (the page itself for single pages).
    pub publication_url: String,
    /// The publication's title (gov.scot's `h1`, which is the same on every page of it).
    pub publication_title: String,
    /// This page's own title (side navigation's current entry, else the first heading).
    pub title: String,
    /// The publication type label, e.g. "Strategy/plan", where the page has one.
    pub publication_type: Option<String>,
    /// The publication date the page states.
    pub published_on: Option<NaiveDate>,
    /// The site template the page was read with.
    pub site: Site,
    /// The content, in order.
    pub blocks: Vec<Block>,
    /// The publication's other pages, as its side navigation links them (as written: relative
    /// links are resolved by whoever fetches them).
    pub links: Vec<String>,
}

fn selector(css: &str) -> Selector {
    // Constant selectors of this module: a typo is a bug its tests catch at once.
    match Selector::parse(css) {
        Ok(s) => s,
        Err(e) => panic!("invalid built-in selector {css:?}: {e}"),
    }
}

static GOVSCOT_CONTENT: LazyLock<Selector> = LazyLock::new(|| selector(".js-content-wrapper"));
static GOVSCOT_TITLE: LazyLock<Selector> =
    LazyLock::new(|| selector("h1.ds_page-header__title, .article-header__title"));
static GOVSCOT_NAV: LazyLock<Selector> =
    LazyLock::new(|| selector("ul.ds_side-navigation__list a.ds_side-navigation__link[href]"));
static GOVSCOT_CURRENT: LazyLock<Selector> =
    LazyLock::new(|| selector("a.ds_side-navigation__link.ds_current"));
static GOVSCOT_DATE: LazyLock<Selector> =
    LazyLock::new(|| selector("#sg-meta__publication-date, #sg-meta__last-updated-date"));
static GOVSCOT_TYPE: LazyLock<Selector> = LazyLock::new(|| selector("#sg-meta__publication-type"));
static WP_CONTENT: LazyLock<Selector> = LazyLock::new(|| selector(".entry-content"));
static WP_TITLE: LazyLock<Selector> = LazyLock::new(|| selector("h1.entry-title"));
static WP_TIME: LazyLock<Selector> = LazyLock::new(|| selector("time.entry-date[datetime]"));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| selector("link[rel=canonical]"));
static HEAD_TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));

/// Folds runs of white space (non-breaking spaces included) into single spaces.
pub fn fold_space(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn text_of(el: ElementRef<'_>) -> String {
    fold_space(&el.text().collect::<String>())
}

/// Reads a page's bytes as HTML.
///
/// `fallback_url` names the page when it has no canonical link (a snapshot's path).
///
/// # Errors
/// Bytes that are not UTF-8 text, an empty or oversized body, and markup of neither known
/// template are errors naming the page.
pub fn parse_page(fallback_url: &str, body: &[u8]) -> Result<Page, IngestError> {
    let bad = |detail: String| IngestError::BadInput {
        url: fallback_url.to_owned(),
        detail,
    };
    if body.len() > MAX_PAGE_BYTES {
        return Err(bad(format!(
            "page is {} bytes, over the {MAX_PAGE_BYTES}-byte limit",
            body.len()
        )));
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        bad(format!(
            "page is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    if text.trim().is_empty() {
        return Err(bad("page is empty".to_owned()));
    }
    if text.contains('\0') {
        return Err(bad("page contains NUL bytes: binary, not HTML".to_owned()));
    }
    let depth = markup_depth(body);
    if depth > MAX_MARKUP_DEPTH {
        return Err(bad(format!(
            "markup nests {depth} deep, over the {MAX_MARKUP_DEPTH} limit"
        )));
    }
    let html = Html::parse_document(text);
    let url = html
        .select(&CANONICAL)
        .next()
        .and_then(|l| l.value().attr("href"))
        .map(str::trim)
        .filter(|h| h.starts_with("http://") || h.starts_with("https://"))
        .unwrap_or(fallback_url)
        .to_owned();

    if let Some(content) = html.select(&GOVSCOT_CONTENT).next() {
        let publication_title = html
            .select(&GOVSCOT_TITLE)
            .next()
            .map(text_of)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| IngestError::Missing {
                url: url.clone(),
                what: "publication title (`h1.ds_page-header__title`)".to_owned(),
            })?;
        let blocks = blocks(content);
        let title = html
            .select(&GOVSCOT_CURRENT)
            .next()
            .map(text_of)
            .filter(|t| !t.is_empty())
            .or_else(|| first_heading(&blocks))
            .unwrap_or_else(|| publication_title.clone());
        let published_on = html
            .select(&GOVSCOT_DATE)
            .next()
            .map(text_of)
            .and_then(|d| FuzzyDate::parse(&d).ok())
            .and_then(|d| d.start);
        let publication_type = html
            .select(&GOVSCOT_TYPE)
            .next()
            .map(text_of)
            .filter(|t| !t.is_empty());
        let links = html
            .select(&GOVSCOT_NAV)
            .filter_map(|a| a.value().attr("href"))
            .map(|h| h.trim().to_owned())
            .collect();
        let publication_url = match url.find("/pages/") {
            Some(i) => format!("{}/", &url[..i]),
            None => url.clone(),
        };
        return Ok(Page {
            url,
            publication_url,
            publication_title,
            title,
            publication_type,
            published_on,
            site: Site::GovScot,
            blocks,
            links,
        });
    }

    if let Some(content) = html.select(&WP_CONTENT).next() {
        let title = html
            .select(&WP_TITLE)
            .next()
            .or_else(|| html.select(&HEAD_TITLE).next())
            .map(text_of)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| IngestError::Missing {
                url: url.clone(),
                what: "page title (`h1.entry-title`)".to_owned(),
            })?;
        let blocks = blocks(content);
        // WordPress prints the date in `time.entry-date` on posts; pages often carry only a
        // dateline paragraph at the end ("November 2016").
        let published_on = html
            .select(&WP_TIME)
            .next()
            .and_then(|t| t.value().attr("datetime"))
            .and_then(|d| d.get(..10))
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .or_else(|| dateline(&blocks));
        return Ok(Page {
            publication_url: url.clone(),
            url,
            publication_title: title.clone(),
            title,
            publication_type: None,
            published_on,
            site: Site::WordPress,
            blocks,
            links: Vec::new(),
        });
    }

    Err(IngestError::UnknownLayout {
        url,
        detail: "neither gov.scot's `.js-content-wrapper` nor WordPress's `.entry-content`"
            .to_owned(),
    })
}

fn first_heading(blocks: &[Block]) -> Option<String> {
    blocks
        .iter()
        .find(|b| b.is_heading())
        .map(|b| b.text.clone())
}

/// The last paragraph, when it is nothing but a date ("November 2016").
fn dateline(blocks: &[Block]) -> Option<NaiveDate> {
    let last = blocks
        .iter()
        .rev()
        .find(|b| b.kind == BlockKind::Paragraph)?;
    FuzzyDate::parse(&last.text).ok()?.start
}

/// Elements nested deeper than this are not read: no real page comes near it, and a hostile
/// one must not exhaust the stack.
pub const MAX_NESTING: usize = 256;

struct Walker {
    blocks: Vec<Block>,
    depth: usize,
    /// (level, text, id) of the headings open at this point of the page.
    stack: Vec<(u8, String, Option<String>)>,
    lists: usize,
}

/// Flattens a content element into blocks, in document order.
pub fn blocks(content: ElementRef<'_>) -> Vec<Block> {
    let mut walker = Walker {
        blocks: Vec::new(),
        depth: 0,
        stack: Vec::new(),
        lists: 0,
    };
    walker.walk(content, None);
    walker.blocks
}

impl Walker {
    fn walk(&mut self, el: ElementRef<'_>, list: Option<usize>) {
        if self.depth >= MAX_NESTING {
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
            let name = child.value().name();
            match name {
                "script" | "style" | "noscript" | "template" | "nav" | "form" | "button" => {}
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    let level = name.as_bytes()[1] - b'0';
                    let text = text_of(child);
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
                "ul" | "ol" => {
                    self.lists += 1;
                    let n = self.lists;
                    self.walk(child, Some(n));
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
                            self.walk(nested, Some(n));
                        }
                    }
                }
                _ => self.walk(child, list),
            }
        }
    }

    fn push(&mut self, kind: BlockKind, text: String, el: ElementRef<'_>) {
        let anchor = el
            .value()
            .id()
            .map(str::to_owned)
            .or_else(|| self.stack.iter().rev().find_map(|(_, _, id)| id.clone()));
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
        self.blocks.push(Block {
            kind,
            text,
            headings: self.stack.iter().map(|(_, t, _)| t.clone()).collect(),
            anchor,
            lead,
            is_link,
        });
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_of_neither_template_is_an_unknown_layout_naming_the_url() {
        let err = parse_page(
            "https://example.org/x/",
            b"<html><body><p>hi</p></body></html>",
        )
        .err()
        .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "https://example.org/x/: unrecognised page layout (neither gov.scot's `.js-content-wrapper` nor WordPress's `.entry-content`)"
            )
        );
    }

    #[test]
    fn bad_bytes_are_refused_with_a_reason() {
        let non_utf8 = parse_page("u", &[0x3c, 0xff, 0xfe])
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            non_utf8.as_deref(),
            Some("u: page is not UTF-8 text (invalid byte at offset 1)")
        );
        assert!(parse_page("u", b"   ").is_err());
        assert!(parse_page("u", b"<p>\0</p>").is_err());
    }

    #[test]
    fn markup_depth_counts_open_tags() {
        assert_eq!(
            markup_depth(b"<html><body><p>a<br>b<img src=x/></p></body></html>"),
            3
        );
        assert_eq!(
            markup_depth(b"<div><div><div></div></div></div><div></div>"),
            3
        );
        assert_eq!(markup_depth(b"no tags < here"), 0);
        let deep = "<div>".repeat(MAX_MARKUP_DEPTH + 1);
        let err = parse_page("u", deep.as_bytes())
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("u: markup nests 2049 deep, over the 2048 limit")
        );
    }

    #[test]
    fn blocks_carry_heading_paths_anchors_and_leads() {
        let html = r#"<html><head><link rel="canonical" href="https://www.gov.scot/publications/p/pages/two/"></head><body>
          <h1 class="ds_page-header__title">Pub</h1>
          <div class="js-content-wrapper"><div>
            <h2>Two</h2><h3 id="aims">Aims</h3>
            <ul><li><strong>Name</strong> – text<ul><li>nested</li></ul></li></ul>
            <h3>Other</h3><p><a href="/x">all link</a></p>
          </div></div></body></html>"#;
        let page = parse_page("fallback", html.as_bytes()).expect("parses");
        assert_eq!(page.url, "https://www.gov.scot/publications/p/pages/two/");
        assert_eq!(page.publication_url, "https://www.gov.scot/publications/p/");
        assert_eq!(page.title, "Two");
        let item = &page.blocks[2];
        assert_eq!(item.text, "Name – text");
        assert_eq!(item.lead.as_deref(), Some("Name"));
        assert_eq!(item.headings, vec!["Two", "Aims"]);
        assert_eq!(item.anchor.as_deref(), Some("aims"));
        assert_eq!(page.blocks[3].text, "nested");
        assert_ne!(page.blocks[3].kind, item.kind);
        let link = &page.blocks[5];
        assert!(link.is_link);
        assert_eq!(link.headings, vec!["Two", "Other"]);
        assert_eq!(link.anchor, None);
    }
}
