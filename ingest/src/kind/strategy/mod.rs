//! Strategy pages, delivery plans and strategy-development (consultation) pages.
//!
//! These pages share one set of shapes, so one parser reads them all:
//! - aims: "Aim N: ..." in a list item or paragraph (a bold lead included), or a heading
//!   "Aim N" followed by the aim's paragraph;
//! - a priority page's own area: "Priority one: ..." (number words one to ten, or digits, any
//!   case, the colon optional) in a heading or paragraph; its name is the words after the
//!   label, or the page heading when the label stands alone;
//! - priority areas: list items under a heading about priorities, "Name – description" (the
//!   name often in `<strong>`);
//! - domains: the list that follows a sentence naming "domains";
//! - vision statements: paragraphs under a "vision" heading whose whole text is a link;
//! - standards: a capitalised name ending in "Standard" ("the Digital First Service Standard");
//! - delivery partners: the list in a sentence "... delivery partners, including A, B and C";
//! - a 2018-style domain page's own domain: the domain's name, then "Domain A" (A is 1);
//! - workstreams of a delivery plan page, in each plan year's layout ([`workstreams`]), under
//!   the page's own priority area (its heading, with or without a "Priority Four:" label), and
//!   their leads as organisations in the `WORKSTREAM_LEAD` role;
//! - a strategy page's dated promises ([`commitments`]), under its domain or priority area;
//! - a strategy page's summary naming the publication that replaced it ([`superseded_by`]).
//!
//! Which strategy a page belongs to, as the page says: a strategy page's own publication; a
//! delivery plan's "... for `<Name>` Strategy"; a development page's title up to "Strategy" and
//! its years. After each run the store settles it across pages: one strategy per publication,
//! and a plan with the strategy whose aims and priorities it restates (`store::family`).
//!
//! Which of the three a page is: a consultation asks for views (or says so in its publication
//! type); a delivery plan says so in its publication's address or title; a strategy page says
//! "strategy" in its publication's title or type. Each becomes its strategy (inserted once
//! across pages), the strategy's elements, and its delivery partners' roles.

use std::collections::HashMap;
use std::sync::LazyLock;

use entity::{
    DocumentKind, OrganisationRole, StrategyElementKind, strategy_commitment, strategy_element,
    workstream,
};
use regex::Regex;

pub mod commitments;
mod partners;
mod supersedes;
pub mod workstreams;

use commitments::{AreaRef, CommitmentFacts};
use workstreams::WorkstreamFacts;

use partners::partners;
pub use partners::{organisation_name, split_list};
pub use supersedes::superseded_by;

use crate::date::re;
use crate::ids;
use crate::page::{Block, BlockKind, Page};
use crate::store::rows::saturating_i32;
use crate::store::{Rows, Subject};

/// What a strategy-family page says.
#[derive(Clone, Debug)]
pub struct StrategyFacts {
    /// The strategy the page belongs to, as printed.
    pub strategy_title: String,
    /// Aims, priority areas, domains, vision statements and standards, in page order.
    pub elements: Vec<ElementFacts>,
    /// Delivery partners the page names.
    pub partners: Vec<PartnerFacts>,
    /// A delivery plan page's workstreams.
    pub workstreams: Vec<WorkstreamFacts>,
    /// The plan year of a delivery plan page with workstreams, "YYYY-YY".
    pub plan_period: Option<String>,
    /// Which of `elements` is the priority area the page's workstreams serve.
    pub page_area: Option<usize>,
    /// A strategy page's dated promises, each with the index in `elements` of the domain or
    /// priority area it sits under.
    pub commitments: Vec<(CommitmentFacts, Option<usize>)>,
    /// The publication a strategy page's summary says replaced it.
    pub superseded_by: Option<String>,
}

