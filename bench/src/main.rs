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
//! PATH, and `npm` for the peer.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;

mod layers;

#[derive(Debug, Parser)]
#[command(about = "caregraph benchmarks: ingest at scale and query throughput against a ceiling")]
struct Args {
    /// Corpus sizes, in pages.
    #[arg(long, value_delimiter = ',', default_value = "100,1000,10000")]
    sizes: Vec<usize>,
    /// Seconds of load per query.
    #[arg(long, default_value_t = 10)]
    duration_secs: u64,
    /// Concurrent connections of the load generator.
    #[arg(long, default_value_t = 32)]
    connections: u32,
    /// A PostgreSQL server (admin URL) to run the same benchmarks on.
    #[arg(long, env = "CAREGRAPH_BENCH_POSTGRES")]
    postgres: Option<String>,
    /// Skip the query benchmarks (ingest only).
    #[arg(long)]
    skip_queries: bool,
    /// Rounds of the comparison with PostGraphile: each round measures both, back to back.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Skip the peer (PostGraphile) on PostgreSQL.
    #[arg(long)]
    no_peers: bool,
    /// Pages of the corpus `search` is measured on at scale, on SQLite (about 20 passages a
    /// page: 50,000 pages make a million passages); 0 skips it.
    #[arg(long, default_value_t = 50_000)]
    search_pages: usize,
    /// Measure only what each reuse layer is worth (step 7), on the real corpus.
    #[arg(long)]
    layers_only: bool,
    /// Where corpora and databases are made.
    #[arg(long, default_value = "target/bench")]
    work_dir: PathBuf,
}

const SLUG2: &str = "open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care";
const PLAN: &str = "care-digital-age-delivery-plan-2023-24";
const STRATEGY: &str = "scotlands-digital-health-care-strategy-enabling-connecting-empowering";
const DEV: &str = "the-person-centred-ehealth-strategy-and-delivery-plan-stage-one";

struct Templates {
    overview: String,
    report: String,
    plan: String,
    strategy: String,
    dev: String,
}

fn read(path: PathBuf) -> Result<String> {
    std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
}

impl Templates {
    fn load() -> Result<Self> {
        let snap = ingest::bundled_snapshot();
        let gov = snap.join("www.gov.scot/publications");
        Ok(Self {
            overview: read(gov.join(SLUG2).join("index.html"))?,
            report: read(
                gov.join(SLUG2)
                    .join("pages/progress-to-august-2022/index.html"),
            )?,
            plan: read(gov.join(PLAN).join("index.html"))?,
            strategy: read(gov.join(STRATEGY).join("pages/5/index.html"))?,
            dev: read(
                snap.join("www.ehealth.nhs.scot/strategies")
                    .join(DEV)
                    .join("index.html"),
            )?,
        })
    }
}

fn write(root: &Path, rel: &str, body: &str) -> Result<()> {
    let path = root.join(rel).join("index.html");
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, body).with_context(|| format!("writing {}", path.display()))
}

/// Writes `pages` pages in the real templates: each group of five is a commitment overview,
/// its progress report, a delivery plan, a strategy page and a development page, all with
/// their own addresses, titles and numbers.
fn generate(t: &Templates, root: &Path, pages: usize) -> Result<()> {
    for i in 0..pages {
        let n = i / 5 + 3;
        let slug = format!("open-government-action-plan-2021-to-2025-commitment-{n}-synthetic-{n}");
        // Each commitment's dates move by up to seven years, so timelines spread as a real
        // archive's would instead of stacking every commitment on the same days.
        let years = n % 8;
        // And each is about its own topic, with its own partners, so a phrase like "civil
        // society group" is as rare in a large corpus as in a real archive, not on every page.
        let topic = TOPICS[n % TOPICS.len()];
        let partners = PARTNERS[(n / TOPICS.len()) % PARTNERS.len()];
        let as_commitment = |html: &str| {
            let html = shift_years(&html.replace(SLUG2, "\u{1}"), years)
                .replace('\u{1}', &slug)
                .replace(
                    "commitment 2: health and social care",
                    &format!("commitment {n}: {topic} {n}"),
                );
            respell(
                &respell(&html, "health and social care", topic),
                "civil society",
                partners,
            )
        };
        match i % 5 {
            0 => write(
                root,
                &format!("www.gov.scot/publications/{slug}"),
                &as_commitment(&t.overview),
            )?,
            1 => write(
                root,
                &format!("www.gov.scot/publications/{slug}/pages/progress-to-august-2022"),
                &as_commitment(&t.report),
            )?,
            2 => {
                let plan = format!("{PLAN}-{n}");
                let body = shift_years(&t.plan.replace(PLAN, "\u{1}"), years)
                    .replace('\u{1}', &plan)
                    .replace(
                        "Scotland’s Digital Health and Care Strategy",
                        &format!("Scotland’s Digital Health and Care Strategy {n}"),
                    );
                write(root, &format!("www.gov.scot/publications/{plan}"), &body)?;
            }
            3 => {
                let s = format!("{STRATEGY}-{n}");
                let body = t.strategy.replace(STRATEGY, &s).replace(
                    "enabling, connecting and empowering",
                    &format!("enabling, connecting and empowering {n}"),
                );
                write(
                    root,
                    &format!("www.gov.scot/publications/{s}/pages/5"),
                    &body,
                )?;
            }
            _ => {
                let d = format!("{DEV}-{n}");
                let body = t
                    .dev
                    .replace(DEV, &d)
                    .replace("Strategy 2017-22", &format!("Strategy 2017-22 edition {n}"));
                write(root, &format!("www.ehealth.nhs.scot/strategies/{d}"), &body)?;
            }
        }
    }
    Ok(())
}

