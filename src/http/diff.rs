//! `GET /documents/{id}/diff?from=&to=`: what changed on a page between two of its stored
//! versions, drawn as an HTML page: each passage added (`<ins>`), removed (`<del>`) or reworded
//! (its words inserted and deleted in place), under its headings, linked to its place on the
//! live page. `from` and `to` are version IDs (`Document.versions`); by default the previous
//! and the latest. It is the diff GraphQL's `Document.diff` gives ([`crate::read::diff`]).
//!
//! Cacheable like `/dashboard`: its ETag is derived from the dataset version and the
//! parameters. A malformed ID, or a version of another page, is answered 400; a page that is
//! not stored, 404. No script; one hashed inline style sheet.

use std::fmt::Write as _;
use std::sync::LazyLock;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use entity::document;
use sea_orm::EntityTrait;

use super::caching;
use super::csp::Policy;
use super::dashboard::text::escape;
use super::licence::ATTRIBUTION;
use super::state::AppState;
use crate::read::diff::{Action, Operation, SpanKind};
use crate::read::filter::parameter;
use crate::read::ids::{NodeType, decode};
use crate::read::source;
use crate::read::versions::{self, CompareError, Compared};

/// The page's content type.
const CONTENT_TYPE: &str = "text/html; charset=utf-8";

/// The parameters the answer depends on.
const PARAMETERS: &[&str] = &["document", "from", "to"];

/// The page's style sheet.
const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; margin: 1.5rem;
  color: #1A1A1A; background: #FFFFFF; font-size: 16px; line-height: 1.5; max-width: 60rem; }
