//! Progress reports in every dialect, and the delivery statuses they give: stored, linked to
//! milestones and served. Expected values are copied by hand from the fixture pages in
//! `tests/fixtures/reports/` (invented text in gov.scot's markup).

use chrono::NaiveDate;
use entity::{DeliveryStatus, commitment, ingest_run, milestone, progress_update};
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use caregraph::http::HttpConfig;

use crate::helpers::{Backend, TestApp, TestDb, label_fixtures, report_fixtures};

const C6: &str = "https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-6-shared-care-records/";
const C7: &str = "https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-7-community-energy/";

/// The stored updates of one report, in page order, each with the position of the milestone it
/// links to.
async fn report(
    db: &DatabaseConnection,
    title: &str,
) -> Vec<(progress_update::Model, Option<i32>)> {
    let updates = progress_update::Entity::find()
        .filter(progress_update::Column::ReportTitle.eq(title))
        .order_by_asc(progress_update::Column::Position)
        .all(db)
        .await
        .expect("query");
    let mut out = Vec::new();
    for u in updates {
        let position = match u.milestone_id {
            Some(id) => milestone::Entity::find_by_id(id)
                .one(db)
                .await
                .expect("query")
                .map(|m| m.position),
            None => None,
        };
        out.push((u, position));
    }
    out
}

type Row<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<DeliveryStatus>,
    Option<&'a str>,
    Option<i32>,
);

fn rows(report: &[(progress_update::Model, Option<i32>)]) -> Vec<Row<'_>> {
    report
        .iter()
        .map(|(u, m)| {
            (
                u.activity.as_str(),
                u.text.as_str(),
                u.next_steps.as_deref(),
                u.delivery_status,
                u.status_text.as_deref(),
                *m,
            )
        })
        .collect()
}

