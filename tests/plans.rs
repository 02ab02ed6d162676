//! A strategy family as the real site prints it: a 2018-style strategy by domains, the 2021-style
//! strategy that refreshed it, and four years of its delivery plans in their four workstream
//! layouts. The pages are invented (gov.scot markup, our own words) in `tests/fixtures/plans`,
//! `tests/fixtures/strategy2018`, `tests/fixtures/strategy2021` and `tests/fixtures/family` (the
//! strategy's pages for the plans' two priorities, the 2024-25 plan's first page restating the
//! aims and expanding two acronyms, and a second 2025-26 page). Every expected value below is
//! written by hand from those pages.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, fixture_union, strings};

const PUB: &str = "https://www.gov.scot/publications/";

/// The app with the whole family ingested; answers the run's warnings.
async fn family_app(backend: &Backend) -> (TestApp, Vec<String>) {
    let app = TestApp::spawn(backend).await;
    let dir = fixture_union(&["plans", "strategy2018", "strategy2021", "family"]);
    let run = ingest::ingest_snapshot(&app.db.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("ingest the family");
    assert!(run.failures.is_empty(), "{:?}", run.failures);
    (app, run.warnings)
}

/// The deliverables of a workstream list, as a set (plans on one year's pages come in page
/// order, but two pages of one year in any order).
fn deliverables(nodes: &Value) -> BTreeSet<String> {
    strings(nodes, Some("deliverable")).into_iter().collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The workstream of `nodes` with this deliverable.
fn find<'a>(nodes: &'a Value, deliverable: &str) -> &'a Value {
    nodes
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["deliverable"] == deliverable)
        .unwrap_or_else(|| panic!("no workstream {deliverable:?} in {nodes:#}"))
}

const ALL: &str = r#"{ workstreams(first: 50) { totalCount nodes {
    deliverable planPeriod dueText dueDate status statusText progress
    leads { name } priorityArea { name number } document { url } } } }"#;

