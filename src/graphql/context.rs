//! What resolvers read from: one [`Services`] registered as the schema's data, and the
//! [`ApiContext`] accessor, the only code that looks context data up.
//!
//! One struct rather than one registration per handle: a resolver finds all it needs with one
//! look-up, and a schema cannot be built with one handle forgotten.

use std::time::{Duration, Instant};

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use super::error::ApiError;
use super::in_flight::{Arrived, InFlight};
use super::loader::Loaders;
use crate::read::search::SearchIndexHandle;

/// Everything a resolver reads through, built once per schema.
pub struct Services {
    /// The database.
    pub db: DatabaseConnection,
    /// The batch loaders over it.
    pub loaders: Loaders,
    /// The search index, opened on first use.
    pub search_index: SearchIndexHandle,
    /// The root connections' reads under way, shared by requests asking for the same page.
    pub reads: InFlight,
}

impl Services {
    /// The services over one database, its loaders waiting `batch_window` for more keys. The
    /// search index and the reads under way are handles, so that schemas over the same
    /// database can share them.
    pub fn new(
        db: DatabaseConnection,
        batch_window: Duration,
        search_index: SearchIndexHandle,
        reads: InFlight,
    ) -> Self {
        Self {
            loaders: Loaders::new(&db, batch_window),
            db,
            search_index,
            reads,
        }
    }
}

/// Typed access to a resolver's context.
pub trait ApiContext<'a> {
    /// The schema's services.
    ///
    /// # Errors
    /// [`ApiError::Internal`] when the schema was built without them (a bug of ours, which
    /// fails the request rather than the process).
    fn services(&self) -> Result<&'a Services, ApiError>;

    /// The database.
    ///
    /// # Errors
    /// As [`services`](Self::services).
    fn db(&self) -> Result<&'a DatabaseConnection, ApiError> {
        Ok(&self.services()?.db)
    }

    /// The batch loaders.
    ///
    /// # Errors
    /// As [`services`](Self::services).
    fn loaders(&self) -> Result<&'a Loaders, ApiError> {
        Ok(&self.services()?.loaders)
    }

    /// When the request arrived, if it may share only reads begun since
    /// ([`in_flight`](super::in_flight)).
    fn arrived(&self) -> Option<Instant>;
}

impl<'a> ApiContext<'a> for Context<'a> {
    fn services(&self) -> Result<&'a Services, ApiError> {
        // The same look-up `data_unchecked` makes, without its panic.
        self.data_opt::<Services>().ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("the schema was built without its services"))
        })
    }

    fn arrived(&self) -> Option<Instant> {
        self.data_opt::<Arrived>().map(|a| a.0)
    }
}
