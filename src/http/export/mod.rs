//! Exports for dashboards and calendars: the same data as `/graphql`, as files.
//!
//! | route | one row or event per |
//! |---|---|
//! | `GET /export/milestones.csv` | milestone of an Open Government commitment |
//! | `GET /export/workstreams.csv` | workstream of a delivery plan |
//! | `GET /export/timeline.ics` | dated event of the timeline (see [`crate::graphql::timeline`]) |
//!
//! Every route takes the same optional query parameters:
//! - `from`, `to` (`YYYY-MM-DD`): only items whose dates overlap `[from, to]` (either end may be
//!   left open); when either is given, undated items are left out;
//! - `status` (a delivery status name: `ON_TRACK`, `IN_PROGRESS`, `BEHIND_SCHEDULE`,
//!   `COMPLETED`, `NOT_STARTED`; or `NONE`): only items whose latest status is this one (or,
//!   with `NONE`, milestones and workstreams without one);
//! - `subject` (the global ID of a `Commitment` or a `Strategy`): only that commitment's
//!   milestones and events, or that strategy's workstreams and events. Milestones belong to
//!   commitments and workstreams to strategies, so a strategy's milestones, or a commitment's
//!   workstreams, are none (the header row alone).
//!
//! They are `/dashboard`'s parameters, read by the same [`Filter`], so a view's "Download this
//! view" links select the rows it shows (less the undated ones when it has a window, which it
//! lists but the files, dated by the window, leave out; the page says so). A malformed date, an
//! unknown status, a malformed ID or one of another type, a parameter given twice, or `from`
//! after `to` is answered 400 with a plain-text message naming the parameter. An empty
//! parameter is none; others than these and `bom` (below) are ignored (and do not change the
//! ETag).
//!
//! The CSV files are RFC 4180 text: rows end with CRLF, and cells are quoted only where they
//! must be. They are UTF-8 without a byte order mark, which pandas, Python's `csv` and most
//! tools read with no options; Excel on Windows, though, reads a file without a BOM in the
//! system's code page ("–" shows as "â€“"). For it, `bom=1` (Excel-friendly) puts a UTF-8 BOM
//! (`EF BB BF`) before the header row; `bom=0`, or none, is the default. Any other value, or
//! `bom` given twice, is a 400; the calendar, which is not read by spreadsheets, ignores it.
//! `bom` is part of the ETag, so the two variants are never answered 304 for each other.
//!
//! A cell that a spreadsheet would read as a formula (starting `=`, `+`, `-`, `@`, a tab or a
//! carriage return) is prefixed with `'` and quoted, as OWASP advises against CSV injection:
//! the page's text is kept, behind one apostrophe.
//!
//! Answers are cacheable like GET `/graphql` (see [`super::caching`]): the ETag is derived from
//! the dataset version, the file and the parameters, so a dashboard polling with
//! `If-None-Match` is answered 304 without any read until the next ingest.
//!
//! # Layout
//! - [`milestones`]: `milestones.csv` and its columns;
//! - [`workstreams`]: `workstreams.csv` and its columns;
//! - [`calendar`]: `timeline.ics` and its events;
//! - this file: the parameters, the caching and the shared response shape, and the paged CSV
//!   body both CSV files stream through.

pub mod calendar;
pub mod milestones;
pub mod workstreams;

use std::future::Future;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::DbErr;

use super::caching;
use super::state::AppState;
use crate::read::filter::{PARAMETERS, parameter};

/// Rows read from the database per statement: the most a CSV answer holds in memory at once.
pub const PAGE_ROWS: u64 = 500;

pub use crate::read::filter::{Filter, StatusFilter, Subject, status_name};

/// The export files, by the name they are served under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum File {
    Milestones,
    Workstreams,
    Timeline,
}

impl File {
    const ALL: [Self; 3] = [Self::Milestones, Self::Workstreams, Self::Timeline];

