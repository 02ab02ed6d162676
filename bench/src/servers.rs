//! The processes and databases the bench measures: the release `caregraph` binary (built,
//! ingesting with its peak memory sampled, and serving), a database per benchmark, the ceiling
//! (a plain axum handler answering fixed bytes), and the single requests sent to a server
//! outside the load.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

pub fn caregraph_binary() -> Result<PathBuf> {
    // `cargo run` hands the bench its own package's variables (CARGO_MANIFEST_DIR, CARGO_PKG_*,
    // a library path); build scripts that watch them (ring's watches CARGO_MANIFEST_DIR) rerun
    // when they change, so passed on, every bench run rebuilt ring and everything above it.
    let mut build = Command::new(env!("CARGO"));
    build.args(["build", "--release", "--quiet", "--bin", "caregraph"]);
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let from_cargo_run = name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_MANIFEST_")
            || [
                "CARGO_BIN_NAME",
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "LD_LIBRARY_PATH",
            ]
            .contains(&name.as_ref());
        if from_cargo_run {
            build.env_remove(name.as_ref());
        }
    }
    let status = build.status().context("building caregraph")?;
    if !status.success() {
        bail!("cargo build --release --bin caregraph failed");
    }
    let exe = std::env::current_exe()?;
    let dir = exe.parent().context("no folder for the bench binary")?;
    Ok(dir.join("caregraph"))
}

/// A process's peak resident memory so far, in KiB (Linux).
pub fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

pub struct IngestResult {
    pub seconds: f64,
    pub peak_mib: f64,
}

pub fn ingest(bin: &Path, database: &str, snapshot: &Path) -> Result<IngestResult> {
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

/// Runs the ingest of `snapshot` into `database`; answers its seconds and the entity changes
/// it says it recorded.
pub fn ingest_counting(
    bin: &Path,
    database: &str,
    snapshot: &Path,
    work: &Path,
) -> Result<(f64, usize)> {
    let out = work.join("ingest.out");
    let started = Instant::now();
    let status = Command::new(bin)
        .args(["--database", database, "ingest", "--quiet", "--snapshot"])
        .arg(snapshot)
        .stdout(std::fs::File::create(&out)?)
        .stderr(Stdio::null())
        .status()?;
    let seconds = started.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(&out)?;
    if !status.success() {
        bail!("ingest into {database} failed: {text}");
    }
    let recorded = text
        .lines()
        .find_map(|l| {
            l.split("; ")
                .nth(1)?
                .strip_suffix(" entity changes recorded")
        })
        .context("the ingest's summary line")?
        .parse()?;
    Ok((seconds, recorded))
}

/// Runs SQL statements on the database at `url`, one after another.
pub fn execute_sql(url: &str, statements: &[&str]) -> Result<()> {
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
pub fn database(kind: &str, admin: Option<&str>, work: &Path, name: &str) -> Result<String> {
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

pub struct Server {
    pub child: std::process::Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(bin: &Path, database: &str, work: &Path, cache: bool) -> Result<Server> {
    // Without the response cache each request is measured running, not replayed from memory.
    let entries = if cache { "1024" } else { "0" };
    serve_with(bin, database, work, &["--response-cache-entries", entries])
}

/// The server's connection pool on this machine's two cores (four per core), as `serve` gives it.
pub const DEFAULT_POOL: &str = "8";

/// Serves `database` with `flags` added to `serve`'s, on a port of its own.
pub fn serve_with(bin: &Path, database: &str, work: &Path, flags: &[&str]) -> Result<Server> {
    serve_in(bin, database, work, flags, &[])
}

/// [`serve_with`], with environment variables `env` set for the server.
pub fn serve_in(
    bin: &Path,
    database: &str,
    work: &Path,
    flags: &[&str],
    env: &[(&str, &str)],
) -> Result<Server> {
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
        .envs(env.iter().copied())
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

pub fn post(url: &str, body: &str) -> Result<String> {
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

/// A GET URL carrying `body`'s query.
pub fn get_url(server: &str, body: &str) -> Result<String> {
    let query: serde_json::Value = serde_json::from_str(body)?;
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
    Ok(format!("{server}?query={encoded}"))
}

/// The first commitment's node ID, in either server's naming.
pub fn first_node_id(url: &str, root: &str) -> Result<String> {
    let body = format!(r#"{{"query":"{{ {root}(first: 1) {{ nodes {{ id }} }} }}"}}"#);
    let answer: serde_json::Value = serde_json::from_str(&post(url, &body)?)?;
    answer["data"][root]["nodes"][0]["id"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("no commitment ID from {url}: {answer}"))
}

/// The ceiling: an axum handler that answers POST /graphql with fixed bytes.
pub fn ceiling(body: String) -> Result<(String, std::thread::JoinHandle<()>)> {
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
