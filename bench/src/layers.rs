//! What each reuse layer of the executor is worth: the same load on a server with every layer
//! on, and on one with that layer alone switched off, in alternating rounds.
//!
//! Each layer is measured on the workload it exists for: the response cache and the dataset
//! version on repeated identical GETs, parsed documents and shared reads on the deep linked
//! query sent by POST at the same page by every connection.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Result, bail};

use crate::args::Args;
use crate::load::{VARIED_FIRST, median, wrk};
use crate::queries::queries;
use crate::servers::{database, get_url, ingest, post, serve_with};

/// One layer: its name, the flags that switch it off, and whether it is measured by GET.
const LAYERS: [(&str, &[&str], bool); 4] = [
    ("response cache", &["--response-cache-entries", "0"], true),
    ("dataset version kept 1 s", &["--version-ttl-ms", "0"], true),
    ("parsed documents", &["--parsed-query-bytes", "0"], false),
    ("shared root reads", &["--no-shared-reads"], false),
];

/// Measures every layer on the real corpus of each backend, and writes a table to `report`.
pub fn measure(
    bin: &Path,
    backends: &[&str],
    args: &Args,
    work: &Path,
    report: &mut String,
) -> Result<()> {
    writeln!(
        report,
        "\n### What each reuse layer is worth ({} rounds of {} s each, {} connections, on then off in each round; medians)\n",
        args.rounds, args.duration_secs, args.connections
    )?;
    writeln!(
        report,
        "| backend | layer | workload | req/s on | req/s off | ratio in each round | on / off |"
    )?;
    writeln!(report, "|---|---|---|---|---|---|---|")?;
    for backend in backends {
        let db = database(backend, args.postgres.as_deref(), work, "bench_layers")?;
        ingest(bin, &db, &::ingest::bundled_snapshot())?;
        let (_, deep) = queries("").swap_remove(0);
        let chosen = LAYERS
            .iter()
            .filter(|(name, _, _)| args.layer.as_deref().is_none_or(|l| name.contains(l)));
        for &(layer, off_flags, by_get) in chosen {
            let on = serve_with(bin, &db, work, &[])?;
            let off = serve_with(bin, &db, work, off_flags)?;
            let target = |url: &str| -> Result<(String, Option<String>)> {
                Ok(if by_get {
                    (get_url(url, &deep)?, None)
                } else {
                    (url.to_owned(), Some(deep.replace(VARIED_FIRST, "20")))
                })
            };
            let (on_url, on_body) = target(&on.url)?;
            let (off_url, off_body) = target(&off.url)?;
            for (url, body) in [(&on.url, &deep), (&off.url, &deep)] {
                let answer = post(url, body)?;
                if answer.contains("\"errors\"") || !answer.contains("\"data\"") {
                    bail!("the deep query failed on {backend}: {answer}");
                }
            }
            wrk(&on_url, on_body.as_deref(), 2, args.connections, work)?;
            wrk(&off_url, off_body.as_deref(), 2, args.connections, work)?;
            let (mut ons, mut offs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..args.rounds.max(1) {
                let a = wrk(
                    &on_url,
                    on_body.as_deref(),
                    args.duration_secs,
                    args.connections,
                    work,
                )?;
                let b = wrk(
                    &off_url,
                    off_body.as_deref(),
                    args.duration_secs,
                    args.connections,
                    work,
                )?;
                if a.errors + b.errors > 0 {
                    bail!("{layer} on {backend}: {} errors", a.errors + b.errors);
                }
                ratios.push(a.rps / b.rps);
                ons.push(a.rps);
                offs.push(b.rps);
            }
            let each: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
            let ratio = median(&mut ratios);
            let workload = if by_get {
                "deep linked query, repeated GET"
            } else {
                "deep linked query, POST"
            };
            writeln!(
                report,
                "| {backend} | {layer} | {workload} | {:.0} | {:.0} | {} | **{ratio:.2}** |",
                median(&mut ons),
                median(&mut offs),
                each.join(" / ")
            )?;
            eprintln!("{backend} {layer}: on / off {}", each.join(", "));
        }
    }
    Ok(())
}
