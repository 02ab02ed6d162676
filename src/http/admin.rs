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
/// the answer is still 200. While another ingest of the database runs, the answer is 409,
/// naming that run. A run once started finishes even if its client goes away.
///
/// The scheme is matched in any case ("bearer", "Bearer"), as RFC 9110 has it.
pub async fn ingest(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.config.admin_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token)
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
    // The run is a task of its own, so a client that goes away does not cancel it half-way: it
    // finishes, is logged and is recorded like any other, and its answer is dropped.
    let run = tokio::spawn(async move {
        let run = ingest::ingest_snapshot(&state.db, &dir, ingest::Progress::Quiet).await;
        if run.is_ok() {
            state.executor.invalidate();
        }
        run
    });
    match run.await {
        Ok(Ok(run)) => Json(json!({
            "run": run.run_id,
            "pagesSeen": run.pages_seen,
            "added": run.added,
            "changed": run.changed,
            "unchanged": run.unchanged,
            "removed": run.removed,
            "warnings": run.warnings,
            "failures": run.failures,
        }))
        .into_response(),
        Ok(Err(e @ ingest::IngestError::Busy { .. })) => {
            tracing::warn!("admin ingest refused: {e}");
            (
                StatusCode::CONFLICT,
                Json(json!({ "error": e.to_string() })),
            )
                .into_response()
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "admin ingest failed");
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "error": e.to_string() })),
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "admin ingest stopped");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The token of an `Authorization` value of the `Bearer` scheme, the scheme in any case.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim_start())
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

    #[test]
    fn the_bearer_scheme_is_read_in_any_case() {
        assert_eq!(bearer_token("Bearer s3cret"), Some("s3cret"));
        assert_eq!(bearer_token("bearer s3cret"), Some("s3cret"));
        assert_eq!(bearer_token("BEARER   s3cret"), Some("s3cret"));
        assert_eq!(bearer_token("Basic s3cret"), None);
        assert_eq!(bearer_token("Bearers3cret"), None);
    }
}
