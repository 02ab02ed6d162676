//! The ingest pipeline: read, parse per page kind, then store, as plain stages.
//!
//! Pages stream through one open transaction (a [`store::Run`]), one at a time, so memory does
//! not grow with the corpus. On both paths a page that cannot be read, fetched or parsed fails
//! alone: it is reported in the run's `failures`, the data stored for it by earlier runs stays
//! as it was (a snapshot run, which removes the pages it did not see, keeps a page it saw but
//! could not parse), and the run's other pages are stored. Only a snapshot folder that cannot
//! be listed, or the database, fails a whole run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{ActiveEnum, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

use crate::address::canonical_url;
use crate::crawl::{CrawlConfig, Crawler, Fetched, Frontier, Validators};
use crate::error::IngestError;
use crate::ids::content_hash;
use crate::kind::{self, ParsedPage};
use crate::page::parse_page;
use crate::snapshot::{self, RawPage};
use crate::store::{self, OnBusy, PageCopy, RunSummary};

/// Parses one fetched page into its kind, facts and warnings.
///
/// # Errors
/// Bad bytes, an unknown layout, or a page of a known kind missing what that kind must have.
pub fn parse(raw: &RawPage) -> Result<ParsedPage, IngestError> {
    let page = parse_page(&raw.url, &raw.body)?;
    let kind::Reading {
        kind,
        facts,
        warnings,
        unread,
    } = kind::read(&page)?;
    for w in &warnings {
        tracing::warn!(page.url = %page.url, "{w}");
    }
    tracing::debug!(page.url = %page.url, page.kind = %kind.to_value(), blocks = page.blocks.len(), "parsed {}", page.url);
    Ok(ParsedPage {
        copy: PageCopy {
            content_hash: content_hash(&String::from_utf8_lossy(&raw.body)),
            fetched_at: raw.fetched_at,
            source_url: raw.url.clone(),
            etag: raw.etag.clone(),
            last_modified: raw.last_modified.clone(),
        },
        page,
        kind,
        facts,
        warnings,
        unread,
    })
}

/// How an ingest run reports progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Progress {
    /// A progress bar on standard error.
    Bar,
    /// Nothing but tracing logs (tests, servers, pipes).
    #[default]
    Quiet,
}

/// How a run goes: how it reports progress, and what it does when another run holds the
/// database's ingest lock. A [`Progress`] alone fails at once when another run holds it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunSettings {
    /// Progress bar or logs only.
    pub progress: Progress,
    /// Fail at once (naming the run that holds the lock), or wait for it.
    pub on_busy: OnBusy,
}

