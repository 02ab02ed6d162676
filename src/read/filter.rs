//! The filter a dashboard view and its downloads share: a date window, a delivery status (or
//! rows without one) and a subject (a commitment or a strategy), read from query parameters
//! one way, with an error that names the parameter. `/dashboard` and every `/export/` file
//! parse the same parameters with [`Filter::parse`], and the page links its files with
//! [`Filter::query`], so a view and its downloads ask for the same rows.

use chrono::NaiveDate;
use entity::DeliveryStatus;
use sea_orm::{ActiveEnum, Iterable};

use super::ids::{NodeType, decode, encode};

/// The query parameters a filter reads, in the order [`Filter::query`] writes them.
pub const PARAMETERS: [&str; 4] = ["from", "to", "status", "subject"];

/// What a `subject` parameter names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A commitment (its milestones, reports and pages), by row ID.
    Commitment(i64),
    /// A strategy (its workstreams, commitments and pages), by row ID.
    Strategy(i64),
}

impl Subject {
    /// The subject's global ID.
    pub fn id(self) -> String {
        match self {
            Self::Commitment(id) => encode(NodeType::Commitment, id),
            Self::Strategy(id) => encode(NodeType::Strategy, id),
        }
    }
}

/// A status filter: one delivery status, or rows (of a kind that has a status) without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    /// Rows whose latest status is this one.
    Is(DeliveryStatus),
    /// Rows without a status.
    None,
}

impl StatusFilter {
    /// The parameter's value: the status's name as the GraphQL API prints it (`ON_TRACK`), or
    /// `NONE`.
    pub fn name(self) -> String {
        match self {
            Self::Is(s) => s.to_value(),
            Self::None => "NONE".to_owned(),
        }
    }

    /// Every choice, in the order a form lists them.
    pub fn all() -> impl Iterator<Item = Self> {
        DeliveryStatus::iter().map(Self::Is).chain([Self::None])
    }
}

/// A delivery status's name, as the GraphQL API prints it (`ON_TRACK`); empty for none.
pub fn status_name(status: Option<DeliveryStatus>) -> String {
    status.map(|s| s.to_value()).unwrap_or_default()
}

/// A view's filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// The window's first day.
    pub from: Option<NaiveDate>,
    /// The window's last day.
    pub to: Option<NaiveDate>,
    /// Only rows of this status.
    pub status: Option<StatusFilter>,
    /// Only the rows of this commitment or strategy.
    pub subject: Option<Subject>,
}

impl Filter {
    /// Whether either end of the window is set: a window selects dated rows, and leaves
    /// undated ones out of every file.
    pub fn is_windowed(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// Reads the parameters. An empty one (an untouched form field) is absent; others are
    /// ignored.
    ///
    /// # Errors
    /// A message naming the parameter that is malformed, unknown or repeated, or `from` after
    /// `to`.
    pub fn parse(raw: &[(String, String)]) -> Result<Self, String> {
        let mut filter = Self::default();
        for name in PARAMETERS {
            let Some(value) = parameter(raw, name)? else {
                continue;
            };
            match name {
                "from" => filter.from = Some(date(name, value)?),
                "to" => filter.to = Some(date(name, value)?),
                "status" => filter.status = Some(status(value)?),
                _ => filter.subject = Some(subject(value)?),
            }
        }
        if let (Some(f), Some(t)) = (filter.from, filter.to)
            && f > t
        {
            return Err(format!(
                "parameter `from` ({f}) is after parameter `to` ({t})"
            ));
        }
        Ok(filter)
    }

    /// The filter as query parameters, in [`PARAMETERS`] order: what a link to the same view
    /// (or to its files) carries, and what its ETag is made of.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(from) = self.from {
            pairs.push(("from".to_owned(), from.to_string()));
        }
        if let Some(to) = self.to {
            pairs.push(("to".to_owned(), to.to_string()));
        }
        if let Some(status) = self.status {
            pairs.push(("status".to_owned(), status.name()));
        }
        if let Some(subject) = self.subject {
            pairs.push(("subject".to_owned(), subject.id()));
        }
        pairs
    }

    /// [`Self::pairs`] as a query string with its `?`, or empty for no filter. Dates, status
    /// names and IDs (base64url) need no escaping.
    pub fn query(&self) -> String {
        let pairs: Vec<String> = self
            .pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }
}

