//! `GET /dashboard` in a real headless Chromium, and over plain HTTP.
//!
//! Chromium runs with every request that would leave loopback sent nowhere, so a page that
//! needed a CDN or a web font would show it. When Chromium is missing the browser test fails,
//! unless `CAREGRAPH_SKIP_BROWSER=1` is set outside CI (then it says so in a banner).

use std::path::Path;
use std::process::Command;

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_NONE_MATCH};

use crate::cases;
use crate::helpers::{Backend, OVERVIEW, TestApp, TestDb, edit_page, fixture_union, snapshot_copy};

cases!(
    dashboard_in_chromium_draws_every_dated_milestone_with_nothing_from_elsewhere,
    dashboard_fits_a_phone_and_a_desktop_in_chromium,
    graphiql_and_the_dashboard_run_in_chromium_with_nothing_refused_by_their_csp,
    dashboard_answers_304_to_a_matching_if_none_match,
    dashboard_query_parameters_narrow_the_view,
    dashboard_escapes_markup_in_page_titles,
    dashboard_colours_rows_by_status_and_groups_workstreams_by_priority_area,
    dashboard_names_a_restated_priority_area_by_its_canonical_element,
);

/// The milestones of commitment 2 in the bundled snapshot, as its overview page prints them
/// (read off the page by hand), and whether each is dated there.
const MILESTONES: &[(&str, bool)] = &[
    ("hire and on-board a person centred design team", true),
    (
        "develop the programme plan to ensure that the person centred user design work is built \
         into the programme management structure of all work around the re-design and \
         remobilisation of service post-pandemic",
        true,
    ),
    (
        "to establish a civil society group to work with Scottish Government officials over the \
         period of the action plan to review work that is undertaken, feedback on progress and \
         ensure actions are progressed as intended in winter 2021/2022.",
        true,
    ),
    (
        "review relevant good practice that has already been undertaken on this subject to learn \
         lessons from existing and previous work",
        false,
    ),
    (
        "test and embed good practice in a local or small scale environment to test the \
         developed approach on a different scale",
        false,
    ),
    (
        "review and apply changes to our work as it progresses based on learning and feedback",
        false,
    ),
];

/// The legend's colours: an accessible palette, one per status, and grey for none.
const LEGEND: &[(&str, &str)] = &[
    ("On track", "#009E73"),
    ("In progress", "#0072B2"),
    ("Behind schedule", "#D55E00"),
    ("Completed", "#3D3D3D"),
    ("Not started", "#AA4499"),
    ("No status reported", "#C8C8C8"),
];

/// Flags that keep Chromium on loopback: names other than 127.0.0.1 do not resolve, and
/// anything else goes to a proxy on a closed port.
const LOOPBACK_ONLY: &[&str] = &[
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
];

/// Whether the browser tests can run; fails the test when Chromium is missing unless skipping
/// was asked for outside CI.
pub fn chromium_available() -> bool {
    let found = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("chromium is not installed, and CI is set: install the Debian package `chromium`");
    }
    if std::env::var("CAREGRAPH_SKIP_BROWSER").as_deref() != Ok("1") {
        panic!(
            "chromium is not installed: install it (apt-get install chromium), or set \
             CAREGRAPH_SKIP_BROWSER=1 to skip the browser tests"
        );
    }
    let line = "=".repeat(78);
    eprintln!(
        "\n{line}\nBROWSER TEST SKIPPED: chromium is not installed and CAREGRAPH_SKIP_BROWSER=1.\n{line}\n"
    );
    false
}

/// Runs headless Chromium on `url`, kept on loopback, with `args` added; its stdout.
fn chromium(url: &str, args: &[&str]) -> String {
    chromium_output(url, args).0
}

/// Runs headless Chromium on `url`, kept on loopback, with `args` added; its stdout and stderr.
fn chromium_output(url: &str, args: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().expect("create a profile folder");
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--timeout=30000",
        ])
        .args(LOOPBACK_ONLY)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        output.status.success(),
        "chromium failed on {url}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The DOM of `url` once its scripts have run (five seconds of the page's time), and the lines
/// of its console that name the Content-Security-Policy: what the policy refused.
pub fn chromium_dom_and_refusals(url: &str) -> (String, Vec<String>) {
    let (dom, stderr) = chromium_output(
        url,
        &[
            "--dump-dom",
            "--virtual-time-budget=5000",
            "--enable-logging=stderr",
            "--v=0",
        ],
    );
    let refusals = stderr
        .lines()
        .filter(|l| l.contains("Content Security Policy"))
        .map(str::to_owned)
        .collect();
    (dom, refusals)
}