/// One named part of a strategy.
#[derive(Clone, Debug)]
pub struct ElementFacts {
    /// Aim, priority area, ...
    pub kind: StrategyElementKind,
    /// The aim's number, for aims; the priority's, for a priority page's area.
    pub number: Option<i32>,
    /// The name (for an aim or a vision statement, its text).
    pub name: String,
    /// The description, or the passage the element was read from.
    pub description: String,
    /// Its anchor.
    pub anchor: Option<String>,
}

/// An organisation named as a delivery partner.
#[derive(Clone, Debug)]
pub struct PartnerFacts {
    /// The name as the page prints it in the list.
    pub printed: String,
    /// The organisation's name, without an article or a trailing clause.
    pub name: String,
    /// Its anchor.
    pub anchor: Option<String>,
}

static AIM: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^aim\s+(\d+)\s*[:.–-]\s*(.+)$"));
static AIM_LABEL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^aim\s+(\d+)\s*:?$"));
static PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^priority\s+(one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\b\s*[:.–-]?\s*(.*)$",
    )
});
static NAME_DASH: LazyLock<Regex> = LazyLock::new(|| re(r"^(.{2,100}?)\s+[–—-]\s+(.+)$"));
static STANDARD: LazyLock<Regex> = LazyLock::new(|| re(r"\b((?:[A-Z][\w-]*\s+){1,5}Standard)\b"));
static DELIVERS_STRATEGY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:for|of)\s+((?:Scotland[’']s\s+)?(?:[A-Z][\w&’'-]*\s+(?:and\s+|&\s+)?){1,8}Strategy)\b",
    )
});
static TITLE_STRATEGY: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(.*?\bStrategy(?:\s+\d{4}\s*[-–]\s*\d{2,4})?)"));
static ASKS_FOR_VIEWS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\byour views\b|\bseeking (?:general )?views\b"));
static DELIVERY_PLAN: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)delivery[- ]plan"));
static STRATEGY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bstrateg(y|ies)\b|strategy/plan"));

/// Which strategy-family kind a page is, if any: consultation, delivery plan or strategy.
pub fn kind_of(page: &Page) -> Option<DocumentKind> {
    if page.blocks.iter().any(|b| ASKS_FOR_VIEWS.is_match(&b.text))
        || page
            .publication_type
            .as_deref()
            .is_some_and(|t| t.to_lowercase().contains("consultation"))
    {
        // Before the delivery-plan test: a page asking for views on a plan in development
        // ("...-strategy-and-delivery-plan-stage-one/") is a consultation, not the plan.
        Some(DocumentKind::Consultation)
    } else if DELIVERY_PLAN.is_match(&page.publication_url)
        || DELIVERY_PLAN.is_match(&page.publication_title)
    {
        Some(DocumentKind::DeliveryPlan)
    } else if STRATEGY.is_match(&page.publication_title)
        || page
            .publication_type
            .as_deref()
            .is_some_and(|t| STRATEGY.is_match(t))
    {
        Some(DocumentKind::Strategy)
    } else {
        None
    }
}

/// Reads a strategy, delivery plan or consultation page; answers its facts and warnings about
/// what could not be read (a workstream block missing its deliverable, a plan with no year).
pub fn parse(page: &Page, kind: DocumentKind) -> (StrategyFacts, Vec<String>) {
    let mut elements = elements(page);
    let mut warnings = Vec::new();
    let (mut found, mut plan_period, mut page_area) = (Vec::new(), None, None);
    if kind == DocumentKind::DeliveryPlan {
        let (read, problems) = workstreams::parse(page);
        warnings.extend(problems.into_iter().map(|w| format!("{}: {w}", page.url)));
        if !read.is_empty() {
            plan_period = workstreams::plan_period(page);
            if plan_period.is_none() {
                warnings.push(format!(
                    "{}: the plan's title and address give no plan year (\"2024 to 2025\", \"2024-25\"); its workstreams have an empty planPeriod",
                    page.url
                ));
            }
            page_area = workstreams::page_priority(page).map(|p| page_element(&mut elements, p));
            found = read;
        }
    }
    let (promises, superseded) = if kind == DocumentKind::Strategy {
        let promises = commitments::parse(page)
            .into_iter()
            .map(|c| {
                let area = c.area.as_ref().and_then(|a| area_element(&elements, a));
                (c, area)
            })
            .collect();
        (promises, superseded_by(page))
    } else {
        (Vec::new(), None)
    };
    let facts = StrategyFacts {
        strategy_title: strategy_title(page, kind),
        elements,
        partners: partners(page),
        workstreams: found,
        plan_period,
        page_area,
        commitments: promises,
        superseded_by: superseded,
    };
    (facts, warnings)
}