async fn every_layout_s_workstreams_are_served(backend: Backend) {
    let (app, warnings) = family_app(&backend).await;
    let data = app.data(ALL, json!({})).await;
    let ws = &data["workstreams"];
    // 3 (2022-23) + 2 (2023-24) + 4 (2024-25) + 4 and 2 (2025-26, two pages).
    assert_eq!(ws["totalCount"], 15);
    let nodes = &ws["nodes"];
    let periods = strings(nodes, Some("planPeriod"));
    for (period, n) in [
        ("2022-23", 3),
        ("2023-24", 2),
        ("2024-25", 4),
        ("2025-26", 6),
    ] {
        assert_eq!(
            periods.iter().filter(|p| *p == period).count(),
            n,
            "{period}"
        );
    }
    // Plan order: plan years in turn.
    let mut sorted = periods.clone();
    sorted.sort();
    assert_eq!(periods, sorted);

    // 2024-25, a table row: date and status on one line; leads on two lines of one cell.
    let mentor = find(nodes, "A peer mentor on every island.");
    assert_eq!(mentor["dueText"], "December 2024");
    assert_eq!(mentor["dueDate"], "2024-12-31");
    assert_eq!(mentor["status"], "ON_TRACK");
    assert_eq!(mentor["statusText"], "On Track");
    assert_eq!(
        strings(&mentor["leads"], Some("name")),
        ["Harbour Digital Care Division", "Island Learning Council"]
    );
    assert_eq!(
        mentor["priorityArea"],
        json!({ "name": "Island Digital Skills", "number": 6 })
    );
    assert_eq!(
        mentor["document"]["url"],
        format!("{PUB}harbour-care-online-delivery-plan-2024-25/pages/5/")
    );
    // Two bodies run together in one line, split where a known name ends: "ILCA" is known
    // because the plan's first page expands it and a 2025-26 lead names it.
    let platform = find(
        nodes,
        "An online course platform shared by all island boards.",
    );
    assert_eq!(
        strings(&platform["leads"], Some("name")),
        [
            "Harbour Digital Care Division",
            "Island Learning and Care Alliance"
        ]
    );
    assert_eq!(platform["dueDate"], Value::Null);
    assert_eq!(
        strings(&platform["progress"], None),
        [
            "Pilots finished on Skerry in September 2023.",
            "Procurement of the shared platform finished April 2024.",
        ]
    );
    // "Island Learning Council, Skerry Ferry Trust IRO": one lead per body on a line with
    // commas, and a name new to the corpus run into a known acronym ("IRO", the Island Records
    // Office) split where the acronym starts.
    let directory = find(
        nodes,
        "A directory of digital skills support, covering: free local classes; online self-study guides",
    );
    let mut leads = strings(&directory["leads"], Some("name"));
    leads.sort();
    assert_eq!(
        leads,
        [
            "Island Learning Council",
            "Island Records Office",
            "Skerry Ferry Trust"
        ]
    );
    // An empty lead cell.
    let course = find(
        nodes,
        "Extend the digital confidence course to day centre staff.",
    );
    assert_eq!(course["leads"], json!([]));
    // 2022-23: an empty "When it will be delivered by".
    let dictionary = find(
        nodes,
        "One data dictionary for community pharmacy records across the islands.",
    );
    assert_eq!(
        (&dictionary["dueText"], &dictionary["status"]),
        (&Value::Null, &Value::Null)
    );
    // Acronyms and full names are one organisation: "HDO" (2023-24) is the "Harbour Digital
    // Office (HDO)" of 2022-23, and "IRO" (2025-26) the "Island Records Office (IRO)" that the
    // 2024-25 plan's first page names.
    let hdo = find(
        nodes,
        "A digital confidence course for home care staff on every island.",
    );
    assert_eq!(
        strings(&hdo["leads"], Some("name")),
        ["Harbour Digital Office"]
    );
    let video = find(
        nodes,
        "Secure video links between the three island care homes and the mainland hospital.",
    );
    assert_eq!(
        strings(&video["leads"], Some("name")),
        ["Island Records Office"]
    );
    assert_eq!(video["status"], "BEHIND_SCHEDULE");
    assert_eq!(video["statusText"], "Delayed");
    // The second 2025-26 page, whose priority has no number: the strategy's "Priority two".
    let planner = find(
        nodes,
        "A tide-aware appointment planner for the ferry-served clinics.",
    );
    assert_eq!(planner["status"], "COMPLETED");
    assert_eq!(planner["dueDate"], "2025-06-30");
    assert_eq!(
        planner["priorityArea"],
        json!({ "name": "Island Data and Insight", "number": 2 })
    );
    // A lead that cannot be split: kept as printed, and said so.
    let ledger = find(nodes, "One shared ledger of island clinic capacity.");
    assert_eq!(
        strings(&ledger["leads"], Some("name")),
        ["Harbour Digital Care Division QXZ"]
    );
    assert!(
        warnings.iter().any(
            |w| w.contains("harbour-care-online-delivery-plan-2025-2026/pages/5/")
                && w.contains("Harbour Digital Care Division QXZ")
        ),
        "{warnings:#?}"
    );
    // Leads are the organisations every other query finds, in the WORKSTREAM_LEAD role.
    let orgs = app
        .data(
            r#"{ organisations(first: 5, filter: {name: "ILCA", role: WORKSTREAM_LEAD}) {
                nodes { name aliases } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        orgs["organisations"]["nodes"],
        json!([{ "name": "Island Learning and Care Alliance", "aliases": ["ILCA"] }])
    );
}

const FILTERED: &str = r#"query($f: WorkstreamFilter) {
    workstreams(first: 50, filter: $f) { totalCount nodes { deliverable } } }"#;

async fn workstream_filters_select_what_they_say(backend: Backend) {
    let (app, _) = family_app(&backend).await;
    let select = |filter: Value| {
        let app = &app;
        async move {
            let data = app.data(FILTERED, json!({ "f": filter })).await;
            let ws = &data["workstreams"];
            let found = deliverables(&ws["nodes"]);
            assert_eq!(ws["totalCount"], found.len(), "{filter}");
            found
        }
    };
    assert_eq!(
        select(json!({ "status": "ON_TRACK" })).await,
        set(&[
            "Extend the digital confidence course to day centre staff.",
            "A peer mentor on every island.",
            "An online course platform shared by all island boards.",
            "A refreshed digital confidence course with modules for volunteers.",
        ])
    );
    // By alias: the workstreams led by the Harbour Digital Office, however printed.
    assert_eq!(
        select(json!({ "lead": "hdo" })).await,
        set(&[
            "One data dictionary for community pharmacy records across the islands.",
            "A digital confidence course for home care staff on every island.",
            "A refreshed digital confidence course with modules for volunteers.",
        ])
    );
    // The directory's lead line runs "Skerry Ferry Trust" into "IRO", the Records Office.
    assert_eq!(
        select(json!({ "lead": "Records Office" })).await,
        set(&[
            "A directory of digital skills support, covering: free local classes; online self-study guides",
            "A skills passport that follows staff between employers.",
            "Secure video links between the three island care homes and the mainland hospital.",
        ])
    );
    assert_eq!(
        select(json!({ "priorityArea": "data insight" })).await,
        set(&[
            "A shared dashboard showing clinic waiting times beside ferry crossings for every island board.",
            "One data dictionary for community pharmacy records across the islands.",
            "Plain-language guidance on sharing anonymised records with researchers.",
            "A tide-aware appointment planner for the ferry-served clinics.",
            "One shared ledger of island clinic capacity.",
        ])
    );
    assert_eq!(
        select(json!({ "planPeriod": "2023-24" })).await,
        set(&[
            "A digital confidence course for home care staff on every island.",
            "Two new learning routes: a leadership course for clinical managers; short refresher sessions for reception teams",
        ])
    );
    assert_eq!(
        select(json!({ "from": "2025-01-01", "to": "2026-12-31" })).await,
        set(&[
            "A digital confidence course for home care staff on every island.",
            "Extend the digital confidence course to day centre staff.",
            "A refreshed digital confidence course with modules for volunteers.",
            "A tide-aware appointment planner for the ferry-served clinics.",
        ])
    );
    assert_eq!(
        select(
            json!({ "status": "ON_TRACK", "planPeriod": "2025-26", "lead": "Learning Council" })
        )
        .await,
        set(&["A refreshed digital confidence course with modules for volunteers."])
    );
    let body = app
        .post(
            FILTERED,
            json!({ "f": { "from": "2026-01-01", "to": "2025-01-01" } }),
        )
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("is after"), "{body:#}");
}