/// What synthetic commitments are about (the first is the real one's).
const TOPICS: [&str; 30] = [
    "health and social care",
    "financial transparency",
    "climate change",
    "justice",
    "education",
    "housing",
    "transport",
    "digital public services",
    "procurement",
    "local democracy",
    "land reform",
    "fisheries",
    "public health",
    "policing",
    "fair work",
    "social security",
    "culture",
    "tourism",
    "energy",
    "water",
    "agriculture",
    "planning",
    "data sharing",
    "open contracting",
    "participatory budgeting",
    "child poverty",
    "mental health",
    "immigration",
    "equalities",
    "community empowerment",
];

/// Who synthetic commitments work with (the first is the real one's).
const PARTNERS: [&str; 20] = [
    "civil society",
    "third sector",
    "community councils",
    "young people",
    "disabled people",
    "unpaid carers",
    "local authorities",
    "trade unions",
    "faith communities",
    "older people",
    "rural communities",
    "island communities",
    "service users",
    "patient forums",
    "housing associations",
    "social enterprises",
    "universities",
    "employers",
    "veterans",
    "volunteers",
];

/// The page with `phrase` replaced by `with` in lower case, at the start of a sentence and in
/// a title ("health and social care", "Health and social care", "Health and Social Care").
fn respell(html: &str, phrase: &str, with: &str) -> String {
    fn upper_first(s: &str) -> String {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    }
    fn title(s: &str) -> String {
        s.split(' ')
            .map(|w| {
                if w.len() > 3 {
                    upper_first(w)
                } else {
                    w.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
    html.replace(phrase, with)
        .replace(&upper_first(phrase), &upper_first(with))
        .replace(&title(phrase), &title(with))
}

/// The page with every year from 2000 to 2039 moved `by` years later (latest first, so no year
/// is moved twice).
fn shift_years(html: &str, by: usize) -> String {
    let mut out = html.to_owned();
    if by == 0 {
        return out;
    }
    for year in (2000..2040).rev() {
        out = out.replace(&year.to_string(), &(year + by).to_string());
    }
    out
}

fn caregraph_binary() -> Result<PathBuf> {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--bin", "caregraph"])
        .status()
        .context("building caregraph")?;
    if !status.success() {
        bail!("cargo build --release --bin caregraph failed");
    }
    let exe = std::env::current_exe()?;
    let dir = exe.parent().context("no folder for the bench binary")?;
    Ok(dir.join("caregraph"))
}

/// A process's peak resident memory so far, in KiB (Linux).
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

struct IngestResult {
    seconds: f64,
    peak_mib: f64,
}

fn ingest(bin: &Path, database: &str, snapshot: &Path) -> Result<IngestResult> {
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["--database", database, "ingest", "--quiet", "--snapshot"])
        .arg(snapshot)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut peak = 0;
    let status = loop {
        if let Some(p) = peak_kib(child.id()) {
            peak = peak.max(p);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            std::io::Read::read_to_string(&mut e, &mut err)?;
        }
        bail!("ingest into {database} failed: {err}");
    }
    #[expect(clippy::cast_precision_loss, reason = "KiB counts are far below 2^52")]
    let peak_mib = peak as f64 / 1024.0;
    Ok(IngestResult {
        seconds: started.elapsed().as_secs_f64(),
        peak_mib,
    })
}

/// Runs SQL statements on the database at `url`, one after another.
fn execute_sql(url: &str, statements: &[&str]) -> Result<()> {
    tokio::runtime::Runtime::new()?.block_on(async {
        use sea_orm::ConnectionTrait;
        let db = sea_orm::Database::connect(url).await?;
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok::<_, sea_orm::DbErr>(())
    })?;
    Ok(())
}

/// A database per benchmark: a SQLite file, or a PostgreSQL database made for it.
fn database(kind: &str, admin: Option<&str>, work: &Path, name: &str) -> Result<String> {
    match (kind, admin) {
        ("postgres", Some(admin)) => {
            let (server, _) = admin
                .rsplit_once('/')
                .context("admin URL without a database")?;
            // Two statements: CREATE DATABASE cannot share a transaction with another.
            execute_sql(
                admin,
                &[
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                    &format!("CREATE DATABASE {name}"),
                ],
            )?;
            // Both servers reach PostgreSQL over loopback, and PostGraphile's client speaks
            // plain TCP unless told otherwise; caregraph's would try TLS first.
            Ok(format!("{server}/{name}?sslmode=disable"))
        }
        _ => {
            let file = work.join(format!("{name}.db"));
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
            // The search index beside it, so every ingest measured builds it from nothing.
            let _ = std::fs::remove_dir_all(ingest::search_index::dir_for(&file));
            Ok(format!("sqlite://{}", file.display()))
        }
    }
}

/// A researcher's search: the best ten passages for `words`, with snippets, their pages'
/// titles and how many passages match.
fn search_body(words: &str) -> String {
    format!(
        r#"{{"query":"query($q: String!) {{ search(query: $q, first: 10) {{ totalCount nodes {{ snippet score passage {{ document {{ title }} }} }} }} }}","variables":{{"q":"{words}"}}}}"#
    )
}

/// The deep linked query with a page size of its own per request ([`VARIED_FIRST`]): no two
/// requests at the same time send the same statements, so none can share them.
const DEEP_VARIED: &str = r#"{"query":"{ commitments(first: @FIRST@) { nodes { number milestones(first: 10) { nodes { title startDate progressUpdates { reportTitle text source { url } } } } organisations { name } } } }"}"#;

/// The four representative queries, and the deep one with pages varied.
fn queries(node_id: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "deep linked query",
            r#"{"query":"{ commitments(first: 20) { nodes { number milestones(first: 10) { nodes { title startDate progressUpdates { reportTitle text source { url } } } } organisations { name } } } }"}"#.to_owned(),
        ),
        (
            "deep linked query, pages varied",
            DEEP_VARIED.to_owned(),
        ),
        (
            "timeline",
            r#"{"query":"{ timeline(from: \"2021-01-01\", to: \"2022-12-31\") { date endDate kind title } }"}"#.to_owned(),
        ),
        ("search", search_body("civil society group")),
        (
            "node lookup",
            format!(
                r#"{{"query":"query($id: ID!) {{ node(id: $id) {{ id ... on Commitment {{ title periodStart }} }} }}","variables":{{"id":"{node_id}"}}}}"#
            ),
        ),
    ]
}

struct Load {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
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
const VARIED_FIRST: &str = "@FIRST@";

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
fn wrk(
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
fn against_ceiling(ours: &Load, top: &Load) -> String {
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

struct Server {
    child: std::process::Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(bin: &Path, database: &str, work: &Path, cache: bool) -> Result<Server> {
    // Without the response cache each request is measured running, not replayed from memory.
    let entries = if cache { "1024" } else { "0" };
    serve_with(bin, database, work, &["--response-cache-entries", entries])
}

/// Serves `database` with `flags` added to `serve`'s, on a port of its own.
fn serve_with(bin: &Path, database: &str, work: &Path, flags: &[&str]) -> Result<Server> {
    static SERVERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SERVERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let log = work.join(format!("server-{n}.log"));
    let child = Command::new(bin)
        .args([
            "--database",
            database,
            "--no-migrate",
            "serve",
            "--bind",
            "127.0.0.1:0",
        ])
        .arg("--no-auto-ingest")
        .args(flags)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log)?)
        .spawn()?;
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if let Some(i) = text.find("http://") {
            let url = text[i..]
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            return Ok(Server { child, url });
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!("the server did not start: {text}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn post(url: &str, body: &str) -> Result<String> {
    let out = Command::new("curl")
        .args([
            "-s",
            "-H",
            "content-type: application/json",
            "-d",
            body,
            url,
        ])
        .output()
        .context("running curl")?;
    Ok(String::from_utf8(out.stdout)?)
}

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

/// The first commitment's node ID, in either server's naming.
fn first_node_id(url: &str, root: &str) -> Result<String> {
    let body = format!(r#"{{"query":"{{ {root}(first: 1) {{ nodes {{ id }} }} }}"}}"#);
    let answer: serde_json::Value = serde_json::from_str(&post(url, &body)?)?;
    answer["data"][root]["nodes"][0]["id"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("no commitment ID from {url}: {answer}"))
}

/// The median of `values` (the mean of the middle two for an even count).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 0 => f64::midpoint(values[mid - 1], values[mid]),
        _ => values[mid],
    }
}

/// caregraph against PostGraphile on the same database, query by query: after a warm-up of
/// each (V8 compiles its hot paths; both pools open their connections), `--rounds` rounds of
/// caregraph then PostGraphile, back to back, so both see the machine as it was in the same
/// minute. Reports the medians and each round's ratio.
fn compare_with_peer(
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

/// Drives `url` (POSTing `body`, or GETting it when `None`), then the ceiling answering the
/// same `answer`, the same way; returns our load and the table cells shared with the ceiling.
fn measure_with_ceiling(
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

/// The ceiling: an axum handler that answers POST /graphql with fixed bytes.
fn ceiling(body: String) -> Result<(String, std::thread::JoinHandle<()>)> {
    let (tx, rx) = std::sync::mpsc::channel();
    let handle = std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::bind("127.0.0.1:0").await else {
                return;
            };
            let addr = listener
                .local_addr()
                .map(|a| a.to_string())
                .unwrap_or_default();
            let _ = tx.send(format!("http://{addr}/graphql"));
            let answer = move || {
                let body = body.clone();
                async move { ([("content-type", "application/json")], body) }
            };
            let app = axum::Router::new()
                .route("/graphql", axum::routing::get(answer.clone()).post(answer));
            let _ = axum::serve(listener, app).await;
        });
    });
    let url = rx.recv_timeout(Duration::from_secs(10))?;
    Ok((url, handle))
}

/// `search` on a corpus of `--search-pages` pages (a million passages by default) on SQLite,
/// for a phrase as rare as in a real archive and for a word on most pages, under the bench's
/// load and one request at a time (the query's own latency, with no queue).
fn search_at_scale(
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

fn main() -> Result<()> {
    let args = Args::parse();
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

    writeln!(report, "### Ingest\n")?;
    writeln!(
        report,
        "| backend | pages | seconds | pages/s | peak RSS (MiB) | time / previous size |"
    )?;
    writeln!(report, "|---|---|---|---|---|---|")?;
    let mut largest: Vec<(String, String)> = Vec::new();
    for backend in &backends {
        let mut previous: Option<f64> = None;
        for &size in &args.sizes {
            let corpus = work.join(format!("corpus-{size}"));
            if !corpus.exists() {
                generate(&templates, &corpus, size)?;
            }
            let db = database(
                backend,
                args.postgres.as_deref(),
                &work,
                &format!("bench_{size}"),
            )?;
            let r = ingest(&bin, &db, &corpus)?;
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

    if !args.skip_queries {
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
        for backend in &backends {
            let small = database(backend, args.postgres.as_deref(), &work, "bench_real")?;
            ingest(&bin, &small, &ingest::bundled_snapshot())?;
            targets.push(((*backend).to_owned(), "real (5 pages)".to_owned(), small));
        }
        for (backend, db) in largest {
            let size = args.sizes.iter().max().copied().unwrap_or(0);
            targets.push((backend, format!("synthetic ({size} pages)"), db));
        }
        for (backend, corpus, db) in targets {
            let server = serve(&bin, &db, &work, false)?;
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
                let (ours, cells) =
                    measure_with_ceiling(&server.url, Some(&body), answer, &args, &work)?;
                writeln!(report, "| {backend} | {corpus} | {name} | {cells} |")?;
                eprintln!("{backend} {corpus} {name}: {:.0} req/s", ours.rps);
            }
            if backend == "postgres" && !args.no_peers {
                compare_with_peer(&server.url, &db, &corpus, &args, &work, &mut peer_report)?;
            }
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
    }
    if !args.skip_queries && args.search_pages > 0 {
        search_at_scale(&bin, &templates, &args, &work, &mut report)?;
    }
    if !args.skip_queries {
        // Repeated identical GETs, answered from the response cache, against the ceiling.
        let db = database("sqlite", None, &work, "bench_cached")?;
        ingest(&bin, &db, &ingest::bundled_snapshot())?;
        let server = serve(&bin, &db, &work, true)?;
        let (name, body) = queries("").swap_remove(0);
        let query: serde_json::Value = serde_json::from_str(&body)?;
        let text = query["query"].as_str().unwrap_or_default();
        let encoded: String = text
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let url = format!("{}?query={encoded}", server.url);
        let answer = Command::new("curl").args(["-s", &url]).output()?.stdout;
        let (_, cells) =
            measure_with_ceiling(&url, None, String::from_utf8(answer)?, &args, &work)?;
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
        layers::measure(&bin, &backends, &args, &work, &mut report)?;
    }
    println!("{report}");
    Ok(())
}