/// The index in `elements` of the domain or priority area a commitment sits under: by number,
/// else by name.
fn area_element(elements: &[ElementFacts], area: &AreaRef) -> Option<usize> {
    let (kind, number, name) = match area {
        AreaRef::Domain { letter, name } => (
            StrategyElementKind::Domain,
            i32::try_from(u32::from(*letter).checked_sub(u32::from('A') - 1)?).ok(),
            name,
        ),
        AreaRef::Priority { number, name } => (StrategyElementKind::PriorityArea, *number, name),
    };
    let key = ids::normalise_name(name);
    elements
        .iter()
        .position(|e| e.kind == kind && number.is_some() && e.number == number)
        .or_else(|| {
            elements
                .iter()
                .position(|e| e.kind == kind && ids::normalise_name(&e.name) == key)
        })
}

/// The element of a plan page's own priority area: the numbered one already read (named as the
/// page heading names it), else one with the same name, else a new one; answers its index.
fn page_element(elements: &mut Vec<ElementFacts>, area: workstreams::PagePriority) -> usize {
    let is_area = |e: &ElementFacts| e.kind == StrategyElementKind::PriorityArea;
    let by_number = area.number.and_then(|n| {
        elements
            .iter()
            .position(|e| is_area(e) && e.number == Some(n))
    });
    let key = ids::normalise_name(&area.name);
    let by_name = || {
        elements
            .iter()
            .position(|e| is_area(e) && ids::normalise_name(&e.name) == key)
    };
    if let Some(i) = by_number.or_else(by_name) {
        return i;
    }
    elements.push(ElementFacts {
        kind: StrategyElementKind::PriorityArea,
        number: area.number,
        description: area.statement.unwrap_or_else(|| area.name.clone()),
        name: area.name,
        anchor: None,
    });
    elements.len() - 1
}

fn strategy_title(page: &Page, kind: DocumentKind) -> String {
    let title = match kind {
        DocumentKind::DeliveryPlan => page
            .blocks
            .iter()
            .find_map(|b| DELIVERS_STRATEGY.captures(&b.text))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().to_owned()),
        DocumentKind::Consultation => TITLE_STRATEGY
            .captures(&page.title)
            .and_then(|c| c.get(1))
            .map(|m| m.as_str().trim().to_owned()),
        _ => None,
    };
    title.unwrap_or_else(|| page.publication_title.clone())
}

