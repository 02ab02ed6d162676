//! What a page said before: every stored version keeps the page's passages, and two versions
//! compare passage by passage and word by word, in GraphQL (`Document.diff`), on the diff page
//! and from the change feed (`Change.diffUrl`).
//!
//! The page is the invented "short breaks" report of `tests/fixtures/furniture`, edited between
//! runs: one sentence reworded, a paragraph added, a list item removed, white space changed and
//! the site's banner reworded. Every expected value is read off that page by hand.

use std::path::Path;

use caregraph::http::HttpConfig;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::browser::chromium_dump_dom;
use crate::helpers::{Backend, TestApp, TestDb, edit_page, fixture_union};

const PAGE: &str = "www.gov.scot/publications/short-breaks-unpaid-carers-annual-report";
const BANNER: &str = "Scottish Parliament election: this site will only be updated with essential notices until the election is over.";

crate::cases!(a_page_s_edits_are_its_diff_word_for_word_and_nothing_else);

async fn ingest(db: &TestDb, dir: &Path) {
    ingest::ingest_snapshot(&db.db, dir, ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
}

const DOCUMENTS: &str = "{ documents(first: 10) { nodes { id url
    versions { id contentHash passages { position text anchor headings } }
    diff { from { id } to { id } htmlUrl
      operations { action before after anchor headings spans { kind text } } } } } }";

/// The document at `url`, as [`DOCUMENTS`] reads it.
async fn document(app: &TestApp, url: &str) -> Value {
    let data = app.data(DOCUMENTS, json!({})).await;
    data["documents"]["nodes"]
        .as_array()
        .and_then(|ds| ds.iter().find(|d| d["url"] == url))
        .cloned()
        .unwrap_or_else(|| panic!("no document {url} in {data:#}"))
}

/// The words of the spans of `kind` in a changed passage, trimmed.
fn words<'a>(op: &'a Value, kind: &str) -> Vec<&'a str> {
    op["spans"]
        .as_array()
        .expect("spans")
        .iter()
        .filter(|s| s["kind"] == kind)
        .filter_map(|s| s["text"].as_str())
        .map(str::trim)
        .collect()
}

