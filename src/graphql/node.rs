//! The node types (those with a global ID), listed once, and their global IDs.
//!
//! The `node_types!` table below lists the node types of [`NodeType`] (whose names and ID codec
//! are [`crate::read::ids`]'s): the [`Node`] interface and [`fetch`] by global ID come from it,
//! and its matches are exhaustive, so adding a node type takes its variant there, its handle
//! below, one line in the table, and its fields.
//!
//! The node types' Rust handles (the rows they wrap) are declared here too, beside the list;
//! their fields are in the module of their group ([`documents`](super::documents),
//! [`strategies`](super::strategies), ...). The groups point at each other's types (a
//! document's strategy, a strategy's documents), so each imports them from here rather than
//! from the others. Their `id` fields are `pub(super)`: the interface resolves `id` by calling
//! them from here.
//!

use std::sync::Arc;

use async_graphql::{ID, Interface};
use entity::{
    StrategyElementKind, change, commitment, document, document_version, ingest_run, milestone,
    organisation, passage, progress_update, strategy, strategy_commitment, strategy_element,
    workstream,
};

use super::error::ApiError;
use super::loader::{Loaders, ReadAhead, one};
use crate::read::ids;
pub use crate::read::ids::NodeType;

/// An ingested page.
#[derive(Clone)]
pub struct Document(pub document::Model);

/// A paragraph or list item of a page, with the headings above it.
#[derive(Clone)]
pub struct Passage(pub passage::Model);

/// A strategy, with the documents that publish, develop or deliver it.
#[derive(Clone)]
pub struct Strategy(pub strategy::Model);

/// An aim of a strategy.
#[derive(Clone)]
pub struct Aim(pub strategy_element::Model);

/// A priority area of a strategy, as one of its documents describes it.
#[derive(Clone)]
pub struct PriorityArea(pub strategy_element::Model);

/// A domain, vision statement or standard of a strategy.
#[derive(Clone)]
pub struct StrategyElement(pub strategy_element::Model);

/// A commitment of an Open Government action plan.
#[derive(Clone)]
pub struct Commitment(pub commitment::Model);

/// A milestone of a commitment.
#[derive(Clone)]
pub struct Milestone {
    /// The stored row.
    pub row: milestone::Model,
    /// What was read with it, when its parent's statement read ahead.
    pub ahead: Option<Arc<ReadAhead>>,
}

impl From<milestone::Model> for Milestone {
    fn from(row: milestone::Model) -> Self {
        Self { row, ahead: None }
    }
}

/// One milestone's update in a progress report.
#[derive(Clone)]
pub struct ProgressUpdate {
    /// The stored row.
    pub row: progress_update::Model,
    /// The page it was read from, when its parent's statement read it too.
    pub document: Option<Arc<document::Model>>,
}

impl From<progress_update::Model> for ProgressUpdate {
    fn from(row: progress_update::Model) -> Self {
        Self {
            row,
            document: None,
        }
    }
}

/// An organisation named by a page in a role.
#[derive(Clone)]
pub struct Organisation(pub organisation::Model);

/// A delivery-plan workstream.
#[derive(Clone)]
pub struct Workstream(pub workstream::Model);

/// A dated promise in a strategy's prose.
#[derive(Clone)]
pub struct StrategyCommitment(pub strategy_commitment::Model);

/// One entity added, removed or changed by one ingest run.
#[derive(Clone)]
pub struct Change(pub change::Model);

/// One stored copy of a page.
#[derive(Clone)]
pub struct DocumentVersion(pub document_version::Model);
/// One run of the ingest.
#[derive(Clone)]
pub struct IngestRun(pub ingest_run::Model);