fn elements(page: &Page) -> Vec<ElementFacts> {
    // A 2018-style domain page's own domain ("Domain A" under the domain's name) comes first.
    let mut out: Vec<ElementFacts> = commitments::domain_element(page).into_iter().collect();
    let mut domain_list: Option<usize> = None;
    let mut previous_text = String::new();
    // The number of a heading "Aim N" whose text is the next paragraph.
    let mut aim_label: Option<i32> = None;
    for (i, block) in page.blocks.iter().enumerate() {
        let heads = page.outline.head_at(i).is_some();
        if !matches!(block.kind, BlockKind::Item { .. })
            && let Some(area) = numbered_priority(page, block, heads)
        {
            if !out
                .iter()
                .any(|e: &ElementFacts| e.kind == area.kind && e.number == area.number)
            {
                out.push(area);
            }
        } else if heads {
            aim_label = AIM_LABEL
                .captures(&block.text)
                .and_then(|c| c.get(1))
                .and_then(|n| n.as_str().parse().ok());
            if aim_label.is_some() {
                continue;
            }
        } else if let (Some(number), BlockKind::Paragraph) = (aim_label.take(), &block.kind) {
            out.push(ElementFacts {
                kind: StrategyElementKind::Aim,
                number: Some(number),
                name: block.text.clone(),
                description: block.text.clone(),
                anchor: block.anchor.clone(),
            });
            continue;
        }
        let last_heading = block
            .headings
            .last()
            .map(|h| h.to_lowercase())
            .unwrap_or_default();
        match block.kind {
            BlockKind::Item { list } => {
                if let Some(aim) = aim(block) {
                    out.push(aim);
                } else if last_heading.contains("priorit") {
                    let (name, description) = match (&block.lead, NAME_DASH.captures(&block.text)) {
                        (_, Some(c)) => (
                            c.get(1).map_or("", |m| m.as_str()).to_owned(),
                            c.get(2).map_or("", |m| m.as_str()).to_owned(),
                        ),
                        (Some(lead), None) => (lead.clone(), String::new()),
                        (None, None) => (block.text.clone(), String::new()),
                    };
                    out.push(ElementFacts {
                        kind: StrategyElementKind::PriorityArea,
                        number: None,
                        name,
                        description,
                        anchor: block.anchor.clone(),
                    });
                } else if domain_list == Some(list)
                    || (domain_list.is_none() && previous_text.to_lowercase().contains("domains"))
                {
                    domain_list = Some(list);
                    out.push(ElementFacts {
                        kind: StrategyElementKind::Domain,
                        number: None,
                        name: block.text.trim_end_matches('.').to_owned(),
                        description: block.text.clone(),
                        anchor: block.anchor.clone(),
                    });
                }
            }
            // Under a "vision" heading, or under a label within it ("As a citizen:").
            BlockKind::Paragraph
                if block.is_link
                    && block
                        .headings
                        .iter()
                        .any(|h| h.to_lowercase().contains("vision")) =>
            {
                out.push(ElementFacts {
                    kind: StrategyElementKind::Vision,
                    number: None,
                    name: block.text.clone(),
                    description: block.text.clone(),
                    anchor: block.anchor.clone(),
                });
            }
            BlockKind::Paragraph if AIM.is_match(&block.text) => {
                if let Some(aim) = aim(block) {
                    out.push(aim);
                }
            }
            BlockKind::Paragraph => {
                for c in STANDARD.captures_iter(&block.text) {
                    let Some(name) = c.get(1).map(|m| m.as_str().to_owned()) else {
                        continue;
                    };
                    let known = out
                        .iter()
                        .any(|e| e.kind == StrategyElementKind::Standard && e.name == name);
                    if !known {
                        out.push(ElementFacts {
                            kind: StrategyElementKind::Standard,
                            number: None,
                            name,
                            description: block.text.clone(),
                            anchor: block.anchor.clone(),
                        });
                    }
                }
            }
            _ => {}
        }
        if !matches!(block.kind, BlockKind::Item { .. }) {
            previous_text.clone_from(&block.text);
            if domain_list.is_some() {
                // Only the one list right after the sentence naming domains.
                domain_list = Some(usize::MAX);
            }
        }
    }
    out
}

/// An aim printed "Aim N: text" (in a list item or a paragraph, the label bold or not).
fn aim(block: &Block) -> Option<ElementFacts> {
    let c = AIM.captures(&block.text)?;
    Some(ElementFacts {
        kind: StrategyElementKind::Aim,
        number: c.get(1).and_then(|n| n.as_str().parse().ok()),
        name: c.get(2).map_or("", |m| m.as_str()).to_owned(),
        description: block.text.clone(),
        anchor: block.anchor.clone(),
    })
}

