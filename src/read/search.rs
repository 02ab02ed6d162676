//! Full-text search over passages, behind one interface for both backends.
//!
//! SQLite uses the tantivy index beside the database file (bm25 with block-max WAND, so a word
//! in most passages still ranks one page quickly); PostgreSQL uses the generated `tsvector`
//! column with `websearch_to_tsquery`, `ts_rank_cd` and `ts_headline`. A user string never
//! reaches a query syntax: it is cut into words, so `"`, `*`, `NEAR(` or a lone `-` are text.

use std::collections::HashMap;
use std::sync::Arc;

use entity::passage;
use ingest::IngestError;
use ingest::search_index::{SearchIndex, escape_html};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, Statement, Value,
};
use tokio::sync::OnceCell;

/// One ranked hit.
#[derive(Clone, Debug)]
pub struct Hit {
    /// The passage, read with its rank (so the resolver does not read it again).
    pub passage: passage::Model,
    /// An extract as HTML: the text escaped, matches wrapped in `<mark>`…`</mark>`.
    pub snippet: String,
    /// Relevance, higher is better.
    pub score: f64,
}

/// Where the database marks a match's start and end in a snippet: private-use characters, so
/// that the rest can be HTML-escaped before they become `<mark>` and `</mark>`.
const MATCH_START: char = '\u{E000}';
const MATCH_END: char = '\u{E001}';

/// A database snippet as HTML: the passage's own text escaped (a page's `<` or `&` is text, not
/// markup), the matches wrapped in `<mark>`.
fn snippet_html(raw: &str) -> String {
    escape_html(raw)
        .replace(MATCH_START, "<mark>")
        .replace(MATCH_END, "</mark>")
}

/// Up to `limit` hits after the first `offset`, best first, and the total number of hits:
/// counted when `count` asks for it (every match is visited), otherwise the hits seen, one
/// past the page telling whether another page follows.
///
/// # Errors
/// A database error, or a search index that cannot be read.
pub async fn ranked(
    db: &DatabaseConnection,
    index: &SearchIndexHandle,
    query: &str,
    offset: usize,
    limit: usize,
    count: bool,
) -> Result<(Vec<Hit>, usize), IngestError> {
    // One hit past the page says whether there is a next one.
    let (mut hits, total) = match db.get_database_backend() {
        DbBackend::Postgres => search_postgres(db, query, offset, limit + 1, count).await?,
        _ => search_sqlite(db, index, query, offset, limit + 1, count).await?,
    };
    let seen = offset + hits.len();
    hits.truncate(limit);
    Ok((hits, total.unwrap_or(seen)))
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Runs a ranking statement whose parameters are the query, the page size and the offset.
async fn ranked_page(
    db: &DatabaseConnection,
    sql: &str,
    query: String,
    offset: usize,
    limit: usize,
) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
    db.query_all_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        [
            Value::from(query),
            Value::from(to_i64(limit)),
            Value::from(to_i64(offset)),
        ],
    ))
    .await
}

async fn count_matches(db: &DatabaseConnection, sql: &str, query: String) -> Result<usize, DbErr> {
    let total: i64 = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            [Value::from(query)],
        ))
        .await?
        .map(|row| row.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    Ok(usize::try_from(total).unwrap_or(0))
}

/// The database's search index, opened on first use (a server whose index cannot be opened
/// still answers everything else, and tries again at the next search).
#[derive(Clone, Default)]
pub struct SearchIndexHandle(Arc<OnceCell<Option<Arc<SearchIndex>>>>);

/// SQLite: tantivy ranks one page (see [`ingest::search_index`]), the passages' text comes from
/// the database, and the snippets are cut from it.
async fn search_sqlite(
    db: &DatabaseConnection,
    handle: &SearchIndexHandle,
    query: &str,
    offset: usize,
    limit: usize,
    count: bool,
) -> Result<(Vec<Hit>, Option<usize>), IngestError> {
    let index = handle
        .0
        .get_or_try_init(|| async {
            Ok::<_, IngestError>(SearchIndex::open(db).await?.map(Arc::new))
        })
        .await?;
    let Some(index) = index.clone() else {
        return Ok((Vec::new(), Some(0)));
    };
    let user = query.to_owned();
    let ranked = tokio::task::spawn_blocking(move || index.search(&user, offset, limit, count))
        .await
        .map_err(|e| IngestError::Search {
            index: "search task".to_owned(),
            detail: e.to_string(),
        })??;
    let mut found: HashMap<i64, passage::Model> = HashMap::new();
    if !ranked.hits.is_empty() {
        found = passage::Entity::find()
            .filter(passage::Column::Id.is_in(ranked.hits.iter().map(|(id, _)| *id)))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
    }
    // A passage the index has and the database no longer has (a run committed and its sync
    // not yet done) is left out.
    let hits = ranked
        .hits
        .iter()
        .filter_map(|(id, score)| {
            let passage = found.remove(id)?;
            Some(Hit {
                snippet: ranked.snippet_html(&passage.text),
                passage,
                score: f64::from(*score),
            })
        })
        .collect();
    Ok((hits, ranked.total))
}

/// PostgreSQL evaluates `ts_headline` after the sort and limit, so one statement will do.
async fn search_postgres(
    db: &DatabaseConnection,
    query: &str,
    offset: usize,
    limit: usize,
    count: bool,
) -> Result<(Vec<Hit>, Option<usize>), DbErr> {
    if query.trim().is_empty() {
        return Ok((Vec::new(), Some(0)));
    }
    let sql = format!(
        "SELECT p.id, p.document_id, p.position, p.anchor, p.headings, p.text, \
            ts_headline('english', p.text, q, 'StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=30, MinWords=12') AS snippet, \
                ts_rank_cd(p.tsv, q)::float8 AS score \
             FROM passage p, websearch_to_tsquery('english', $1) q \
             WHERE p.tsv @@ q ORDER BY score DESC, p.id LIMIT $2 OFFSET $3"
    );
    let rows = ranked_page(db, &sql, query.to_owned(), offset, limit).await?;
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows {
        let snippet: String = row.try_get("", "snippet")?;
        hits.push(Hit {
            passage: passage::Model::from_query_result(&row, "")?,
            snippet: snippet_html(&snippet),
            score: row.try_get("", "score")?,
        });
    }
    if !count {
        return Ok((hits, None));
    }
    let total = count_matches(
        db,
        "SELECT COUNT(*) AS n FROM passage p, websearch_to_tsquery('english', $1) q WHERE p.tsv @@ q",
        query.to_owned(),
    )
    .await?;
    Ok((hits, Some(total)))
}
