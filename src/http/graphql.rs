//! `/graphql` over HTTP, by the GraphQL-over-HTTP specification.
//!
//! - POST takes `application/json` bodies holding one request object; arrays (batches) are
//!   refused, so one HTTP request is one operation under one set of limits.
//! - GET takes `query`, `operationName`, `variables` and `extensions` parameters, never runs a
//!   mutation (405), and is cacheable: its `ETag` is derived from the dataset version and the
//!   request alone, so a matching `If-None-Match` is answered 304 without running anything.
//! - The response type follows `Accept`: `application/graphql-response+json` (request errors
//!   are then 4xx) or the legacy `application/json` (always 200 for GraphQL errors); 406 when
//!   neither is acceptable.
//! - A query that runs past the time limit is stopped and answered 503 with code `TIMEOUT`.

use std::time::{Duration, Instant};

use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::AppState;
use crate::graphql::in_flight::Arrived;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The longest GET query string accepted; longer ones are answered 414.
pub const MAX_QUERY_STRING_BYTES: usize = 16 * 1024;

/// The media type a response is sent as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    /// `application/graphql-response+json`: request errors carry 4xx statuses.
    GraphqlResponse,
    /// `application/json`: GraphQL errors are 200, as legacy clients expect.
    Json,
}

impl Media {
    fn content_type(self) -> &'static str {
        match self {
            Self::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response media type from `Accept`; `None` when nothing we send is acceptable.
/// No `Accept` at all is read as `application/json`, as the specification asks.
pub fn negotiate(headers: &HeaderMap) -> Option<Media> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Media::Json);
    };
    let mut best: Option<(f32, Media)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        let candidate = match media.as_str() {
            GRAPHQL_RESPONSE_JSON => Some(Media::GraphqlResponse),
            JSON | "application/*" | "*/*" => Some(Media::Json),
            _ => None,
        };
        if let Some(m) = candidate {
            // Prefer the higher weight; on a tie, the specific graphql-response type.
            let better = match best {
                None => true,
                Some((bq, bm)) => q > bq || (q == bq && m == Media::GraphqlResponse && bm != m),
            };
            if better {
                best = Some((q, m));
            }
        }
    }
    best.map(|(_, m)| m)
}

/// An error answered before any GraphQL runs, as a GraphQL-shaped body.
fn request_error(status: StatusCode, code: &str, message: &str, media: Media) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (
        status,
        [(header::CONTENT_TYPE, media.content_type())],
        body.to_string(),
    )
        .into_response()
}

fn not_acceptable() -> Response {
    (
        StatusCode::NOT_ACCEPTABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "acceptable response types: application/graphql-response+json, application/json",
    )
        .into_response()
}

/// The parameters of one GraphQL request, checked for shape.
struct Params {
    query: String,
    operation_name: Option<String>,
    variables: Option<Map<String, Value>>,
    extensions: Option<Map<String, Value>>,
}

fn params_from_object(obj: &Map<String, Value>) -> Result<Params, &'static str> {
    let query = match obj.get("query") {
        Some(Value::String(q)) => q.clone(),
        Some(_) => return Err("`query` must be a string"),
        None => return Err("`query` is missing"),
    };
    let operation_name = match obj.get("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("`operationName` must be a string or null"),
    };
    let object = |key: &'static str| match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m.clone())),
        Some(_) => Err(key),
    };
    let variables = object("variables").map_err(|_| "`variables` must be an object or null")?;
    let extensions = object("extensions").map_err(|_| "`extensions` must be an object or null")?;
    Ok(Params {
        query,
        operation_name,
        variables,
        extensions,
    })
}

fn to_request(p: &Params) -> async_graphql::Request {
    let mut req = async_graphql::Request::new(p.query.clone());
    if let Some(name) = &p.operation_name {
        req = req.operation_name(name.clone());
    }
    if let Some(vars) = &p.variables {
        req = req.variables(async_graphql::Variables::from_json(Value::Object(
            vars.clone(),
        )));
    }
    if let Some(ext) = &p.extensions {
        for (k, v) in ext {
            if let Ok(v) = async_graphql::Value::from_json(v.clone()) {
                req.extensions.insert(k.clone(), v);
            }
        }
    }
    req
}