/// A priority page's own area, from its "Priority one: name" heading (any label that `heads`)
/// or paragraph; the page heading names it when the label stands alone.
fn numbered_priority(page: &Page, block: &Block, heads: bool) -> Option<ElementFacts> {
    let c = PRIORITY.captures(&block.text)?;
    let number = c.get(1).and_then(|n| number_word(n.as_str()))?;
    let rest = c.get(2).map_or("", |m| m.as_str()).trim();
    let heading = block
        .headings
        .last()
        .filter(|h| !PRIORITY.is_match(h) && **h != page.publication_title)
        .cloned();
    // "Priority one: <statement>" as a paragraph under the area's heading ("Digital Access")
    // is named by the heading and described by the statement; as a heading, by its own words.
    let (name, description) = match (heading, heads, rest.is_empty()) {
        (Some(h), false, false) => (h, rest.to_owned()),
        (_, _, false) => (rest.to_owned(), block.text.clone()),
        (h, _, true) => (h.unwrap_or_else(|| page.title.clone()), block.text.clone()),
    };
    Some(ElementFacts {
        kind: StrategyElementKind::PriorityArea,
        number: Some(number),
        name,
        description,
        anchor: block.anchor.clone(),
    })
}

/// Strings as the JSON array a TEXT column holds.
fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// "one" to "ten" (any case), or digits.
fn number_word(word: &str) -> Option<i32> {
    const WORDS: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let lower = word.to_lowercase();
    WORDS
        .iter()
        .position(|w| *w == lower)
        .and_then(|i| i32::try_from(i + 1).ok())
        .or_else(|| word.parse().ok())
}

