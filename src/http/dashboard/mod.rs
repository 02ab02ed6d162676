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
//! - [`page`]: the page around it (form, legend, table);
//! - [`text`]: how both write a value (escaping, days, status names and colours).

pub mod data;
pub mod page;
pub mod svg;
pub mod text;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use super::caching;
use super::state::AppState;
use crate::read::filter::Filter;

/// The page's content type.
const CONTENT_TYPE: &str = "text/html; charset=utf-8";

/// The parameters the answer depends on, for its ETag (`today` is added by the server).
const PARAMETERS: &[&str] = &["from", "to", "status", "subject", "today"];

/// The view a request asks for: the filter its downloads share.
pub type View = Filter;

/// The view's parameters, as the page links them, with today's date: what its ETag is made of.
fn key(view: &View, today: NaiveDate) -> Vec<(String, String)> {
    let mut key = vec![("today".to_owned(), today.to_string())];
    key.extend(view.pairs());
    key
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
    let etag = caching::etag_of(version, CONTENT_TYPE, &key(&view, today), PARAMETERS);
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
    let groups = data::groups(&state.db, view).await?;
    Ok(page::page(view, &choices, &groups, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::filter::tests::pairs as params;

    #[test]
    fn empty_fields_are_absent_and_bad_ones_are_named() {
        let view = View::parse(&params(&[("from", ""), ("status", "NONE")])).expect("reads");
        assert!(view.from.is_none());
        assert_eq!(view.status, Some(crate::read::filter::StatusFilter::None));
        let why = View::parse(&params(&[("to", "2022-13-01")])).expect_err("bad date");
        assert!(why.contains("`to`"), "{why}");
        assert!(View::parse(&params(&[("status", "LATE")])).is_err());
        assert!(View::parse(&params(&[("subject", "nope")])).is_err());
        assert!(View::parse(&params(&[("from", "2023-01-01"), ("to", "2022-01-01")])).is_err());
    }
}
