//! The export files on the largest corpus: how long each takes to download whole, against the
//! same bytes served pre-made by the ceiling in the same run, and the server's peak memory
//! before and after (the CSV files stream, so their download should not raise it).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::servers::{Server, ceiling, peak_kib};

/// The files, with a window for the calendar (built whole, so asked for a window, as the
/// README advises).
const FILES: &[&str] = &[
    "/export/milestones.csv",
    "/export/workstreams.csv",
    "/export/timeline.ics?from=2021-01-01&to=2022-12-31",
];

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