impl StrategyFacts {
    /// Pushes the strategy (if new to the batch), the page's elements and its delivery
    /// partners' roles, read off page `url` (document `document_id`); returns the strategy's ID.
    pub fn rows(&self, document_id: i64, url: &str, rows: &mut Rows) -> i64 {
        let id = ids::strategy(&self.strategy_title);
        rows.strategies
            .entry(id)
            .or_insert_with(|| self.strategy_title.clone());
        // Elements are numbered within their kind, so an aim keeps its ID when a standard is
        // added above it.
        let mut per_kind: HashMap<StrategyElementKind, usize> = HashMap::new();
        let mut element_ids = Vec::with_capacity(self.elements.len());
        for e in &self.elements {
            // A priority page's own area is keyed by its number: it leaves the page's listed
            // areas (and their IDs) where they were.
            let (element_id, position) = match (e.kind, e.number) {
                (StrategyElementKind::PriorityArea, Some(number)) => (
                    ids::numbered_priority_area(url, number),
                    number.saturating_sub(1),
                ),
                _ => {
                    let n = per_kind.entry(e.kind).or_default();
                    let at = (ids::strategy_element(url, e.kind, *n), saturating_i32(*n));
                    *n += 1;
                    at
                }
            };
            element_ids.push(element_id);
            rows.elements.push(strategy_element::Model {
                id: element_id,
                strategy_id: id,
                document_id,
                kind: e.kind,
                position,
                number: e.number,
                name: e.name.clone(),
                description: e.description.clone(),
                anchor: e.anchor.clone(),
                canonical_id: None,
            });
        }
        for p in &self.partners {
            rows.add_role(
                document_id,
                url,
                OrganisationRole::DeliveryPartner,
                &p.name,
                &p.printed,
                Subject::Strategy(id),
                p.anchor.clone(),
            );
        }
        for (i, (c, area)) in self.commitments.iter().enumerate() {
            rows.strategy_commitments.push(strategy_commitment::Model {
                id: ids::strategy_commitment(url, i),
                strategy_id: id,
                document_id,
                area_id: area.and_then(|a| element_ids.get(a).copied()),
                position: saturating_i32(i),
                text: c.text.clone(),
                date_text: c.date_text.clone(),
                due_date: c.due_date,
                anchor: c.anchor.clone(),
            });
        }
        if let Some(replacing) = &self.superseded_by {
            rows.superseded_by.push((id, replacing.clone()));
        }
        let area = self.page_area.and_then(|i| element_ids.get(i).copied());
        for (i, w) in self.workstreams.iter().enumerate() {
            let workstream = ids::workstream(url, i);
            rows.workstreams.push(workstream::Model {
                id: workstream,
                document_id,
                strategy_id: Some(id),
                priority_area_id: area,
                position: saturating_i32(i),
                plan_period: self.plan_period.clone().unwrap_or_default(),
                deliverable: w.deliverable.clone(),
                rationale: json_list(&w.rationale),
                due_text: w.due_text.clone(),
                due_date: w.due_date,
                status: w.status,
                status_text: w.status_text.clone(),
                progress: json_list(&w.progress),
                anchor: w.anchor.clone(),
            });
            for lead in &w.leads {
                rows.add_role(
                    document_id,
                    url,
                    OrganisationRole::WorkstreamLead,
                    &organisation_name(lead),
                    lead,
                    Subject::Workstream {
                        strategy: id,
                        workstream,
                    },
                    w.anchor.clone(),
                );
            }
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_commas_and_the_last_and() {
        assert_eq!(split_list("A, B and C"), vec!["A", "B", "C"]);
        assert_eq!(split_list("A, B, and C"), vec!["A", "B", "C"]);
        assert_eq!(
            split_list("Directorate for Quality and Improvement, NHS 24"),
            vec!["Directorate for Quality and Improvement", "NHS 24"]
        );
    }

    #[test]
    fn priority_labels_take_words_or_digits_in_any_case() {
        let number = |text: &str| {
            PRIORITY
                .captures(text)
                .and_then(|c| c.get(1))
                .and_then(|n| number_word(n.as_str()))
        };
        assert_eq!(number("Priority one: Getting there"), Some(1));
        assert_eq!(number("Priority Four"), Some(4));
        assert_eq!(number("PRIORITY TEN – the last"), Some(10));
        assert_eq!(number("Priority 7: a digit"), Some(7));
        assert_eq!(number("Priority areas for the year"), None);
        assert_eq!(number("Our priority one is"), None);
    }

    #[test]
    fn organisation_names_drop_articles_and_clauses() {
        assert_eq!(
            organisation_name(
                "the Scottish Government's Digital Directorate which includes the CivTech ® operation"
            ),
            "Scottish Government's Digital Directorate"
        );
        assert_eq!(organisation_name("NHS 24"), "NHS 24");
    }

    #[test]
    fn a_domain_page_gives_its_domain_numbered_by_its_letter() {
        /// (kind, number, name, description, anchor)
        type Domain = (
            StrategyElementKind,
            Option<i32>,
            String,
            String,
            Option<String>,
        );
        use commitments::tests::{HARBOUR, LINKING, fixture};
        let domains = |n| -> Vec<Domain> {
            elements(&fixture("strategy2018", LINKING, n))
                .into_iter()
                .map(|e| (e.kind, e.number, e.name, e.description, e.anchor))
                .collect()
        };
        let domain = StrategyElementKind::Domain;
        assert_eq!(
            domains(6),
            vec![(
                domain,
                Some(1),
                "Steering from the Shore".to_owned(),
                "Each island board has bought its own systems in the past, and few of them can exchange a record with the mainland.".to_owned(),
                Some("steering".to_owned()),
            )]
        );
        assert_eq!(
            domains(7),
            vec![(
                domain,
                Some(2),
                "Keeping Records Safe".to_owned(),
                "Records held on the islands are kept on servers that are hard to patch when the weather cuts the crossings.".to_owned(),
                Some("records".to_owned()),
            )]
        );
        assert_eq!(
            domains(9),
            vec![(
                domain,
                Some(4),
                "Crews at Ease with Technology".to_owned(),
                "Ferry crews and ward staff alike will need new skills as more care moves online."
                    .to_owned(),
                None,
            )]
        );
        // A priority page has no domain.
        let priority = elements(&fixture("strategy2021", HARBOUR, 8));
        assert!(priority.iter().all(|e| e.kind != domain), "{priority:?}");
    }
}