async fn a_page_s_edits_are_its_diff_word_for_word_and_nothing_else(backend: Backend) {
    let db = TestDb::new(&backend).await;
    let dir = fixture_union(&["furniture"]);
    ingest(&db, dir.path()).await;
    let url = format!("https://{PAGE}/");
    let app = TestApp::serving(TestDb::attach(&db.url).await, HttpConfig::default()).await;
    let doc = &document(&app, &url).await;
    // One version: what it said is kept, and there is nothing to compare.
    assert_eq!(doc["diff"], Value::Null);
    let said: Vec<&str> = doc["versions"][0]["passages"]
        .as_array()
        .expect("the version's passages")
        .iter()
        .filter_map(|p| p["text"].as_str())
        .collect();
    assert!(
        said.contains(
            &"Take-up was highest where short breaks could be booked at a week's notice."
        ),
        "{said:?}"
    );
    assert!(
        said.iter()
            .all(|t| !t.contains("Scottish Parliament election"))
    );

    edit_page(dir.path(), PAGE, |html| {
        html.replace(
            "booked at a week's notice.",
            "booked at two days' notice.",
        )
        .replace(
            "<p>Respite breaks for unpaid carers were offered in every partnership area during the year.</p>",
            "<p>Respite   breaks for unpaid carers\n   were offered in every partnership area during the year.</p>\n\
             <p>Carers' centres took the bookings in most areas.</p>",
        )
        .replace(
            "<li>Partnerships will publish their short breaks statements each spring.</li>",
            "",
        )
        .replace(BANNER, "Scheduled maintenance: some services may be slow this weekend.")
    });
    ingest(&db, dir.path()).await;
    let doc = &document(&app, &url).await;
    let versions = doc["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2, "{versions:#?}");
    let diff = &doc["diff"];
    assert_eq!(diff["from"]["id"], versions[0]["id"]);
    assert_eq!(diff["to"]["id"], versions[1]["id"]);
    let ops = diff["operations"].as_array().expect("operations");
    let actions: Vec<&str> = ops.iter().filter_map(|o| o["action"].as_str()).collect();
    // Exactly the three real edits, in page order; the white space and the banner are none.
    assert_eq!(actions, ["ADDED", "CHANGED", "REMOVED"], "{ops:#?}");
    assert_eq!(
        ops[0]["after"],
        "Carers' centres took the bookings in most areas."
    );
    assert_eq!(ops[0]["before"], Value::Null);
    assert_eq!(ops[0]["headings"], json!(["Short breaks in the year"]));
    assert_eq!(
        ops[1]["before"],
        "Take-up was highest where short breaks could be booked at a week's notice."
    );
    assert_eq!(
        ops[1]["after"],
        "Take-up was highest where short breaks could be booked at two days' notice."
    );
    assert_eq!(words(&ops[1], "INSERTED"), ["two days'"]);
    assert_eq!(words(&ops[1], "DELETED"), ["a week's"]);
    assert_eq!(
        ops[2]["before"],
        "Partnerships will publish their short breaks statements each spring."
    );
    assert_eq!(ops[2]["after"], Value::Null);
    assert_eq!(ops[2]["headings"], json!(["Next year"]));

    // The diff page draws the same edits.
    let html_url = diff["htmlUrl"].as_str().expect("htmlUrl");
    let page = app
        .client
        .get(format!("{}{html_url}", app.base_url))
        .send()
        .await
        .expect("GET the diff page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("the page");
    assert_eq!(html.matches("data-action=").count(), 3, "{html}");
    assert!(
        html.contains("<ins>two days&#39; </ins>") || html.contains("<ins>two days&#39;</ins>"),
        "{html}"
    );
    assert!(html.contains("<del>Partnerships will publish"), "{html}");
    // In a browser, with its policy: the same three sections.
    let dom = chromium_dump_dom(&format!("{}{html_url}", app.base_url));
    assert_eq!(dom.matches("data-action=").count(), 3, "{dom}");

    // The document's change in the feed links the same diff.
    let changes = app
        .data(
            "{ changes(first: 50) { nodes { subjectType diffUrl source { url } } } }",
            json!({}),
        )
        .await;
    let linked: Vec<&str> = changes["changes"]["nodes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| {
            c["source"]["url"]
                .as_str()
                .is_some_and(|u| u.starts_with(&url))
        })
        .filter_map(|c| c["diffUrl"].as_str())
        .collect();
    assert!(!linked.is_empty(), "{changes:#}");
    assert!(linked.iter().all(|u| *u == html_url), "{linked:?}");

    // The dashboard has no row from this page, but every surface reads one diff path: the
    // read layer's latest diff of the page is the one GraphQL gives.
    let latest = caregraph::read::versions::latest_diffs(&db.db, [decode_document(&doc["id"])])
        .await
        .expect("read the latest diffs");
    assert_eq!(latest.values().next().map(String::as_str), Some(html_url));

    // A copy that differs only in white space and the banner is a new version that says the
    // same: no difference.
    edit_page(dir.path(), PAGE, |html| {
        html.replace("Scheduled maintenance", "Planned maintenance")
            .replace("<h2>Next year</h2>", "<h2>Next   year</h2>\n")
    });
    ingest(&db, dir.path()).await;
    let doc = &document(&app, &url).await;
    assert_eq!(doc["versions"].as_array().map(Vec::len), Some(3));
    assert_eq!(doc["diff"]["operations"], json!([]), "{doc:#}");

    // A version stored before texts were kept says so: no passages, and no diff with it.
    entity::document_version::Entity::update_many()
        .col_expr(
            entity::document_version::Column::TextHash,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .filter(entity::document_version::Column::Id.eq(first_version(doc)))
        .exec(&db.db)
        .await
        .expect("forget the first version's text");
    let old = app
        .data(
            "query($from: ID, $to: ID) { documents(first: 10) { nodes { versions { passages { text } }
               diff(from: $from, to: $to) { htmlUrl } } } }",
            json!({ "from": doc["versions"][0]["id"], "to": doc["versions"][1]["id"] }),
        )
        .await;
    let node = &old["documents"]["nodes"][0];
    assert_eq!(node["versions"][0]["passages"], Value::Null, "{old:#}");
    assert!(node["versions"][1]["passages"].is_array(), "{old:#}");
    assert_eq!(node["diff"], Value::Null, "{old:#}");
}

/// The row ID of a global ID.
fn row_of(id: &Value) -> i64 {
    caregraph::read::ids::decode(id.as_str().expect("an ID"))
        .map(|(_, row)| row)
        .expect("a global ID")
}

fn decode_document(id: &Value) -> i64 {
    row_of(id)
}

fn first_version(doc: &Value) -> i64 {
    row_of(&doc["versions"][0]["id"])
}
