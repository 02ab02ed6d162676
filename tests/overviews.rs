//! Commitment overviews as gov.scot publishes them (labels missing, several bodies to a bullet,
//! role notes, several lead directorates, a description) and co-creation pages. Expected values
//! are written by hand from the fixture pages in `tests/fixtures/overviews/` (invented text in
//! gov.scot's markup).

use chrono::NaiveDate;
use entity::{
    DocumentKind, commitment, document, milestone, organisation, organisation_alias,
    organisation_role,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{
    Backend, TestApp, TestDb, copy_dir, label_fixtures, overview_fixtures, strings,
};
use crate::ingest::items;

const C8: &str = "https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-8-coastal-communities/";
const C9: &str = "https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-9-rural-buses/";

/// The organisations named in `role`, by name, each with the bullet or line it was printed in.
async fn named(db: &DatabaseConnection, role: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in organisation_role::Entity::find()
        .filter(organisation_role::Column::Role.eq(role))
        .all(db)
        .await
        .expect("query")
    {
        let org = organisation::Entity::find_by_id(r.organisation_id)
            .one(db)
            .await
            .expect("query")
            .expect("the role's organisation");
        out.push((org.name, r.name_as_printed));
    }
    out.sort();
    out
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

async fn an_overview_without_labels_is_read_by_form_and_place(backend: Backend) {
    let t = TestDb::new(&backend).await;
    let run = ingest::ingest_snapshot(&t.db, &overview_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    assert_eq!(run.added, 2);
    let all = commitment::Entity::find().all(&t.db).await.expect("query");
    assert_eq!(all.len(), 1);
    let c = &all[0];
    assert_eq!(c.number, 8);
    assert_eq!(
        c.title,
        "Opening up how harbour and shoreline money is planned and spent."
    );
    // The unlabelled "2022 to 2026" line.
    assert_eq!(c.period_text.as_deref(), Some("2022 to 2026"));
    assert_eq!(
        (c.period_start, c.period_end),
        (day(2022, 1, 1), day(2026, 12, 31))
    );
    assert_eq!(
        c.lead_directorate.as_deref(),
        Some("Marine Planning Directorate, Directorate for Island Communities, DG Net Zero")
    );
    assert_eq!(
        items(&t.db, "DESCRIPTION").await,
        vec![
            "The commitment puts the plans for harbours and shorelines where coastal residents \
             can read them, and gives those residents a seat where the plans are made."
        ]
    );
    // The unlabelled list and paragraph after the stakeholders.
    assert_eq!(
        items(&t.db, "PROBLEM").await,
        vec![
            "harbour budgets are published late and in forms that few residents can follow",
            "people who live by the shore have little say in how shoreline funds are spent",
            "Decisions about the coast are taken far from the people who live on it.",
        ]
    );

    let line = "Marine Planning Directorate, Directorate for Island Communities, DG Net Zero";
    assert_eq!(
        named(&t.db, "LEAD_DIRECTORATE").await,
        vec![
            (
                "Directorate for Island Communities".to_owned(),
                line.to_owned()
            ),
            ("Marine Planning Directorate".to_owned(), line.to_owned()),
        ]
    );
    let slashed = "Island Heritage Trust / Fishers' Voice /Tidewater University";
    let semicolon = "Harbour Youth Forum; Coastal Families Network";
    let pairs = [
        ("Coastal Families Network", semicolon),
        ("Fishers' Voice", slashed),
        ("Harbour Youth Forum", semicolon),
        ("Island Heritage Trust", slashed),
        ("Puffin Players (Theatre)", "Puffin Players (Theatre)"),
        (
            "Shoreline Data Co-operative",
            "Shoreline Data Co-operative (lead non-government stakeholder)",
        ),
        ("Tidewater University", slashed),
    ];
    assert_eq!(
        named(&t.db, "CIVIL_SOCIETY_STAKEHOLDER").await,
        pairs
            .iter()
            .map(|(n, p)| ((*n).to_owned(), (*p).to_owned()))
            .collect::<Vec<_>>()
    );
    // Nine organisations, and no problem sentence among them.
    let orgs = organisation::Entity::find()
        .all(&t.db)
        .await
        .expect("query");
    assert_eq!(orgs.len(), 9);
    assert!(orgs.iter().all(|o| !o.name.contains("harbour budgets")
        && !o.name.contains("Decisions about")
        && !o.name.contains("people who live")));

    // The co-creation page: a document of its own kind, linked to the commitment.
    let doc = document::Entity::find()
        .filter(document::Column::Url.eq(format!("{C8}pages/co-creation/")))
        .one(&t.db)
        .await
        .expect("query")
        .expect("the co-creation page");
    assert_eq!(doc.kind, DocumentKind::CoCreation);
    assert_eq!(doc.commitment_id, Some(c.id));
    let overview = document::Entity::find_by_id(c.document_id)
        .one(&t.db)
        .await
        .expect("query")
        .expect("the overview");
    assert_eq!(overview.kind, DocumentKind::CommitmentOverview);
}

/// Expected values are read by hand off `tests/fixtures/labels/`, whose overview prints no
/// label as a heading.
async fn an_overview_labelled_in_every_form_but_headings_is_read(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let t = &app.db;
    let run = ingest::ingest_snapshot(&t.db, &label_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    // The overview and its three reports (read in tests/reports.rs).
    assert_eq!(
        (run.added, run.failures.len()),
        (4, 0),
        "{:?}",
        run.failures
    );
    // "Budget" is no label of the template: reported, in the run and on the document.
    assert_eq!(run.unread_sections, 1);
    assert_eq!(
        run.warnings,
        vec![format!(
            "{C9}: 1 labelled section(s) no reader understood, kept as passages: \"Budget\" (#budget)"
        )]
    );
    let data = app
        .data(
            r#"{ documents { nodes { url unreadSections { label anchor form } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["documents"]["nodes"][0]["unreadSections"],
        json!([{"label": "Budget", "anchor": "budget", "form": "BOLD_PARAGRAPH"}])
    );
    let doc = document::Entity::find()
        .filter(document::Column::Url.eq(C9))
        .one(&t.db)
        .await
        .expect("query")
        .expect("the overview");
    assert_eq!(doc.kind, DocumentKind::CommitmentOverview);
    let all = commitment::Entity::find().all(&t.db).await.expect("query");
    assert_eq!(all.len(), 1);
    let c = &all[0];
    assert_eq!(c.number, 9);
    // A bold paragraph, then its value.
    assert_eq!(
        c.title,
        "Letting people in the glens see and shape how their buses are planned."
    );
    assert_eq!(c.anchor.as_deref(), Some("commitment-title"));
    // "**Timeframe:** January 2022 to December 2025": a bold lead and its inline value.
    assert_eq!(
        c.period_text.as_deref(),
        Some("January 2022 to December 2025")
    );
    assert_eq!(
        (c.period_start, c.period_end),
        (day(2022, 1, 1), day(2025, 12, 31))
    );
    // A `dt` and its `dd`.
    assert_eq!(
        c.lead_directorate.as_deref(),
        Some("Rural Transport Directorate")
    );
    // A plain "Civil society stakeholders:" line; the bracket lists two bodies. The March
    // report's "We worked with:" list names two of them again, as printed there.
    let bracketed = "other organisations (Moorland Cycling Trust, Valley Elders Network)";
    let own = |n: &str| (n.to_owned(), n.to_owned());
    // "Centre for Rural Care (CfRC)": a mixed-case acronym spelling the name's initials is an
    // alias, so the March report's "CfRC" is the same body.
    let centre = "Centre for Rural Care";
    assert_eq!(
        named(&t.db, "CIVIL_SOCIETY_STAKEHOLDER").await,
        vec![
            (centre.to_owned(), "Centre for Rural Care (CfRC)".to_owned()),
            (centre.to_owned(), "CfRC".to_owned()),
            own("Glen Riders Association"),
            own("Glen Riders Association"),
            own("Moorland Cycling Trust"),
            ("Moorland Cycling Trust".to_owned(), bracketed.to_owned()),
            ("Valley Elders Network".to_owned(), bracketed.to_owned()),
        ]
    );
    let aliases: Vec<String> = organisation_alias::Entity::find()
        .all(&t.db)
        .await
        .expect("query")
        .into_iter()
        .map(|a| a.alias)
        .collect();
    assert!(aliases.iter().any(|a| a == "CfRC"), "{aliases:?}");
    assert_eq!(
        items(&t.db, "PROBLEM").await,
        vec!["Timetables change with little notice and no say for the people who ride."]
    );
    // "Ambition" is prose: no item, no milestone.
    assert!(items(&t.db, "DESCRIPTION").await.is_empty());
    let mut milestones = milestone::Entity::find().all(&t.db).await.expect("query");
    milestones.sort_by_key(|m| m.position);
    type Seen<'a> = (Option<&'a str>, &'a str, Option<NaiveDate>, Option<&'a str>);
    let seen: Vec<Seen<'_>> = milestones
        .iter()
        .map(|m| {
            (
                m.objective.as_deref(),
                m.title.as_str(),
                m.end_date,
                m.anchor.as_deref(),
            )
        })
        .collect();
    let late = milestones
        .iter()
        .find(|m| m.title.starts_with("trial a late bus"))
        .expect("the late bus milestone");
    assert_eq!(
        (late.start_date, late.date_text.as_deref()),
        (
            day(2022, 11, 1),
            Some("between November 2022 and February 2023")
        )
    );
    // Six milestones: the nested bullet under the first is none of its own.
    let objective = Some("To put every route in the open");
    assert_eq!(
        seen,
        vec![
            (
                objective,
                "publish the timetable data for every rural route",
                day(2023, 3, 31),
                Some("milestones")
            ),
            (
                objective,
                "hold a route workshop in each glen",
                day(2023, 11, 30),
                Some("milestones")
            ),
            // The theme line stands beside the milestones' label, and neither it nor the
            // heading above both has an id: no anchor, as for a heading printed so.
            (
                Some("Winter services"),
                "agree the winter timetable with riders",
                day(2024, 12, 31),
                None
            ),
            // "between November 2022 and February 2023": one range, cut off the title.
            (
                Some("Winter services"),
                "trial a late bus on the two longest routes",
                day(2023, 2, 28),
                None
            ),
            // "Longer term activities (four year plan, to December 2025)" is no objective: an
            // undated milestone under it is due by December 2025, a dated one by its own date
            // (a season is meteorological: spring ends in May).
            (
                None,
                "open a rider panel in each glen",
                day(2025, 12, 31),
                None
            ),
            (
                None,
                "review the whole network with riders",
                day(2025, 5, 31),
                None
            ),
        ]
    );
}

async fn co_creation_pages_and_their_events_are_served(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    ingest::ingest_snapshot(&app.db.db, &overview_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    let data = app
        .data(
            r#"{ documents(filter: {kind: CO_CREATION}) { totalCount nodes {
                url title kind publishedOn commitment { number description problems }
            } } }"#,
            json!({}),
        )
        .await;
    let docs = &data["documents"];
    assert_eq!(docs["totalCount"], 1);
    let d = &docs["nodes"][0];
    assert_eq!(d["url"], format!("{C8}pages/co-creation/"));
    assert_eq!(d["title"], "Co-creation");
    assert_eq!(d["kind"], "CO_CREATION");
    assert_eq!(d["publishedOn"], "2022-05-02");
    assert_eq!(d["commitment"]["number"], 8);
    assert_eq!(
        d["commitment"]["description"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        d["commitment"]["problems"].as_array().map(Vec::len),
        Some(3)
    );

    let query = r#"query($from: Date, $to: Date) { timeline(from: $from, to: $to) {
        date endDate kind title subject { __typename ... on Document { url kind } }
    } }"#;
    let co_creation = |data: &serde_json::Value| -> Vec<serde_json::Value> {
        data["timeline"]
            .as_array()
            .expect("events")
            .iter()
            .filter(|e| e["kind"] == "CO_CREATION_EVENT")
            .cloned()
            .collect()
    };
    let all = co_creation(&app.data(query, json!({})).await);
    assert_eq!(
        all,
        vec![
            json!({
                "date": "2021-09-14", "endDate": null, "kind": "CO_CREATION_EVENT",
                "title": "An open ideas workshop for harbour users was held in the Tidewater community hall on 14 September 2021.",
                "subject": { "__typename": "Document", "url": format!("{C8}pages/co-creation/"), "kind": "CO_CREATION" },
            }),
            json!({
                "date": "2021-11-01", "endDate": "2021-11-30", "kind": "CO_CREATION_EVENT",
                "title": "A drafting group of officials and residents then met in November 2021 to agree the wording.",
                "subject": { "__typename": "Document", "url": format!("{C8}pages/co-creation/"), "kind": "CO_CREATION" },
            }),
        ]
    );
    // A window from October holds the November meeting only.
    let window = co_creation(
        &app.data(query, json!({"from": "2021-10-01", "to": "2021-12-31"}))
            .await,
    );
    assert_eq!(
        strings(&serde_json::Value::Array(window), Some("date")),
        vec!["2021-11-01"]
    );
    // The other event kinds are still there.
    let data = app.data(query, json!({})).await;
    let kinds = strings(&data["timeline"], Some("kind"));
    for kind in ["MILESTONE", "PUBLICATION", "COMMITMENT_PERIOD"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} missing");
    }
}

