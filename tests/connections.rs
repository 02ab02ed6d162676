//! Slow and idle clients against the real server over loopback (issue 24): the header, body and
//! idle deadlines free the slots of the connection cap, so clients that hold connections without
//! finishing requests cannot lock others out.
//!
//! Timings allow [`MARGIN`] for a busy two-core machine running other tests, yet each assertion
//! fails without the limit it is about: a slowloris client is otherwise never let go, and a
//! request behind a full cap is otherwise never answered.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant as StdInstant};

use caregraph::config::Connections;
use caregraph::http::HttpConfig;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, timeout};

use libtest_mimic::{Failed, Trial};

use crate::helpers::{Backend, TestApp, TestDb, runtime};

const SECOND: Duration = Duration::from_secs(1);
/// Added to every deadline a test waits for: other tests share the machine's two cores.
const MARGIN: Duration = Duration::from_secs(2);
/// How often a slowloris client sends the next byte of its head.
const TRICKLE: Duration = Duration::from_millis(300);
/// The longest a trickling client keeps trickling: far past every deadline under test.
const TRICKLE_FOR: Duration = Duration::from_secs(12);

const HEALTHZ: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: caregraph\r\n\r\n";

/// The real server over an empty database (`{ __typename }` needs no data), with these limits.
async fn spawn(backend: &Backend, connections: Connections) -> (TestApp, String) {
    let config = HttpConfig {
        connections,
        ..HttpConfig::default()
    };
    let app = TestApp::serving(TestDb::new(backend).await, config).await;
    let addr = app.base_url.trim_start_matches("http://").to_owned();
    (app, addr)
}

/// Reads one answer with a `Content-Length` body: its status, or why there was none.
async fn read_answer(stream: &mut (impl AsyncRead + Unpin)) -> Result<u16, String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut chunk).await {
            Ok(0) => return Err("closed before an answer".to_owned()),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(format!("read failed: {e}")),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no content-length in {head:?}"))?;
    while buf.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) => return Err("closed inside an answer".to_owned()),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(format!("read failed: {e}")),
        }
    }
    Ok(status)
}

/// Sends `request` on `stream` and reads its answer.
async fn exchange(stream: &mut TcpStream, request: &[u8]) -> Result<u16, String> {
    stream
        .write_all(request)
        .await
        .map_err(|e| format!("send failed: {e}"))?;
    read_answer(stream).await
}

/// A kept-alive connection that has had one answer and now sits idle.
async fn idle_client(addr: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    assert_eq!(exchange(&mut stream, HEALTHZ).await, Ok(200));
    stream
}

