//! Reading a GraphQL request out of an HTTP request, by the GraphQL-over-HTTP specification.
//!
//! A POST carries one JSON object; a GET carries the same four parameters in its query string.
//! Anything malformed is a [`Rejection`], answered before any GraphQL runs (a query stopped at
//! the time limit is answered the same way).

use async_graphql::parser::types::{ExecutableDocument, OperationType};
use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Map, Value};

use super::media::{GRAPHQL_RESPONSE_JSON, JSON};
use super::persisted::PersistedQueries;
pub use super::rejection::Rejection;

/// The request parameters the specification defines; others are ignored.
pub const PARAMETERS: [&str; 4] = ["query", "operationName", "variables", "extensions"];

/// The longest GET query string accepted; longer ones are answered 414.
pub const MAX_QUERY_STRING_BYTES: usize = 16 * 1024;

/// A query-string value percent-encoded: RFC 3986's unreserved characters stay, every other
/// byte is `%XX`. What the links this server writes (GraphiQL links, the feed's pages) carry.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The parameters of one GraphQL request, checked for shape.
pub struct Params {
    /// The document.
    pub query: String,
    /// Which operation of it to run.
    pub operation_name: Option<String>,
    /// Variable values.
    pub variables: Option<Map<String, Value>>,
    /// Protocol extensions.
    pub extensions: Option<Map<String, Value>>,
}

/// The request a POST carries: one JSON object, sent as JSON (its query may be a persisted
/// one's, see [`super::persisted`]).
///
/// # Errors
/// Another content type (415), a body that is not JSON, a batch, or a malformed object (400);
/// a persisted query's errors.
pub fn from_post(
    headers: &HeaderMap,
    body: &[u8],
    persisted: &PersistedQueries,
) -> Result<Params, Rejection> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if essence != JSON && essence != GRAPHQL_RESPONSE_JSON {
        return Err(Rejection::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send the request as application/json",
        ));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Rejection::bad_request(format!("the body is not JSON: {e}")))?;
    match &value {
        Value::Object(obj) => from_object(obj, persisted),
        Value::Array(_) => Err(Rejection::bad_request(
            "batched requests are not supported: send one operation per request",
        )),
        _ => Err(Rejection::bad_request("the body must be a JSON object")),
    }
}

/// Checks a GET's query string is short enough to be worth reading.
///
/// # Errors
/// Over [`MAX_QUERY_STRING_BYTES`] (414).
pub fn check_query_string(uri: &axum::http::Uri) -> Result<(), Rejection> {
    if uri.query().map_or(0, str::len) > MAX_QUERY_STRING_BYTES {
        return Err(Rejection::new(
            StatusCode::URI_TOO_LONG,
            "URI_TOO_LONG",
            "the query string is too long; send the query by POST",
        ));
    }
    Ok(())
}

/// The request a GET carries in its query string (its query may be a persisted one's).
///
/// # Errors
/// `variables` or `extensions` that are not JSON, or a malformed request (400); a persisted
/// query's errors.
pub fn from_get(
    raw: &[(String, String)],
    persisted: &PersistedQueries,
) -> Result<Params, Rejection> {
    let mut obj = Map::new();
    for (key, value) in raw {
        let parsed = match key.as_str() {
            "query" | "operationName" => Value::String(value.clone()),
            "variables" | "extensions" => serde_json::from_str(value)
                .map_err(|_| Rejection::bad_request(format!("`{key}` is not JSON")))?,
            _ => continue,
        };
        obj.insert(key.clone(), parsed);
    }
    from_object(&obj, persisted)
}

fn from_object(
    obj: &Map<String, Value>,
    persisted: &PersistedQueries,
) -> Result<Params, Rejection> {
    let query = match obj.get("query") {
        Some(Value::String(q)) => Some(q.clone()),
        Some(_) => return Err(Rejection::bad_request("`query` must be a string")),
        None => None,
    };
    let operation_name = match obj.get("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(Rejection::bad_request(
                "`operationName` must be a string or null",
            ));
        }
    };
    let object = |key: &str| match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m.clone())),
        Some(_) => Err(Rejection::bad_request(format!(
            "`{key}` must be an object or null"
        ))),
    };
    let extensions = object("extensions")?;
    Ok(Params {
        query: persisted.resolve(query, extensions.as_ref())?,
        operation_name,
        variables: object("variables")?,
        extensions,
    })
}

/// Refuses anything but a query by GET, when the document parses (one that does not runs, and
/// reports why).
///
/// # Errors
/// A mutation or subscription (405, `Allow: POST`).
pub fn only_queries(doc: Option<&ExecutableDocument>, params: &Params) -> Result<(), Rejection> {
    let not_query = doc
        .and_then(|d| operation_type(d, params.operation_name.as_deref()))
        .is_some_and(|t| t != OperationType::Query);
    if not_query {
        return Err(Rejection::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "only queries may be sent by GET",
        ));
    }
    Ok(())
}

/// The type of the operation a request would run, when its document parses.
fn operation_type(doc: &ExecutableDocument, operation_name: Option<&str>) -> Option<OperationType> {
    doc.operations
        .iter()
        .find(|(name, _)| match operation_name {
            Some(wanted) => name.is_some_and(|n| n.as_str() == wanted),
            None => true,
        })
        .map(|(_, op)| op.node.ty)
}

impl Params {
    /// The request to execute.
    pub fn to_request(&self) -> async_graphql::Request {
        let mut req = async_graphql::Request::new(self.query.clone());
        if let Some(name) = &self.operation_name {
            req = req.operation_name(name.clone());
        }
        if let Some(vars) = &self.variables {
            req = req.variables(async_graphql::Variables::from_json(Value::Object(
                vars.clone(),
            )));
        }
        if let Some(ext) = &self.extensions {
            for (k, v) in ext {
                if let Ok(v) = async_graphql::Value::from_json(v.clone()) {
                    req.extensions.insert(k.clone(), v);
                }
            }
        }
        req
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_queries_pass_as_queries() {
        let parse = |q| async_graphql::parser::parse_query(q).expect("parses");
        assert_eq!(
            operation_type(&parse("{ a }"), None),
            Some(OperationType::Query)
        );
        let two = parse("query A { a } mutation B { b }");
        assert_eq!(
            operation_type(&two, Some("B")),
            Some(OperationType::Mutation)
        );
        assert_eq!(operation_type(&two, Some("C")), None);
    }

    #[test]
    fn malformed_requests_are_rejected_with_what_is_wrong() {
        let get = |pairs: &[(&str, &str)]| {
            let raw: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            from_get(&raw, &PersistedQueries::default())
                .map(|p| p.query)
                .map_err(|r| r.message().to_owned())
        };
        assert_eq!(get(&[("query", "{a}"), ("x", "1")]), Ok("{a}".to_owned()));
        assert_eq!(get(&[]), Err("`query` is missing".to_owned()));
        assert_eq!(
            get(&[("query", "{a}"), ("variables", "{")]),
            Err("`variables` is not JSON".to_owned())
        );
        assert_eq!(
            get(&[("query", "{a}"), ("variables", "[1]")]),
            Err("`variables` must be an object or null".to_owned())
        );
    }
}
