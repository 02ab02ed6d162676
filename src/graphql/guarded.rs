//! The schema a server runs: a fast one, and the checked one it falls back to at a limit,
//! with the parsed query documents both share.

use std::sync::Arc;

use async_graphql::parser::types::ExecutableDocument;
use sea_orm::DatabaseConnection;

use super::context::Services;
use super::pagination::usize_to_u64;
use super::schema::{self, CaregraphSchema, LimitCheck};
use super::{in_flight, limits, search};

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
    documents: Arc<ParsedDocuments>,
    reads: in_flight::InFlight,
}

/// Parsed query documents by their text, weighed by the text's length. Shared, so that a look
/// at one (a GET's operation type) copies nothing; executing it takes one copy.
type ParsedDocuments = quick_cache::sync::Cache<String, Arc<ExecutableDocument>, QueryBytes>;

/// How much query text the parsed documents are kept for. Clients send the same few queries
/// over and over (a dashboard, an app's screens); a parse took about a tenth of the CPU time of
/// a small linked query, and a clone of the parsed document costs far less.
const PARSED_QUERY_BYTES: u64 = 1024 * 1024;

/// A parsed document's weight: the length of its text.
#[derive(Clone)]
struct QueryBytes;

impl quick_cache::Weighter<String, Arc<ExecutableDocument>> for QueryBytes {
    fn weight(&self, query: &String, _: &Arc<ExecutableDocument>) -> u64 {
        Ord::max(usize_to_u64(query.len()), 1)
    }
}

/// async-graphql's own messages for its built-in limits.
const BUILT_IN_LIMIT_MESSAGES: [&str; 2] = ["Query is nested too deep.", "Query is too complex."];

impl GuardedSchema {
    /// Builds both schemas over one database.
    pub fn new(
        db: &DatabaseConnection,
        limits: limits::Limits,
        batch_window: std::time::Duration,
    ) -> Self {
        // One search index for both: each would otherwise open its own reader.
        let search_index = search::SearchIndexHandle::default();
        // And one set of reads under way, so that `forget` reaches both.
        let reads = in_flight::InFlight::default();
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
            documents: Arc::new(ParsedDocuments::with_weighter(
                1024,
                PARSED_QUERY_BYTES,
                QueryBytes,
            )),
        }
    }

    /// The parsed document of `query`, from those parsed before when it is one of them; `None`
    /// when it does not parse (executing it reports why).
    pub fn parse(&self, query: &str) -> Option<Arc<ExecutableDocument>> {
        if let Some(document) = self.documents.get(query) {
            return Some(document);
        }
        let document = Arc::new(async_graphql::parser::parse_query(query).ok()?);
        self.documents
            .insert(query.to_owned(), Arc::clone(&document));
        Some(document)
    }

    fn with_parsed(&self, mut request: async_graphql::Request) -> async_graphql::Request {
        if let Some(document) = self.parse(&request.query) {
            // The schema still checks it (depth, directives, validation) as if it had parsed it.
            request.set_parsed_query(ExecutableDocument::clone(&document));
        }
        request
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
        let response = self.fast.execute(self.with_parsed(make())).await;
        let stopped_at_limit = response.data == async_graphql::Value::Null
            && response.errors.len() == 1
            && BUILT_IN_LIMIT_MESSAGES.contains(&response.errors[0].message.as_str());
        if stopped_at_limit {
            self.checked.execute(self.with_parsed(make())).await
        } else {
            response
        }
    }
}
