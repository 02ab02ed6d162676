//! Shared test plumbing: a fresh database per test on either backend, the real migrations,
//! the real ingest, and the real router on a loopback port.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use caregraph::http::{AppState, HttpConfig, serve};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// Which database a test runs against.
#[derive(Clone, Debug)]
pub enum Backend {
    /// A SQLite file in a temporary folder.
    Sqlite,
    /// A database created for the test on this PostgreSQL server (admin URL), dropped after.
    Postgres(String),
}

/// A backend-parameterised test body.
pub type Body = fn(Backend) -> Pin<Box<dyn Future<Output = ()> + Send>>;

/// A named test body, run once per backend.
pub struct Case {
    pub name: &'static str,
    pub body: Body,
}

/// Lists test functions `async fn name(backend: Backend)` as [`Case`]s.
#[macro_export]
macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        pub fn cases() -> Vec<$crate::helpers::Case> {
            vec![$($crate::helpers::Case {
                name: stringify!($name),
                body: |backend| Box::pin($name(backend)),
            }),*]
        }
    };
}

/// The PostgreSQL server the suite uses: `CAREGRAPH_TEST_POSTGRES`, else the local default.
pub fn postgres_admin_url() -> String {
    std::env::var("CAREGRAPH_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// Checks that the PostgreSQL server answers; the error says why not.
pub fn postgres_reachable(url: &str) -> Result<(), String> {
    runtime().block_on(async {
        let db = Database::connect(url).await.map_err(|e| e.to_string())?;
        db.execute_unprepared("SELECT 1")
            .await
            .map_err(|e| e.to_string())?;
        Ok(())
    })
}

/// A runtime for one test.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("build a tokio runtime")
}

/// The bundled snapshot.
pub fn snapshot() -> PathBuf {
    ingest::bundled_snapshot()
}

/// A copy of the bundled snapshot that a test may change.
pub fn snapshot_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("create a temporary folder");
    copy_dir(&snapshot(), dir.path());
    dir
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read snapshot folder") {
        let entry = entry.expect("read entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Path of a page inside a snapshot folder, from its URL path.
pub fn page_file(dir: &Path, host_and_path: &str) -> PathBuf {
    dir.join(host_and_path).join("index.html")
}

/// The commitment 2 overview page, relative to a snapshot folder.
pub const OVERVIEW: &str = "www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care";
/// The "Progress to August 2022" page, relative to a snapshot folder.
pub const PROGRESS_AUG_2022: &str = "www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care/pages/progress-to-august-2022";

/// Rewrites a page of a snapshot copy.
pub fn edit_page(dir: &Path, page: &str, edit: impl FnOnce(String) -> String) {
    let file = page_file(dir, page);
    let html = std::fs::read_to_string(&file).expect("read page");
    let changed = edit(html.clone());
    assert_ne!(changed, html, "the edit of {page} changed nothing");
    std::fs::write(&file, changed).expect("write page");
}

/// Adds a later progress report to a snapshot copy: the "Progress to August 2022" page under a
/// new page name and title ("Progress to November 2022").
pub fn add_november_report(dir: &Path) {
    let later = PROGRESS_AUG_2022.replace("august-2022", "november-2022");
    let dst = page_file(dir, &later);
    std::fs::create_dir_all(dst.parent().expect("parent")).expect("mkdir");
    let report = std::fs::read_to_string(page_file(dir, PROGRESS_AUG_2022)).expect("read");
    std::fs::write(
        &dst,
        report
            .replace("progress-to-august-2022", "progress-to-november-2022")
            .replace("Progress to August 2022", "Progress to November 2022"),
    )
    .expect("write");
}

static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty, migrated database, removed when dropped.
pub struct TestDb {
    pub url: String,
    pub db: DatabaseConnection,
    _dir: Option<tempfile::TempDir>,
    drop_pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn new(backend: &Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("create a temporary folder");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                let db = caregraph::db::connect(&url)
                    .await
                    .expect("open and migrate SQLite");
                Self {
                    url,
                    db,
                    _dir: Some(dir),
                    drop_pg: None,
                }
            }
            Backend::Postgres(admin) => {
                let name = format!(
                    "caregraph_test_{}_{}_{}",
                    std::process::id(),
                    NEXT_DB.fetch_add(1, Ordering::SeqCst),
                    chrono::Utc::now().timestamp_micros()
                );
                let admin_db = Database::connect(admin)
                    .await
                    .expect("connect to PostgreSQL");
                admin_db
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create the test database");
                let url = match admin.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/{name}"),
                    None => panic!("admin URL {admin} has no database part"),
                };
                let db = caregraph::db::connect(&url)
                    .await
                    .expect("open and migrate PostgreSQL");
                Self {
                    url,
                    db,
                    _dir: None,
                    drop_pg: Some((admin.clone(), name)),
                }
            }
        }
    }
}

