//! What every page of a strategy family shares, whichever of the three kinds it is (strategy,
//! delivery plan, consultation): the strategy it belongs to, the strategy's named parts
//! ([`elements`]: aims, priorities, domains, visions, standards) and its delivery partners.
//! Each kind's own reader ([`super::strategy`], [`super::delivery_plan`]) adds what only that
//! kind prints; a consultation is this and nothing more.
//!
//! Which strategy a page belongs to, as the page says: a strategy page's own publication; a
//! delivery plan's "... for `<Name>` Strategy"; a development page's title up to "Strategy" and
//! its years. After each run the store settles it across pages: one strategy per publication,
//! and a plan with the strategy whose aims and priorities it restates (`store::family`).
//!
//! Which of the three a page is: a consultation asks for views (or says so in its publication
//! type); a delivery plan says so in its publication's address or title; a strategy page says
//! "strategy" in its publication's title or type.

use std::collections::HashMap;
use std::sync::LazyLock;

use entity::{DocumentKind, OrganisationRole, StrategyElementKind, strategy_element};
use regex::Regex;

mod domains;
mod elements;
mod partners;

pub use domains::page_domain;
pub use elements::ElementFacts;
pub(crate) use elements::{PRIORITY, number_word};
pub use partners::{organisation_name, split_list};

use crate::date::re;
use crate::ids;
use crate::page::Page;
use crate::store::rows::saturating_i32;
use crate::store::{Rows, Subject};

/// What a strategy-family page says of its strategy, whatever its kind.
#[derive(Clone, Debug)]
pub struct FamilyFacts {
    /// The strategy the page belongs to, as printed.
    pub strategy_title: String,
    /// Aims, priority areas, domains, vision statements and standards, in page order.
    pub elements: Vec<ElementFacts>,
    /// Delivery partners the page names.
    pub partners: Vec<PartnerFacts>,
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

/// Reads what a family page of `kind` says of its strategy.
pub fn read(page: &Page, kind: DocumentKind) -> FamilyFacts {
    FamilyFacts {
        strategy_title: strategy_title(page, kind),
        elements: elements::elements(page),
        partners: partners::partners(page),
    }
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

impl FamilyFacts {
    /// Pushes the strategy (if new to the batch), the page's elements and its delivery
    /// partners' roles, read off page `url` (document `document_id`); answers the strategy's ID
    /// and each element's, in `elements` order.
    pub fn rows(&self, document_id: i64, url: &str, rows: &mut Rows) -> (i64, Vec<i64>) {
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
        (id, element_ids)
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
        let fixture = |set, slug, n: u32| crate::page::fixture(set, slug, Some(&n.to_string()));
        let linking = "harbour-digital-care-strategy-linking-islands";
        let domains = |n| -> Vec<Domain> {
            elements::elements(&fixture("strategy2018", linking, n))
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
        let priority =
            elements::elements(&fixture("strategy2021", "harbour-digital-care-strategy", 8));
        assert!(priority.iter().all(|e| e.kind != domain), "{priority:?}");
    }
}
