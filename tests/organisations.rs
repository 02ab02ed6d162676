//! Organisations a progress report lists, and the acronyms pages print after their names.
//! Expected values are written by hand from the fixture pages in `tests/fixtures/partners/`
//! (invented text in gov.scot's markup): the commitment 8 overview names "Fernbank Trust" and
//! "BDA" as stakeholders and "KCAN" in its problem; its report lists five partners, four with
//! acronyms, then a list of problems and a list of topics, which name nobody.

use entity::{OrganisationRole, mention, organisation, organisation_alias, organisation_role};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::helpers::{Backend, TestApp, TestDb, partner_fixtures, strings};

const C8: &str = "https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-8-carer-voices/";

async fn listed_partners_are_organisations_found_by_their_acronyms(backend: Backend) {
    let t = TestDb::new(&backend).await;
    ingest::ingest_snapshot(&t.db, &partner_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    let orgs = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(&t.db)
        .await
        .expect("query");
    // The directorate, the five partners of the report; "BDA" of the overview is the Borders
    // Disability Alliance, not a sixth partner; no problem and no topic is an organisation.
    assert_eq!(
        orgs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
        vec![
            "Borders Disability Alliance",
            "Directorate for Carers and Communities",
            "Fernbank Trust",
            "Highland Carers Forum",
            "Kinship Care Advice Network",
            "Scottish Network for people with Sensory Loss",
        ]
    );
    // Named in full, an organisation keeps the ID its full name gives it.
    for o in &orgs {
        assert_eq!(o.id, ingest::ids::organisation(&o.name), "{}", o.name);
    }
    let aliases: Vec<(String, String)> = {
        let rows = organisation_alias::Entity::find()
            .order_by_asc(organisation_alias::Column::Alias)
            .all(&t.db)
            .await
            .expect("query");
        rows.into_iter()
            .map(|a| {
                let name = orgs
                    .iter()
                    .find(|o| o.id == a.organisation_id)
                    .map(|o| o.name.clone())
                    .unwrap_or_default();
                (a.alias, name)
            })
            .collect()
    };
    assert_eq!(
        aliases,
        vec![
            ("BDA".to_owned(), "Borders Disability Alliance".to_owned()),
            ("HCF".to_owned(), "Highland Carers Forum".to_owned()),
            ("KCAN".to_owned(), "Kinship Care Advice Network".to_owned()),
            (
                "SNSL".to_owned(),
                "Scottish Network for people with Sensory Loss".to_owned()
            ),
        ]
    );

    let id = |name: &str| ingest::ids::organisation(name);
    let roles = organisation_role::Entity::find()
        .order_by_asc(organisation_role::Column::NameAsPrinted)
        .order_by_asc(organisation_role::Column::Id)
        .all(&t.db)
        .await
        .expect("query");
    let mut of_bda: Vec<(&str, OrganisationRole)> = roles
        .iter()
        .filter(|r| r.organisation_id == id("Borders Disability Alliance"))
        .map(|r| (r.name_as_printed.as_str(), r.role))
        .collect();
    of_bda.sort_by_key(|(printed, _)| *printed);
    // Once on the overview by acronym, once on the report in full.
    assert_eq!(
        of_bda,
        vec![
            ("BDA", OrganisationRole::CivilSocietyStakeholder),
            (
                "Borders Disability Alliance (BDA)",
                OrganisationRole::CivilSocietyStakeholder
            ),
        ]
    );
    let mut stakeholders: Vec<&str> = roles
        .iter()
        .filter(|r| r.role == OrganisationRole::CivilSocietyStakeholder)
        .map(|r| r.name_as_printed.as_str())
        .collect();
    stakeholders.sort_unstable();
    assert_eq!(
        stakeholders,
        vec![
            "BDA",
            "Borders Disability Alliance (BDA)",
            // On the overview and in the report: two roles.
            "Fernbank Trust",
            "Fernbank Trust",
            "Highland Carers Forum (HCF)",
            "Kinship Care Advice Network (KCAN)",
            "Scottish Network for people with Sensory Loss (SNSL)",
        ]
    );
    assert!(roles.iter().all(|r| r.commitment_id.is_some()));

    // Mentions by acronym: "whom KCAN advises" on the overview; "HCF will host" in the report,
    // besides its list item.
    let mentions = |org: i64| {
        let db = &t.db;
        async move {
            mention::Entity::find()
                .filter(mention::Column::OrganisationId.eq(org))
                .all(db)
                .await
                .expect("query")
                .len()
        }
    };
    assert_eq!(mentions(id("Kinship Care Advice Network")).await, 2);
    assert_eq!(mentions(id("Highland Carers Forum")).await, 2);

    // Again, nothing changed: the same organisations, aliases and roles.
    ingest::ingest_snapshot(&t.db, &partner_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures again");
    let again = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(&t.db)
        .await
        .expect("query");
    assert_eq!(again, orgs);
    let aliases_again = organisation_alias::Entity::find()
        .all(&t.db)
        .await
        .expect("query");
    assert_eq!(aliases_again.len(), 4);
    let roles_again = organisation_role::Entity::find()
        .order_by_asc(organisation_role::Column::NameAsPrinted)
        .order_by_asc(organisation_role::Column::Id)
        .all(&t.db)
        .await
        .expect("query");
    assert_eq!(roles_again, roles);
    assert_eq!(mentions(id("Kinship Care Advice Network")).await, 2);
}

async fn organisations_are_served_with_aliases_and_found_by_them(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    ingest::ingest_snapshot(&app.db.db, &partner_fixtures(), ingest::Progress::Quiet)
        .await
        .expect("ingest the fixtures");
    let data = app
        .data(
            r#"{ bda: organisations(filter: {name: "BDA"}) { totalCount nodes { name aliases
                    roles { role nameAsPrinted source { url } } } }
                kcan: organisations(filter: {name: "kcan"}) { nodes { name aliases } }
                none: organisations(filter: {name: "Travel costs"}) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["bda"]["totalCount"], 1);
    let bda = &data["bda"]["nodes"][0];
    assert_eq!(bda["name"], "Borders Disability Alliance");
    assert_eq!(strings(&bda["aliases"], None), vec!["BDA"]);
    let mut roles: Vec<(String, String, String)> = bda["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .map(|r| {
            (
                r["role"].as_str().unwrap_or_default().to_owned(),
                r["nameAsPrinted"].as_str().unwrap_or_default().to_owned(),
                r["source"]["url"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    roles.sort();
    assert_eq!(
        roles,
        vec![
            (
                "CIVIL_SOCIETY_STAKEHOLDER".to_owned(),
                "BDA".to_owned(),
                format!("{C8}#civil-society-stakeholders")
            ),
            (
                "CIVIL_SOCIETY_STAKEHOLDER".to_owned(),
                "Borders Disability Alliance (BDA)".to_owned(),
                format!("{C8}pages/progress-to-june-2024/#partner-bda")
            ),
        ]
    );
    assert_eq!(
        data["kcan"]["nodes"],
        json!([{ "name": "Kinship Care Advice Network", "aliases": ["KCAN"] }])
    );
    assert_eq!(data["none"]["totalCount"], 0);

    // The commitment's stakeholders: five, each once, whichever page named them.
    let c = app
        .data(
            r#"{ commitments { nodes { number
                    organisations(role: CIVIL_SOCIETY_STAKEHOLDER) { name aliases } } } }"#,
            json!({}),
        )
        .await;
    let c8 = c["commitments"]["nodes"]
        .as_array()
        .expect("commitments")
        .iter()
        .find(|n| n["number"] == 8)
        .cloned()
        .expect("commitment 8");
    let mut names = strings(&c8["organisations"], Some("name"));
    names.sort();
    assert_eq!(
        names,
        vec![
            "Borders Disability Alliance",
            "Fernbank Trust",
            "Highland Carers Forum",
            "Kinship Care Advice Network",
            "Scottish Network for people with Sensory Loss",
        ]
    );
}

crate::cases!(
    listed_partners_are_organisations_found_by_their_acronyms,
    organisations_are_served_with_aliases_and_found_by_them,
);
