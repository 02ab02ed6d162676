//! Load with wrk: driving a server with one request body, reading wrk's summary, and the
//! table cells a measurement shares with the ceiling measured beside it.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};

use crate::args::Args;
use crate::servers::ceiling;

pub struct Load {
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

fn to_ms(v: &str) -> Option<f64> {
    let (num, unit) = v.split_at(v.find(|c: char| c.is_alphabetic())?);
    let n: f64 = num.parse().ok()?;
    Some(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        _ => return None,
    })
}

/// Where a body has this, each request puts a page size of its own, 1 to 100 in turn (each
/// wrk thread from another point of the cycle), so requests at the same time ask for
/// different pages.
pub const VARIED_FIRST: &str = "@FIRST@";

/// The wrk script POSTing `body` (see [`VARIED_FIRST`]).
fn wrk_script(body: &str) -> String {
    let head = "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n";
    if !body.contains(VARIED_FIRST) {
        return format!("{head}wrk.body = [==[{body}]==]\n");
    }
    format!(
        "{head}local body = [==[{body}]==]\n\
         local threads = 0\n\
         function setup(thread) thread:set(\"start\", threads * 50); threads = threads + 1 end\n\
         local n = nil\n\
         function request()\n\
         \x20 n = (n or start) + 1\n\
         \x20 local b = body:gsub(\"{VARIED_FIRST}\", tostring(n % 100 + 1))\n\
         \x20 return wrk.format(nil, nil, nil, b)\n\
         end\n"
    )
}

/// Drives one POST body at `url` with wrk and reads its summary.
pub fn wrk(
    url: &str,
    body: Option<&str>,
    duration: u64,
    connections: u32,
    work: &Path,
) -> Result<Load> {
    let mut command = Command::new("wrk");
    command.args([
        // wrk needs a connection per thread.
        &format!("-t{}", connections.min(2)),
        &format!("-c{connections}"),
        &format!("-d{duration}s"),
        "--latency",
    ]);
    if let Some(body) = body {
        let script = work.join("one.lua");
        std::fs::write(&script, wrk_script(body))?;
        command.arg("-s").arg(script);
    }
    let out = command
        .arg(url)
        .output()
        .context("running wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
            .map(str::to_owned)
    };
    let rps = field("Requests/sec:")
        .and_then(|v| v.parse().ok())
        .context("no Requests/sec in wrk output")?;
    let p50_ms = field("50%").and_then(|v| to_ms(&v)).unwrap_or(f64::NAN);
    let p99_ms = field("99%").and_then(|v| to_ms(&v)).unwrap_or(f64::NAN);
    let errors = field("Non-2xx or 3xx responses:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
        + u64::from(text.contains("Socket errors"));
    Ok(Load {
        rps,
        p50_ms,
        p99_ms,
        errors,
    })
}

/// The table cells a measurement shares with its ceiling: req/s, p50, p99, errors, the
/// ceiling's req/s and the ratio.
pub fn against_ceiling(ours: &Load, top: &Load) -> String {
    format!(
        "{:.0} | {:.2} | {:.2} | {} | {:.0} | {:.2}",
        ours.rps,
        ours.p50_ms,
        ours.p99_ms,
        ours.errors,
        top.rps,
        ours.rps / top.rps
    )
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 0 => f64::midpoint(values[mid - 1], values[mid]),
        _ => values[mid],
    }
}

/// Drives `url` (POSTing `body`, or GETting it when `None`), then the ceiling answering the
/// same `answer`, the same way; returns our load and the table cells shared with the ceiling.
pub fn measure_with_ceiling(
    url: &str,
    body: Option<&str>,
    answer: String,
    args: &Args,
    work: &Path,
) -> Result<(Load, String)> {
    let ours = wrk(url, body, args.duration_secs, args.connections, work)?;
    let (ceiling_url, _handle) = ceiling(answer)?;
    let top = wrk(
        &ceiling_url,
        body,
        args.duration_secs,
        args.connections,
        work,
    )?;
    let cells = against_ceiling(&ours, &top);
    Ok((ours, cells))
}