/// The type of the operation a request would run, when its document parses.
fn operation_type(
    doc: &async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<OperationType> {
    doc.operations
        .iter()
        .find(|(name, _)| match operation_name {
            Some(wanted) => name.is_some_and(|n| n.as_str() == wanted),
            None => true,
        })
        .map(|(_, op)| op.node.ty)
}

/// Runs a request. `cached` says its answer may be cached under the dataset version read
/// before it: it then shares only reads begun after it arrived, which see that version.
async fn execute(
    state: &AppState,
    params: &Params,
    media: Media,
    cached: bool,
) -> (Response, bool) {
    let limit = state.config.query_timeout;
    let arrived = Arrived(Instant::now());
    let run = state.schema.execute(|| {
        let request = to_request(params);
        if cached {
            request.data(arrived)
        } else {
            request
        }
    });
    let Ok(resp) = tokio::time::timeout(limit, run).await else {
        tracing::warn!(
            timeout_ms = limit.as_millis(),
            "query stopped at the time limit"
        );
        let message = format!("the query took longer than {limit:?} and was stopped");
        return (
            request_error(StatusCode::SERVICE_UNAVAILABLE, "TIMEOUT", &message, media),
            false,
        );
    };
    let ok = resp.errors.is_empty();
    // A request error (parse, validation, variables, limits) stops the request before any
    // field runs: its errors have no path. Field errors have one, even when they null `data`.
    let request_failed = !ok
        && resp.data == async_graphql::Value::Null
        && resp.errors.iter().all(|e| e.path.is_empty());
    let status = if request_failed && media == Media::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let body = if request_failed {
        // Nothing executed, so there is no `data` entry at all.
        let mut value = serde_json::to_value(&resp).unwrap_or_default();
        if let Some(obj) = value.as_object_mut() {
            obj.remove("data");
        }
        value.to_string()
    } else {
        serde_json::to_string(&resp).unwrap_or_default()
    };
    (
        (status, [(header::CONTENT_TYPE, media.content_type())], body).into_response(),
        ok,
    )
}

/// POST /graphql.
pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if essence != JSON && essence != GRAPHQL_RESPONSE_JSON {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send the request as application/json",
            media,
        );
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            let message = format!("the body is not JSON: {e}");
            return request_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", &message, media);
        }
    };
    let params = match &value {
        Value::Object(obj) => params_from_object(obj),
        Value::Array(_) => {
            Err("batched requests are not supported: send one operation per request")
        }
        _ => Err("the body must be a JSON object"),
    };
    match params {
        Ok(p) => execute(&state, &p, media, false).await.0,
        Err(message) => request_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", message, media),
    }
}

