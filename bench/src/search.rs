//! `search` at scale (step 5): a corpus of `--search-pages` pages ingested into SQLite, and
//! searched under load and one request at a time.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};

use crate::args::Args;
use crate::corpus::{Templates, generate};
use crate::load::wrk;
use crate::queries::search_body;
use crate::servers::{database, ingest, post, serve};

/// `search` on a corpus of `--search-pages` pages (a million passages by default) on SQLite,
/// for a phrase as rare as in a real archive and for a word on most pages, under the bench's
/// load and one request at a time (the query's own latency, with no queue).
pub fn search_at_scale(
    bin: &Path,
    templates: &Templates,
    args: &Args,
    work: &Path,
    report: &mut String,
) -> Result<()> {
    let pages = args.search_pages;
    let corpus = work.join(format!("corpus-{pages}"));
    if !corpus.exists() {
        generate(templates, &corpus, pages)?;
    }
    let db = database("sqlite", None, work, "bench_search")?;
    let ingested = ingest(bin, &db, &corpus)?;
    eprintln!(
        "ingested {pages} pages for search in {:.1} s",
        ingested.seconds
    );
    let passages: i64 = tokio::runtime::Runtime::new()?.block_on(async {
        use sea_orm::ConnectionTrait;
        let conn = sea_orm::Database::connect(&db).await?;
        let row = conn
            .query_one_raw(sea_orm::Statement::from_string(
                conn.get_database_backend(),
                "SELECT COUNT(*) AS n FROM passage",
            ))
            .await?;
        row.map_or(Ok(0), |r| r.try_get("", "n"))
    })?;
    let server = serve(bin, &db, work, false)?;
    writeln!(
        report,
        "\n### search at scale (SQLite, {pages} pages, {passages} passages, ingested in {:.0} s, peak RSS {:.0} MiB)\n",
        ingested.seconds, ingested.peak_mib
    )?;
    writeln!(
        report,
        "| query | matching passages | connections | req/s | p50 ms | p99 ms | errors | p99 under 50 ms |"
    )?;
    writeln!(report, "|---|---|---|---|---|---|---|---|")?;
    for words in ["civil society group", "health"] {
        let body = search_body(words);
        let answer: serde_json::Value = serde_json::from_str(&post(&server.url, &body)?)?;
        let matches = answer["data"]["search"]["totalCount"]
            .as_i64()
            .with_context(|| format!("search for {words:?} failed: {answer}"))?;
        for connections in [args.connections, 1] {
            let load = wrk(
                &server.url,
                Some(&body),
                args.duration_secs,
                connections,
                work,
            )?;
            writeln!(
                report,
                "| `{words}` | {matches} | {connections} | {:.0} | {:.2} | {:.2} | {} | {} |",
                load.rps,
                load.p50_ms,
                load.p99_ms,
                load.errors,
                if load.p99_ms < 50.0 { "yes" } else { "**no**" }
            )?;
            eprintln!(
                "search {words:?} at {connections} connections: p99 {:.1} ms",
                load.p99_ms
            );
        }
    }
    Ok(())
}
