//! Building the schema: one function, for the SDL and for both schemas a server runs.

use async_graphql::{EmptyMutation, EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

use super::context::Services;
use super::in_flight::InFlight;
use super::limits::Limits;
use super::loader::DEFAULT_BATCH_WINDOW;
use super::query::Query;
use crate::read::search::SearchIndexHandle;

/// The schema type served.
pub type CaregraphSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// How a schema enforces its depth and cost [`Limits`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitCheck {
    /// async-graphql's built-in limits: no extension, so every field stays on the fast path,
    /// but a request over a limit is answered with async-graphql's message and no code.
    BuiltIn,
    /// The [`limits`](super::limits) extension: an error code and the numbers, and a deeper
    /// allowance for introspection documents.
    Extension,
}

/// Builds a schema over `services`, enforcing `limits` as `check` says.
pub fn build(services: Services, limits: Limits, check: LimitCheck) -> CaregraphSchema {
    let schema = Schema::build(Query, EmptyMutation, EmptySubscription).data(services);
    match check {
        LimitCheck::BuiltIn => schema
            .limit_depth(limits.max_depth)
            .limit_complexity(limits.max_cost),
        LimitCheck::Extension => schema.extension(limits),
    }
    .finish()
}

/// Builds the schema over a database connection, with the default limits, checked by the
/// extension.
pub fn build_schema(db: DatabaseConnection) -> CaregraphSchema {
    let services = Services::new(
        db,
        DEFAULT_BATCH_WINDOW,
        SearchIndexHandle::default(),
        InFlight::default(),
    );
    build(services, Limits::default(), LimitCheck::Extension)
}
