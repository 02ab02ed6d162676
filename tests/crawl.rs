//! The live crawler against a real HTTP server on loopback that serves the bundled snapshot and
//! injects faults. No test touches the internet.
//!
//! The site serves each page with its canonical link on the host it is served from, as a
//! mirror would: a page fetched from one host that names itself on another is not believed
//! (issue 24), so the snapshot's `https://www.gov.scot/` links would otherwise be ignored.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use entity::{document, milestone, progress_update};
use ingest::crawl::CrawlConfig;
use ingest::{LiveOptions, Progress, RunSummary};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

use crate::helpers::{Backend, TestDb, ingested, snapshot};

const COMMITMENT: &str =
    "/publications/open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care/";
const REPORT: &str = "/publications/open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care/pages/progress-to-august-2022/";
/// Side-navigation entries of the commitment that the snapshot does not hold: each is a 404.
const MISSING_PAGES: usize = 6;

/// A fault the server plays once, for one path.
#[derive(Clone, Debug)]
enum Fault {
    Status(u16),
    RetryAfter(u16, u64),
    Slow(Duration),
}

#[derive(Default)]
struct SiteState {
    faults: HashMap<String, VecDeque<Fault>>,
    robots: Option<String>,
    overrides: HashMap<String, String>,
    /// Path → `Location` of a 301, answered every time.
    redirects: HashMap<String, String>,
    /// (when, path, request headers) of every request, in order.
    log: Vec<(Instant, String, HeaderMap)>,
}

/// The snapshot's www.gov.scot pages over HTTP, with faults.
#[derive(Clone)]
struct Site {
    root: PathBuf,
    state: Arc<Mutex<SiteState>>,
}

impl Site {
    fn new() -> Self {
        Self {
            root: snapshot().join("www.gov.scot"),
            state: Arc::default(),
        }
    }
    fn fault(&self, path: &str, faults: &[Fault]) {
        let mut s = self.state.lock().expect("lock");
        s.faults
            .entry(path.to_owned())
            .or_default()
            .extend(faults.iter().cloned());
    }
    fn robots(&self, body: &str) {
        self.state.lock().expect("lock").robots = Some(body.to_owned());
    }
    fn override_page(&self, path: &str, body: String) {
        self.state
            .lock()
            .expect("lock")
            .overrides
            .insert(path.to_owned(), body);
    }
    fn redirect(&self, path: &str, location: &str) {
        self.state
            .lock()
            .expect("lock")
            .redirects
            .insert(path.to_owned(), location.to_owned());
    }
    fn requests(&self, path: &str) -> Vec<(Instant, HeaderMap)> {
        self.state
            .lock()
            .expect("lock")
            .log
            .iter()
            .filter(|(_, p, _)| p == path)
            .map(|(t, _, h)| (*t, h.clone()))
            .collect()
    }
    fn all_requests(&self) -> Vec<(Instant, String)> {
        self.state
            .lock()
            .expect("lock")
            .log
            .iter()
            .map(|(t, p, _)| (*t, p.clone()))
            .collect()
    }
    fn page(&self, path: &str) -> Option<String> {
        if let Some(body) = self.state.lock().expect("lock").overrides.get(path) {
            return Some(body.clone());
        }
        let rel = path.trim_start_matches('/');
        std::fs::read_to_string(self.root.join(rel).join("index.html")).ok()
    }
}

