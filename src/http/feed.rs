//! `GET /changes.atom`: the change feed as Atom 1.0 (RFC 4287), for feed readers, chat
//! channels and email digests: "tell me when a milestone slips" is
//! `/changes.atom?subjectType=Milestone&field=endDate&action=CHANGED`.
//!
//! It takes the filters of GraphQL's `changes(filter:)` as query parameters: `subjectType` (a
//! type's name, e.g. `Milestone`), `action` (`ADDED`, `REMOVED`, `CHANGED`), `field` (a
//! recorded field's name, e.g. `endDate`), `since` (RFC 3339) and `subject` (an entity's global
//! ID); and `before` (a change's global ID), the page of older changes its `next` link gives
//! (RFC 5005). A page holds the newest [`PAGE`] changes. Each entry's `id` is the change's
//! global ID, its title says what happened in words (the read layer's
//! [`headline`](crate::read::changes::headline)), its summary lists every field changed, and it
//! links the page the change was read from and, when that page has an earlier version, its diff.
//!
//! Cacheable like the exports: the ETag is the dataset version's and the parameters'. A
//! parameter that cannot be read is answered 400 naming it.

use atom_syndication::{Entry, Feed, Link, Person, Text};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, Utc};
use entity::{ChangeAction, SubjectType};
use sea_orm::{ActiveEnum, DbErr, QuerySelect};

use super::caching;
use super::licence::ATTRIBUTION_TEXT;
use super::request::percent_encode;
use super::state::AppState;
use crate::read::changes::{self, Query as Changes, check_field, fields_of, headline, summary};
use crate::read::filter::parameter;
use crate::read::ids::{NodeType, decode, encode};
use crate::read::versions;

/// Changes per page of the feed.
pub const PAGE: u64 = 50;

/// The feed's content type.
const CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";

/// The parameters the feed reads, in the order its links write them.
const PARAMETERS: &[&str] = &[
    "subjectType",
    "action",
    "field",
    "since",
    "subject",
    "before",
];

/// How a page links the feed (`<head>`), so feed readers find it.
pub const ALTERNATE: &str = "<link rel=\"alternate\" type=\"application/atom+xml\" \
    title=\"What each ingest changed\" href=\"/changes.atom\">";

/// The parameters given, in [`PARAMETERS`]' order (empty ones are none; a repeated one is an
/// error, as on every route: [`parameter`]).
fn given(raw: &[(String, String)]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for name in PARAMETERS {
        if let Some(value) = parameter(raw, name)? {
            out.push(((*name).to_owned(), value.to_owned()));
        }
    }
    Ok(out)
}

/// The selection the parameters ask for.
fn query(params: &[(String, String)]) -> Result<Changes, String> {
    let mut q = Changes::default();
    for (name, value) in params {
        match name.as_str() {
            "subjectType" => {
                q.subject_type = Some(
                    SubjectType::try_from_value(value)
                        .map_err(|_| format!("parameter `subjectType`: no type {value:?}"))?,
                );
            }
            "action" => {
                q.action = Some(ChangeAction::try_from_value(value).map_err(|_| {
                    format!("parameter `action`: {value:?} is not ADDED, REMOVED or CHANGED")
                })?);
            }
            "field" => {
                check_field(value).map_err(|why| format!("parameter `field`: {why}"))?;
                q.field = Some(value.clone());
            }
            "since" => {
                let at = DateTime::parse_from_rfc3339(value)
                    .map_err(|_| format!("parameter `since`: {value:?} is not an RFC 3339 time"))?;
                q.since = Some(at.with_timezone(&Utc));
            }
            "subject" => {
                let (kind, row) = decode(value)
                    .map_err(|_| format!("parameter `subject`: {value:?} is not an ID"))?;
                let kind = SubjectType::try_from_value(&kind.name().to_owned())
                    .map_err(|_| format!("parameter `subject`: no changes of a {}", kind.name()))?;
                q.subject = Some((kind, row));
            }
            _ => match decode(value) {
                Ok((NodeType::Change, row)) => q.before = Some(row),
                _ => {
                    return Err(format!(
                        "parameter `before`: {value:?} is not a change's ID"
                    ));
                }
            },
        }
    }
    Ok(q)
}

