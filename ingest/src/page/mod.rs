//! Reading one HTML page into its metadata and a flat list of content blocks.
//!
//! Two site templates are recognised by their markup, not by their address: gov.scot's
//! Design System publication page (content in `.js-content-wrapper`, title in
//! `h1.ds_page-header__title`) and a WordPress page (content in `.entry-content`, title in
//! `h1.entry-title`), which is what the older eHealth site serves. Everything after this module
//! works on [`Block`]s, so the page-kind parsers do not care which template a page came from.
//!
//! - `input`: the checks a page's bytes pass before parsing (size, encoding, nesting);
//! - `template`: the two templates, and the [`Page`] they read;
//! - `block`: content flattened into [`Block`]s;
//! - `outline`: the blocks grouped under their labels ([`Outline`]), what every kind reads.

mod block;
mod input;
mod label;
mod outline;
mod template;
mod walk;

pub use block::{Block, BlockKind, Cell, fold_space, outside_brackets};
pub use input::{MAX_MARKUP_DEPTH, MAX_PAGE_BYTES, markup_depth};
pub use label::{Form, Label, words};
pub use outline::{Outline, Section};
pub use template::{Page, parse_page};
pub use walk::{MAX_NESTING, Walked, blocks, walk};

/// A gov.scot publication page of the invented fixtures in the workspace's
/// `tests/fixtures/<set>/`: publication `slug`, and its page `page` (its root when `None`),
/// read as from the address its path stands for, as a snapshot run reads it.
///
/// # Panics
/// When the fixture is missing or does not parse: a test's own input is wrong.
#[cfg(test)]
pub(crate) fn fixture(set: &str, slug: &str, page: Option<&str>) -> Page {
    let mut path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(set)
        .join("www.gov.scot/publications")
        .join(slug);
    let mut url = format!("https://www.gov.scot/publications/{slug}/");
    if let Some(p) = page {
        path = path.join("pages").join(p);
        url = format!("{url}pages/{p}/");
    }
    let html = std::fs::read(path.join("index.html")).expect("read the fixture");
    parse_page(&url, &html).expect("the fixture parses")
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
    fn text_nested_too_deep_to_read_is_a_warning_naming_the_page() {
        let deep = 300;
        let html = format!(
            r#"<html><head><link rel="canonical" href="https://www.gov.scot/publications/p/"></head><body>
          <h1 class="ds_page-header__title">Pub</h1>
          <div class="js-content-wrapper"><p>Shallow words.</p>{}<p>Buried words.</p>{}</div></body></html>"#,
            "<div>".repeat(deep),
            "</div>".repeat(deep)
        );
        let page =
            parse_page("https://www.gov.scot/publications/p/", html.as_bytes()).expect("parses");
        let texts: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Shallow words."]);
        assert_eq!(
            page.warnings,
            [format!(
                "https://www.gov.scot/publications/p/: the text of 1 element(s) nested over {MAX_NESTING} deep was not read"
            )]
        );

        let shallow = html
            .replace(&"<div>".repeat(deep), "<div>")
            .replace(&"</div>".repeat(deep), "</div>");
        let page =
            parse_page("https://www.gov.scot/publications/p/", shallow.as_bytes()).expect("parses");
        assert!(page.warnings.is_empty(), "{:?}", page.warnings);
        assert_eq!(page.blocks.len(), 2);
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
        // Read under an old host and another name of the page: its canonical link, on the same
        // site and in the same publication, names it.
        let page = parse_page(
            "http://www2.gov.scot/publications/p/pages/2/",
            html.as_bytes(),
        )
        .expect("parses");
        assert_eq!(page.url, "https://www.gov.scot/publications/p/pages/two/");
        assert_eq!(page.warnings, Vec::<String>::new());
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

    #[test]
    fn banners_and_collection_markers_inside_the_content_are_not_blocks() {
        let html = r##"<html><body>
          <h1 class="ds_page-header__title">Pub</h1>
          <div class="js-content-wrapper">
            <div id="important-banner" class="ds_notification ds_reversed"><div class="ds_notification__content">
              <h2 class="visually-hidden">Information</h2>
              <div class="ds_notification__text"><p>Banner words.</p></div></div></div>
            <div class="ds_notification ds_notification--archived"><p>Archive words.</p></div>
            <div class="ds_inset-text"><div class="ds_inset-text__text"><h2 class="ds_h3">Part of</h2>
              <ul class="ds_no-bullets"><li><a class="sg-meta__collection" href="/collections/c/">Collection words</a></li></ul></div></div>
            <div class="ds_accordion"><div class="ds_accordion-item">
              <input type="checkbox" class="ds_accordion-item__control" id="panel-collections">
              <div class="ds_accordion-item__header"><h3 class="ds_accordion-item__title">Accordion heading words</h3></div>
              <div class="ds_accordion-item__body"><ul><li><a class="ds_contents-nav__link sg-meta__collection" href="/collections/d/">Older collection words</a></li></ul></div>
            </div><div class="ds_accordion-item">
              <div class="ds_accordion-item__header"><h3 class="ds_accordion-item__title">Questions</h3></div>
              <div class="ds_accordion-item__body"><p>An answer that is content.</p></div>
            </div></div>
            <div class="ds_inset-text"><div class="ds_inset-text__text"><p>An inset that is content.</p></div></div>
            <h2>Body</h2><p>Body words.</p>
            <a class="ds_back-to-top__button" href="#page-top">Back to top</a>
          </div></body></html>"##;
        let page =
            parse_page("https://www.gov.scot/publications/p/", html.as_bytes()).expect("parses");
        let texts: Vec<&str> = page.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Questions",
                "An answer that is content.",
                "An inset that is content.",
                "Body",
                "Body words."
            ]
        );
    }

    #[test]
    fn table_cells_carry_their_place_and_a_broken_cell_is_one_block_per_line() {
        let html = r#"<html><body>
          <h1 class="ds_page-header__title">Pub</h1>
          <div class="js-content-wrapper">
            <p>Before.</p>
            <table><thead><tr><th>Left</th><th colspan="2">Wide</th><th>Right</th></tr></thead>
            <tbody><tr><td>One<br>Two <br/> <br>Three</td><td></td><td><p>Para</p><ul><li>Item</li></ul></td><td>Plain text</td></tr></tbody></table>
            <table><tr><td>Second table</td></tr></table>
          </div></body></html>"#;
        let page =
            parse_page("https://www.gov.scot/publications/p/", html.as_bytes()).expect("parses");
        type Place = Option<(usize, usize, usize)>;
        let seen: Vec<(&str, Place)> = page
            .blocks
            .iter()
            .map(|b| (b.text.as_str(), b.cell.map(|c| (c.table, c.row, c.column))))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("Before.", None),
                ("Left", Some((0, 0, 0))),
                ("Wide", Some((0, 0, 1))),
                ("Right", Some((0, 0, 3))),
                ("One", Some((0, 1, 0))),
                ("Two", Some((0, 1, 0))),
                ("Three", Some((0, 1, 0))),
                ("Para", Some((0, 1, 2))),
                ("Item", Some((0, 1, 2))),
                ("Plain text", Some((0, 1, 3))),
                ("Second table", Some((1, 0, 0))),
            ]
        );
        assert!(
            page.blocks[4..7]
                .iter()
                .all(|b| b.kind == BlockKind::Paragraph)
        );
    }

    #[test]
    fn the_summary_and_the_publications_it_names_are_kept() {
        let html = r#"<html><head><link rel="canonical" href="http://beta.gov.scot/publications/old/pages/2/"></head><body>
          <header class="ds_page-header"><h1 class="ds_page-header__title">Pub</h1>
            <p class="ds_leader ds_no-margin--bottom">See <a href="/publications/newer/pages/1/">the newer one</a>,
              <a href="https://example.org/x">elsewhere</a> or https://gov.scot/publications/newest (2021).</p></header>
          <div class="js-content-wrapper"><p class="ds_leader">Not the summary.</p></div></body></html>"#;
        let page = parse_page(
            "https://www.gov.scot/publications/old/pages/2/",
            html.as_bytes(),
        )
        .expect("parses");
        assert_eq!(page.url, "https://www.gov.scot/publications/old/pages/2/");
        assert_eq!(
            page.summary.as_deref(),
            Some("See the newer one, elsewhere or https://gov.scot/publications/newest (2021).")
        );
        assert_eq!(
            page.summary_links,
            vec![
                "https://www.gov.scot/publications/newer/",
                "https://www.gov.scot/publications/newest/"
            ]
        );
        let bare = r#"<html><body><h1 class="ds_page-header__title">Pub</h1>
          <div class="js-content-wrapper"><p>Body.</p></div></body></html>"#;
        let page = parse_page("fallback", bare.as_bytes()).expect("parses");
        assert_eq!(page.summary, None);
        assert!(page.summary_links.is_empty());
    }

    /// A page of publication `p` whose canonical link is `canonical`.
    fn claiming(canonical: &str) -> String {
        format!(
            r#"<html><head><link rel="canonical" href="{canonical}"></head><body>
              <h1 class="ds_page-header__title">Pub</h1>
              <div class="js-content-wrapper"><h2>Two</h2><p>Words.</p></div></body></html>"#
        )
    }

    #[test]
    fn a_canonical_link_to_another_publication_is_ignored_with_a_warning() {
        let fetched = "https://www.gov.scot/publications/p/pages/two/";
        let other = "https://www.gov.scot/publications/q/pages/two/";
        let page = parse_page(fetched, claiming(other).as_bytes()).expect("parses");
        assert_eq!(page.url, fetched);
        assert_eq!(page.publication_url, "https://www.gov.scot/publications/p/");
        assert_eq!(
            page.warnings,
            vec![format!(
                "{fetched}: canonical link {other} ignored (it is outside /publications/p/, the publication the page was read from); stored under the address it was read from"
            )]
        );
    }

    #[test]
    fn a_canonical_link_to_another_host_is_ignored_with_a_warning() {
        let fetched = "http://127.0.0.1:4242/publications/p/pages/two/";
        let other = "https://www.gov.scot/publications/p/pages/two/";
        let page = parse_page(fetched, claiming(other).as_bytes()).expect("parses");
        assert_eq!(page.url, fetched);
        assert_eq!(page.warnings.len(), 1);
        assert!(
            page.warnings[0].starts_with(&format!("{fetched}: canonical link {other} ignored")),
            "{}",
            page.warnings[0]
        );
        // A snapshot's page is read from the address its path stands for: an old host of
        // gov.scot is the same site, so its canonical link is trusted there.
        let page = parse_page(
            "https://beta.gov.scot/publications/p/",
            claiming(other).as_bytes(),
        )
        .expect("parses");
        assert_eq!(page.url, other);
        assert!(page.warnings.is_empty());
    }
}
