//! caregraph's benchmarks, in one command: `cargo run --release -p bench`.
//!
//! 1. Generates synthetic corpora in the real page templates (commitment overviews, progress
//!    reports, delivery plans, strategy pages, development pages, made from the bundled
//!    snapshot by changing what differs between publications) at each `--sizes`.
//! 2. Ingests each with the release `caregraph` binary, on SQLite and (with `--postgres`)
//!    PostgreSQL, timing it and sampling the process's peak memory.
//! 3. Serves the largest corpus and the real one, and drives four representative queries with
//!    wrk for `--duration-secs` each, beside a ceiling measured in the same run: a plain axum
//!    handler answering the same bytes pre-serialised.
//!    The export files of the largest corpus are downloaded whole, timed against the same bytes
//!    from the ceiling, with the server's peak memory before and after.
//! 4. On PostgreSQL, runs the same queries (written in its naming) against PostGraphile v5 over
//!    the same tables (`bench/peers`, installed with `npm ci` on first use; Node 22 comes from
//!    the npm package `node`), in `--rounds` rounds of both back to back, reporting medians.
//!    The deep query also runs with a page size of its own per request, so that concurrent
//!    requests share no statement.
//! 5. Ingests `--search-pages` pages (a million passages by default) into SQLite and measures
//!    `search` on it, under load and one request at a time.
//! 6. Measures repeated identical GETs with the response cache on, against the ceiling.
//! 7. Measures what each reuse layer of the executor is worth: every layer on against that
//!    layer off, in `--rounds` rounds ([`layers`]). `--layers-only` runs this step alone.
//!
//! Results print as Markdown tables, ready for `BENCHMARKS.md`. Needs `wrk` and `curl` on the
//! PATH (installed with apt-get when missing and run as root), and `npm` for the peer: checked
//! first, before any ingest ([`prereqs`]).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use clap::Parser;

mod args;
mod changes;
mod corpus;
mod exports;
mod layers;
mod load;
mod peer;
mod prereqs;
mod queries;
mod search;
mod servers;

use args::Args;
use corpus::{Templates, generate};
use load::{VARIED_FIRST, measure_with_ceiling};
use queries::queries;
use servers::{caregraph_binary, database, first_node_id, get_url, ingest, post, serve};

fn main() -> Result<()> {
    let args = Args::parse();
    prereqs::check(args.postgres.is_some())?;
    std::fs::create_dir_all(&args.work_dir)?;
    let work = std::fs::canonicalize(&args.work_dir)?;
    let bin = caregraph_binary()?;
    let templates = Templates::load()?;
    let mut report = String::new();
    let backends: Vec<&str> = if args.postgres.is_some() {
        vec!["sqlite", "postgres"]
    } else {
        vec!["sqlite"]
    };

    if args.layers_only {
        layers::measure(&bin, &backends, &args, &work, &mut report)?;
        println!("{report}");
        return Ok(());
    }

    if args.exports_only {
        exports_only(&bin, &backends, &args, &work, &mut report)?;
        println!("{report}");
        return Ok(());
    }

    let largest = ingest_at_sizes(&bin, &templates, &backends, &args, &work, &mut report)?;
    if let Some(size) = args.sizes.iter().max() {
        // Before the queries, so that the change feed they read holds edits.
        changes::measure(
            &bin,
            &largest,
            &work.join(format!("corpus-{size}")),
            &work,
            &mut report,
        )?;
    }
    if !args.skip_queries {
        queries_against_ceiling(&bin, &backends, largest, &args, &work, &mut report)?;
    }
    if !args.skip_queries && args.search_pages > 0 {
        search::search_at_scale(&bin, &templates, &args, &work, &mut report)?;
    }
    if !args.skip_queries {
        repeated_get(&bin, &args, &work, &mut report)?;
        layers::measure(&bin, &backends, &args, &work, &mut report)?;
    }
    println!("{report}");
    Ok(())
}

/// The export files alone, on the databases of the largest size a full run left behind.
fn exports_only(
    bin: &Path,
    backends: &[&str],
    args: &Args,
    work: &Path,
    report: &mut String,
) -> Result<()> {
    let size = args.sizes.iter().max().copied().unwrap_or(0);
    let corpus = format!("synthetic ({size} pages)");
    let mut files = String::new();
    let mut memory = String::new();
    for backend in backends {
        let db = match (*backend, args.postgres.as_deref()) {
            ("postgres", Some(admin)) => {
                let (server, _) = admin
                    .rsplit_once('/')
                    .context("admin URL without a database")?;
                format!("{server}/bench_{size}?sslmode=disable")
            }
            _ => format!(
                "sqlite://{}",
                work.join(format!("bench_{size}.db")).display()
            ),
        };
        let server = serve(bin, &db, work, false)?;
        exports::measure(&server, backend, &corpus, work, &mut files)?;
        drop(server);
        exports::memory_by_size(bin, backend, &db, work, &mut memory)?;
    }
    exports::header(report)?;
    report.push_str(&files);
    writeln!(
        report,
        "\n### Does an export's memory grow with its size? (a fresh server for each download)\n"
    )?;
    writeln!(
        report,
        "| backend | allocator | one commitment's milestones.csv, bytes | peak rise MiB | whole milestones.csv, bytes | peak rise MiB |"
    )?;
    writeln!(report, "|---|---|---|---|---|---|")?;
    report.push_str(&memory);
    Ok(())
}

