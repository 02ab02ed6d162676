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

/// The `extensions.code` of a document that does not parse.
pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
/// The code of a document that parses but breaks the schema's rules.
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
/// The code of an `operationName` the document does not define (or a missing one).
pub const OPERATION_RESOLUTION_FAILURE: &str = "OPERATION_RESOLUTION_FAILURE";

/// The error of a document that does not parse: one line (pest's message is a drawing of the
/// line with a caret, over several), with the place it stopped as its location.
pub fn parse_failed(e: &async_graphql::parser::Error) -> async_graphql::ServerError {
    let text = e.to_string();
    // pest's last line says what was expected ("  = expected selection_set"); the other
    // errors of the parser are one line already.
    let what = text
        .lines()
        .rev()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .or_else(|| text.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("syntax error")
        .replace('_', " ");
    let locations: Vec<_> = e.positions().collect();
    let message = match locations.first() {
        Some(at) => format!(
            "Syntax error at line {}, column {}: {what}",
            at.line, at.column
        ),
        None => format!("Syntax error: {what}"),
    };
    let mut error = async_graphql::ServerError::new(message, None);
    error.locations = locations;
    set_code(&mut error, PARSE_FAILED);
    error
}

/// Gives every error of `response` a code: those the schema's own checks raise (validation,
/// coercion of arguments and variables, operation names) have none of their own; resolvers'
/// always have one ([`ApiError`]).
pub fn with_codes(mut response: async_graphql::Response) -> async_graphql::Response {
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|ext| ext.get("code").is_some());
        if !has_code {
            let code = code_of(error);
            set_code(error, code);
        }
    }
    response
}

/// The code of an error async-graphql raised, by what raised it (its messages are its API: see
/// `validation::rules` and `Schema::prepare_request` of async-graphql 7).
fn code_of(error: &async_graphql::ServerError) -> &'static str {
    let m = error.message.as_str();
    // A value that does not coerce to its type: validation checks literals and variables
    // alike (`ArgumentsOfCorrectType`, which calls each scalar's `is_valid`); a cost
    // computed from an argument, or a resolver reading one, says so in `InputValueError`'s
    // words.
    const COERCION: [&str; 3] = [
        "Invalid value for argument",
        "Expected input type",
        "Failed to parse",
    ];
    if COERCION.iter().any(|prefix| m.starts_with(prefix)) {
        "BAD_USER_INPUT"
    } else if m.starts_with("Unknown operation named") || m.starts_with("Operation name required") {
        OPERATION_RESOLUTION_FAILURE
    } else if error.path.is_empty() {
        VALIDATION_FAILED
    } else {
        "INTERNAL"
    }
}

fn set_code(error: &mut async_graphql::ServerError, code: &'static str) {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
}