    fn name(self) -> &'static str {
        match self {
            Self::Milestones => "milestones.csv",
            Self::Workstreams => "workstreams.csv",
            Self::Timeline => "timeline.ics",
        }
    }

    /// Whether the file is CSV, which a spreadsheet may open (and so may ask for a BOM).
    fn is_csv(self) -> bool {
        matches!(self, Self::Milestones | Self::Workstreams)
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Milestones | Self::Workstreams => "text/csv; charset=utf-8",
            Self::Timeline => "text/calendar; charset=utf-8",
        }
    }

    /// The file's body for `filter`: the CSV files streamed a page of rows at a time, the
    /// calendar built whole.
    async fn body(self, state: &AppState, filter: Filter) -> Result<Body, DbErr> {
        Ok(match self {
            Self::Milestones => milestones::body(state.db.clone(), filter),
            Self::Workstreams => workstreams::body(state.db.clone(), filter),
            Self::Timeline => Body::from(calendar::body(&state.db, filter).await?),
        })
    }
}

/// GET /export/{file}: one handler for every file, whose name picks how its body is made.
pub async fn get(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    Query(raw): Query<Vec<(String, String)>>,
) -> Response {
    match File::ALL.into_iter().find(|f| f.name() == name) {
        Some(file) => answer(&state, &headers, &raw, file).await,
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The pipeline of every export: parameters (400), ETag and `If-None-Match` (304), then the
/// file's body, with its headers.
async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    raw: &[(String, String)],
    file: File,
) -> Response {
    let filter = match Filter::parse(raw) {
        Ok(f) => f,
        Err(message) => return bad_request(message),
    };
    let bom = match file.is_csv().then(|| wants_bom(raw)).transpose() {
        Ok(bom) => bom.unwrap_or(false),
        Err(message) => return bad_request(message),
    };
    let max_age = state.config.cache_max_age;
    let version = state.executor.dataset_version().await;
    let mut key = filter.pairs();
    if bom {
        key.push((BOM_PARAMETER.to_owned(), "1".to_owned()));
    }
    let names: Vec<&str> = PARAMETERS.iter().copied().chain([BOM_PARAMETER]).collect();
    let etag = caching::etag_of(version, file.name(), &key, &names);
    if caching::client_has(headers, &etag) {
        return caching::not_modified(&etag, max_age);
    }
    let body = match file.body(state, filter).await {
        Ok(body) if bom => with_bom(body),
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, export = file.name(), "export failed");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "the export could not be read from the database",
            )
                .into_response();
        }
    };
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type()),
    );
    if let Ok(disposition) =
        HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.name()))
    {
        h.insert(header::CONTENT_DISPOSITION, disposition);
    }
    caching::mark_cacheable(h, &etag, max_age);
    response
}

/// The parameter that asks for the Excel-friendly variant of a CSV file.
const BOM_PARAMETER: &str = "bom";

/// The UTF-8 byte order mark, by which Excel on Windows knows a CSV file is UTF-8.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether the request asks for a BOM: `bom=1` yes; `bom=0`, empty or absent no.
///
/// # Errors
/// A message naming the parameter when it is given twice or is neither `0` nor `1`.
fn wants_bom(raw: &[(String, String)]) -> Result<bool, String> {
    match parameter(raw, BOM_PARAMETER)? {
        None | Some("0") => Ok(false),
        Some("1") => Ok(true),
        Some(other) => Err(format!(
            "parameter `{BOM_PARAMETER}`: {other:?} is not 1 (a UTF-8 byte order mark first) or 0"
        )),
    }
}

/// `body` behind a UTF-8 byte order mark, still streamed.
fn with_bom(body: Body) -> Body {
    use async_graphql::futures_util::StreamExt;
    let bom = async_graphql::futures_util::stream::once(async {
        Ok::<Bytes, axum::Error>(Bytes::from_static(UTF8_BOM))
    });
    Body::from_stream(bom.chain(body.into_data_stream()))
}

fn bad_request(message: String) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}

