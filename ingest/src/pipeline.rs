//! The ingest pipeline: read, parse per page kind, then store, as plain stages.
//!
//! Every page is parsed before the database is touched, so a page that fails to parse fails
//! the run with nothing written and the data of earlier runs still served.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;

use crate::error::IngestError;
use crate::ids::content_hash;
use crate::kind::commitment::CommitmentFacts;
use crate::kind::progress_report::ReportFacts;
use crate::kind::strategy::StrategyFacts;
use crate::kind::{self, DocumentKind};
use crate::page::{Page, parse_page};
use crate::snapshot::{self, RawPage};
use crate::store::{self, RunSummary};

/// What a page's kind-specific parser read off it.
#[derive(Clone, Debug)]
pub enum Facts {
    /// A commitment overview.
    Commitment(Box<CommitmentFacts>),
    /// A progress report.
    Report(ReportFacts),
    /// A strategy, delivery plan or consultation page.
    Strategy(StrategyFacts),
    /// A page kept as passages only.
    PassagesOnly,
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
    /// SHA-256 of the body parsed.
    pub content_hash: String,
    /// When the copy was fetched.
    pub fetched_at: DateTime<Utc>,
    /// Things worth a look that did not stop the parse (unreadable date phrases, ...).
    pub warnings: Vec<String>,
}

/// Parses one fetched page into its kind and facts.
///
/// # Errors
/// Bad bytes, an unknown layout, or a page of a known kind missing what that kind must have.
pub fn parse(raw: &RawPage) -> Result<ParsedPage, IngestError> {
    let page = parse_page(&raw.url, &raw.body)?;
    let kind = kind::classify(&page);
    let mut warnings = Vec::new();
    let facts = match kind {
        DocumentKind::CommitmentOverview => {
            let facts = kind::commitment::parse(&page)?;
            for m in &facts.milestones {
                if let Some(d) = m.date.as_ref().filter(|d| d.is_undated()) {
                    warnings.push(format!(
                        "{}: unrecognised date phrase {:?} in milestone {:?}; kept as text with no dates",
                        page.url, d.text, m.title
                    ));
                }
            }
            if let Some(p) = facts.period.as_ref().filter(|p| p.is_undated()) {
                warnings.push(format!(
                    "{}: unrecognised commitment period {:?}; kept as text with no dates",
                    page.url, p.text
                ));
            }
            Facts::Commitment(Box::new(facts))
        }
        DocumentKind::ProgressReport => {
            let facts = kind::progress_report::parse(&page)?;
            if facts.reported_on.is_none() {
                warnings.push(format!(
                    "{}: no date in report title {:?}",
                    page.url, facts.report_title
                ));
            }
            Facts::Report(facts)
        }
        DocumentKind::Strategy | DocumentKind::DeliveryPlan | DocumentKind::Consultation => {
            Facts::Strategy(kind::strategy::parse(&page, kind))
        }
        DocumentKind::Other => Facts::PassagesOnly,
    };
    for w in &warnings {
        tracing::warn!(page.url = %page.url, "{w}");
    }
    tracing::debug!(page.url = %page.url, page.kind = kind.as_str(), blocks = page.blocks.len(), "parsed {}", page.url);
    Ok(ParsedPage {
        content_hash: content_hash(&String::from_utf8_lossy(&raw.body)),
        fetched_at: raw.fetched_at,
        page,
        kind,
        facts,
        warnings,
    })
}

/// How an ingest run reports progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A progress bar on standard error.
    Bar,
    /// Nothing but tracing logs (tests, servers, pipes).
    Quiet,
}

fn bar(progress: Progress, len: usize, what: &str) -> ProgressBar {
    if progress == Progress::Quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {msg:10} [{bar:30}] {pos}/{len} pages {elapsed}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_owned());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Ingests every page of a snapshot folder in one run.
///
/// # Errors
/// Any page that cannot be read or parsed fails the whole run before anything is written;
/// a database error rolls the run's transaction back. Either way the data of earlier runs
/// stays as it was.
pub async fn ingest_snapshot(
    db: &DatabaseConnection,
    dir: &Path,
    progress: Progress,
) -> Result<RunSummary, IngestError> {
    let started_at = Utc::now();
    let files = snapshot::list_pages(dir)?;
    let reading = bar(progress, files.len(), "parsing");
    let mut pages = Vec::with_capacity(files.len());
    for path in &files {
        let raw = snapshot::read_page(dir, path)?;
        let parsed = parse(&raw).inspect_err(|e| {
            tracing::error!(page.origin = %raw.origin, "ingest stopped: {e}");
        })?;
        pages.push(parsed);
        reading.inc(1);
    }
    reading.finish_and_clear();
    let storing = bar(progress, pages.len(), "storing");
    let summary =
        store::store_run(db, &pages, &dir.display().to_string(), started_at, &storing).await?;
    storing.finish_and_clear();
    tracing::info!(
        run.id = summary.run_id,
        pages = summary.pages_seen,
        added = summary.added,
        changed = summary.changed,
        unchanged = summary.unchanged,
        removed = summary.removed,
        warnings = summary.warnings.len(),
        "ingested {} pages from {}",
        summary.pages_seen,
        dir.display()
    );
    Ok(summary)
}