const FAMILY: &str = r#"{ strategies { title
    documents { url }
    supersedes { title } supersededBy { title }
    aims { number sources { url } }
    priorityAreas { number name sources { url } workstreams(first: 1) { totalCount } }
    commitments { text dateText dueDate area { __typename ... on PriorityArea { name }
        ... on StrategyElement { name kind } } } } }"#;

async fn one_strategy_per_family_with_restated_elements(backend: Backend) {
    let (app, _) = family_app(&backend).await;
    let data = app.data(FAMILY, json!({})).await;
    let all = data["strategies"].as_array().expect("strategies");
    // The plans deliver the 2021 strategy: no strategy of their own.
    let titles: BTreeSet<&str> = all.iter().filter_map(|s| s["title"].as_str()).collect();
    assert_eq!(
        titles,
        BTreeSet::from([
            "Harbour digital care strategy",
            "Harbour digital care strategy: linking islands"
        ])
    );
    let by_title = |t: &str| {
        all.iter()
            .find(|s| s["title"] == t)
            .unwrap_or_else(|| panic!("no strategy {t}"))
    };
    let refreshed = by_title("Harbour digital care strategy");
    let first = by_title("Harbour digital care strategy: linking islands");
    assert_eq!(
        first["supersededBy"]["title"],
        "Harbour digital care strategy"
    );
    assert_eq!(refreshed["supersedes"]["title"], first["title"]);
    assert_eq!(refreshed["supersededBy"], Value::Null);

    let urls: BTreeSet<String> = strings(&refreshed["documents"], Some("url"))
        .into_iter()
        .collect();
    for plan_page in [
        "harbour-care-online-delivery-plan/pages/8/",
        "harbour-care-online-delivery-plan-2023-24/pages/6/",
        "harbour-care-online-delivery-plan-2024-25/pages/1/",
        "harbour-care-online-delivery-plan-2024-25/pages/5/",
        "harbour-care-online-delivery-plan-2025-2026/pages/4/",
        "harbour-care-online-delivery-plan-2025-2026/pages/5/",
    ] {
        assert!(urls.contains(&format!("{PUB}{plan_page}")), "{plan_page}");
    }

    // Aims restated on the 2024-25 plan's first page are the strategy's aims, once each.
    let aims = refreshed["aims"].as_array().expect("aims");
    assert_eq!(aims.len(), 3);
    let aim_sources: BTreeSet<String> = strings(&aims[0]["sources"], Some("url"))
        .into_iter()
        .collect();
    assert_eq!(
        aim_sources,
        BTreeSet::from([
            format!("{PUB}harbour-digital-care-strategy/pages/3/"),
            format!("{PUB}harbour-care-online-delivery-plan-2024-25/pages/1/"),
        ])
    );
    // Priority areas: one each, with every page that states it and its workstreams.
    let areas = refreshed["priorityAreas"].as_array().expect("areas");
    let mut numbers: Vec<i64> = areas.iter().filter_map(|a| a["number"].as_i64()).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, [1, 2, 4, 5, 6]);
    let area = |n: i64| {
        areas
            .iter()
            .find(|a| a["number"] == n)
            .unwrap_or_else(|| panic!("no priority {n}"))
    };
    let skills = area(6);
    assert_eq!(skills["name"], "Island Digital Skills");
    assert_eq!(
        strings(&skills["sources"], Some("url"))[0],
        format!("{PUB}harbour-digital-care-strategy/pages/9/#island-skills"),
        "the strategy's own page first"
    );
    let skills_pages: BTreeSet<String> = strings(&skills["sources"], Some("url"))
        .into_iter()
        .map(|u| u.split('#').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        skills_pages,
        BTreeSet::from([
            format!("{PUB}harbour-digital-care-strategy/pages/9/"),
            format!("{PUB}harbour-care-online-delivery-plan-2023-24/pages/6/"),
            format!("{PUB}harbour-care-online-delivery-plan-2024-25/pages/5/"),
            format!("{PUB}harbour-care-online-delivery-plan-2025-2026/pages/4/"),
        ])
    );
    assert_eq!(skills["workstreams"]["totalCount"], 2 + 4 + 4);
    let data_area = area(2);
    assert_eq!(data_area["name"], "Island Data and Insight");
    assert_eq!(data_area["workstreams"]["totalCount"], 3 + 2);
    assert_eq!(data_area["sources"].as_array().map(Vec::len), Some(3));
    assert_eq!(area(4)["workstreams"]["totalCount"], 0);

    // Dated promises, under the domain or priority whose page holds them.
    let promises = first["commitments"].as_array().expect("commitments");
    let july = promises
        .iter()
        .find(|c| c["dateText"] == "By July 2018")
        .expect("the July 2018 promise");
    assert_eq!(
        july["text"],
        "By July 2018, we will name a chief digital lead for the island boards, who will chair that group."
    );
    assert_eq!(july["dueDate"], "2018-07-31");
    assert_eq!(
        july["area"],
        json!({ "__typename": "StrategyElement", "name": "Steering from the Shore", "kind": "DOMAIN" })
    );
    let by_2020 = promises
        .iter()
        .find(|c| c["dateText"] == "By 2020")
        .expect("the 2020 promise");
    assert_eq!(by_2020["dueDate"], "2020-12-31");
    assert_eq!(by_2020["area"]["name"], "Keeping Records Safe");
    // Page 6 gives three, page 7 four; page 9 none.
    assert_eq!(promises.len(), 7);
    let skilled = refreshed["commitments"].as_array().expect("commitments");
    assert!(!skilled.is_empty());
    for c in skilled {
        assert_eq!(
            c["area"],
            json!({ "__typename": "PriorityArea", "name": "Skilled Crews" })
        );
    }
    assert!(skilled.iter().any(|c| c["dueDate"] == "2023-03-31"));
}

