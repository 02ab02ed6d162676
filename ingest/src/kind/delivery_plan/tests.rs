//! Every expected value is copied by hand from the invented fixture pages in
//! `tests/fixtures/plans/` and `tests/fixtures/deliverables/`.

use chrono::NaiveDate;
use entity::DeliveryStatus::*;

use super::leads::split_leads;
use super::period::year_pair;
use super::when::read_when;
use super::workstreams::{Label, Value, label_of, parse};
use super::*;
use crate::page::{Block, BlockKind};

const Y22: &str = "harbour-care-online-delivery-plan";
const Y23: &str = "harbour-care-online-delivery-plan-2023-24";
const Y24: &str = "harbour-care-online-delivery-plan-2024-25";
const Y25: &str = "harbour-care-online-delivery-plan-2025-2026";

fn fixture(slug: &str, n: &str) -> Page {
    crate::page::fixture("plans", slug, Some(n))
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn plan_years_come_from_titles_and_slugs() {
    assert_eq!(
        year_pair("Care in the Digital Age: delivery plan 2022 to 2023").as_deref(),
        Some("2022-23")
    );
    assert_eq!(
        year_pair("Delivery Plan 2023-24").as_deref(),
        Some("2023-24")
    );
    assert_eq!(
        year_pair("care-digital-age-delivery-plan-2025-2026").as_deref(),
        Some("2025-26")
    );
    assert_eq!(year_pair("Plan 2099–00").as_deref(), Some("2099-00"));
    assert_eq!(year_pair("care-digital-age-delivery-plan"), None);
    assert_eq!(year_pair("Open Government action plan 2021-25"), None);
    assert_eq!(year_pair("Strategy 2021 to 2025"), None);

    // The 2022-23 slug has no year: the title gives it; a title without one yields to the
    // slug, then to the page title.
    let mut page = fixture(Y22, "8");
    assert_eq!(plan_period(&page).as_deref(), Some("2022-23"));
    page.publication_title = "Harbour Care Online: delivery plan".to_owned();
    assert_eq!(plan_period(&page), None);
    page.title = "Delivery Plan 2022/23".to_owned();
    assert_eq!(plan_period(&page).as_deref(), Some("2022-23"));
    let mut page = fixture(Y25, "4");
    assert_eq!(plan_period(&page).as_deref(), Some("2025-26"));
    page.publication_title = "Harbour Care Online".to_owned();
    assert_eq!(plan_period(&page).as_deref(), Some("2025-26"));
    assert_eq!(plan_period(&fixture(Y23, "6")).as_deref(), Some("2023-24"));
    assert_eq!(plan_period(&fixture(Y24, "5")).as_deref(), Some("2024-25"));
}

#[test]
fn page_priorities_read_prefixed_paragraphs_and_plain_statements() {
    let priority = |slug, n| page_priority(&fixture(slug, n)).expect("a priority");
    assert_eq!(
        priority(Y22, "8"),
        PagePriority {
            number: Some(2),
            name: "Island Data and Insight".to_owned(),
            statement: Some(
                "Island services share and use their data to plan care around the ferry timetable."
                    .to_owned()
            ),
        }
    );
    assert_eq!(
        priority(Y23, "6"),
        PagePriority {
            number: Some(6),
            name: "Island Digital Skills".to_owned(),
            statement: Some(
                "Staff feel sure of the digital tools their daily work relies on.".to_owned()
            ),
        }
    );
    assert_eq!(
        priority(Y24, "5"),
        PagePriority {
            number: None,
            name: "Island Digital Skills".to_owned(),
            statement: Some(
                "Staff across the islands have the skills and the confidence to work digitally."
                    .to_owned()
            ),
        }
    );
    assert_eq!(
        priority(Y25, "4"),
        PagePriority {
            number: None,
            name: "Island Digital Skills".to_owned(),
            statement: Some(
                "Every island team has the digital skills it needs now and will need next."
                    .to_owned()
            ),
        }
    );
    // A "Priority Two:" prefix on the heading itself is dropped from the name.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/plans/www.gov.scot/publications")
        .join(Y24)
        .join("pages/5/index.html");
    let html = std::fs::read_to_string(path)
        .expect("read the fixture")
        .replace(
            "<h2>Island Digital Skills</h2>",
            "<h2>Priority two: Island Digital Skills</h2>",
        );
    let url = format!("https://www.gov.scot/publications/{Y24}/pages/5/");
    let page = crate::page::parse_page(&url, html.as_bytes()).expect("parses");
    let p = page_priority(&page).expect("a priority");
    assert_eq!(
        (p.number, p.name.as_str()),
        (Some(2), "Island Digital Skills")
    );
}

#[test]
fn workstream_2022_23_heading_blocks_with_an_empty_when() {
    let (ws, warnings) = parse(&fixture(Y22, "8"));
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(ws.len(), 3);
    assert_eq!(
        ws[0],
        WorkstreamFacts {
            deliverable: "A shared dashboard showing clinic waiting times beside ferry crossings for every island board.".to_owned(),
            rationale: strings(&["Planners cannot yet see how a cancelled crossing changes when patients are seen."]),
            // Slash-joined bodies.
            leads: strings(&["Island Health Intelligence", "Harbour Records Service"]),
            due_text: Some("By March 2023".to_owned()),
            due_date: day(2023, 3, 31),
            status: None,
            status_text: None,
            progress: Vec::new(),
            anchor: Some("ws-dashboards".to_owned()),
        }
    );
    // " with " joins two bodies; the "When" value is empty.
    assert_eq!(
        ws[1],
        WorkstreamFacts {
            deliverable: "One data dictionary for community pharmacy records across the islands."
                .to_owned(),
            rationale: strings(&[
                "Each pharmacy names the same medicine differently, so records cannot be compared."
            ]),
            leads: strings(&["Harbour Digital Office (HDO)", "Island Pharmacy Network"]),
            due_text: None,
            due_date: None,
            status: None,
            status_text: None,
            progress: Vec::new(),
            anchor: Some("ws-dictionary".to_owned()),
        }
    );
    assert_eq!(
        ws[2].deliverable,
        "Plain-language guidance on sharing anonymised records with researchers."
    );
    assert_eq!(ws[2].leads, strings(&["Harbour Records Service"]));
    assert_eq!(ws[2].due_text.as_deref(), Some("Winter 2022/23"));
    assert_eq!(ws[2].due_date, day(2023, 2, 28));
    assert_eq!(ws[2].anchor, None);
}

#[test]
fn workstream_2023_24_bullet_values_under_heading_and_bold_labels() {
    let (ws, warnings) = parse(&fixture(Y23, "6"));
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(ws.len(), 2);
    assert_eq!(
        ws[0],
        WorkstreamFacts {
            deliverable: "A digital confidence course for home care staff on every island."
                .to_owned(),
            rationale: strings(&[
                "Many carers were handed tablets without any training.",
                "Managers asked for one shared course instead of several local ones.",
            ]),
            leads: strings(&["HDO"]),
            due_text: Some("March 2026".to_owned()),
            due_date: day(2026, 3, 31),
            status: None,
            status_text: None,
            progress: Vec::new(),
            anchor: Some("ws-confidence".to_owned()),
        }
    );
    // Labels in bold paragraphs; a lead-in and its bullets make one deliverable, the bullets
    // kept apart by "; ".
    assert_eq!(
        ws[1],
        WorkstreamFacts {
            deliverable: "Two new learning routes: a leadership course for clinical managers; short refresher sessions for reception teams".to_owned(),
            rationale: strings(&["Managers choose the systems their teams use but are rarely trained in them."]),
            leads: strings(&["Island Learning Council", "Harbour Digital Care Directorate"]),
            due_text: Some("March 2024".to_owned()),
            due_date: day(2024, 3, 31),
            status: None,
            status_text: None,
            progress: Vec::new(),
            anchor: None,
        }
    );
}

#[test]
fn workstream_2024_25_table_rows() {
    let (ws, warnings) = parse(&fixture(Y24, "5"));
    assert_eq!(ws.len(), 4);
    // An empty who cell; date and status on separate lines of one cell.
    assert_eq!(
        ws[0],
        WorkstreamFacts {
            deliverable: "Extend the digital confidence course to day centre staff.".to_owned(),
            rationale: strings(&["Day centre staff now book transport and record visits online."]),
            leads: Vec::new(),
            due_text: Some("March 2026".to_owned()),
            due_date: day(2026, 3, 31),
            status: Some(OnTrack),
            status_text: Some("On Track".to_owned()),
            progress: Vec::new(),
            anchor: Some("ws-course".to_owned()),
        }
    );
    // Two bodies on two lines; two why paragraphs; date and status on one line.
    assert_eq!(
        ws[1],
        WorkstreamFacts {
            deliverable: "A peer mentor on every island.".to_owned(),
            rationale: strings(&[
                "Staff ask a colleague before they ask a helpdesk.",
                "Mentors cost less than travelling trainers.",
            ]),
            leads: strings(&["Harbour Digital Care Division", "Island Learning Council"]),
            due_text: Some("December 2024".to_owned()),
            due_date: day(2024, 12, 31),
            status: Some(OnTrack),
            status_text: Some("On Track".to_owned()),
            progress: Vec::new(),
            anchor: None,
        }
    );
    // Two bodies run together: one lead (split by the store, which knows the names);
    // progress sentences, not a date.
    assert_eq!(
        ws[2].leads,
        strings(&["Harbour Digital Care Division ILCA"])
    );
    assert_eq!(
        ws[2].progress,
        strings(&[
            "Pilots finished on Skerry in September 2023.",
            "Procurement of the shared platform finished April 2024.",
        ])
    );
    assert_eq!(
        ws[2].due_text.as_deref(),
        Some(
            "Pilots finished on Skerry in September 2023. Procurement of the shared platform finished April 2024."
        )
    );
    assert_eq!(ws[2].due_date, None);
    assert_eq!(ws[2].status, Some(OnTrack));
    assert_eq!(ws[2].status_text.as_deref(), Some("On Track"));
    assert_eq!(warnings, Vec::<String>::new());
    // " with " in a cell; free text in the when cell.
    assert_eq!(
        ws[3],
        WorkstreamFacts {
            deliverable: "A skills passport that follows staff between employers.".to_owned(),
            rationale: strings(&["Staff repeat the same training each time they change employer."]),
            leads: strings(&["Harbour Digital Care Division", "Island Records Office"]),
            due_text: Some("Work will resume once the new ferry timetable is agreed.".to_owned()),
            due_date: None,
            status: None,
            status_text: None,
            progress: strings(&["Work will resume once the new ferry timetable is agreed."]),
            anchor: None,
        }
    );
}

#[test]
fn workstream_2025_26_colon_labels_with_progress_between_why_and_who() {
    let (ws, warnings) = parse(&fixture(Y25, "4"));
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(ws.len(), 4);
    // Unlabelled paragraphs after the first "Why" paragraph are progress.
    assert_eq!(
        ws[0],
        WorkstreamFacts {
            deliverable: "A refreshed digital confidence course with modules for volunteers."
                .to_owned(),
            rationale: strings(&[
                "The first course showed that carers learn best alongside colleagues."
            ]),
            leads: strings(&["HDO", "Island Learning Council"]),
            due_text: Some("March 2026".to_owned()),
            due_date: day(2026, 3, 31),
            status: Some(OnTrack),
            status_text: Some("On Track".to_owned()),
            progress: strings(&[
                "Since it launched in July 2024, 410 carers have finished the course.",
                "A version for volunteer drivers started in May 2025.",
            ]),
            anchor: Some("ws-refresh".to_owned()),
        }
    );
    // Plain "Label:" paragraphs; one plain lead line; a status before a sentence.
    assert_eq!(
        ws[1],
        WorkstreamFacts {
            deliverable:
                "Secure video links between the three island care homes and the mainland hospital."
                    .to_owned(),
            rationale: strings(&[
                "Residents make long crossings for appointments that could happen on screen."
            ]),
            leads: strings(&["IRO"]),
            due_text: Some("Full roll-out to be completed in 2026".to_owned()),
            due_date: None,
            status: Some(BehindSchedule),
            status_text: Some("Delayed".to_owned()),
            progress: strings(&["Full roll-out to be completed in 2026"]),
            anchor: None,
        }
    );
    // A lead-in with bullets; a plain "Completed" line without a bullet.
    assert_eq!(
        ws[2],
        WorkstreamFacts {
            deliverable: "A directory of digital skills support, covering: free local classes; online self-study guides".to_owned(),
            rationale: strings(&["Staff did not know what help already existed near them."]),
            // Two bodies on one line, with a comma; the second runs an unknown name into an
            // acronym, which the store splits once it knows the acronym's body.
            leads: strings(&["Island Learning Council", "Skerry Ferry Trust IRO"]),
            due_text: None,
            due_date: None,
            status: Some(Completed),
            status_text: Some("Completed".to_owned()),
            progress: Vec::new(),
            anchor: None,
        }
    );
    // Three progress sentences and no status.
    let sentences = [
        "A first draft was shared with partners in January 2025.",
        "Two partnerships tested it by end June 2025.",
        "The final version will be published later in 2025.",
    ];
    assert_eq!(ws[3].leads, strings(&["Harbour Digital Care"]));
    assert_eq!(ws[3].progress, strings(&sentences));
    assert_eq!(ws[3].due_text, Some(sentences.join(" ")));
    assert_eq!((ws[3].due_date, ws[3].status), (None, None));
}

#[test]
fn when_values_split_statuses_from_dates() {
    let values = |lines: &[&str]| -> Vec<Value> {
        lines
            .iter()
            .map(|t| Value {
                text: (*t).to_owned(),
                kind: BlockKind::Item { list: 1 },
                anchor: None,
            })
            .collect()
    };
    let w = read_when(&values(&["Completed", "Ongoing"]));
    assert_eq!(
        (w.status, w.status_text.as_deref()),
        (Some(Completed), Some("Completed"))
    );
    assert_eq!((w.due_text, w.progress), (None, strings(&["Ongoing"])));
    let w = read_when(&values(&["The pilot ended. On Track."]));
    assert_eq!(w.status, Some(OnTrack));
    assert_eq!(w.due_text.as_deref(), Some("The pilot ended."));
    let w = read_when(&values(&["Summer 2025 Not yet started"]));
    assert_eq!((w.due_date, w.status), (day(2025, 8, 31), Some(NotStarted)));
    assert_eq!(w.due_text.as_deref(), Some("Summer 2025"));
}

#[test]
fn a_block_without_its_deliverable_is_warned_about_not_merged() {
    let mut page = fixture(Y22, "8");
    // Drop the second workstream's "What" label and value.
    let at = page
        .blocks
        .iter()
        .position(|b| b.text.starts_with("One data dictionary"))
        .expect("the deliverable");
    page.blocks.drain(at - 1..=at);
    let (ws, warnings) = parse(&page);
    assert_eq!(ws.len(), 2);
    assert_eq!(
        ws[0].leads,
        strings(&["Island Health Intelligence", "Harbour Records Service"])
    );
    assert_eq!(
        warnings,
        vec![
            "workstream with no deliverable (\"What we will deliver\") skipped: the block starting \"Each pharmacy names the same medicine differently, so records cannot be compared.\""
                .to_owned()
        ]
    );
}

#[test]
fn comma_separated_bodies_are_leads_of_their_own() {
    assert_eq!(
        split_leads("Island Learning Council, Harbour Records Service, HDO"),
        strings(&["Island Learning Council", "Harbour Records Service", "HDO"])
    );
    // A comma inside one name.
    assert_eq!(
        split_leads("Directorate for Rivers, Lochs and Canals"),
        strings(&["Directorate for Rivers, Lochs and Canals"])
    );
}

#[test]
fn labels_are_words_in_any_element_case_and_colon() {
    let label = |text, lead| label_of(&Block::paragraph(text, lead)).map(|l| (l.label, l.rest));
    assert_eq!(
        label("WHAT WE WILL DELIVER", None),
        Some((Label::What, None))
    );
    assert_eq!(
        label("When it will be delivered by", None),
        Some((Label::When, None))
    );
    assert_eq!(
        label("When it will be delivered and progress:", None),
        Some((Label::When, None))
    );
    assert_eq!(
        label("Who is leading this work: NSS", None),
        Some((Label::Who, Some("NSS".to_owned())))
    );
    assert_eq!(
        label(
            "Who is leading this work NSS",
            Some("Who is leading this work")
        ),
        Some((Label::Who, Some("NSS".to_owned())))
    );
    assert_eq!(
        label("Why we are doing this matters to islanders.", None),
        None
    );
}

#[test]
fn a_title_row_above_the_header_and_a_label_value_table_are_read() {
    let html = r#"<html><body>
      <h1 class="ds_page-header__title">Harbour Care Online: delivery plan 2024 to 2025</h1>
      <div class="js-content-wrapper">
        <h2>Island Records</h2>
        <table>
          <tr><td colspan="4">This year's work</td></tr>
          <tr><th><p><strong>What we will deliver</strong></p></th><th>Why we are doing this</th><th>Who is leading this work:</th><th>When it will be delivered and progress</th></tr>
          <tr><td>A records audit.</td><td>Nobody knows which records are kept twice.</td><td>HDO/Island Records Office</td><td>Spring 2025<br>Ongoing</td></tr>
        </table>
        <table>
          <tr><th>What we will deliver</th><td>A second audit.</td></tr>
          <tr><th>Who is leading this work</th><td>Island Records Office</td></tr>
        </table>
      </div></body></html>"#;
    let page = crate::page::parse_page(
        "https://www.gov.scot/publications/p/pages/2/",
        html.as_bytes(),
    )
    .expect("parses");
    let (ws, warnings) = parse(&page);
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(ws.len(), 2);
    assert_eq!(ws[0].deliverable, "A records audit.");
    assert_eq!(ws[0].leads, strings(&["HDO", "Island Records Office"]));
    assert_eq!(ws[0].due_text.as_deref(), Some("Spring 2025"));
    assert_eq!(ws[0].due_date, day(2025, 5, 31));
    assert_eq!(ws[0].status, Some(InProgress));
    assert_eq!(ws[1].deliverable, "A second audit.");
    assert_eq!(ws[1].leads, strings(&["Island Records Office"]));
    assert_eq!(ws[1].due_text, None);
}

#[test]
fn a_lead_in_and_its_bullets_are_one_deliverable_with_the_bullets_kept_apart() {
    let (ws, warnings) = parse(&crate::page::fixture("deliverables", Y24, Some("7")));
    assert_eq!(warnings, Vec::<String>::new());
    let deliverables: Vec<&str> = ws.iter().map(|w| w.deliverable.as_str()).collect();
    assert_eq!(
        deliverables,
        [
            // A table cell: a lead-in paragraph, then a list.
            "A winter outreach round for housebound residents, offering: home visits from a digital helper; a loan tablet with data included; a weekly phone check-in",
            // Bullets with their own ";" and "." keep them, and take no second ";".
            "Two guides for island pharmacies: one on ordering repeat prescriptions online; one on video consultations.",
            "A single booking line for every ferry-linked clinic.",
            // "Label:" paragraphs.
            "A drop-in help desk in each library, open for: setting up a patient portal account; joining a video appointment",
        ]
    );
    // The bullets are the deliverable's, not the next field's.
    assert_eq!(
        ws[0].rationale,
        strings(&["Storms cut some households off for weeks each winter."])
    );
    assert_eq!(ws[3].leads, strings(&["Island Outreach Network"]));
    assert_eq!(ws[3].due_date, day(2025, 12, 31));
}

#[test]
fn bullets_of_two_lists_or_after_a_paragraph_are_joined_with_a_space() {
    let value = |text: &str, kind: BlockKind| Value {
        text: text.to_owned(),
        kind,
        anchor: None,
    };
    let item = |text: &str, list| value(text, BlockKind::Item { list });
    assert_eq!(
        super::workstreams::one_deliverable(&[
            value("A first line", BlockKind::Paragraph),
            value("and its second.", BlockKind::Paragraph),
            item("one", 1),
            item("two!", 1),
            item("three", 1),
            item("four", 2),
            value("", BlockKind::Paragraph),
        ]),
        "A first line and its second. one; two! three four"
    );
}