/// Generates, from one line per node type (`Type: by-ID loader [where kind = KIND], how a
/// row becomes one;`), everything that lists the node types. `where kind` is for the types
/// that share the strategy element table: a row of another kind is not one of them.
macro_rules! node_types {
    ($(
        $(#[$doc:meta])*
        $name:ident: $loader:ident $(where kind = $kind:expr)?, $wrap:expr;
    )*) => {
        /// Anything with a global ID.
        #[derive(Interface, Clone)]
        #[graphql(field(
            name = "id",
            ty = "ID",
            desc = "Global, opaque ID, stable across re-ingests."
        ))]
        pub enum Node {
            $($(#[$doc])* $name($name),)*
        }

        $(
            impl $name {
                #[doc = concat!("Loads the `", stringify!($name), "` of a row; `None` when there is none.")]
                ///
                /// # Errors
                /// A database error.
                pub async fn load(loaders: &Loaders, row: i64) -> Result<Option<Self>, ApiError> {
                    let found = one(&loaders.$loader, row).await?;
                    Ok(found$(.filter(|r| r.kind == $kind))?.map($wrap))
                }

                #[doc = concat!("Loads the `", stringify!($name), "` another row links to.")]
                ///
                /// # Errors
                /// A database error, or [`ApiError::Internal`] when there is no such row: the
                /// link is a foreign key, so that is a fault of ours, not a null.
                pub async fn linked(loaders: &Loaders, row: i64) -> Result<Self, ApiError> {
                    Self::load(loaders, row).await?.ok_or_else(|| {
                        ApiError::Internal(anyhow::anyhow!(
                            concat!(stringify!($name), " {} missing"),
                            row
                        ))
                    })
                }
            }
        )*

        /// Loads any node by its global ID; `None` when it does not exist.
        ///
        /// # Errors
        /// A malformed ID, or a database error.
        pub async fn fetch(loaders: &Loaders, global: &str) -> Result<Option<Node>, ApiError> {
            let (kind, row) = decode(global)?;
            load_node(loaders, kind, row).await
        }

        /// Loads the node of type `kind` whose row is `row`; `None` when it does not exist.
        ///
        /// # Errors
        /// A database error.
        pub async fn load_node(
            loaders: &Loaders,
            kind: NodeType,
            row: i64,
        ) -> Result<Option<Node>, ApiError> {
            Ok(match kind {
                $(NodeType::$name => $name::load(loaders, row).await?.map(Node::$name),)*
            })
        }
    };
}

node_types! {
    /// A document.
    Document: document, Document;
    /// A passage.
    Passage: passage, Passage;
    /// A strategy.
    Strategy: strategy, Strategy;
    /// An aim.
    Aim: element where kind = StrategyElementKind::Aim, Aim;
    /// A priority area.
    PriorityArea: element where kind = StrategyElementKind::PriorityArea, PriorityArea;
    /// A domain, vision statement or standard.
    StrategyElement: element, StrategyElement;
    /// A commitment.
    Commitment: commitment, Commitment;
    /// A milestone.
    Milestone: milestone, Milestone::from;
    /// A progress update.
    ProgressUpdate: update, ProgressUpdate::from;
    /// An organisation.
    Organisation: organisation, Organisation;
    /// A delivery-plan workstream.
    Workstream: workstream, Workstream;
    /// A strategy commitment.
    StrategyCommitment: strategy_commitment, StrategyCommitment;
    /// A change made by an ingest run.
    Change: change, Change;
    /// A stored version of a page.
    DocumentVersion: version, DocumentVersion;
    /// A run of the ingest.
    IngestRun: run, IngestRun;
}

/// The global ID of a row (see [`crate::read::ids`]).
pub fn encode(kind: NodeType, id: i64) -> ID {
    ID(ids::encode(kind, id))
}

/// Reads a global ID.
///
/// # Errors
/// A string that is not an ID this server issued is [`ApiError::BadUserInput`].
pub fn decode(id: &str) -> Result<(NodeType, i64), ApiError> {
    ids::decode(id).map_err(|e| ApiError::BadUserInput(e.to_string()))
}

/// Reads a global ID that must be of one type.
///
/// # Errors
/// A malformed ID, or one of another type, is [`ApiError::BadUserInput`].
pub fn decode_as(id: &str, expected: NodeType) -> Result<i64, ApiError> {
    match decode(id)? {
        (kind, row) if kind == expected => Ok(row),
        _ => Err(ApiError::BadUserInput(format!(
            "{id:?} is not the ID of a {}",
            expected.name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_forgeries() {
        let id = encode(NodeType::Milestone, 42);
        assert_eq!(decode(&id).ok(), Some((NodeType::Milestone, 42)));
        assert!(decode_as(&id, NodeType::Commitment).is_err());
        assert!(decode("not base64 !").is_err());
    }

    #[test]
    fn the_list_is_the_schema_s_node_types_and_ids_keep_their_bytes() {
        let sdl = crate::graphql::build_schema(sea_orm::DatabaseConnection::default()).sdl();
        for &kind in NodeType::ALL {
            let declared = format!("type {} implements Node {{", kind.name());
            assert!(sdl.contains(&declared), "{} is not a Node", kind.name());
            assert_eq!(decode(&encode(kind, 7)).ok(), Some((kind, 7)));
        }
        assert_eq!(
            sdl.matches(" implements Node {").count(),
            NodeType::ALL.len()
        );
    }
}
