//! The peer on PostgreSQL (step 4): PostGraphile v5 over the same tables (`bench/peers`), the
//! same queries in its naming, and rounds of caregraph then PostGraphile, back to back.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::args::Args;
use crate::corpus::read;
use crate::load::{VARIED_FIRST, median, wrk};
use crate::queries::queries;
use crate::servers::{Server, execute_sql, first_node_id, post};

/// The peer's queries: the same selections as [`queries`] in PostGraphile's naming, where it
/// has an equivalent. `timeline` and `search` have none without writing SQL functions for it.
fn peer_queries(node_id: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "deep linked query",
            r#"{"query":"{ allCommitments(first: 20) { nodes { number milestonesByCommitmentId(first: 10, orderBy: POSITION_ASC) { nodes { title startDate progressUpdatesByMilestoneId { nodes { reportTitle text documentByDocumentId { url } } } } } organisationRolesByCommitmentId { nodes { organisationByOrganisationId { name } } } } } }"}"#.to_owned(),
        ),
        (
            "deep linked query, pages varied",
            r#"{"query":"{ allCommitments(first: @FIRST@) { nodes { number milestonesByCommitmentId(first: 10, orderBy: POSITION_ASC) { nodes { title startDate progressUpdatesByMilestoneId { nodes { reportTitle text documentByDocumentId { url } } } } } organisationRolesByCommitmentId { nodes { organisationByOrganisationId { name } } } } } }"}"#.to_owned(),
        ),
        (
            "node lookup",
            format!(
                r#"{{"query":"query($id: ID!) {{ node(id: $id) {{ id ... on Commitment {{ title periodStart }} }} }}","variables":{{"id":"{node_id}"}}}}"#
            ),
        ),
    ]
}

fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peers")
}

/// PostGraphile v5 serving `database`, after declaring the relations it cannot infer.
fn postgraphile(database: &str, work: &Path) -> Result<Server> {
    let dir = peers_dir();
    let cli = dir.join("node_modules/postgraphile/dist/cli-run.js");
    if !cli.exists() {
        eprintln!("installing PostGraphile in {}", dir.display());
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .context("running npm ci (PostGraphile needs npm)")?;
        if !status.success() {
            bail!("npm ci in {} failed", dir.display());
        }
    }
    let relations = read(dir.join("relations.sql"))?;
    execute_sql(database, &[&relations])?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let log = work.join("postgraphile.log");
    let child = Command::new(dir.join("node_modules/.bin/node"))
        .arg(cli)
        .args(["-C", "graphile.config.mjs"])
        .current_dir(&dir)
        .env("DATABASE_URL", database)
        .env("PORT", port.to_string())
        .env("GRAPHILE_ENV", "production")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log)?)
        .spawn()
        .context("starting PostGraphile")?;
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}/graphql"),
    };
    let started = Instant::now();
    while !post(&server.url, r#"{"query":"{ __typename }"}"#)?.contains("\"data\"") {
        if started.elapsed() > Duration::from_secs(60) {
            bail!(
                "PostGraphile did not start: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(server)
}

/// caregraph against PostGraphile on the same database, query by query: after a warm-up of
/// each (V8 compiles its hot paths; both pools open their connections), `--rounds` rounds of
/// caregraph then PostGraphile, back to back, so both see the machine as it was in the same
/// minute. Reports the medians and each round's ratio.
pub fn compare_with_peer(
    ours_url: &str,
    database: &str,
    corpus: &str,
    args: &Args,
    work: &Path,
    out: &mut String,
) -> Result<()> {
    let peer = postgraphile(database, work)?;
    let ours_queries = queries(&first_node_id(ours_url, "commitments")?);
    for (name, peer_body) in peer_queries(&first_node_id(&peer.url, "allCommitments")?) {
        let (_, body) = ours_queries
            .iter()
            .find(|(n, _)| *n == name)
            .with_context(|| format!("no caregraph query named {name}"))?;
        for (server, url, body) in [
            ("caregraph", ours_url, body),
            ("PostGraphile", &peer.url, &peer_body),
        ] {
            let answer = post(url, &body.replace(VARIED_FIRST, "20"))?;
            if answer.contains("\"errors\"") || !answer.contains("\"data\"") {
                bail!("{name} failed on {server}: {answer}");
            }
        }
        wrk(ours_url, Some(body), 2, args.connections, work)?;
        wrk(&peer.url, Some(&peer_body), 2, args.connections, work)?;
        let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        let (mut ours_p99, mut theirs_p99, mut errors) = (Vec::new(), Vec::new(), 0);
        for _ in 0..args.rounds.max(1) {
            let a = wrk(
                ours_url,
                Some(body),
                args.duration_secs,
                args.connections,
                work,
            )?;
            let b = wrk(
                &peer.url,
                Some(&peer_body),
                args.duration_secs,
                args.connections,
                work,
            )?;
            ratios.push(a.rps / b.rps);
            ours.push(a.rps);
            theirs.push(b.rps);
            ours_p99.push(a.p99_ms);
            theirs_p99.push(b.p99_ms);
            errors += a.errors + b.errors;
        }
        let each: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
        let ratio = median(&mut ratios);
        writeln!(
            out,
            "| {corpus} | {name} | {:.0} | {:.2} | {:.0} | {:.2} | {errors} | {} | **{ratio:.2}** |",
            median(&mut ours),
            median(&mut ours_p99),
            median(&mut theirs),
            median(&mut theirs_p99),
            each.join(" / "),
        )?;
        eprintln!(
            "{corpus} {name}: caregraph / PostGraphile {}",
            each.join(", ")
        );
    }
    Ok(())
}