/// The value of the query parameter `name`, trimmed: `None` when it is absent or empty (an
/// untouched form field).
///
/// # Errors
/// A message naming the parameter when it is given (not empty) more than once.
pub fn parameter<'a>(raw: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, String> {
    let mut given = raw
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty());
    let value = given.next();
    if given.next().is_some() {
        return Err(format!("parameter `{name}` is given more than once"));
    }
    Ok(value)
}

/// A `from` or `to` date: strictly `YYYY-MM-DD` (chrono alone also takes unpadded months and
/// days).
fn date(name: &str, value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| value.len() == 10)
        .ok_or_else(|| {
            format!("parameter `{name}`: {value:?} is not a date in the form YYYY-MM-DD")
        })
}

/// A `status`: a delivery status's name, or `NONE` for rows without one.
fn status(value: &str) -> Result<StatusFilter, String> {
    StatusFilter::all()
        .find(|s| s.name() == value)
        .ok_or_else(|| {
            let names: Vec<String> = StatusFilter::all().map(StatusFilter::name).collect();
            format!(
                "parameter `status`: {value:?} is not a delivery status (one of {})",
                names.join(", ")
            )
        })
}

/// A `subject`: the global ID of a commitment or a strategy.
fn subject(value: &str) -> Result<Subject, String> {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A query string's pairs, as the handlers receive them.
    pub(crate) fn pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn bad_parameters_are_named_and_empty_ones_are_absent() {
        let err = |p: &[(&str, &str)]| Filter::parse(&pairs(p)).err().unwrap_or_default();
        assert!(err(&[("from", "2022-13-01")]).contains("`from`"));
        assert!(err(&[("to", "2022-1-1")]).contains("`to`"));
        assert!(err(&[("status", "ON_SCHEDULE")]).contains("`status`"));
        assert!(err(&[("subject", "nope!")]).contains("`subject`"));
        assert!(err(&[("from", "2023-01-01"), ("to", "2022-01-01")]).contains("`from`"));
        assert!(err(&[("status", "COMPLETED"), ("status", "COMPLETED")]).contains("`status`"));
        let milestone = encode(NodeType::Milestone, 1);
        assert!(err(&[("subject", &milestone)]).contains("Milestone"));
        let filter = Filter::parse(&pairs(&[("from", ""), ("status", "NONE"), ("page", "2")]));
        assert_eq!(
            filter,
            Ok(Filter {
                status: Some(StatusFilter::None),
                ..Filter::default()
            })
        );
    }

    #[test]
    fn good_parameters_are_read() {
        let commitment = encode(NodeType::Commitment, 7);
        let f = Filter::parse(&pairs(&[
            ("from", "2022-01-31"),
            ("status", "ON_TRACK"),
            ("subject", &commitment),
            ("other", "ignored"),
        ]))
        .unwrap_or_default();
        assert_eq!(f.from, NaiveDate::from_ymd_opt(2022, 1, 31));
        assert_eq!(f.to, None);
        assert_eq!(f.status, Some(StatusFilter::Is(DeliveryStatus::OnTrack)));
        assert_eq!(f.subject, Some(Subject::Commitment(7)));
    }

    #[test]
    fn a_filter_reads_back_from_its_own_query() {
        let filter = Filter {
            from: NaiveDate::from_ymd_opt(2021, 11, 1),
            to: NaiveDate::from_ymd_opt(2021, 11, 30),
            status: Some(StatusFilter::Is(DeliveryStatus::OnTrack)),
            subject: Some(Subject::Commitment(7)),
        };
        let query = filter.query();
        assert!(
            query.starts_with("?from=2021-11-01&to=2021-11-30&status=ON_TRACK&subject="),
            "{query}"
        );
        assert_eq!(Filter::parse(&filter.pairs()), Ok(filter));
        assert_eq!(Filter::default().query(), "");
    }
}
