//! What HTTP clients, browsers and proxies expect of any server, over real HTTP: conditional
//! requests by RFC 9110, CORS for a page on another origin, and compression.
//!
//! Expected values come from the RFCs (9110 for `If-None-Match`, the Fetch standard for CORS)
//! and, for compression, from the same server's own uncompressed answer: a decoded body must be
//! that answer, byte for byte.

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, ACCEPT_ENCODING, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS,
    CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH, ORIGIN, VARY,
    X_CONTENT_TYPE_OPTIONS,
};
use serde_json::{Value, json};

use crate::browser::{chromium_available, chromium_dom_and_refusals};
use crate::cases;
use crate::helpers::{Backend, OVERVIEW, TestApp, TestDb, edit_page, snapshot_copy};

cases!(
    if_none_match_follows_rfc_9110_on_graphql_the_dashboard_and_an_export,
    cors_lets_a_page_on_another_origin_send_any_header_and_read_the_etag,
    cors_works_from_a_page_on_another_origin_in_chromium,
    compressed_answers_decode_to_the_very_bytes_of_the_plain_ones,
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
pub async fn get_holding(app: &TestApp, url: &str, held: &str) -> reqwest::Response {
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

/// The bundled snapshot with `extra` more milestones in commitment 2's overview, so that
/// `milestones.csv` streams many pages of rows (the server reads 500 rows a page).
async fn app_with_many_milestones(backend: &Backend, extra: usize) -> TestApp {
    let dir = snapshot_copy();
    let first = "<li>hire and on-board a person centred design team. Start August 2021 – end \
                 January 2022</li>";
    edit_page(dir.path(), OVERVIEW, |html| {
        let more: String = (1..=extra)
            .map(|i| {
                format!(
                    "<li>hold design workshop {i} with the people of locality {i}. Start \
                     August 2021 – end January 2022</li>"
                )
            })
            .collect();
        html.replace(first, &format!("{first}{more}"))
    });
    let db = TestDb::new(backend).await;
    ingest::ingest_snapshot(&db.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("ingest the enlarged snapshot");
    TestApp::serving(db, caregraph::http::HttpConfig::default()).await
}

/// `bytes` decoded from `encoding` (`gzip` or `br`), by the reference decoders.
fn decode(encoding: &str, bytes: &[u8]) -> Vec<u8> {
    use std::io::Read as _;
    let mut out = Vec::new();
    match encoding {
        "gzip" => flate2::read::GzDecoder::new(bytes).read_to_end(&mut out),
        "br" => brotli::Decompressor::new(bytes, 4096).read_to_end(&mut out),
        other => panic!("no decoder for {other}"),
    }
    .unwrap_or_else(|e| panic!("the {encoding} body does not decode: {e}"));
    out
}

/// The paths GraphiQL's page loads from this server (`src="/..."` and `href="/..."`).
fn local_assets(html: &str) -> Vec<String> {
    ["src=\"/", "href=\"/"]
        .iter()
        .flat_map(|attr| html.split(attr).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .map(|path| format!("/{path}"))
        .collect()
}

async fn compressed_answers_decode_to_the_very_bytes_of_the_plain_ones(backend: Backend) {
    let app = app_with_many_milestones(&backend, 1200).await;
    let base = app.base_url.clone();
    let graphiql = app
        .client
        .get(app.graphql_url())
        .header(ACCEPT, "text/html")
        .send()
        .await
        .expect("GET GraphiQL");
    let assets = local_assets(&graphiql.text().await.expect("the page"));
    assert_eq!(
        assets.len(),
        4,
        "GraphiQL's scripts and style sheet: {assets:?}"
    );
    let query = "/graphql?query=%7B%20documents%20%7B%20nodes%20%7B%20id%20title%20%7D%20%7D%20%7D";
    let mut paths: Vec<(String, &str)> = vec![
        ("/graphql".to_owned(), "text/html"),
        (query.to_owned(), "application/json"),
        ("/dashboard".to_owned(), "text/html"),
        ("/export/milestones.csv".to_owned(), "*/*"),
        ("/export/timeline.ics".to_owned(), "*/*"),
    ];
    paths.extend(assets.into_iter().map(|a| (a, "*/*")));
    let mut large_csv = 0;
    for (path, accept) in &paths {
        let url = format!("{base}{path}");
        let fetch = |encoding: &'static str| {
            let request = app.client.get(&url).header(ACCEPT, *accept);
            let url = &url;
            async move {
                let answer = request
                    .header(ACCEPT_ENCODING, encoding)
                    .send()
                    .await
                    .expect("GET");
                assert_eq!(answer.status(), StatusCode::OK, "{url} ({encoding})");
                let headers = answer.headers().clone();
                let body = answer.bytes().await.expect("the whole body").to_vec();
                (headers, body)
            }
        };
        let (plain_headers, plain) = fetch("identity").await;
        assert!(plain_headers.get(CONTENT_ENCODING).is_none(), "{url}");
        for encoding in ["gzip", "br"] {
            let (headers, body) = fetch(encoding).await;
            let got = headers.get(CONTENT_ENCODING).and_then(|v| v.to_str().ok());
            assert_eq!(got, Some(encoding), "{url}");
            let vary: Vec<&str> = headers
                .get_all(VARY)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            let vary = vary.join(", ");
            assert!(lists(&vary, "accept-encoding"), "{url}: {vary}");
            assert!(
                body.len() < plain.len(),
                "{url}: {encoding} made it no smaller"
            );
            assert!(
                decode(encoding, &body) == plain,
                "{url}: {encoding} decodes otherwise"
            );
            // What the handler set survives the encoding: the type, the policy, nosniff and
            // the ETag, which is the same for every encoding and still revalidates.
            for name in [
                CONTENT_TYPE,
                CONTENT_SECURITY_POLICY,
                X_CONTENT_TYPE_OPTIONS,
                ETAG,
            ] {
                assert_eq!(
                    headers.get(&name),
                    plain_headers.get(&name),
                    "{url}: {name}"
                );
            }
            if let Some(etag) = headers.get(ETAG) {
                let again = app
                    .client
                    .get(&url)
                    .header(ACCEPT, *accept)
                    .header(ACCEPT_ENCODING, encoding)
                    .header(IF_NONE_MATCH, etag)
                    .send()
                    .await
                    .expect("GET again");
                assert_eq!(
                    again.status(),
                    StatusCode::NOT_MODIFIED,
                    "{url} ({encoding})"
                );
            }
        }
        if path.ends_with(".csv") {
            large_csv = plain.iter().filter(|b| **b == b'\n').count();
        }
    }
    // The header row, the snapshot's six milestones and the 1,200 added: three pages and more.
    assert!(large_csv > 1200, "milestones.csv has {large_csv} lines");
}
