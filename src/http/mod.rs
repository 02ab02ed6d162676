//! The HTTP surface: `/graphql` (see [`graphql`]), `/healthz`, `/readyz`, and, only when an
//! admin token is configured, `POST /admin/ingest`.
//!
//! Public routes are read-only. Requests carry a body size limit; `/graphql` is open to any
//! origin for reads (CORS), since the data is public.

pub mod admin;
pub mod graphql;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Method, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QuerySelect};
use std::sync::RwLock;
use tokio::net::TcpListener;
use tower_http::cors::{Any, CorsLayer};
use tower_http::trace::TraceLayer;

use crate::graphql::GuardedSchema;
use crate::graphql::limits::Limits;

/// Settings of the HTTP layer.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// Depth and cost limits of queries.
    pub limits: Limits,
    /// A query running longer is stopped.
    pub query_timeout: Duration,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// `max-age` of cacheable GET answers.
    pub cache_max_age: Duration,
    /// Bearer token for `POST /admin/ingest`; the route does not exist without one.
    pub admin_token: Option<String>,
    /// The snapshot `POST /admin/ingest` reads (the bundled one when `None`).
    pub snapshot: Option<PathBuf>,
    /// GET answers kept in memory, keyed by their ETag; 0 turns the cache off.
    pub response_cache_entries: usize,
    /// How long a batch loader waits for more keys (more batching against more latency).
    pub batch_window: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            query_timeout: Duration::from_secs(10),
            max_body_bytes: 64 * 1024,
            cache_max_age: Duration::from_secs(60),
            admin_token: None,
            snapshot: None,
            response_cache_entries: 1024,
            batch_window: crate::graphql::loader::DEFAULT_BATCH_WINDOW,
        }
    }
}

/// A GET answer kept for reuse: its status is always 200 and its headers are rebuilt.
#[derive(Clone)]
pub struct CachedAnswer {
    /// The response body.
    pub body: axum::body::Bytes,
    /// Its content type.
    pub content_type: &'static str,
}

/// How long a server trusts its last look at the dataset version.
const VERSION_TTL: Duration = Duration::from_secs(1);

/// What every handler shares: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The executable schema (it holds the loaders and a database handle).
    pub schema: GuardedSchema,
    /// The database, for readiness checks, the dataset version and admin ingests.
    pub db: DatabaseConnection,
    /// Settings.
    pub config: Arc<HttpConfig>,
    /// Error-free GET answers by ETag. The ETag holds the dataset version, so an ingest makes
    /// every old entry unreachable; they age out as new ones come in.
    pub responses: Option<Arc<quick_cache::sync::Cache<String, CachedAnswer>>>,
    version: Arc<RwLock<Option<(i64, Instant)>>>,
}

impl AppState {
    /// State over one database, with default settings.
    pub fn new(db: DatabaseConnection) -> Self {
        Self::with_config(db, HttpConfig::default())
    }

    /// State over one database.
    pub fn with_config(db: DatabaseConnection, config: HttpConfig) -> Self {
        let responses = (config.response_cache_entries > 0)
            .then(|| Arc::new(quick_cache::sync::Cache::new(config.response_cache_entries)));
        Self {
            schema: GuardedSchema::new(&db, config.limits, config.batch_window),
            db,
            config: Arc::new(config),
            responses,
            version: Arc::default(),
        }
    }

    /// The dataset version: the latest ingest run's number. Any ingest, by this process or
    /// another, changes it, which changes every ETag. Read at most once a second.
    pub async fn dataset_version(&self) -> i64 {
        // The common case takes a read lock and no await.
        if let Ok(cached) = self.version.read()
            && let Some((v, at)) = *cached
            && at.elapsed() < VERSION_TTL
        {
            return v;
        }
        let latest: Option<i64> = entity::ingest_run::Entity::find()
            .select_only()
            .column_as(entity::ingest_run::Column::Id.max(), "v")
            .into_tuple::<Option<i64>>()
            .one(&self.db)
            .await
            .ok()
            .flatten()
            .flatten();
        let v = latest.unwrap_or(0);
        if let Ok(mut cached) = self.version.write() {
            *cached = Some((v, Instant::now()));
        }
        v
    }

    /// Forgets the cached dataset version and the reads under way (after an ingest by this
    /// process).
    pub fn invalidate_version(&self) {
        if let Ok(mut cached) = self.version.write() {
            *cached = None;
        }
        self.schema.forget_reads();
    }
}

/// The application's routes.
pub fn router(state: AppState) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT, header::IF_NONE_MATCH])
        .expose_headers([header::ETAG])
        .max_age(Duration::from_secs(600));
    let mut app = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .layer(cors)
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz));
    if state.config.admin_token.is_some() {
        app = app.route("/admin/ingest", post(admin::ingest));
    }
    let limit = state.config.max_body_bytes;
    app.layer(DefaultBodyLimit::max(limit))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
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
