//! What HTTP clients, browsers and proxies expect of any server, over real HTTP: conditional
//! requests by RFC 9110, CORS for a page on another origin, and compression.
//!
//! Expected values come from the RFCs (9110 for `If-None-Match`, the Fetch standard for CORS)
//! and, for compression, from the same server's own uncompressed answer: a decoded body must be
//! that answer, byte for byte.

use reqwest::StatusCode;
use reqwest::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ETAG, IF_NONE_MATCH, ORIGIN,
};
use serde_json::{Value, json};

use crate::browser::{chromium_available, chromium_dom_and_refusals};
use crate::cases;
use crate::helpers::{Backend, TestApp};

cases!(
    if_none_match_follows_rfc_9110_on_graphql_the_dashboard_and_an_export,
    cors_lets_a_page_on_another_origin_send_any_header_and_read_the_etag,
    cors_works_from_a_page_on_another_origin_in_chromium,
);

/// The request headers browser apps add that a preflight must let through: an API gateway's
/// `authorization`, OpenTelemetry's and Sentry's `traceparent`, and Apollo Client's two.
const APP_HEADERS: [(&str, &str); 4] = [
    ("authorization", "Bearer gateway-token"),
    (
        "traceparent",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    ),
    ("apollographql-client-name", "dashboard"),
    ("apollographql-client-version", "1.0.0"),
];

/// A query every backend answers from the bundled snapshot.
const QUERY: &str = "{ documents { totalCount } }";

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

/// A header's value as text, or "" when absent.
fn header<'a>(response: &'a reqwest::Response, name: &reqwest::header::HeaderName) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// Whether a comma-separated header value names `item`, in any case.
fn lists(value: &str, item: &str) -> bool {
    value
        .split(',')
        .any(|v| v.trim().eq_ignore_ascii_case(item))
}

async fn cors_lets_a_page_on_another_origin_send_any_header_and_read_the_etag(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let origin = "https://dashboard.example";
    let asked = "content-type, authorization, traceparent, apollographql-client-name, \
                 apollographql-client-version";
    // The preflight a browser sends before a POST with those headers (Fetch standard, "CORS-
    // preflight request").
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.graphql_url())
        .header(ORIGIN, origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", asked)
        .send()
        .await
        .expect("OPTIONS /graphql");
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(header(&preflight, &ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert!(lists(
        header(&preflight, &ACCESS_CONTROL_ALLOW_METHODS),
        "POST"
    ));
    let allowed = header(&preflight, &ACCESS_CONTROL_ALLOW_HEADERS).to_owned();
    // Each header by name: the Fetch standard never lets a `*` stand for `authorization`.
    for name in std::iter::once("content-type").chain(APP_HEADERS.map(|(n, _)| n)) {
        assert!(lists(&allowed, name), "{name} is not allowed: {allowed}");
    }
    assert!(
        preflight
            .headers()
            .get(ACCESS_CONTROL_ALLOW_CREDENTIALS)
            .is_none()
    );

    // The requests themselves: each answer lets the page read its ETag.
    let mut get = app
        .client
        .get(app.graphql_url())
        .query(&[("query", QUERY)])
        .header(ORIGIN, origin);
    let mut post = app
        .client
        .post(app.graphql_url())
        .json(&json!({ "query": QUERY }))
        .header(ORIGIN, origin);
    for (name, value) in APP_HEADERS {
        get = get.header(name, value);
        post = post.header(name, value);
    }
    let export = app
        .client
        .get(format!("{}/export/milestones.csv", app.base_url))
        .header(ORIGIN, origin);
    for request in [get, export] {
        let answer = request.send().await.expect("a cross-origin GET");
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(header(&answer, &ACCESS_CONTROL_ALLOW_ORIGIN), "*");
        let exposed = header(&answer, &ACCESS_CONTROL_EXPOSE_HEADERS);
        assert!(lists(exposed, "etag"), "ETag is not exposed: {exposed:?}");
        assert!(!header(&answer, &ETAG).is_empty());
        assert!(
            answer
                .headers()
                .get(ACCESS_CONTROL_ALLOW_CREDENTIALS)
                .is_none()
        );
    }
    let answer = post.send().await.expect("a cross-origin POST");
    assert_eq!(header(&answer, &ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    assert!(lists(
        header(&answer, &ACCESS_CONTROL_EXPOSE_HEADERS),
        "etag"
    ));
    let body: Value = answer.json().await.expect("JSON");
    assert_eq!(body["data"]["documents"]["totalCount"], 5, "{body}");
}

/// A page on another origin (another loopback port) whose script POSTs and GETs `/graphql`
/// with [`APP_HEADERS`] and writes what it could read into `#out`.
fn cross_origin_page(api: &str) -> String {
    let headers: serde_json::Map<String, Value> = APP_HEADERS
        .iter()
        .map(|(n, v)| ((*n).to_owned(), Value::from(*v)))
        .collect();
    let headers = Value::Object(headers);
    format!(
        r#"<!DOCTYPE html><html><body><pre id="out">pending</pre><script>
const api = {api:?};
const headers = {headers};
(async () => {{
  try {{
    const posted = await fetch(api + "/graphql", {{ method: "POST", mode: "cors",
      headers: {{ ...headers, "content-type": "application/json" }},
      body: JSON.stringify({{ query: {QUERY:?} }}) }});
    const got = await fetch(api + "/graphql?query=" + encodeURIComponent({QUERY:?}),
      {{ mode: "cors", headers }});
    const total = (await posted.json()).data.documents.totalCount;
    document.getElementById("out").textContent =
      JSON.stringify({{ total, etag: got.headers.get("etag"), status: got.status }});
  }} catch (e) {{
    document.getElementById("out").textContent = JSON.stringify({{ error: String(e) }});
  }}
}})();
</script></body></html>"#
    )
}

async fn cors_works_from_a_page_on_another_origin_in_chromium(backend: Backend) {
    if !chromium_available() {
        return;
    }
    let app = TestApp::spawn(&backend).await;
    let page = cross_origin_page(&app.base_url);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the page's port");
    let page_url = format!("http://{}/", listener.local_addr().expect("address"));
    let site = axum::Router::new().route(
        "/",
        axum::routing::get(move || async move { axum::response::Html(page) }),
    );
    tokio::spawn(async move { axum::serve(listener, site).await });
    let (dom, _) = tokio::task::spawn_blocking(move || chromium_dom_and_refusals(&page_url))
        .await
        .expect("the chromium thread");
    let out = dom
        .split("<pre id=\"out\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_default();
    let seen: Value = serde_json::from_str(out).unwrap_or_else(|_| panic!("no result: {dom}"));
    assert_eq!(seen["total"], 5, "{seen}");
    assert_eq!(seen["status"], 200, "{seen}");
    let etag = seen["etag"].as_str().unwrap_or_default();
    assert!(
        etag.starts_with("W/\"v"),
        "the page could not read the ETag: {seen}"
    );
}