h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
.op { border-left: 4px solid #C8C8C8; padding: 0.25rem 0.75rem; margin: 0.75rem 0; overflow-wrap: anywhere; }
.op.added { border-color: #009E73; } .op.removed { border-color: #D55E00; } .op.changed { border-color: #0072B2; }
.where { color: #4A4A4A; font-size: 0.9rem; }
ins { background: #D8F3E6; text-decoration: underline; }
del { background: #FBE0D2; text-decoration: line-through; }
del + ins { margin-left: 0.3em; }
.note { color: #4A4A4A; }
";

/// The page's Content-Security-Policy: no script, [`STYLE`] its one inline style.
static POLICY: LazyLock<Policy> = LazyLock::new(|| Policy::new(&[], &[STYLE]));

/// A version parameter: absent when empty; given twice, an error (the rule of every route's
/// parameters, [`parameter`]).
fn version(raw: &[(String, String)], name: &str) -> Result<Option<i64>, String> {
    let Some(value) = parameter(raw, name)? else {
        return Ok(None);
    };
    match decode(value) {
        Ok((NodeType::DocumentVersion, id)) => Ok(Some(id)),
        _ => Err(format!("parameter `{name}`: {value:?} is not a version ID")),
    }
}

fn plain(status: StatusCode, message: String) -> Response {
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response();
    caching::mark_uncacheable(response.headers_mut());
    response
}

/// GET /documents/{id}/diff.
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(raw): Query<Vec<(String, String)>>,
) -> Response {
    let document = match decode(&id) {
        Ok((NodeType::Document, row)) => row,
        _ => {
            return plain(
                StatusCode::BAD_REQUEST,
                format!("{id:?} is not a document ID"),
            );
        }
    };
    let (from, to) = match (version(&raw, "from"), version(&raw, "to")) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(why), _) | (_, Err(why)) => return plain(StatusCode::BAD_REQUEST, why),
    };
    let db_version = state.executor.dataset_version().await;
    let key = [
        ("document".to_owned(), id.clone()),
        (
            "from".to_owned(),
            from.map(|v| v.to_string()).unwrap_or_default(),
        ),
        (
            "to".to_owned(),
            to.map(|v| v.to_string()).unwrap_or_default(),
        ),
    ];
    let etag = caching::etag_of(db_version, CONTENT_TYPE, &key, PARAMETERS);
    let max_age = state.config.cache_max_age;
    if caching::client_has(&headers, &etag) {
        return caching::not_modified(&etag, max_age);
    }
    let page = match document::Entity::find_by_id(document).one(&state.db).await {
        Ok(Some(page)) => page,
        Ok(None) => return plain(StatusCode::NOT_FOUND, format!("no document {id}")),
        Err(e) => return failed(&e),
    };
    let compared = match versions::compare(&state.db, document, from, to).await {
        Ok(compared) => compared,
        Err(CompareError::NotOfDocument(v)) => {
            let v = crate::read::ids::encode(NodeType::DocumentVersion, v);
            return plain(
                StatusCode::BAD_REQUEST,
                format!("{v} is not a version of this document"),
            );
        }
        Err(CompareError::Db(e)) => return failed(&e),
    };
    let html = render(&page, compared.as_ref());
    let mut response = ([(header::CONTENT_TYPE, CONTENT_TYPE)], html).into_response();
    POLICY.apply(&mut response);
    caching::mark_cacheable(response.headers_mut(), &etag, max_age);
    response
}

fn failed(e: &sea_orm::DbErr) -> Response {
    tracing::error!(error = %e, "a diff could not be read");
    plain(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the diff could not be read".to_owned(),
    )
}

/// The whole page.
fn render(page: &document::Model, compared: Option<&Compared>) -> String {
    let title = escape(&page.title);
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Changes: {title}</title><style>{STYLE}</style></head><body>\
         <h1>What changed: <a href=\"{url}\">{title}</a></h1>",
        url = escape(&page.url),
    );
    match compared {
        None => out.push_str(
            "<p class=\"note\">This page has one stored version: nothing to compare.</p>",
        ),
        Some(c) => {
            let _ = write!(
                out,
                "<p class=\"where\">From the copy fetched {} to the copy fetched {}.</p>",
                c.from.fetched_at.format("%-d %b %Y %H:%M UTC"),
                c.to.fetched_at.format("%-d %b %Y %H:%M UTC"),
            );
            match &c.operations {
                None => out.push_str(
                    "<p class=\"note\">One of these versions was stored before caregraph kept \
                     what pages said, so they cannot be compared.</p>",
                ),
                Some(ops) if ops.is_empty() => {
                    out.push_str("<p class=\"note\">No passage changed.</p>");
                }
                Some(ops) => {
                    for op in ops {
                        operation(&mut out, &page.url, op);
                    }
                }
            }
        }
    }
    let _ = write!(out, "<p class=\"note\">{ATTRIBUTION}</p></body></html>");
    out
}

/// One operation: its place (headings, linked to the anchor on the live page) and its words.
fn operation(out: &mut String, page: &str, op: &Operation) {
    let (class, what) = match op.action {
        Action::Added => ("added", "Added"),
        Action::Removed => ("removed", "Removed"),
        Action::Changed => ("changed", "Changed"),
    };
    let place = if op.headings.is_empty() {
        "Top of the page".to_owned()
    } else {
        op.headings.join(" › ")
    };
    let link = source::url(page, op.anchor.as_deref());
    let _ = write!(
        out,
        "<section class=\"op {class}\" data-action=\"{class}\"><p class=\"where\">{what} · \
         <a href=\"{}\">{}</a></p><p>",
        escape(&link),
        escape(&place),
    );
    match op.action {
        Action::Added => {
            let _ = write!(
                out,
                "<ins>{}</ins>",
                escape(op.after.as_deref().unwrap_or(""))
            );
        }
        Action::Removed => {
            let _ = write!(
                out,
                "<del>{}</del>",
                escape(op.before.as_deref().unwrap_or(""))
            );
        }
        Action::Changed => {
            for span in &op.spans {
                let text = escape(&span.text);
                let _ = match span.kind {
                    SpanKind::Kept => write!(out, "{text}"),
                    SpanKind::Inserted => write!(out, "<ins>{text}</ins>"),
                    SpanKind::Deleted => write!(out, "<del>{text}</del>"),
                };
            }
        }
    }
    out.push_str("</p></section>");
}