impl TestDb {
    /// Another connection pool (as another server would hold) on the database at `url`, which
    /// its owner drops.
    pub async fn attach(url: &str) -> Self {
        let db = caregraph::db::connect(url).await.expect("connect again");
        Self {
            url: url.to_owned(),
            db,
            _dir: None,
            drop_pg: None,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.drop_pg.take() {
            // Drop is not async: a short-lived thread with its own runtime drops the database.
            let _ = std::thread::spawn(move || {
                runtime().block_on(async {
                    if let Ok(db) = Database::connect(&admin).await {
                        let _ = db
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// Ingests the bundled snapshot into `db` (again).
pub async fn ingest_bundled(db: &DatabaseConnection) -> ingest::RunSummary {
    ingest::ingest_snapshot(db, &snapshot(), ingest::Progress::Quiet)
        .await
        .expect("ingest the bundled snapshot")
}

/// A test database with the bundled snapshot ingested.
pub async fn ingested(backend: &Backend) -> TestDb {
    let db = TestDb::new(backend).await;
    ingest_bundled(&db.db).await;
    db
}

/// The real router, on a loopback port, over an ingested database.
pub struct TestApp {
    pub base_url: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    statements: Arc<AtomicU64>,
}

impl TestApp {
    pub async fn spawn(backend: &Backend) -> Self {
        Self::spawn_with(backend, HttpConfig::default()).await
    }

    /// The app with HTTP settings of the test's choosing.
    pub async fn spawn_with(backend: &Backend, config: HttpConfig) -> Self {
        Self::serving(ingested(backend).await, config).await
    }

    /// The app over a database as it is.
    pub async fn serving(mut db: TestDb, config: HttpConfig) -> Self {
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        db.db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("read the bound address");
        let state = AppState::with_config(db.db.clone(), config);
        tokio::spawn(serve(listener, state, std::future::pending()));
        Self {
            base_url: format!("http://{addr}"),
            client: reqwest::Client::new(),
            db,
            statements,
        }
    }

    /// The `/graphql` URL.
    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.base_url)
    }

    /// Posts a query and returns the whole response body.
    pub async fn post(&self, query: &str, variables: Value) -> Value {
        self.client
            .post(format!("{}/graphql", self.base_url))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("POST /graphql")
            .json()
            .await
            .expect("a JSON body")
    }

    /// Posts a query that must succeed and returns its `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let body = self.post(query, variables).await;
        assert!(
            body.get("errors").is_none(),
            "query failed: {body:#}\nquery: {query}"
        );
        body["data"].clone()
    }

    /// SQL statements run so far.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::SeqCst)
    }
}

/// The strings of a JSON array, or of one field of each object in it.
pub fn strings(v: &Value, field: Option<&str>) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|item| {
            let s = match field {
                Some(f) => &item[f],
                None => item,
            };
            s.as_str()
                .unwrap_or_else(|| panic!("not a string: {s}"))
                .to_owned()
        })
        .collect()
}

/// The fixture reports, one per report dialect, with their commitments' overviews: invented
/// text in gov.scot's markup, laid out as a snapshot.
pub fn report_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports")
}

/// A commitment whose progress report lists its partners, some with acronyms, and whose
/// overview names partners by acronym alone: invented text in gov.scot's markup, laid out as
/// a snapshot.
pub fn partner_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/partners")
}

/// A commitment overview printed without its "Timeframe" and "Problem" labels, and its
/// co-creation page (invented text in gov.scot markup).
pub fn overview_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/overviews")
}

/// A commitment overview whose labels are printed in every form but headings (bold paragraphs,
/// a bold lead, a definition term, a "Label:" line), with objectives as plain paragraphs and a
/// bold theme line (invented text in gov.scot markup, laid out as a snapshot).
pub fn label_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/labels")
}

/// A strategy printed like the refreshed 2021 one: a vision page whose aims are paragraphs in
/// three markups, and three priority pages labelled "Priority one", "Priority Four" and
/// "Priority five" (invented text in gov.scot markup, laid out as a snapshot).
/// One snapshot folder holding several fixture folders (`tests/fixtures/<name>`) together, so
/// one run ingests them all: a strategy family spread over several fixture sets.
pub fn fixture_union(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("create a temporary folder");
    for name in names {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&from, dir.path());
    }
    dir
}

pub fn strategy2021_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/strategy2021")
}
