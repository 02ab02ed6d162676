//! Full-text search over passages, behind one interface for both backends.
//!
//! SQLite uses the FTS5 table `passage_fts` (bm25 ranking, `snippet()`); PostgreSQL uses the
//! generated `tsvector` column with `websearch_to_tsquery`, `ts_rank` and `ts_headline`. A user
//! string never reaches FTS5's query syntax: it is cut into words, each quoted, so `"`, `*`,
//! `NEAR(` or a lone `-` are just text.

use super::types::Page;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, Value};

/// One ranked hit.
#[derive(Clone, Debug)]
pub struct Hit {
    /// The passage's row ID.
    pub passage_id: i64,
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
    let mut html = String::with_capacity(raw.len() + 32);
    for c in raw.chars() {
        match c {
            MATCH_START => html.push_str("<mark>"),
            MATCH_END => html.push_str("</mark>"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '&' => html.push_str("&amp;"),
            '"' => html.push_str("&quot;"),
            _ => html.push(c),
        }
    }
    html
}

/// The user string's words, each quoted for FTS5 (at most 32).
fn fts5_words(user: &str) -> Vec<String> {
    user.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(32)
        .map(|w| format!("\"{w}\""))
        .collect()
}

/// The FTS5 query for a user string: every word, quoted, all required; with two or more
/// words, the words as a phrase too, so that passages holding the exact phrase rank first
/// (bm25 scores each matched part of the query). `None` when the string has no words at all.
pub fn fts5_query(user: &str) -> Option<String> {
    let words = fts5_words(user);
    match words.len() {
        0 => None,
        1 => Some(words.join(" ")),
        _ => {
            let all = words.join(" AND ");
            let phrase = words.join(" + ");
            Some(format!("({phrase}) OR ({all})"))
        }
    }
}

/// Runs a search and returns one page of hits, best first, and the total number of hits:
/// counted when `count` asks for it (every match is visited), otherwise just enough to tell
/// whether another page follows.
///
/// # Errors
/// A database error.
pub async fn search(
    db: &DatabaseConnection,
    query: &str,
    page: Page,
    count: bool,
) -> Result<(Vec<Hit>, usize), DbErr> {
    // One hit past the page says whether there is a next one.
    let (mut hits, total) = match db.get_database_backend() {
        DbBackend::Postgres => search_postgres(db, query, page.offset, page.limit + 1, count).await,
        _ => search_sqlite(db, query, page.offset, page.limit + 1, count).await,
    }?;
    let seen = page.offset + hits.len();
    hits.truncate(page.limit);
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

/// FTS5 in two steps: rank with bm25 and keep one page, then make snippets for that page
/// only. In one statement SQLite would build a snippet for every match before sorting.
async fn search_sqlite(
    db: &DatabaseConnection,
    query: &str,
    offset: usize,
    limit: usize,
    count: bool,
) -> Result<(Vec<Hit>, Option<usize>), DbErr> {
    let Some(fts) = fts5_query(query) else {
        return Ok((Vec::new(), Some(0)));
    };
    let backend = db.get_database_backend();
    let ranked = ranked_page(
        db,
        "SELECT rowid AS id, -bm25(passage_fts) AS score FROM passage_fts \
         WHERE passage_fts MATCH ? ORDER BY bm25(passage_fts), rowid LIMIT ? OFFSET ?",
        fts.clone(),
        offset,
        limit,
    )
    .await?;
    let mut hits = Vec::with_capacity(ranked.len());
    for row in ranked {
        hits.push(Hit {
            passage_id: row.try_get("", "id")?,
            snippet: String::new(),
            score: row.try_get("", "score")?,
        });
    }
    if !hits.is_empty() {
        let ids = hits
            .iter()
            .map(|h| h.passage_id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        // The IDs are integers read from the database, so joining them into the SQL is safe.
        let sql = format!(
            "SELECT rowid AS id, snippet(passage_fts, 0, '{MATCH_START}', '{MATCH_END}', '…', 16) \
             AS snippet FROM passage_fts WHERE passage_fts MATCH ? AND rowid IN ({ids})"
        );
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                &sql,
                [Value::from(fts.clone())],
            ))
            .await?;
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let snippet: String = row.try_get("", "snippet")?;
            if let Some(hit) = hits.iter_mut().find(|h| h.passage_id == id) {
                hit.snippet = snippet_html(&snippet);
            }
        }
    }
    if !count {
        return Ok((hits, None));
    }
    // Every phrase match also holds all the words, so counting the words alone finds the same
    // passages without reading their positions.
    let total = count_matches(
        db,
        "SELECT COUNT(*) AS n FROM passage_fts WHERE passage_fts MATCH ?",
        fts5_words(query).join(" AND "),
    )
    .await?;
    Ok((hits, Some(total)))
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
        "SELECT p.id AS id, \
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
            passage_id: row.try_get("", "id")?,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_strings_become_quoted_words() {
        assert_eq!(
            fts5_query("society \"group* NEAR("),
            Some(
                "(\"society\" + \"group\" + \"NEAR\") OR (\"society\" AND \"group\" AND \"NEAR\")"
                    .to_owned()
            )
        );
        assert_eq!(fts5_query("group*"), Some("\"group\"".to_owned()));
        assert_eq!(fts5_query("  -- ** \" "), None);
    }
}