async fn every_dialect_is_stored_with_its_statuses_and_links(backend: Backend) {
    use DeliveryStatus::*;
    let t = TestDb::new(&backend).await;
    let run = ingest::ingest_snapshot(&t.db, &report_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    assert_eq!(run.added, 6);
    let commitments = commitment::Entity::find()
        .order_by_asc(commitment::Column::Number)
        .all(&t.db)
        .await
        .expect("query");
    assert_eq!(
        commitments.iter().map(|c| c.number).collect::<Vec<_>>(),
        vec![6, 7]
    );

    // progress-to-august-2022: "Milestone:" headings, "Update and next steps", "Next steps",
    // a "Status" heading and a bare "On schedule.".
    let aug = report(&t.db, "Progress to August 2022").await;
    assert_eq!(
        aug.iter()
            .map(|(u, _)| u.milestone_heading.as_str())
            .collect::<Vec<_>>(),
        vec![
            "To give people sight of their own care records",
            "To open record design to the people who use the records"
        ]
    );
    assert_eq!(
        rows(&aug),
        vec![
            (
                "Publish a plain-language guide to reading a shared care record (start March 2022 – end July 2022)",
                "The guide was drafted with two carers' groups and went to print in July.",
                Some("We will translate the guide into Gaelic and British Sign Language."),
                Some(Completed),
                Some("Completed"),
                // The overview's first milestone, by words and by its dates.
                Some(0),
            ),
            (
                "Set up a citizens' review panel for the record viewer",
                "Fourteen panel members were recruited through community networks.",
                None,
                Some(OnTrack),
                Some("On schedule."),
                Some(2),
            ),
        ]
    );
    // The old column keeps the printed words, as it always did.
    assert_eq!(aug[1].0.status.as_deref(), Some("On schedule."));

    // progress-to-november-2023: bold labels with the text inline; no activity, so the
    // milestone the report prints is matched.
    let nov = report(&t.db, "Progress to November 2023").await;
    assert_eq!(
        rows(&nov),
        vec![
            (
                "",
                "Three sessions were held, in Dundee, in Oban and online, with forty-one carers taking part.",
                None,
                Some(BehindSchedule),
                Some("Behind schedule."),
                Some(1),
            ),
            (
                "",
                "The panel met four times and reviewed the first viewer screens.",
                Some("Panel members will co-chair the viewer's testing days."),
                Some(InProgress),
                Some("In progress."),
                Some(2),
            ),
        ]
    );

    // progress-to-september-2024: one unlabelled milestone sentence over two titled
    // activities, then another sentence whose update ends "Completed." in a table cell.
    let sep = report(&t.db, "Progress to September 2024").await;
    assert_eq!(
        sep.iter()
            .map(|(u, _)| u.milestone_heading.as_str())
            .collect::<Vec<_>>(),
        vec![
            "Test the record viewer prototype with two health boards",
            "Test the record viewer prototype with two health boards",
            "Set up a citizens' review panel for the record viewer",
        ]
    );
    assert_eq!(
        rows(&sep),
        vec![
            (
                "Viewer testing in Fife",
                "Twenty patients tried the viewer on tablets at two clinics.",
                None,
                Some(OnTrack),
                Some("On schedule."),
                Some(3),
            ),
            (
                "Viewer testing in the Western Isles",
                "Testing is planned for January, once the clinics have tablets.",
                None,
                Some(NotStarted),
                Some("Not started."),
                Some(3),
            ),
            (
                "",
                "The panel signed off the wording of every viewer screen.",
                None,
                Some(Completed),
                Some("Completed."),
                Some(2),
            ),
        ]
    );

    // progress-to-december-2024 (commitment 7): Plan / Success criteria / Update, each
    // milestone dated in brackets; the schools challenge is no milestone of the overview.
    let dec = report(&t.db, "Progress to December 2024").await;
    assert_eq!(
        rows(&dec),
        vec![
            (
                "Release the maps on the open data portal.",
                "Maps for 30 of the 32 council areas are live.",
                None,
                Some(OnTrack),
                Some("On schedule."),
                Some(0),
            ),
            (
                "At least 200 residents attend.",
                "240 residents came to eleven workshops.",
                None,
                None,
                None,
                Some(1),
            ),
            (
                "Workshop notes are published.",
                "Notes from nine workshops are online; two are still being written.",
                None,
                Some(InProgress),
                Some("In progress."),
                Some(1),
            ),
            (
                "",
                "Forty schools signed up in the first week.",
                None,
                None,
                None,
                None,
            ),
        ]
    );
    // The unmatched update is reported, naming the report and the update, not forced onto a
    // milestone.
    let unlinked = format!("{C7}pages/progress-to-december-2024/");
    assert_eq!(
        run.warnings
            .iter()
            .filter(|w| w.contains("matches no milestone"))
            .collect::<Vec<_>>()
            .len(),
        1,
        "{:?}",
        run.warnings
    );
    let warning = run
        .warnings
        .iter()
        .find(|w| w.contains("matches no milestone"))
        .expect("a warning for the unmatched update");
    assert!(warning.starts_with(&unlinked), "{warning}");
    assert!(
        warning.contains("Launch a schools energy challenge (May 2024)"),
        "{warning}"
    );
    let stored = ingest_run::Entity::find()
        .one(&t.db)
        .await
        .expect("query")
        .expect("the run");
    assert!(
        stored
            .warnings
            .contains("Launch a schools energy challenge")
    );
}

async fn milestone_statuses_follow_the_reports_over_time(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    ingest::ingest_snapshot(&app.db.db, &report_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    let fields = "title status statusHistory { reportedOn status statusText source { url } }
        progressUpdates { reportTitle activity nextSteps status statusText }";
    // Through the commitment (its milestones read ahead with their updates) and through the
    // root list (each milestone's updates through the loader): the same answers.
    let nested = app
        .data(
            &format!(
                "{{ commitments {{ nodes {{ number milestones {{ nodes {{ {fields} }} }} }} }} }}"
            ),
            json!({}),
        )
        .await;
    let c6 = nested["commitments"]["nodes"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["number"] == 6))
        .expect("commitment 6")["milestones"]["nodes"]
        .clone();
    let root = app
        .data(
            &format!(
                "{{ milestones(first: 10, filter: {{text: \"record\"}}) {{ nodes {{ {fields} }} }} }}"
            ),
            json!({}),
        )
        .await;
    for m in c6.as_array().expect("milestones") {
        let same = root["milestones"]["nodes"]
            .as_array()
            .and_then(|ms| ms.iter().find(|r| r["title"] == m["title"]));
        assert_eq!(same, Some(m), "{}", m["title"]);
    }

    // The review panel: "On schedule." (August 2022), "In progress." (November 2023),
    // "Completed." (September 2024).
    let panel = &c6[2];
    assert_eq!(
        panel["title"],
        "set up a citizens' review panel for the record viewer"
    );
    assert_eq!(panel["status"], "COMPLETED");
    assert_eq!(
        panel["statusHistory"],
        json!([
            { "reportedOn": "2022-08-31", "status": "ON_TRACK", "statusText": "On schedule.",
              "source": { "url": format!("{C6}pages/progress-to-august-2022/#panel") } },
            { "reportedOn": "2023-11-30", "status": "IN_PROGRESS", "statusText": "In progress.",
              "source": { "url": format!("{C6}pages/progress-to-november-2023/") } },
            { "reportedOn": "2024-09-30", "status": "COMPLETED", "statusText": "Completed.",
              "source": { "url": format!("{C6}pages/progress-to-september-2024/") } },
        ])
    );
    assert_eq!(
        panel["progressUpdates"][1],
        json!({ "reportTitle": "Progress to November 2023", "activity": null,
            "nextSteps": "Panel members will co-chair the viewer's testing days.",
            "status": "IN_PROGRESS", "statusText": "In progress." })
    );
    // The listening sessions: one report, behind schedule.
    assert_eq!(c6[1]["status"], "BEHIND_SCHEDULE");
    assert_eq!(c6[1]["statusHistory"].as_array().map(Vec::len), Some(1));
    // The viewer prototype: two activities in one report; the later one on the page is the
    // latest status.
    assert_eq!(c6[3]["status"], "NOT_STARTED");
    assert_eq!(
        c6[3]["progressUpdates"][0]["activity"],
        "Viewer testing in Fife"
    );
    assert_eq!(
        c6[3]["statusHistory"].as_array().map(|h| h
            .iter()
            .map(|s| s["statusText"].clone())
            .collect::<Vec<_>>()),
        Some(vec![json!("On schedule."), json!("Not started.")])
    );
}

/// A database an older caregraph made (the schema before migration 4, a status stored as
/// the printed line) keeps its rows through the migration, and they answer the new columns.
async fn statuses_stored_by_an_older_caregraph_survive_the_migration(backend: Backend) {
    let t = TestDb::new(&backend).await;
    // Back to the schema of the third migration, as an older caregraph left it.
    let newer = u32::try_from(Migrator::migrations().len() - 3).expect("a few migrations");
    Migrator::down(&t.db, Some(newer))
        .await
        .expect("migrate down");
    for (id, status) in [(1, "'Behind schedule.'"), (2, "'Paused'"), (3, "NULL")] {
        t.db.execute_unprepared(&format!(
            "INSERT INTO progress_update (id, document_id, commitment_id, position, report_title,
                milestone_heading, activity, text, status)
             VALUES ({id}, 1, 1, {id}, 'Progress to May 2023', 'A milestone', '', 'Done.', {status})"
        ))
        .await
        .expect("insert an old row");
    }
    Migrator::up(&t.db, None).await.expect("migrate up again");
    let rows = progress_update::Entity::find()
        .order_by_asc(progress_update::Column::Id)
        .all(&t.db)
        .await
        .expect("read the old rows with the new entity");
    assert_eq!(
        rows.iter()
            .map(|r| (
                r.status.as_deref(),
                r.status_text.as_deref(),
                r.delivery_status,
                r.next_steps.as_deref()
            ))
            .collect::<Vec<_>>(),
        vec![
            (
                Some("Behind schedule."),
                Some("Behind schedule."),
                Some(DeliveryStatus::BehindSchedule),
                None
            ),
            (Some("Paused"), Some("Paused"), None, None),
            (None, None, None, None),
        ]
    );
}

