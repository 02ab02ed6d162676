//! One ingest at a time: a run holds the database's ingest lock from its start to its commit,
//! so a second run (another process, another pool, the admin route) fails at once naming the
//! first, or waits for it; two racing runs leave exactly one snapshot, never a mix.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use caregraph::http::HttpConfig;
use entity::{change, document};
use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use serde_json::Value;

use crate::helpers::{
    Backend, PROGRESS_AUG_2022, TestApp, TestDb, add_november_report, ingested, page_file,
    snapshot, snapshot_copy,
};

const BIN: &str = env!("CARGO_BIN_EXE_caregraph");

fn ingest_command(db: &str, snapshot: &Path, extra: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(["--database", db, "ingest", "--quiet"])
        .args(extra)
        .arg("--snapshot")
        .arg(snapshot)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// The run number a successful `caregraph ingest` printed ("run 7: 5 pages seen, ...").
fn run_number(out: &Output) -> Option<i64> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().find(|l| l.starts_with("run "))?;
    line.strip_prefix("run ")?.split(':').next()?.parse().ok()
}

async fn wait_output(child: std::process::Child) -> Output {
    tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("wait for the ingest command")
}

/// Begins a run and holds it, as a long ingest would; its number is returned with it.
async fn hold(db: &DatabaseConnection) -> (ingest::store::Run, i64) {
    let run = ingest::store::Run::begin(
        db,
        "held by the test",
        chrono::Utc::now(),
        ingest::OnBusy::Fail,
    )
    .await
    .expect("the first run takes the lock");
    let id = run.id();
    (run, id)
}

async fn while_a_run_is_held_others_fail_naming_it_or_wait(backend: Backend) {
    let db = ingested(&backend).await;
    let (held, id) = hold(&db.db).await;
    let named = format!("another ingest is running (run {id}, started at ");

    // Another pool on the same database, as another server would hold.
    let other = TestDb::attach(&db.url).await;
    match ingest::ingest_snapshot(&other.db, &snapshot(), ingest::Progress::Quiet).await {
        Err(e) => assert!(e.to_string().starts_with(&named), "{e}"),
        Ok(run) => panic!("a second run was stored while the first held the lock: {run:?}"),
    }

    // Another process: it fails at once, and says which run it met.
    let out = ingest_command(&db.url, &snapshot(), &[])
        .output()
        .expect("run caregraph ingest");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains(&named), "{stderr}");

    // The admin route answers 409 with the same words.
    let config = HttpConfig {
        admin_token: Some("t0ken".to_owned()),
        ..HttpConfig::default()
    };
    let app = TestApp::serving(TestDb::attach(&db.url).await, config).await;
    let resp = app
        .client
        .post(format!("{}/admin/ingest", app.base_url))
        .header(AUTHORIZATION, "Bearer t0ken")
        .send()
        .await
        .expect("POST");
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let body: Value = resp.json().await.expect("JSON");
    let error = body["error"].as_str().unwrap_or_default();
    assert!(error.starts_with(&named), "{body}");

    // With --wait, a process waits for the held run to end, then runs.
    let waiter = ingest_command(&db.url, &snapshot(), &["--wait"])
        .spawn()
        .expect("start caregraph ingest --wait");
    let mut waiter = waiter;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        waiter.try_wait().expect("poll the waiter").is_none(),
        "the waiting ingest ended while the lock was held"
    );
    held.cancel().await.expect("roll the held run back");
    let out = tokio::time::timeout(Duration::from_secs(60), wait_output(waiter))
        .await
        .expect("the waiter runs once the lock is free");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The held run was rolled back, so the waiter's run follows the first ingest's and finds
    // the bundled snapshot as stored.
    assert!(
        stdout.contains("5 pages seen, 0 added, 0 changed, 5 unchanged, 0 removed"),
        "{stdout}"
    );
}

/// What a database holds that a run decides: its pages and their content, and the change feed
/// run by run, without its times (within a run, the order of entries of one kind is not part
/// of the feed's contract, so each run's entries are sorted).
async fn state(db: &DatabaseConnection) -> (BTreeSet<(String, String)>, Vec<Vec<String>>) {
    let pages = document::Entity::find()
        .all(db)
        .await
        .expect("read documents")
        .into_iter()
        .map(|d| (d.url, d.content_hash))
        .collect();
    let mut runs: Vec<(i64, Vec<String>)> = Vec::new();
    for c in change::Entity::find()
        .order_by_asc(change::Column::Id)
        .all(db)
        .await
        .expect("read the change feed")
    {
        let entry = format!(
            "{:?} {} {} {}",
            c.action, c.subject_type, c.subject_id, c.label
        );
        match runs.last_mut() {
            Some((run, entries)) if *run == c.run_id => entries.push(entry),
            _ => runs.push((c.run_id, vec![entry])),
        }
    }
    let changes = runs
        .into_iter()
        .map(|(_, mut entries)| {
            entries.sort();
            entries
        })
        .collect();
    (pages, changes)
}

async fn two_racing_ingests_leave_one_snapshot_never_a_mix(backend: Backend) {
    // Two snapshots that differ from the stored one in different ways: one adds a report, the
    // other drops one. A mix would hold both changes.
    let added = snapshot_copy();
    add_november_report(added.path());
    let dropped = snapshot_copy();
    std::fs::remove_file(page_file(dropped.path(), PROGRESS_AUG_2022)).expect("drop a page");

    for round in 0..3 {
        let db = ingested(&backend).await;
        let started = Instant::now();
        let a = ingest_command(&db.url, added.path(), &[])
            .spawn()
            .expect("start");
        let b = ingest_command(&db.url, dropped.path(), &[])
            .spawn()
            .expect("start");
        let (a, b) = tokio::join!(wait_output(a), wait_output(b));
        let elapsed = started.elapsed();
        let mut stored = Vec::new();
        for (out, dir) in [(&a, added.path()), (&b, dropped.path())] {
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.success() {
                stored.push((run_number(out).expect("a run number"), dir));
            } else {
                assert!(
                    stderr.contains("another ingest is running (run "),
                    "round {round}: a run failed for another reason: {stderr}"
                );
            }
        }
        assert!(!stored.is_empty(), "round {round}: neither run was stored");
        stored.sort();

        // The same runs one after the other, on a database of their own, are the reference:
        // the same pages with the same content, and the same change feed.
        let reference = ingested(&backend).await;
        for (_, dir) in &stored {
            ingest::ingest_snapshot(&reference.db, dir, ingest::Progress::Quiet)
                .await
                .expect("the reference run");
        }
        let (pages, changes) = state(&db.db).await;
        let (want_pages, want_changes) = state(&reference.db).await;
        assert_eq!(
            pages, want_pages,
            "round {round}: the pages are a mix ({elapsed:?})"
        );
        assert_eq!(
            changes, want_changes,
            "round {round}: the change feed differs"
        );
    }
}

crate::cases!(
    while_a_run_is_held_others_fail_naming_it_or_wait,
    two_racing_ingests_leave_one_snapshot_never_a_mix,
);
