//! The ingest, checked against facts read off the source pages.
//!
//! Expected values are copied from `../shared/seeds/*.txt` (the plain text of the pages the
//! bundled snapshot reproduces); each assertion names the seed file it comes from.

use chrono::NaiveDate;
use entity::{
    commitment, commitment_item, document, document_version, ingest_run, mention, milestone,
    organisation, organisation_role, passage, progress_update, strategy, strategy_element,
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

use crate::helpers::{
    Backend, OVERVIEW, PROGRESS_AUG_2022, TestApp, TestDb, add_november_report, edit_page,
    ingested, page_file, snapshot, snapshot_copy, strings,
};

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

async fn only_commitment(db: &DatabaseConnection) -> commitment::Model {
    let mut all = commitment::Entity::find().all(db).await.expect("query");
    assert_eq!(all.len(), 1, "one commitment in the bundled snapshot");
    all.remove(0)
}

/// The texts of the stored commitment items of `kind`, in page order.
pub async fn items(db: &DatabaseConnection, kind: &str) -> Vec<String> {
    commitment_item::Entity::find()
        .filter(commitment_item::Column::Kind.eq(kind))
        .order_by_asc(commitment_item::Column::Position)
        .all(db)
        .await
        .expect("query")
        .into_iter()
        .map(|i| i.text)
        .collect()
}

async fn commitment_2_overview_is_read_field_by_field(backend: Backend) {
    let t = ingested(&backend).await;
    let c = only_commitment(&t.db).await;
    // ogp-2021-25-commitment-2-overview.txt, line 1: "... - commitment 2: health and social care"
    assert_eq!(c.number, 2);
    assert_eq!(c.action_plan, "Open Government action plan 2021 to 2025");
    // line 9
    assert!(
        c.title
            .starts_with("Improving and increasing both service user / participant")
    );
    // line 12: "October 2021 to September 2025"
    assert_eq!(
        c.period_text.as_deref(),
        Some("October 2021 to September 2025")
    );
    assert_eq!(
        (c.period_start, c.period_end),
        (day(2021, 10, 1), day(2025, 9, 30))
    );
    // line 16
    assert_eq!(
        c.lead_directorate.as_deref(),
        Some("Directorate for Healthcare Quality and Improvement, DG Health and Social Care")
    );
    // lines 31-38: eight problems
    let problems = items(&t.db, "PROBLEM").await;
    assert_eq!(problems.len(), 8);
    assert_eq!(
        problems[0],
        "the current health and care system is not consistently person-centred"
    );
    assert_eq!(
        problems[7],
        "there can be a considerable difference between policy intentions and delivery of services"
    );
    // lines 78-83: six principles of co-design
    let principles = items(&t.db, "PRINCIPLE").await;
    assert_eq!(principles.len(), 6);
    assert_eq!(
        principles[0],
        "we listen to what people have told us is the problem before we start designing a solution"
    );
    // lines 98-99
    assert_eq!(
        items(&t.db, "OGP_VALUE").await,
        vec!["civic participation", "public accountability"]
    );
    // lines 44-49: six status-quo items
    assert_eq!(items(&t.db, "STATUS_QUO").await.len(), 6);
}

async fn civil_society_stakeholders_are_eleven_organisations(backend: Backend) {
    let t = ingested(&backend).await;
    let roles = organisation_role::Entity::find()
        .filter(organisation_role::Column::Role.eq("CIVIL_SOCIETY_STAKEHOLDER"))
        .all(&t.db)
        .await
        .expect("query");
    let org_ids: std::collections::HashSet<i64> = roles.iter().map(|r| r.organisation_id).collect();
    // ogp-2021-25-commitment-2-overview.txt lines 20-28: nine items, one naming three.
    assert_eq!(org_ids.len(), 11);
    let names: Vec<String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids))
        .order_by_asc(organisation::Column::Name)
        .all(&t.db)
        .await
        .expect("query")
        .into_iter()
        .map(|o| o.name)
        .collect();
    for expected in [
        "Open Government Partnership",
        "Community Justice Scotland",
        "Shelter",
        "Families Outside",
        "Barnardo's Scotland",
        "Centrestage (Arts)",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing from {names:?}"
        );
    }
    let shelter = organisation::Entity::find()
        .filter(organisation::Column::Name.eq("Shelter"))
        .one(&t.db)
        .await
        .expect("query")
        .expect("Shelter is an organisation");
    let printed = roles
        .iter()
        .find(|r| r.organisation_id == shelter.id)
        .map(|r| r.name_as_printed.as_str());
    assert_eq!(
        printed,
        Some("Community Justice Scotland /Shelter / Families Outside")
    );
    // Every role keeps the commitment it is in and the page it was read from.
    let c = only_commitment(&t.db).await;
    assert!(
        roles
            .iter()
            .all(|r| r.commitment_id == Some(c.id) && r.document_id == c.document_id)
    );

    let lead = organisation_role::Entity::find()
        .filter(organisation_role::Column::Role.eq("LEAD_DIRECTORATE"))
        .all(&t.db)
        .await
        .expect("query");
    assert_eq!(lead.len(), 1);
    let lead_org = organisation::Entity::find_by_id(lead[0].organisation_id)
        .one(&t.db)
        .await
        .expect("query")
        .expect("lead organisation");
    assert_eq!(
        lead_org.name,
        "Directorate for Healthcare Quality and Improvement"
    );
}

