//! Running GraphQL requests, and every way an answer or part of one is reused.
//!
//! [`Executor`] is the one seam between the HTTP adapter and the schema. Four layers reuse work,
//! and each can be switched off by configuration ([`Layers`](crate::config::Layers)), so that the benchmark can show
//! what each is worth:
//!
//! | layer | kept by | reused when |
//! |---|---|---|
//! | dataset version | the latest ingest run's number | read again after [`version_ttl`](crate::config::Layers::version_ttl) |
//! | response cache | whole GET answers, by ETag | the ETag (version + request) matches |
//! | parsed documents | query text → parsed document | the same text arrives again |
//! | shared reads | root page statements under way | an identical statement is running |
//!
//! # Freshness rules
//! These are the only rules; every layer follows from them.
//! 1. **A version names the data.** The dataset version is the newest ingest run's ID: any ingest,
//!    by this process or another sharing the database, changes it. A server trusts its last look
//!    at it for at most [`version_ttl`](crate::config::Layers::version_ttl), so another process's ingest shows within that
//!    time; an ingest by this process shows at once ([`Executor::invalidate`]).
//! 2. **A cached answer is keyed by the version it was read at.** A GET's ETag holds the version
//!    read *before* the request runs, and the response cache is keyed by that ETag, so an
//!    ingest makes every older entry unreachable (they age out) and a client's `If-None-Match`
//!    stops matching.
//! 3. **A shared read never carries older data than a request may see.** A GET, whose answer
//!    will be stored under the version it read first, joins only reads that began after it
//!    arrived. A POST is never cached and joins any read under way: it gets the answer it would
//!    have had a moment earlier. An ingest by this process makes every read under way
//!    unjoinable.
//! 4. **Parsed documents do not depend on the data**, so they never go stale; each request is
//!    still validated, and checked for depth and cost, as if it had been parsed afresh.
//!
//! Nothing is kept beyond what these rules allow: no entity cache, no cache of a POST.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use async_graphql::parser::{self, types::ExecutableDocument};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QuerySelect};

use crate::graphql::in_flight::Arrived;
use crate::graphql::limits;
use crate::graphql::{GuardedSchema, error, order};

/// A GET answer kept for reuse: its status is always 200 and its headers are rebuilt.
#[derive(Clone)]
pub struct CachedAnswer {
    /// The response body.
    pub body: axum::body::Bytes,
    /// Its content type.
    pub content_type: &'static str,
}

type Responses = quick_cache::sync::Cache<String, CachedAnswer>;

/// Parsed query documents by their text, weighed by the text's length. Shared, so that a look
/// at one (a GET's operation type) copies nothing; executing it takes one copy.
type ParsedDocuments = quick_cache::sync::Cache<String, Arc<ExecutableDocument>, QueryBytes>;

/// A parsed document's weight: the length of its text.
#[derive(Clone)]
struct QueryBytes;

impl quick_cache::Weighter<String, Arc<ExecutableDocument>> for QueryBytes {
    fn weight(&self, query: &String, _: &Arc<ExecutableDocument>) -> u64 {
        Ord::max(u64::try_from(query.len()).unwrap_or(u64::MAX), 1)
    }
}

/// Runs requests on the schema, with the reuse layers in front of it. Cheap to clone.
#[derive(Clone)]
pub struct Executor {
    schema: GuardedSchema,
    db: DatabaseConnection,
    responses: Option<Arc<Responses>>,
    documents: Option<Arc<ParsedDocuments>>,
    version: Arc<RwLock<Option<(i64, Instant)>>>,
    version_ttl: Duration,
}

impl Executor {
    /// An executor over one database, with the limits and layers given.
    pub fn new(db: &DatabaseConnection, config: &crate::config::HttpConfig) -> Self {
        let layers = &config.layers;
        Self {
            schema: GuardedSchema::new(db, config.limits, config.batch_window, layers.shared_reads),
            db: db.clone(),
            responses: (layers.response_cache_entries > 0)
                .then(|| Arc::new(Responses::new(layers.response_cache_entries))),
            documents: (layers.parsed_query_bytes > 0).then(|| {
                Arc::new(ParsedDocuments::with_weighter(
                    1024,
                    layers.parsed_query_bytes,
                    QueryBytes,
                ))
            }),
            version: Arc::default(),
            version_ttl: layers.version_ttl,
        }
    }