async fn serve_site(State(site): State<Site>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().to_owned();
    let fault = {
        let mut s = site.state.lock().expect("lock");
        s.log.push((Instant::now(), path.clone(), headers.clone()));
        s.faults.get_mut(&path).and_then(VecDeque::pop_front)
    };
    if path == "/robots.txt" {
        let robots = site.state.lock().expect("lock").robots.clone();
        return match robots {
            Some(body) => body.into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        };
    }
    match fault {
        Some(Fault::Status(code)) => {
            return StatusCode::from_u16(code)
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                .into_response();
        }
        Some(Fault::RetryAfter(code, secs)) => {
            return (
                StatusCode::from_u16(code).unwrap_or(StatusCode::TOO_MANY_REQUESTS),
                [(header::RETRY_AFTER, secs.to_string())],
            )
                .into_response();
        }
        Some(Fault::Slow(wait)) => tokio::time::sleep(wait).await,
        None => {}
    }
    let redirect = site
        .state
        .lock()
        .expect("lock")
        .redirects
        .get(&path)
        .cloned();
    if let Some(location) = redirect {
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    let Some(body) = site.page(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let body = match headers.get(header::HOST).and_then(|h| h.to_str().ok()) {
        Some(host) => body.replace(
            r#"rel="canonical" href="https://www.gov.scot/"#,
            &format!(r#"rel="canonical" href="http://{host}/"#),
        ),
        None => body,
    };
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!(
        "\"{:02x}{:02x}{:02x}{:02x}\"",
        digest[0], digest[1], digest[2], digest[3]
    );
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag);
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (header::ETAG, etag),
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// The site on loopback, behind a TCP front that resets the first `resets` connections.
struct Running {
    site: Site,
    base: String,
    resets_done: Arc<AtomicUsize>,
}

async fn start(site: Site, resets: usize) -> Running {
    let app = Router::new().fallback(serve_site).with_state(site.clone());
    let inner = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let inner_addr = inner.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(inner, app).await });
    let front = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", front.local_addr().expect("addr"));
    let resets_done = Arc::new(AtomicUsize::new(0));
    let counter = resets_done.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut client, _)) = front.accept().await else {
                return;
            };
            if counter.load(Ordering::SeqCst) < resets {
                counter.fetch_add(1, Ordering::SeqCst);
                // Read the request, then reset the connection (linger 0 sends RST).
                let mut buf = [0u8; 1024];
                let _ = client.read(&mut buf).await;
                #[expect(
                    deprecated,
                    reason = "linger 0 resets at once rather than blocking; a reset is the fault under test"
                )]
                let _ = client.set_linger(Some(Duration::ZERO));
                drop(client);
                continue;
            }
            tokio::spawn(async move {
                if let Ok(mut server) = TcpStream::connect(inner_addr).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    Running {
        site,
        base,
        resets_done,
    }
}

/// The crawler's least gap between requests in these tests.
const INTERVAL: Duration = Duration::from_millis(100);

fn config() -> CrawlConfig {
    CrawlConfig {
        min_interval: INTERVAL,
        backoff: Duration::from_millis(50),
        page_timeout: Duration::from_secs(5),
        ..CrawlConfig::default()
    }
}

async fn crawl(
    db: &TestDb,
    running: &Running,
    config: CrawlConfig,
    save_to: &std::path::Path,
) -> RunSummary {
    crawl_root(db, format!("{}{COMMITMENT}", running.base), config, save_to).await
}

/// A live run from one root.
async fn crawl_root(
    db: &TestDb,
    root: String,
    config: CrawlConfig,
    save_to: &std::path::Path,
) -> RunSummary {
    ingest::ingest_live(
        &db.db,
        LiveOptions {
            roots: vec![root],
            save_to: save_to.to_path_buf(),
            crawl: config,
        },
        Progress::Quiet,
    )
    .await
    .expect("the run completes, whatever its pages did")
}

fn failures_for<'a>(summary: &'a RunSummary, path: &str) -> Vec<&'a String> {
    summary
        .failures
        .iter()
        .filter(|f| f.contains(&format!("{path}:")))
        .collect()
}

async fn updates(db: &TestDb) -> u64 {
    progress_update::Entity::find()
        .count(&db.db)
        .await
        .expect("count")
}

