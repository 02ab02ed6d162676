//! The GraphQL API: the query root, the schema, and its building blocks.
//!
//! The public core of the schema is `../shared/contract/core-schema.graphql`; everything in it
//! exists here with the same names and meaning, and more besides (filters, ingest runs,
//! document versions, domains, vision statements, standards).
//!
//! # Layout
//! A module imports only modules below it in this list.
//! - [`guarded`]: the two schemas a server runs (fast, and checked at a limit);
//! - [`schema`]: builds a schema, the one place that does;
//! - [`query`]: the query root: its arguments, checked and turned into selections;
//! - [`timeline`]: the timeline's events, and the reads behind them;
//! - [`strategies`]: strategies, aims, priority areas and other strategy elements;
//! - [`workstreams`]: delivery-plan workstreams and strategy commitments;
//! - [`filters`]: the root connections' filters and orders;
//! - [`commitments`]: commitments, milestones and progress updates;
//! - [`organisations`]: organisations and the roles they are named in;
//! - [`documents`]: documents and passages;
//! - [`versions`]: a page's stored versions, what each said, and the diff between two;
//! - [`changes`]: the change feed and its filter;
//! - [`ingest_runs`]: ingest runs;
//! - [`source`]: the source every fact points at (its page, anchor and copy);
//! - [`search`]: search hits as the schema gives them;
//! - [`pagination`]: connections, pages, cursors, what they cost, and one page of a root
//!   connection read in SQL, shared by simultaneous requests;
//! - [`context`]: what resolvers read from (database, loaders, search index) and the one
//!   accessor for it;
//! - [`node`]: the node types listed once: global IDs, the `Node` interface, fetch by ID;
//! - [`loader`]: batched loading, one statement per level of a query;
//! - [`scalars`]: our own scalars (`Date`);
//! - [`in_flight`]: identical root reads at the same time run once;
//! - [`limits`]: the depth and cost limits' extension;
//! - [`error`]: what resolvers answer when they fail, and every error's code;
//! - [`order`]: answers' fields in the order the query asked for them.
//!
//! Filters, date windows, keyset paging, the selections of each entity, source links, global
//! IDs, the report order, search and the dates an ingest moved are the read layer's
//! ([`crate::read`]), which the dashboard and the exports read too.
//!
//! Each object type wraps an entity model: names, IDs and descriptions live here, so a column
//! rename never changes the public API.

pub mod changes;
pub mod commitments;
pub mod context;
pub mod documents;
pub mod error;
pub mod filters;
pub mod guarded;
pub mod in_flight;
pub mod ingest_runs;
pub mod limits;
pub mod loader;
pub mod node;
pub mod order;
pub mod organisations;
pub mod pagination;
pub mod query;
pub mod scalars;
pub mod schema;
pub mod search;
pub mod source;
pub mod strategies;
pub mod timeline;
pub mod versions;
pub mod workstreams;

pub use guarded::GuardedSchema;
pub use query::Query;
pub use schema::{CaregraphSchema, build_schema};
