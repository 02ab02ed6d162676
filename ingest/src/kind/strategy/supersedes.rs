//! Which publication replaced a strategy: its summary says so ("A refreshed strategy is
//! available at …", "This strategy has been replaced by …", "superseded by …", "An updated
//! version is available …") and names the newer publication, by a link or by its address
//! printed in the text.

use std::sync::LazyLock;

use regex::Regex;

use crate::address::publication_url;
use crate::date::re;
use crate::page::Page;

/// Words saying a document gave way to a newer one.
static REPLACED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:refreshed|revised|updated|new(?:er)?|replacement)\s+(?:version|edition|strategy|plan|document|publication)\b|\b(?:replaced|superseded)\s+by\b|\bhas\s+been\s+(?:refreshed|revised|updated|replaced|superseded)\b",
    )
});

/// The publication (canonical, trailing slash) that the page's summary says replaced this
/// one; `None` when the summary says no such thing or names no other publication.
pub fn superseded_by(page: &Page) -> Option<String> {
    let summary = page.summary.as_deref()?;
    if !REPLACED.is_match(summary) {
        return None;
    }
    let own = publication_url(&page.publication_url);
    page.summary_links
        .iter()
        .find(|link| Some(*link) != own.as_ref())
        .cloned()
}
