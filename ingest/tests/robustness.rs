//! Bad input to the parsers: no panic, no hang, and a clear error naming the page.

use chrono::Utc;
use ingest::pipeline::parse;
use ingest::snapshot::{RawPage, list_pages};
use proptest::prelude::*;

fn raw(url: &str, body: Vec<u8>) -> RawPage {
    RawPage {
        url: url.to_owned(),
        origin: url.to_owned(),
        body,
        fetched_at: Utc::now(),
        etag: None,
        last_modified: None,
    }
}

fn real_pages() -> Vec<Vec<u8>> {
    let dir = ingest::bundled_snapshot();
    list_pages(&dir)
        .expect("the bundled snapshot")
        .iter()
        .map(|p| std::fs::read(p).expect("read page"))
        .collect()
}

const URL: &str = "https://www.gov.scot/publications/x/";

#[test]
fn empty_huge_and_wrongly_encoded_pages_get_clear_errors() {
    let err = |body: Vec<u8>| parse(&raw(URL, body)).err().map(|e| e.to_string());
    assert_eq!(
        err(Vec::new()).as_deref(),
        Some(&*format!("{URL}: page is empty"))
    );
    let huge = err(vec![b'a'; ingest::page::MAX_PAGE_BYTES + 1]).unwrap_or_default();
    assert!(huge.contains("over the 8388608-byte limit"), "{huge}");
    // UTF-16 (with a byte-order mark), as some servers send it.
    let utf16: Vec<u8> = "\u{feff}<html><body><p>hé</p></body></html>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let e = err(utf16).unwrap_or_default();
    assert!(e.contains("not UTF-8"), "{e}");
    // Latin-1 "é".
    let e = err(b"<html><body><p>caf\xe9</p></body></html>".to_vec()).unwrap_or_default();
    assert!(e.contains("not UTF-8"), "{e}");
}

#[test]
fn malformed_html_parses_or_names_what_is_missing() {
    for page in real_pages() {
        // Cut every page in half: unclosed tags everywhere.
        let half = page[..page.len() / 2].to_vec();
        if let Err(e) = parse(&raw(URL, half)) {
            let message = e.to_string();
            assert!(
                message.starts_with("https://") || message.starts_with("http://"),
                "{message}"
            );
        }
    }
}

#[test]
fn absurd_nesting_is_refused_quickly_and_deep_but_legal_nesting_is_read() {
    let nested = |depth: usize| {
        let mut html = String::from(
            r#"<html><body><h1 class="ds_page-header__title">T</h1><div class="js-content-wrapper">"#,
        );
        html.push_str(&"<div>".repeat(depth));
        html.push_str("<p>deep</p>");
        html.push_str(&"</div>".repeat(depth));
        html.push_str("<ul><li>");
        html.push_str(&"<span>".repeat(depth));
        html.push_str("item");
        html.push_str("</li></ul></div></body></html>");
        html.into_bytes()
    };
    let refused = parse(&raw(URL, nested(200_000)))
        .err()
        .map(|e| e.to_string());
    assert!(
        refused.as_deref().is_some_and(|e| e.contains("nests")),
        "{refused:?}"
    );
    // Under the limit, deeper than the block walker reads: no stack overflow, no panic.
    let _ = parse(&raw(URL, nested(1_000)));
}

fn mutate(mut page: Vec<u8>, edits: &[(usize, usize, Vec<u8>)]) -> Vec<u8> {
    for (at, len, insert) in edits {
        if page.is_empty() {
            break;
        }
        let at = at % page.len();
        let end = (at + len).min(page.len());
        page.splice(at..end, insert.iter().copied());
    }
    page
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = parse(&raw(URL, body));
    }

    #[test]
    fn mutated_real_pages_never_panic(
        which in 0usize..5,
        edits in proptest::collection::vec(
            (any::<usize>(), 0usize..400, proptest::collection::vec(any::<u8>(), 0..40)),
            1..12,
        ),
    ) {
        let pages = real_pages();
        let page = pages[which % pages.len()].clone();
        let _ = parse(&raw(URL, mutate(page, &edits)));
    }
}
