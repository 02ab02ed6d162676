//! The change feed: each ingest records what it added, removed and changed, field by field, in
//! the run's own transaction; identities survive small edits; an unchanged re-ingest records
//! nothing; a failed page records nothing.
//!
//! The pages are the invented report and plan fixtures (`tests/fixtures/reports`, `plans`),
//! edited between runs the way gov.scot rewrites pages: a milestone re-dated, one dropped, one
//! reworded a little and one rewritten, a status moved, a workstream's lead replaced and its
//! due date slipped a year. Every expected value below is read off those pages by hand.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use caregraph::http::HttpConfig;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestDb, edit_page, fixture_union};

const OVERVIEW_6: &str = "www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-6-shared-care-records";
const REPORT_6: &str = "www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-6-shared-care-records/pages/progress-to-september-2024";
const OVERVIEW_7: &str = "www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-7-community-energy";
const PLAN_PAGE: &str =
    "www.gov.scot/publications/harbour-care-online-delivery-plan-2023-24/pages/6";

crate::cases!(
    each_edit_is_recorded_field_by_field,
    a_renamed_organisation_keeps_its_id,
    readers_never_see_a_change_without_its_data,
);

/// A server over `url`, with a connection pool of its own: another process, as far as the
/// database can tell.
async fn server(url: &str) -> TestApp {
    TestApp::serving(TestDb::attach(url).await, HttpConfig::default()).await
}

async fn ingest(db: &TestDb, dir: &Path) -> ingest::RunSummary {
    ingest::ingest_snapshot(&db.db, dir, ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures")
}

/// The edits of the second run (see the module doc).
pub(crate) fn rewrite(dir: &Path) {
    edit_page(dir, OVERVIEW_6, |html| {
        html.replace("end July 2022", "end October 2022")
            .replace(
                "<li>set up a citizens' review panel for the record viewer</li>",
                "",
            )
            .replace("with two health boards", "with three health boards")
            .replace(
                "run listening sessions with carers' groups on record access",
                "hold a national conference on consent and data sharing",
            )
    });
    edit_page(dir, REPORT_6, |html| {
        html.replacen("<p>On schedule.</p>", "<p>Behind schedule.</p>", 1)
    });
    edit_page(dir, PLAN_PAGE, |html| {
        html.replace(
            "<li>Island Learning Council</li>",
            "<li>Island Training Council</li>",
        )
        .replace("<li>March 2024</li>", "<li>March 2025</li>")
    });
    // A page whose structure drifted fails alone, and records nothing.
    edit_page(dir, OVERVIEW_7, |html| {
        html.replace(">Commitment title</h3>", ">Heading nobody expects</h3>")
    });
}

const CHANGE: &str = "id action subjectType subjectId label at run { id } subject { id }
    fields { field before after } source { url documentTitle contentHash }";

/// The one change of `subject_type` whose label contains `label`.
fn one<'a>(changes: &'a [Value], subject_type: &str, label: &str) -> &'a Value {
    let found: Vec<&Value> = changes
        .iter()
        .filter(|c| c["subjectType"] == subject_type)
        .filter(|c| c["label"].as_str().is_some_and(|l| l.contains(label)))
        .collect();
    assert_eq!(found.len(), 1, "{subject_type} {label:?} in {changes:#?}");
    found[0]
}

/// A field of a change, as (before, after); panics when the change lacks it.
fn field(change: &Value, name: &str) -> (Value, Value) {
    let fields = change["fields"].as_array().expect("fields");
    let f = fields
        .iter()
        .find(|f| f["field"] == name)
        .unwrap_or_else(|| panic!("no {name} in {change:#}"));
    (f["before"].clone(), f["after"].clone())
}

