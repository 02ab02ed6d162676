//! The GraphQL API, over real HTTP on loopback, against a database ingested from the bundled
//! snapshot. Expected values come from `../shared/seeds/*.txt`.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, strings};

async fn a_commitment_answers_every_contract_field(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let data = app
        .data(
            r#"{ commitments { totalCount nodes {
                id number title actionPlan periodStart periodEnd leadDirectorate
                ogpValues problems principles
                milestones(first: 10) { totalCount nodes {
                    id title objective startDate endDate dateText
                    commitment { number }
                    progressUpdates { id reportTitle reportedOn text milestone { title }
                        source { url documentTitle fetchedAt contentHash } }
                    source { url documentTitle }
                } }
                organisations(role: CIVIL_SOCIETY_STAKEHOLDER) { name }
                lead: organisations(role: LEAD_DIRECTORATE) { name }
                source { url documentTitle fetchedAt contentHash }
            } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["commitments"]["totalCount"], 1);
    let c = &data["commitments"]["nodes"][0];
    // ogp-2021-25-commitment-2-overview.txt
    assert_eq!(c["number"], 2);
    assert_eq!(c["actionPlan"], "Open Government action plan 2021 to 2025");
    assert_eq!(c["periodStart"], "2021-10-01");
    assert_eq!(c["periodEnd"], "2025-09-30");
    assert_eq!(
        c["leadDirectorate"],
        "Directorate for Healthcare Quality and Improvement, DG Health and Social Care"
    );
    assert_eq!(
        strings(&c["ogpValues"], None),
        vec!["civic participation", "public accountability"]
    );
    assert_eq!(c["problems"].as_array().map(Vec::len), Some(8));
    assert_eq!(c["principles"].as_array().map(Vec::len), Some(6));
    assert_eq!(c["organisations"].as_array().map(Vec::len), Some(11));
    assert_eq!(
        strings(&c["lead"], Some("name")),
        vec!["Directorate for Healthcare Quality and Improvement"]
    );
    assert_eq!(
        c["source"]["url"],
        "https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care/#commitment-title"
    );
    assert_eq!(c["source"]["documentTitle"], "Commitment overview");
    assert_eq!(c["source"]["contentHash"].as_str().map(str::len), Some(64));

    let ms = &c["milestones"];
    assert_eq!(ms["totalCount"], 6);
    let first = &ms["nodes"][0];
    assert_eq!(
        first["title"],
        "hire and on-board a person centred design team"
    );
    assert_eq!(first["dateText"], "Start August 2021 – end January 2022");
    assert_eq!(first["startDate"], "2021-08-01");
    assert_eq!(first["endDate"], "2022-01-31");
    assert_eq!(first["commitment"]["number"], 2);
    let update = &first["progressUpdates"][0];
    // ogp-2021-25-commitment-2-progress-to-august-2022.txt
    assert_eq!(update["reportTitle"], "Progress to August 2022");
    assert_eq!(update["reportedOn"], "2022-08-31");
    assert_eq!(
        update["text"],
        "All posts as noted in the action plan were recruited."
    );
    assert_eq!(update["milestone"]["title"], first["title"]);
    assert!(
        update["source"]["url"]
            .as_str()
            .is_some_and(|u| u.contains("/pages/progress-to-august-2022/"))
    );
    // The fourth milestone has no date on the page.
    assert_eq!(ms["nodes"][3]["startDate"], Value::Null);
    assert_eq!(ms["nodes"][3]["dateText"], Value::Null);
}