/// When the server closed `stream` (a read gave end of file or a reset), reading and dropping
/// anything sent before; `None` if it was still open after `within`.
async fn closed_at(stream: &mut (impl AsyncRead + Unpin), within: Duration) -> Option<Instant> {
    let mut chunk = [0u8; 4096];
    timeout(within, async {
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return Instant::now(),
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
}

/// A connected client sending `bytes` one every [`TRICKLE`] (then `a`s) and never finishing;
/// the task ends with how long after connecting the server closed it, `None` if it did not
/// within [`TRICKLE_FOR`].
async fn trickle(addr: &str, bytes: &'static [u8]) -> JoinHandle<Option<Duration>> {
    let stream = TcpStream::connect(addr).await.expect("connect");
    let connected = Instant::now();
    tokio::spawn(async move {
        let (mut read, mut write) = stream.into_split();
        let writer = tokio::spawn(async move {
            for i in 0.. {
                let byte = bytes.get(i).copied().unwrap_or(b'a');
                if connected.elapsed() > TRICKLE_FOR || write.write_all(&[byte]).await.is_err() {
                    break;
                }
                sleep(TRICKLE).await;
            }
            // Keeps the socket open (no FIN) until the reader is done.
            std::future::pending::<()>().await;
        });
        let closed = closed_at(&mut read, TRICKLE_FOR).await;
        writer.abort();
        closed.map(|at| at - connected)
    })
}

/// A slowloris client: a head of ever longer header, one byte every [`TRICKLE`].
async fn slowloris(addr: &str) -> JoinHandle<Option<Duration>> {
    trickle(
        addr,
        b"GET /healthz HTTP/1.1\r\nHost: caregraph\r\nX-Slow: ",
    )
    .await
}

/// `{ __typename }` over a fresh connection: whether it was answered, and when.
async fn typename(addr: &str) -> (bool, Instant) {
    let client = reqwest::Client::new();
    let answer = client
        .post(format!("http://{addr}/graphql"))
        .json(&serde_json::json!({ "query": "{ __typename }" }))
        .timeout(TRICKLE_FOR)
        .send()
        .await;
    let ok = match answer {
        Ok(resp) => resp
            .json::<Value>()
            .await
            .is_ok_and(|body| body["data"]["__typename"] == "Query"),
        Err(_) => false,
    };
    (ok, Instant::now())
}

async fn slow_and_idle_clients_cannot_lock_others_out(backend: Backend) {
    // Arrange: 16 slots; a head must arrive within a second, and a second idle closes.
    let limits = Connections {
        header_timeout: SECOND,
        idle_timeout: SECOND,
        max_connections: 16,
        ..Connections::default()
    };
    let (_app, addr) = spawn(&backend, limits).await;
    // A client already connected, asking ten times a second.
    let mut fast = TcpStream::connect(&addr).await.expect("connect");
    assert_eq!(exchange(&mut fast, HEALTHZ).await, Ok(200));
    let mut idle = Vec::new();
    for _ in 0..5 {
        let mut stream = idle_client(&addr).await;
        let since = Instant::now();
        idle.push(tokio::spawn(async move {
            closed_at(&mut stream, TRICKLE_FOR)
                .await
                .map(|at| at - since)
        }));
    }

    // Act: fifteen slowloris clients, so 21 connections want 16 slots.
    let flood = Instant::now();
    let mut slow = Vec::new();
    for _ in 0..15 {
        slow.push(slowloris(&addr).await);
    }
    // The connected client keeps asking until the new one has its answer: once idle, it would
    // give its slot to the new client, which then gets one even if the slow clients keep theirs.
    let newcomer_done = AtomicBool::new(false);
    let fast_client = async {
        let mut slowest = Duration::ZERO;
        while flood.elapsed() < 3 * SECOND || !newcomer_done.load(Ordering::Relaxed) {
            let asked = Instant::now();
            assert_eq!(
                exchange(&mut fast, HEALTHZ).await,
                Ok(200),
                "the connected client was dropped {:?} into the flood",
                flood.elapsed()
            );
            slowest = slowest.max(asked.elapsed());
            sleep(Duration::from_millis(100)).await;
        }
        slowest
    };
    let newcomer = async {
        sleep(Duration::from_millis(200)).await;
        let answer = typename(&addr).await;
        newcomer_done.store(true, Ordering::Relaxed);
        answer
    };
    let (slowest, (answered, answered_at)) = tokio::join!(fast_client, newcomer);

    // Assert: the client that was already connected kept being answered promptly.
    assert!(
        slowest < SECOND + MARGIN,
        "an answer to the connected client took {slowest:?}"
    );
    // A new client waited for a slot (the cap held), and got one once the slow clients' heads
    // were overdue, within a second (and the margin).
    assert!(answered, "the new client got no answer");
    let waited = answered_at - flood;
    assert!(
        waited >= Duration::from_millis(500),
        "the new client was answered {waited:?} into the flood, before any slot could free: \
         the cap did not hold"
    );
    assert!(
        waited < limits.header_timeout + SECOND + MARGIN,
        "the new client was answered {waited:?} into the flood"
    );
    // Every slow client was disconnected once its head was overdue: those waiting for a slot a
    // header timeout after they got one.
    for (i, client) in slow.into_iter().enumerate() {
        let closed = client.await.expect("slowloris task");
        let Some(after) = closed else {
            panic!("slowloris client {i} was still connected after {TRICKLE_FOR:?}");
        };
        assert!(
            after >= Duration::from_millis(900),
            "slowloris client {i} was closed {after:?} after connecting, before its deadline"
        );
        assert!(
            after < 2 * limits.header_timeout + MARGIN,
            "slowloris client {i} was closed only {after:?} after connecting"
        );
    }
    // And every idle client a second after its answer.
    for (i, client) in idle.into_iter().enumerate() {
        let closed = client.await.expect("idle task");
        let Some(after) = closed else {
            panic!("idle client {i} was still connected after {TRICKLE_FOR:?}");
        };
        // The server's second began before the client had read its answer.
        assert!(
            after >= Duration::from_millis(500) && after < limits.idle_timeout + MARGIN,
            "idle client {i} was closed {after:?} after its answer"
        );
    }
}

async fn idle_connections_give_way_when_every_slot_is_taken(backend: Backend) {
    // Arrange: 4 slots, a minute's idle timeout and a second's header timeout.
    let limits = Connections {
        header_timeout: SECOND,
        idle_timeout: Duration::from_secs(60),
        max_connections: 4,
        ..Connections::default()
    };
    let (_app, addr) = spawn(&backend, limits).await;
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(idle_client(&addr).await);
    }
    // Idle is not waiting for a head: with slots to spare, idle clients outlast the header
    // timeout and are answered again.
    sleep(limits.header_timeout + Duration::from_millis(500)).await;
    // None has been idle since before this.
    let since = Instant::now();
    for stream in &mut idle {
        assert_eq!(exchange(stream, HEALTHZ).await, Ok(200));
    }

    // Act: a fifth client, with every slot held by an idle one.
    let (answered, answered_at) = typename(&addr).await;

    // Assert: it was answered once the idle clients had had a header timeout, not a minute.
    assert!(answered, "the fifth client got no answer");
    let waited = answered_at - since;
    assert!(
        waited >= Duration::from_millis(500),
        "the fifth client was answered after {waited:?}: the cap did not hold"
    );
    assert!(
        waited < limits.header_timeout + SECOND + MARGIN,
        "the fifth client was answered after {waited:?}"
    );
    let mut closed = 0;
    for stream in &mut idle {
        if closed_at(stream, Duration::from_millis(100))
            .await
            .is_some()
        {
            closed += 1;
        }
    }
    assert!(closed >= 1, "no idle client gave way");
}

async fn a_body_that_does_not_arrive_in_time_is_answered_408(backend: Backend) {
    // Arrange: two seconds for a body; heads and idle time get more, so they do not interfere.
    let limits = Connections {
        header_timeout: Duration::from_secs(5),
        idle_timeout: Duration::from_secs(5),
        body_timeout: Duration::from_secs(2),
        ..Connections::default()
    };
    let (_app, addr) = spawn(&backend, limits).await;
    let body = br#"{"query":"{ __typename }","variables":{}}"#;
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: caregraph\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );

    // A whole body is answered as usual.
    let mut whole = TcpStream::connect(&addr).await.expect("connect");
    let request = [head.as_bytes(), body].concat();
    assert_eq!(exchange(&mut whole, &request).await, Ok(200));

    // Half a body, then nothing.
    let mut stalled = TcpStream::connect(&addr).await.expect("connect");
    let sent = Instant::now();
    let half = [head.as_bytes(), &body[..body.len() / 2]].concat();
    stalled.write_all(&half).await.expect("send half a request");
    let answer = timeout(limits.body_timeout + MARGIN, read_answer(&mut stalled)).await;
    let after = sent.elapsed();
    assert_eq!(
        answer,
        Ok(Ok(408)),
        "a stalled body was answered so after {after:?}"
    );
    assert!(
        after >= limits.body_timeout - Duration::from_millis(100),
        "a stalled body was answered 408 after {after:?}, before its deadline"
    );
    assert!(
        closed_at(&mut stalled, MARGIN).await.is_some(),
        "the connection stayed open after the 408"
    );

    // A body trickled a byte every 300 ms never keeps the server waiting long for its next
    // byte, but its deadline is for the whole body. The server may close before the 408 is
    // read (bytes still arriving turn its close into a reset), which is cut just the same.
    let (mut read, mut write) = TcpStream::connect(&addr)
        .await
        .expect("connect")
        .into_split();
    write
        .write_all(head.as_bytes())
        .await
        .expect("send the head");
    let sent = Instant::now();
    let writer = tokio::spawn(async move {
        for byte in body {
            if write.write_all(&[*byte]).await.is_err() {
                break;
            }
            sleep(TRICKLE).await;
        }
        std::future::pending::<()>().await;
    });
    let answer = timeout(limits.body_timeout + MARGIN, read_answer(&mut read)).await;
    let after = sent.elapsed();
    writer.abort();
    match answer {
        Ok(Ok(408)) => {}
        Ok(Err(closed)) => eprintln!("the trickled body was cut without its 408: {closed}"),
        other => panic!("a trickled body was answered {other:?} after {after:?}"),
    }
    assert!(
        after >= limits.body_timeout - Duration::from_millis(100),
        "a trickled body was cut after {after:?}, before its deadline"
    );
}