/// Expected values are read by hand off the two reports of `tests/fixtures/labels/`.
async fn a_table_report_a_status_first_and_a_last_updated_line_are_read(backend: Backend) {
    let t = TestDb::new(&backend).await;
    let run = ingest::ingest_snapshot(&t.db, &label_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    assert!(run.failures.is_empty(), "{:?}", run.failures);
    // "Milestone | Status | Progress": one update per row, the status before the progress,
    // each linked to the overview's milestone of the same words (positions 0 and 1).
    let march = report(&t.db, "Progress to March 2024").await;
    type Seen<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<DeliveryStatus>,
        Option<i32>,
    );
    let seen: Vec<Seen<'_>> = march
        .iter()
        .map(|(u, m)| {
            (
                u.milestone_heading.as_str(),
                u.text.as_str(),
                u.status_text.as_deref(),
                u.delivery_status,
                *m,
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "Publish the timetable data for every rural route",
                "Timetables for all forty-one routes are on the open data portal.",
                Some("Completed"),
                Some(DeliveryStatus::Completed),
                Some(0)
            ),
            (
                "Hold a route workshop in each glen",
                "Eight of the twelve glens have held theirs; the rest meet in April.",
                Some("On track"),
                Some(DeliveryStatus::OnTrack),
                Some(1)
            ),
        ]
    );
    // Its date is only in its title, which is its side navigation's entry.
    assert!(
        march
            .iter()
            .all(|(u, _)| u.reported_on == NaiveDate::from_ymd_opt(2024, 3, 31))
    );
    // "Current status" before "Progress", and a date only in "Last updated: 20 September 2024".
    let update = report(&t.db, "Progress update").await;
    assert_eq!(update.len(), 1);
    let (u, m) = &update[0];
    assert_eq!(
        u.milestone_heading,
        "Agree the winter timetable with riders"
    );
    assert_eq!(
        (u.status_text.as_deref(), u.delivery_status),
        (
            Some("Behind schedule."),
            Some(DeliveryStatus::BehindSchedule)
        )
    );
    assert_eq!(
        u.text,
        "The riders' panel turned down two of the three draft timetables."
    );
    assert_eq!(
        u.next_steps.as_deref(),
        Some("A third draft goes to the panel in October.")
    );
    assert_eq!(u.reported_on, NaiveDate::from_ymd_opt(2024, 9, 20));
    assert_eq!(*m, Some(2));
    assert!(
        !run.warnings
            .iter()
            .any(|w| w.contains("no date in report title")),
        "{:?}",
        run.warnings
    );
}

