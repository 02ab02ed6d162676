//! The one route that changes data: `POST /admin/ingest`, behind a bearer token.
//!
//! It exists only when a token is configured; without one the route is absent (404), so a
//! public deployment has nothing that writes.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::state::AppState;

/// Compares in time that depends on the length only, not on where the strings differ.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Re-ingests the configured snapshot and answers with the run's summary. Pages that failed
/// are listed in `failures` (`URL: why`); the run's other pages are stored all the same, so
/// the answer is still 200.
pub async fn ingest(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.config.admin_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !same_secret(given.as_bytes(), token.as_bytes()) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a valid bearer token is required",
        )
            .into_response();
    }
    let dir = state
        .config
        .snapshot
        .clone()
        .unwrap_or_else(ingest::bundled_snapshot);
    match ingest::ingest_snapshot(&state.db, &dir, ingest::Progress::Quiet).await {
        Ok(run) => {
            state.executor.invalidate();
            Json(json!({
                "run": run.run_id,
                "pagesSeen": run.pages_seen,
                "added": run.added,
                "changed": run.changed,
                "unchanged": run.unchanged,
                "removed": run.removed,
                "warnings": run.warnings,
                "failures": run.failures,
            }))
            .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "admin ingest failed");
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "error": e.to_string() })),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"abcd"));
    }
}