const TIMELINE: &str = r#"query($from: Date, $to: Date) { timeline(from: $from, to: $to) {
    date kind title status } }"#;

async fn the_timeline_lists_workstream_due_dates_and_strategy_deadlines(backend: Backend) {
    let (app, _) = family_app(&backend).await;
    let events = |from: &'static str, to: &'static str, kind: &'static str| {
        let app = &app;
        async move {
            let data = app.data(TIMELINE, json!({ "from": from, "to": to })).await;
            data["timeline"]
                .as_array()
                .expect("events")
                .iter()
                .filter(|e| e["kind"] == kind)
                .map(|e| (e["date"].clone(), e["title"].clone(), e["status"].clone()))
                .collect::<Vec<_>>()
        }
    };
    let due = events("2026-03-01", "2026-03-31", "WORKSTREAM_DUE").await;
    let mut due_titles: Vec<(String, Value)> = due
        .iter()
        .map(|(date, title, status)| {
            assert_eq!(date, "2026-03-31");
            (
                title.as_str().unwrap_or_default().to_owned(),
                status.clone(),
            )
        })
        .collect();
    due_titles.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        due_titles,
        vec![
            (
                "A digital confidence course for home care staff on every island.".to_owned(),
                Value::Null
            ),
            (
                "A refreshed digital confidence course with modules for volunteers.".to_owned(),
                json!("ON_TRACK")
            ),
            (
                "Extend the digital confidence course to day centre staff.".to_owned(),
                json!("ON_TRACK")
            ),
        ]
    );
    let deadlines = events("2018-01-01", "2019-12-31", "STRATEGY_COMMITMENT").await;
    let dates: Vec<&str> = deadlines
        .iter()
        .filter_map(|(date, _, _)| date.as_str())
        .collect();
    assert_eq!(
        dates,
        ["2018-07-31", "2019-03-31", "2019-12-31", "2019-12-31"]
    );
}

const EVENTS: &str = r#"query($first: Int, $after: String, $f: EventFilter) {
    events(first: $first, after: $after, filter: $f) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { date kind title status subject { __typename } } } }"#;

