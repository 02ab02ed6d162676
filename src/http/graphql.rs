//! `/graphql` over HTTP, by the GraphQL-over-HTTP specification.
//!
//! - POST takes `application/json` bodies holding one request object; arrays (batches) are
//!   refused, so one HTTP request is one operation under one set of limits.
//! - GET from a browser is GraphiQL ([`super::graphiql`]): with no `query` when `Accept` names
//!   `text/html`; opened on the `query` and `variables` of a shared link when `Accept` weighs
//!   `text/html` above the JSON types ([`media::prefers_html`]). Every other GET is the API.
//! - GET takes `query`, `operationName`, `variables` and `extensions` parameters, never runs a
//!   mutation (405), and is cacheable: its `ETag` is derived from the dataset version and the
//!   request alone, so a matching `If-None-Match` is answered 304 without running anything.
//! - The response type follows `Accept`: `application/graphql-response+json` (request errors
//!   are then 4xx) or the legacy `application/json` (always 200 for GraphQL errors); 406 when
//!   neither is acceptable.
//! - A query that runs past the time limit is stopped and answered 503 with code `TIMEOUT`.
//! - Either method may send a persisted query's hash in place of its text (Apollo's automatic
//!   persisted queries, see [`super::persisted`]).
//!
//! Each handler is a short pipeline over [`super::request`] (reading the request),
//! [`super::media`] (the response type), [`super::caching`] (HTTP caching) and
//! the [`Executor`](crate::executor::Executor) (running it, and every reuse of work).

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::caching;
use super::graphiql;
use super::media::{self, Media};
use super::request::{self, Params, Rejection};
use super::state::AppState;
use crate::executor::CachedAnswer;

/// POST /graphql.
pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(media) = media::negotiate(&headers) else {
        return media::not_acceptable();
    };
    match request::from_post(&headers, &body, &state.persisted) {
        Ok(params) => execute(&state, &params, media, None).await.0,
        Err(rejection) => rejection.respond(media),
    }
}

/// GET /graphql: GraphiQL for a browser (opening on the link's `query` and `variables`, when
/// it prefers a page to JSON); otherwise a cacheable query.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    Query(raw): Query<Vec<(String, String)>>,
) -> Response {
    let param = |name: &str| raw.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    if media::wants_html(&headers) {
        match param("query") {
            None => return graphiql::page(None),
            Some(query) if media::prefers_html(&headers) => {
                return graphiql::page(Some((query, param("variables"))));
            }
            Some(_) => {}
        }
    }
    let Some(media) = media::negotiate(&headers) else {
        return media::not_acceptable();
    };
    if let Err(rejection) = request::check_query_string(&uri) {
        return rejection.respond(media);
    }
    // The ETag and the cache come first: only error-free query answers ever get an ETag or a
    // cache entry, so a hit needs no parsing at all, and a repeat costs about a hash.
    let executor = &state.executor;
    let max_age = state.config.cache_max_age;
    let etag = caching::etag(executor.dataset_version().await, media.content_type(), &raw);
    if caching::client_has(&headers, &etag) {
        return caching::not_modified(&etag, max_age);
    }
    if let Some(hit) = executor.cached(&etag) {
        return caching::from_cache(hit, &etag, max_age);
    }
    let params = match request::from_get(&raw, &state.persisted) {
        Ok(p) => p,
        Err(rejection) => {
            // Never kept by a cache: a persisted query not found now may be found next time.
            let mut response = rejection.respond(media);
            caching::mark_uncacheable(response.headers_mut());
            return response;
        }
    };
    let parsed = executor.parse(&params.query);
    if let Err(rejection) = request::only_queries(parsed.ok().as_deref(), &params) {
        return rejection.respond(media);
    }
    // Its answer gets the ETag of the version read above, whether or not this server keeps it;
    // so it may share only reads begun after that read (see the executor's rule 3).
    let arrived = Instant::now();
    let (mut response, ok) = execute(&state, &params, media, Some(arrived)).await;
    if !ok {
        caching::mark_uncacheable(response.headers_mut());
        return response;
    }
    // Only whole, error-free answers are cacheable, by clients and by this server.
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let answer = CachedAnswer {
        body: bytes.clone(),
        content_type: media.content_type(),
    };
    executor.keep(etag.clone(), answer);
    caching::mark_cacheable(&mut parts.headers, &etag, max_age);
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Runs a request under the time limit; says whether it answered without errors. `arrived` is
/// set for a GET, whose answer may be cached under the version read when it arrived.
async fn execute(
    state: &AppState,
    params: &Params,
    media: Media,
    arrived: Option<Instant>,
) -> (Response, bool) {
    let limit = state.config.query_timeout;
    let run = state.executor.execute(|| params.to_request(), arrived);
    let Ok(resp) = tokio::time::timeout(limit, run).await else {
        tracing::warn!(
            timeout_ms = limit.as_millis(),
            "query stopped at the time limit"
        );
        let message = format!("the query took longer than {limit:?} and was stopped");
        let stopped = Rejection::new(StatusCode::SERVICE_UNAVAILABLE, "TIMEOUT", message);
        return (stopped.respond(media), false);
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
    let response = (status, [(header::CONTENT_TYPE, media.content_type())], body);
    (response.into_response(), ok)
}
