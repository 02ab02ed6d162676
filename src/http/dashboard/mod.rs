//! `GET /dashboard`: the delivery timeline as one HTML page, drawn on the server as SVG.
//!
//! One row per milestone (under its commitment) and per workstream (under its priority area):
//! a bar for a date range, a diamond for a single day or deadline, ticks for the progress
//! reports on a milestone, colours by latest status, and a line for today. A table below the
//! chart lists every row, undated ones too, for screen readers and copying.
//!
//! The view is chosen by a plain GET form whose fields are the query parameters, so a view can
//! be linked: `from` and `to` (`YYYY-MM-DD`, either may be empty), `status` (a delivery status
//! such as `ON_TRACK`, or `NONE` for rows without one) and `subject` (the global ID of a
//! commitment or a strategy). A parameter that cannot be read is answered 400.
//!
//! The page reads the same database as `/graphql` and follows the same freshness rules (see
//! [`crate::executor`]): its ETag is derived from the dataset version read before anything
//! else, the view and today's date, and a matching `If-None-Match` is answered 304.
//! Everything the page needs is in it: no script, font or style sheet comes from elsewhere.
//!
//! # Layout
//! - [`data`]: reading the rows;
//! - [`svg`]: drawing the chart;
//! - [`page`]: the page around it (form, legend, table) and escaping.

pub mod data;
pub mod page;
pub mod svg;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use entity::DeliveryStatus;
use sea_orm::ActiveEnum;

use super::state::AppState;
use super::{caching, params};
use data::{Group, Subject};

/// The page's content type.
const CONTENT_TYPE: &str = "text/html; charset=utf-8";

/// The parameters the answer depends on, for its ETag (`today` is added by the server).
const PARAMETERS: &[&str] = &["from", "to", "status", "subject", "today"];

/// The status filter: one delivery status, or rows without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    /// Rows whose latest status is this one.
    Is(DeliveryStatus),
    /// Rows without a status.
    None,
}

impl StatusFilter {
    /// Whether a row with `status` passes.
    fn admits(self, status: Option<DeliveryStatus>) -> bool {
        match self {
            Self::Is(s) => status == Some(s),
            Self::None => status.is_none(),
        }
    }
}

/// The view a request asks for, read from its query parameters.
#[derive(Clone, Debug, Default)]
pub struct View {
    /// The first day shown.
    pub from: Option<NaiveDate>,
    /// The last day shown.
    pub to: Option<NaiveDate>,
    /// Only rows of this status.
    pub status: Option<StatusFilter>,
    /// Only rows of this commitment or strategy, and its global ID as given.
    pub subject: Option<(Subject, String)>,
}

impl View {
    /// Reads the parameters; empty ones (an untouched form field) are absent, unknown ones are
    /// ignored.
    ///
    /// # Errors
    /// A message naming the parameter that cannot be read.
    pub fn parse(params: &[(String, String)]) -> Result<Self, String> {
        let mut view = Self::default();
        for (name, value) in params {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match name.as_str() {
                "from" => view.from = Some(params::date(name, value)?),
                "to" => view.to = Some(params::date(name, value)?),
                "status" => view.status = Some(status(value)?),
                "subject" => view.subject = Some((params::subject(value)?, value.to_owned())),
                _ => {}
            }
        }
        params::window(view.from, view.to)?;
        Ok(view)
    }

    /// The view's parameters, as the page links them, with today's date.
    fn key(&self, today: NaiveDate) -> Vec<(String, String)> {
        let mut key = vec![("today".to_owned(), today.to_string())];
        if let Some(from) = self.from {
            key.push(("from".to_owned(), from.to_string()));
        }
        if let Some(to) = self.to {
            key.push(("to".to_owned(), to.to_string()));
        }
        if let Some(status) = self.status {
            key.push(("status".to_owned(), status_name(status)));
        }
        if let Some((_, id)) = &self.subject {
            key.push(("subject".to_owned(), id.clone()));
        }
        key
    }

    /// Leaves out rows of another status, and dated rows outside the window; undated rows stay
    /// (they are listed, not drawn), and so do groups left empty by the status filter.
    fn narrow(&self, groups: Vec<Group>) -> Vec<Group> {
        groups
            .into_iter()
            .map(|mut g| {
                g.items.retain(|item| {
                    let status_ok = self.status.is_none_or(|s| s.admits(item.status));
                    let window_ok = item.span().is_none_or(|(first, last)| {
                        self.from.is_none_or(|f| last >= f) && self.to.is_none_or(|t| first <= t)
                    });
                    status_ok && window_ok
                });
                g
            })
            .filter(|g| !g.items.is_empty())
            .collect()
    }
}

/// A status filter: a delivery status, or `NONE` for rows without one.
fn status(value: &str) -> Result<StatusFilter, String> {
    if value == "NONE" {
        return Ok(StatusFilter::None);
    }
    params::status(value)
        .map(StatusFilter::Is)
        .map_err(|why| format!("{why}, or NONE"))
}

/// The parameter value of a status filter.
pub fn status_name(status: StatusFilter) -> String {
    match status {
        StatusFilter::Is(s) => s.to_value(),
        StatusFilter::None => "NONE".to_owned(),
    }
}

/// GET /dashboard.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(raw): Query<Vec<(String, String)>>,
) -> Response {
    let view = match View::parse(&raw) {
        Ok(view) => view,
        Err(why) => return (StatusCode::BAD_REQUEST, why).into_response(),
    };
    let today = chrono::Utc::now().date_naive();
    // The version is read first, so the answer is never older than its ETag says (rule 2).
    let version = state.executor.dataset_version().await;
    let etag = caching::etag_of(version, CONTENT_TYPE, &view.key(today), PARAMETERS);
    let max_age = state.config.cache_max_age;
    if caching::client_has(&headers, &etag) {
        return caching::not_modified(&etag, max_age);
    }
    match render(&state, &view, today).await {
        Ok(html) => {
            let mut response = ([(header::CONTENT_TYPE, CONTENT_TYPE)], html).into_response();
            page::POLICY.apply(&mut response);
            caching::mark_cacheable(response.headers_mut(), &etag, max_age);
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "the dashboard could not be read");
            let mut response = (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the dashboard could not be read",
            )
                .into_response();
            caching::mark_uncacheable(response.headers_mut());
            response
        }
    }
}

/// Reads the rows of the view and draws the page.
async fn render(state: &AppState, view: &View, today: NaiveDate) -> Result<String, sea_orm::DbErr> {
    let choices = data::choices(&state.db).await?;
    let groups = data::groups(&state.db, view.subject.as_ref().map(|s| s.0)).await?;
    let groups = view.narrow(groups);
    Ok(page::page(view, &choices, &groups, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::params::tests::pairs as params;

    #[test]
    fn empty_fields_are_absent_and_bad_ones_are_named() {
        let view = View::parse(&params(&[("from", ""), ("status", "NONE")])).expect("reads");
        assert!(view.from.is_none());
        assert_eq!(view.status, Some(StatusFilter::None));
        let why = View::parse(&params(&[("to", "2022-13-01")])).expect_err("bad date");
        assert!(why.contains("`to`"), "{why}");
        assert!(View::parse(&params(&[("status", "LATE")])).is_err());
        assert!(View::parse(&params(&[("subject", "nope")])).is_err());
        assert!(View::parse(&params(&[("from", "2023-01-01"), ("to", "2022-01-01")])).is_err());
    }
}
