//! The query parameters the dashboard and the export files share: a date window, a delivery
//! status and a subject (a commitment or a strategy), each read one way, with an error that
//! names the parameter.

use chrono::NaiveDate;
use entity::DeliveryStatus;
use sea_orm::{ActiveEnum, Iterable};

use crate::read::ids::{NodeType, decode};

/// What a `subject` parameter names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A commitment (its milestones, reports and pages), by row ID.
    Commitment(i64),
    /// A strategy (its workstreams, commitments and pages), by row ID.
    Strategy(i64),
}

/// A `from` or `to` date: strictly `YYYY-MM-DD` (chrono alone also takes unpadded months and
/// days).
///
/// # Errors
/// Any other text, naming the parameter.
pub fn date(name: &str, value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| value.len() == 10)
        .ok_or_else(|| {
            format!("parameter `{name}`: {value:?} is not a date in the form YYYY-MM-DD")
        })
}

/// A `status`: a delivery status's name, as the GraphQL API prints it (`ON_TRACK`).
///
/// # Errors
/// Any other text, listing the names.
pub fn status(value: &str) -> Result<DeliveryStatus, String> {
    DeliveryStatus::iter().find(|s| *s == value).ok_or_else(|| {
        let names: Vec<String> = DeliveryStatus::iter().map(|s| s.to_value()).collect();
        format!(
            "parameter `status`: {value:?} is not a delivery status (one of {})",
            names.join(", ")
        )
    })
}

/// A `subject`: the global ID of a commitment or a strategy.
///
/// # Errors
/// A malformed ID, or one of another type.
pub fn subject(value: &str) -> Result<Subject, String> {
    match decode(value) {
        Ok((NodeType::Commitment, id)) => Ok(Subject::Commitment(id)),
        Ok((NodeType::Strategy, id)) => Ok(Subject::Strategy(id)),
        Ok((kind, _)) => Err(format!(
            "parameter `subject`: {value:?} is the ID of a {}, not of a Commitment or a Strategy",
            kind.name()
        )),
        Err(_) => Err(format!(
            "parameter `subject`: {value:?} is not a valid node ID"
        )),
    }
}

/// `from` after `to`, as an error, when both are given.
///
/// # Errors
/// The window is empty.
pub fn window(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<(), String> {
    match (from, to) {
        (Some(f), Some(t)) if f > t => Err(format!(
            "parameter `from` ({f}) is after parameter `to` ({t})"
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    /// A query string's pairs, as the handlers receive them.
    pub(crate) fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }
}