/// GET /changes.atom.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(raw): Query<Vec<(String, String)>>,
) -> Response {
    let params = match given(&raw).and_then(|p| query(&p).map(|q| (p, q))) {
        Ok(parsed) => parsed,
        Err(why) => {
            return (
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                why,
            )
                .into_response();
        }
    };
    let (params, q) = params;
    let version = state.executor.dataset_version().await;
    let etag = caching::etag_of(version, "changes.atom", &params, PARAMETERS);
    let max_age = state.config.cache_max_age;
    if caching::client_has(&headers, &etag) {
        return caching::not_modified(&etag, max_age);
    }
    // Absolute links, from the address the client used.
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let base = format!("http://{host}");
    match feed(&state, &base, &params, &q).await {
        Ok(xml) => {
            let mut response = ([(header::CONTENT_TYPE, CONTENT_TYPE)], xml).into_response();
            caching::mark_cacheable(response.headers_mut(), &etag, max_age);
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "the change feed could not be read");
            let mut response = (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the change feed could not be read",
            )
                .into_response();
            caching::mark_uncacheable(response.headers_mut());
            response
        }
    }
}

/// A query string of `pairs`, percent-encoded; empty without any.
fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let encoded: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect();
    if encoded.is_empty() {
        String::new()
    } else {
        format!("?{}", encoded.join("&"))
    }
}

fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    Link {
        href,
        rel: rel.to_owned(),
        mime_type: mime.map(str::to_owned),
        ..Link::default()
    }
}

/// The feed's XML.
async fn feed(
    state: &AppState,
    base: &str,
    params: &[(String, String)],
    q: &Changes,
) -> Result<String, DbErr> {
    let rows = changes::select(q).limit(PAGE + 1).all(&state.db).await?;
    let more = rows.len() > usize::try_from(PAGE).unwrap_or(usize::MAX);
    let rows: Vec<_> = rows
        .into_iter()
        .take(usize::try_from(PAGE).unwrap_or(0))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let fields = fields_of(&state.db, &ids).await?;
    let stored =
        versions::of_documents(&state.db, rows.iter().filter_map(|c| c.document_id)).await?;
    let fixed = |t: DateTime<Utc>| -> DateTime<FixedOffset> { t.fixed_offset() };
    let mut entries = Vec::with_capacity(rows.len());
    for c in &rows {
        let none = Vec::new();
        let said = fields.get(&c.id).unwrap_or(&none);
        let mut links = Vec::new();
        if let Some(url) = &c.source_url {
            links.push(link(url.clone(), "alternate", Some("text/html")));
        }
        let diff = c
            .document_id
            .and_then(|d| versions::diff_of_run(stored.get(&d)?, c.run_id));
        if let Some(path) = diff {
            links.push(link(format!("{base}{path}"), "related", Some("text/html")));
        }
        let text = summary(said);
        entries.push(Entry {
            title: Text::plain(headline(c, said)),
            id: format!("{base}/changes.atom#{}", encode(NodeType::Change, c.id)),
            updated: fixed(c.at),
            links,
            summary: Some(Text::plain(if text.is_empty() {
                c.label.clone()
            } else {
                text
            })),
            ..Entry::default()
        });
    }
    let updated = match rows.first() {
        Some(c) => c.at,
        None => crate::read::runs::last_finished(&state.db)
            .await?
            .unwrap_or_default(),
    };
    // The filters without the page: the first page's address, and the feed's identity.
    let filters = || {
        params
            .iter()
            .filter(|(k, _)| k != "before")
            .map(|(k, v)| (k.as_str(), v.as_str()))
    };
    let page = |query: String| format!("{base}/changes.atom{query}");
    let all = params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let mut links = vec![
        link(
            page(query_string(all)),
            "self",
            Some("application/atom+xml"),
        ),
        link(format!("{base}/dashboard"), "alternate", Some("text/html")),
        link(
            page(query_string(filters())),
            "first",
            Some("application/atom+xml"),
        ),
    ];
    if let (true, Some(last)) = (more, rows.last()) {
        let before = encode(NodeType::Change, last.id);
        let mut next: Vec<(&str, &str)> = filters().collect();
        next.push(("before", &before));
        links.push(link(
            page(query_string(next)),
            "next",
            Some("application/atom+xml"),
        ));
    }
    let feed = Feed {
        title: Text::plain("caregraph: what each ingest changed"),
        id: page(query_string(filters())),
        updated: fixed(updated),
        authors: vec![Person {
            name: "caregraph".to_owned(),
            ..Person::default()
        }],
        links,
        rights: Some(Text::plain(ATTRIBUTION_TEXT)),
        entries,
        ..Feed::default()
    };
    Ok(feed.to_string())
}