async fn milestones_keep_their_objectives_and_dates(backend: Backend) {
    let t = ingested(&backend).await;
    let ms = milestone::Entity::find()
        .order_by_asc(milestone::Column::Position)
        .all(&t.db)
        .await
        .expect("query");
    // ogp-2021-25-commitment-2-overview.txt lines 68-88: 2 + 2 + 2 milestones (the third
    // objective lists principles, not milestones).
    assert_eq!(ms.len(), 6);
    assert_eq!(
        ms[0].title,
        "hire and on-board a person centred design team"
    );
    assert_eq!(
        ms[0].date_text.as_deref(),
        Some("Start August 2021 – end January 2022")
    );
    assert_eq!(
        (ms[0].start_date, ms[0].end_date),
        (day(2021, 8, 1), day(2022, 1, 31))
    );
    assert_eq!(
        ms[1].date_text.as_deref(),
        Some("Start August 2021 – end February 2022")
    );
    assert_eq!(
        (ms[1].start_date, ms[1].end_date),
        (day(2021, 8, 1), day(2022, 2, 28))
    );
    // line 73: "... as intended in winter 2021/2022."
    assert!(
        ms[2]
            .title
            .starts_with("to establish a civil society group")
    );
    assert_eq!(ms[2].date_text.as_deref(), Some("winter 2021/2022"));
    assert_eq!(
        (ms[2].start_date, ms[2].end_date),
        (day(2021, 12, 1), day(2022, 2, 28))
    );
    // line 74 has no date.
    assert!(ms[3].title.starts_with("review relevant good practice"));
    assert_eq!(
        (ms[3].date_text.as_deref(), ms[3].start_date, ms[3].end_date),
        (None, None, None)
    );
    // Line 71 repeats line 66 by mistake; the page's words are kept, not corrected.
    assert_eq!(ms[2].objective, ms[0].objective);
    assert!(
        ms[0]
            .objective
            .as_deref()
            .is_some_and(|o| o.starts_with("To identify the necessary skills"))
    );
    assert!(
        ms[4]
            .objective
            .as_deref()
            .is_some_and(|o| o.starts_with("To ensure future work can be progressed more widely"))
    );
    assert_eq!(
        ms[5].title,
        "review and apply changes to our work as it progresses based on learning and feedback"
    );
}

async fn progress_updates_link_to_milestones_by_words_and_dates(backend: Backend) {
    let t = ingested(&backend).await;
    let updates = progress_update::Entity::find()
        .order_by_asc(progress_update::Column::Position)
        .all(&t.db)
        .await
        .expect("query");
    // ogp-2021-25-commitment-2-progress-to-august-2022.txt: three milestone blocks.
    assert_eq!(updates.len(), 3);
    assert!(
        updates
            .iter()
            .all(|u| u.report_title == "Progress to August 2022")
    );
    assert!(updates.iter().all(|u| u.reported_on == day(2022, 8, 31)));
    assert_eq!(
        updates[0].text,
        "All posts as noted in the action plan were recruited."
    );
    assert!(
        updates[1]
            .text
            .starts_with("This remains active and membership is being updating")
    );
    assert!(
        updates[2]
            .text
            .starts_with("We are ensuring awareness of participation work")
    );

    let c = only_commitment(&t.db).await;
    assert!(updates.iter().all(|u| u.commitment_id == c.id));
    let mut linked = Vec::new();
    for u in &updates {
        let mid = u
            .milestone_id
            .unwrap_or_else(|| panic!("update {:?} unlinked", u.activity));
        let m = milestone::Entity::find_by_id(mid)
            .one(&t.db)
            .await
            .expect("query")
            .expect("milestone exists");
        linked.push(m.position);
    }
    // "Hire and on-board..." -> first milestone; "To establish a civil society group..." ->
    // third; "Review relevant good practice..." -> fourth, although the report prints it under
    // a different objective than the overview does.
    assert_eq!(linked, vec![0, 2, 3]);
}