async fn strategies_link_to_aims_areas_organisations_and_documents(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let data = app
        .data(
            r#"{ strategies { id title publishedOn
                aims { id number text strategy { title } source { url } }
                priorityAreas { id number name description strategy { title } source { documentTitle } }
                domains { name } standards { name } visionStatements { name }
                organisations(role: DELIVERY_PARTNER) { name }
                documents { title kind publishedOn }
            } }"#,
            json!({}),
        )
        .await;
    let strategies = data["strategies"].as_array().expect("a list");
    assert_eq!(strategies.len(), 3);
    let by_title = |t: &str| {
        strategies
            .iter()
            .find(|s| s["title"] == t)
            .unwrap_or_else(|| panic!("no strategy {t}"))
    };
    let plan = by_title("Scotland’s Digital Health and Care Strategy");
    // care-in-the-digital-age-delivery-plan-2023-24.txt lines 8-18
    assert_eq!(plan["aims"].as_array().map(Vec::len), Some(3));
    assert_eq!(plan["aims"][1]["number"], 2);
    assert!(
        plan["aims"][1]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Health and care services are built on people-centred"))
    );
    assert_eq!(plan["aims"][0]["strategy"]["title"], plan["title"]);
    assert_eq!(plan["priorityAreas"].as_array().map(Vec::len), Some(6));
    assert_eq!(plan["priorityAreas"][4]["name"], "Digital Futures");
    // Listed areas carry no "Priority N" label, so no number.
    assert_eq!(plan["priorityAreas"][4]["number"], Value::Null);
    assert_eq!(
        plan["priorityAreas"][4]["description"],
        "Our wellbeing and economy benefits as Scotland remains at the heart of digital innovation and development."
    );
    assert_eq!(
        plan["priorityAreas"][0]["source"]["documentTitle"],
        "Delivery Plan 2023-24"
    );
    assert_eq!(
        plan["documents"][0],
        json!({"title": "Delivery Plan 2023-24", "kind": "DELIVERY_PLAN", "publishedOn": "2023-08-04"})
    );

    let s2018 = by_title("Digital health and care strategy: enabling, connecting and empowering");
    // digital-health-care-strategy-2018-moving-forward.txt
    assert_eq!(s2018["publishedOn"], "2018-04-25");
    assert_eq!(s2018["domains"].as_array().map(Vec::len), Some(6));
    assert_eq!(
        strings(&s2018["standards"], Some("name")),
        vec!["Digital First Service Standard"]
    );
    assert_eq!(s2018["organisations"].as_array().map(Vec::len), Some(8));

    let dev = by_title("Digital Health and Social Care Strategy 2017-22");
    assert_eq!(dev["visionStatements"].as_array().map(Vec::len), Some(6));
    assert_eq!(dev["documents"][0]["kind"], "CONSULTATION");
}

