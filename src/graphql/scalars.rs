//! Scalars of our own.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar date, ISO 8601 ("2021-08-01").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// A calendar date, ISO 8601 ("2021-08-01").
#[Scalar(
    name = "Date",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => read(s).map(Date).ok_or_else(|| {
                InputValueError::custom(format!("{s:?} is not a date (YYYY-MM-DD)"))
            }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    /// Checked at validation too, for literals and variables alike, so that a date that is
    /// not one is a request error (GraphQL-over-HTTP: 400), not a field error after the
    /// request began to run.
    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(s) if read(s).is_some())
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// A full date as RFC 3339 writes it.
fn read(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A stored date as the schema's [`Date`].
pub fn date(d: Option<NaiveDate>) -> Option<Date> {
    d.map(Date)
}