async fn the_delivery_plan_has_three_aims_and_six_priority_areas(backend: Backend) {
    let t = ingested(&backend).await;
    let s = strategy::Entity::find()
        .filter(strategy::Column::Title.eq("Scotland’s Digital Health and Care Strategy"))
        .one(&t.db)
        .await
        .expect("query")
        .expect("the strategy the delivery plan delivers");
    let elements = strategy_element::Entity::find()
        .filter(strategy_element::Column::StrategyId.eq(s.id))
        .order_by_asc(strategy_element::Column::Position)
        .all(&t.db)
        .await
        .expect("query");
    let aims: Vec<_> = elements.iter().filter(|e| e.kind == "AIM").collect();
    // care-in-the-digital-age-delivery-plan-2023-24.txt lines 8-10
    assert_eq!(
        aims.iter().map(|a| a.number).collect::<Vec<_>>(),
        vec![Some(1), Some(2), Some(3)]
    );
    assert!(
        aims[0]
            .name
            .starts_with("Citizens have access to, and greater control over")
    );
    assert!(
        aims[2]
            .name
            .ends_with("develop new and improved ways of working.")
    );
    // lines 13-18
    let areas: Vec<(&str, &str)> = elements
        .iter()
        .filter(|e| e.kind == "PRIORITY_AREA")
        .map(|e| (e.name.as_str(), e.description.as_str()))
        .collect();
    assert_eq!(
        areas.iter().map(|a| a.0).collect::<Vec<_>>(),
        vec![
            "Digital Access",
            "Digital Services",
            "Digital Foundations",
            "Digital Skills and Leadership",
            "Digital Futures",
            "Data-Driven Services and Insights"
        ]
    );
    assert_eq!(
        areas[0].1,
        "People have flexible digital access to information, their own data and services which support their health and wellbeing, wherever they are."
    );
    assert_eq!(
        areas[5].1,
        "Data is harnessed to the benefit of citizens, services and innovation."
    );
    let plan = document::Entity::find()
        .filter(document::Column::Kind.eq("DELIVERY_PLAN"))
        .one(&t.db)
        .await
        .expect("query")
        .expect("the delivery plan");
    // line 3: "On 4 August 2023, we published the delivery plan"
    assert_eq!(plan.published_on, day(2023, 8, 4));
    assert_eq!(plan.strategy_id, Some(s.id));
}

async fn the_2018_strategy_has_domains_partners_and_a_standard(backend: Backend) {
    let t = ingested(&backend).await;
    let s = strategy::Entity::find()
        .filter(
            strategy::Column::Title
                .eq("Digital health and care strategy: enabling, connecting and empowering"),
        )
        .one(&t.db)
        .await
        .expect("query")
        .expect("the 2018 strategy");
    let elements = strategy_element::Entity::find()
        .filter(strategy_element::Column::StrategyId.eq(s.id))
        .order_by_asc(strategy_element::Column::Position)
        .all(&t.db)
        .await
        .expect("query");
    let of = |kind: &str| -> Vec<String> {
        elements
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.name.clone())
            .collect()
    };
    // digital-health-care-strategy-2018-moving-forward.txt lines 32-37
    assert_eq!(
        of("DOMAIN"),
        vec![
            "National Direction and Leadership",
            "Information Governance, Assurance and Cyber Security",
            "Service Transformation",
            "Workforce Capability",
            "National Digital Platform",
            "Transition Process"
        ]
    );
    // line 24
    assert_eq!(of("STANDARD"), vec!["Digital First Service Standard"]);
    // line 18: eight national delivery partners
    let partners = organisation_role::Entity::find()
        .filter(organisation_role::Column::StrategyId.eq(s.id))
        .filter(organisation_role::Column::Role.eq("DELIVERY_PARTNER"))
        .all(&t.db)
        .await
        .expect("query");
    let ids: Vec<i64> = partners.iter().map(|p| p.organisation_id).collect();
    let mut names: Vec<String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(&t.db)
        .await
        .expect("query")
        .into_iter()
        .map(|o| o.name)
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "Digital Health & Care Institute",
            "Health & Social Care Alliance",
            "Local Government Digital Office",
            "NHS 24",
            "NHS Education for Scotland",
            "NHS National Services Scotland",
            "Scottish Government's Digital Directorate",
            "Scottish Social Service Council",
        ]
    );
    assert_eq!(
        s.published_on,
        day(2018, 4, 25),
        "the page's own publication date"
    );
}