async fn a_crawl_stores_its_pages_and_saves_a_replayable_snapshot(backend: Backend) {
    let running = start(Site::new(), 0).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let summary = crawl(&db, &running, config(), saved.path()).await;

    assert_eq!(summary.added, 2, "the overview and the August 2022 report");
    assert_eq!(
        summary.failures.len(),
        MISSING_PAGES,
        "{:?}",
        summary.failures
    );
    assert!(summary.failures.iter().all(|f| f.ends_with("HTTP 404")));
    assert_eq!(
        milestone::Entity::find()
            .count(&db.db)
            .await
            .expect("count"),
        6
    );
    let linked = progress_update::Entity::find()
        .filter(progress_update::Column::MilestoneId.is_not_null())
        .count(&db.db)
        .await
        .expect("count");
    assert_eq!(linked, 3);

    // Politeness: one User-Agent that names us, robots.txt asked first, requests spaced out.
    let log = running.site.all_requests();
    assert_eq!(log[0].1, "/robots.txt");
    for (_, headers) in running.site.requests(COMMITMENT) {
        let agent = headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(agent.starts_with("caregraph/"), "{agent}");
    }
    // Measured where the requests arrive: one request delayed in transit (the suite runs many
    // tests on two cores) shortens the gap after it, so each gap may lose half the interval,
    // while the whole run, whose ends alone carry that jitter, must span every interval.
    for pair in log.windows(2) {
        assert!(
            pair[1].0 - pair[0].0 >= INTERVAL / 2,
            "requests {} and {} closer than the minimum interval",
            pair[0].1,
            pair[1].1
        );
    }
    if let (Some(first), Some(last)) = (log.first(), log.last()) {
        let gaps = u32::try_from(log.len() - 1).expect("few requests");
        assert!(
            last.0 - first.0 >= INTERVAL * gaps - Duration::from_millis(50),
            "{} requests in {:?}",
            log.len(),
            last.0 - first.0
        );
    }

    // The saved copies replay offline into the same documents.
    let replay = TestDb::new(&backend).await;
    let run = ingest::ingest_snapshot(&replay.db, saved.path(), Progress::Quiet)
        .await
        .expect("replay the saved snapshot");
    assert_eq!(run.added, 2);
    let hashes = |rows: Vec<document::Model>| {
        let mut h: Vec<(String, String)> =
            rows.into_iter().map(|d| (d.url, d.content_hash)).collect();
        h.sort();
        h
    };
    assert_eq!(
        hashes(
            document::Entity::find()
                .all(&replay.db)
                .await
                .expect("query")
        ),
        hashes(document::Entity::find().all(&db.db).await.expect("query"))
    );
}

async fn a_503_is_retried_and_then_stored(backend: Backend) {
    let site = Site::new();
    site.fault(REPORT, &[Fault::Status(503)]);
    let running = start(site, 0).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let summary = crawl(&db, &running, config(), saved.path()).await;
    assert!(
        failures_for(&summary, REPORT).is_empty(),
        "{:?}",
        summary.failures
    );
    assert_eq!(
        running.site.requests(REPORT).len(),
        2,
        "one 503, one success"
    );
    assert_eq!(updates(&db).await, 3);
}

async fn a_429_waits_as_long_as_retry_after_says(backend: Backend) {
    let site = Site::new();
    site.fault(REPORT, &[Fault::RetryAfter(429, 1)]);
    let running = start(site, 0).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let summary = crawl(&db, &running, config(), saved.path()).await;
    assert!(
        failures_for(&summary, REPORT).is_empty(),
        "{:?}",
        summary.failures
    );
    let tries = running.site.requests(REPORT);
    assert_eq!(tries.len(), 2);
    assert!(
        tries[1].0 - tries[0].0 >= Duration::from_secs(1),
        "retried after {:?}, before Retry-After: 1",
        tries[1].0 - tries[0].0
    );
    assert_eq!(updates(&db).await, 3);
}

async fn a_slow_page_times_out_and_its_old_data_stays(backend: Backend) {
    let site = Site::new();
    site.fault(REPORT, &[Fault::Slow(Duration::from_secs(4))]);
    let running = start(site, 0).await;
    // Data from an earlier run (the bundled snapshot holds the same report).
    let db = ingested(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let cfg = CrawlConfig {
        page_timeout: Duration::from_millis(800),
        ..config()
    };
    let summary = crawl(&db, &running, cfg, saved.path()).await;
    let failed = failures_for(&summary, REPORT);
    assert_eq!(failed.len(), 1, "{:?}", summary.failures);
    assert!(failed[0].contains("timed out"), "{}", failed[0]);
    assert_eq!(
        updates(&db).await,
        3,
        "the report's earlier data is still served"
    );
    assert_eq!(
        summary.removed, 0,
        "a live run never removes what it did not reach"
    );
}

async fn a_reset_connection_is_retried(backend: Backend) {
    let running = start(Site::new(), 1).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let summary = crawl(&db, &running, config(), saved.path()).await;
    assert_eq!(running.resets_done.load(Ordering::SeqCst), 1);
    assert_eq!(summary.added, 2, "{:?}", summary.failures);
    assert_eq!(summary.failures.len(), MISSING_PAGES);
}

async fn robots_txt_can_forbid_a_page(backend: Backend) {
    let site = Site::new();
    site.robots(&format!("User-agent: *\nDisallow: {REPORT}\n"));
    let running = start(site, 0).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let summary = crawl(&db, &running, config(), saved.path()).await;
    let failed = failures_for(&summary, REPORT);
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].ends_with("disallowed by robots.txt"),
        "{}",
        failed[0]
    );
    assert!(
        running.site.requests(REPORT).is_empty(),
        "the page was never requested"
    );
    assert_eq!(summary.added, 1);
}

