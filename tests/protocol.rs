//! The GraphQL protocol's conventions as clients rely on them: every error's `extensions.code`
//! and its HTTP status (the GraphQL-over-HTTP specification's request errors), Apollo's
//! automatic persisted queries, and fields in the order asked.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CACHE_CONTROL, ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};

use caregraph::config::Layers;
use caregraph::http::HttpConfig;

use crate::helpers::{Backend, TestApp, TestDb};

const GQL_RESPONSE: &str = "application/graphql-response+json";

crate::cases!(
    every_error_has_a_code_and_request_errors_are_400,
    persisted_queries_follow_apollo_s_protocol_by_post_and_get,
    fields_come_back_in_the_order_asked,
    apollo_client_answers_the_readme_queries_through_persisted_queries,
);

/// Posts `body` under `accept`; the status and the JSON body.
async fn post(app: &TestApp, accept: &str, body: Value) -> (StatusCode, Value) {
    let resp = app
        .client
        .post(app.graphql_url())
        .header(ACCEPT, accept)
        .json(&body)
        .send()
        .await
        .expect("POST /graphql");
    let status = resp.status();
    (status, resp.json().await.expect("a JSON body"))
}

async fn every_error_has_a_code_and_request_errors_are_400(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    // Request errors, by the GraphQL-over-HTTP specification: nothing runs, so there is no
    // `data`, and under its media type the status is 400. The codes are Apollo Server's.
    let request_errors = [
        // A document that does not parse (the closing brace is missing).
        (
            json!({ "query": "{ commitments { totalCount }" }),
            "GRAPHQL_PARSE_FAILED",
        ),
        (
            json!({ "query": "{ noSuchField }" }),
            "GRAPHQL_VALIDATION_FAILED",
        ),
        // Coercion: a month 13, as a literal and as a variable.
        (
            json!({ "query": r#"{ timeline(from: "2024-13-01") { title } }"# }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "query": "query($d: Date) { timeline(from: $d) { title } }",
                    "variables": { "d": "2024-13-01" } }),
            "BAD_USER_INPUT",
        ),
        // An enum value that is not one (the plural), as a literal and as a variable.
        (
            json!({ "query": "{ events(filter: {kinds: [MILESTONES]}) { totalCount } }" }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "query": "query($k: [EventKind!]) { events(filter: {kinds: $k}) { totalCount } }",
                    "variables": { "k": ["MILESTONES"] } }),
            "BAD_USER_INPUT",
        ),
        // A value of the wrong type.
        (
            json!({ "query": r#"{ commitments(first: "ten") { totalCount } }"# }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "query": "query A { __typename }", "operationName": "B" }),
            "OPERATION_RESOLUTION_FAILURE",
        ),
    ];
    for (body, code) in request_errors {
        let (status, answer) = post(&app, GQL_RESPONSE, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body} → {answer:#}");
        assert!(answer.get("data").is_none(), "{answer:#}");
        let errors = answer["errors"].as_array().expect("errors");
        for error in errors {
            assert_eq!(error["extensions"]["code"], code, "{body} → {answer:#}");
        }
        // The legacy media type answers 200, with the same errors.
        let (status, legacy) = post(&app, "application/json", body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(legacy["errors"], answer["errors"], "{body}");
    }

    // A parse error is one line, with where the parser stopped: the end of the one line.
    let (_, answer) = post(
        &app,
        GQL_RESPONSE,
        json!({ "query": "{ commitments { totalCount }" }),
    )
    .await;
    let error = &answer["errors"][0];
    let message = error["message"].as_str().expect("a message");
    assert!(!message.contains('\n'), "{message:?}");
    assert_eq!(error["locations"], json!([{ "line": 1, "column": 29 }]));
    assert!(
        message.starts_with("Syntax error at line 1, column 29"),
        "{message}"
    );

    // A resolver's error is a field error: 200, with a path and a code.
    let (status, answer) = post(
        &app,
        GQL_RESPONSE,
        json!({ "query": r#"{ node(id: "not-an-id") { id } }"# }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(answer.get("data").is_some(), "{answer:#}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(answer["errors"][0]["path"], json!(["node"]));
}

/// A query from the README, and its SHA-256 (computed apart from this server, by Python's
/// `hashlib.sha256(query.encode()).hexdigest()`).
const DOCUMENTS: &str = "{ documents { totalCount } }";
const DOCUMENTS_SHA256: &str = "cdc7e37b0ef8aeccd1046b241f052272702f46597430acb54262814b5cd35c3b";

async fn persisted_queries_follow_apollo_s_protocol_by_post_and_get(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let persisted = |hash: &str| json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let extensions = persisted(DOCUMENTS_SHA256);
    let get = async |if_none_match: Option<&str>| {
        let mut req = app.client.get(app.graphql_url()).query(&[
            ("extensions", extensions.to_string()),
            ("variables", "{}".to_owned()),
        ]);
        if let Some(tag) = if_none_match {
            req = req.header(IF_NONE_MATCH, tag);
        }
        req.send().await.expect("GET /graphql")
    };

    // The hash alone, before the query was ever sent: not found, by Apollo Server's code and
    // message, a request error (400 under the GraphQL media type, 200 under the legacy one).
    let hash_only = json!({ "extensions": extensions });
    for (accept, want) in [
        (GQL_RESPONSE, StatusCode::BAD_REQUEST),
        ("application/json", StatusCode::OK),
    ] {
        let (status, answer) = post(&app, accept, hash_only.clone()).await;
        assert_eq!(status, want, "{answer:#}");
        assert_eq!(
            answer["errors"][0]["extensions"]["code"],
            "PERSISTED_QUERY_NOT_FOUND"
        );
        assert_eq!(answer["errors"][0]["message"], "PersistedQueryNotFound");
    }
    // Nor by GET, and that answer is not to be kept by any cache.
    let missed = get(None).await;
    assert_eq!(missed.status(), StatusCode::OK);
    assert_eq!(
        missed
            .headers()
            .get(CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );

    // The query with another query's hash is refused, and not run.
    let (status, answer) = post(
        &app,
        "application/json",
        json!({ "query": "{ commitments { totalCount } }", "extensions": extensions }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_HASH_MISMATCH"
    );
    assert!(answer.get("data").is_none(), "{answer:#}");

    // The query with its hash runs, and is kept: the hash alone then answers, by POST and by
    // GET, and the GET caches (ETag, 304) like any other.
    let with_query = json!({ "query": DOCUMENTS, "extensions": extensions });
    let want = json!({ "data": { "documents": { "totalCount": 5 } } });
    assert_eq!(
        post(&app, GQL_RESPONSE, with_query).await,
        (StatusCode::OK, want.clone())
    );
    assert_eq!(
        post(&app, GQL_RESPONSE, hash_only).await,
        (StatusCode::OK, want.clone())
    );
    let hit = get(None).await;
    assert_eq!(hit.status(), StatusCode::OK);
    let etag = hit
        .headers()
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .expect("an ETag")
        .to_owned();
    assert_eq!(hit.json::<Value>().await.expect("JSON"), want);
    assert_eq!(get(Some(&etag)).await.status(), StatusCode::NOT_MODIFIED);

    // A hash that is not one is a malformed request.
    let (status, answer) = post(
        &app,
        GQL_RESPONSE,
        json!({ "extensions": persisted("abc") }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["errors"][0]["extensions"]["code"], "BAD_REQUEST");
}

/// Asks, at the root and nested, for a slow field (a connection of connections, which
/// finishes last) before cheap ones (`__typename`, a scalar), under aliases.
const SLOW_FIRST: &str = "{
  slow: commitments(first: 20) { nodes {
    deep: milestones(first: 20) { nodes { updates: progressUpdates { text } title } }
    n: number } }
  cheap: __typename
  docs: documents(first: 5) { nodes { versions { runId } t: __typename } }
  last: __typename
}";

/// The keys of `keys` in the order they occur in `body`.
fn key_order<'a>(body: &str, keys: &[&'a str]) -> Vec<&'a str> {
    let mut found: Vec<(usize, &str)> = keys
        .iter()
        .flat_map(|k| {
            let quoted = format!("\"{k}\":");
            body.match_indices(&quoted)
                .map(|(at, _)| (at, *k))
                .collect::<Vec<_>>()
        })
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, k)| k).collect()
}

/// `pair` repeated `n` times.
fn repeated(pair: [&str; 2], n: usize) -> Vec<&str> {
    pair.iter().copied().cycle().take(2 * n).collect()
}

async fn fields_come_back_in_the_order_asked(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let bare = HttpConfig {
        layers: Layers {
            response_cache_entries: 0,
            parsed_query_bytes: 0,
            shared_reads: false,
            version_ttl: std::time::Duration::ZERO,
        },
        ..HttpConfig::default()
    };
    // The same database, served with every reuse layer off.
    let unlayered = TestApp::serving(TestDb::attach(&app.db.url).await, bare).await;
    let mut bodies = Vec::new();
    for server in [&app, &unlayered] {
        for _ in 0..10 {
            let post = server
                .client
                .post(server.graphql_url())
                .json(&json!({ "query": SLOW_FIRST }))
                .send()
                .await
                .expect("POST");
            bodies.push(post.text().await.expect("a body"));
            let get = server
                .client
                .get(server.graphql_url())
                .query(&[("query", SLOW_FIRST)])
                .send()
                .await
                .expect("GET");
            bodies.push(get.text().await.expect("a body"));
        }
    }
    let first = &bodies[0];
    assert!(first.starts_with("{\"data\":{\"slow\":"), "{first}");
    let body: Value = serde_json::from_str(first).expect("JSON");
    assert!(body.get("errors").is_none(), "{first}");
    for (i, other) in bodies.iter().enumerate() {
        assert_eq!(other, first, "answer {i} differs");
    }
    assert_eq!(
        key_order(first, &["slow", "cheap", "docs", "last"]),
        ["slow", "cheap", "docs", "last"]
    );
    let commitments = body["data"]["slow"]["nodes"]
        .as_array()
        .expect("nodes")
        .len();
    assert!(commitments >= 1, "{first}");
    assert_eq!(
        key_order(first, &["deep", "n"]),
        repeated(["deep", "n"], commitments)
    );
    let milestones = first.matches("\"updates\":").count();
    assert!(milestones > 1, "{first}");
    assert_eq!(
        key_order(first, &["updates", "title"]),
        repeated(["updates", "title"], milestones)
    );
    let documents = body["data"]["docs"]["nodes"]
        .as_array()
        .expect("nodes")
        .len();
    assert_eq!(
        key_order(first, &["versions", "t"]),
        repeated(["versions", "t"], documents)
    );
}

/// The README's example queries (its `graphql` blocks).
fn readme_queries() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("read the README");
    readme
        .split("```graphql\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .map(str::to_owned)
        .collect()
}

/// Installs `dir`'s npm packages from its lock file when they are not yet (.ci/run installs
/// them before the suite), one test at a time.
fn install_node_packages(dir: &str) {
    static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = INSTALLING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if std::path::Path::new(dir)
        .join("node_modules/@apollo/client")
        .exists()
    {
        return;
    }
    let npm = std::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .output()
        .expect("run npm (Node and npm are needed for this test)");
    assert!(
        npm.status.success(),
        "npm ci in {dir}: {}",
        String::from_utf8_lossy(&npm.stderr)
    );
}

async fn apollo_client_answers_the_readme_queries_through_persisted_queries(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let queries = readme_queries();
    assert_eq!(queries.len(), 5, "the README's example queries");
    let audit = concat!(env!("CARGO_MANIFEST_DIR"), "/audit");
    install_node_packages(audit);
    // Apollo Client 4 with PersistedQueryLink, hashes by GET, from Node (audit/apollo-apq.mjs).
    let mut node = tokio::process::Command::new("node")
        .arg("apollo-apq.mjs")
        .arg(app.graphql_url())
        .current_dir(audit)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run node");
    let input = serde_json::to_vec(&queries).expect("JSON");
    let mut stdin = node.stdin.take().expect("stdin");
    tokio::io::AsyncWriteExt::write_all(&mut stdin, &input)
        .await
        .expect("write the queries");
    drop(stdin);
    let out = node.wait_with_output().await.expect("node finishes");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run: Value = serde_json::from_slice(&out.stdout).expect("the script's JSON");
    let requests = run["requests"].as_array().expect("requests");
    // Per query: the hash alone by GET, unknown (a request error); the query with its hash by
    // POST; then, asked again, the hash alone by GET, known.
    assert_eq!(requests.len(), 3 * queries.len(), "{run:#}");
    for (i, asked) in requests.chunks(3).enumerate() {
        let hash = &asked[0]["sha256Hash"];
        assert!(hash.is_string(), "{run:#}");
        let shape: Vec<(&str, u64, bool)> = asked
            .iter()
            .map(|r| {
                assert_eq!(&r["sha256Hash"], hash, "{run:#}");
                (
                    r["method"].as_str().unwrap_or_default(),
                    r["status"].as_u64().unwrap_or_default(),
                    r["query"].is_string(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("GET", 400, false),
                ("POST", 200, true),
                ("GET", 200, false)
            ],
            "query {i}: {run:#}"
        );
        // Both answers are those of the query Apollo sent (its text, with the `__typename`s it
        // adds), posted plainly.
        let sent = asked[1]["query"].as_str().unwrap_or_default();
        let plain = app.data(sent, json!({})).await;
        for round in run["answers"][i].as_array().expect("answers") {
            assert_eq!(round["error"], Value::Null, "query {i}: {round:#}");
            assert_eq!(round["data"], plain, "query {i}");
        }
    }
    // The first README query answers the bundled snapshot's commitment.
    let first = &run["answers"][0][0]["data"]["commitments"]["nodes"];
    assert!(first.as_array().is_some_and(|n| !n.is_empty()), "{run:#}");
}