async fn the_development_page_has_its_vision_statements(backend: Backend) {
    let t = ingested(&backend).await;
    let doc = document::Entity::find()
        .filter(document::Column::Kind.eq("CONSULTATION"))
        .one(&t.db)
        .await
        .expect("query")
        .expect("the development page");
    assert_eq!(doc.site, "WORDPRESS");
    assert_eq!(
        doc.url,
        "http://www.ehealth.nhs.scot/strategies/the-person-centred-ehealth-strategy-and-delivery-plan-stage-one/"
    );
    // digital-health-social-care-strategy-2017-22-development.txt line 31: "November 2016"
    assert_eq!(doc.published_on, day(2016, 11, 1));
    let s = strategy::Entity::find_by_id(doc.strategy_id.expect("belongs to a strategy"))
        .one(&t.db)
        .await
        .expect("query")
        .expect("strategy");
    assert_eq!(s.title, "Digital Health and Social Care Strategy 2017-22");
    let vision: Vec<String> = strategy_element::Entity::find()
        .filter(strategy_element::Column::DocumentId.eq(doc.id))
        .filter(strategy_element::Column::Kind.eq("VISION"))
        .order_by_asc(strategy_element::Column::Position)
        .all(&t.db)
        .await
        .expect("query")
        .into_iter()
        .map(|e| e.name)
        .collect();
    // lines 15-25
    assert_eq!(vision.len(), 6);
    assert_eq!(
        vision[0],
        "I have access to the digital information, tools and services I need to help maintain and improve my health and wellbeing."
    );
    assert_eq!(vision[5], "and ultimately improve outcomes for everyone.");
}

async fn every_document_keeps_its_provenance(backend: Backend) {
    let t = ingested(&backend).await;
    let docs = document::Entity::find().all(&t.db).await.expect("query");
    assert_eq!(docs.len(), 5);
    let overview = docs
        .iter()
        .find(|d| d.kind == "COMMITMENT_OVERVIEW")
        .expect("overview");
    assert_eq!(
        overview.url,
        "https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care/"
    );
    let body = std::fs::read(page_file(&snapshot(), OVERVIEW)).expect("read the page");
    let expected: String = Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(overview.content_hash, expected);
    // Passages keep their headings and anchors.
    let stakeholder = passage::Entity::find()
        .filter(passage::Column::DocumentId.eq(overview.id))
        .filter(passage::Column::Text.eq("Parkinsons UK"))
        .one(&t.db)
        .await
        .expect("query")
        .expect("a passage per list item");
    assert_eq!(
        stakeholder.anchor.as_deref(),
        Some("civil-society-stakeholders")
    );
    let headings: Vec<String> = serde_json::from_str(&stakeholder.headings).expect("JSON list");
    assert_eq!(
        headings,
        vec!["Commitment overview", "Civil society stakeholders"]
    );
    // Mentions: the progress report names the Open Government Partnership in running text.
    let ogp = organisation::Entity::find()
        .filter(organisation::Column::Name.eq("Open Government Partnership"))
        .one(&t.db)
        .await
        .expect("query")
        .expect("organisation");
    let report = docs
        .iter()
        .find(|d| d.kind == "PROGRESS_REPORT")
        .expect("report");
    let in_report = mention::Entity::find()
        .filter(mention::Column::OrganisationId.eq(ogp.id))
        .filter(mention::Column::DocumentId.eq(report.id))
        .count(&t.db)
        .await
        .expect("query");
    assert_eq!(
        in_report, 1,
        "\"...to meet the Open Government Partnership commitment.\""
    );
}

async fn counts(db: &DatabaseConnection) -> Vec<u64> {
    vec![
        document::Entity::find().count(db).await.expect("count"),
        passage::Entity::find().count(db).await.expect("count"),
        milestone::Entity::find().count(db).await.expect("count"),
        progress_update::Entity::find()
            .count(db)
            .await
            .expect("count"),
        organisation::Entity::find().count(db).await.expect("count"),
        organisation_role::Entity::find()
            .count(db)
            .await
            .expect("count"),
        mention::Entity::find().count(db).await.expect("count"),
        strategy_element::Entity::find()
            .count(db)
            .await
            .expect("count"),
        document_version::Entity::find()
            .count(db)
            .await
            .expect("count"),
    ]
}