async fn an_unchanged_page_costs_a_304_and_no_parse(backend: Backend) {
    let running = start(Site::new(), 0).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let first = crawl(&db, &running, config(), saved.path()).await;
    assert_eq!(first.added, 2);
    let second = crawl(&db, &running, config(), saved.path()).await;
    assert_eq!((second.added, second.changed, second.unchanged), (0, 0, 2));
    for path in [COMMITMENT, REPORT] {
        let requests = running.site.requests(path);
        assert_eq!(requests.len(), 2, "{path}");
        assert!(
            requests[1].1.contains_key(header::IF_NONE_MATCH),
            "the second request for {path} was conditional"
        );
    }
    assert_eq!(updates(&db).await, 3);
}

async fn a_drifted_page_is_reported_and_the_rest_stored(backend: Backend) {
    let site = Site::new();
    let overview = site.page(COMMITMENT).expect("overview");
    site.override_page(
        COMMITMENT,
        overview.replace(">Initial milestones</h3>", ">Next steps we are taking</h3>"),
    );
    let running = start(site, 0).await;
    let db = ingested(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let summary = crawl(&db, &running, config(), saved.path()).await;
    let failed = failures_for(&summary, COMMITMENT);
    assert_eq!(failed.len(), 1, "{:?}", summary.failures);
    assert!(failed[0].contains("milestones"), "{}", failed[0]);
    assert_eq!(
        milestone::Entity::find()
            .count(&db.db)
            .await
            .expect("count"),
        6,
        "the commitment's earlier milestones are still served"
    );
    // Its navigation was unreadable, so the report was never discovered, and so not refetched.
    assert!(running.site.requests(REPORT).is_empty());
}

async fn the_cli_exits_non_zero_when_a_page_failed(backend: Backend) {
    let running = start(Site::new(), 0).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_caregraph"))
        .args([
            "--database",
            &db.url,
            "ingest",
            "--live",
            "--quiet",
            "--min-interval-ms",
            "20",
        ])
        .args(["--root", &format!("{}{COMMITMENT}", running.base)])
        .arg("--save-to")
        .arg(saved.path())
        .output()
        .await
        .expect("run caregraph");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "404s make the run fail: {stdout}");
    assert!(stdout.contains("2 added"), "{stdout}");
    assert!(
        stdout.contains(&format!("{MISSING_PAGES} failed")),
        "{stdout}"
    );
    assert!(stdout.contains("pages/co-creation/: HTTP 404"), "{stdout}");
    assert_eq!(updates(&db).await, 3, "what could be fetched was stored");
}

async fn pages_past_the_limit_are_one_failure_line(backend: Backend) {
    let running = start(Site::new(), 0).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let cfg = CrawlConfig {
        max_pages: 1,
        ..config()
    };
    let summary = crawl(&db, &running, cfg, saved.path()).await;
    // The overview is fetched; its navigation names the August 2022 report and the six pages
    // the site does not have, none of which is asked for.
    assert_eq!(summary.added, 1);
    assert_eq!(
        summary.failures,
        [format!(
            "{} more pages not fetched: over the 1-page limit of a run",
            MISSING_PAGES + 1
        )]
    );
    assert!(running.site.requests(REPORT).is_empty());
}

/// How a [`Flood`] frames its body.
#[derive(Clone, Copy, Debug)]
enum Framing {
    /// `Transfer-Encoding: chunked`, no length announced.
    Chunked,
    /// This `Content-Length`, whatever is sent after it.
    Length(u64),
}

/// A bare HTTP/1.1 server on loopback for bodies axum would not send as asked: `/robots.txt`
/// is a 404, and any other path is answered, after a pause, with [`FLOOD_BYTES`] of spaces in
/// 64 KiB pieces a little apart, until the crawler hangs up.
struct Flood {
    base: String,
    /// Set when the first page request arrives, before any of its body is sent.
    asked: Arc<AtomicBool>,
    /// Body bytes the crawler's socket took.
    written: Arc<AtomicUsize>,
    /// Set when a page's body has ended: sent whole, or the crawler hung up.
    done: Arc<AtomicBool>,
}

