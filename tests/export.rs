//! The export files (`/export/milestones.csv`, `/export/workstreams.csv`,
//! `/export/timeline.ics`) over real HTTP, parsed back with the `csv` and `icalendar` crates.
//!
//! Expected values are written by hand from the pages: the bundled snapshot's commitment 2
//! overview (`ogp-2021-25-commitment-2-overview.txt` in the seeds) and its "Progress to August
//! 2022" report, the invented report pages in `tests/fixtures/reports` and the invented
//! delivery plans in `tests/fixtures/plans`.

use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::json;

use crate::helpers::{Backend, TestApp, fixture_union, report_fixtures};

const MILESTONE_COLUMNS: [&str; 11] = [
    "id",
    "commitment",
    "objective",
    "title",
    "start_date",
    "end_date",
    "date_text",
    "status",
    "status_text",
    "latest_report",
    "source_url",
];

const WORKSTREAM_COLUMNS: [&str; 10] = [
    "id",
    "plan_period",
    "priority_area",
    "deliverable",
    "leads",
    "due_text",
    "due_date",
    "status",
    "status_text",
    "source_url",
];

const HIRE: &str = "hire and on-board a person centred design team";

/// A CSV answer: its header and its rows, each a map from column to value.
struct Table {
    header: Vec<String>,
    rows: Vec<std::collections::HashMap<String, String>>,
}

impl Table {
    fn parse(text: &str) -> Self {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("a header row")
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|r| {
                let r = r.expect("a CSV record");
                header
                    .iter()
                    .cloned()
                    .zip(r.iter().map(str::to_owned))
                    .collect()
            })
            .collect();
        Self { header, rows }
    }

    fn column(&self, name: &str) -> Vec<&str> {
        self.rows.iter().map(|r| r[name].as_str()).collect()
    }

    fn find(&self, column: &str, value: &str) -> &std::collections::HashMap<String, String> {
        self.rows
            .iter()
            .find(|r| r[column] == value)
            .unwrap_or_else(|| panic!("no row with {column} = {value:?}"))
    }
}

impl TestApp {
    async fn export(&self, file: &str, query: &str) -> reqwest::Response {
        self.client
            .get(format!("{}/export/{file}?{query}", self.base_url))
            .send()
            .await
            .expect("GET an export")
    }

    async fn table(&self, file: &str, query: &str) -> Table {
        let response = self.export(file, query).await;
        assert_eq!(response.status(), StatusCode::OK, "{file}?{query}");
        Table::parse(&response.text().await.expect("a text body"))
    }
}

async fn milestones_export_has_the_pages_milestones(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let response = app.export("milestones.csv", "").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        response.headers()[CONTENT_DISPOSITION],
        "attachment; filename=\"milestones.csv\""
    );
    // Streamed: the length is not known when the headers are sent.
    assert!(response.headers().get(CONTENT_LENGTH).is_none());
    let table = Table::parse(&response.text().await.expect("a body"));
    assert_eq!(table.header, MILESTONE_COLUMNS);
    // The overview lists six milestones under four objectives.
    assert_eq!(table.rows.len(), 6);

    // Overview: "hire and on-board a person centred design team. Start August 2021 – end
    // January 2022"; reported on in "Progress to August 2022".
    let hire = table.find("title", HIRE);
    assert_eq!(hire["date_text"], "Start August 2021 – end January 2022");
    assert_eq!(hire["start_date"], "2021-08-01");
    assert_eq!(hire["end_date"], "2022-01-31");
    assert_eq!(hire["latest_report"], "Progress to August 2022");
    assert!(hire["commitment"].starts_with("Commitment 2: "), "{hire:?}");
    assert!(
        hire["objective"].starts_with("To identify the necessary skills and experience"),
        "{hire:?}"
    );
    assert!(
        hire["source_url"].starts_with(
            "https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care/"
        ),
        "{hire:?}"
    );
    // The ID is the one /graphql gives.
    let data = app
        .data(
            r#"query($t: String) { milestones(filter: {text: $t}) { nodes { id title } } }"#,
            json!({ "t": HIRE }),
        )
        .await;
    let node = data["milestones"]["nodes"]
        .as_array()
        .and_then(|ns| ns.iter().find(|n| n["title"] == HIRE))
        .expect("the milestone in /graphql");
    assert_eq!(node["id"], hire["id"].as_str());
}

