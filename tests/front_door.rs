//! The front door over real HTTP: `/`, `/favicon.ico`, GraphiQL opening on the README's first
//! query, and a shared `/graphql?query=...` link opening GraphiQL on that query in a browser
//! while API clients still get JSON.
//!
//! Expected values come from the README (its example queries, read here on their own), the
//! Open Government Licence's attribution statement, and the database's ingest runs.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::Value;

use crate::browser::{chromium_available, chromium_dom_and_refusals};
use crate::cases;
use crate::conventions::get_holding;
use crate::helpers::{Backend, TestApp, TestDb};

cases!(
    the_front_page_links_everything_and_says_when_the_data_was_read,
    the_front_page_says_when_nothing_was_ingested_yet,
    a_favicon_is_served_and_cacheable,
    a_query_link_opens_graphiql_in_a_browser_and_answers_json_to_api_clients,
    a_query_link_opens_graphiql_on_that_query_in_chromium,
);

/// What Chromium sends as `Accept` when it follows a link.
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,\
    image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

/// The Open Government Licence v3.0's attribution statement and its address.
const OGL: &str = "Contains public sector information licensed under the";
const OGL_URL: &str = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

/// The README's example queries: its ```` ```graphql ```` blocks.
fn readme_queries() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("read README.md");
    readme
        .split("```graphql\n")
        .skip(1)
        .filter_map(|block| block.split("\n```").next())
        .map(str::to_owned)
        .collect()
}

