//! GraphiQL, served whole from the binary so that it works without internet access.
//!
//! The page at `GET /graphql` (for a browser) loads React, ReactDOM and GraphiQL from
//! `/graphiql/<package>-<version>/<file>`, never from another host. The files are the packages'
//! own browser builds, vendored under `graphiql/assets/` with their licences; that folder's
//! README says where each came from and how to update them. A file's URL holds its package
//! version, so it is cached for a year as immutable; an update changes the URL.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::caching;
use super::csp::Policy;

/// One vendored file: where it is served, its type and its bytes.
struct Asset {
    /// The path under `/graphiql/`: `<package>-<version>/<file>`.
    path: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $content_type:expr) => {
        Asset {
            path: $path,
            content_type: $content_type,
            body: include_bytes!(concat!("graphiql/assets/", $path)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

static ASSETS: [Asset; 4] = [
    asset!("react-18.3.1/react.production.min.js", JS),
    asset!("react-dom-18.3.1/react-dom.production.min.js", JS),
    asset!("graphiql-4.1.2/graphiql.min.js", JS),
    asset!("graphiql-4.1.2/graphiql.min.css", CSS),
];

/// Each asset's ETag: a digest of its bytes, computed once (weak, as every ETag here: see
/// [`caching`]).
static ETAGS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| caching::weak(&ingest::ids::hex(&Sha256::digest(a.body)[..16])))
        .collect()
});

/// The GraphiQL page's one inline style.
const STYLE: &str = "
      body { height: 100%; margin: 0; width: 100%; overflow: hidden; }
      #graphiql { height: 100vh; }
    ";

/// The GraphiQL page's one inline script: it starts GraphiQL on `/graphql`, with same-origin
/// credentials and the editor tools (variables and headers) shown, as async-graphql's page had.
const SCRIPT: &str = r#"
      const fetcher = GraphiQL.createFetcher({
        url: new URL("/graphql", window.location.origin).toString(),
        fetch: (url, opts = {}) => fetch(url, { ...opts, credentials: "same-origin" }),
      });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true })
      );
    "#;

/// The GraphiQL page. It loads only the assets above, and runs only [`SCRIPT`].
static PAGE: LazyLock<String> = LazyLock::new(|| {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="origin">
    <title>caregraph GraphiQL</title>
    <style>{STYLE}</style>
    <script src="/graphiql/react-18.3.1/react.production.min.js"></script>
    <script src="/graphiql/react-dom-18.3.1/react-dom.production.min.js"></script>
    <link rel="stylesheet" href="/graphiql/graphiql-4.1.2/graphiql.min.css">
  </head>
  <body>
    <div id="graphiql">Loading…</div>
    <script src="/graphiql/graphiql-4.1.2/graphiql.min.js"></script>
    <script>{SCRIPT}</script>
  </body>
</html>
"#
    )
});

/// The page's Content-Security-Policy: its assets and its own inline code, nothing else.
static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy::new(&[SCRIPT], &[STYLE]));

/// The GraphiQL page.
pub fn page() -> Response {
    let mut response = Html(PAGE.as_str()).into_response();
    POLICY.apply(&mut response);
    response
}

/// GET /graphiql/{package}/{file}: a vendored asset, cacheable for a year.
pub async fn asset(Path((package, file)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let path = format!("{package}/{file}");
    let Some(i) = ASSETS.iter().position(|a| a.path == path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let asset = &ASSETS[i];
    let etag = &ETAGS[i];
    let mut response = if caching::client_has(&headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, asset.content_type)], asset.body).into_response()
    };
    caching::mark(
        response.headers_mut(),
        etag,
        "public, max-age=31536000, immutable",
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_loads_every_asset_and_nothing_else() {
        for a in &ASSETS {
            assert!(
                PAGE.contains(&format!("\"/graphiql/{}\"", a.path)),
                "{}",
                a.path
            );
            assert!(a.body.len() > 1000, "{}", a.path);
            assert!(a.content_type == JS || a.content_type == CSS);
        }
        assert!(!PAGE.contains("http://") && !PAGE.contains("https://"));
    }
}