impl From<Progress> for RunSettings {
    fn from(progress: Progress) -> Self {
        Self {
            progress,
            on_busy: OnBusy::Fail,
        }
    }
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

/// Ingests every page of a snapshot folder in one run, streaming: one page in memory at a
/// time.
///
/// A page that cannot be read or parsed is reported in the summary's `failures` (`URL: why`)
/// and the rest of the run goes on; the data stored for that page by earlier runs stays as it
/// was, although a snapshot run otherwise removes the stored pages it did not see.
///
/// # Errors
/// A snapshot folder that cannot be listed or holds no pages, another run holding the ingest
/// lock ([`IngestError::Busy`], unless the settings wait), or a database error; the run's
/// transaction is then rolled back, so the data of earlier runs stays as it was.
pub async fn ingest_snapshot(
    db: &DatabaseConnection,
    dir: &Path,
    settings: impl Into<RunSettings>,
) -> Result<RunSummary, IngestError> {
    let RunSettings { progress, on_busy } = settings.into();
    let started_at = Utc::now();
    let files = snapshot::list_pages(dir)?;
    let bar = bar(progress, files.len(), "ingesting");
    // Pages are parsed and written one by one inside the run's transaction, so memory does
    // not grow with the corpus.
    let mut run = store::Run::begin(db, &dir.display().to_string(), started_at, on_busy).await?;
    let mut failures = Vec::new();
    for path in &files {
        let address = snapshot::url_for(dir, path);
        match snapshot::read_page(dir, path).and_then(|raw| parse(&raw)) {
            Ok(parsed) => run.add(&parsed).await?,
            Err(e) => {
                tracing::error!(page.origin = %path.display(), "skipped: {e}");
                // The page is kept under every address it may be stored at: the canonical URL
                // the parse got to, the address its path stands for, and that address's
                // canonical form.
                run.keep(&address);
                run.keep(&canonical_url(&address));
                let failure = match e.page_url() {
                    Some(url) => {
                        run.keep(url);
                        e.to_string()
                    }
                    None => format!("{address}: {e}"),
                };
                failures.push(failure);
            }
        }
        bar.inc(1);
    }
    let options = store::RunOptions {
        remove_unseen: true,
        not_modified: 0,
        failures,
    };
    let summary = run.finish(options).await?;
    bar.finish_and_clear();
    tracing::info!(
        run.id = summary.run_id,
        pages = summary.pages_seen,
        added = summary.added,
        changed = summary.changed,
        unchanged = summary.unchanged,
        removed = summary.removed,
        warnings = summary.warnings.len(),
        changes = summary.changes,
        failed = summary.failures.len(),
        "ingested {} pages from {}",
        summary.pages_seen,
        dir.display()
    );
    Ok(summary)
}

/// The one failure line for the pages a crawl found but did not fetch.
fn over_limit_line(count: usize, max_pages: usize) -> String {
    let pages = if count == 1 { "page" } else { "pages" };
    format!("{count} more {pages} not fetched: over the {max_pages}-page limit of a run")
}

/// What a live ingest fetches, and where it keeps what it fetched.
#[derive(Clone, Debug)]
pub struct LiveOptions {
    /// Publication roots to start from.
    pub roots: Vec<String>,
    /// Folder the fetched pages are saved to, in the snapshot layout, so the run can be
    /// replayed offline with [`ingest_snapshot`]. Pages the server reports unchanged keep the
    /// copy already there.
    pub save_to: PathBuf,
    /// How the crawler behaves.
    pub crawl: CrawlConfig,
}

/// Crawls the live site from `options.roots` and ingests what it fetches, in one run: each page
/// is saved, has its links followed and is added to the run as it is fetched.
///
/// A page that cannot be fetched or parsed is reported in the summary's `failures` and the
/// rest of the run goes on; the data stored for that page by earlier runs stays as it was
/// (a live run never removes pages it did not reach).
///
/// # Errors
/// A root that is not a URL, the HTTP client, another run holding the ingest lock (as for
/// [`ingest_snapshot`]), a failed write of the saved snapshot, or the database.
pub async fn ingest_live(
    db: &DatabaseConnection,
    options: LiveOptions,
    settings: impl Into<RunSettings>,
) -> Result<RunSummary, IngestError> {
    let RunSettings { progress, on_busy } = settings.into();
    let started_at = Utc::now();
    let stored: HashMap<String, (Validators, String)> = entity::document::Entity::find()
        .select_only()
        .column(entity::document::Column::SourceUrl)
        .column(entity::document::Column::Etag)
        .column(entity::document::Column::LastModified)
        .column(entity::document::Column::Url)
        .filter(entity::document::Column::SourceUrl.is_not_null())
        .into_tuple::<(Option<String>, Option<String>, Option<String>, String)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(source, etag, last_modified, url)| {
            Some((
                source?,
                (
                    Validators {
                        etag,
                        last_modified,
                    },
                    url,
                ),
            ))
        })
        .collect();