async fn milestones_export_filters_by_window_status_and_subject(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    // Overview: hire (2021-08-01..2022-01-31), programme plan (2021-08-01..2022-02-28), civil
    // society group (winter 2021/2022) all overlap 31 January 2022.
    let day = app
        .table("milestones.csv", "from=2022-01-31&to=2022-01-31")
        .await;
    assert_eq!(day.rows.len(), 3);
    assert!(day.column("title").contains(&HIRE));
    // None runs into March 2022; dated ones end by February.
    let later = app.table("milestones.csv", "from=2022-03-01").await;
    assert_eq!(later.header, MILESTONE_COLUMNS);
    assert!(later.rows.is_empty());
    // The August 2022 report prints no statuses.
    let on_track = app.table("milestones.csv", "status=ON_TRACK").await;
    assert!(on_track.rows.is_empty());

    // The commitment's own ID keeps all six; a strategy has no milestones.
    let data = app
        .data(
            "{ commitments(first: 5) { nodes { id number } } }",
            json!({}),
        )
        .await;
    let c2 = data["commitments"]["nodes"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["number"] == 2))
        .and_then(|c| c["id"].as_str())
        .expect("commitment 2")
        .to_owned();
    let mine = app.table("milestones.csv", &format!("subject={c2}")).await;
    assert_eq!(mine.rows.len(), 6);
}