/// A CSV body streamed page by page: the header row, then each page of rows `fetch` reads,
/// given the key of the last row of the page before (`None` for the first page), until it
/// answers `None`. One page is in memory at a time.
///
/// Each page is its own statement, reading on from the last row's key in a total order (by
/// index, so every page costs the same however far into the file it is), and no transaction
/// is held open while a slow client reads; an ingest that finishes mid-transfer can therefore
/// move a row across a page boundary. A client that polls by ETag sees the new version next time.
///
/// A database error after the first chunk can no longer change the status: it is logged and
/// the body is cut short, so a client sees a truncated transfer rather than a complete file.
pub fn paged_csv<K, F, Fut>(header: &'static [&'static str], fetch: F) -> Body
where
    K: Send + 'static,
    F: FnMut(Option<K>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Option<(Vec<Vec<String>>, K)>, DbErr>> + Send,
{
    enum Step<K> {
        Header,
        Page(Option<K>),
        Done,
    }
    let stream = async_graphql::futures_util::stream::unfold(
        (Step::Header, fetch),
        move |(step, mut fetch)| async move {
            match step {
                Step::Header => {
                    let chunk = csv_chunk(std::iter::once(header.iter().copied()));
                    Some((chunk, (Step::Page(None), fetch)))
                }
                Step::Page(after) => match fetch(after).await {
                    Ok(Some((rows, last))) => {
                        let chunk = csv_chunk(rows.iter().map(|r| r.iter().map(String::as_str)));
                        Some((chunk, (Step::Page(Some(last)), fetch)))
                    }
                    Ok(None) => None,
                    Err(e) => {
                        tracing::error!(error = %e, "export stopped by a database error");
                        Some((Err(std::io::Error::other(e)), (Step::Done, fetch)))
                    }
                },
                Step::Done => None,
            }
        },
    );
    // Fused: the compression layer's reader polls a body once more after its end, which an
    // `unfold` stream answers with a panic (and the client with a cut-off transfer).
    Body::from_stream(async_graphql::futures_util::StreamExt::fuse(stream))
}

/// The characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as a spreadsheet will read it as text: one starting with [`FORMULA_STARTS`] is
/// prefixed with `'` (OWASP's advice); others as they are.
fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Rows as CSV text (RFC 4180 quoting and CRLF line ends, by the `csv` crate). A row holding a cell that would
/// start a formula has that cell prefixed with `'` ([`neutralised`]) and every cell quoted.
fn csv_chunk<'a, R, F>(rows: R) -> Result<Bytes, std::io::Error>
where
    R: IntoIterator<Item = F>,
    F: IntoIterator<Item = &'a str>,
{
    let mut out: Vec<u8> = Vec::new();
    for row in rows {
        let cells: Vec<&str> = row.into_iter().collect();
        let risky = cells.iter().any(|c| c.starts_with(FORMULA_STARTS));
        let style = if risky {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        };
        let mut writer = csv::WriterBuilder::new()
            .quote_style(style)
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        writer
            .write_record(cells.iter().map(|c| neutralised(c).into_owned()))
            .map_err(std::io::Error::other)?;
        writer.flush()?;
    }
    Ok(Bytes::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn csv_bodies_are_the_header_then_each_page_in_turn() {
        let body = paged_csv(&["a", "b"], |after: Option<u32>| async move {
            let page = after.map_or(0, |p| p + 1);
            Ok((page < 3).then(|| (vec![vec![format!("{page}"), "x, \"y\"".to_owned()]], page)))
        });
        let bytes = axum::body::to_bytes(body, usize::MAX).await;
        let text = String::from_utf8(bytes.map(|b| b.to_vec()).unwrap_or_default());
        assert_eq!(
            text.unwrap_or_default(),
            "a,b\r\n0,\"x, \"\"y\"\"\"\r\n1,\"x, \"\"y\"\"\"\r\n2,\"x, \"\"y\"\"\"\r\n"
        );
    }

    #[test]
    fn cells_that_would_start_a_formula_are_neutralised_and_quoted() {
        let cells = ["=1+2", "+SUM(A1)", "-3", "@cmd", "\tTAB", "\rCR"];
        let bytes = csv_chunk([
            vec!["plain", "a, b"],
            std::iter::once("ok").chain(cells).collect(),
        ])
        .unwrap_or_default();
        let text = String::from_utf8(bytes.to_vec()).unwrap_or_default();
        // A row without such a cell is written as before; one with it is quoted whole.
        assert!(
            text.starts_with("plain,\"a, b\"\r\n\"ok\",\"'=1+2\""),
            "{text}"
        );
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().filter_map(Result::ok).collect();
        assert_eq!(rows.len(), 2);
        let read: Vec<&str> = rows[1].iter().collect();
        let expected: Vec<String> = std::iter::once("ok".to_owned())
            .chain(cells.iter().map(|c| format!("'{c}")))
            .collect();
        assert_eq!(read, expected);
    }
}
