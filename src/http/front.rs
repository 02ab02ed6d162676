//! The front door: `GET /`, a page saying what caregraph is and where everything is, and
//! `GET /favicon.ico`.
//!
//! The page links GraphiQL, the dashboard, the exports and the README's example queries (each
//! opening GraphiQL on that query: see [`super::examples`]), says when the data was last
//! ingested, and carries the Open Government Licence attribution
//! ([`ATTRIBUTION`](super::licence::ATTRIBUTION), as every page does). It runs no script; its policy is built as the dashboard's
//! ([`super::csp`]). Its ETag is the dataset version's, since nothing else changes it.

use std::sync::LazyLock;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::caching;
use super::csp::Policy;
use super::dashboard::text::escape;
use super::examples::EXAMPLES;
use super::feed::ALTERNATE;
use super::licence::ATTRIBUTION;
use super::request::percent_encode;
use super::state::AppState;

const CONTENT_TYPE: &str = "text/html; charset=utf-8";

/// The page's style sheet: system fonts, nothing fetched.
const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  margin: 0 auto; max-width: 46rem; padding: 1.5rem; color: #1A1A1A; background: #FFFFFF;
  line-height: 1.5; font-size: 16px; }
h1 { font-size: 1.75rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
ul { padding-left: 1.25rem; margin: 0.25rem 0; }
li { margin: 0.2rem 0; }
a { color: #005E7A; }
code { font-size: 0.95em; background: #EEF1F4; padding: 0 0.2rem; }
.note, footer { color: #4A4A4A; }
footer { margin-top: 2rem; border-top: 1px solid #D0D0D0; padding-top: 0.75rem; font-size: 0.9rem; }
";

/// The page's Content-Security-Policy: no script at all, and [`STYLE`] its one inline style.
static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy::new(&[], &[STYLE]));

/// A GraphiQL link that opens on `query`: `/graphql?query=...`, percent-encoded.
pub fn graphiql_link(query: &str) -> String {
    format!("/graphql?query={}", percent_encode(query))
}

/// The page, given when the data was last ingested (already written out).
fn page(ingested: &str) -> String {
    let examples: String = EXAMPLES
        .iter()
        .map(|e| {
            format!(
                "<li><a href=\"{}\">{}</a></li>",
                escape(&graphiql_link(e.query)),
                escape(e.title)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>caregraph</title>{ALTERNATE}<style>{STYLE}</style></head><body>\
         <h1>caregraph</h1>\
         <p>A linked GraphQL API over the Scottish Government's published pages on health and \
         social care policy: the Open Government action plan 2021-25 and Scotland's Digital \
         Health and Care Strategy, read into commitments, milestones, progress reports, \
         strategies, delivery plans and the organisations they name, every fact with its \
         source.</p>\
         <p class=\"note\">Data last ingested: {ingested}.</p>\
         <h2>Explore</h2><ul>\
         <li><a href=\"/graphql\">GraphiQL</a>: write and run queries, with the schema's \
         documentation (the API itself is <code>POST</code> or <code>GET /graphql</code>)</li>\
         <li><a href=\"/dashboard\">Delivery timeline</a>: milestones and workstreams by date \
         and status</li></ul>\
         <h2>Example queries</h2><ul>{examples}</ul>\
         <h2>Downloads</h2><ul>\
         <li><a href=\"/export/milestones.csv\">milestones.csv</a>: every milestone, with its \
         latest status</li>\
         <li><a href=\"/export/workstreams.csv\">workstreams.csv</a>: every delivery-plan \
         workstream</li>\
         <li><a href=\"/export/timeline.ics\">timeline.ics</a>: the dated events, as a \
         calendar</li></ul>\
         <footer><p>{ATTRIBUTION}</p></footer></body></html>"
    )
}

/// GET /.
pub async fn get(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let version = state.executor.dataset_version().await;
    let etag = caching::etag_of(version, "/", &[], &[]);
    let max_age = state.config.cache_max_age;
    if caching::client_has(&headers, &etag) {
        return caching::not_modified(&etag, max_age);
    }
    let ingested = match crate::read::runs::last_finished(&state.db).await {
        Ok(Some(at)) => at.format("%-d %B %Y, %H:%M UTC").to_string(),
        Ok(None) => "no ingest yet".to_owned(),
        Err(e) => {
            tracing::error!(error = %e, "the front page could not read the latest ingest run");
            let mut response = (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be read",
            )
                .into_response();
            caching::mark_uncacheable(response.headers_mut());
            return response;
        }
    };
    let mut response = ([(header::CONTENT_TYPE, CONTENT_TYPE)], page(&ingested)).into_response();
    POLICY.apply(&mut response);
    caching::mark_cacheable(response.headers_mut(), &etag, max_age);
    response
}

/// The icon: a 32-pixel PNG in an ICO file.
const FAVICON: &[u8] = include_bytes!("favicon.ico");

/// The icon's ETag, from its bytes.
static FAVICON_ETAG: LazyLock<String> = LazyLock::new(|| caching::of_bytes(FAVICON));

/// GET /favicon.ico: cacheable for a day (its URL is fixed, so not for ever).
pub async fn favicon(headers: HeaderMap) -> Response {
    let cache_control = "public, max-age=86400";
    caching::fixed_file(
        &headers,
        &FAVICON_ETAG,
        "image/x-icon",
        FAVICON,
        cache_control,
    )
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphiql_links_encode_every_character_a_query_string_could_misread() {
        assert_eq!(
            graphiql_link("{ a(x: \"b&c\") }"),
            "/graphql?query=%7B%20a%28x%3A%20%22b%26c%22%29%20%7D"
        );
    }
}