async fn the_event_feed_pages_the_timeline_in_sql(backend: Backend) {
    let (app, _) = family_app(&backend).await;
    let page = |first: i64, after: Value, filter: Value| {
        let app = &app;
        async move {
            app.data(
                EVENTS,
                json!({ "first": first, "after": after, "f": filter }),
            )
            .await["events"]
                .clone()
        }
    };
    // The feed is the timeline, paged: the same events in the same order.
    let window = json!({ "from": "2018-01-01", "to": "2026-12-31" });
    let timeline = app
        .data(
            r#"{ timeline(from: "2018-01-01", to: "2026-12-31") { date kind title status subject { __typename } } }"#,
            json!({}),
        )
        .await["timeline"]
        .clone();
    let mut paged = Vec::new();
    let mut after = Value::Null;
    loop {
        let p = page(7, after, window.clone()).await;
        assert_eq!(
            p["totalCount"].as_u64(),
            timeline.as_array().map(|t| t.len() as u64)
        );
        paged.extend(p["nodes"].as_array().expect("nodes").iter().cloned());
        if p["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = p["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(Value::Array(paged), timeline);

    // Kinds and status: the three workstreams due in March 2026 that are on track or unrated.
    let due = page(
        50,
        Value::Null,
        json!({ "from": "2026-03-01", "to": "2026-03-31", "kinds": ["WORKSTREAM_DUE"] }),
    )
    .await;
    assert_eq!(due["totalCount"], 3);
    let on_track = page(
        50,
        Value::Null,
        json!({ "kinds": ["WORKSTREAM_DUE"], "status": "ON_TRACK" }),
    )
    .await;
    // On track: March 2026 twice, December 2024 once (the platform has no due date).
    assert_eq!(
        strings(&on_track["nodes"], Some("date")),
        ["2024-12-31", "2026-03-31", "2026-03-31"]
    );
    // By subject: the 2018 strategy's deadlines and publications, nothing of the 2021 one.
    let strategies = app.data("{ strategies { id title } }", json!({})).await;
    let first_id = strategies["strategies"]
        .as_array()
        .expect("strategies")
        .iter()
        .find(|s| s["title"] == "Harbour digital care strategy: linking islands")
        .map(|s| s["id"].clone())
        .expect("the 2018 strategy");
    let of_first = page(50, Value::Null, json!({ "subject": first_id })).await;
    let kinds: BTreeSet<String> = strings(&of_first["nodes"], Some("kind"))
        .into_iter()
        .collect();
    assert_eq!(kinds, set(&["PUBLICATION", "STRATEGY_COMMITMENT"]));
    // Three domain pages published on one day, and five dated promises.
    assert_eq!(of_first["totalCount"], 3 + 5);
    let body = app
        .post(
            EVENTS,
            json!({ "first": 5, "f": { "subject": "bm9wZToy" } }),
        )
        .await;
    assert!(body["errors"][0]["message"].as_str().is_some(), "{body:#}");
}

const DEEP: &str = r#"query($n: Int) { workstreams(first: $n) { nodes {
    deliverable leads { name aliases } document { title }
    priorityArea { name sources { url } strategy { title } } } } }"#;

async fn nested_workstream_reads_batch(backend: Backend) {
    let (app, _) = family_app(&backend).await;
    // The fewest of several runs: a batch that closes early (a loaded machine) only ever adds
    // statements.
    let cost = |n: i64| {
        let app = &app;
        async move {
            let mut fewest = u64::MAX;
            let mut seen = 0;
            for _ in 0..6 {
                let before = app.statements();
                let data = app.data(DEEP, json!({ "n": n })).await;
                seen = data["workstreams"]["nodes"].as_array().map_or(0, Vec::len);
                fewest = fewest.min(app.statements() - before);
            }
            (seen, fewest)
        }
    };
    let (few, few_cost) = cost(2).await;
    let (many, many_cost) = cost(15).await;
    assert_eq!((few, many), (2, 15));
    // Per-parent reads would add a statement or more for each of the 13 more workstreams; a
    // batch split by a loaded machine in every run adds one or two at most.
    assert!(
        many_cost <= few_cost + 2,
        "15 workstreams cost {many_cost} statements where 2 cost {few_cost}"
    );
}

crate::cases!(
    every_layout_s_workstreams_are_served,
    workstream_filters_select_what_they_say,
    one_strategy_per_family_with_restated_elements,
    the_timeline_lists_workstream_due_dates_and_strategy_deadlines,
    the_event_feed_pages_the_timeline_in_sql,
    nested_workstream_reads_batch,
);
