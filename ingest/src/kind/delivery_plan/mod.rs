//! Delivery plan pages ("Care in the Digital Age" and the like): what a plan page prints beyond
//! what every family page shares ([`super::family`]):
//! - its workstreams, in each plan year's layout ([`workstreams`]), and their leads as
//!   organisations in the `WORKSTREAM_LEAD` role ([`leads`]), each due date and status read off
//!   its "When" value ([`when`]);
//! - the plan year the page is for and the priority area it is about ([`period`]): its heading,
//!   with or without a "Priority Four:" label, joins the family's priority areas.

use entity::{DocumentKind, OrganisationRole, StrategyElementKind, workstream};

mod leads;
mod period;
#[cfg(test)]
mod tests;
mod when;
pub mod workstreams;

pub use period::{PagePriority, page_priority, plan_period};
use workstreams::WorkstreamFacts;

use super::family::{self, ElementFacts, FamilyFacts, organisation_name};
use crate::ids;
use crate::page::Page;
use crate::store::rows::saturating_i32;
use crate::store::{Rows, Subject};

/// The plans' lexicon's phrase groups ([`crate::kind::lexicon::synonyms`]).
pub(crate) fn synonyms() -> Vec<&'static [&'static str]> {
    workstreams::synonyms().collect()
}

/// What a delivery plan page says.
#[derive(Clone, Debug)]
pub struct PlanFacts {
    /// What it says of its strategy, as every family page does.
    pub family: FamilyFacts,
    /// Its workstreams.
    pub workstreams: Vec<WorkstreamFacts>,
    /// The plan year of a page with workstreams, "YYYY-YY".
    pub plan_period: Option<String>,
    /// Which of `family.elements` is the priority area the page's workstreams serve.
    pub page_area: Option<usize>,
}

/// Reads a delivery plan page; answers its facts and warnings about what could not be read (a
/// workstream block missing its deliverable, a plan with no year).
pub fn parse(page: &Page) -> (PlanFacts, Vec<String>) {
    let mut family = family::read(page, DocumentKind::DeliveryPlan);
    let (read, problems) = workstreams::parse(page);
    let mut warnings: Vec<String> = problems
        .into_iter()
        .map(|w| format!("{}: {w}", page.url))
        .collect();
    let (mut plan_period, mut page_area) = (None, None);
    if !read.is_empty() {
        plan_period = period::plan_period(page);
        if plan_period.is_none() {
            warnings.push(format!(
                "{}: the plan's title and address give no plan year (\"2024 to 2025\", \"2024-25\"); its workstreams have an empty planPeriod",
                page.url
            ));
        }
        page_area = page_priority(page).map(|p| page_element(&mut family.elements, p));
    }
    let facts = PlanFacts {
        family,
        workstreams: read,
        plan_period,
        page_area,
    };
    (facts, warnings)
}

/// The element of a plan page's own priority area: the numbered one already read (named as the
/// page heading names it), else one with the same name, else a new one; answers its index.
fn page_element(elements: &mut Vec<ElementFacts>, area: PagePriority) -> usize {
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

/// Strings as the JSON array a TEXT column holds.
fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

impl PlanFacts {
    /// Pushes what every family page gives ([`FamilyFacts::rows`]), the page's workstreams and
    /// their leads' roles; answers the strategy's ID.
    pub fn rows(&self, document_id: i64, url: &str, rows: &mut Rows) -> i64 {
        let (id, element_ids) = self.family.rows(document_id, url, rows);
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
