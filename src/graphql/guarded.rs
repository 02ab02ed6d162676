//! The schema a server runs: a fast one, and the checked one it falls back to at a limit.
//!
//! Both share one search index and one set of root reads under way ([`in_flight`]). What
//! reuses work in front of them (parsed documents, answers, the dataset version) is the
//! [`Executor`](crate::executor::Executor)'s.

use sea_orm::DatabaseConnection;

use super::context::Services;
use super::schema::{self, CaregraphSchema, LimitCheck};
use super::{in_flight, limits};
use crate::read::search;

/// The schema a server runs, built twice.
///
/// Any extension sends every field of every answer through async-graphql's slow path (the
/// extension chain, a boxed future and registry lookups per field): a quarter of the time of a
/// large answer. So requests run on a schema with no extension, whose built-in depth and cost
/// limits use the same numbers. The few they reject run again on the schema with the
/// [`limits`] extension, which answers with an error code and the numbers, and lets
/// introspection documents (GraphiQL's) nest deeper.
#[derive(Clone)]
pub struct GuardedSchema {
    fast: CaregraphSchema,
    checked: CaregraphSchema,
    reads: in_flight::InFlight,
}

/// async-graphql's own messages for its built-in limits.
const BUILT_IN_LIMIT_MESSAGES: [&str; 2] = ["Query is nested too deep.", "Query is too complex."];

impl GuardedSchema {
    /// Builds both schemas over one database; identical root reads under way are shared when
    /// `shared_reads` says so.
    pub fn new(
        db: &DatabaseConnection,
        limits: limits::Limits,
        batch_window: std::time::Duration,
        shared_reads: bool,
    ) -> Self {
        // One search index for both: each would otherwise open its own reader.
        let search_index = search::SearchIndexHandle::default();
        // And one set of reads under way, so that `forget` reaches both.
        let reads = in_flight::InFlight::new(shared_reads);
        let services = || {
            Services::new(
                db.clone(),
                batch_window,
                search_index.clone(),
                reads.clone(),
            )
        };
        Self {
            fast: schema::build(services(), limits, LimitCheck::BuiltIn),
            checked: schema::build(services(), limits, LimitCheck::Extension),
            reads,
        }
    }

    /// Makes the root reads under way unjoinable: called after an ingest by this process, so
    /// that no request after it is answered from a read begun before it.
    pub fn forget_reads(&self) {
        self.reads.forget();
    }

    /// Runs the request `make` builds (twice, when the first run stops at a limit). A request
    /// carrying [`in_flight::Arrived`] shares only root reads begun since it arrived.
    pub async fn execute(
        &self,
        make: impl Fn() -> async_graphql::Request,
    ) -> async_graphql::Response {
        let response = self.fast.execute(make()).await;
        let stopped_at_limit = response.data == async_graphql::Value::Null
            && response.errors.len() == 1
            && BUILT_IN_LIMIT_MESSAGES.contains(&response.errors[0].message.as_str());
        if stopped_at_limit {
            self.checked.execute(make()).await
        } else {
            response
        }
    }
}