async fn organisations_link_to_roles_and_mentions(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let data = app
        .data(
            r#"{ organisations(filter: {name: "open government"}) { totalCount nodes {
                name
                roles { role nameAsPrinted subject { __typename ... on Commitment { number } } source { url } }
                mentions(first: 50) { totalCount nodes { text headings document { kind } } }
            } } }"#,
            json!({}),
        )
        .await;
    let orgs = &data["organisations"];
    assert_eq!(orgs["totalCount"], 1);
    let ogp = &orgs["nodes"][0];
    assert_eq!(ogp["name"], "Open Government Partnership");
    assert_eq!(ogp["roles"][0]["role"], "CIVIL_SOCIETY_STAKEHOLDER");
    assert_eq!(ogp["roles"][0]["subject"]["__typename"], "Commitment");
    assert_eq!(ogp["roles"][0]["subject"]["number"], 2);
    assert!(
        ogp["roles"][0]["source"]["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("#civil-society-stakeholders"))
    );
    let kinds = strings(&ogp["mentions"]["nodes"], Some("text"));
    // Its own list item on the overview, and the report's "...to meet the Open Government
    // Partnership commitment."
    assert!(kinds.iter().any(|t| t == "Open Government Partnership"));
    assert!(
        kinds
            .iter()
            .any(|t| t.contains("to meet the Open Government Partnership commitment"))
    );
    assert!(ogp["mentions"]["nodes"].as_array().is_some_and(|ms| {
        ms.iter()
            .any(|m| m["document"]["kind"] == "PROGRESS_REPORT")
    }));

    let partners = app
        .data(
            r#"{ organisations(first: 100, filter: {role: DELIVERY_PARTNER}) { totalCount nodes { roles { subject { ... on Strategy { title } } } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(partners["organisations"]["totalCount"], 8);
    assert_eq!(
        partners["organisations"]["nodes"][0]["roles"][0]["subject"]["title"],
        "Digital health and care strategy: enabling, connecting and empowering"
    );
}

async fn pagination_visits_every_item_once(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let all = app
        .data(
            "{ organisations(first: 100) { totalCount nodes { id } } }",
            json!({}),
        )
        .await;
    let every = strings(&all["organisations"]["nodes"], Some("id"));
    // 11 stakeholders, 1 lead directorate, 8 delivery partners.
    assert_eq!(all["organisations"]["totalCount"], 20);
    assert_eq!(every.len(), 20);

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = app
            .data(
                "query($after: String) { organisations(first: 3, after: $after) {
                    totalCount edges { cursor node { id } }
                    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }",
                json!({ "after": after }),
            )
            .await;
        let conn = &page["organisations"];
        assert_eq!(conn["totalCount"], 20);
        assert_eq!(conn["pageInfo"]["hasPreviousPage"], json!(pages > 0));
        for edge in conn["edges"].as_array().expect("edges") {
            seen.push(edge["node"]["id"].as_str().expect("id").to_owned());
        }
        pages += 1;
        if conn["pageInfo"]["hasNextPage"] == json!(false) {
            break;
        }
        after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        assert!(pages < 20, "pagination does not end");
    }
    assert_eq!(pages, 7);
    assert_eq!(seen, every, "no item lost, repeated or reordered");

    // Without `totalCount`, nothing is counted: `hasNextPage` comes from reading one item past
    // the page, and the pages are the same.
    let mut uncounted = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..20 {
        let page = app
            .data(
                "query($after: String) { organisations(first: 3, after: $after) {
                    nodes { id } pageInfo { hasNextPage endCursor } } }",
                json!({ "after": after }),
            )
            .await;
        let conn = &page["organisations"];
        uncounted.extend(strings(&conn["nodes"], Some("id")));
        if conn["pageInfo"]["hasNextPage"] == json!(false) {
            break;
        }
        after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(uncounted, every, "the same pages without a count");

    // first defaults to 20 and may not exceed 100.
    let passages = app
        .data("{ documents(first: 1, filter: {kind: COMMITMENT_OVERVIEW}) { nodes { passages { totalCount nodes { text } } } } }", json!({}))
        .await;
    let conn = &passages["documents"]["nodes"][0]["passages"];
    assert_eq!(conn["nodes"].as_array().map(Vec::len), Some(20));
    assert!(conn["totalCount"].as_i64().is_some_and(|n| n > 20));
    let too_many = app
        .post("{ organisations(first: 101) { totalCount } }", json!({}))
        .await;
    assert_eq!(
        too_many["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    assert!(
        too_many["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("100"))
    );
    let bad_cursor = app
        .post(
            r#"{ organisations(after: "nonsense") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        bad_cursor["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
}

async fn milestones_filter_by_overlapping_dates_at_the_edges(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let titles = |from: Option<&str>, to: Option<&str>| {
        let app = &app;
        let (from, to) = (from.map(str::to_owned), to.map(str::to_owned));
        async move {
            let data = app
                .data(
                    "query($from: Date, $to: Date) { milestones(filter: {from: $from, to: $to}) { totalCount nodes { title } } }",
                    json!({ "from": from, "to": to }),
                )
                .await;
            strings(&data["milestones"]["nodes"], Some("title"))
        }
    };
    // Dated milestones (ogp-2021-25-commitment-2-overview.txt): hire (2021-08-01..2022-01-31),
    // programme plan (2021-08-01..2022-02-28), civil society group (2021-12-01..2022-02-28).
    let on_last_day = titles(Some("2022-01-31"), Some("2022-01-31")).await;
    assert_eq!(on_last_day.len(), 3);
    let after_hire = titles(Some("2022-02-01"), None).await;
    assert_eq!(after_hire.len(), 2);
    assert!(!after_hire.iter().any(|t| t.starts_with("hire")));
    assert!(titles(Some("2022-03-01"), None).await.is_empty());
    assert!(titles(None, Some("2021-07-31")).await.is_empty());
    let first_day = titles(None, Some("2021-08-01")).await;
    assert_eq!(first_day.len(), 2);
    // Without dates, every milestone, undated ones included.
    assert_eq!(titles(None, None).await.len(), 6);

    let text = app
        .data(
            r#"{ milestones(filter: {text: "Civil SOCIETY"}) { totalCount nodes { dateText } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(text["milestones"]["totalCount"], 1);
    assert_eq!(
        text["milestones"]["nodes"][0]["dateText"],
        "winter 2021/2022"
    );

    let backwards = app
        .post(
            r#"{ milestones(filter: {from: "2023-01-01", to: "2022-01-01"}) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        backwards["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    let not_a_date = app
        .post(
            r#"{ milestones(filter: {from: "winter"}) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert!(not_a_date["errors"].is_array());

    let id = app
        .data("{ commitments { nodes { id } } }", json!({}))
        .await["commitments"]["nodes"][0]["id"]
        .clone();
    let of_commitment = app
        .data(
            "query($c: ID) { milestones(filter: {commitment: $c}) { totalCount } }",
            json!({ "c": id }),
        )
        .await;
    assert_eq!(of_commitment["milestones"]["totalCount"], 6);
}

async fn the_timeline_is_in_date_order_across_sources(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let data = app
        .data(
            "{ timeline { date endDate kind title subject { __typename id } } }",
            json!({}),
        )
        .await;
    let events = data["timeline"].as_array().expect("a list");
    let dates: Vec<&str> = events.iter().filter_map(|e| e["date"].as_str()).collect();
    assert_eq!(dates.len(), events.len());
    assert!(
        dates.windows(2).all(|w| w[0] <= w[1]),
        "ordered by date: {dates:?}"
    );
    let has = |kind: &str, date: &str| {
        events
            .iter()
            .any(|e| e["kind"] == kind && e["date"] == date)
    };
    assert!(has("MILESTONE", "2021-08-01"));
    assert!(has("MILESTONE", "2021-12-01"));
    assert!(has("COMMITMENT_PERIOD", "2021-10-01"));
    assert!(has("PROGRESS_REPORT", "2022-08-31"));
    assert!(has("PUBLICATION", "2023-08-04"));
    assert!(has("PUBLICATION", "2016-11-01"));
    assert_eq!(
        events.iter().filter(|e| e["kind"] == "MILESTONE").count(),
        3
    );
    let period = events
        .iter()
        .find(|e| e["kind"] == "COMMITMENT_PERIOD")
        .expect("the commitment period");
    assert_eq!(period["endDate"], "2025-09-30");
    assert_eq!(period["subject"]["__typename"], "Commitment");

    let window = app
        .data(
            r#"{ timeline(from: "2022-08-01", to: "2022-09-30") { date kind } }"#,
            json!({}),
        )
        .await;
    let kinds = strings(&window["timeline"], Some("kind"));
    assert_eq!(
        kinds,
        vec!["COMMITMENT_PERIOD", "PROGRESS_REPORT", "PUBLICATION"]
    );
}

async fn search_ranks_passages_and_highlights_matches(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let data = app
        .data(
            r#"{ search(query: "civil society group", first: 5) { totalCount nodes { score snippet passage { text document { kind } } } } }"#,
            json!({}),
        )
        .await;
    let hits = data["search"]["nodes"].as_array().expect("hits");
    assert!(!hits.is_empty());
    // The overview's milestone and the report's activity both name the group.
    let top: Vec<&str> = hits
        .iter()
        .take(2)
        .filter_map(|h| h["passage"]["text"].as_str())
        .collect();
    assert!(
        top.iter()
            .all(|t| t.to_lowercase().contains("civil society group")),
        "{top:?}"
    );
    assert!(
        hits[0]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("<mark>"))
    );
    // Two passages name the group (the overview's milestone and the report's activity), so a
    // page of one has a next page whether or not the hits are counted.
    let total = data["search"]["totalCount"].as_i64().expect("totalCount");
    assert!(total >= 2, "{total}");
    // The count is of every passage the ranking pages through, no more and no fewer.
    let every = app
        .data(
            r#"{ search(query: "civil society group", first: 100) { totalCount nodes { passage { id } } } }"#,
            json!({}),
        )
        .await;
    let listed = every["search"]["nodes"].as_array().map_or(0, Vec::len);
    assert_eq!(every["search"]["totalCount"].as_i64(), Some(total));
    assert_eq!(usize::try_from(total).ok(), Some(listed), "{every}");
    let uncounted = app
        .data(
            r#"{ search(query: "civil society group", first: 1) { nodes { passage { id } } pageInfo { hasNextPage } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(uncounted["search"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(
        uncounted["search"]["nodes"][0]["passage"]["id"],
        app.data(
            r#"{ search(query: "civil society group", first: 1) { totalCount nodes { passage { id } } } }"#,
            json!({}),
        )
        .await["search"]["nodes"][0]["passage"]["id"]
    );
    let scores: Vec<f64> = hits.iter().filter_map(|h| h["score"].as_f64()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );

    // The same pages rank first on both backends (FTS5 bm25, PostgreSQL ts_rank_cd).
    for (query, top_page) in [
        ("Digital First Service Standard", "Moving Forward"),
        ("flexible digital access", "Delivery Plan 2023-24"),
        ("posts recruited", "Progress to August 2022"),
        ("Citizens panel voices", "Commitment overview"),
        (
            "case study examples vision",
            "Digital Health and Social Care Strategy 2017-22 – Development",
        ),
    ] {
        let data = app
            .data(
                "query($q: String!) { search(query: $q, first: 1) { nodes { passage { document { title } } } } }",
                json!({ "q": query }),
            )
            .await;
        assert_eq!(
            data["search"]["nodes"][0]["passage"]["document"]["title"], top_page,
            "top hit for {query:?}"
        );
    }

    for hostile in [r#"\"NEAR( * -"#, "AND OR NOT", "' OR 1=1 --", "😀", ""] {
        let body = app
            .post(
                "query($q: String!) { search(query: $q) { totalCount } }",
                json!({ "q": hostile }),
            )
            .await;
        assert!(body.get("errors").is_none(), "{hostile:?} gave {body}");
    }
    let none = app
        .data(
            r#"{ search(query: "zzzyzzx") { totalCount nodes { snippet } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(none["search"]["totalCount"], 0);
}

async fn every_node_type_can_be_refetched_by_id(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let data = app
        .data(
            r#"{ documents(first: 1) { nodes { id passages(first: 1) { nodes { id } } } }
                 strategies { id aims { id } priorityAreas { id } domains { id } }
                 commitments { nodes { id milestones(first: 1) { nodes { id progressUpdates { id } } } } }
                 organisations(first: 1) { nodes { id } }
                 ingestRuns(first: 1) { id number } }"#,
            json!({}),
        )
        .await;
    // The one ingest so far is run number 1.
    assert_eq!(data["ingestRuns"][0]["number"], 1);
    let plan = data["strategies"]
        .as_array()
        .and_then(|s| {
            s.iter()
                .find(|s| !s["aims"].as_array().is_some_and(Vec::is_empty))
        })
        .expect("a strategy with aims");
    let s2018 = data["strategies"]
        .as_array()
        .and_then(|s| {
            s.iter()
                .find(|s| !s["domains"].as_array().is_some_and(Vec::is_empty))
        })
        .expect("a strategy with domains");
    let m = &data["commitments"]["nodes"][0]["milestones"]["nodes"][0];
    let ids = [
        ("Document", &data["documents"]["nodes"][0]["id"]),
        (
            "Passage",
            &data["documents"]["nodes"][0]["passages"]["nodes"][0]["id"],
        ),
        ("Strategy", &plan["id"]),
        ("Aim", &plan["aims"][0]["id"]),
        ("PriorityArea", &plan["priorityAreas"][0]["id"]),
        ("StrategyElement", &s2018["domains"][0]["id"]),
        ("Commitment", &data["commitments"]["nodes"][0]["id"]),
        ("Milestone", &m["id"]),
        ("ProgressUpdate", &m["progressUpdates"][0]["id"]),
        ("Organisation", &data["organisations"]["nodes"][0]["id"]),
        ("IngestRun", &data["ingestRuns"][0]["id"]),
    ];
    for (typename, id) in ids {
        assert!(id.is_string(), "no {typename} ID in {data:#}");
        let node = app
            .data(
                "query($id: ID!) { node(id: $id) { __typename id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(node["node"]["__typename"], typename);
        assert_eq!(&node["node"]["id"], id);
    }
    let all: Vec<&Value> = ids.iter().map(|(_, id)| *id).collect();
    let many = app
        .data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": all }),
        )
        .await;
    assert_eq!(many["nodes"].as_array().map(Vec::len), Some(11));

    // IDs survive a re-ingest.
    crate::helpers::ingest_bundled(&app.db.db).await;
    let again = app
        .data(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": m["id"] }),
        )
        .await;
    assert_eq!(again["node"]["id"], m["id"]);

    let malformed = app
        .post(r#"{ node(id: "not-an-id") { id } }"#, json!({}))
        .await;
    assert_eq!(
        malformed["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
}

// Each loader appears at one level only: a loader used at two levels may or may not share a
// batch between them depending on timing, which would make the count noisy, not wrong.
const DEEP: &str = r#"query($n: Int, $role: OrganisationRole) { organisations(first: $n, filter: {role: $role}) { nodes {
    name
    roles { role source { url } subject { __typename
        ... on Commitment { title milestones { nodes { title progressUpdates { text milestone { title } } } } }
        ... on Strategy { title aims { text } } } }
    mentions(first: 5) { nodes { text } }
} } }"#;

async fn nested_queries_cost_the_same_statements_for_more_parents(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    // Parents of one role have the same shape (the same branches of the query), so any
    // difference in cost would be per-parent statements. A DataLoader batch closes after a
    // short delay, so on a loaded machine a batch may split in two: that only ever adds
    // statements, so the fewest of a few runs is the cost without noise.
    let cost = |n: i64, role: &'static str| {
        let app = &app;
        async move {
            let mut fewest = u64::MAX;
            let mut parents = 0;
            for _ in 0..6 {
                let before = app.statements();
                let data = app.data(DEEP, json!({ "n": n, "role": role })).await;
                parents = data["organisations"]["nodes"]
                    .as_array()
                    .map_or(0, Vec::len);
                fewest = fewest.min(app.statements() - before);
            }
            (parents, fewest)
        }
    };
    // nodes(ids:) loads all its IDs together: six milestones cost what one does.
    let ms = app.data("{ milestones { nodes { id } } }", json!({})).await;
    let ids = strings(&ms["milestones"]["nodes"], Some("id"));
    assert_eq!(ids.len(), 6);
    let nodes_cost = |ids: Vec<String>| {
        let app = &app;
        async move {
            let mut fewest = u64::MAX;
            for _ in 0..6 {
                let before = app.statements();
                let data = app
                    .data(
                        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                        json!({ "ids": ids }),
                    )
                    .await;
                assert_eq!(data["nodes"].as_array().map(Vec::len), Some(ids.len()));
                fewest = fewest.min(app.statements() - before);
            }
            fewest
        }
    };
    assert_eq!(
        nodes_cost(ids[..1].to_vec()).await,
        nodes_cost(ids.clone()).await
    );

    for (role, all) in [("CIVIL_SOCIETY_STAKEHOLDER", 11), ("DELIVERY_PARTNER", 8)] {
        let (few, few_cost) = cost(2, role).await;
        let (many, many_cost) = cost(all, role).await;
        assert_eq!((few, many), (2, all as usize));
        assert!(few_cost > 0, "the counter sees statements");
        // Per-parent reads would add a statement or more for each of the 6 to 9 more parents;
        // a batch that a loaded machine split in every one of six runs adds one or two (CI
        // saw 8 against 9 once).
        assert!(
            many_cost <= few_cost + 2,
            "{role}: statements for 2 parents: {few_cost}, for {all} parents: {many_cost}"
        );
    }
}

async fn milestones_with_their_updates_and_sources_cost_one_statement(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let fewest = |query: &'static str| {
        let app = &app;
        async move {
            let mut fewest = u64::MAX;
            let mut data = Value::Null;
            for _ in 0..6 {
                let before = app.statements();
                data = app.data(query, json!({})).await;
                fewest = fewest.min(app.statements() - before);
            }
            (data, fewest)
        }
    };
    let (_, shallow) = fewest("{ commitments { nodes { milestones { nodes { title } } } } }").await;
    let (deep, deep_cost) = fewest(
        "{ commitments { nodes { milestones { edges { node { id title
            progressUpdates { reportTitle text source { url } } source { url } } } } } } }",
    )
    .await;
    assert!(shallow > 0, "the counter sees statements");
    assert_eq!(
        shallow, deep_cost,
        "milestones cost {shallow} statements, with their updates and sources {deep_cost}"
    );
    // The same milestones read one level at a time (by ID) answer the same.
    let edges = deep["commitments"]["nodes"][0]["milestones"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    // ogp-2021-25-commitment-2-overview.txt lists six milestones.
    assert_eq!(edges.len(), 6);
    let ids: Vec<Value> = edges.iter().map(|e| e["node"]["id"].clone()).collect();
    let by_id = app
        .data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Milestone { id title
                progressUpdates { reportTitle text source { url } } source { url } } } }",
            json!({ "ids": ids }),
        )
        .await;
    let one_by_one: Vec<Value> = edges.iter().map(|e| e["node"].clone()).collect();
    assert_eq!(by_id["nodes"].as_array(), Some(&one_by_one));
    // ogp-2021-25-commitment-2-progress-to-august-2022.txt reports on the first milestone.
    assert_eq!(
        one_by_one[0]["progressUpdates"][0]["text"],
        "All posts as noted in the action plan were recruited."
    );
}

