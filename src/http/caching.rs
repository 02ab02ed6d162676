//! HTTP caching of GET answers: the ETag, `If-None-Match` and `Cache-Control`.
//!
//! The ETag is derived from the dataset version and the request alone, not from the answer, so
//! it can be checked before anything runs (see [`crate::executor`] for the freshness rules).

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::request::PARAMETERS;
use crate::executor::CachedAnswer;

/// A strong ETag for a GET: the dataset version, the response type and the request's own
/// parameters, in any order.
pub fn etag(version: i64, content_type: &str, params: &[(String, String)]) -> String {
    etag_of(version, content_type, params, &PARAMETERS)
}

/// A strong ETag for a GET whose answer depends on the dataset version, the response type and
/// the parameters named in `names` (in any order); other parameters are ignored.
pub fn etag_of(
    version: i64,
    content_type: &str,
    params: &[(String, String)],
    names: &[&str],
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(version.to_be_bytes());
    hasher.update(content_type.as_bytes());
    let mut sorted: Vec<&(String, String)> = params
        .iter()
        .filter(|(k, _)| names.contains(&k.as_str()))
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

/// Whether the client already holds the answer tagged `etag`.
pub fn client_has(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
}

/// Marks an answer cacheable by clients and shared caches, under `etag`.
pub fn mark_cacheable(headers: &mut HeaderMap, etag: &str, max_age: Duration) {
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(cc) = HeaderValue::from_str(&format!("public, max-age={}", max_age.as_secs())) {
        headers.insert(header::CACHE_CONTROL, cc);
    }
}

/// Marks an answer that must not be stored (it has errors).
pub fn mark_uncacheable(headers: &mut HeaderMap) {
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// 304 for a client that holds the answer already.
pub fn not_modified(etag: &str, max_age: Duration) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    mark_cacheable(response.headers_mut(), etag, max_age);
    response
}

/// A kept answer, with its caching headers.
pub fn from_cache(hit: CachedAnswer, etag: &str, max_age: Duration) -> Response {
    let mut response = ([(header::CONTENT_TYPE, hit.content_type)], hit.body).into_response();
    mark_cacheable(response.headers_mut(), etag, max_age);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_follow_the_version_and_the_request_not_its_order() {
        let p = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let a = etag(1, "json", &p(&[("query", "{a}"), ("variables", "{}")]));
        assert_eq!(
            a,
            etag(1, "json", &p(&[("variables", "{}"), ("query", "{a}")]))
        );
        assert_eq!(
            a,
            etag(
                1,
                "json",
                &p(&[("query", "{a}"), ("variables", "{}"), ("x", "y")])
            )
        );
        assert_ne!(
            a,
            etag(2, "json", &p(&[("query", "{a}"), ("variables", "{}")]))
        );
        assert_ne!(
            a,
            etag(1, "other", &p(&[("query", "{a}"), ("variables", "{}")]))
        );
        assert!(a.starts_with("\"v1-"));
    }
}
