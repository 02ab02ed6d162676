//! The HTTP surface: `/graphql` (POST and GET, GraphiQL for browsers), `/healthz`, `/readyz`.

use std::future::Future;

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::rejection::GraphQLRejection;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::graphql::{CaregraphSchema, build_schema};

/// What every handler shares: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The executable schema (it holds the loaders and a database handle).
    pub schema: CaregraphSchema,
    /// The database, for readiness checks.
    pub db: DatabaseConnection,
}

impl AppState {
    /// State over one database.
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            schema: build_schema(db.clone()),
            db,
        }
    }
}

/// The application's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn graphql_post(State(state): State<AppState>, req: GraphQLRequest) -> GraphQLResponse {
    state.schema.execute(req.into_inner()).await.into()
}

/// GET with a `query` parameter runs it; a browser's GET without one gets GraphiQL.
async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    req: Result<GraphQLRequest, GraphQLRejection>,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let has_query = uri.query().is_some_and(|q| q.contains("query="));
    match req {
        Ok(req) if has_query => {
            GraphQLResponse::from(state.schema.execute(req.into_inner()).await).into_response()
        }
        _ if wants_html || !has_query => {
            Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response()
        }
        _ => (StatusCode::BAD_REQUEST, "malformed GraphQL GET request").into_response(),
    }
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

/// Serves the router on `listener` until `shutdown` completes, then drains open requests.
///
/// # Errors
/// An I/O error of the listener.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