async fn milestone_ids(db: &DatabaseConnection) -> Vec<i64> {
    milestone::Entity::find()
        .order_by_asc(milestone::Column::Id)
        .all(db)
        .await
        .expect("query")
        .into_iter()
        .map(|m| m.id)
        .collect()
}

async fn reingesting_the_same_snapshot_changes_nothing(backend: Backend) {
    let t = ingested(&backend).await;
    let before = counts(&t.db).await;
    let ids_before = milestone_ids(&t.db).await;
    let run = crate::helpers::ingest_bundled(&t.db).await;
    assert_eq!(
        (run.added, run.changed, run.unchanged, run.removed),
        (0, 0, 5, 0)
    );
    assert_eq!(counts(&t.db).await, before);
    assert_eq!(milestone_ids(&t.db).await, ids_before);

    // A different database gets the same IDs: they come from natural keys, not sequences.
    let other = ingested(&backend).await;
    assert_eq!(milestone_ids(&other.db).await, ids_before);

    let runs = ingest_run::Entity::find()
        .order_by_asc(ingest_run::Column::Id)
        .all(&t.db)
        .await
        .expect("query");
    assert_eq!(runs.len(), 2);
    assert_eq!((runs[0].pages_seen, runs[0].added), (5, 5));
    assert_eq!((runs[1].unchanged, runs[1].added), (5, 0));
}