/// The size of a [`Flood`] body.
const FLOOD_BYTES: usize = 64 * 1024 * 1024;
/// The page a [`Flood`] is crawled from.
const FLOOD_PAGE: &str = "/publications/flood/";

async fn flood(framing: Framing) -> Flood {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let asked = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let (asked_in, written_in, done_in) = (asked.clone(), written.clone(), done.clone());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (asked, written, done) = (asked_in.clone(), written_in.clone(), done_in.clone());
            tokio::spawn(async move {
                if flood_connection(socket, framing, &asked, &written).await {
                    done.store(true, Ordering::SeqCst);
                }
            });
        }
    });
    Flood {
        base,
        asked,
        written,
        done,
    }
}

/// Serves one connection; true when it carried a page's body.
async fn flood_connection(
    mut socket: TcpStream,
    framing: Framing,
    asked: &AtomicBool,
    written: &AtomicUsize,
) -> bool {
    // One connection may carry robots.txt and then the page.
    loop {
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return false,
                Ok(n) => request.extend_from_slice(&buf[..n]),
            }
        }
        let head = String::from_utf8_lossy(&request);
        if head.split_whitespace().nth(1) == Some("/robots.txt") {
            let answer = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n";
            if socket.write_all(answer).await.is_err() {
                return false;
            }
            continue;
        }
        asked.store(true, Ordering::SeqCst);
        // Time for the test to read the crawler's memory before the body starts.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let length = match framing {
            Framing::Chunked => "transfer-encoding: chunked".to_owned(),
            Framing::Length(n) => format!("content-length: {n}"),
        };
        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n{length}\r\n\r\n");
        if socket.write_all(head.as_bytes()).await.is_err() {
            return true;
        }
        let piece = vec![b' '; 64 * 1024];
        let mut sent = 0;
        while sent < FLOOD_BYTES {
            let framed = match framing {
                Framing::Chunked => {
                    let mut f = format!("{:x}\r\n", piece.len()).into_bytes();
                    f.extend_from_slice(&piece);
                    f.extend_from_slice(b"\r\n");
                    f
                }
                Framing::Length(_) => piece.clone(),
            };
            if socket.write_all(&framed).await.is_err() {
                return true;
            }
            sent += piece.len();
            written.fetch_add(piece.len(), Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        if let Framing::Chunked = framing {
            let _ = socket.write_all(b"0\r\n\r\n").await;
        }
        return true;
    }
}

/// `VmRSS` of a process, in KiB; `None` once it has exited.
fn memory_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
}

