//! The change feed's growth: on each backend's copy of the largest corpus, re-ingests with 1%
//! of the pages edited, run after run, and reports what each run recorded, how large the change
//! tables grow, and each run's time against an unchanged re-ingest of the same corpus measured
//! in the same step (the baseline: the run without edits records nothing).
//!
//! The edits are what gov.scot does to its pages: on an overview, every milestone's end month
//! slips three months; on every edited page the first list item gains a word.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::Month;
use sea_orm::{ConnectionTrait, Statement};

use crate::servers::ingest_counting;

/// Re-ingests measured, each with 1% of the pages edited.
const RUNS: usize = 3;

/// Every page of the corpus at `root`, in a fixed order.
fn pages(root: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "index.html") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// One page's edit: end months slip by three, and the first list item gains a word.
fn edit(html: &str) -> String {
    let months: Vec<Month> = (1..=12).filter_map(|m| Month::try_from(m).ok()).collect();
    let mut out = html.to_owned();
    // Through a placeholder, so that no month moves twice.
    for (i, month) in months.iter().enumerate() {
        out = out.replace(&format!("end {} ", month.name()), &format!("end \u{1}{i} "));
    }
    for (i, month) in months.iter().enumerate() {
        let later = month.succ().succ().succ();
        out = out.replace(&format!("end \u{1}{i} "), &format!("end {} ", later.name()));
    }
    if out.contains("<li>") {
        out.replacen("<li>", "<li>Revised ", 1)
    } else {
        out.replacen("<p>", "<p>Revised ", 1)
    }
}

/// Copies the corpus at `from` to `to`, afresh.
fn copy(from: &Path, to: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(to);
    for page in pages(from)? {
        let rel = page.strip_prefix(from)?;
        let target = to.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&page, &target)?;
    }
    Ok(())
}

/// Rows of the change tables, and their bytes on disk where the database can tell.
fn sizes(url: &str) -> Result<(i64, i64, Option<i64>)> {
    tokio::runtime::Runtime::new()?.block_on(async {
        let db = sea_orm::Database::connect(url).await?;
        let backend = db.get_database_backend();
        let one = |sql: &str| {
            let db = &db;
            let statement = Statement::from_string(backend, sql.to_owned());
            async move {
                let row = db.query_one_raw(statement).await?;
                Ok::<_, sea_orm::DbErr>(row.and_then(|r| r.try_get_by_index::<i64>(0).ok()))
            }
        };
        let changes = one("SELECT COUNT(*) FROM change").await?.unwrap_or(0);
        let fields = one("SELECT COUNT(*) FROM change_field").await?.unwrap_or(0);
        let bytes = match backend {
            sea_orm::DatabaseBackend::Postgres => one(
                "SELECT (pg_total_relation_size('change') + pg_total_relation_size('change_field'))::BIGINT",
            )
            .await?,
            // SQLite's `dbstat` table is compiled in only with SQLITE_ENABLE_DBSTAT_VTAB.
            _ => one(
                "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('change', 'change_field') \
                 OR name LIKE 'idx_change%'",
            )
            .await
            .ok()
            .flatten(),
        };
        Ok::<_, sea_orm::DbErr>((changes, fields, bytes))
    })
    .context("reading the change tables' sizes")
}

/// Runs the step on each `(backend, database)` of the corpus at `corpus`, adding a table to
/// `report`.
pub fn measure(
    bin: &Path,
    largest: &[(String, String)],
    corpus: &Path,
    work: &Path,
    report: &mut String,
) -> Result<()> {
    writeln!(
        report,
        "\n### The change feed: re-ingests with 1% of pages edited\n"
    )?;
    writeln!(
        report,
        "| backend | run | pages edited | seconds | time / unchanged re-ingest | changes recorded | change rows | field rows | change tables MiB |"
    )?;
    writeln!(report, "|---|---|---|---|---|---|---|---|---|")?;
    for (backend, db) in largest {
        let copy_dir = work.join(format!("edits-{backend}"));
        copy(corpus, &copy_dir)?;
        let all = pages(&copy_dir)?;
        let row = |report: &mut String,
                   run: &str,
                   edited: usize,
                   timed: Option<(f64, f64, usize)>|
         -> Result<()> {
            let (changes, fields, bytes) = sizes(db)?;
            #[expect(clippy::cast_precision_loss, reason = "sizes are far below 2^52")]
            let mib = bytes.map_or("n/a".to_owned(), |b| {
                format!("{:.1}", b as f64 / 1_048_576.0)
            });
            let (seconds, ratio, recorded) = timed.map_or_else(
                || ("–".to_owned(), "–".to_owned(), changes.to_string()),
                |(s, baseline, n)| {
                    (
                        format!("{s:.2}"),
                        format!("{:.2}", s / baseline),
                        n.to_string(),
                    )
                },
            );
            writeln!(
                report,
                "| {backend} | {run} | {edited} | {seconds} | {ratio} | {recorded} | {changes} | {fields} | {mib} |"
            )?;
            Ok(())
        };
        row(report, "first ingest", all.len(), None)?;
        let (baseline, recorded) = ingest_counting(bin, db, &copy_dir, work)?;
        row(
            report,
            "unchanged re-ingest",
            0,
            Some((baseline, baseline, recorded)),
        )?;
        for run in 1..=RUNS {
            let mut edited = 0;
            for (i, page) in all.iter().enumerate() {
                if i % 100 == run {
                    let html = std::fs::read_to_string(page)?;
                    std::fs::write(page, edit(&html))?;
                    edited += 1;
                }
            }
            let (seconds, recorded) = ingest_counting(bin, db, &copy_dir, work)?;
            row(
                report,
                &format!("edit {run}"),
                edited,
                Some((seconds, baseline, recorded)),
            )?;
            eprintln!("{backend}: edit run {run} recorded {recorded} changes in {seconds:.2} s");
        }
    }
    Ok(())
}
