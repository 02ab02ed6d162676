//! Page kinds: how a page is recognised, and what each kind's parser reads off it.
//!
//! A page's kind comes from its structure (the labels and shapes of its content) and, for
//! delivery plans, the publication's address; never from a list of known pages. One module per
//! kind; each exposes `looks_like` (is this page of my kind?) and `parse` (its facts).

pub mod commitment;
pub mod progress_report;
pub mod strategy;

use std::sync::LazyLock;

use regex::Regex;

use crate::page::Page;

/// What kind of document a page is. Stored as the upper-case names of the GraphQL enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// The overview page of an Open Government commitment.
    CommitmentOverview,
    /// A commitment's progress report.
    ProgressReport,
    /// A page of a strategy.
    Strategy,
    /// A page of a strategy's delivery plan.
    DeliveryPlan,
    /// A page asking for views on a strategy in development.
    Consultation,
    /// Any other page: kept as passages only.
    Other,
}

impl DocumentKind {
    /// The stored (and GraphQL) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CommitmentOverview => "COMMITMENT_OVERVIEW",
            Self::ProgressReport => "PROGRESS_REPORT",
            Self::Strategy => "STRATEGY",
            Self::DeliveryPlan => "DELIVERY_PLAN",
            Self::Consultation => "CONSULTATION",
            Self::Other => "OTHER",
        }
    }
}

pub(crate) use crate::date::re;

static ASKS_FOR_VIEWS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\byour views\b|\bseeking (?:general )?views\b"));
static DELIVERY_PLAN: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)delivery[- ]plan"));
static STRATEGY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bstrateg(y|ies)\b|strategy/plan"));

/// Decides a page's kind from its structure, its labels and its publication's address.
pub fn classify(page: &Page) -> DocumentKind {
    if progress_report::looks_like(page) {
        DocumentKind::ProgressReport
    } else if commitment::looks_like(page) {
        DocumentKind::CommitmentOverview
    } else if page.blocks.iter().any(|b| ASKS_FOR_VIEWS.is_match(&b.text))
        || page
            .publication_type
            .as_deref()
            .is_some_and(|t| t.to_lowercase().contains("consultation"))
    {
        // Before the delivery-plan test: a page asking for views on a plan in development
        // ("...-strategy-and-delivery-plan-stage-one/") is a consultation, not the plan.
        DocumentKind::Consultation
    } else if DELIVERY_PLAN.is_match(&page.publication_url)
        || DELIVERY_PLAN.is_match(&page.publication_title)
    {
        DocumentKind::DeliveryPlan
    } else if STRATEGY.is_match(&page.publication_title)
        || page
            .publication_type
            .as_deref()
            .is_some_and(|t| STRATEGY.is_match(t))
    {
        DocumentKind::Strategy
    } else {
        DocumentKind::Other
    }
}

static COMMITMENT_IN_TITLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(.*?)\s*[-–:]\s*commitment\s+(\d+)\b"));
static COMMITMENT_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bcommitment\s+(\d+)\b"));

/// The action plan and commitment number a commitment page belongs to, read from the
/// publication title ("Open Government action plan 2021 to 2025 - commitment 2: ...") or, failing
/// that, from a heading ("Commitment 2: Health and Social Care progress updates").
pub(crate) fn commitment_key(page: &Page) -> Option<(String, i32)> {
    if let Some(c) = COMMITMENT_IN_TITLE.captures(&page.publication_title) {
        let plan = c.get(1)?.as_str().trim().to_owned();
        let number = c.get(2)?.as_str().parse().ok()?;
        return Some((plan, number));
    }
    let number = page
        .blocks
        .iter()
        .filter(|b| b.is_heading())
        .find_map(|b| COMMITMENT_ANYWHERE.captures(&b.text))?
        .get(1)?
        .as_str()
        .parse()
        .ok()?;
    Some((page.publication_title.clone(), number))
}

/// The natural key of a commitment: its action plan and number.
pub fn commitment_natural_key(action_plan: &str, number: i32) -> String {
    format!("{}#{number}", action_plan.to_lowercase())
}

/// Lower case, curly apostrophes straightened, white space folded: for comparing names.
pub fn normalise_name(s: &str) -> String {
    crate::page::fold_space(&s.replace(['’', '‘'], "'").replace('&', " and ")).to_lowercase()
}
