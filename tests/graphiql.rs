//! GraphiQL works offline: its page loads only assets this server serves from its binary.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};

use crate::helpers::{Backend, TestApp};

/// The values of `attr="..."` in every `<tag ...>` of `html`.
fn attributes(html: &str, tag: &str, attr: &str) -> Vec<String> {
    let open = format!("<{tag}");
    let key = format!("{attr}=\"");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let element = &rest[start..];
        let end = element.find('>').unwrap_or(element.len());
        let element_text = &element[..end];
        if let Some(at) = element_text.find(&key) {
            let value = &element_text[at + key.len()..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            found.push(value.to_owned());
        }
        rest = &element[end..];
    }
    found
}

async fn graphiql_loads_only_local_assets(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let page = app
        .client
        .get(app.graphql_url())
        .header(ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .expect("GET GraphiQL");
    assert_eq!(page.status(), StatusCode::OK);
    let ct = page.headers()[CONTENT_TYPE]
        .to_str()
        .expect("type")
        .to_owned();
    assert!(ct.starts_with("text/html"), "{ct}");
    let html = page.text().await.expect("body");
    assert!(html.contains("GraphiQL"), "{html}");

    let lower = html.to_lowercase();
    for banned in ["unpkg", "jsdelivr", "cdn", "http://", "https://"] {
        assert!(!lower.contains(banned), "the page names {banned}:\n{html}");
    }
    let scripts = attributes(&html, "script", "src");
    let links = attributes(&html, "link", "href");
    assert_eq!(
        scripts.len(),
        3,
        "React, ReactDOM and GraphiQL: {scripts:?}"
    );
    assert_eq!(links.len(), 1, "GraphiQL's stylesheet: {links:?}");

    let assets = scripts
        .iter()
        .map(|s| (s, "text/javascript"))
        .chain(links.iter().map(|l| (l, "text/css")));
    for (path, want) in assets {
        // Not `//host/...` either: that would leave this server too.
        assert!(
            path.starts_with('/') && !path.starts_with("//"),
            "{path} is not a local path"
        );
        let r = app
            .client
            .get(format!("{}{path}", app.base_url))
            .send()
            .await
            .expect("GET an asset");
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let ct = r.headers()[CONTENT_TYPE].to_str().expect("type").to_owned();
        assert!(ct.starts_with(want), "{path}: {ct}");
        let cc = r.headers()[CACHE_CONTROL].to_str().expect("cc").to_owned();
        assert_eq!(cc, "public, max-age=31536000, immutable", "{path}");
        let etag = r.headers()[ETAG].to_str().expect("etag").to_owned();
        let body = r.bytes().await.expect("body");
        assert!(body.len() > 5_000, "{path}: {} bytes", body.len());

        // A client holding the file is told so without it.
        let again = app
            .client
            .get(format!("{}{path}", app.base_url))
            .header(IF_NONE_MATCH, &etag)
            .send()
            .await
            .expect("GET an asset again");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(again.headers()[ETAG].to_str().expect("etag"), etag);
    }
}

async fn graphiql_leaves_api_clients_and_unknown_assets_alone(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    // Without `text/html`, GET /graphql is the API, as before.
    let r = app
        .client
        .get(app.graphql_url())
        .query(&[("query", "{ __typename }")])
        .header(ACCEPT, "application/json")
        .send()
        .await
        .expect("GET a query");
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.expect("JSON");
    assert_eq!(body["data"]["__typename"], "Query");
    // A client that takes JSON as readily as a page, with a query, gets the answer, not the
    // page. (One that prefers the page, a browser following a link, gets GraphiQL opened on
    // the query: tests/front_door.rs.)
    let r = app
        .client
        .get(app.graphql_url())
        .query(&[("query", "{ __typename }")])
        .header(ACCEPT, "text/html,application/json")
        .send()
        .await
        .expect("GET a query from a browser");
    let ct = r.headers()[CONTENT_TYPE].to_str().expect("type").to_owned();
    assert!(ct.starts_with("application/json"), "{ct}");
    for path in [
        "/graphiql/graphiql-4.1.2/nothing.js",
        "/graphiql/graphiql-0.0.0/graphiql.min.js",
        "/graphiql/graphiql-4.1.2/LICENSE",
    ] {
        let r = app
            .client
            .get(format!("{}{path}", app.base_url))
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

crate::cases!(
    graphiql_loads_only_local_assets,
    graphiql_leaves_api_clients_and_unknown_assets_alone,
);
