//! The HTTP surface: the front page `/` and `/favicon.ico` (see [`front`]), `/graphql` (see [`graphql`]), GraphiQL's assets under `/graphiql/` (see
//! [`graphiql`]), the `/export/` files (see [`export`]), `/dashboard` (see [`dashboard`]),
//! `/healthz`, `/readyz`, and, only when an admin token is configured, `POST /admin/ingest`.
//!
//! Every answer is compressed (gzip or brotli) for a client that asks, with `Vary:
//! Accept-Encoding`. Public routes are read-only. Requests carry a body size limit; `/graphql` and the exports
//! are open to any origin, with any request header (CORS), since the data is public and no
//! credentials are used.
//!
//! # Layout
//! - [`graphql`]: the `/graphql` handlers, each a short pipeline over the modules below;
//! - [`graphiql`]: the GraphiQL page and its assets (`/graphiql/...`), served from the binary;
//! - [`export`]: `milestones.csv`, `workstreams.csv` and `timeline.ics`, for dashboards and
//!   calendars;
//! - [`front`]: `GET /`, what caregraph is and where everything is, and the favicon;
//! - [`examples`]: the README's example queries, which the front page links and GraphiQL
//!   opens on;
//! - [`dashboard`]: `GET /dashboard`, the delivery timeline as an HTML page with an SVG chart;
//! - [`diff`]: `GET /documents/{id}/diff`, what changed on a page between two versions;
//! - [`feed`]: `GET /changes.atom`, the change feed as Atom;
//! - [`licence`]: the Open Government Licence attribution every surface prints;
//! - [`request`]: reading a GraphQL request out of a POST body or a GET query string;
//! - [`rejection`]: a request refused before any GraphQL runs;
//! - [`persisted`]: Apollo's automatic persisted queries, a query sent by its hash;
//! - [`media`]: the response type, from `Accept`;
//! - [`caching`]: ETags, `If-None-Match` and `Cache-Control` of GET answers;
//! - [`csp`]: the Content-Security-Policy of the HTML pages;
//! - [`admin`]: `POST /admin/ingest`;
//! - [`state`]: what every handler shares;
//! - [`server`]: the accept loop under the router, with the connection cap and the header, body
//!   and idle deadlines that keep slow and idle clients from locking others out.
//!
//! Running a request, and every reuse of work, is the [`Executor`](crate::executor::Executor)'s;
//! what the dashboard and the exports read, and the parameters they share, are the read
//! layer's ([`crate::read`]).

pub mod admin;
pub mod caching;
pub mod csp;
pub mod dashboard;
pub mod diff;
pub mod examples;
pub mod export;
pub mod feed;
pub mod front;
pub mod graphiql;
pub mod graphql;
pub mod licence;
pub mod media;
pub mod persisted;
pub mod rejection;
pub mod request;
pub mod server;
pub mod state;

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Method, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use sea_orm::ConnectionTrait;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowHeaders, Any, CorsLayer};
use tower_http::trace::TraceLayer;

pub use crate::config::HttpConfig;
pub use state::AppState;

/// The application's routes.
pub fn router(state: AppState) -> Router {
    // Any origin, any request header: the API is public and read-only, and no answer carries
    // or needs credentials (see SECURITY.md, "CORS"). The headers a preflight asks for are
    // echoed rather than answered `*`, since the Fetch standard never lets `*` cover
    // `Authorization`, which API gateways add. `ETag` is exposed, so a page can revalidate.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([header::ETAG])
        .max_age(Duration::from_secs(600));
    let mut app = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/export/{file}", get(export::get))
        .layer(cors)
        .route("/graphiql/{package}/{file}", get(graphiql::asset))
        .route("/dashboard", get(dashboard::get))
        .route("/documents/{id}/diff", get(diff::get))
        .route("/changes.atom", get(feed::get))
        .route("/", get(front::get))
        .route("/favicon.ico", get(front::favicon))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz));
    if state.config.admin_token.is_some() {
        app = app.route("/admin/ingest", post(admin::ingest));
    }
    let limit = state.config.max_body_bytes;
    // Every answer is compressed for a client that accepts gzip or brotli (GraphiQL's first
    // load is 1.6 MB, JSON about three times its gzipped size), streamed exports included:
    // the encoder works on the body as it streams. Small answers (under 32 bytes), images and
    // 304s go as they are. The ETag set by a handler passes through unchanged, which is why
    // every ETag is weak (see [`caching`]).
    app.layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::map_response(nosniff))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Every answer says its type is the one it declares (`X-Content-Type-Options: nosniff`), so no
/// browser reads a CSV or JSON answer as a page or a script.
async fn nosniff(mut response: axum::response::Response) -> axum::response::Response {
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    response
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Serves the router on `listener`, within the state's connection limits (see [`server`]), until
/// `shutdown` completes, then drains open requests.
///
/// # Errors
/// None at present: a failed accept is logged and retried (see [`server`]). The `Result` is
/// the one `axum::serve` had, kept so that callers need not change.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = state.config.connections;
    server::serve(listener, router(state), limits, shutdown).await;
    Ok(())
}
