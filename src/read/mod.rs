//! The read layer: what every surface (the GraphQL resolvers and loaders, `/dashboard`, the
//! `/export/` files) reads the database through, so that a rule that several surfaces show is
//! written once. It knows nothing of GraphQL or HTTP.
//!
//! # Layout
//! - [`ids`]: global IDs and the node types they name;
//! - [`filter`]: the filter a dashboard view and its downloads share, parsed once;
//! - [`window`]: which rows a date window selects, in SQL;
//! - [`keyset`]: paging by key, a page at a time;
//! - [`text`]: "contains these words" in SQL;
//! - [`milestones`], [`workstreams`], [`events`], [`documents`], [`organisations`],
//!   [`changes`], [`commitments`], [`runs`]: which of each a query selects, in its order;
//! - [`reports`]: the one order of progress reports;
//! - [`runs`]: when the latest ingest finished;
//! - [`search`]: full-text search over passages, on either backend;
//! - [`source`]: where a fact sits on its page, as a link;
//! - the derived values readers show are read, not recomputed: a milestone's latest status is
//!   the ingest's (`milestone.latest_status`), a commitment's label is
//!   `commitment::Model::label`;
//! - [`history`]: what earlier runs said (the dates an ingest moved);
//! - [`versions`]: a page's stored versions, what each said, and [`diff`]: what changed
//!   between two.

pub mod changes;
pub mod commitments;
pub mod diff;
pub mod documents;
pub mod events;
pub mod filter;
pub mod history;
pub mod ids;
pub mod keyset;
pub mod milestones;
pub mod organisations;
pub mod reports;
pub mod runs;
pub mod search;
pub mod source;
pub mod text;
pub mod versions;
pub mod window;
pub mod workstreams;