/// The commitment 8 overview copied to a new slug, as when a publication moves: both pages
/// claim commitment 8 of the same plan. Answers the folder and the moved page's URL.
fn with_moved_copy() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_dir(&overview_fixtures(), dir.path());
    let slug = "open-government-action-plan-2021-to-2025-commitment-8-coastal-communities";
    let publications = dir.path().join("www.gov.scot/publications");
    let html = std::fs::read_to_string(publications.join(slug).join("index.html")).expect("read");
    let moved = publications.join(format!("{slug}-revised"));
    std::fs::create_dir_all(&moved).expect("mkdir");
    std::fs::write(
        moved.join("index.html"),
        html.replace(&format!("{slug}/\""), &format!("{slug}-revised/\"")),
    )
    .expect("write");
    (
        dir,
        format!("https://www.gov.scot/publications/{slug}-revised/"),
    )
}

/// Every stored commitment's number and the URL of the page holding it.
async fn holders(db: &DatabaseConnection) -> Vec<(i32, String)> {
    let mut out = Vec::new();
    for c in commitment::Entity::find().all(db).await.expect("query") {
        let doc = document::Entity::find_by_id(c.document_id)
            .one(db)
            .await
            .expect("query")
            .expect("the commitment's document");
        out.push((c.number, doc.url));
    }
    out
}

