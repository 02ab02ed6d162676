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
//! - `block`: content flattened into [`Block`]s.

mod block;
mod input;
mod template;

pub use block::{Block, BlockKind, MAX_NESTING, blocks, fold_space};
pub use input::{MAX_MARKUP_DEPTH, MAX_PAGE_BYTES, markup_depth};
pub use template::{Page, parse_page};

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
