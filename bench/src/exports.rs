//! The export files on the largest corpus: how long each takes to download whole, against the
//! same bytes served pre-made by the ceiling in the same run, and the server's peak memory
//! before and after (the CSV files stream, so their download should not raise it).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::servers::{Server, ceiling, first_node_id, peak_kib, serve_in};

/// The files, with a window for the calendar (built whole, so asked for a window, as the
/// README advises).
const FILES: &[&str] = &[
    "/export/milestones.csv",
    "/export/workstreams.csv",
    "/export/timeline.ics?from=2021-01-01&to=2022-12-31",
];

/// The heading and header row of the table [`measure`] adds rows to.
pub fn header(report: &mut String) -> Result<()> {
    writeln!(
        report,
        "### Export files (each downloaded twice; the ceiling serves the same bytes pre-made)\n"
    )?;
    writeln!(
        report,
        "| backend | corpus | file | MiB | caregraph s (1st / 2nd) | ceiling s | 2nd / ceiling | server peak MiB: before → after 1st → after 2nd |"
    )?;
    writeln!(report, "|---|---|---|---|---|---|---|---|")?;
    Ok(())
}

/// Seconds to download `url` into `to`, by curl.
fn download(url: &str, to: &Path) -> Result<f64> {
    let out = Command::new("curl")
        .args(["-s", "-f", "-o"])
        .arg(to)
        .args(["-w", "%{time_total}", url])
        .output()?;
    if !out.status.success() {
        bail!(
            "curl {url} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    String::from_utf8(out.stdout)?
        .trim()
        .parse()
        .with_context(|| format!("curl's time for {url}"))
}

/// Measures every export file of `server` and adds a row per file to `report`.
pub fn measure(
    server: &Server,
    backend: &str,
    corpus: &str,
    work: &Path,
    report: &mut String,
) -> Result<()> {
    let base = server.url.trim_end_matches("/graphql");
    for file in FILES {
        let saved = work.join("export.out");
        // Twice: the first download also warms the connection pool and the database's caches,
        // so a rise then may not be the body's; a body that streams raises nothing the second
        // time.
        let before = peak_kib(server.child.id()).unwrap_or(0);
        let first = download(&format!("{base}{file}"), &saved)?;
        let middle = peak_kib(server.child.id()).unwrap_or(0);
        let ours = download(&format!("{base}{file}"), &saved)?;
        let after = peak_kib(server.child.id()).unwrap_or(0);
        let bytes = std::fs::read_to_string(&saved)?;
        let size = bytes.len();
        let (ceiling_url, _handle) = ceiling(bytes)?;
        let theirs = download(&ceiling_url, &work.join("export.ceiling"))?;
        #[expect(
            clippy::cast_precision_loss,
            reason = "sizes and memory are far below 2^52"
        )]
        let (mib, before_mib, middle_mib, after_mib) = (
            size as f64 / 1_048_576.0,
            before as f64 / 1024.0,
            middle as f64 / 1024.0,
            after as f64 / 1024.0,
        );
        writeln!(
            report,
            "| {backend} | {corpus} | `{file}` | {mib:.1} | {first:.2} / {ours:.2} | {theirs:.3} | {:.0}× | {before_mib:.0} → {middle_mib:.0} → {after_mib:.0} |",
            ours / theirs.max(1e-6)
        )?;
        eprintln!(
            "{backend} {corpus} {file}: {first:.2} s then {ours:.2} s, peak {before_mib:.0} → {middle_mib:.0} → {after_mib:.0} MiB"
        );
    }
    Ok(())
}

/// Whether an export's memory depends on its size: the rise of a fresh server's peak memory
/// while it serves one commitment's `milestones.csv` (a few rows), against its rise on another
/// fresh server while it serves the whole file; with mimalloc as it is configured, with it
/// told to return freed memory at once, and that with one database connection (no pool to
/// warm up). A body held whole would rise with the file every way; a streamed one rises by
/// the allocator's retention and the pool's warm-up alone.
pub fn memory_by_size(
    bin: &Path,
    backend: &str,
    database: &str,
    work: &Path,
    report: &mut String,
) -> Result<()> {
    const PROMPT: &[(&str, &str)] = &[
        ("MIMALLOC_PURGE_DELAY", "0"),
        ("MIMALLOC_ARENA_EAGER_COMMIT", "0"),
    ];
    let rise = |path: &str, env: &[(&str, &str)], pool: &str| -> Result<(f64, u64)> {
        let flags = ["--response-cache-entries", "0", "--db-pool-size", pool];
        let server = serve_in(bin, database, work, &flags, env)?;
        let base = server.url.trim_end_matches("/graphql").to_owned();
        let url = if path.contains("{commitment}") {
            path.replace("{commitment}", &first_node_id(&server.url, "commitments")?)
        } else {
            path.to_owned()
        };
        let before = peak_kib(server.child.id()).unwrap_or(0);
        let saved = work.join("export.out");
        download(&format!("{base}{url}"), &saved)?;
        let after = peak_kib(server.child.id()).unwrap_or(0);
        #[expect(clippy::cast_precision_loss, reason = "memory is far below 2^52")]
        let mib = after.saturating_sub(before) as f64 / 1024.0;
        Ok((mib, std::fs::metadata(&saved)?.len()))
    };
    let pool = crate::servers::DEFAULT_POOL;
    for (allocator, env, pool) in [
        ("mimalloc, defaults", &[][..], pool),
        ("mimalloc, purging at once", PROMPT, pool),
        ("mimalloc, purging at once, one connection", PROMPT, "1"),
    ] {
        let (small, small_bytes) = rise("/export/milestones.csv?subject={commitment}", env, pool)?;
        let (whole, whole_bytes) = rise("/export/milestones.csv", env, pool)?;
        writeln!(
            report,
            "| {backend} | {allocator} | {small_bytes} | {small:.1} | {whole_bytes} | {whole:.1} |"
        )?;
        eprintln!(
            "{backend} ({allocator}): peak rise {small:.1} MiB for {small_bytes} bytes, {whole:.1} MiB for {whole_bytes} bytes"
        );
    }
    Ok(())
}
