//! A strategy printed like the refreshed 2021 one: aims as paragraphs ("Aim 1: ..." plain, with
//! a bold label, or a heading "Aim 3" over its paragraph) and one page per priority, labelled
//! "Priority one: ...", "Priority Four" or "Priority five: ..." (in a paragraph). Expected values
//! are written by hand from the fixture pages in `tests/fixtures/strategy2021/` (invented text in
//! gov.scot's markup).

use entity::{StrategyElementKind, strategy_element};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::helpers::{Backend, TestApp, TestDb, strategy2021_fixtures};

const PAGES: &str = "https://www.gov.scot/publications/harbour-digital-care-strategy/pages/";

/// The elements of one kind, by number: (number, name, page).
async fn numbered(
    db: &DatabaseConnection,
    kind: StrategyElementKind,
) -> Vec<(Option<i32>, String, i64)> {
    strategy_element::Entity::find()
        .filter(strategy_element::Column::Kind.eq(kind))
        .order_by_asc(strategy_element::Column::Number)
        .all(db)
        .await
        .expect("query")
        .into_iter()
        .map(|e| (e.number, e.name, e.document_id))
        .collect()
}

async fn paragraph_aims_and_numbered_priorities_are_read(backend: Backend) {
    let t = TestDb::new(&backend).await;
    ingest::ingest_snapshot(&t.db, &strategy2021_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    let aims: Vec<(Option<i32>, String)> = numbered(&t.db, StrategyElementKind::Aim)
        .await
        .into_iter()
        .map(|(n, name, _)| (n, name))
        .collect();
    assert_eq!(
        aims,
        vec![
            (
                Some(1),
                "Islanders can reach their own records and book care from wherever they live."
                    .to_owned()
            ),
            (
                Some(2),
                "Carers pass on what they know through tools that work on a weak signal."
                    .to_owned()
            ),
            (
                Some(3),
                "Clinics plan their rotas from figures gathered once and kept up to date."
                    .to_owned()
            ),
        ]
    );
    let read = numbered(&t.db, StrategyElementKind::PriorityArea).await;
    let areas: Vec<(Option<i32>, String)> =
        read.iter().map(|(n, name, _)| (*n, name.clone())).collect();
    assert_eq!(
        areas,
        vec![
            (
                Some(1),
                "Reaching a clinician without a ferry crossing".to_owned()
            ),
            (Some(4), "Growing Skills".to_owned()),
            // Its label is a paragraph under the area's heading, which names it.
            (Some(5), "Skilled Crews".to_owned()),
        ]
    );
    // Each area is read from its own page.
    assert_ne!(read[0].2, read[1].2);
    assert_ne!(read[1].2, read[2].2);
}

async fn numbered_priorities_are_served(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    ingest::ingest_snapshot(
        &app.db.db,
        &strategy2021_fixtures(),
        ingest::Progress::Quiet,
    )
    .await
    .expect("ingest the fixtures");
    let data = app
        .data(
            r#"{ strategies { title aims { number text } priorityAreas { number name
                source { url } } } }"#,
            json!({}),
        )
        .await;
    let ours: Vec<&serde_json::Value> = data["strategies"]
        .as_array()
        .expect("strategies")
        .iter()
        .filter(|s| s["title"] == "Harbour digital care strategy")
        .collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(
        ours[0]["aims"],
        json!([
            { "number": 1, "text": "Islanders can reach their own records and book care from wherever they live." },
            { "number": 2, "text": "Carers pass on what they know through tools that work on a weak signal." },
            { "number": 3, "text": "Clinics plan their rotas from figures gathered once and kept up to date." },
        ])
    );
    let mut areas = ours[0]["priorityAreas"]
        .as_array()
        .expect("priority areas")
        .clone();
    areas.sort_by_key(|a| a["number"].as_i64());
    assert_eq!(
        areas,
        vec![
            json!({ "number": 1, "name": "Reaching a clinician without a ferry crossing",
                    "source": { "url": format!("{PAGES}4/") } }),
            json!({ "number": 4, "name": "Growing Skills",
                    "source": { "url": format!("{PAGES}7/") } }),
            json!({ "number": 5, "name": "Skilled Crews",
                    "source": { "url": format!("{PAGES}8/#skilled-crews") } }),
        ]
    );
}

crate::cases!(
    paragraph_aims_and_numbered_priorities_are_read,
    numbered_priorities_are_served,
);
