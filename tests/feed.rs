//! `GET /changes.atom`: the change feed as Atom, read by feedparser (the library behind most
//! Python feed readers and bots), filtered as `changes(filter:)` is, paged by RFC 5005 `next`
//! links, and cacheable by ETag.
//!
//! The pages are the invented report and plan fixtures, edited as `changes.rs` edits them: a
//! milestone's end moves from July 2022 to October 2022.

use std::process::Command;

use caregraph::http::HttpConfig;
use serde_json::Value;

use crate::changes::rewrite;
use crate::helpers::{Backend, TestApp, TestDb, fixture_union};

crate::cases!(the_change_feed_is_atom_a_feed_reader_reads_filtered_and_paged);

/// The feed at `path`, as feedparser reads it: `{bozo, title, links, entries: [{id, title,
/// summary, links}]}`. Fails loudly when Python's feedparser is missing (CI installs it).
fn feedparser(url: &str) -> Value {
    let script = r#"
import json, sys
try:
    import feedparser
except ImportError:
    sys.exit("feedparser is not installed: pip install feedparser (CI installs it)")
f = feedparser.parse(sys.argv[1])
print(json.dumps({
    "bozo": f.bozo,
    "status": f.get("status"),
    "title": f.feed.get("title"),
    "rights": f.feed.get("rights"),
    "links": [{"rel": l.get("rel"), "href": l.get("href")} for l in f.feed.get("links", [])],
    "entries": [{"id": e.get("id"), "title": e.get("title"), "summary": e.get("summary"),
                 "links": [{"rel": l.get("rel"), "href": l.get("href")} for l in e.get("links", [])]}
                for e in f.entries],
}))
"#;
    let out = Command::new("python3")
        .args(["-c", script, url])
        .output()
        .expect("run python3 (needed for this test)");
    assert!(
        out.status.success(),
        "feedparser on {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("feedparser's answer as JSON")
}

fn titles(feed: &Value) -> Vec<String> {
    feed["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["title"].as_str().map(str::to_owned))
        .collect()
}

fn link<'a>(feed: &'a Value, rel: &str) -> Option<&'a str> {
    feed["links"]
        .as_array()?
        .iter()
        .find(|l| l["rel"] == rel)
        .and_then(|l| l["href"].as_str())
}

async fn the_change_feed_is_atom_a_feed_reader_reads_filtered_and_paged(backend: Backend) {
    let db = TestDb::new(&backend).await;
    let dir = fixture_union(&["reports", "plans"]);
    ingest::ingest_snapshot(&db.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("first run");
    rewrite(dir.path());
    ingest::ingest_snapshot(&db.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("second run");
    let app = TestApp::serving(TestDb::attach(&db.url).await, HttpConfig::default()).await;

    // "Milestones that slipped" (a removed milestone carries its last end date too, so the
    // action says CHANGED).
    let slipped = feedparser(&format!(
        "{}/changes.atom?subjectType=Milestone&field=endDate&action=CHANGED",
        app.base_url
    ));
    assert_eq!(slipped["bozo"], false, "{slipped:#}");
    assert_eq!(slipped["status"], 200);
    let got = titles(&slipped);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("Milestone re-dated: ")
            && got[0].ends_with(", end 31 Jul 2022 → 31 Oct 2022"),
        "{got:?}"
    );
    let entry = &slipped["entries"][0];
    assert!(
        entry["summary"]
            .as_str()
            .is_some_and(|s| s.contains("endDate: 31 Jul 2022 → 31 Oct 2022")),
        "{entry:#}"
    );
    let page_link = entry["links"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["rel"] == "alternate"))
        .and_then(|l| l["href"].as_str())
        .unwrap_or_default();
    assert!(
        page_link.starts_with("https://www.gov.scot/publications/"),
        "{entry:#}"
    );
    let diff = entry["links"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["rel"] == "related"))
        .and_then(|l| l["href"].as_str())
        .expect("a link to the page's diff");
    let answer = app.client.get(diff).send().await.expect("GET the diff");
    assert_eq!(answer.status(), 200, "{diff}");
    assert!(
        slipped["rights"]
            .as_str()
            .is_some_and(|r| r.contains("Open Government Licence v3.0"))
    );

    // The whole feed, newest first, 50 a page: the first run added more than 50 entities, so
    // there is a next page, which holds older changes and none of the first page's.
    let first = feedparser(&format!("{}/changes.atom", app.base_url));
    assert_eq!(first["bozo"], false);
    let first_ids: Vec<&str> = first["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    assert_eq!(first_ids.len(), 50);
    assert!(
        titles(&first)[0].contains("re-dated")
            || titles(&first).iter().any(|t| t.contains("re-dated"))
    );
    let next = link(&first, "next").expect("a next link");
    let second = feedparser(next);
    assert_eq!(second["bozo"], false);
    let second_ids: Vec<&str> = second["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    assert!(!second_ids.is_empty());
    assert!(second_ids.iter().all(|id| !first_ids.contains(id)));

    // Cacheable by ETag; a parameter that cannot be read is named.
    let url = format!("{}/changes.atom?action=CHANGED", app.base_url);
    let answer = app.client.get(&url).send().await.expect("GET the feed");
    assert_eq!(answer.status(), 200);
    let etag = answer.headers()["etag"]
        .to_str()
        .expect("an ETag")
        .to_owned();
    assert!(
        answer.headers()["content-type"]
            .to_str()
            .is_ok_and(|t| t.starts_with("application/atom+xml"))
    );
    let again = app
        .client
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("GET again");
    assert_eq!(again.status(), 304);
    for (query, names) in [
        ("action=MOVED", "`action`"),
        ("field=end_date", "`field`"),
        ("since=yesterday", "`since`"),
        ("subjectType=Nope", "`subjectType`"),
    ] {
        let answer = app
            .client
            .get(format!("{}/changes.atom?{query}", app.base_url))
            .send()
            .await
            .expect("GET a bad feed");
        assert_eq!(answer.status(), 400, "{query}");
        let why = answer.text().await.unwrap_or_default();
        assert!(why.contains(names), "{query}: {why}");
    }
    // The dashboard and the front page point feed readers at it.
    for path in ["/dashboard", "/"] {
        let html = app
            .client
            .get(format!("{}{path}", app.base_url))
            .send()
            .await
            .expect("GET a page")
            .text()
            .await
            .unwrap_or_default();
        assert!(
            html.contains("type=\"application/atom+xml\"")
                && html.contains("href=\"/changes.atom\""),
            "{path}"
        );
    }
}