async fn a_changed_page_is_updated_and_a_missing_one_removed(backend: Backend) {
    let t = TestDb::new(&backend).await;
    let dir = snapshot_copy();
    ingest::ingest_snapshot(&t.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("first run");
    edit_page(dir.path(), PROGRESS_AUG_2022, |html| {
        html.replace(
            "All posts as noted in the action plan were recruited.",
            "All posts as noted in the action plan were recruited and inducted.",
        )
    });
    std::fs::remove_dir_all(dir.path().join("www.ehealth.nhs.scot")).expect("remove a page");
    let run = ingest::ingest_snapshot(&t.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("second run");
    assert_eq!(
        (run.added, run.changed, run.unchanged, run.removed),
        (0, 1, 3, 1)
    );
    let texts: Vec<String> = progress_update::Entity::find()
        .order_by_asc(progress_update::Column::Position)
        .all(&t.db)
        .await
        .expect("query")
        .into_iter()
        .map(|u| u.text)
        .collect();
    assert_eq!(
        texts[0],
        "All posts as noted in the action plan were recruited and inducted."
    );
    // The updated report is still linked to its milestones.
    let linked = progress_update::Entity::find()
        .filter(progress_update::Column::MilestoneId.is_not_null())
        .count(&t.db)
        .await
        .expect("count");
    assert_eq!(linked, 3);
    // The removed page took its strategy with it; its versions stay as history.
    assert_eq!(
        document::Entity::find()
            .filter(document::Column::Kind.eq("CONSULTATION"))
            .count(&t.db)
            .await
            .expect("count"),
        0
    );
    assert_eq!(
        strategy::Entity::find()
            .filter(strategy::Column::Title.eq("Digital Health and Social Care Strategy 2017-22"))
            .count(&t.db)
            .await
            .expect("count"),
        0
    );
    let versions = document_version::Entity::find()
        .filter(document_version::Column::Url.contains("progress-to-august-2022"))
        .count(&t.db)
        .await
        .expect("count");
    assert_eq!(versions, 2, "one version per distinct copy");
}

const OVERVIEW_URL: &str = "https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care/";

/// A snapshot page that no longer parses fails alone, as a live page does: it is reported with
/// what was missing, its earlier rows stay served, and the run's other pages (a new one among
/// them) are stored. (It used to roll the whole run back.)
async fn a_drifted_page_fails_alone_and_keeps_its_earlier_rows(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let before = counts(&app.db.db).await;
    let ids_before = milestone_ids(&app.db.db).await;
    let dir = snapshot_copy();
    // The milestones heading is renamed: the page now yields no milestones.
    edit_page(dir.path(), OVERVIEW, |html| {
        html.replace(">Initial milestones</h3>", ">Next steps we are taking</h3>")
    });
    add_november_report(dir.path());
    let run = ingest::ingest_snapshot(&app.db.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("a page that fails does not fail the run");

    assert_eq!(run.failures.len(), 1, "{:?}", run.failures);
    let failure = &run.failures[0];
    assert!(
        failure.starts_with(&format!("{OVERVIEW_URL}: milestones")),
        "{failure}"
    );
    // The new report is stored, the other pages are as they were, and nothing is removed:
    // the overview was read, though it could not be parsed. Pages seen are those stored, as
    // on a live run.
    assert_eq!(
        (
            run.pages_seen,
            run.added,
            run.changed,
            run.unchanged,
            run.removed
        ),
        (5, 1, 0, 4, 0)
    );
    let overview = document::Entity::find()
        .filter(document::Column::Url.eq(OVERVIEW_URL))
        .one(&app.db.db)
        .await
        .expect("query")
        .expect("the overview is still stored");
    let body = std::fs::read(page_file(&snapshot(), OVERVIEW)).expect("read the page");
    let hash: String = Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        overview.content_hash, hash,
        "the copy stored before the run"
    );
    assert_eq!(milestone_ids(&app.db.db).await, ids_before);
    let after = counts(&app.db.db).await;
    assert_eq!(after[0], before[0] + 1, "one new document: {after:?}");
    assert_eq!(
        after[3],
        before[3] + 3,
        "the new report's updates: {after:?}"
    );

    // What is served: the overview's six milestones, each of the first three reported on by
    // both reports, and the run with its failure.
    let data = app
        .data(
            "{ milestones(first: 10) { totalCount nodes { position progressUpdates { reportTitle } } }
               ingestRuns(first: 1) { pagesSeen added removed failures } }",
            json!({}),
        )
        .await;
    assert_eq!(data["milestones"]["totalCount"], 6, "{data}");
    let reported: Vec<(i64, usize)> = data["milestones"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|m| {
            (
                m["position"].as_i64().expect("position"),
                m["progressUpdates"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    assert_eq!(
        reported,
        vec![(0, 2), (1, 0), (2, 2), (3, 2), (4, 0), (5, 0)],
        "{data}"
    );
    let stored = &data["ingestRuns"][0];
    assert_eq!(
        (
            stored["pagesSeen"].clone(),
            stored["added"].clone(),
            stored["removed"].clone()
        ),
        (json!(5), json!(1), json!(0))
    );
    assert_eq!(strings(&stored["failures"], None), vec![failure.clone()]);
}

/// A page that fails on its first run leaves nothing behind and nothing else out; when it is
/// mended, the next run adds it.
async fn a_page_that_never_parsed_is_added_once_mended(backend: Backend) {
    let t = TestDb::new(&backend).await;
    let dir = snapshot_copy();
    let original = std::fs::read_to_string(page_file(dir.path(), OVERVIEW)).expect("read");
    edit_page(dir.path(), OVERVIEW, |html| {
        html.replace(">Initial milestones</h3>", ">Next steps we are taking</h3>")
    });
    let first = ingest::ingest_snapshot(&t.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("first run");
    assert_eq!((first.added, first.failures.len()), (4, 1));
    assert_eq!(
        milestone::Entity::find().count(&t.db).await.expect("count"),
        0
    );
    std::fs::write(page_file(dir.path(), OVERVIEW), original).expect("mend the page");
    let second = ingest::ingest_snapshot(&t.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("second run");
    assert_eq!(
        (second.added, second.unchanged, second.failures.len()),
        (1, 4, 0)
    );
    assert_eq!(
        milestone::Entity::find().count(&t.db).await.expect("count"),
        6
    );
    // The report's updates, stored while the overview was missing, link to its milestones now.
    assert_eq!(
        progress_update::Entity::find()
            .filter(progress_update::Column::MilestoneId.is_not_null())
            .count(&t.db)
            .await
            .expect("count"),
        3
    );
}

/// An empty snapshot folder is still an error of the whole run, and stores nothing.
async fn an_empty_snapshot_folder_fails_the_whole_run(backend: Backend) {
    let t = ingested(&backend).await;
    let before = counts(&t.db).await;
    let empty = tempfile::tempdir().expect("tempdir");
    let err = ingest::ingest_snapshot(&t.db, empty.path(), ingest::Progress::Quiet)
        .await
        .expect_err("no pages at all");
    assert!(err.to_string().contains("no HTML pages found"), "{err}");
    assert_eq!(counts(&t.db).await, before);
    assert_eq!(
        ingest_run::Entity::find()
            .count(&t.db)
            .await
            .expect("count"),
        1
    );
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `tests/fixtures/hosts` holds one publication saved under old hosts: its first page under
/// `beta.gov.scot` with a canonical link on that host, its second under `www2.gov.scot` with no
/// canonical link, and the second again under `www.gov.scot`.
async fn pages_saved_under_old_hosts_are_stored_at_the_canonical_url(backend: Backend) {
    let t = TestDb::new(&backend).await;
    let run = ingest::ingest_snapshot(&t.db, &fixture("hosts"), ingest::Progress::Quiet)
        .await
        .expect("ingest");
    assert!(run.failures.is_empty(), "{:?}", run.failures);
    let docs = document::Entity::find()
        .order_by_asc(document::Column::Url)
        .all(&t.db)
        .await
        .expect("query");
    let urls: Vec<(&str, &str)> = docs
        .iter()
        .map(|d| (d.url.as_str(), d.publication_url.as_str()))
        .collect();
    let root = "https://www.gov.scot/publications/care-at-home-visits-pilot-review/";
    let second =
        "https://www.gov.scot/publications/care-at-home-visits-pilot-review/pages/findings/";
    assert_eq!(urls, vec![(root, root), (second, root)]);
    // The second page was read twice, once per host: one document, and a warning.
    assert_eq!((run.pages_seen, run.added), (2, 2));
    let again: Vec<&String> = run
        .warnings
        .iter()
        .filter(|w| w.contains("read again"))
        .collect();
    assert_eq!(again.len(), 1, "{:?}", run.warnings);
    assert!(
        again[0].starts_with(&format!("{second}: read again")),
        "{:?}",
        run.warnings
    );
    // The pages are of no kind caregraph reads, so their one labelled section each
    // ("Introduction", "Findings") is reported unread, a warning per page.
    assert_eq!(run.unread_sections, 2);
    assert_eq!(run.warnings.len(), 3, "{:?}", run.warnings);
    assert_eq!(
        docs[0].source_url.as_deref(),
        Some("https://beta.gov.scot/publications/care-at-home-visits-pilot-review/")
    );
    let findings = passage::Entity::find()
        .filter(passage::Column::DocumentId.eq(docs[1].id))
        .all(&t.db)
        .await
        .expect("query");
    assert!(
        findings
            .iter()
            .any(|p| p.text.starts_with("Visits that ran over their booked time")),
        "{findings:?}"
    );
}

/// `tests/fixtures/furniture` holds a page whose content area carries an archived-page banner,
/// a pre-election banner, the "Part of" collections box and the older collections accordion.
async fn banners_and_collection_markers_become_no_passages(backend: Backend) {
    let t = TestDb::new(&backend).await;
    let run = ingest::ingest_snapshot(&t.db, &fixture("furniture"), ingest::Progress::Quiet)
        .await
        .expect("ingest");
    assert!(run.failures.is_empty(), "{:?}", run.failures);
    let texts: Vec<String> = passage::Entity::find()
        .order_by_asc(passage::Column::Position)
        .all(&t.db)
        .await
        .expect("query")
        .into_iter()
        .map(|p| p.text)
        .collect();
    assert_eq!(
        texts,
        vec![
            "Respite breaks for unpaid carers were offered in every partnership area during the year.",
            "Take-up was highest where short breaks could be booked at a week's notice.",
            "Partnerships will publish their short breaks statements each spring.",
        ]
    );
    for furniture in [
        "archived",
        "election",
        "Part of",
        "collection",
        "Unpaid carers: short breaks",
        "Back to top",
    ] {
        assert!(
            texts.iter().all(|t| !t.contains(furniture)),
            "{furniture:?} in {texts:?}"
        );
    }
}

async fn an_unreadable_date_is_kept_as_text_with_a_warning(backend: Backend) {
    let t = TestDb::new(&backend).await;
    let dir = snapshot_copy();
    edit_page(dir.path(), OVERVIEW, |html| {
        html.replace(
            "hire and on-board a person centred design team. Start August 2021 – end January 2022",
            "hire and on-board a person centred design team (late in the 2021 recruitment round)",
        )
    });
    let run = ingest::ingest_snapshot(&t.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("ingest");
    assert_eq!(run.warnings.len(), 1, "{:?}", run.warnings);
    assert!(run.warnings[0].contains("late in the 2021 recruitment round"));
    let m = milestone::Entity::find()
        .filter(milestone::Column::Position.eq(0))
        .one(&t.db)
        .await
        .expect("query")
        .expect("milestone");
    assert_eq!(
        m.date_text.as_deref(),
        Some("late in the 2021 recruitment round")
    );
    assert_eq!((m.start_date, m.end_date), (None, None));
    let stored = ingest_run::Entity::find()
        .one(&t.db)
        .await
        .expect("query")
        .expect("run");
    assert!(
        stored
            .warnings
            .contains("late in the 2021 recruitment round")
    );
}

/// Another commitment and a later report, made from the real pages by changing what differs
/// between commitments (number, slug, title and dates), ingest with no code change.
async fn other_commitments_and_later_reports_ingest_unchanged(backend: Backend) {
    let t = TestDb::new(&backend).await;
    let dir = snapshot_copy();
    let slug2 = "open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care";
    let slug4 = "open-government-action-plan-2021-to-2025-commitment-4-climate-change";
    let to_four = |html: String| {
        html.replace(slug2, slug4)
            .replace(
                "commitment 2: health and social care",
                "commitment 4: climate change",
            )
            .replace(
                "October 2021 to September 2025",
                "September 2021 to August 2025",
            )
    };
    let src = page_file(dir.path(), OVERVIEW);
    let dst = page_file(dir.path(), &OVERVIEW.replace(slug2, slug4));
    std::fs::create_dir_all(dst.parent().expect("parent")).expect("mkdir");
    std::fs::write(&dst, to_four(std::fs::read_to_string(&src).expect("read"))).expect("write");
    add_november_report(dir.path());

    let run = ingest::ingest_snapshot(&t.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("ingest");
    assert_eq!(run.added, 7);
    let commitments = commitment::Entity::find()
        .order_by_asc(commitment::Column::Number)
        .all(&t.db)
        .await
        .expect("query");
    assert_eq!(
        commitments.iter().map(|c| c.number).collect::<Vec<_>>(),
        vec![2, 4]
    );
    assert_eq!(
        (commitments[1].period_start, commitments[1].period_end),
        (day(2021, 9, 1), day(2025, 8, 31))
    );
    let november = progress_update::Entity::find()
        .filter(progress_update::Column::ReportTitle.eq("Progress to November 2022"))
        .all(&t.db)
        .await
        .expect("query");
    assert_eq!(november.len(), 3);
    assert!(november.iter().all(|u| u.reported_on == day(2022, 11, 30)));
    assert!(november.iter().all(|u| u.milestone_id.is_some()));
    // Commitment 4's milestones are its own, with their own IDs.
    assert_eq!(
        milestone::Entity::find().count(&t.db).await.expect("count"),
        12
    );
}

async fn updates_lose_their_links_when_the_overview_goes(backend: Backend) {
    let t = TestDb::new(&backend).await;
    let dir = snapshot_copy();
    ingest::ingest_snapshot(&t.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("first run");
    // The overview page alone goes; its progress report stays.
    std::fs::remove_file(dir.path().join(OVERVIEW).join("index.html")).expect("remove a page");
    let run = ingest::ingest_snapshot(&t.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("second run");
    assert_eq!(run.removed, 1);
    // The report's three updates are still there, but no milestone is left to link them to.
    let updates = progress_update::Entity::find()
        .all(&t.db)
        .await
        .expect("query");
    assert_eq!(updates.len(), 3);
    assert!(
        updates.iter().all(|u| u.milestone_id.is_none()),
        "{updates:?}"
    );
    assert_eq!(
        milestone::Entity::find().count(&t.db).await.expect("count"),
        0
    );
}

crate::cases!(
    commitment_2_overview_is_read_field_by_field,
    civil_society_stakeholders_are_eleven_organisations,
    milestones_keep_their_objectives_and_dates,
    progress_updates_link_to_milestones_by_words_and_dates,
    the_delivery_plan_has_three_aims_and_six_priority_areas,
    the_2018_strategy_has_domains_partners_and_a_standard,
    the_development_page_has_its_vision_statements,
    every_document_keeps_its_provenance,
    reingesting_the_same_snapshot_changes_nothing,
    a_changed_page_is_updated_and_a_missing_one_removed,
    updates_lose_their_links_when_the_overview_goes,
    a_drifted_page_fails_alone_and_keeps_its_earlier_rows,
    a_page_that_never_parsed_is_added_once_mended,
    an_empty_snapshot_folder_fails_the_whole_run,
    pages_saved_under_old_hosts_are_stored_at_the_canonical_url,
    banners_and_collection_markers_become_no_passages,
    an_unreadable_date_is_kept_as_text_with_a_warning,
    other_commitments_and_later_reports_ingest_unchanged,
);