async fn shutdown_answers_requests_under_way_then_stops(backend: Backend) {
    // Arrange: the server with a shutdown signal of the test's own.
    let db = TestDb::new(&backend).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("read the bound address");
    let state = caregraph::http::AppState::with_config(db.db.clone(), HttpConfig::default());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(caregraph::http::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let mut idle = idle_client(&addr.to_string()).await;
    // A request under way: its head and half its body are in.
    let body = br#"{"query":"{ __typename }"}"#;
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: caregraph\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    let mut busy = TcpStream::connect(addr).await.expect("connect");
    let (first, rest) = body.split_at(body.len() / 2);
    busy.write_all(&[head.as_bytes(), first].concat())
        .await
        .expect("send half a request");
    sleep(Duration::from_millis(200)).await;

    // Act
    let _ = stop.send(());

    // Assert: the idle connection is closed at once, and no new one is taken.
    assert!(
        closed_at(&mut idle, MARGIN).await.is_some(),
        "the idle connection stayed open after the shutdown signal"
    );
    let refused = timeout(MARGIN, async {
        while TcpStream::connect(addr).await.is_ok() {
            sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(
        refused.is_ok(),
        "new connections were still taken after shutdown"
    );
    assert!(
        !server.is_finished(),
        "the server stopped before answering the request under way"
    );
    // The request under way is answered, and then the server is done.
    busy.write_all(rest)
        .await
        .expect("send the rest of the body");
    assert_eq!(read_answer(&mut busy).await, Ok(200));
    assert!(
        timeout(MARGIN, server).await.is_ok(),
        "the server had not stopped {MARGIN:?} after its last answer"
    );
}

/// Whether `prlimit` (util-linux) is there to start the server with few file descriptors.
fn has_prlimit() -> bool {
    std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// The server run out of file descriptors (128, with a cap it cannot reach) by clients that
/// connect and wait: its failed accepts are logged and retried after a pause, not in a loop
/// that spins, and once the clients leave it answers again.
fn accepts_that_fail_for_want_of_files_are_logged_and_retried() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let db = format!("sqlite://{}", dir.path().join("emfile.db").display());
    let mut server = KillOnDrop(
        std::process::Command::new("prlimit")
            .args(["--nofile=128:128", "--"])
            .arg(env!("CARGO_BIN_EXE_caregraph"))
            .args([
                "--database",
                &db,
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--no-auto-ingest",
            ])
            // Above the file limit, so accepts fail first; heads get a minute, so the server does
            // not free the clients' files itself while the test watches.
            .args(["--max-connections", "1000", "--header-timeout-secs", "60"])
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()?,
    );
    let stderr = server.0.stderr.take().ok_or("no stderr")?;
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
    let mut log = Vec::new();
    let addr = loop {
        let line = lines.next().ok_or("server exited before listening")??;
        if let Some(i) = line.find("http://") {
            break line[i + 7..].trim().trim_end_matches("/graphql").to_owned();
        }
        log.push(line);
    };
    let log = std::sync::Arc::new(std::sync::Mutex::new(log));
    let sink = std::sync::Arc::clone(&log);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(line);
        }
    });
    let failures = || {
        log.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .filter(|l| l.contains("accepting a connection failed"))
            .cloned()
            .collect::<Vec<_>>()
    };

    // More clients than the server has files; the kernel completes every handshake.
    let clients = (0..200)
        .map(|_| std::net::TcpStream::connect(&addr))
        .collect::<Result<Vec<_>, _>>()?;
    std::thread::sleep(Duration::from_secs(3));
    let seen = failures();
    assert!(
        seen.first()
            .is_some_and(|l| l.contains("Too many open files")),
        "no failed accept was logged with its error: {seen:?}"
    );
    // A pause of 10 ms doubling to 1 s allows about ten in three seconds; a loop with no
    // pause logs thousands.
    assert!(
        seen.len() < 40,
        "{} failed accepts logged in 3 s",
        seen.len()
    );

    drop(clients);
    let asked = StdInstant::now();
    let answered = runtime().block_on(async {
        reqwest::Client::new()
            .post(format!("http://{addr}/graphql"))
            .json(&serde_json::json!({ "query": "{ __typename }" }))
            .timeout(Duration::from_secs(10))
            .send()
            .await?
            .json::<serde_json::Value>()
            .await
    })?;
    assert_eq!(answered["data"]["__typename"], "Query");
    // The longest pause (1 s), and the margin of a busy machine.
    assert!(
        asked.elapsed() < Duration::from_secs(4),
        "answered {:?} after the clients left",
        asked.elapsed()
    );
    Ok(())
}

/// A child process killed (and reaped) when dropped, so that a failed assertion leaves no
/// server running.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

crate::cases!(
    slow_and_idle_clients_cannot_lock_others_out,
    idle_connections_give_way_when_every_slot_is_taken,
    a_body_that_does_not_arrive_in_time_is_answered_408,
    shutdown_answers_requests_under_way_then_stops,
);

/// The tests that start the binary rather than the router.
pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test(
            "connections::accepts_that_fail_for_want_of_files_are_logged_and_retried",
            accepts_that_fail_for_want_of_files_are_logged_and_retried,
        )
        // It starts the server with few files through util-linux's `prlimit`.
        .with_ignored_flag(!has_prlimit()),
    ]
}
