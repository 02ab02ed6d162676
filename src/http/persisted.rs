//! Apollo's automatic persisted queries (APQ): a client sends a query's SHA-256 hash alone, in
//! `extensions.persistedQuery: {version: 1, sha256Hash}`; the first time, the answer is the
//! error `PERSISTED_QUERY_NOT_FOUND`, and the client sends the query with its hash, which is
//! checked and kept. From then on the hash stands for the query, by POST or by GET, so a
//! persisted query is a short GET URL that caches like any other (its ETag is that of its
//! parameters, see [`super::caching`]).
//!
//! The queries kept are bounded by their total length ([`MAX_BYTES`]), least used first out; a
//! client whose hash was dropped is told `PERSISTED_QUERY_NOT_FOUND` again and resends it.
//! async-graphql's `ApolloPersistedQueries` extension is not used: it resolves the hash inside
//! the schema, after this server has parsed the document and decided a GET's operation type,
//! and it does not check a hash against its query.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::rejection::Rejection;

/// The most bytes of query text kept, all hashes together.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The persisted queries by their hashes (lower-case hex), weighed by their length. Cheap to
/// clone.
#[derive(Clone)]
pub struct PersistedQueries(Arc<quick_cache::sync::Cache<String, Arc<str>, QueryBytes>>);

/// A kept query's weight: its length.
#[derive(Clone)]
pub struct QueryBytes;

impl quick_cache::Weighter<String, Arc<str>> for QueryBytes {
    fn weight(&self, _: &String, query: &Arc<str>) -> u64 {
        Ord::max(u64::try_from(query.len()).unwrap_or(u64::MAX), 1)
    }
}

impl Default for PersistedQueries {
    fn default() -> Self {
        Self(Arc::new(quick_cache::sync::Cache::with_weighter(
            4096, MAX_BYTES, QueryBytes,
        )))
    }
}

/// The SHA-256 of a query's text, in lower-case hex, as Apollo Client computes it.
pub fn hash(query: &str) -> String {
    format!("{:x}", Sha256::digest(query.as_bytes()))
}

impl PersistedQueries {
    /// The query a request runs: its own `query` (checked against its hash, and kept, when it
    /// carries one), or the query kept under its hash when it carries only that.
    ///
    /// # Errors
    /// No query and no hash, or a malformed `persistedQuery` (400); a query whose hash is not
    /// the one sent (400, `PERSISTED_QUERY_HASH_MISMATCH`); a hash not kept (a request error,
    /// `PERSISTED_QUERY_NOT_FOUND`, which Apollo Client answers by sending the query).
    pub fn resolve(
        &self,
        query: Option<String>,
        extensions: Option<&Map<String, Value>>,
    ) -> Result<String, Rejection> {
        let Some(persisted) = extensions.and_then(|e| e.get("persistedQuery")) else {
            return query.ok_or_else(|| Rejection::bad_request("`query` is missing"));
        };
        let wanted = sha256_hash(persisted)?;
        match query {
            Some(query) => {
                let actual = hash(&query);
                if actual != wanted {
                    return Err(Rejection::new(
                        StatusCode::BAD_REQUEST,
                        "PERSISTED_QUERY_HASH_MISMATCH",
                        format!(
                            "the query's SHA-256 hash is {actual}, not the persistedQuery.sha256Hash sent ({wanted})"
                        ),
                    ));
                }
                self.0.insert(wanted, Arc::from(query.as_str()));
                Ok(query)
            }
            None => match self.0.get(&wanted) {
                Some(kept) => Ok(kept.to_string()),
                // Apollo Server's message, which clients match as well as the code.
                None => Err(Rejection::request_error(
                    "PERSISTED_QUERY_NOT_FOUND",
                    "PersistedQueryNotFound",
                )),
            },
        }
    }
}

/// The hash of a `persistedQuery` extension, checked for shape and lower-cased.
fn sha256_hash(persisted: &Value) -> Result<String, Rejection> {
    let bad = |why: &str| Rejection::bad_request(format!("`extensions.persistedQuery` {why}"));
    let Value::Object(persisted) = persisted else {
        return Err(bad("must be an object"));
    };
    if persisted.get("version").and_then(Value::as_i64) != Some(1) {
        return Err(bad("must have version 1, the only one supported"));
    }
    match persisted.get("sha256Hash").and_then(Value::as_str) {
        Some(h) if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Ok(h.to_ascii_lowercase())
        }
        _ => Err(bad("must have a sha256Hash of 64 hexadecimal digits")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_sha256_in_hex() {
        // The SHA-256 of the empty string, from FIPS 180-2's examples.
        assert_eq!(
            hash(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