async fn milestones_export_status_is_the_latest_report_s(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    ingest::ingest_snapshot(&app.db.db, &report_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the report fixtures");
    // Commitment 6's review panel: "On schedule." (August 2022), "In progress." (November
    // 2023), "Completed." (September 2024).
    let panel = "set up a citizens' review panel for the record viewer";
    let completed = app.table("milestones.csv", "status=COMPLETED").await;
    let row = completed.find("title", panel);
    assert_eq!(row["status"], "COMPLETED");
    assert_eq!(row["status_text"], "Completed.");
    assert_eq!(row["latest_report"], "Progress to September 2024");
    assert!(completed.column("status").iter().all(|s| *s == "COMPLETED"));
    let on_track = app.table("milestones.csv", "status=ON_TRACK").await;
    assert!(!on_track.column("title").contains(&panel));
}

async fn workstreams_export_has_the_plans_workstreams(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    // The bundled snapshot has no delivery plans: the header alone.
    let empty = app.table("workstreams.csv", "").await;
    assert_eq!(empty.header, WORKSTREAM_COLUMNS);
    assert!(empty.rows.is_empty());

    let dir = fixture_union(&["plans"]);
    let run = ingest::ingest_snapshot(&app.db.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("ingest the plans");
    assert!(run.failures.is_empty(), "{:?}", run.failures);
    let response = app.export("workstreams.csv", "").await;
    assert_eq!(
        response.headers()[CONTENT_DISPOSITION],
        "attachment; filename=\"workstreams.csv\""
    );
    let all = Table::parse(&response.text().await.expect("a body"));
    assert_eq!(all.header, WORKSTREAM_COLUMNS);

    // harbour-care-online-delivery-plan-2024-25/pages/5: "A peer mentor on every island." |
    // "Harbour Digital Care Division" / "Island Learning Council" | "December 2024 On Track",
    // under "Island Digital Skills".
    let mentor = all.find("deliverable", "A peer mentor on every island.");
    assert_eq!(mentor["plan_period"], "2024-25");
    assert_eq!(mentor["priority_area"], "Island Digital Skills");
    assert_eq!(
        mentor["leads"],
        "Harbour Digital Care Division; Island Learning Council"
    );
    assert_eq!(mentor["due_text"], "December 2024");
    assert_eq!(mentor["due_date"], "2024-12-31");
    assert_eq!(mentor["status"], "ON_TRACK");
    assert_eq!(mentor["status_text"], "On Track");
    assert!(
        mentor["source_url"].starts_with(
            "https://www.gov.scot/publications/harbour-care-online-delivery-plan-2024-25/pages/5/"
        ),
        "{mentor:?}"
    );
    // Same page: the day centre course has no leads, and is due March 2026.
    let course = all.find(
        "deliverable",
        "Extend the digital confidence course to day centre staff.",
    );
    assert_eq!(course["leads"], "");
    assert_eq!(course["due_text"], "March 2026");

    // Filters: December 2024 holds the mentor's due date, not the course's.
    let december = app
        .table("workstreams.csv", "from=2024-12-01&to=2024-12-31")
        .await;
    assert!(
        december
            .column("deliverable")
            .contains(&"A peer mentor on every island.")
    );
    assert!(
        december
            .column("due_date")
            .iter()
            .all(|d| d.starts_with("2024-12"))
    );
    let on_track = app.table("workstreams.csv", "status=ON_TRACK").await;
    assert!(
        on_track
            .column("deliverable")
            .contains(&"A peer mentor on every island.")
    );
    assert!(on_track.column("status").iter().all(|s| *s == "ON_TRACK"));
    assert!(on_track.rows.len() < all.rows.len());
}

async fn export_parameters_that_are_wrong_are_answered_400(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    for (file, query, parameter) in [
        ("milestones.csv", "from=2022-02-30", "`from`"),
        ("milestones.csv", "to=31/01/2022", "`to`"),
        ("workstreams.csv", "status=ON_SCHEDULE", "`status`"),
        ("timeline.ics", "subject=not-an-id!", "`subject`"),
        ("timeline.ics", "from=2023-01-01&to=2022-01-01", "`from`"),
    ] {
        let response = app.export(file, query).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{file}?{query}");
        let message = response.text().await.expect("a message");
        assert!(message.contains(parameter), "{file}?{query}: {message}");
    }
}

async fn timeline_export_is_a_calendar_of_all_day_events(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let table = app.table("milestones.csv", "").await;
    let hire_id = table.find("title", HIRE)["id"].clone();

    // 31 January 2022: the three milestones overlapping it (overview). Other kinds of event
    // (the commitment's period) span it too, so only the milestones' events are counted.
    let response = app
        .export("timeline.ics", "from=2022-01-31&to=2022-01-31")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    assert_eq!(
        response.headers()[CONTENT_DISPOSITION],
        "attachment; filename=\"timeline.ics\""
    );
    let text = response.text().await.expect("a body");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    let calendar: Calendar = text.parse().expect("an RFC 5545 calendar");
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    let milestones: Vec<_> = events
        .iter()
        .filter(|e| e.get_uid().is_some_and(|u| u.ends_with("-MILESTONE")))
        .collect();
    assert_eq!(milestones.len(), 3);
    assert!(events.iter().all(|e| e.get_timestamp().is_some()));

    let hire = milestones
        .iter()
        .find(|e| e.get_uid().is_some_and(|u| u.starts_with(hire_id.as_str())))
        .expect("the hire milestone's event");
    assert_eq!(
        hire.get_uid(),
        Some(format!("{hire_id}-MILESTONE").as_str())
    );
    assert_eq!(hire.get_summary(), Some(HIRE));
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    assert_eq!(
        hire.get_start(),
        Some(DatePerhapsTime::Date(day(2021, 8, 1)))
    );
    // Exclusive: the day after 31 January 2022.
    assert_eq!(hire.get_end(), Some(DatePerhapsTime::Date(day(2022, 2, 1))));
    assert!(
        hire.get_description()
            .is_some_and(|d| d.contains("https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-2")),
        "{:?}",
        hire.get_description()
    );
    assert!(text.contains("DTSTART;VALUE=DATE:20210801"), "{text}");

    // The August 2022 report's event is the report page's, with a UID of its own.
    let august = app
        .export("timeline.ics", "from=2022-08-01&to=2022-08-31")
        .await
        .text()
        .await
        .expect("a body");
    assert!(
        august.contains("SUMMARY:Progress to August 2022"),
        "{august}"
    );
    assert!(august.contains("-PROGRESS_REPORT\r\n"), "{august}");
}

async fn exports_answer_304_to_a_client_holding_the_file(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    for (file, query) in [
        ("milestones.csv", "from=2021-01-01"),
        ("workstreams.csv", ""),
        ("timeline.ics", "to=2022-12-31"),
    ] {
        let first = app.export(file, query).await;
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()[ETAG].to_str().expect("an ETag").to_owned();
        let url = format!("{}/export/{file}?{query}", app.base_url);
        let again = app
            .client
            .get(&url)
            .header(IF_NONE_MATCH, &etag)
            .send()
            .await
            .expect("GET again");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{file}");
        assert_eq!(again.headers()[ETAG], etag.as_str());
        // Another window is another answer.
        let other = app
            .client
            .get(format!("{url}&status=COMPLETED"))
            .header(IF_NONE_MATCH, &etag)
            .send()
            .await
            .expect("GET another");
        assert_eq!(other.status(), StatusCode::OK, "{file}");
    }
}

/// The UTF-8 byte order mark (Unicode §23.8), which `bom=1` puts first for Excel.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl TestApp {
    /// An export's status, ETag and body bytes, sent with `If-None-Match` when given.
    async fn export_bytes(
        &self,
        file: &str,
        query: &str,
        if_none_match: Option<&str>,
    ) -> (StatusCode, String, Vec<u8>) {
        let mut request = self
            .client
            .get(format!("{}/export/{file}?{query}", self.base_url));
        if let Some(tag) = if_none_match {
            request = request.header(IF_NONE_MATCH, tag);
        }
        let response = request.send().await.expect("GET an export");
        let status = response.status();
        let etag = response
            .headers()
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.bytes().await.expect("a body").to_vec();
        (status, etag, body)
    }
}

async fn csv_rows_end_with_crlf_and_bom_1_puts_a_bom_first(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (status, plain_tag, plain) = app.export_bytes("milestones.csv", "", None).await;
    assert_eq!(status, StatusCode::OK);
    // RFC 4180 §2: each record, the header's included and the last one, ends with CRLF.
    let header = format!("{}\r\n", MILESTONE_COLUMNS.join(","));
    assert!(plain.starts_with(header.as_bytes()), "{plain:?}");
    assert!(plain.ends_with(b"\r\n"));
    let lf = plain.iter().filter(|b| **b == b'\n').count();
    let crlf = plain.windows(2).filter(|w| w == b"\r\n").count();
    assert_eq!(lf, crlf, "every line feed ends a CRLF");
    // The overview's own "Start August 2021 – end January 2022", an en dash Excel misreads
    // without a BOM.
    let text = String::from_utf8(plain.clone()).expect("UTF-8");
    assert!(
        text.contains("Start August 2021 \u{2013} end January 2022"),
        "{text}"
    );

    // bom=1: the same bytes behind EF BB BF, under an ETag of its own.
    let (status, bom_tag, with_bom) = app.export_bytes("milestones.csv", "bom=1", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&with_bom[..3], BOM);
    assert_eq!(&with_bom[3..], plain.as_slice());
    assert_ne!(bom_tag, plain_tag);
    // Neither variant is answered 304 for the other's ETag; each for its own.
    let (status, _, body) = app
        .export_bytes("milestones.csv", "bom=1", Some(&plain_tag))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, with_bom);
    let (status, _, body) = app.export_bytes("milestones.csv", "", Some(&bom_tag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, plain);
    let (status, _, _) = app
        .export_bytes("milestones.csv", "bom=1", Some(&bom_tag))
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    // bom=0 and an empty bom are the default file, under its ETag.
    for query in ["bom=0", "bom="] {
        let (status, tag, body) = app.export_bytes("milestones.csv", query, None).await;
        assert_eq!(
            (status, tag.as_str()),
            (StatusCode::OK, plain_tag.as_str()),
            "{query}"
        );
        assert_eq!(body, plain, "{query}");
    }
    // With a filter, and on the other CSV file (the bundled snapshot has no plans: the header).
    let (_, _, window) = app
        .export_bytes("milestones.csv", "from=2022-01-01", None)
        .await;
    let (_, _, window_bom) = app
        .export_bytes("milestones.csv", "bom=1&from=2022-01-01", None)
        .await;
    assert_eq!([BOM, window.as_slice()].concat(), window_bom);
    let (_, _, workstreams) = app.export_bytes("workstreams.csv", "bom=1", None).await;
    let header = format!("{}\r\n", WORKSTREAM_COLUMNS.join(","));
    assert_eq!(workstreams, [BOM, header.as_bytes()].concat());

    // A bom that is neither 0 nor 1, or given twice, is a 400 naming it; the calendar is no
    // spreadsheet's and ignores it.
    for query in ["bom=yes", "bom=1&bom=1"] {
        let response = app.export("milestones.csv", query).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let message = response.text().await.expect("a message");
        assert!(message.contains("`bom`"), "{query}: {message}");
    }
    let (status, _, calendar) = app.export_bytes("timeline.ics", "bom=1", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(calendar.starts_with(b"BEGIN:VCALENDAR\r\n"));
}

/// The default file, read by Python's own `csv` module with no options (the bytes decoded as
/// UTF-8, as pandas does by default): the first column is `id`, not `\u{feff}id`, and the
/// en dash is one. The BOM variant reads the same through `utf-8-sig`, Excel's encoding.
async fn csv_exports_read_in_python_with_no_options(backend: Backend) {
    const READ: &str = r#"
import csv, io, json, sys
data = open(sys.argv[1], "rb").read()
rows = list(csv.DictReader(io.StringIO(data.decode(sys.argv[2]), newline="")))
print(json.dumps({"columns": list(rows[0].keys()), "dates": [r["date_text"] for r in rows]}))
"#;
    let app = TestApp::spawn(&backend).await;
    let dir = tempfile::tempdir().expect("a folder");
    let read = |query: &'static str, encoding: &'static str| {
        let (app, dir) = (&app, &dir);
        async move {
            let (status, _, body) = app.export_bytes("milestones.csv", query, None).await;
            assert_eq!(status, StatusCode::OK);
            let path = dir.path().join(format!("{encoding}.csv"));
            std::fs::write(&path, body).expect("write the file");
            let out = std::process::Command::new("python3")
                .args(["-c", READ])
                .arg(&path)
                .arg(encoding)
                .output()
                .expect("run python3");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("JSON from python")
        }
    };
    let plain = read("", "utf-8").await;
    assert_eq!(plain["columns"], json!(MILESTONE_COLUMNS));
    let dates = plain["dates"].as_array().expect("the dates");
    assert!(
        dates.contains(&json!("Start August 2021 \u{2013} end January 2022")),
        "{plain}"
    );
    assert_eq!(read("bom=1", "utf-8-sig").await, plain);
}

async fn timeline_export_names_caregraph_as_its_product(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let text = app
        .export("timeline.ics", "")
        .await
        .text()
        .await
        .expect("a body");
    // RFC 5545 §3.7.3: the product that made the calendar, as a formal public identifier.
    let prodid = format!("-//caregraph//caregraph {}//EN", env!("CARGO_PKG_VERSION"));
    let calendar: Calendar = text.parse().expect("an RFC 5545 calendar");
    assert_eq!(calendar.property_value("PRODID"), Some(prodid.as_str()));
    assert!(text.contains(&format!("\r\nPRODID:{prodid}\r\n")), "{text}");
    assert!(!text.contains("ICALENDAR-RS"), "{text}");
    // The other two of the crate's defaults are kept.
    assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
    assert_eq!(calendar.property_value("CALSCALE"), Some("GREGORIAN"));
}

/// A row as a view shows it: its ID, its last day (end or due date, `YYYY-MM-DD`, empty when
/// undated) and its status's name (empty without one).
type ViewRow = (String, String, String);

/// The rows of a dashboard page's table, read off its HTML: `<tr data-item="ID">` and its
/// cells (kind, title, start, end or due, status, reports, source). The end cell may add
/// "(was …)", and the title cell "(not dated, not drawn)".
fn dashboard_rows(html: &str) -> Vec<(ViewRow, bool)> {
    // Status labels as the page's legend prints them, and the names the files print.
    let status = |label: &str| match label {
        "On track" => "ON_TRACK",
        "In progress" => "IN_PROGRESS",
        "Behind schedule" => "BEHIND_SCHEDULE",
        "Completed" => "COMPLETED",
        "Not started" => "NOT_STARTED",
        "No status reported" => "",
        other => panic!("a status label the legend does not have: {other:?}"),
    };
    let day = |printed: &str| {
        let printed = printed.split(" (was").next().unwrap_or_default().trim();
        if printed.is_empty() {
            return String::new();
        }
        chrono::NaiveDate::parse_from_str(printed, "%d %b %Y")
            .unwrap_or_else(|e| panic!("{printed:?} is not a day: {e}"))
            .to_string()
    };
    dashboard_cells(html)
        .into_iter()
        .map(|(id, cells)| {
            let undated = cells[1].ends_with("(not dated, not drawn)");
            ((id, day(&cells[3]), status(&cells[4]).to_owned()), undated)
        })
        .collect()
}

/// Each row of a dashboard page's table: its ID and its seven cells' text (tags dropped).
fn dashboard_cells(html: &str) -> Vec<(String, Vec<String>)> {
    let text = |cell: &str| {
        let mut out = String::new();
        let mut in_tag = false;
        for c in cell.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.trim().to_owned()
    };
    html.split("<tr data-item=\"")
        .skip(1)
        .map(|row| {
            let id = row.split('"').next().unwrap_or_default().to_owned();
            let row = &row[..row.find("</tr>").unwrap_or(row.len())];
            let cells: Vec<String> = row
                .split("<td>")
                .skip(1)
                .map(|c| text(c.split("</td>").next().unwrap_or_default()))
                .collect();
            assert_eq!(cells.len(), 7, "a table row of seven cells: {row}");
            (id, cells)
        })
        .collect()
}

/// A deliverable printed as a lead-in and bullets (`tests/fixtures/deliverables`) is stored
/// once, the bullets joined with "; ", and the API, the dashboard's table and
/// `workstreams.csv` all show that one text.
async fn a_bulleted_deliverable_reads_the_same_in_the_api_the_dashboard_and_the_csv(
    backend: Backend,
) {
    use sea_orm::EntityTrait;
    // Written by hand from the fixture: the lead-in, then each bullet, as printed.
    const EXPECTED: [&str; 3] = [
        "A winter outreach round for housebound residents, offering: home visits from a digital helper; a loan tablet with data included; a weekly phone check-in",
        "Two guides for island pharmacies: one on ordering repeat prescriptions online; one on video consultations.",
        "A drop-in help desk in each library, open for: setting up a patient portal account; joining a video appointment",
    ];
    let app = TestApp::spawn(&backend).await;
    let dir = fixture_union(&["deliverables"]);
    let run = ingest::ingest_snapshot(&app.db.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("ingest the deliverables page");
    assert!(run.failures.is_empty(), "{:?}", run.failures);

    let stored: Vec<String> = entity::workstream::Entity::find()
        .all(&app.db.db)
        .await
        .expect("the stored workstreams")
        .into_iter()
        .map(|w| w.deliverable)
        .collect();
    let api = app
        .data(
            "{ workstreams(first: 50) { nodes { id deliverable } } }",
            json!({}),
        )
        .await;
    let nodes = api["workstreams"]["nodes"].as_array().expect("workstreams");
    assert_eq!(nodes.len(), 4, "{api}");
    let html = app
        .client
        .get(format!("{}/dashboard", app.base_url))
        .send()
        .await
        .expect("GET /dashboard")
        .text()
        .await
        .expect("the page");
    let dashboard: std::collections::HashMap<String, String> = dashboard_cells(&html)
        .into_iter()
        .map(|(id, mut cells)| (id, cells.swap_remove(1)))
        .collect();
    let csv = app.table("workstreams.csv", "").await;
    for expected in EXPECTED {
        assert!(stored.iter().any(|d| d == expected), "stored: {stored:?}");
        let node = nodes
            .iter()
            .find(|n| n["deliverable"] == expected)
            .unwrap_or_else(|| panic!("no workstream {expected:?} in {api}"));
        let id = node["id"].as_str().expect("an ID");
        assert_eq!(
            dashboard.get(id).map(String::as_str),
            Some(expected),
            "dashboard"
        );
        assert_eq!(
            csv.find("id", id)["deliverable"],
            expected,
            "workstreams.csv"
        );
    }
}

async fn a_dashboard_view_and_its_downloads_hold_the_same_rows(backend: Backend) {
    // The report fixtures' commitments (with statuses), the bundled snapshot's commitment 2
    // (with none), and the invented delivery plans' workstreams.
    let app = TestApp::spawn(&backend).await;
    let dir = fixture_union(&["reports", "family"]);
    ingest::ingest_snapshot(&app.db.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    let ids = app
        .data(
            "{ commitments(first: 1) { nodes { id } } strategies { id } }",
            json!({}),
        )
        .await;
    let commitment = ids["commitments"]["nodes"][0]["id"]
        .as_str()
        .expect("a commitment")
        .to_owned();
    let strategy = ids["strategies"][0]["id"]
        .as_str()
        .expect("a strategy")
        .to_owned();
    let window = "from=2022-01-01&to=2024-12-31";
    let views = [
        String::new(),
        window.to_owned(),
        "to=2021-12-31".to_owned(),
        "status=ON_TRACK".to_owned(),
        "status=BEHIND_SCHEDULE".to_owned(),
        "status=NONE".to_owned(),
        format!("subject={commitment}"),
        format!("subject={strategy}"),
        format!("{window}&status=NONE"),
        format!("{window}&subject={strategy}"),
        format!("status=ON_TRACK&subject={commitment}"),
        format!("{window}&status=BEHIND_SCHEDULE&subject={strategy}"),
    ];
    let mut seen_rows = 0;
    for view in &views {
        let page = app
            .client
            .get(format!("{}/dashboard?{view}", app.base_url))
            .send()
            .await
            .expect("GET /dashboard");
        assert_eq!(page.status(), StatusCode::OK, "{view}");
        let html = page.text().await.expect("the page");
        let shown = dashboard_rows(&html);
        let windowed = view.contains("from=") || view.contains("to=");
        // The files hold what the page shows, less the undated rows of a windowed view, which
        // the page says they leave out.
        let mut expected: Vec<ViewRow> = shown
            .iter()
            .filter(|(_, undated)| !(windowed && *undated))
            .map(|(row, _)| row.clone())
            .collect();
        expected.sort();
        let undated = shown.iter().filter(|(_, undated)| *undated).count();
        if windowed && undated > 0 {
            assert!(
                html.contains(&format!("data-undated=\"{undated}\"")),
                "{view}: the page does not say its {undated} undated rows are in no file"
            );
        }
        let milestones = app.table("milestones.csv", view).await;
        let workstreams = app.table("workstreams.csv", view).await;
        let mut downloaded: Vec<ViewRow> = milestones
            .rows
            .iter()
            .map(|r| (r["id"].clone(), r["end_date"].clone(), r["status"].clone()))
            .chain(
                workstreams
                    .rows
                    .iter()
                    .map(|r| (r["id"].clone(), r["due_date"].clone(), r["status"].clone())),
            )
            .collect();
        downloaded.sort();
        assert_eq!(
            downloaded, expected,
            "view ?{view}: the files and the page differ"
        );

        // The calendar holds each dated row the page shows as an event of its own.
        let calendar = app.export("timeline.ics", view).await;
        assert_eq!(calendar.status(), StatusCode::OK, "{view}");
        let calendar = calendar.text().await.expect("the calendar");
        for ((id, end, _), undated) in &shown {
            if !*undated && !end.is_empty() {
                assert!(
                    calendar.contains(&format!("UID:{id}-")),
                    "view ?{view}: row {id} is not in the calendar"
                );
            }
        }
        seen_rows += expected.len();
    }
    assert!(seen_rows > 20, "the views showed {seen_rows} rows in all");
}

crate::cases!(
    a_dashboard_view_and_its_downloads_hold_the_same_rows,
    milestones_export_has_the_pages_milestones,
    milestones_export_filters_by_window_status_and_subject,
    milestones_export_status_is_the_latest_report_s,
    workstreams_export_has_the_plans_workstreams,
    export_parameters_that_are_wrong_are_answered_400,
    timeline_export_is_a_calendar_of_all_day_events,
    exports_answer_304_to_a_client_holding_the_file,
    a_bulleted_deliverable_reads_the_same_in_the_api_the_dashboard_and_the_csv,
    csv_rows_end_with_crlf_and_bom_1_puts_a_bom_first,
    csv_exports_read_in_python_with_no_options,
    timeline_export_names_caregraph_as_its_product,
);