    /// The dataset version (rule 1): the latest ingest run's number, 0 before any.
    pub async fn dataset_version(&self) -> i64 {
        // The common case takes a read lock and no await.
        if let Ok(cached) = self.version.read()
            && let Some((v, at)) = *cached
            && at.elapsed() < self.version_ttl
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
        if !self.version_ttl.is_zero()
            && let Ok(mut cached) = self.version.write()
        {
            *cached = Some((v, Instant::now()));
        }
        v
    }

    /// The answer kept under `etag`, if any (rule 2).
    pub fn cached(&self, etag: &str) -> Option<CachedAnswer> {
        self.responses.as_ref().and_then(|c| c.get(etag))
    }

    /// Keeps an error-free answer under its `etag` (rule 2); nothing when the cache is off.
    pub fn keep(&self, etag: String, answer: CachedAnswer) {
        if let Some(cache) = &self.responses {
            cache.insert(etag, answer);
        }
    }

    /// The parsed document of `query`, from those parsed before when it is one of them (rule
    /// 4).
    ///
    /// # Errors
    /// Why it does not parse (executing it reports that).
    pub fn parse(&self, query: &str) -> Result<Arc<ExecutableDocument>, parser::Error> {
        let Some(documents) = &self.documents else {
            return parser::parse_query(query).map(Arc::new);
        };
        if let Some(document) = documents.get(query) {
            return Ok(document);
        }
        let document = Arc::new(parser::parse_query(query)?);
        documents.insert(query.to_owned(), Arc::clone(&document));
        Ok(document)
    }

    /// Runs the request `make` builds. `arrived` is set for a request whose answer will be cached
    /// under the version read when it arrived: it then shares only reads begun since (rule 3).
    pub async fn execute(
        &self,
        make: impl Fn() -> async_graphql::Request,
        arrived: Option<Instant>,
    ) -> async_graphql::Response {
        // Parsed once, here: counted before async-graphql validates it (validation spreads
        // every fragment), then handed to the schema, which checks it (depth, directives,
        // validation) as if it had parsed it. Every answer leaves here, each error with its
        // code.
        let document = match self.parse(&make().query) {
            Ok(document) => document,
            Err(e) => return async_graphql::Response::from_errors(vec![error::parse_failed(&e)]),
        };
        if let Some(error) = limits::too_large(&document) {
            return async_graphql::Response::from_errors(vec![error]);
        }
        let mut response = self
            .schema
            .execute(|| {
                let mut request = make();
                request.set_parsed_query(ExecutableDocument::clone(&document));
                match arrived {
                    Some(at) => request.data(Arrived(at)),
                    None => request,
                }
            })
            .await;
        order::as_asked(
            &document,
            make().operation_name.as_deref(),
            &mut response.data,
        );
        error::with_codes(response)
    }

    /// After an ingest by this process: the next request reads the new version, and no read
    /// under way is joined again (rules 1 and 3). Cached answers need nothing: the new version
    /// makes them unreachable.
    pub fn invalidate(&self) {
        if let Ok(mut cached) = self.version.write() {
            *cached = None;
        }
        self.schema.forget_reads();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{HttpConfig, Layers};

    fn executor(layers: Layers) -> Executor {
        let config = HttpConfig {
            layers,
            ..HttpConfig::default()
        };
        Executor::new(&DatabaseConnection::default(), &config)
    }

    #[test]
    fn documents_parse_once_and_broken_ones_not_at_all() {
        let executor = executor(Layers::default());
        // A document that does not parse has no operation type: the GET runs it and reports why.
        assert!(executor.parse("{").is_err());
        let first = executor.parse("{ a }").expect("parses");
        let again = executor.parse("{ a }").expect("parses");
        assert!(Arc::ptr_eq(&first, &again), "kept, not parsed again");
    }

    #[test]
    fn switched_off_layers_keep_nothing() {
        let executor = executor(Layers {
            response_cache_entries: 0,
            parsed_query_bytes: 0,
            shared_reads: false,
            version_ttl: Duration::ZERO,
        });
        let first = executor.parse("{ a }").expect("parses");
        let again = executor.parse("{ a }").expect("parses");
        assert!(!Arc::ptr_eq(&first, &again), "parsed afresh");
        assert!(executor.parse("{").is_err());
        let answer = CachedAnswer {
            body: axum::body::Bytes::from_static(b"{}"),
            content_type: "application/json",
        };
        executor.keep("\"v1-x\"".to_owned(), answer);
        assert!(executor.cached("\"v1-x\"").is_none());
    }
}