async fn concurrent_requests_for_one_page_share_its_statements(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    // A root page costs statements of its own per request (its rows, and its count when
    // `totalCount` is asked), and so does a timeline window. Requests for the same one at the
    // same time share them, so a burst of them costs fewer than one request's statements each.
    // How many overlap depends on timing, but with a burst of 24 sent at once, none
    // overlapping in three bursts would mean no sharing.
    const BURST: u64 = 24;
    let page = "{ commitments(first: 5) { totalCount nodes { number actionPlan periodStart } } }";
    let window = r#"{ timeline(from: "2021-08-01", to: "2021-08-31") { date kind title } }"#;
    for query in [page, window] {
        let before = app.statements();
        let alone = app.data(query, json!({})).await;
        let cost = app.statements() - before;
        assert!(cost > 0, "the counter sees statements");
        let mut fewest = u64::MAX;
        for _ in 0..6 {
            let before = app.statements();
            let burst = (0..BURST).map(|_| app.data(query, json!({})));
            let answers = async_graphql::futures_util::future::join_all(burst).await;
            fewest = fewest.min(app.statements() - before);
            assert!(
                answers.iter().all(|a| *a == alone),
                "{query}: answers differ"
            );
        }
        assert!(
            fewest < BURST * cost,
            "{BURST} requests at once cost {fewest} statements, {cost} each: none were shared"
        );
        // Sharing is not caching: a request after the burst reads again.
        let before = app.statements();
        app.data(query, json!({})).await;
        assert_eq!(
            app.statements() - before,
            cost,
            "{query}: a lone request reads again"
        );
    }
    // What they all read: ogp-2021-25-commitment-2-overview.txt, the snapshot's one commitment,
    let alone = app.data(page, json!({})).await;
    assert_eq!(alone["commitments"]["totalCount"], 1, "{alone}");
    let c = &alone["commitments"]["nodes"][0];
    assert_eq!(c["number"], 2);
    assert_eq!(c["actionPlan"], "Open Government action plan 2021 to 2025");
    assert_eq!(c["periodStart"], "2021-10-01");
    // and its two milestones starting in August 2021 ("Start August 2021 – end ...").
    let events = app.data(window, json!({})).await;
    let titles = strings(&events["timeline"], Some("title"));
    assert!(
        titles.contains(&"hire and on-board a person centred design team".to_owned()),
        "{titles:?}"
    );
    assert_eq!(titles.len(), 2, "{titles:?}");
}

