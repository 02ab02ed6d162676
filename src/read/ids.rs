//! Global IDs, the one codec every surface uses: a node type's name and a row ID (itself
//! derived from the row's natural key, see `ingest::ids`), `Type:row` base64url-encoded. Clients
//! must treat an ID as an opaque string.
//!
//! [`NodeType`] lists the node types by their schema names; the GraphQL `Node` interface is
//! built over it (`graphql::node`), matching every variant, so a type added here and not there
//! (or there and not here) does not compile.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::SubjectType;

/// The node types, as named in the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeType {
    /// `Document`.
    Document,
    /// `Passage`.
    Passage,
    /// `Strategy`.
    Strategy,
    /// `Aim`.
    Aim,
    /// `PriorityArea`.
    PriorityArea,
    /// `StrategyElement`.
    StrategyElement,
    /// `Commitment`.
    Commitment,
    /// `Milestone`.
    Milestone,
    /// `ProgressUpdate`.
    ProgressUpdate,
    /// `Organisation`.
    Organisation,
    /// `Workstream`.
    Workstream,
    /// `StrategyCommitment`.
    StrategyCommitment,
    /// `Change`.
    Change,
    /// `DocumentVersion`.
    DocumentVersion,
    /// `IngestRun`.
    IngestRun,
}

impl NodeType {
    /// Every node type.
    pub const ALL: &[Self] = &[
        Self::Document,
        Self::Passage,
        Self::Strategy,
        Self::Aim,
        Self::PriorityArea,
        Self::StrategyElement,
        Self::Commitment,
        Self::Milestone,
        Self::ProgressUpdate,
        Self::Organisation,
        Self::Workstream,
        Self::StrategyCommitment,
        Self::Change,
        Self::DocumentVersion,
        Self::IngestRun,
    ];

    /// The type's name in the schema, which its IDs carry.
    pub fn name(self) -> &'static str {
        match self {
            Self::Document => "Document",
            Self::Passage => "Passage",
            Self::Strategy => "Strategy",
            Self::Aim => "Aim",
            Self::PriorityArea => "PriorityArea",
            Self::StrategyElement => "StrategyElement",
            Self::Commitment => "Commitment",
            Self::Milestone => "Milestone",
            Self::ProgressUpdate => "ProgressUpdate",
            Self::Organisation => "Organisation",
            Self::Workstream => "Workstream",
            Self::StrategyCommitment => "StrategyCommitment",
            Self::Change => "Change",
            Self::DocumentVersion => "DocumentVersion",
            Self::IngestRun => "IngestRun",
        }
    }

    /// The type of this name in the schema.
    pub fn named(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.name() == name)
    }
}

/// The node type of a stored subject type (the change feed's and the timeline's): each is the
/// type of its name.
impl From<SubjectType> for NodeType {
    fn from(subject: SubjectType) -> Self {
        match subject {
            SubjectType::Document => Self::Document,
            SubjectType::Commitment => Self::Commitment,
            SubjectType::Milestone => Self::Milestone,
            SubjectType::ProgressUpdate => Self::ProgressUpdate,
            SubjectType::Workstream => Self::Workstream,
            SubjectType::Aim => Self::Aim,
            SubjectType::PriorityArea => Self::PriorityArea,
            SubjectType::StrategyElement => Self::StrategyElement,
            SubjectType::StrategyCommitment => Self::StrategyCommitment,
            SubjectType::Organisation => Self::Organisation,
            SubjectType::Strategy => Self::Strategy,
        }
    }
}

/// Text that is not an ID this server issued; its message names it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a valid node ID")]
pub struct BadId(pub String);

/// The global ID of a row.
pub fn encode(kind: NodeType, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.name()))
}

/// Reads a global ID.
///
/// # Errors
/// [`BadId`] for a string that is not an ID this server issued.
pub fn decode(id: &str) -> Result<(NodeType, i64), BadId> {
    let bad = || BadId(id.to_owned());
    let bytes = URL_SAFE_NO_PAD.decode(id.as_bytes()).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (name, row) = text.split_once(':').ok_or_else(bad)?;
    let kind = NodeType::named(name).ok_or_else(bad)?;
    let row = row.parse().map_err(|_| bad())?;
    Ok((kind, row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_keep_their_bytes_and_reject_forgeries() {
        // base64url of "Document:1": IDs issued before must keep reading back.
        assert_eq!(encode(NodeType::Document, 1), "RG9jdW1lbnQ6MQ");
        for &kind in NodeType::ALL {
            assert_eq!(decode(&encode(kind, 7)), Ok((kind, 7)));
        }
        assert!(decode("not base64 !").is_err());
        assert_eq!(
            decode(&URL_SAFE_NO_PAD.encode("Nope:1")).map_err(|e| e.to_string()),
            Err("\"Tm9wZTox\" is not a valid node ID".to_owned())
        );
    }
}
