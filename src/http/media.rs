//! Which media type an answer is sent as, from the request's `Accept`.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The GraphQL-over-HTTP response type.
pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
/// Plain JSON: the only request type accepted, and the legacy response type.
pub const JSON: &str = "application/json";

/// The media type a response is sent as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    /// `application/graphql-response+json`: request errors carry 4xx statuses.
    GraphqlResponse,
    /// `application/json`: GraphQL errors are 200, as legacy clients expect.
    Json,
}

impl Media {
    /// The `Content-Type` of an answer of this type.
    pub fn content_type(self) -> &'static str {
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
    for (media, q) in ranges(accept) {
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

/// The media ranges of an `Accept` value, each lower-cased with its weight (`q`, 1 unless
/// given).
fn ranges(accept: &str) -> impl Iterator<Item = (String, f32)> + '_ {
    accept.split(',').map(|range| {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        (media, q)
    })
}

/// Whether a browser asks for a page (GraphiQL) rather than an answer.
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// Whether `Accept` weighs `text/html` above both JSON types: a browser following a link
/// (`text/html,...,*/*;q=0.8`), not an API client that also takes a page. Only the types
/// named count, not `*/*`.
pub fn prefers_html(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let (mut html, mut json) = (0.0_f32, 0.0_f32);
    for (media, q) in ranges(accept) {
        match media.as_str() {
            "text/html" => html = html.max(q),
            GRAPHQL_RESPONSE_JSON | JSON => json = json.max(q),
            _ => {}
        }
    }
    html > json
}

/// The answer when no acceptable media type is left.
pub fn not_acceptable() -> Response {
    (
        StatusCode::NOT_ACCEPTABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "acceptable response types: application/graphql-response+json, application/json",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

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
    fn a_browser_prefers_a_page_and_api_clients_do_not() {
        let chromium = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,\
                        image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
        assert!(prefers_html(&accept(chromium)));
        assert!(prefers_html(&accept("text/html, application/json;q=0.5")));
        assert!(!prefers_html(&accept("application/json")));
        assert!(!prefers_html(&accept(
            "application/graphql-response+json, text/html;q=0.9"
        )));
        assert!(!prefers_html(&accept("text/html, application/json")));
        assert!(!prefers_html(&accept("*/*")));
        assert!(!prefers_html(&HeaderMap::new()));
    }
}
