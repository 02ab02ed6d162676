//! The two site templates a page can be read with, recognised by their markup, not by their
//! address: gov.scot's Design System publication page and a WordPress page (the older eHealth
//! site). Each gives the page's metadata and the element its content blocks are read from.

use std::sync::LazyLock;

use chrono::NaiveDate;
use entity::Site;
use regex::Regex;
use reqwest::Url;
use scraper::{ElementRef, Html, Selector};

use super::block::{Block, BlockKind, text_of};
use super::input::checked_text;
use super::outline::Outline;
use super::walk::{MAX_NESTING, Walked, walk};
use crate::address::{canonical_url, check_canonical, publication_url};
use crate::date::{FuzzyDate, re};
use crate::error::IngestError;

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
    /// The content's outline: its blocks grouped under their labels.
    pub outline: Outline,
    /// The publication's other pages, as its side navigation links them (as written: relative
    /// links are resolved by whoever fetches them).
    pub links: Vec<String>,
    /// The publication's summary (gov.scot's `ds_leader` paragraph in the page header, the same
    /// on every page of a publication), where the page has one.
    pub summary: Option<String>,
    /// The gov.scot publications the summary names, at their canonical addresses with a
    /// trailing slash: its links, and addresses printed in its text without one.
    pub summary_links: Vec<String>,
    /// What reading the page left out, one line each, naming the page: a canonical link naming
    /// another host or publication (ignored), text nested too deep to be read.
    pub warnings: Vec<String>,
}

impl Page {
    /// Block `i`'s text as the kinds read it: for a label standing alone, its words without
    /// the colon a bold line or a "Label:" line may end in.
    pub fn text_at(&self, i: usize) -> &str {
        match self.outline.label_at(i) {
            Some((_, l)) if l.value.is_none() => &l.text,
            _ => self.blocks.get(i).map_or("", |b| b.text.as_str()),
        }
    }
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
static GOVSCOT_LEADER: LazyLock<Selector> =
    LazyLock::new(|| selector("header .ds_leader, .ds_page-header .ds_leader"));
static LINK: LazyLock<Selector> = LazyLock::new(|| selector("a[href]"));
/// An address printed as text: up to white space, a closing bracket or quote.
static PRINTED_URL: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)\bhttps?://[^\s()<>"'“”‘’\[\]]+"#));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| selector("link[rel=canonical]"));
static HEAD_TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));

/// Reads a page's bytes as HTML.
///
/// `fetched_url` is where the page was read from: the address asked for, or the one a
/// snapshot's path stands for. The page is named by its canonical link when that link is on
/// the same host and in the same publication ([`check_canonical`]), else by `fetched_url`, with
/// a warning naming the ignored link. Either is taken to its canonical address (see
/// [`crate::address`]).
///
/// # Errors
/// Bytes that are not UTF-8 text, an empty or oversized body, and markup of neither known
/// template are errors naming the page.
pub fn parse_page(fetched_url: &str, body: &[u8]) -> Result<Page, IngestError> {
    let text = checked_text(fetched_url, body)?;
    let html = Html::parse_document(text);
    let mut warnings = Vec::new();
    let claimed = html
        .select(&CANONICAL)
        .next()
        .and_then(|l| l.value().attr("href"))
        .map(str::trim)
        .filter(|h| h.starts_with("http://") || h.starts_with("https://"));
    let trusted = claimed.filter(|claimed| match check_canonical(fetched_url, claimed) {
        Ok(()) => true,
        Err(why) => {
            warnings.push(format!(
                "{fetched_url}: canonical link {claimed} ignored ({why}); stored under the address it was read from"
            ));
            false
        }
    });
    // On the site's one host: a page saved or linked under an old host (`www2.gov.scot`,
    // `www.scotland.gov.uk`, ...) is the same document.
    let url = canonical_url(trusted.unwrap_or(fetched_url));

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
        let (blocks, outline, unread) = outlined(content, &url);
        warnings.extend(unread);
        let title = html
            .select(&GOVSCOT_CURRENT)
            .next()
            .map(text_of)
            .filter(|t| !t.is_empty())
            .or_else(|| outline.first_label().map(str::to_owned))
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
        let leader = html.select(&GOVSCOT_LEADER).next();
        let summary = leader.map(text_of).filter(|t| !t.is_empty());
        let summary_links = leader
            .map(|l| summary_publications(l, &url))
            .unwrap_or_default();
        return Ok(Page {
            url,
            publication_url,
            publication_title,
            title,
            publication_type,
            published_on,
            site: Site::GovScot,
            outline,
            blocks,
            links,
            summary,
            summary_links,
            warnings,
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
        let (blocks, outline, unread) = outlined(content, &url);
        warnings.extend(unread);
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
            outline,
            blocks,
            links: Vec::new(),
            summary: None,
            summary_links: Vec::new(),
            warnings,
        });
    }

    Err(IngestError::UnknownLayout {
        url,
        detail: "neither gov.scot's `.js-content-wrapper` nor WordPress's `.entry-content`"
            .to_owned(),
    })
}

/// The gov.scot publications a summary names, in order and once each: its links (relative ones
/// resolved against the page's address `base`), then addresses printed in its text (some
/// copies print the address where others link it).
fn summary_publications(leader: ElementRef<'_>, base: &str) -> Vec<String> {
    let base = Url::parse(base).ok();
    let linked = leader
        .select(&LINK)
        .filter_map(|a| a.value().attr("href"))
        .filter_map(|href| match &base {
            Some(b) => b.join(href.trim()).ok().map(String::from),
            None => Some(href.trim().to_owned()),
        });
    let text = leader.text().collect::<String>();
    let printed = PRINTED_URL
        .find_iter(&text)
        .map(|m| m.as_str().trim_end_matches(['.', ',', ';', ':']).to_owned())
        .collect::<Vec<_>>();
    let mut out: Vec<String> = Vec::new();
    for url in linked.chain(printed) {
        if let Some(p) = publication_url(&url)
            && !out.contains(&p)
        {
            out.push(p);
        }
    }
    out
}

/// A content element's blocks and their outline, each block anchored by the outline, and the
/// warnings of its reading (text nested too deep to be read).
fn outlined(content: ElementRef<'_>, url: &str) -> (Vec<Block>, Outline, Vec<String>) {
    let Walked {
        mut blocks,
        too_deep,
    } = walk(content);
    let outline = Outline::build(&blocks);
    outline.anchor_blocks(&mut blocks);
    outline.head_blocks(&mut blocks);
    let mut warnings = Vec::new();
    if too_deep > 0 {
        warnings.push(format!(
            "{url}: the text of {too_deep} element(s) nested over {MAX_NESTING} deep was not read"
        ));
    }
    (blocks, outline, warnings)
}

/// The last paragraph, when it is nothing but a date ("November 2016").
fn dateline(blocks: &[Block]) -> Option<NaiveDate> {
    let last = blocks
        .iter()
        .rev()
        .find(|b| b.kind == BlockKind::Paragraph)?;
    FuzzyDate::parse(&last.text).ok()?.start
}