async fn http_get_health_and_graphiql_work(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let get: Value = app
        .client
        .get(format!("{}/graphql", app.base_url))
        .query(&[("query", "{ commitments { totalCount } }")])
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    assert_eq!(get["data"]["commitments"]["totalCount"], 1);
    let page = app
        .client
        .get(format!("{}/graphql", app.base_url))
        .header("accept", "text/html")
        .send()
        .await
        .expect("GET GraphiQL");
    assert!(page.status().is_success());
    assert!(page.text().await.expect("body").contains("graphiql"));
    for (path, body) in [("/healthz", "ok"), ("/readyz", "ready")] {
        let r = app
            .client
            .get(format!("{}{path}", app.base_url))
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), 200);
        assert_eq!(r.text().await.expect("body"), body);
    }
    let runs = app
        .data("{ ingestRuns { pagesSeen added warnings } }", json!({}))
        .await;
    assert_eq!(runs["ingestRuns"][0]["pagesSeen"], 5);
    assert_eq!(runs["ingestRuns"][0]["added"], 5);
}

async fn search_snippets_escape_the_page_text(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    // A page whose text holds markup-like characters (escaped in its HTML, so they are text).
    let dir = crate::helpers::snapshot_copy();
    crate::helpers::edit_page(dir.path(), crate::helpers::PROGRESS_AUG_2022, |html| {
        html.replace(
            "All posts as noted in the action plan were recruited.",
            "All posts &lt;b&gt;zebracrossing&lt;/b&gt; &amp; co were recruited.",
        )
    });
    ingest::ingest_snapshot(&app.db.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("ingest the edited copy");
    let data = app
        .data(
            r#"{ search(query: "zebracrossing") { totalCount nodes { snippet passage { text } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["search"]["totalCount"], 1);
    let hit = &data["search"]["nodes"][0];
    assert!(
        hit["passage"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("<b>zebracrossing</b> & co")),
        "{hit}"
    );
    let snippet = hit["snippet"].as_str().expect("snippet");
    assert!(snippet.contains("<mark>zebracrossing</mark>"), "{snippet}");
    assert!(snippet.contains("&amp; co"), "{snippet}");
    assert!(!snippet.contains("<b>"), "{snippet}");
    // FTS5 keeps the tag's characters as text, escaped; PostgreSQL's parser reads `<b>` as a
    // tag and leaves it out of headlines.
    if matches!(backend, Backend::Sqlite) {
        assert!(snippet.contains("&lt;b&gt;"), "{snippet}");
    }
}

/// Search answers from what is stored now: a page's new words are found at once after the run
/// that stored them, and a page that is gone is gone from the hits.
async fn search_follows_changed_and_removed_pages(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let search = |q: &'static str| {
        let app = &app;
        async move {
            app.data(
                "query($q: String!) { search(query: $q, first: 20) { totalCount nodes { passage { document { title } } } } }",
                json!({ "q": q }),
            )
            .await["search"]
                .clone()
        }
    };
    assert_eq!(search("zebracrossing").await["totalCount"], 0);
    let dir = crate::helpers::snapshot_copy();
    crate::helpers::edit_page(dir.path(), crate::helpers::PROGRESS_AUG_2022, |html| {
        html.replace(
            "All posts as noted in the action plan were recruited.",
            "All posts as noted in the action plan were recruited by zebracrossing.",
        )
    });
    ingest::ingest_snapshot(&app.db.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("ingest the edited copy");
    let found = search("zebracrossing").await;
    assert_eq!(found["totalCount"], 1, "{found}");
    assert_eq!(
        found["nodes"][0]["passage"]["document"]["title"],
        "Progress to August 2022"
    );

    std::fs::remove_dir_all(dir.path().join(crate::helpers::PROGRESS_AUG_2022))
        .expect("remove the report");
    ingest::ingest_snapshot(&app.db.db, dir.path(), ingest::Progress::Quiet)
        .await
        .expect("ingest the copy without the report");
    assert_eq!(search("zebracrossing").await["totalCount"], 0);
    // The report was the best page for these words; now no hit comes from it.
    let after = search("posts recruited").await;
    let titles: Vec<&str> = after["nodes"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|h| h["passage"]["document"]["title"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert!(!titles.contains(&"Progress to August 2022"), "{after}");
}

crate::cases!(
    a_commitment_answers_every_contract_field,
    milestones_with_their_updates_and_sources_cost_one_statement,
    concurrent_requests_for_one_page_share_its_statements,
    search_follows_changed_and_removed_pages,
    strategies_link_to_aims_areas_organisations_and_documents,
    organisations_link_to_roles_and_mentions,
    pagination_visits_every_item_once,
    milestones_filter_by_overlapping_dates_at_the_edges,
    the_timeline_is_in_date_order_across_sources,
    search_ranks_passages_and_highlights_matches,
    search_snippets_escape_the_page_text,
    every_node_type_can_be_refetched_by_id,
    nested_queries_cost_the_same_statements_for_more_parents,
    http_get_health_and_graphiql_work,
    milestones_order_by_dates_with_undated_last,
    serving_stays_consistent_while_another_process_ingests,
);

async fn milestones_order_by_dates_with_undated_last(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let data = app
        .data(
            "{ milestones(orderBy: END_DATE) { nodes { endDate } } }",
            json!({}),
        )
        .await;
    let ends: Vec<Value> = data["milestones"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|m| m["endDate"].clone())
        .collect();
    // ogp-2021-25-commitment-2-overview.txt: end January 2022, end February 2022, winter
    // 2021/22 (to 28 February 2022), then three undated milestones.
    assert_eq!(
        ends,
        vec![
            json!("2022-01-31"),
            json!("2022-02-28"),
            json!("2022-02-28"),
            Value::Null,
            Value::Null,
            Value::Null
        ]
    );
    let strategies = app.data("{ strategies { id title } }", json!({})).await;
    let s2018 = strategies["strategies"]
        .as_array()
        .and_then(|s| {
            s.iter()
                .find(|s| s["title"].as_str().is_some_and(|t| t.contains("enabling")))
        })
        .expect("the 2018 strategy")["id"]
        .clone();
    let docs = app
        .data(
            "query($s: ID) { documents(filter: {strategy: $s}) { totalCount nodes { title } } }",
            json!({ "s": s2018 }),
        )
        .await;
    assert_eq!(docs["documents"]["totalCount"], 1);
    assert_eq!(docs["documents"]["nodes"][0]["title"], "Moving Forward");
}

/// A server keeps answering, with whole runs only, while another process ingests into the
/// same database: each answer shows the old page or the new one, never a half-written run.
async fn serving_stays_consistent_while_another_process_ingests(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let old = "All posts as noted in the action plan were recruited.";
    let new = "All posts as noted in the action plan were recruited and inducted.";
    let changed = crate::helpers::snapshot_copy();
    crate::helpers::edit_page(changed.path(), crate::helpers::PROGRESS_AUG_2022, |html| {
        html.replace(old, new)
    });
    let original = crate::helpers::snapshot();
    let url = app.db.url.clone();
    let dirs = [changed.path().to_path_buf(), original];
    let writer = tokio::spawn(async move {
        for round in 0..6 {
            let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_caregraph"))
                .args(["--database", &url, "ingest", "--quiet", "--snapshot"])
                .arg(&dirs[round % 2])
                .output()
                .await
                .expect("run caregraph ingest");
            assert!(
                out.status.success(),
                "ingest round {round} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    });
    let query = "{ milestones(first: 1) { nodes { progressUpdates { text } } }
                   documents { totalCount } }";
    let mut reads = 0;
    while !writer.is_finished() {
        let data = app.data(query, json!({})).await;
        let texts = strings(
            &data["milestones"]["nodes"][0]["progressUpdates"],
            Some("text"),
        );
        assert!(
            texts == vec![old] || texts == vec![new],
            "half-written state: {texts:?}"
        );
        assert_eq!(data["documents"]["totalCount"], 5);
        reads += 1;
    }
    writer.await.expect("writer task");
    assert!(reads > 0, "the reader ran while the writer wrote");
    let last = app.data(query, json!({})).await;
    assert_eq!(
        strings(
            &last["milestones"]["nodes"][0]["progressUpdates"],
            Some("text")
        ),
        vec![old],
        "the last run restored the original page"
    );
    let runs = app
        .data("{ ingestRuns(first: 100) { changed } }", json!({}))
        .await;
    assert_eq!(runs["ingestRuns"].as_array().map(Vec::len), Some(7));
}