/// The DOM of `url` after Chromium loaded it.
pub fn chromium_dump_dom(url: &str) -> String {
    chromium(url, &["--dump-dom"])
}

/// A PNG screenshot of `url`, `width` by `height`, written to `to`.
pub fn chromium_screenshot(url: &str, to: &Path, width: u32, height: u32) {
    chromium(
        url,
        &[
            &format!("--screenshot={}", to.display()),
            &format!("--window-size={width},{height}"),
        ],
    );
    assert!(to.exists(), "no screenshot of {url} at {}", to.display());
}

/// What a page's layout measures in Chromium, as [`chromium_layout`] reads it.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Layout {
    /// `document.documentElement.scrollWidth`: how wide the page is.
    page_width: f64,
    /// `document.documentElement.clientWidth`: the viewport, less any vertical scroll bar.
    viewport_width: f64,
    /// The chart as drawn, and its box: a chart wider than its box scrolls inside it.
    chart_width: f64,
    chart_box_width: f64,
    chart_box_scroll_width: f64,
    /// The table's box: as wide as the viewport at most, however wide the table.
    table_box_right: f64,
    /// The right edge of the form's widest field, the subject select.
    subject_right: f64,
}

/// The measurements of [`Layout`], in one expression evaluated in the page.
const MEASURE: &str = "(() => {
  const box = (q) => document.querySelector(q).getBoundingClientRect();
  const figure = document.querySelector('.figure');
  return {
    pageWidth: document.documentElement.scrollWidth,
    viewportWidth: document.documentElement.clientWidth,
    chartWidth: box('svg.chart').width,
    chartBoxWidth: figure.clientWidth,
    chartBoxScrollWidth: figure.scrollWidth,
    tableBoxRight: box('.table-box').right,
    subjectRight: box('select[name=subject]').right,
  };
})()";