fn names(change: &Value) -> Vec<&str> {
    change["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect()
}

async fn milestone_ids(app: &TestApp) -> Vec<(String, String)> {
    let data = app
        .data(
            "{ milestones(first: 100) { nodes { id title } } }",
            json!({}),
        )
        .await;
    data["milestones"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|m| {
            (
                m["title"].as_str().unwrap_or_default().to_owned(),
                m["id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn id_of(ids: &[(String, String)], title: &str) -> String {
    let found: Vec<&String> = ids
        .iter()
        .filter(|(t, _)| t.contains(title))
        .map(|(_, id)| id)
        .collect();
    assert_eq!(found.len(), 1, "{title:?} in {ids:?}");
    found[0].clone()
}

async fn last_run(app: &TestApp) -> Value {
    let data = app
        .data(
            &format!(
                "{{ ingestRuns(first: 1) {{ id startedAt changes(first: 100) {{ totalCount nodes {{ {CHANGE} }} }} }} }}"
            ),
            json!({}),
        )
        .await;
    data["ingestRuns"][0].clone()
}

async fn each_edit_is_recorded_field_by_field(backend: Backend) {
    let db = TestDb::new(&backend).await;
    let dir = fixture_union(&["reports", "plans"]);
    let first = ingest(&db, dir.path()).await;
    let app = server(&db.url).await;

    // The first run records everything it read as ADDED, and nothing else.
    assert!(first.changes > 0);
    let all = app
        .data(
            "{ all: changes { totalCount } added: changes(filter: {action: ADDED}) { totalCount }
               runs: ingestRuns(first: 1) { changes { totalCount } } }",
            json!({}),
        )
        .await;
    assert_eq!(all["all"]["totalCount"], json!(first.changes));
    assert_eq!(all["added"]["totalCount"], json!(first.changes));
    assert_eq!(
        all["runs"][0]["changes"]["totalCount"],
        json!(first.changes)
    );
    let before = milestone_ids(&app).await;

    rewrite(dir.path());
    let second = ingest(&db, dir.path()).await;
    assert_eq!(second.failures.len(), 1, "{:?}", second.failures);
    let run = last_run(&app).await;
    assert_eq!(run["changes"]["totalCount"], json!(second.changes));
    let changes = run["changes"]["nodes"].as_array().expect("nodes").clone();
    assert_eq!(changes.len(), second.changes, "one page holds them all");

    // Only the three edited pages (and organisations, which belong to no page) changed: the
    // failed page and the untouched ones record nothing.
    for c in &changes {
        assert_eq!(c["run"]["id"], run["id"]);
        match c["source"]["url"].as_str() {
            Some(url) => assert!(
                [OVERVIEW_6, REPORT_6, PLAN_PAGE]
                    .iter()
                    .any(|p| url.starts_with(&format!("https://{p}/"))),
                "a change from an unedited page: {c:#}"
            ),
            None => assert_eq!(c["subjectType"], "Organisation", "{c:#}"),
        }
    }

    // Re-dated: same ID, the end date and its phrase changed, the start date did not.
    let guide = one(&changes, "Milestone", "plain-language guide");
    assert_eq!(guide["action"], "CHANGED");
    assert_eq!(
        guide["subjectId"],
        json!(id_of(&before, "plain-language guide"))
    );
    assert_eq!(guide["subject"]["id"], guide["subjectId"]);
    assert_eq!(
        field(guide, "endDate"),
        (json!("2022-07-31"), json!("2022-10-31"))
    );
    let (was, now) = field(guide, "dateText");
    assert!(
        was.as_str().is_some_and(|s| s.contains("July 2022")),
        "{was}"
    );
    assert!(
        now.as_str().is_some_and(|s| s.contains("October 2022")),
        "{now}"
    );
    assert!(!names(guide).contains(&"startDate"), "{guide:#}");
    assert!(!names(guide).contains(&"title"), "{guide:#}");

    // Dropped: removed, its ID kept, its subject gone, its last values kept.
    let panel = one(&changes, "Milestone", "citizens' review panel");
    assert_eq!(panel["action"], "REMOVED");
    assert_eq!(
        panel["subjectId"],
        json!(id_of(&before, "citizens' review panel"))
    );
    assert_eq!(panel["subject"], Value::Null);
    let (was, now) = field(panel, "title");
    assert!(
        was.as_str().is_some_and(|s| s.contains("review panel")),
        "{was}"
    );
    assert_eq!(now, Value::Null);

    // Reworded a little (one word of nine), and moved up a place by the drop: the same
    // milestone, its title changed.
    let viewer = one(&changes, "Milestone", "record viewer prototype");
    assert_eq!(viewer["action"], "CHANGED");
    assert_eq!(
        viewer["subjectId"],
        json!(id_of(&before, "record viewer prototype"))
    );
    let (was, now) = field(viewer, "title");
    assert!(
        was.as_str()
            .is_some_and(|s| s.contains("two health boards")),
        "{was}"
    );
    assert!(
        now.as_str()
            .is_some_and(|s| s.contains("three health boards")),
        "{now}"
    );

    // Rewritten beyond the threshold: one milestone removed, another added, with a new ID.
    let gone = one(&changes, "Milestone", "listening sessions");
    assert_eq!(gone["action"], "REMOVED");
    let new = one(&changes, "Milestone", "national conference");
    assert_eq!(new["action"], "ADDED");
    assert_eq!(new["fields"], json!([]));
    assert!(before.iter().all(|(_, id)| new["subjectId"] != json!(id)));
    assert_eq!(new["subject"]["id"], new["subjectId"]);

    // A status moved on the report.
    let fife = one(&changes, "ProgressUpdate", "Viewer testing in Fife");
    assert_eq!(fife["action"], "CHANGED");
    assert_eq!(
        field(fife, "status"),
        (json!("ON_TRACK"), json!("BEHIND_SCHEDULE"))
    );
    let (_, now) = field(fife, "statusText");
    assert!(
        now.as_str().is_some_and(|s| s.contains("Behind schedule")),
        "{now}"
    );

    // A workstream's lead replaced and its due date slipped a year.
    let routes = one(&changes, "Workstream", "Two new learning routes");
    assert_eq!(routes["action"], "CHANGED");
    assert_eq!(
        field(routes, "leads"),
        (
            json!("Harbour Digital Care Directorate; Island Learning Council"),
            json!("Harbour Digital Care Directorate; Island Training Council")
        )
    );
    assert_eq!(
        field(routes, "dueDate"),
        (json!("2024-03-31"), json!("2025-03-31"))
    );
    assert_eq!(
        field(routes, "dueText"),
        (json!("March 2024"), json!("March 2025"))
    );
    // The new lead is a new organisation; the old one is still named on other plan pages.
    assert_eq!(
        one(&changes, "Organisation", "Island Training Council")["action"],
        "ADDED"
    );
    assert!(
        !changes
            .iter()
            .any(|c| c["label"] == "Island Learning Council"),
        "{changes:#?}"
    );

    // Each edited page's own change: its new content hash, cited with the copy read.
    let page = changes
        .iter()
        .find(|c| {
            c["subjectType"] == "Document"
                && c["source"]["url"] == json!(format!("https://{OVERVIEW_6}/"))
        })
        .expect("the overview's own change");
    let (was, now) = field(page, "contentHash");
    assert_ne!(was, now);
    assert_eq!(now, page["source"]["contentHash"]);

    // "What slipped": one query, every answer with an end date change, the re-dated one
    // among them; and the same changes through the milestone itself.
    let slipped = app
        .data(
            &format!(
                r#"query($since: DateTime) {{ changes(filter: {{field: "endDate", since: $since}}) {{ totalCount nodes {{ {CHANGE} }} }} }}"#
            ),
            json!({ "since": run["startedAt"] }),
        )
        .await;
    let slipped = slipped["changes"]["nodes"]
        .as_array()
        .expect("nodes")
        .clone();
    assert!(
        slipped.iter().all(|c| names(c).contains(&"endDate")),
        "{slipped:#?}"
    );
    assert_eq!(
        one(&slipped, "Milestone", "plain-language guide")["id"],
        guide["id"]
    );
    let own = app
        .data(
            r#"query($id: ID!) { node(id: $id) { ... on Milestone { endDate
                 changes { totalCount nodes { action fields { field before after } } } } } }"#,
            json!({ "id": guide["subjectId"] }),
        )
        .await;
    assert_eq!(own["node"]["endDate"], "2022-10-31");
    // Added by the first run, changed by the second: newest first.
    let own = &own["node"]["changes"];
    assert_eq!(own["totalCount"], 2);
    assert_eq!(own["nodes"][0]["action"], "CHANGED");
    assert_eq!(own["nodes"][1]["action"], "ADDED");
    let filtered = app
        .data(
            r#"{ m: changes(filter: {subjectType: Workstream, action: CHANGED}) { nodes { label } } }"#,
            json!({}),
        )
        .await;
    let labels: Vec<&str> = filtered["m"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["label"].as_str())
        .collect();
    assert_eq!(labels.len(), 1, "{labels:?}");
    assert!(
        labels[0].starts_with("Two new learning routes"),
        "{labels:?}"
    );

    // The timeline gives each moved item's date before the move, and no other.
    let timeline = app
        .data(
            r#"{ timeline(from: "2022-01-01", to: "2025-12-31") { kind previousEndDate subject { id } } }"#,
            json!({}),
        )
        .await;
    let moved: Vec<(Value, Value)> = timeline["timeline"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| !e["previousEndDate"].is_null())
        .map(|e| (e["subject"]["id"].clone(), e["previousEndDate"].clone()))
        .collect();
    assert_eq!(
        moved,
        vec![
            (guide["subjectId"].clone(), json!("2022-07-31")),
            (routes["subjectId"].clone(), json!("2024-03-31")),
        ]
    );

    // The dashboard shows where the re-dated milestone ended before, in the chart and the
    // table; the workstream whose due date slipped likewise.
    let page = reqwest::get(format!("{}/dashboard", app.base_url))
        .await
        .expect("GET /dashboard")
        .text()
        .await
        .expect("a page");
    for (id, now, was) in [
        (&guide["subjectId"], "31 Oct 2022", "31 Jul 2022"),
        (&routes["subjectId"], "31 Mar 2025", "31 Mar 2024"),
    ] {
        let id = id.as_str().unwrap_or_default();
        assert!(
            page.contains(&format!("<g class=\"previous\" data-id=\"{id}\">")),
            "no previous end drawn for {id}"
        );
        assert!(
            page.contains(&format!("{now} (was {was})")),
            "no {now} (was {was})"
        );
    }

    // An unknown subject type is not a value of the enum: the request is refused, naming it.
    let refused = async |query: &str| app.post(query, json!({})).await["errors"][0].clone();
    let error = refused(r#"{ changes(filter: {subjectType: Paragraph}) { totalCount } }"#).await;
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains("Paragraph"), "{error:#}");
    // A field that no recorded type has (snake_case here) is an error listing the fields, where
    // it used to match nothing.
    let error = refused(r#"{ changes(filter: {field: "end_date"}) { totalCount } }"#).await;
    let message = error["message"].as_str().unwrap_or_default();
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error:#}");
    assert!(
        message.contains("end_date") && message.contains("endDate") && message.contains("dueDate"),
        "{error:#}"
    );

    // The same copy again: nothing changed, nothing recorded.
    let again = ingest(&db, dir.path()).await;
    assert_eq!(again.changes, 0);
    let run = last_run(&app).await;
    assert_eq!(run["changes"]["totalCount"], 0);
    let total = app.data("{ changes { totalCount } }", json!({})).await;
    assert_eq!(
        total["changes"]["totalCount"],
        json!(first.changes + second.changes)
    );
}

/// An organisation whose name loses a letter is the same organisation, across this run and
/// later ones; one replaced by another name is another organisation.
async fn a_renamed_organisation_keeps_its_id(backend: Backend) {
    let db = TestDb::new(&backend).await;
    let dir = fixture_union(&["reports"]);
    ingest(&db, dir.path()).await;
    let app = server(&db.url).await;
    let find = |name: &'static str| {
        let app = &app;
        async move {
            let data = app
                .data(
                    "query($n: String!) { organisations(filter: {name: $n}) { nodes { id name } } }",
                    json!({ "n": name }),
                )
                .await;
            data["organisations"]["nodes"]
                .as_array()
                .expect("nodes")
                .clone()
        }
    };
    let forum = find("Harbour Patients Forum").await;
    assert_eq!(forum.len(), 1, "{forum:?}");

    // The overview is the only page naming either stakeholder.
    edit_page(dir.path(), OVERVIEW_6, |html| {
        html.replace("Harbour Patients Forum", "Harbour Patient Forum")
            .replace("Lantern Carers Network", "Kelpie Youth Theatre")
    });
    ingest(&db, dir.path()).await;
    let renamed = find("Harbour Patient Forum").await;
    assert_eq!(renamed.len(), 1, "{renamed:?}");
    assert_eq!(renamed[0]["id"], forum[0]["id"]);
    assert_eq!(renamed[0]["name"], "Harbour Patient Forum");
    assert!(find("Harbour Patients Forum").await.is_empty());
    let run = last_run(&app).await;
    let changes = run["changes"]["nodes"].as_array().expect("nodes").clone();
    let change = one(&changes, "Organisation", "Harbour Patient Forum");
    assert_eq!(change["action"], "CHANGED");
    assert_eq!(change["subjectId"], forum[0]["id"]);
    assert_eq!(
        field(change, "name"),
        (
            json!("Harbour Patients Forum"),
            json!("Harbour Patient Forum")
        )
    );
    assert_eq!(
        one(&changes, "Organisation", "Lantern Carers Network")["action"],
        "REMOVED"
    );
    assert_eq!(
        one(&changes, "Organisation", "Kelpie Youth Theatre")["action"],
        "ADDED"
    );

    // A later rewrite of the page still names the renamed organisation by its kept ID.
    edit_page(dir.path(), OVERVIEW_6, |html| {
        html.replace("March 2022 to March 2025", "March 2022 to June 2025")
    });
    ingest(&db, dir.path()).await;
    let again = find("Harbour Patient Forum").await;
    assert_eq!(again.len(), 1, "{again:?}");
    assert_eq!(again[0]["id"], forum[0]["id"]);
    let run = last_run(&app).await;
    let changes = run["changes"]["nodes"].as_array().expect("nodes").clone();
    assert!(
        changes.iter().all(|c| c["subjectType"] != "Organisation"),
        "{changes:#?}"
    );
    assert_eq!(
        field(one(&changes, "Commitment", "Commitment 6"), "periodEnd"),
        (json!("2025-03-31"), json!("2025-06-30"))
    );
}

/// Two servers (each with its own pool) read while a run rewrites the pages: a reader that
/// sees the change must then see its data, and one that sees the data must then see the change.
async fn readers_never_see_a_change_without_its_data(backend: Backend) {
    let db = TestDb::new(&backend).await;
    let dir = fixture_union(&["reports", "plans"]);
    ingest(&db, dir.path()).await;
    let servers = [
        Arc::new(server(&db.url).await),
        Arc::new(server(&db.url).await),
    ];
    let guide = id_of(&milestone_ids(&servers[0]).await, "plain-language guide");
    rewrite(dir.path());

    let done = Arc::new(AtomicBool::new(false));
    let rounds = Arc::new(AtomicUsize::new(0));
    let mut readers = Vec::new();
    for (n, app) in servers.iter().enumerate() {
        for reader in 0..2 {
            let (app, done, rounds, guide) =
                (app.clone(), done.clone(), rounds.clone(), guide.clone());
            readers.push(tokio::spawn(async move {
                let (mut old, mut new) = (0, 0);
                while !done.load(Ordering::SeqCst) {
                    // Alternate which is read first: each order checks one direction.
                    let change_first = (old + new + reader) % 2 == 0;
                    let (seen, end) = if change_first {
                        let seen = slipped(&app, &guide).await;
                        (seen, end_date(&app, &guide).await)
                    } else {
                        let end = end_date(&app, &guide).await;
                        (slipped(&app, &guide).await, end)
                    };
                    let moved = end == "2022-10-31";
                    if change_first {
                        assert!(!seen || moved, "server {n} saw the change before its data");
                    } else {
                        assert!(!moved || seen, "server {n} saw the data before its change");
                    }
                    if moved {
                        new += 1
                    } else {
                        old += 1
                    }
                    rounds.fetch_add(1, Ordering::SeqCst);
                }
                (old, new)
            }));
        }
    }
    // Every reader is reading before the run starts, and goes on after it commits.
    while rounds.load(Ordering::SeqCst) < 8 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let summary = ingest(&db, dir.path()).await;
    assert!(summary.changes > 0);
    let after = rounds.load(Ordering::SeqCst);
    while rounds.load(Ordering::SeqCst) < after + 8 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    done.store(true, Ordering::SeqCst);
    let (mut old, mut new) = (0, 0);
    for r in readers {
        let (o, n) = r.await.expect("a reader panicked");
        old += o;
        new += n;
    }
    assert!(
        old > 0 && new > 0,
        "readers saw {old} reads before and {new} after"
    );
}

async fn slipped(app: &TestApp, milestone: &str) -> bool {
    let data = app
        .data(
            r#"{ changes(first: 20, filter: {field: "endDate", action: CHANGED}) { nodes { subjectId fields { field after } } } }"#,
            json!({}),
        )
        .await;
    data["changes"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .any(|c| {
            c["subjectId"] == milestone
                && c["fields"]
                    .as_array()
                    .is_some_and(|f| f.iter().any(|f| f["after"] == "2022-10-31"))
        })
}

async fn end_date(app: &TestApp, milestone: &str) -> String {
    let data = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Milestone { endDate } } }",
            json!({ "id": milestone }),
        )
        .await;
    data["node"]["endDate"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