/// The values of `attr="..."` in `html`, with the entities the server escapes read back.
fn attribute_values(html: &str, attr: &str) -> Vec<String> {
    html.split(&format!("{attr}=\""))
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|v| {
            v.replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&#x27;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

/// The `query` parameter of a `/graphql?query=...` link, decoded.
fn linked_query(href: &str) -> Option<String> {
    let url = reqwest::Url::parse(&format!("http://host{href}")).ok()?;
    if url.path() != "/graphql" {
        return None;
    }
    url.query_pairs()
        .find(|(k, _)| k == "query")
        .map(|(_, v)| v.into_owned())
}

async fn get_html(app: &TestApp, path: &str) -> (reqwest::header::HeaderMap, String) {
    let answer = app
        .client
        .get(format!("{}{path}", app.base_url))
        .header(ACCEPT, BROWSER_ACCEPT)
        .send()
        .await
        .expect("GET");
    assert_eq!(answer.status(), StatusCode::OK, "{path}");
    let headers = answer.headers().clone();
    let ct = headers[CONTENT_TYPE].to_str().expect("ASCII");
    assert!(ct.starts_with("text/html"), "{path}: {ct}");
    (headers, answer.text().await.expect("the page"))
}

async fn the_front_page_links_everything_and_says_when_the_data_was_read(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (headers, html) = get_html(&app, "/").await;
    let links = attribute_values(&html, "href");
    for path in [
        "/graphql",
        "/dashboard",
        "/export/milestones.csv",
        "/export/workstreams.csv",
        "/export/timeline.ics",
        OGL_URL,
    ] {
        assert!(
            links.iter().any(|l| l == path),
            "no link to {path}: {links:?}"
        );
    }
    // Each README example opens GraphiQL on its query.
    let linked: Vec<String> = links.iter().filter_map(|l| linked_query(l)).collect();
    let examples = readme_queries();
    assert!(examples.len() >= 3, "{examples:?}");
    for query in &examples {
        assert!(linked.contains(query), "no link opens {query}");
    }
    assert!(html.contains(OGL) && html.contains("Open Government Licence v3.0"));
    // The dashboard carries the same attribution.
    let (_, dashboard) = get_html(&app, "/dashboard").await;
    assert!(dashboard.contains(OGL) && dashboard.contains(OGL_URL));

    // When the latest ingest run finished, as the database holds it.
    let latest = entity::ingest_run::Entity::find()
        .order_by_desc(entity::ingest_run::Column::Id)
        .one(&app.db.db)
        .await
        .expect("read the runs")
        .expect("a run");
    let stamp = latest
        .finished_at
        .format("%-d %B %Y, %H:%M UTC")
        .to_string();
    assert!(html.contains(&stamp), "no {stamp} on the page");
    assert!(!html.contains("<script"), "the page runs no script");
    let policy = headers[CONTENT_SECURITY_POLICY].to_str().expect("ASCII");
    assert!(policy.starts_with("default-src 'none';"), "{policy}");

    // Cacheable by the dataset version, like the dashboard.
    let etag = headers[ETAG].to_str().expect("ASCII").to_owned();
    assert!(etag.starts_with("W/\"v"), "{etag}");
    let again = get_holding(&app, &format!("{}/", app.base_url), &etag).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

async fn the_front_page_says_when_nothing_was_ingested_yet(backend: Backend) {
    let db = TestDb::new(&backend).await;
    let app = TestApp::serving(db, caregraph::http::HttpConfig::default()).await;
    let (_, html) = get_html(&app, "/").await;
    assert!(html.contains("no ingest yet"), "{html}");
    assert!(html.contains(OGL));
}

async fn a_favicon_is_served_and_cacheable(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let url = format!("{}/favicon.ico", app.base_url);
    let answer = app.client.get(&url).send().await.expect("GET /favicon.ico");
    assert_eq!(answer.status(), StatusCode::OK);
    let text = |name| answer.headers()[name].to_str().expect("ASCII").to_owned();
    let (ct, cc) = (text(CONTENT_TYPE), text(CACHE_CONTROL));
    assert!(ct.starts_with("image/"), "{ct}");
    assert!(cc.starts_with("public, max-age="), "{cc}");
    let etag = answer.headers()[ETAG].to_str().expect("ASCII").to_owned();
    let bytes = answer.bytes().await.expect("the icon");
    // An ICO file: reserved 0, type 1 (icon), then how many images.
    assert_eq!(&bytes[..4], &[0, 0, 1, 0], "not an ICO file");
    let again = get_holding(&app, &url, &etag).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

/// A query and its variables as a shared link carries them.
const LINKED: &str = "query Window($from: Date) { timeline(from: $from) { date title } }";
const VARIABLES: &str = r#"{"from": "2022-08-01"}"#;

async fn a_query_link_opens_graphiql_in_a_browser_and_answers_json_to_api_clients(
    backend: Backend,
) {
    let app = TestApp::spawn(&backend).await;
    let get = |accept: Option<&'static str>| {
        let mut request = app
            .client
            .get(app.graphql_url())
            .query(&[("query", LINKED), ("variables", VARIABLES)]);
        if let Some(a) = accept {
            request = request.header(ACCEPT, a);
        }
        async move { request.send().await.expect("GET /graphql") }
    };
    // A browser gets GraphiQL, holding the query and the variables.
    let page = get(Some(BROWSER_ACCEPT)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let ct = page.headers()[CONTENT_TYPE]
        .to_str()
        .expect("ASCII")
        .to_owned();
    assert!(ct.starts_with("text/html"), "{ct}");
    let html = page.text().await.expect("the page");
    assert!(html.contains("graphiql.min.js"), "not GraphiQL");
    assert_eq!(attribute_values(&html, "data-query"), [LINKED]);
    assert_eq!(attribute_values(&html, "data-variables"), [VARIABLES]);
    // API clients get the answer: JSON, by the types they name, or with no Accept at all.
    for accept in [
        Some("application/json"),
        Some("application/graphql-response+json"),
        None,
    ] {
        let answer = get(accept).await;
        assert_eq!(answer.status(), StatusCode::OK, "{accept:?}");
        let ct = answer.headers()[CONTENT_TYPE]
            .to_str()
            .expect("ASCII")
            .to_owned();
        assert!(ct.starts_with("application/"), "{accept:?}: {ct}");
        let body: Value = answer.json().await.expect("JSON");
        let titles = crate::helpers::strings(&body["data"]["timeline"], Some("title"));
        assert!(
            titles.iter().any(|t| t == "Progress to August 2022"),
            "{accept:?}: {body}"
        );
    }
    // Without a query, GraphiQL opens on the README's first example.
    let (_, html) = get_html(&app, "/graphql").await;
    let first = readme_queries().into_iter().next().expect("an example");
    assert_eq!(attribute_values(&html, "data-default-query"), [first]);
    assert!(attribute_values(&html, "data-query").is_empty());
}

async fn a_query_link_opens_graphiql_on_that_query_in_chromium(backend: Backend) {
    if !chromium_available() {
        return;
    }
    let app = TestApp::spawn(&backend).await;
    let link = reqwest::Url::parse_with_params(&app.graphql_url(), &[("query", LINKED)])
        .expect("a URL")
        .to_string();
    let (dom, refusals) = tokio::task::spawn_blocking(move || chromium_dom_and_refusals(&link))
        .await
        .expect("the chromium thread");
    assert!(refusals.is_empty(), "the policy refused {refusals:#?}");
    // The editor (after the holder element's own attributes) shows the linked query.
    let editor = dom.split("graphiql-container").nth(1).unwrap_or_default();
    assert!(
        editor.contains("Window"),
        "GraphiQL did not open the query: {dom}"
    );
    assert!(
        !editor.contains("commitments"),
        "it opened the default query"
    );
}
