//! Global node IDs and connection cursors: opaque to clients, stable across re-ingests.
//!
//! A node ID is the type name and the row ID (itself derived from the row's natural key, see
//! `ingest::ids`), base64url-encoded. Cursors encode an offset the same way. Clients must treat
//! both as opaque strings.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::error::ApiError;

/// The node types, as named in the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// `StrategyElement` (domains, vision statements, standards).
    StrategyElement,
    /// `Commitment`.
    Commitment,
    /// `Milestone`.
    Milestone,
    /// `ProgressUpdate`.
    ProgressUpdate,
    /// `Organisation`.
    Organisation,
}

const TYPES: [(NodeType, &str); 10] = [
    (NodeType::Document, "Document"),
    (NodeType::Passage, "Passage"),
    (NodeType::Strategy, "Strategy"),
    (NodeType::Aim, "Aim"),
    (NodeType::PriorityArea, "PriorityArea"),
    (NodeType::StrategyElement, "StrategyElement"),
    (NodeType::Commitment, "Commitment"),
    (NodeType::Milestone, "Milestone"),
    (NodeType::ProgressUpdate, "ProgressUpdate"),
    (NodeType::Organisation, "Organisation"),
];

impl NodeType {
    fn name(self) -> &'static str {
        TYPES
            .iter()
            .find(|(t, _)| *t == self)
            .map_or("Unknown", |(_, n)| n)
    }
}

/// The global ID of a row.
pub fn encode(kind: NodeType, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.name())))
}

/// Reads a global ID.
///
/// # Errors
/// A string that is not an ID this server issued is [`ApiError::BadUserInput`].
pub fn decode(id: &str) -> Result<(NodeType, i64), ApiError> {
    let bad = || ApiError::BadUserInput(format!("{id:?} is not a valid node ID"));
    let bytes = URL_SAFE_NO_PAD.decode(id.as_bytes()).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (name, row) = text.split_once(':').ok_or_else(bad)?;
    let kind = TYPES
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(t, _)| *t)
        .ok_or_else(bad)?;
    let row = row.parse().map_err(|_| bad())?;
    Ok((kind, row))
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

/// The cursor of the item at `offset`.
pub fn cursor(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("cursor:{offset}"))
}

/// Reads a cursor.
///
/// # Errors
/// A cursor this server did not issue is [`ApiError::BadUserInput`].
pub fn decode_cursor(cursor: &str) -> Result<usize, ApiError> {
    let bad = || ApiError::BadUserInput(format!("{cursor:?} is not a valid cursor"));
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix("cursor:")
        .and_then(|n| n.parse().ok())
        .ok_or_else(bad)
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
        assert!(decode(&URL_SAFE_NO_PAD.encode("Nope:1")).is_err());
        assert_eq!(decode_cursor(&cursor(7)).ok(), Some(7));
        assert!(decode_cursor("eA").is_err());
    }
}
