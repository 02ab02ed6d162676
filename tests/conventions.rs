//! What HTTP clients, browsers and proxies expect of any server, over real HTTP: conditional
//! requests by RFC 9110, CORS for a page on another origin, and compression.
//!
//! Expected values come from the RFCs (9110 for `If-None-Match`, the Fetch standard for CORS)
//! and, for compression, from the same server's own uncompressed answer: a decoded body must be
//! that answer, byte for byte.

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_NONE_MATCH};

use crate::cases;
use crate::helpers::{Backend, TestApp};

cases!(if_none_match_follows_rfc_9110_on_graphql_the_dashboard_and_an_export,);

/// A cacheable GET of each kind: `/graphql`, `/dashboard` and an export.
fn cacheable_urls(app: &TestApp) -> [String; 3] {
    [
        format!(
            "{}/graphql?query=%7B%20documents%20%7B%20totalCount%20%7D%20%7D",
            app.base_url
        ),
        format!("{}/dashboard?status=NONE", app.base_url),
        format!("{}/export/milestones.csv?from=2021-01-01", app.base_url),
    ]
}

/// GET `url` with `If-None-Match: held`.
async fn get_holding(app: &TestApp, url: &str, held: &str) -> reqwest::Response {
    let request = app.client.get(url).header(IF_NONE_MATCH, held);
    request.send().await.expect("GET with If-None-Match")
}

async fn if_none_match_follows_rfc_9110_on_graphql_the_dashboard_and_an_export(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    for url in cacheable_urls(&app) {
        let first = app.client.get(&url).send().await.expect("GET");
        assert_eq!(first.status(), StatusCode::OK, "{url}");
        let etag = first.headers()[ETAG].to_str().expect("ASCII").to_owned();
        // RFC 9110 §8.8.3: an entity tag is an optional `W/` and a quoted opaque tag.
        let opaque = etag.strip_prefix("W/").unwrap_or(&etag).to_owned();
        assert!(
            opaque.len() > 2 && opaque.starts_with('"') && opaque.ends_with('"'),
            "{url}: {etag}"
        );
        let weak = format!("W/{opaque}");
        let other = "\"not-this-one\"".to_owned();
        // §13.1.2: If-None-Match uses the weak comparison, takes a list, and `*` matches any
        // current representation: each of these means "I hold it", so 304.
        for held in [
            opaque.clone(),
            weak.clone(),
            format!("{other}, {weak}"),
            format!("{other},{opaque}"),
            "*".to_owned(),
        ] {
            let again = get_holding(&app, &url, &held).await;
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{url}: {held}");
            assert_eq!(again.headers()[ETAG].to_str().expect("ASCII"), etag);
        }
        // Tags that are not this one: the full answer.
        for not_held in [
            other.clone(),
            format!("W/{other}, W/\"{}x\"", opaque.trim_matches('"')),
        ] {
            let fresh = get_holding(&app, &url, &not_held).await;
            assert_eq!(fresh.status(), StatusCode::OK, "{url}: {not_held}");
        }
    }
}