    let mut frontier = Frontier::default();
    for root in &options.roots {
        let url = reqwest::Url::parse(root).map_err(|e| IngestError::BadInput {
            url: root.clone(),
            detail: format!("not a URL: {e}"),
        })?;
        frontier.add_root(url);
    }
    let max_pages = options.crawl.max_pages;
    let mut crawler = Crawler::new(options.crawl).map_err(|e| IngestError::Http(e.to_string()))?;
    let bar = bar(progress, frontier.discovered(), "crawling");
    let roots = options.roots.join(" ");
    // The run's transaction stays open while the crawl goes on, as a snapshot run's does while
    // it reads files: each page is stored as it comes, and the run commits once at the end.
    let mut run = store::Run::begin(db, &format!("live: {roots}"), started_at, on_busy).await?;
    let (mut fetched, mut not_modified) = (0usize, 0usize);
    // A redirect costs a request as a page does, so it counts towards the page limit.
    let mut redirects = 0usize;
    let mut failures = Vec::new();
    // Pages found past the limit: one line for all of them, however many a page links to.
    let mut over_limit = 0usize;
    let none = Validators::default();
    while let Some((url, prefix)) = frontier.pop() {
        if fetched + not_modified + redirects + failures.len() >= max_pages {
            over_limit += 1;
            continue;
        }
        let previous = stored.get(url.as_str());
        match crawler.fetch(&url, previous.map_or(&none, |p| &p.0)).await {
            Ok(Fetched::Page { body, validators }) => {
                let raw = RawPage {
                    url: url.to_string(),
                    origin: url.to_string(),
                    body,
                    fetched_at: Utc::now(),
                    etag: validators.etag,
                    last_modified: validators.last_modified,
                };
                match parse(&raw) {
                    Ok(parsed) => {
                        snapshot::save_page(&options.save_to, &parsed.page.url, &raw.body)?;
                        frontier.add_links(&url, &prefix, &parsed.page.links);
                        fetched += 1;
                        run.add(&parsed).await?;
                    }
                    Err(e) => {
                        tracing::error!(page.url = %url, "skipped: {e}");
                        failures.push(format!("{url}: {e}"));
                    }
                }
            }
            Ok(Fetched::NotModified) => {
                not_modified += 1;
                // The saved copy still lists the publication's pages.
                let saved = previous
                    .and_then(|(_, canonical)| snapshot::path_for(&options.save_to, canonical))
                    .and_then(|path| snapshot::read_file(&path).ok());
                match saved.map(|body| parse_page(url.as_str(), &body)) {
                    Some(Ok(page)) => frontier.add_links(&url, &prefix, &page.links),
                    _ => tracing::warn!(
                        page.url = %url,
                        "unchanged, but no saved copy to follow its links from"
                    ),
                }
            }
            // A redirect is a link found on the page: its target is fetched as its own page
            // when the rules for links admit it, and nothing is stored under this address.
            Ok(Fetched::Redirect(target)) => {
                redirects += 1;
                let queued = frontier
                    .add_redirect(&mut crawler, &url, &prefix, &target)
                    .await;
                if let Err(why) = queued {
                    let line =
                        format!("{url}: redirects to {target}, which is not followed: {why}");
                    tracing::error!(page.url = %url, "{line}");
                    failures.push(line);
                }
            }
            Err(e) => {
                tracing::error!(page.url = %url, "skipped: {e}");
                failures.push(format!("{url}: {e}"));
            }
        }
        bar.set_length(frontier.discovered() as u64);
        bar.set_position((fetched + not_modified + failures.len()) as u64);
        bar.set_message(format!(
            "{} discovered, {fetched} fetched, {not_modified} unchanged, {} failed",
            frontier.discovered(),
            failures.len()
        ));
    }
    bar.finish_and_clear();
    if over_limit > 0 {
        let line = over_limit_line(over_limit, max_pages);
        tracing::warn!("{line}");
        failures.push(line);
    }
    let run_options = store::RunOptions {
        remove_unseen: false,
        not_modified,
        failures,
    };
    let summary = run.finish(run_options).await?;
    tracing::info!(
        run.id = summary.run_id,
        fetched,
        unchanged = summary.unchanged,
        failed = summary.failures.len(),
        "crawled {} pages",
        summary.pages_seen
    );
    Ok(summary)
}
