//! GraphiQL, served whole from the binary so that it works without internet access.
//!
//! The page at `GET /graphql` (for a browser) opens on the README's first example query, or on
//! the query of the link that led to it (see [`page`]), and loads React, ReactDOM and GraphiQL from
//! `/graphiql/<package>-<version>/<file>`, never from another host. The files are the packages'
//! own browser builds, vendored under `graphiql/assets/` with their licences; that folder's
//! README says where each came from and how to update them. A file's URL holds its package
//! version, so it is cached for a year as immutable; an update changes the URL.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::caching;
use super::csp::Policy;
use super::dashboard::text::escape;
use super::examples;

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
static ETAGS: LazyLock<Vec<String>> =
    LazyLock::new(|| ASSETS.iter().map(|a| caching::of_bytes(a.body)).collect());

/// The GraphiQL page's one inline style.
const STYLE: &str = "
      body { height: 100%; margin: 0; width: 100%; overflow: hidden; }
      #graphiql { height: 100vh; }
    ";

/// The GraphiQL page's one inline script: it starts GraphiQL on `/graphql`, with same-origin
/// credentials and the editor tools (variables and headers) shown, as async-graphql's page had.
/// The page's `#graphiql` element carries what to open on, as data attributes written by the
/// server (see [`page`]), so this script, and with it the page's policy, never changes:
/// `data-default-query` (the README's first example, for a first visit) and, from a link,
/// `data-query` and `data-variables`, which open in a tab of their own.
const SCRIPT: &str = r#"
      const holder = document.getElementById("graphiql");
      const fetcher = GraphiQL.createFetcher({
        url: new URL("/graphql", window.location.origin).toString(),
        fetch: (url, opts = {}) => fetch(url, { ...opts, credentials: "same-origin" }),
      });
      ReactDOM.createRoot(holder).render(
        React.createElement(GraphiQL, {
          fetcher,
          defaultEditorToolsVisibility: true,
          defaultQuery: holder.dataset.defaultQuery,
          query: holder.dataset.query,
          variables: holder.dataset.variables,
        })
      );
    "#;

/// The GraphiQL page, less its `#graphiql` element's data attributes (`{HOLDER}`). It loads
/// only the assets above, and runs only [`SCRIPT`].
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
    <div id="graphiql"{{HOLDER}}>Loading…</div>
    <script src="/graphiql/graphiql-4.1.2/graphiql.min.js"></script>
    <script>{SCRIPT}</script>
  </body>
</html>
"#
    )
});

/// The page's Content-Security-Policy: its assets and its own inline code, nothing else.
static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy::new(&[SCRIPT], &[STYLE]));

/// The GraphiQL page, opening on `request` (a query and its variables, from a link) when there
/// is one, else on the README's first example query. The text goes into attributes, escaped.
pub fn page(request: Option<(&str, Option<&str>)>) -> Response {
    let mut holder = format!(
        " data-default-query=\"{}\"",
        escape(examples::first_query())
    );
    if let Some((query, variables)) = request {
        holder.push_str(&format!(" data-query=\"{}\"", escape(query)));
        if let Some(v) = variables {
            holder.push_str(&format!(" data-variables=\"{}\"", escape(v)));
        }
    }
    let mut response = Html(PAGE.replace("{HOLDER}", &holder)).into_response();
    POLICY.apply(&mut response);
    caching::mark_varying(response.headers_mut());
    response
}

/// GET /graphiql/{package}/{file}: a vendored asset, cacheable for a year.
pub async fn asset(Path((package, file)): Path<(String, String)>, headers: HeaderMap) -> Response {
    let path = format!("{package}/{file}");
    let Some(i) = ASSETS.iter().position(|a| a.path == path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let asset = &ASSETS[i];
    let cache_control = "public, max-age=31536000, immutable";
    caching::fixed_file(
        &headers,
        &ETAGS[i],
        asset.content_type,
        asset.body,
        cache_control,
    )
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