/// Two pages of one run claiming one commitment: the first read keeps it, the other fails
/// alone with an error naming both, and the run stores everything else. (It used to abort the
/// run with a bare UNIQUE constraint error.) A later run without the first page gives the
/// commitment to the moved one.
async fn a_second_page_claiming_a_commitment_fails_alone(backend: Backend) {
    let t = TestDb::new(&backend).await;
    let (dir, moved) = with_moved_copy();
    let run = ingest::ingest_snapshot(&t.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("a claimed commitment does not fail the run");
    assert_eq!(run.failures.len(), 1, "{:?}", run.failures);
    let failure = &run.failures[0];
    for needle in [
        moved.as_str(),
        C8,
        "commitment 8 of Open Government action plan",
    ] {
        assert!(failure.contains(needle), "{needle} not in {failure}");
    }
    assert_eq!(run.added, 2, "the first overview and the co-creation page");
    assert_eq!(holders(&t.db).await, vec![(8, C8.to_owned())]);
    let moved_doc = document::Entity::find()
        .filter(document::Column::Url.eq(moved.as_str()))
        .one(&t.db)
        .await
        .expect("query");
    assert!(moved_doc.is_none(), "the refused page is not stored");
    let milestones = entity::milestone::Entity::find()
        .all(&t.db)
        .await
        .expect("query");
    assert_eq!(milestones.len(), 2, "the two milestones of the fixture");

    // The publication has moved: the old page is gone, and the moved one takes over.
    std::fs::remove_file(
        dir.path()
            .join("www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-8-coastal-communities/index.html"),
    )
    .expect("remove the old page");
    let run = ingest::ingest_snapshot(&t.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("second run");
    assert!(run.failures.is_empty(), "{:?}", run.failures);
    assert_eq!((run.added, run.removed), (1, 1));
    assert_eq!(holders(&t.db).await, vec![(8, moved)]);
}

crate::cases!(
    a_second_page_claiming_a_commitment_fails_alone,
    an_overview_labelled_in_every_form_but_headings_is_read,
    an_overview_without_labels_is_read_by_form_and_place,
    co_creation_pages_and_their_events_are_served,
);
