//! HTTP caching of GET answers: the ETag, `If-None-Match` and `Cache-Control`.
//!
//! The ETag is derived from the dataset version and the request alone, not from the answer, so
//! it can be checked before anything runs (see [`crate::executor`] for the freshness rules).
//!
//! Every ETag this server sends is weak (`W/"..."`, [`weak`]). RFC 9110 §8.8.1 says a strong
//! ETag names one sequence of bytes, and the same answer is sent gzip-, brotli- or
//! un-encoded by the compression layer (see [`super::router`]), which runs after the handler
//! has tagged it; one tag for all three is honest only as a weak one. (A tag per encoding
//! would have to be made after compression decided, and would stop a client that changed its
//! `Accept-Encoding`, or a proxy that re-encodes, from revalidating.) Nothing here serves
//! ranges, the one use that needs strong tags. `If-None-Match` is read with the weak
//! comparison RFC 9110 §13.1.2 asks for ([`client_has`]), so `W/"x"` and `"x"` both match.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::request::PARAMETERS;
use crate::executor::CachedAnswer;

/// The ETag for a GET: the dataset version, the response type and the request's own
/// parameters, in any order.
pub fn etag(version: i64, content_type: &str, params: &[(String, String)]) -> String {
    etag_of(version, content_type, params, &PARAMETERS)
}

/// The ETag for any GET answer: the dataset version, what is answered (a response type, a
/// file name) and those of the request's parameters named in `names`, in any order.
pub fn etag_of(version: i64, what: &str, params: &[(String, String)], names: &[&str]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(version.to_be_bytes());
    hasher.update(what.as_bytes());
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
    weak(&format!("v{version}-{}", ingest::ids::hex(&digest[..12])))
}

/// The (weak) ETag of an opaque tag: every ETag this server sends is made here (see the
/// module docs for why weak). `opaque` holds no `"`: it is made of digits, letters and `-`.
pub fn weak(opaque: &str) -> String {
    format!("W/\"{opaque}\"")
}

/// Whether the client already holds the current answer, tagged `etag`: its `If-None-Match`
/// (RFC 9110 §13.1.2) is `*` (it holds some current representation, and there is one), or
/// lists a tag that matches `etag` by the weak comparison (§8.8.3.2: their opaque parts are
/// equal, whether or not either is `W/`). A header that cannot be read matches nothing.
pub fn client_has(headers: &HeaderMap, etag: &str) -> bool {
    let ours = opaque(etag.trim());
    headers.get_all(header::IF_NONE_MATCH).iter().any(|value| {
        let Ok(text) = value.to_str() else {
            return false;
        };
        if text.trim() == "*" {
            return true;
        }
        tags(text).any(|tag| Some(tag) == ours)
    })
}

/// The opaque parts of a list of entity tags (`W/"a", "b"`), quotes included; parsing stops at
/// the first item that is not one. A `,` inside quotes belongs to its tag.
fn tags(list: &str) -> impl Iterator<Item = &str> {
    let mut rest = list;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let tag = rest.strip_prefix("W/").unwrap_or(rest);
        let end = tag.strip_prefix('"')?.find('"')? + 2;
        rest = &tag[end..];
        Some(&tag[..end])
    })
}

/// The opaque part of one entity tag, quotes included: `W/"a"` and `"a"` give `"a"`.
fn opaque(tag: &str) -> Option<&str> {
    let mut all = tags(tag);
    all.next().filter(|_| all.next().is_none())
}

/// What every cacheable answer varies by: its type is chosen by `Accept`, and its encoding by
/// `Accept-Encoding` (the compression layer names it only on the answers it compresses, so a
/// 304 or a small answer would otherwise say nothing of it to a shared cache).
const VARY: &str = "Accept, Accept-Encoding";

/// Marks an answer cacheable by clients and shared caches, under `etag`.
pub fn mark_cacheable(headers: &mut HeaderMap, etag: &str, max_age: Duration) {
    let cache_control = format!("public, max-age={}", max_age.as_secs());
    mark(headers, etag, &cache_control);
}

/// Marks an answer cacheable under `etag`, with the `Cache-Control` value given.
pub fn mark(headers: &mut HeaderMap, etag: &str, cache_control: &str) {
    headers.insert(header::VARY, HeaderValue::from_static(VARY));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(cc) = HeaderValue::from_str(cache_control) {
        headers.insert(header::CACHE_CONTROL, cc);
    }
}

/// The ETag of bytes built into the binary: a digest of them.
pub fn of_bytes(bytes: &[u8]) -> String {
    weak(&ingest::ids::hex(&Sha256::digest(bytes)[..16]))
}

/// A file built into the binary, tagged `etag` (see [`of_bytes`]): 304 for a client that holds
/// it, else its bytes; either way cacheable by `cache_control`.
pub fn fixed_file(
    headers: &HeaderMap,
    etag: &str,
    content_type: &'static str,
    body: &'static [u8],
    cache_control: &str,
) -> Response {
    let mut response = if client_has(headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, content_type)], body).into_response()
    };
    mark(response.headers_mut(), etag, cache_control);
    response
}

/// Says what an answer that carries no ETag varies by (`/graphql` answers GraphiQL or JSON by
/// `Accept`).
pub fn mark_varying(headers: &mut HeaderMap) {
    headers.insert(header::VARY, HeaderValue::from_static(VARY));
}

/// Marks an answer that must not be stored (it has errors).
pub fn mark_uncacheable(headers: &mut HeaderMap) {
    headers.insert(header::VARY, HeaderValue::from_static(VARY));
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
        assert!(a.starts_with("W/\"v1-"), "{a}");
    }

    fn if_none_match(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(
                header::IF_NONE_MATCH,
                HeaderValue::from_str(v).expect("ASCII"),
            );
        }
        headers
    }

    #[test]
    fn if_none_match_is_read_by_the_weak_comparison_of_rfc_9110() {
        let ours = weak("v1-abc");
        // RFC 9110 §8.8.3.2's table: W/"1" and "1" match weakly, whichever side is weak.
        for held in [
            r#"W/"v1-abc""#,
            r#""v1-abc""#,
            r#" "x", W/"v1-abc" "#,
            "*",
            " * ",
        ] {
            assert!(client_has(&if_none_match(&[held]), &ours), "{held}");
        }
        assert!(client_has(&if_none_match(&[r#""v1-abc""#]), "\"v1-abc\""));
        assert!(client_has(
            &if_none_match(&[r#""x""#, r#"W/"v1-abc""#]),
            &ours
        ));
        // A comma inside a tag is part of it, so this list is one tag that is not ours.
        assert!(!client_has(&if_none_match(&[r#""x,"v1-abc""#]), &ours));
        for other in [
            r#""v1-abcd""#,
            r#"W/"v2-abc""#,
            "v1-abc",
            "",
            r#"w/"v1-abc""#,
        ] {
            assert!(!client_has(&if_none_match(&[other]), &ours), "{other}");
        }
        assert!(!client_has(&HeaderMap::new(), &ours));
    }
}
