//! Strategy pages: what a strategy page prints beyond what every family page shares
//! ([`super::family`]):
//! - its dated promises ([`commitments`]), each under its page's domain or priority area;
//! - a summary naming the publication that replaced it ([`superseded_by`]).

use entity::{DocumentKind, StrategyElementKind, strategy_commitment};

pub mod commitments;
mod supersedes;

use commitments::{AreaRef, CommitmentFacts};
pub use supersedes::superseded_by;

use super::family::{self, ElementFacts, FamilyFacts};
use crate::ids;
use crate::page::Page;
use crate::store::Rows;
use crate::store::rows::saturating_i32;

/// What a strategy page says.
#[derive(Clone, Debug)]
pub struct StrategyFacts {
    /// What it says of its strategy, as every family page does.
    pub family: FamilyFacts,
    /// Its dated promises, each with the index in `family.elements` of the domain or priority
    /// area it sits under.
    pub commitments: Vec<(CommitmentFacts, Option<usize>)>,
    /// The publication its summary says replaced it.
    pub superseded_by: Option<String>,
}

/// Reads a strategy page.
pub fn parse(page: &Page) -> StrategyFacts {
    let family = family::read(page, DocumentKind::Strategy);
    let commitments = commitments::parse(page)
        .into_iter()
        .map(|c| {
            let area = c
                .area
                .as_ref()
                .and_then(|a| area_element(&family.elements, a));
            (c, area)
        })
        .collect();
    StrategyFacts {
        family,
        commitments,
        superseded_by: superseded_by(page),
    }
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

impl StrategyFacts {
    /// Pushes what every family page gives ([`FamilyFacts::rows`]), the page's commitments and
    /// the publication that replaced it; answers the strategy's ID.
    pub fn rows(&self, document_id: i64, url: &str, rows: &mut Rows) -> i64 {
        let (id, element_ids) = self.family.rows(document_id, url, rows);
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
        id
    }
}