/// Expected values are read by hand off `labels/.../pages/progress-to-november-2022/`, whose
/// two updates print the same milestone sentence (the overview's objective) and differ by
/// their activity titles and their words.
async fn updates_under_one_objective_sentence_link_one_to_one_by_evidence(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let run = ingest::ingest_snapshot(&app.db.db, &label_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    assert!(
        !run.warnings.iter().any(|w| w.contains("left unlinked")),
        "{:?}",
        run.warnings
    );
    let data = app
        .data(
            r#"{ commitments { nodes { progressUpdates {
                reportTitle activity milestone { title }
                linkConfidence { score margin evidence }
            } } } }"#,
            json!({}),
        )
        .await;
    let updates = data["commitments"]["nodes"][0]["progressUpdates"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let november: Vec<&serde_json::Value> = updates
        .iter()
        .filter(|u| u["reportTitle"] == "Progress to November 2022")
        .collect();
    let links: Vec<(&str, &str)> = november
        .iter()
        .map(|u| {
            (
                u["activity"].as_str().unwrap_or_default(),
                u["milestone"]["title"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        links,
        vec![
            (
                "Route data - getting it published",
                "publish the timetable data for every rural route"
            ),
            (
                "Glen workshops - the first round",
                "hold a route workshop in each glen"
            ),
        ]
    );
    for u in &november {
        let c = &u["linkConfidence"];
        let (score, margin) = (
            c["score"].as_f64().unwrap_or_default(),
            c["margin"].as_f64().unwrap_or_default(),
        );
        assert!(score >= 0.45 && margin >= 0.05 && margin <= score, "{c}");
        // The activity's words, the update's own words and the objective all scored.
        for evidence in ["ACTIVITY", "TEXT", "OBJECTIVE"] {
            assert!(
                c["evidence"]
                    .as_array()
                    .is_some_and(|e| e.iter().any(|x| x == evidence)),
                "{c}"
            );
        }
    }
}

/// One milestone's reports, as the latest statuses step reads them: an undated report that
/// says COMPLETED, a newer dated one that states no status, and two dated ones, the later
/// BEHIND_SCHEDULE. A second milestone has an undated report only.
async fn a_milestone_s_latest_status_is_its_latest_dated_report_that_states_one(backend: Backend) {
    let db = TestDb::new(&backend).await;
    ingest::ingest_snapshot(&db.db, &report_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    let dated = milestone::Entity::find()
        .filter(milestone::Column::EndDate.is_not_null())
        .order_by_asc(milestone::Column::Id)
        .all(&db.db)
        .await
        .expect("milestones");
    let [first, second, ..] = &dated[..] else {
        panic!("the fixtures have two dated milestones");
    };
    let template = progress_update::Entity::find()
        .one(&db.db)
        .await
        .expect("read an update")
        .expect("the fixtures have updates");
    progress_update::Entity::delete_many()
        .filter(progress_update::Column::MilestoneId.is_in([first.id, second.id]))
        .exec(&db.db)
        .await
        .expect("clear the milestones' updates");
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let reports = [
        (first.id, None, Some(DeliveryStatus::Completed)),
        (first.id, day(2024, 9, 30), None),
        (
            first.id,
            day(2024, 3, 31),
            Some(DeliveryStatus::BehindSchedule),
        ),
        (first.id, day(2023, 9, 30), Some(DeliveryStatus::OnTrack)),
        (second.id, None, Some(DeliveryStatus::InProgress)),
    ];
    for (i, (milestone_id, reported_on, status)) in reports.into_iter().enumerate() {
        let n = i64::try_from(i).expect("few reports");
        let update = progress_update::Model {
            id: 9_000_000 + n,
            position: 1_000 + i32::try_from(i).expect("few reports"),
            reported_on,
            delivery_status: status,
            status_text: status.map(|_| "as printed".to_owned()),
            milestone_id: Some(milestone_id),
            ..template.clone()
        };
        progress_update::Entity::insert(progress_update::ActiveModel::from(update))
            .exec_without_returning(&db.db)
            .await
            .expect("insert a report");
    }
    ingest::derive::statuses::refresh(&db.db)
        .await
        .expect("derive the latest statuses");
    let stored = |id: i64| {
        let db = &db.db;
        async move {
            milestone::Entity::find_by_id(id)
                .one(db)
                .await
                .expect("read the milestone")
                .and_then(|m| m.latest_status)
        }
    };
    // The newest dated report says nothing, so the one before it gives the status; the
    // undated COMPLETED comes after every dated report.
    assert_eq!(stored(first.id).await, Some(DeliveryStatus::BehindSchedule));
    assert_eq!(stored(second.id).await, Some(DeliveryStatus::InProgress));
    // The milestone's timeline event carries the stored status.
    let events = entity::event::Entity::find()
        .filter(entity::event::Column::Kind.eq(entity::EventKind::Milestone))
        .filter(entity::event::Column::SubjectId.eq(first.id))
        .all(&db.db)
        .await
        .expect("read events");
    assert!(!events.is_empty(), "a dated milestone has an event");
    assert!(
        events
            .iter()
            .all(|e| e.status == Some(DeliveryStatus::BehindSchedule)),
        "{events:?}"
    );

    // Every surface shows that one status: GraphQL's `Milestone.status`, `events(filter:
    // {status})`, the dashboard's table, `milestones.csv` and `timeline.ics`.
    let title = first.title.clone();
    let app = TestApp::serving(db, HttpConfig::default()).await;
    let data = app
        .data(
            "{ milestones(first: 100) { nodes { id title status } } }",
            json!({}),
        )
        .await;
    let node = data["milestones"]["nodes"]
        .as_array()
        .and_then(|ns| ns.iter().find(|n| n["title"] == title.as_str()))
        .expect("the milestone in /graphql")
        .clone();
    assert_eq!(node["status"], "BEHIND_SCHEDULE");
    let id = node["id"].as_str().expect("an ID").to_owned();
    for (status, holds) in [
        ("BEHIND_SCHEDULE", true),
        ("COMPLETED", false),
        ("ON_TRACK", false),
    ] {
        let events = app
            .data(
                "query($s: DeliveryStatus) { events(first: 100, filter: { status: $s, kinds: [\"MILESTONE\"] }) { nodes { status subject { ... on Milestone { id } } } } }",
                json!({ "s": status }),
            )
            .await;
        let found = events["events"]["nodes"]
            .as_array()
            .is_some_and(|ns| ns.iter().any(|n| n["subject"]["id"] == id.as_str()));
        assert_eq!(found, holds, "events(filter: {{status: {status}}})");
    }
    let get = |path: String| {
        let client = app.client.clone();
        let url = format!("{}{path}", app.base_url);
        async move {
            client
                .get(url)
                .send()
                .await
                .expect("GET")
                .text()
                .await
                .expect("a body")
        }
    };
    let page = get("/dashboard".to_owned()).await;
    let row = page
        .split(&format!("<tr data-item=\"{id}\">"))
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("the milestone's row on the dashboard");
    assert!(row.contains("Behind schedule"), "{row}");
    let csv = get("/export/milestones.csv?status=BEHIND_SCHEDULE".to_owned()).await;
    assert!(
        csv.lines()
            .any(|l| l.starts_with(&format!("{id},")) && l.contains(",BEHIND_SCHEDULE,")),
        "{csv}"
    );
    let csv = get("/export/milestones.csv?status=COMPLETED".to_owned()).await;
    assert!(!csv.contains(&id), "{csv}");
    let calendar = get("/export/timeline.ics?status=BEHIND_SCHEDULE".to_owned()).await;
    assert!(
        calendar.contains(&format!("UID:{id}-MILESTONE")),
        "{calendar}"
    );
}

crate::cases!(
    a_milestone_s_latest_status_is_its_latest_dated_report_that_states_one,
    a_table_report_a_status_first_and_a_last_updated_line_are_read,
    updates_under_one_objective_sentence_link_one_to_one_by_evidence,
    every_dialect_is_stored_with_its_statuses_and_links,
    milestone_statuses_follow_the_reports_over_time,
    statuses_stored_by_an_older_caregraph_survive_the_migration,
);
