//! API errors: a stable `extensions.code` for clients, the cause in the log and nowhere else.

use async_graphql::ErrorExtensions;

/// An error a resolver returns.
///
/// It deliberately does not implement `Display`: async-graphql turns any `Display` error into a
/// GraphQL error without a code, so this type can only become one through the `From` below,
/// which always sets `extensions.code`.
#[derive(Debug)]
pub enum ApiError {
    /// The request asked for something malformed or out of bounds.
    BadUserInput(String),
    /// The request named something that does not exist.
    NotFound(String),
    /// A failure of ours. The message sent is generic; the cause is logged.
    Internal(anyhow::Error),
}

impl ApiError {
    /// The message sent to the client.
    pub fn message(&self) -> &str {
        match self {
            Self::BadUserInput(m) | Self::NotFound(m) => m,
            Self::Internal(_) => "internal error",
        }
    }

    /// The `extensions.code` clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadUserInput(_) => "BAD_USER_INPUT",
            Self::NotFound(_) => "NOT_FOUND",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        Self::Internal(e.into())
    }
}

impl From<ingest::IngestError> for ApiError {
    fn from(e: ingest::IngestError) -> Self {
        Self::Internal(e.into())
    }
}

impl From<std::sync::Arc<sea_orm::DbErr>> for ApiError {
    fn from(e: std::sync::Arc<sea_orm::DbErr>) -> Self {
        Self::Internal(anyhow::anyhow!("{e}"))
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(e: ApiError) -> Self {
        if let ApiError::Internal(cause) = &e {
            // Logged once, here at the boundary; the client sees only the code.
            tracing::error!(
                error = format!("{cause:#}"),
                "internal error answering a query"
            );
        }
        let code = e.code();
        async_graphql::Error::new(e.message()).extend_with(|_, ext| ext.set("code", code))
    }
}

/// Resolver results.
pub type ApiResult<T> = Result<T, async_graphql::Error>;
