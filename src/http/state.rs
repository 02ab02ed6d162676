//! What every handler shares.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use super::persisted::PersistedQueries;
use crate::config::HttpConfig;
use crate::executor::Executor;

/// What every handler shares: handles only, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// Runs requests, with every layer that reuses work (see [`crate::executor`]).
    pub executor: Executor,
    /// The queries clients persisted by their hashes (see [`super::persisted`]).
    pub persisted: PersistedQueries,
    /// The database, for readiness checks and admin ingests.
    pub db: DatabaseConnection,
    /// Settings.
    pub config: Arc<HttpConfig>,
}

impl AppState {
    /// State over one database, with default settings.
    pub fn new(db: DatabaseConnection) -> Self {
        Self::with_config(db, HttpConfig::default())
    }

    /// State over one database.
    pub fn with_config(db: DatabaseConnection, config: HttpConfig) -> Self {
        Self {
            executor: Executor::new(&db, &config),
            persisted: PersistedQueries::default(),
            db,
            config: Arc::new(config),
        }
    }
}
