//! Page kinds: how a page is recognised, what each kind's parser reads off it, and the rows
//! that become of it.
//!
//! A page's kind comes from its structure (the labels and shapes of its content) and, for
//! delivery plans, the publication's address; never from a list of known pages. One module per
//! kind owns the kind's whole journey: `looks_like` (is this page of my kind?), `parse` (its
//! facts, and warnings about what it could not read) and its facts' `rows` (the models stored).
//! This module dispatches between them and turns a parsed page into its document and passages.
//!
//! - [`commitment_overview`]: a commitment's overview page;
//! - [`progress_report`]: a commitment's progress report;
//! - [`co_creation`]: a commitment's page about its co-creation;
//! - [`family`]: what every strategy-family page shares (its strategy, aims, priorities,
//!   domains and delivery partners), and which of the family's kinds a page is; a
//!   consultation page is this alone;
//! - [`strategy`]: a strategy page's commitments and supersession;
//! - [`delivery_plan`]: a delivery plan's workstreams, plan year and priority area;
//! - [`delivery_status`]: the status words reports and plans print, normalised;
//! - [`action_plan`]: which commitment a page is about, as both commitment kinds name it.

pub mod action_plan;
pub mod co_creation;
pub mod commitment_overview;
pub mod delivery_plan;
pub mod delivery_status;
pub mod family;
pub mod lexicon;
pub mod progress_report;
pub mod strategy;

use entity::{DocumentKind, document, passage};

use crate::error::IngestError;
use crate::ids;
use crate::page::Page;
use crate::store::rows::saturating_i32;
use crate::store::{PageCopy, Rows, StoredPage};
use co_creation::CoCreationFacts;
use commitment_overview::CommitmentFacts;
use delivery_plan::PlanFacts;
use family::FamilyFacts;
use progress_report::ReportFacts;
use strategy::StrategyFacts;

/// What a page's kind-specific parser read off it.
#[derive(Clone, Debug)]
pub enum Facts {
    /// A commitment overview.
    CommitmentOverview(Box<CommitmentFacts>),
    /// A progress report.
    ProgressReport(ReportFacts),
    /// A strategy page.
    Strategy(StrategyFacts),
    /// A delivery plan page.
    DeliveryPlan(PlanFacts),
    /// A consultation (strategy-development) page: what every family page says.
    Consultation(FamilyFacts),
    /// A commitment's co-creation page.
    CoCreation(CoCreationFacts),
    /// A page kept as passages only.
    PassagesOnly,
}

/// A labelled section of a page that no reader understood: its content is kept as passages,
/// and the section is reported, so the next structure shows itself.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Unread {
    /// The label, as printed (without a trailing colon).
    pub label: String,
    /// Its fragment identifier, if it has one.
    pub anchor: Option<String>,
    /// The form that printed it ([`crate::page::Form::name`]).
    pub form: String,
}

/// What [`read`] reads off a page.
#[derive(Clone, Debug)]
pub struct Reading {
    /// The page's kind.
    pub kind: DocumentKind,
    /// What its kind's parser read.
    pub facts: Facts,
    /// Things worth a look that did not stop the parse.
    pub warnings: Vec<String>,
    /// The labelled sections no reader understood.
    pub unread: Vec<Unread>,
}

/// A page ready to store.
#[derive(Clone, Debug)]
pub struct ParsedPage {
    /// Its metadata and blocks.
    pub page: Page,
    /// Its kind.
    pub kind: DocumentKind,
    /// What its parser read.
    pub facts: Facts,
    /// The copy parsed, and where it came from.
    pub copy: PageCopy,
    /// Things worth a look that did not stop the parse (unreadable date phrases, ...).
    pub warnings: Vec<String>,
    /// The labelled sections no reader understood.
    pub unread: Vec<Unread>,
}

/// Decides a page's kind from its structure, its labels and its publication's address.
pub fn classify(page: &Page) -> DocumentKind {
    if progress_report::looks_like(page) {
        DocumentKind::ProgressReport
    } else if commitment_overview::looks_like(page) {
        DocumentKind::CommitmentOverview
    } else if co_creation::looks_like(page) {
        DocumentKind::CoCreation
    } else {
        family::kind_of(page).unwrap_or(DocumentKind::Other)
    }
}

