//! The report dialects, read from the fixture pages in `tests/fixtures/reports/` (invented text
//! in gov.scot's markup); every expected value is copied by hand from those pages.

use std::path::PathBuf;

use entity::DeliveryStatus::{self, *};

use super::*;
use crate::page::parse_page;

const C6: &str = "open-government-action-plan-2021-to-2025-commitment-6-shared-care-records";
const C7: &str = "open-government-action-plan-2021-to-2025-commitment-7-community-energy";

fn page(slug: &str, report: Option<&str>) -> Page {
    let mut path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "tests",
        "fixtures",
        "reports",
        "www.gov.scot",
        "publications",
        slug,
    ]
    .iter()
    .collect();
    let mut url = format!("https://www.gov.scot/publications/{slug}/");
    if let Some(r) = report {
        path = path.join("pages").join(r);
        url = format!("{url}pages/{r}/");
    }
    let html = std::fs::read(path.join("index.html")).expect("read the fixture");
    parse_page(&url, &html).expect("the fixture parses")
}

/// An update as `(milestone, activity, text, next steps, status, status as printed)`.
type Expected<'a> = (
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<DeliveryStatus>,
    Option<&'a str>,
);

fn read(slug: &str, report: &str) -> Vec<UpdateFacts> {
    let page = page(slug, Some(report));
    assert!(looks_like(&page), "{report} is recognised as a report");
    let (facts, warnings) = parse(&page).expect("the report parses");
    assert_eq!(warnings, Vec::<String>::new());
    facts.updates
}

fn view(updates: &[UpdateFacts]) -> Vec<Expected<'_>> {
    updates
        .iter()
        .map(|u| {
            (
                u.milestone_heading.as_str(),
                u.activity.as_str(),
                u.text.as_str(),
                u.next_steps.as_deref(),
                u.status,
                u.status_text.as_deref(),
            )
        })
        .collect()
}

#[test]
fn headings_of_2022_with_next_steps_and_a_labelled_or_bare_status() {
    assert_eq!(
        view(&read(C6, "progress-to-august-2022")),
        vec![
            (
                "To give people sight of their own care records",
                "Publish a plain-language guide to reading a shared care record (start March 2022 – end July 2022)",
                "The guide was drafted with two carers' groups and went to print in July.",
                Some("We will translate the guide into Gaelic and British Sign Language."),
                Some(Completed),
                Some("Completed"),
            ),
            (
                "To open record design to the people who use the records",
                "Set up a citizens' review panel for the record viewer",
                "Fourteen panel members were recruited through community networks.",
                None,
                Some(OnTrack),
                Some("On schedule."),
            ),
        ]
    );
}

#[test]
fn bold_labels_with_inline_text() {
    assert_eq!(
        view(&read(C6, "progress-to-november-2023")),
        vec![
            (
                "Run listening sessions with carers' groups on record access",
                "",
                "Three sessions were held, in Dundee, in Oban and online, with forty-one carers taking part.",
                None,
                Some(BehindSchedule),
                Some("Behind schedule."),
            ),
            (
                "Set up a citizens' review panel for the record viewer",
                "",
                "The panel met four times and reviewed the first viewer screens.",
                Some("Panel members will co-chair the viewer's testing days."),
                Some(InProgress),
                Some("In progress."),
            ),
        ]
    );
}

#[test]
fn unlabelled_milestones_with_activity_titles_and_bare_statuses() {
    assert_eq!(
        view(&read(C6, "progress-to-september-2024")),
        vec![
            (
                "Test the record viewer prototype with two health boards",
                "Viewer testing in Fife",
                "Twenty patients tried the viewer on tablets at two clinics.",
                None,
                Some(OnTrack),
                Some("On schedule."),
            ),
            (
                "Test the record viewer prototype with two health boards",
                "Viewer testing in the Western Isles",
                "Testing is planned for January, once the clinics have tablets.",
                None,
                Some(NotStarted),
                Some("Not started."),
            ),
            (
                "Set up a citizens' review panel for the record viewer",
                "",
                // The status sentence closing the table cell is taken out of the text.
                "The panel signed off the wording of every viewer screen.",
                None,
                Some(Completed),
                Some("Completed."),
            ),
        ]
    );
}

#[test]
fn plan_and_success_criteria_pair_with_updates() {
    let h1 = "Publish neighbourhood heat maps for every council area (April 2023)";
    let h2 = "Hold open workshops on reading the heat maps (June-July 2023)";
    assert_eq!(
        view(&read(C7, "progress-to-december-2024")),
        vec![
            (
                h1,
                "Release the maps on the open data portal.",
                "Maps for 30 of the 32 council areas are live.",
                None,
                Some(OnTrack),
                Some("On schedule."),
            ),
            (
                h2,
                "At least 200 residents attend.",
                "240 residents came to eleven workshops.",
                None,
                None,
                None,
            ),
            (
                h2,
                "Workshop notes are published.",
                "Notes from nine workshops are online; two are still being written.",
                None,
                Some(InProgress),
                Some("In progress."),
            ),
            (
                "Launch a schools energy challenge (May 2024)",
                "",
                "Forty schools signed up in the first week.",
                None,
                None,
                None,
            ),
        ]
    );
}

#[test]
fn overviews_stay_overviews() {
    for slug in [C6, C7] {
        assert!(!looks_like(&page(slug, None)), "{slug}");
    }
}

#[test]
fn a_date_without_a_year_is_read_against_the_report_date() {
    // Invented text. The report is dated August 2022 by its title; "by end October" names no
    // year, so it can only mean the October after the report (the date reader's deadline
    // window runs from five months before the report's month to six after).
    let html = r#"<!doctype html><html lang="en"><head>
<title>Progress to August 2022 - Open Government action plan 2021 to 2025 - commitment 6: shared care records - gov.scot</title>
<meta name="dc.title" content="Progress to August 2022"/>
<link rel="canonical" href="https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-6-shared-care-records/pages/progress-to-august-2022/"/>
</head><body><main id="main-content">
<header class="ds_page-header"><h1 class="ds_page-header__title">Open Government action plan 2021 to 2025 - commitment 6: shared care records</h1></header>
<div class="ds_layout__content"><div class="body-content publication-content js-content-wrapper"><div>
<h2>Progress to August 2022</h2>
<h3>Milestone: To train every practice team</h3>
<p>Run the first training sessions by end October</p>
<h4>Update and next steps</h4>
<p>Three sessions have been booked.</p>
</div></div></div></main></body></html>"#;
    let page = parse_page(
        &format!("https://www.gov.scot/publications/{C6}/pages/progress-to-august-2022/"),
        html.as_bytes(),
    )
    .expect("the page parses");
    let (facts, _) = parse(&page).expect("a report");
    let date = facts.updates[0].date.as_ref().expect("a date");
    assert_eq!(date.start, None);
    assert_eq!(date.end, chrono::NaiveDate::from_ymd_opt(2022, 10, 31));
}