/// Steps 1 and 2: generates a corpus of each `--sizes` and ingests it on each backend, timing
/// it; returns each backend's database of the largest size.
fn ingest_at_sizes(
    bin: &Path,
    templates: &Templates,
    backends: &[&str],
    args: &Args,
    work: &Path,
    report: &mut String,
) -> Result<Vec<(String, String)>> {
    writeln!(report, "### Ingest\n")?;
    writeln!(
        report,
        "| backend | pages | seconds | pages/s | peak RSS (MiB) | time / previous size |"
    )?;
    writeln!(report, "|---|---|---|---|---|---|")?;
    let mut largest: Vec<(String, String)> = Vec::new();
    for backend in backends {
        let mut previous: Option<f64> = None;
        for &size in &args.sizes {
            let corpus = work.join(format!("corpus-{size}"));
            if !corpus.exists() {
                generate(templates, &corpus, size)?;
            }
            let db = database(
                backend,
                args.postgres.as_deref(),
                work,
                &format!("bench_{size}"),
            )?;
            let r = ingest(bin, &db, &corpus)?;
            #[expect(clippy::cast_precision_loss, reason = "page counts are small")]
            let rate = size as f64 / r.seconds;
            let growth = previous.map_or("–".to_owned(), |p| format!("{:.1}×", r.seconds / p));
            writeln!(
                report,
                "| {backend} | {size} | {:.2} | {rate:.0} | {:.0} | {growth} |",
                r.seconds, r.peak_mib
            )?;
            eprintln!("ingested {size} pages on {backend} in {:.2} s", r.seconds);
            previous = Some(r.seconds);
            if Some(&size) == args.sizes.iter().max() {
                largest.push(((*backend).to_owned(), db));
            }
        }
    }
    Ok(largest)
}

/// Steps 3 and 4: serves the real corpus and the largest synthetic one on each backend and
/// drives the representative queries against the ceiling, then (on PostgreSQL) against
/// PostGraphile.
fn queries_against_ceiling(
    bin: &Path,
    backends: &[&str],
    largest: Vec<(String, String)>,
    args: &Args,
    work: &Path,
    report: &mut String,
) -> Result<()> {
    writeln!(
        report,
        "\n### Queries ({} s each, {} connections)\n",
        args.duration_secs, args.connections
    )?;
    writeln!(
        report,
        "| backend | corpus | query | req/s | p50 ms | p99 ms | errors | ceiling req/s | caregraph / ceiling |"
    )?;
    writeln!(report, "|---|---|---|---|---|---|---|---|---|")?;
    let mut targets = Vec::new();
    let mut peer_report = String::new();
    for backend in backends {
        let small = database(backend, args.postgres.as_deref(), work, "bench_real")?;
        ingest(bin, &small, &ingest::bundled_snapshot())?;
        targets.push(((*backend).to_owned(), "real (5 pages)".to_owned(), small));
    }
    for (backend, db) in largest {
        let size = args.sizes.iter().max().copied().unwrap_or(0);
        targets.push((backend, format!("synthetic ({size} pages)"), db));
    }
    let mut export_report = String::new();
    for (backend, corpus, db) in targets {
        let server = serve(bin, &db, work, false)?;
        if corpus.starts_with("synthetic") {
            exports::measure(&server, &backend, &corpus, work, &mut export_report)?;
        }
        let node_id = first_node_id(&server.url, "commitments")?;
        for (name, body) in queries(&node_id) {
            if body.contains(VARIED_FIRST) {
                // No one answer to serve from the ceiling: measured against the peer only.
                continue;
            }
            let answer = post(&server.url, &body)?;
            if answer.contains("\"errors\"") {
                bail!("{name} failed on {backend}: {answer}");
            }
            let (ours, cells) = measure_with_ceiling(&server.url, Some(&body), answer, args, work)?;
            writeln!(report, "| {backend} | {corpus} | {name} | {cells} |")?;
            eprintln!("{backend} {corpus} {name}: {:.0} req/s", ours.rps);
        }
        if backend == "postgres" && !args.no_peers {
            peer::compare_with_peer(&server.url, &db, &corpus, args, work, &mut peer_report)?;
        }
    }
    if !export_report.is_empty() {
        report.push('\n');
        exports::header(report)?;
        report.push_str(&export_report);
    }
    if !peer_report.is_empty() {
        writeln!(
            report,
            "\n### caregraph and PostGraphile v5 on the same PostgreSQL tables ({} rounds of {} s each, {} connections, caregraph then PostGraphile in each round, after a 2 s warm-up of each; medians)\n",
            args.rounds, args.duration_secs, args.connections
        )?;
        writeln!(
            report,
            "| corpus | query | caregraph req/s | p99 ms | PostGraphile req/s | p99 ms | errors | ratio in each round | caregraph / PostGraphile |"
        )?;
        writeln!(report, "|---|---|---|---|---|---|---|---|---|")?;
        report.push_str(&peer_report);
    }
    Ok(())
}

/// Step 6: repeated identical GETs, answered from the response cache, against the ceiling.
fn repeated_get(bin: &Path, args: &Args, work: &Path, report: &mut String) -> Result<()> {
    let db = database("sqlite", None, work, "bench_cached")?;
    ingest(bin, &db, &ingest::bundled_snapshot())?;
    let server = serve(bin, &db, work, true)?;
    let (name, body) = queries("").swap_remove(0);
    let url = get_url(&server.url, &body)?;
    let answer = Command::new("curl").args(["-s", &url]).output()?.stdout;
    let (_, cells) = measure_with_ceiling(&url, None, String::from_utf8(answer)?, args, work)?;
    writeln!(
        report,
        "\n#### Repeated identical GET (response cache on)\n"
    )?;
    writeln!(
        report,
        "| query | req/s | p50 ms | p99 ms | errors | ceiling req/s | caregraph / ceiling |"
    )?;
    writeln!(report, "|---|---|---|---|---|---|---|")?;
    writeln!(report, "| {name} (GET, real corpus, SQLite) | {cells} |")?;
    Ok(())
}