/// GET /graphql: GraphiQL for a browser with no query; otherwise a cacheable query.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Query(raw): Query<Vec<(String, String)>>,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let has_query = raw.iter().any(|(k, _)| k == "query");
    if wants_html && !has_query {
        return Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response();
    }
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    if uri.query().map_or(0, str::len) > MAX_QUERY_STRING_BYTES {
        return request_error(
            StatusCode::URI_TOO_LONG,
            "URI_TOO_LONG",
            "the query string is too long; send the query by POST",
            media,
        );
    }
    // The ETag and the cache come first: only error-free query answers ever get an ETag or a
    // cache entry, so a hit needs no parsing at all, and a repeat costs about a hash.
    let version = state.dataset_version().await;
    let etag = etag(version, media, &raw);
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    if matches {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::VARY, "Accept".to_owned()),
                (
                    header::CACHE_CONTROL,
                    cache_control(state.config.cache_max_age),
                ),
            ],
        )
            .into_response();
    }
    let cacheable_headers = |h: &mut HeaderMap| {
        h.insert(header::VARY, HeaderValue::from_static("Accept"));
        if let Ok(value) = HeaderValue::from_str(&etag) {
            h.insert(header::ETAG, value);
        }
        if let Ok(cc) = HeaderValue::from_str(&cache_control(state.config.cache_max_age)) {
            h.insert(header::CACHE_CONTROL, cc);
        }
    };
    if let Some(hit) = state.responses.as_ref().and_then(|c| c.get(&etag)) {
        let mut response = ([(header::CONTENT_TYPE, hit.content_type)], hit.body).into_response();
        cacheable_headers(response.headers_mut());
        return response;
    }
    let mut obj = Map::new();
    for (key, value) in &raw {
        let parsed = match key.as_str() {
            "query" | "operationName" => Value::String(value.clone()),
            "variables" | "extensions" => match serde_json::from_str(value) {
                Ok(v) => v,
                Err(_) => {
                    let message = format!("`{key}` is not JSON");
                    return request_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", &message, media);
                }
            },
            _ => continue,
        };
        obj.insert(key.clone(), parsed);
    }
    let params = match params_from_object(&obj) {
        Ok(p) => p,
        Err(message) => {
            return request_error(StatusCode::BAD_REQUEST, "BAD_REQUEST", message, media);
        }
    };
    if let Some(doc) = state.schema.parse(&params.query)
        && operation_type(&doc, params.operation_name.as_deref())
            .is_some_and(|t| t != OperationType::Query)
    {
        let mut response = request_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "only queries may be sent by GET",
            media,
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }

    // Its answer gets an ETag of the version read above, whether or not this server keeps it.
    let (response, ok) = execute(&state, &params, media, true).await;
    if !ok {
        let mut response = response;
        let h = response.headers_mut();
        h.insert(header::VARY, HeaderValue::from_static("Accept"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    // Only whole, error-free answers are cacheable, by clients and by this server.
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Some(cache) = &state.responses {
        cache.insert(
            etag.clone(),
            super::CachedAnswer {
                body: bytes.clone(),
                content_type: media.content_type(),
            },
        );
    }
    cacheable_headers(&mut parts.headers);
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

fn cache_control(max_age: Duration) -> String {
    format!("public, max-age={}", max_age.as_secs())
}

/// A strong ETag for a GET: the dataset version, the response type and the request's own
/// parameters. It does not depend on the response, so it can be checked before running.
fn etag(version: i64, media: Media, params: &[(String, String)]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(version.to_be_bytes());
    hasher.update(media.content_type().as_bytes());
    let mut sorted: Vec<&(String, String)> = params
        .iter()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "query" | "operationName" | "variables" | "extensions"
            )
        })
        .collect();
    sorted.sort();
    for (k, v) in sorted {
        hasher.update(k.as_bytes());
        hasher.update([0]);
        hasher.update(v.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    format!("\"v{version}-{}\"", ingest::ids::hex(&digest[..12]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(v).expect("header"));
        h
    }

    #[test]
    fn accept_picks_the_response_type() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(Media::Json));
        assert_eq!(negotiate(&accept("application/json")), Some(Media::Json));
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json, application/json;q=0.9"
            )),
            Some(Media::GraphqlResponse)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json;q=0.5, application/json"
            )),
            Some(Media::Json)
        );
        assert_eq!(negotiate(&accept("*/*")), Some(Media::Json));
        assert_eq!(negotiate(&accept("text/html")), None);
        assert_eq!(negotiate(&accept("application/json;q=0")), None);
    }

    #[test]
    fn only_queries_pass_as_queries() {
        let parse = |q| async_graphql::parser::parse_query(q).expect("parses");
        assert_eq!(
            operation_type(&parse("{ a }"), None),
            Some(OperationType::Query)
        );
        let two = parse("query A { a } mutation B { b }");
        assert_eq!(
            operation_type(&two, Some("B")),
            Some(OperationType::Mutation)
        );
        assert_eq!(operation_type(&two, Some("C")), None);
    }

    #[test]
    fn documents_parse_once_and_broken_ones_not_at_all() {
        let schema = crate::graphql::GuardedSchema::new(
            &sea_orm::DatabaseConnection::default(),
            crate::graphql::limits::Limits::default(),
            Duration::ZERO,
        );
        // A document that does not parse has no operation type: the GET runs it and reports why.
        assert!(schema.parse("{").is_none());
        let first = schema.parse("{ a }").expect("parses");
        let again = schema.parse("{ a }").expect("parses");
        assert!(
            std::sync::Arc::ptr_eq(&first, &again),
            "kept, not parsed again"
        );
        assert_eq!(operation_type(&again, None), Some(OperationType::Query));
    }
}