async fn a_chunked_body_over_the_limit_is_cut_off_without_filling_memory(backend: Backend) {
    // Arrange: 64 MiB, chunked, so no length warns the crawler; it runs in its own process
    // (the CLI), so that its memory is not the rest of the suite's.
    let flood = flood(Framing::Chunked).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_caregraph"))
        .args(["--database", &db.url, "ingest", "--live", "--quiet"])
        .args(["--root", &format!("{}{FLOOD_PAGE}", flood.base)])
        .arg("--save-to")
        .arg(saved.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run caregraph");
    let pid = child.id().expect("a running child");

    // Act: read its memory when the page is asked for, and then as the body comes, until
    // the body ends (what the CLI does after the crawl, such as indexing, is not the body).
    let sampler = tokio::spawn(async move {
        let (mut before, mut peak) = (None, 0);
        while let Some(rss) = memory_kib(pid) {
            if flood.done.load(Ordering::SeqCst) {
                break;
            }
            if flood.asked.load(Ordering::SeqCst) {
                let before = *before.get_or_insert(rss);
                peak = peak.max(rss).max(before);
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        (before, peak, flood.written.load(Ordering::SeqCst))
    });
    let out = child.wait_with_output().await.expect("caregraph ran");
    let (before, peak, written) = sampler.await.expect("the sampler ends");

    // Assert
    let before = before.expect("memory read before the body was sent");
    let grown_mib = peak.saturating_sub(before) / 1024;
    assert!(
        grown_mib < 32,
        "the crawler grew by {grown_mib} MiB reading a 64 MiB body (from {before} KiB to {peak} KiB)"
    );
    assert!(
        written < 32 * 1024 * 1024,
        "the server got {written} bytes away: the crawler kept reading"
    );
    assert!(written > 8 * 1024 * 1024, "only {written} bytes were sent");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("{FLOOD_PAGE}: body over 8388608 bytes")),
        "{stdout}"
    );
}

/// A live run of a fresh database from the [`Flood`]'s page.
async fn crawl_flood(backend: &Backend, flood: &Flood) -> RunSummary {
    let db = TestDb::new(backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    crawl_root(
        &db,
        format!("{}{FLOOD_PAGE}", flood.base),
        config(),
        saved.path(),
    )
    .await
}

async fn a_chunked_body_over_the_limit_fails_the_page_as_too_large(backend: Backend) {
    let flood = flood(Framing::Chunked).await;
    let summary = crawl_flood(&backend, &flood).await;
    assert_eq!(
        summary.failures,
        vec![format!(
            "{}{FLOOD_PAGE}: body over 8388608 bytes",
            flood.base
        )]
    );
    let written = flood.written.load(Ordering::SeqCst);
    assert!(written < 32 * 1024 * 1024, "{written} bytes sent");
}

async fn a_body_is_read_no_further_than_its_content_length(backend: Backend) {
    // 1000 bytes announced, 64 MiB sent: the crawler takes the 1000 (spaces, an empty page)
    // and no more.
    let flood = flood(Framing::Length(1000)).await;
    let summary = crawl_flood(&backend, &flood).await;
    assert_eq!(summary.failures.len(), 1, "{:?}", summary.failures);
    assert!(
        !summary.failures[0].contains("body over"),
        "{}",
        summary.failures[0]
    );
    let written = flood.written.load(Ordering::SeqCst);
    assert!(written < 32 * 1024 * 1024, "{written} bytes sent");
}

async fn a_body_announced_over_the_limit_is_refused_unread(backend: Backend) {
    // 2 GiB announced: refused on the headers, before the body.
    let flood = flood(Framing::Length(2 * 1024 * 1024 * 1024)).await;
    let summary = crawl_flood(&backend, &flood).await;
    assert_eq!(
        summary.failures,
        vec![format!(
            "{}{FLOOD_PAGE}: body over 8388608 bytes",
            flood.base
        )]
    );
    let written = flood.written.load(Ordering::SeqCst);
    assert!(written < 32 * 1024 * 1024, "{written} bytes sent");
}

/// The August 2022 report's side-navigation entry in the overview, pointed at `alias`.
fn overview_linking(site: &Site, alias: &str) -> String {
    let overview = site.page(COMMITMENT).expect("overview");
    let linked = format!(r#"href="{REPORT}""#);
    assert!(overview.contains(&linked), "the overview links the report");
    overview.replace(&linked, &format!(r#"href="{alias}""#))
}

/// An address of the commitment that the snapshot does not hold: the site redirects it.
const ALIAS: &str = "/publications/open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care/pages/august-2022/";

async fn documents_at(db: &TestDb, url: &str) -> u64 {
    document::Entity::find()
        .filter(document::Column::Url.eq(url))
        .count(&db.db)
        .await
        .expect("count")
}

async fn a_redirect_within_the_publication_is_followed_as_a_link(backend: Backend) {
    let site = Site::new();
    site.override_page(COMMITMENT, overview_linking(&site, ALIAS));
    site.redirect(ALIAS, REPORT);
    let running = start(site, 0).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let summary = crawl(&db, &running, config(), saved.path()).await;

    assert!(
        failures_for(&summary, ALIAS).is_empty(),
        "{:?}",
        summary.failures
    );
    assert_eq!(running.site.requests(ALIAS).len(), 1);
    assert_eq!(running.site.requests(REPORT).len(), 1);
    let base = &running.base;
    assert_eq!(documents_at(&db, &format!("{base}{REPORT}")).await, 1);
    assert_eq!(documents_at(&db, &format!("{base}{ALIAS}")).await, 0);
    assert_eq!(updates(&db).await, 3, "the report's three updates");
}

async fn a_redirect_to_another_host_is_not_followed_and_is_reported(backend: Backend) {
    let other = start(Site::new(), 0).await;
    let site = Site::new();
    site.redirect(REPORT, &format!("{}{REPORT}", other.base));
    let running = start(site, 0).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let summary = crawl(&db, &running, config(), saved.path()).await;

    assert!(
        other.site.all_requests().is_empty(),
        "the other host was asked for {:?}",
        other.site.all_requests()
    );
    let failed = failures_for(&summary, REPORT);
    assert_eq!(failed.len(), 1, "{:?}", summary.failures);
    let (base, target) = (&running.base, format!("{}{REPORT}", other.base));
    assert!(
        failed[0].starts_with(&format!(
            "{base}{REPORT}: redirects to {target}, which is not followed: "
        )),
        "{}",
        failed[0]
    );
    assert_eq!(documents_at(&db, &format!("{base}{REPORT}")).await, 0);
    assert_eq!(updates(&db).await, 0, "the report was not stored");
}

async fn a_redirect_into_a_disallowed_path_is_not_requested(backend: Backend) {
    let private = format!("{COMMITMENT}pages/private/");
    let site = Site::new();
    site.robots(&format!("User-agent: *\nDisallow: {private}\n"));
    site.override_page(COMMITMENT, overview_linking(&site, ALIAS));
    site.redirect(ALIAS, &private);
    let running = start(site, 0).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let summary = crawl(&db, &running, config(), saved.path()).await;

    assert!(running.site.requests(&private).is_empty());
    let failed = failures_for(&summary, ALIAS);
    assert_eq!(failed.len(), 1, "{:?}", summary.failures);
    assert!(failed[0].contains("robots.txt"), "{}", failed[0]);
    assert!(
        failed[0].contains(&format!("redirects to {}{private}", running.base)),
        "{}",
        failed[0]
    );
    assert!(
        failures_for(&summary, &private).is_empty(),
        "reported once, with the page that redirected: {:?}",
        summary.failures
    );
}

async fn a_canonical_link_to_another_publication_is_not_believed(backend: Backend) {
    // The report names itself as a page of commitment 6, on the same host.
    let other = "/publications/open-government-action-plan-2021-to-2025-commitment-6-shared-care-records/pages/progress-to-august-2022/";
    let site = Site::new();
    let report = site.page(REPORT).expect("report");
    let own = format!(r#"rel="canonical" href="https://www.gov.scot{REPORT}""#);
    assert!(report.contains(&own), "the report has its canonical link");
    site.override_page(
        REPORT,
        report.replace(
            &own,
            &format!(r#"rel="canonical" href="https://www.gov.scot{other}""#),
        ),
    );
    let running = start(site, 0).await;
    let db = TestDb::new(&backend).await;
    let saved = tempfile::tempdir().expect("tempdir");
    let summary = crawl(&db, &running, config(), saved.path()).await;

    let base = &running.base;
    assert_eq!(documents_at(&db, &format!("{base}{REPORT}")).await, 1);
    assert_eq!(documents_at(&db, &format!("{base}{other}")).await, 0);
    let warned: Vec<&String> = summary
        .warnings
        .iter()
        .filter(|w| w.contains("canonical link"))
        .collect();
    assert_eq!(warned.len(), 1, "{:?}", summary.warnings);
    assert!(
        warned[0].starts_with(&format!(
            "{base}{REPORT}: canonical link {base}{other} ignored"
        )),
        "{}",
        warned[0]
    );
    assert_eq!(
        updates(&db).await,
        3,
        "the report is stored, under its own address"
    );
}

crate::cases!(
    pages_past_the_limit_are_one_failure_line,
    a_crawl_stores_its_pages_and_saves_a_replayable_snapshot,
    a_503_is_retried_and_then_stored,
    a_429_waits_as_long_as_retry_after_says,
    a_slow_page_times_out_and_its_old_data_stays,
    a_reset_connection_is_retried,
    robots_txt_can_forbid_a_page,
    an_unchanged_page_costs_a_304_and_no_parse,
    a_drifted_page_is_reported_and_the_rest_stored,
    the_cli_exits_non_zero_when_a_page_failed,
    a_chunked_body_over_the_limit_is_cut_off_without_filling_memory,
    a_chunked_body_over_the_limit_fails_the_page_as_too_large,
    a_body_is_read_no_further_than_its_content_length,
    a_body_announced_over_the_limit_is_refused_unread,
    a_redirect_within_the_publication_is_followed_as_a_link,
    a_redirect_to_another_host_is_not_followed_and_is_reported,
    a_redirect_into_a_disallowed_path_is_not_requested,
    a_canonical_link_to_another_publication_is_not_believed,
);