/// The layout of `url` in a headless Chromium viewport `width` by `height` (as
/// [`chromium_screenshot`] draws it), kept on loopback. The dashboard runs no script of ours
/// (its CSP has none), so the measurements are read over the DevTools protocol, whose
/// evaluation is the browser's own and outside the page's policy.
async fn chromium_layout(url: &str, width: u32, height: u32) -> Layout {
    use async_graphql::futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let profile = tempfile::tempdir().expect("create a profile folder");
    let mut child = tokio::process::Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu"])
        .args(LOOPBACK_ONLY)
        .arg("--remote-debugging-port=0")
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start chromium");
    // Chromium writes the port it chose to the profile once it listens.
    let port_file = profile.path().join("DevToolsActivePort");
    let started = std::time::Instant::now();
    let port = loop {
        let port = std::fs::read_to_string(&port_file)
            .ok()
            .and_then(|t| t.lines().next().and_then(|l| l.trim().parse::<u16>().ok()));
        if let Some(port) = port {
            break port;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "chromium opened no DevTools port"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let targets: serde_json::Value = reqwest::get(format!("http://127.0.0.1:{port}/json/list"))
        .await
        .expect("list chromium's pages")
        .json()
        .await
        .expect("a JSON list");
    let socket = targets
        .as_array()
        .and_then(|t| t.iter().find(|t| t["type"] == "page"))
        .and_then(|t| t["webSocketDebuggerUrl"].as_str())
        .unwrap_or_else(|| panic!("no page among {targets}"))
        .to_owned();
    let (mut ws, _) = tokio_tungstenite::connect_async(socket)
        .await
        .expect("connect to the page");
    let mut id = 0;
    let mut call = async |method: &str, params: serde_json::Value| -> serde_json::Value {
        id += 1;
        let call = serde_json::json!({ "id": id, "method": method, "params": params });
        ws.send(Message::text(call.to_string()))
            .await
            .expect("send");
        loop {
            let message = ws.next().await.expect("an answer").expect("a message");
            let Ok(text) = message.to_text() else {
                continue;
            };
            let answer: serde_json::Value = serde_json::from_str(text).expect("JSON");
            if answer["id"] == id {
                assert!(answer["error"].is_null(), "{method}: {answer}");
                return answer["result"].clone();
            }
        }
    };
    // A window has a least width (about 500 px); the viewport, as `--screenshot` draws it, not.
    let metrics = serde_json::json!({
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false,
    });
    call("Emulation.setDeviceMetricsOverride", metrics).await;
    let mut evaluate = async |expression: &str| -> serde_json::Value {
        let params = serde_json::json!({ "expression": expression, "returnByValue": true });
        let result = call("Runtime.evaluate", params).await;
        let thrown = &result["exceptionDetails"];
        assert!(thrown.is_null(), "{expression} threw {thrown}");
        result["result"]["value"].clone()
    };
    // The page target may still hold about:blank before it holds the page.
    let loaded = format!(
        "document.readyState === 'complete' && location.href === {}",
        serde_json::Value::from(url)
    );
    while evaluate(&loaded).await != true {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{url} did not load"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let layout = evaluate(MEASURE).await;
    let _ = child.kill().await;
    serde_json::from_value(layout.clone()).unwrap_or_else(|e| panic!("{e}: {layout}"))
}

/// The values of the `data-id` attributes in `html`.
fn data_ids(html: &str) -> Vec<String> {
    html.split("data-id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// The chart: the page's `<svg class="chart">` element.
fn chart(html: &str) -> &str {
    // The chart is the one SVG of class `chart` (status swatches are small SVGs too).
    let at = html.find("class=\"chart\"").expect("the page has a chart");
    let start = html[..at].rfind("<svg").expect("the chart is an SVG");
    let end = html[start..].find("</svg>").expect("the chart ends") + start;
    &html[start..end]
}

/// Every resource `html` would load: `src` attributes, style sheet links and CSS `url()`s.
fn resources(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for marker in ["src=\"", "src='"] {
        for rest in html.split(marker).skip(1) {
            let quote = if marker.ends_with('"') { '"' } else { '\'' };
            found.extend(rest.split(quote).next().map(str::to_owned));
        }
    }
    for tag in html.split("<link").skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        if let Some(rest) = tag.split("href=\"").nth(1) {
            found.extend(rest.split('"').next().map(str::to_owned));
        }
    }
    for rest in html.split("url(").skip(1) {
        found.extend(
            rest.split(')')
                .next()
                .map(|u| u.trim_matches(['"', '\'']).to_owned()),
        );
    }
    for rest in html.split("@import").skip(1) {
        found.extend(rest.split(';').next().map(str::to_owned));
    }
    found
}

/// Whether a resource stays on loopback (or in the page).
fn on_loopback(resource: &str) -> bool {
    let r = resource.trim().to_ascii_lowercase();
    let remote = r.starts_with("http:") || r.starts_with("https:") || r.starts_with("//");
    !remote || r.starts_with("http://127.0.0.1") || r.starts_with("http://localhost")
}

async fn dashboard_in_chromium_draws_every_dated_milestone_with_nothing_from_elsewhere(
    backend: Backend,
) {
    if !chromium_available() {
        return;
    }
    let app = TestApp::spawn(&backend).await;
    let url = format!("{}/dashboard", app.base_url);
    let shots = tempfile::tempdir().expect("create a temporary folder");
    let png = shots.path().join("dashboard.png");
    let (dom, png) = tokio::task::spawn_blocking(move || {
        chromium_screenshot(&url, &png, 1400, 1000);
        (chromium_dump_dom(&url), png)
    })
    .await
    .expect("the chromium thread");
    let bytes = std::fs::read(&png).expect("read the screenshot");
    assert!(bytes.starts_with(b"\x89PNG"), "the screenshot is not a PNG");

    for (title, _) in MILESTONES {
        assert!(
            dom.contains(title),
            "milestone {title:?} is not on the page"
        );
    }
    let drawn = MILESTONES.iter().filter(|(_, dated)| *dated).count();
    let ids = data_ids(chart(&dom));
    assert_eq!(ids.len(), drawn, "one drawn element per dated milestone");
    for id in &ids {
        assert!(
            dom.contains(&format!("data-item=\"{id}\"")),
            "drawn item {id} has no table row"
        );
    }
    let rows = dom.matches("data-item=\"").count();
    assert_eq!(
        rows,
        MILESTONES.len(),
        "every milestone, dated or not, has a row"
    );
    for (label, colour) in LEGEND {
        assert!(dom.contains(label), "the legend lacks {label:?}");
        assert!(
            dom.contains(colour),
            "the legend lacks {label:?}'s colour {colour}"
        );
    }
    assert!(dom.contains("class=\"today\""), "no line for today");
    let remote: Vec<String> = resources(&dom)
        .into_iter()
        .filter(|r| !on_loopback(r))
        .collect();
    assert!(remote.is_empty(), "resources from elsewhere: {remote:?}");
    assert!(
        dom.contains("href=\"https://www.gov.scot/"),
        "no source links"
    );
}

/// The dashboard on a phone (360 px) and on a desktop (1400 px): the page is never wider than
/// the window. On the phone the form's fields fit, and the chart keeps its natural width (its
/// text legible, at 11 px or more) inside a box that scrolls, as the table's box does. The
/// screenshots are kept in the target's temporary folder to be looked at.
async fn dashboard_fits_a_phone_and_a_desktop_in_chromium(backend: Backend) {
    if !chromium_available() {
        return;
    }
    // Long titles, priority areas and bulleted deliverables: rows that would widen the page.
    let app = TestApp::spawn(&backend).await;
    let dir = fixture_union(&["reports", "family", "deliverables"]);
    ingest::ingest_snapshot(&app.db.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    let url = format!("{}/dashboard", app.base_url);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard");
    std::fs::create_dir_all(&shots).expect("a folder for the screenshots");
    let name = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres(_) => "postgres",
    };
    for width in [360, 1400] {
        let png = shots.join(format!("{name}-{width}px.png"));
        let (shot_url, shot) = (url.clone(), png.clone());
        tokio::task::spawn_blocking(move || chromium_screenshot(&shot_url, &shot, width, 1400))
            .await
            .expect("the chromium thread");
        let bytes = std::fs::read(&png).expect("read the screenshot");
        assert!(bytes.starts_with(b"\x89PNG"), "{}", png.display());

        let layout = chromium_layout(&url, width, 1400).await;
        let at = format!("at {width} px: {layout:?}");
        assert!(layout.viewport_width <= f64::from(width), "{at}");
        assert!(
            layout.page_width <= layout.viewport_width,
            "the page scrolls sideways {at}"
        );
        assert!(
            layout.subject_right <= layout.viewport_width,
            "the select overflows {at}"
        );
        assert!(layout.table_box_right <= layout.viewport_width, "{at}");
        // The chart's text is 13 px at its 1240 px; drawn narrower, it shrinks in proportion.
        let text_px = 13.0 * layout.chart_width / 1240.0;
        assert!(text_px >= 11.0, "chart text of {text_px:.1} px {at}");
        if width == 360 {
            assert!(
                layout.chart_box_scroll_width > layout.chart_box_width,
                "the chart scrolls in its box {at}"
            );
        }
    }
}

async fn graphiql_and_the_dashboard_run_in_chromium_with_nothing_refused_by_their_csp(
    backend: Backend,
) {
    if !chromium_available() {
        return;
    }
    let app = TestApp::spawn(&backend).await;
    let base = app.base_url.clone();
    let pages = tokio::task::spawn_blocking(move || {
        ["/graphql", "/dashboard"]
            .map(|path| (path, chromium_dom_and_refusals(&format!("{base}{path}"))))
    })
    .await
    .expect("the chromium thread");
    for (path, (dom, refusals)) in &pages {
        assert!(
            refusals.is_empty(),
            "{path}: the policy refused {refusals:#?}"
        );
        assert!(dom.contains("</html>"), "{path}: no page: {dom}");
    }
    // GraphiQL drew its editor: its start-up script ran, under the policy.
    let (_, (graphiql, _)) = &pages[0];
    assert!(
        graphiql.contains("graphiql-container") && !graphiql.contains("Loading…"),
        "GraphiQL did not start: {graphiql}"
    );
}

async fn dashboard_answers_304_to_a_matching_if_none_match(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let url = format!("{}/dashboard", app.base_url);
    let first = app.client.get(&url).send().await.expect("GET /dashboard");
    assert_eq!(first.status(), StatusCode::OK);
    let content_type = first.headers()["content-type"].to_str().expect("ASCII");
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let etag = first.headers()[ETAG].to_str().expect("ASCII").to_owned();
    assert!(
        etag.starts_with("W/\"v"),
        "the ETag names the dataset version: {etag}"
    );

    let again = app
        .client
        .get(&url)
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .expect("GET /dashboard again");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[ETAG].to_str().expect("ASCII"), etag);

    let other = app
        .client
        .get(format!("{url}?status=NONE"))
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .expect("GET another view");
    assert_eq!(other.status(), StatusCode::OK, "another view, another ETag");
    assert_ne!(other.headers()[ETAG].to_str().expect("ASCII"), etag);

    // A new ingest is a new dataset version: the old ETag no longer matches.
    crate::helpers::ingest_bundled(&app.db.db).await;
    let mut config = caregraph::http::HttpConfig::default();
    config.layers.version_ttl = std::time::Duration::ZERO;
    let fresh = caregraph::http::AppState::with_config(app.db.db.clone(), config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(caregraph::http::serve(
        listener,
        fresh,
        std::future::pending(),
    ));
    let after = app
        .client
        .get(format!("http://{addr}/dashboard"))
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .expect("GET after an ingest");
    assert_eq!(after.status(), StatusCode::OK, "an ingest changes the ETag");
}

async fn page(app: &TestApp, query: &str) -> (StatusCode, String) {
    let response = app
        .client
        .get(format!("{}/dashboard{query}", app.base_url))
        .send()
        .await
        .expect("GET /dashboard");
    let status = response.status();
    (status, response.text().await.expect("a body"))
}

async fn dashboard_query_parameters_narrow_the_view(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let civil_society = MILESTONES[2].0;
    let hire = MILESTONES[0].0;

    // No milestone of the snapshot has a reported status.
    let (status, html) = page(&app, "?status=ON_TRACK").await;
    assert_eq!(status, StatusCode::OK);
    assert!(data_ids(&html).is_empty(), "no on-track rows are drawn");
    assert!(!html.contains(hire), "rows of another status are left out");
    let (_, html) = page(&app, "?status=NONE").await;
    assert_eq!(data_ids(chart(&html)).len(), 3);
    assert!(
        html.contains("selected>No status reported"),
        "the form keeps the choice"
    );

    // November 2021 meets the two milestones begun in August, not the one begun in December.
    let (_, html) = page(&app, "?from=2021-11-01&to=2021-11-30").await;
    assert_eq!(data_ids(chart(&html)).len(), 2);
    assert!(html.contains(hire));
    assert!(
        !html.contains(civil_society),
        "a row outside the window is left out"
    );
    assert!(
        html.contains("value=\"2021-11-01\""),
        "the form keeps the window"
    );
    assert!(
        html.contains(MILESTONES[5].0),
        "undated rows are still listed"
    );
    // The view's export files carry the same window.
    assert!(
        html.contains("href=\"/export/milestones.csv?from=2021-11-01&amp;to=2021-11-30\""),
        "the page links the view's milestones file"
    );
    assert!(html.contains("href=\"/export/timeline.ics?from=2021-11-01&amp;to=2021-11-30\""));

    // Empty fields, as an untouched form sends them, are no filter at all.
    let (_, html) = page(&app, "?from=&to=&status=&subject=").await;
    assert_eq!(data_ids(chart(&html)).len(), 3);

    // The subject select offers commitment 2; choosing it keeps its milestones.
    let subject = html
        .split("<option value=\"")
        .skip(1)
        .find(|o| o.contains(">Commitment 2:"))
        .and_then(|o| o.split('"').next())
        .expect("commitment 2 is offered")
        .to_owned();
    let (_, html) = page(&app, &format!("?subject={subject}")).await;
    assert_eq!(data_ids(chart(&html)).len(), 3);

    for bad in [
        "?from=yesterday",
        "?status=LATE",
        "?subject=nope",
        "?from=2023-01-01&to=2022-01-01",
    ] {
        let (status, _) = page(&app, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

/// The `/dashboard` page of the router serving `snapshot` ingested into a fresh database.
async fn dashboard_of(backend: &Backend, snapshot: &Path, query: &str) -> String {
    dashboard_after(backend, snapshot, None, query).await
}

/// As [`dashboard_of`], with the SQL statement `change` run after the ingest.
async fn dashboard_after(
    backend: &Backend,
    snapshot: &Path,
    change: Option<&str>,
    query: &str,
) -> String {
    let db = TestDb::new(backend).await;
    ingest::ingest_snapshot(&db.db, snapshot, ingest::Progress::Quiet)
        .await
        .expect("ingest the snapshot");
    if let Some(sql) = change {
        use sea_orm::ConnectionTrait;
        db.db
            .execute_unprepared(sql)
            .await
            .expect("change the data");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a loopback port");
    let addr = listener.local_addr().expect("address");
    let state = caregraph::http::AppState::new(db.db.clone());
    tokio::spawn(caregraph::http::serve(
        listener,
        state,
        std::future::pending(),
    ));
    reqwest::get(format!("http://{addr}/dashboard{query}"))
        .await
        .expect("GET /dashboard")
        .text()
        .await
        .expect("a body")
}

async fn dashboard_escapes_markup_in_page_titles(backend: Backend) {
    // A milestone whose printed title is markup, as a hostile or careless page could print it.
    let dir = snapshot_copy();
    edit_page(dir.path(), OVERVIEW, |html| {
        html.replace(
            "hire and on-board a person centred design team.",
            "hire &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; on-board a team.",
        )
    });
    let html = dashboard_of(&backend, dir.path(), "").await;
    assert!(
        html.contains("hire &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; on-board"),
        "the title is shown, escaped"
    );
    assert!(
        !html.contains("<script"),
        "no markup from a page reaches the page"
    );
}

/// The drawn element of the row whose hover text begins with `title`: its `<g …>` up to `</g>`.
fn drawn<'a>(chart: &'a str, title: &str) -> &'a str {
    let at = chart
        .find(&format!("<title>{title}"))
        .unwrap_or_else(|| panic!("{title:?} is not drawn"));
    let start = chart[..at].rfind("<g ").expect("its group");
    let end = chart[at..].find("</g>").expect("its end") + at;
    &chart[start..end]
}

async fn dashboard_colours_rows_by_status_and_groups_workstreams_by_priority_area(
    backend: Backend,
) {
    // The report fixtures (commitment 7's update says "On schedule" of the heat maps) and a
    // delivery plan whose workstream "One shared ledger…" is "Delayed", under the priority
    // area "Island Data and Insight".
    let dir = fixture_union(&["reports", "family"]);
    let html = dashboard_of(&backend, dir.path(), "").await;
    let drawing = chart(&html);
    let heat_maps = drawn(
        drawing,
        "publish neighbourhood heat maps for every council area",
    );
    assert!(
        heat_maps.contains("data-status=\"ON_TRACK\""),
        "{heat_maps}"
    );
    assert!(
        heat_maps.contains("#009E73"),
        "on track is green: {heat_maps}"
    );
    assert!(
        heat_maps.contains("<rect"),
        "a date range is a bar: {heat_maps}"
    );
    let ledger = drawn(drawing, "One shared ledger of island clinic capacity.");
    assert!(
        ledger.contains("data-status=\"BEHIND_SCHEDULE\""),
        "{ledger}"
    );
    assert!(
        ledger.contains("#D55E00"),
        "behind schedule is orange: {ledger}"
    );
    assert!(
        ledger.contains("<path"),
        "a deadline is a marker, not a bar: {ledger}"
    );
    assert!(
        drawing.contains("Priority area: Island Data and Insight"),
        "workstreams sit under their priority area"
    );
    assert!(
        drawing.contains("class=\"report\""),
        "progress reports are ticks"
    );

    let html = dashboard_of(&backend, dir.path(), "?status=BEHIND_SCHEDULE").await;
    let statuses: Vec<&str> = chart(&html)
        .split("data-status=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(!statuses.is_empty(), "rows behind schedule are drawn");
    assert!(
        statuses.iter().all(|s| *s == "BEHIND_SCHEDULE"),
        "only rows behind schedule: {statuses:?}"
    );
    assert!(!html.contains("publish neighbourhood heat maps"));
}

async fn dashboard_names_a_restated_priority_area_by_its_canonical_element(backend: Backend) {
    // The plan restates the strategy's priority area; renaming the strategy's own element
    // shows which name the heading takes.
    let dir = fixture_union(&["reports", "family"]);
    let rename = "UPDATE strategy_element SET name = 'Renamed Canonical Area' WHERE id IN \
                  (SELECT canonical_id FROM strategy_element \
                   WHERE canonical_id IS NOT NULL AND canonical_id <> id)";
    let html = dashboard_after(&backend, dir.path(), Some(rename), "").await;
    assert!(
        html.contains("Priority area: Renamed Canonical Area"),
        "the canonical element names the group"
    );
    assert!(!html.contains("Priority area: Island Data and Insight"));
}