/// Reads a page's kind and, with that kind's parser, its facts, its warnings (after those the
/// page's own reading raised, [`Page::warnings`]) and the labelled sections that no reader
/// understood (each also a warning).
///
/// Which sections a kind leaves unread:
/// - an overview: every labelled section with content whose label its lexicon does not hold
///   and that is no group of milestones;
/// - a page of no known kind: every labelled section with content;
/// - a progress report: none, since its reader takes every label for a field, a frame or a
///   milestone's or activity's title;
/// - strategy, delivery plan, consultation and co-creation pages: none, since their labels
///   head prose, kept as passages under them (a workstream's unknown label is warned of by the
///   workstream reader).
///
/// # Errors
/// A page of a known kind missing what that kind must have.
pub fn read(page: &Page) -> Result<Reading, IngestError> {
    let kind = classify(page);
    let (facts, warnings, unread_at) = match kind {
        DocumentKind::CommitmentOverview => {
            let (facts, warnings, unread) = commitment_overview::parse(page)?;
            (Facts::CommitmentOverview(Box::new(facts)), warnings, unread)
        }
        DocumentKind::ProgressReport => {
            let (facts, warnings) = progress_report::parse(page)?;
            (Facts::ProgressReport(facts), warnings, Vec::new())
        }
        DocumentKind::Strategy => (
            Facts::Strategy(strategy::parse(page)),
            Vec::new(),
            Vec::new(),
        ),
        DocumentKind::DeliveryPlan => {
            let (facts, warnings) = delivery_plan::parse(page);
            (Facts::DeliveryPlan(facts), warnings, Vec::new())
        }
        DocumentKind::Consultation => (
            Facts::Consultation(family::read(page, kind)),
            Vec::new(),
            Vec::new(),
        ),
        DocumentKind::CoCreation => {
            let (facts, warnings) = co_creation::parse(page)?;
            (Facts::CoCreation(facts), warnings, Vec::new())
        }
        DocumentKind::Other => {
            let unread = page
                .outline
                .labelled()
                .map(|(i, _, _)| i)
                .filter(|&i| page.outline.has_content(i))
                .collect();
            (Facts::PassagesOnly, Vec::new(), unread)
        }
    };
    let unread: Vec<Unread> = unread_at
        .into_iter()
        .filter_map(|i| {
            let section = page.outline.sections.get(i)?;
            let label = section.label.as_ref()?;
            Some(Unread {
                label: label.text.clone(),
                anchor: section.anchor.clone(),
                form: label.form.name().to_owned(),
            })
        })
        .collect();
    // What reading the page's markup raised (an ignored canonical link, text nested too deep)
    // comes first.
    let mut warnings = [page.warnings.clone(), warnings].concat();
    if !unread.is_empty() {
        let listed: Vec<String> = unread
            .iter()
            .map(|u| match &u.anchor {
                Some(a) => format!("{:?} (#{a})", u.label),
                None => format!("{:?}", u.label),
            })
            .collect();
        warnings.push(format!(
            "{}: {} labelled section(s) no reader understood, kept as passages: {}",
            page.url,
            unread.len(),
            listed.join(", ")
        ));
    }
    Ok(Reading {
        kind,
        facts,
        warnings,
        unread,
    })
}

impl StoredPage for ParsedPage {
    fn url(&self) -> &str {
        &self.page.url
    }

    fn copy(&self) -> &PageCopy {
        &self.copy
    }

    fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn unread(&self) -> usize {
        self.unread.len()
    }

    /// Every page's paragraphs and list items become passages (headings live on as their
    /// heading paths); what its kind read becomes that kind's rows; the document row links the
    /// page to the strategy or commitment it is about.
    fn rows(&self, document_id: i64, rows: &mut Rows) {
        let page = &self.page;
        for (i, block) in page.blocks.iter().filter(|b| !b.is_heading()).enumerate() {
            rows.passages.push(passage::Model {
                id: ids::passage(&page.url, i),
                document_id,
                position: saturating_i32(i),
                anchor: block.anchor.clone(),
                headings: serde_json::to_string(&block.headings).unwrap_or_else(|_| "[]".into()),
                text: block.text.clone(),
            });
        }
        let (mut strategy_id, mut commitment_id) = (None, None);
        match &self.facts {
            Facts::CommitmentOverview(facts) => {
                commitment_id = Some(facts.rows(document_id, &page.url, rows));
            }
            Facts::ProgressReport(facts) => {
                commitment_id = Some(facts.rows(document_id, &page.url, rows));
            }
            Facts::Strategy(facts) => {
                strategy_id = Some(facts.rows(document_id, &page.url, rows));
            }
            Facts::DeliveryPlan(facts) => {
                strategy_id = Some(facts.rows(document_id, &page.url, rows));
            }
            Facts::Consultation(facts) => {
                strategy_id = Some(facts.rows(document_id, &page.url, rows).0);
            }
            Facts::CoCreation(facts) => commitment_id = Some(facts.rows(document_id, rows)),
            Facts::PassagesOnly => {}
        }
        rows.documents.push(document::Model {
            id: document_id,
            url: page.url.clone(),
            publication_url: page.publication_url.clone(),
            title: page.title.clone(),
            publication_title: page.publication_title.clone(),
            kind: self.kind,
            site: page.site,
            published_on: page.published_on,
            fetched_at: self.copy.fetched_at,
            content_hash: self.copy.content_hash.clone(),
            strategy_id,
            commitment_id,
            source_url: Some(self.copy.source_url.clone()),
            etag: self.copy.etag.clone(),
            last_modified: self.copy.last_modified.clone(),
            unread_sections: serde_json::to_string(&self.unread).unwrap_or_else(|_| "[]".into()),
        });
    }
}
