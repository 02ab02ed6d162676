//! A request refused before any GraphQL runs ([`Rejection`]): read by the request parser and
//! the persisted queries alike, and answered as a GraphQL-shaped body of the negotiated type.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::media::Media;

/// A request refused before any GraphQL runs: its status, code and message.
#[derive(Debug)]
pub struct Rejection {
    status: StatusCode,
    /// The status under the legacy `application/json`, when it differs: a GraphQL request
    /// error is 200 there.
    legacy_status: Option<StatusCode>,
    code: &'static str,
    message: String,
}

impl Rejection {
    /// A refusal with this status, `extensions.code` and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            legacy_status: None,
            code,
            message: message.into(),
        }
    }

    /// A GraphQL request error, as the schema's are answered: 400 under
    /// `application/graphql-response+json`, 200 under `application/json`.
    pub fn request_error(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            legacy_status: Some(StatusCode::OK),
            ..Self::new(StatusCode::BAD_REQUEST, code, message)
        }
    }

    /// A malformed request (400, `BAD_REQUEST`).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
    }

    /// Its message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The answer, as a GraphQL-shaped body of the negotiated type.
    pub fn respond(self, media: Media) -> Response {
        let body = json!({
            "errors": [{ "message": self.message, "extensions": { "code": self.code } }]
        });
        let status = match (media, self.legacy_status) {
            (Media::Json, Some(legacy)) => legacy,
            _ => self.status,
        };
        let mut response = (
            status,
            [(header::CONTENT_TYPE, media.content_type())],
            body.to_string(),
        )
            .into_response();
        if self.status == StatusCode::METHOD_NOT_ALLOWED {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        response
    }
}
