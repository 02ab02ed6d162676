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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::strategy::commitments::tests::{HARBOUR, LINKING, fixture};

    const REFRESHED: &str = "https://www.gov.scot/publications/harbour-digital-care-strategy/";

    #[test]
    fn a_refreshed_strategy_named_in_the_summary_supersedes_the_page_s() {
        let linked = fixture("strategy2018", LINKING, 6);
        assert_eq!(
            linked.summary.as_deref(),
            Some(
                "A refreshed strategy is available at https://www.gov.scot/publications/harbour-digital-care-strategy/ (November 2021)."
            )
        );
        assert_eq!(linked.summary_links, vec![REFRESHED]);
        assert_eq!(superseded_by(&linked).as_deref(), Some(REFRESHED));
        assert_eq!(
            superseded_by(&fixture("strategy2018", LINKING, 7)).as_deref(),
            Some(REFRESHED)
        );
        // Page 9 prints the address on an old host, without a link or a trailing slash.
        let printed = fixture("strategy2018", LINKING, 9);
        assert_eq!(printed.summary_links, vec![REFRESHED]);
        assert_eq!(superseded_by(&printed).as_deref(), Some(REFRESHED));
        // The refreshed strategy's own summary names nothing.
        assert_eq!(superseded_by(&fixture("strategy2021", HARBOUR, 4)), None);
    }

    #[test]
    fn the_summary_must_say_the_strategy_was_replaced() {
        let mut page = fixture("strategy2018", LINKING, 6);
        for (summary, expected) in [
            (
                "This strategy has been replaced by the newer one.",
                Some(REFRESHED),
            ),
            ("It was superseded by a later plan.", Some(REFRESHED)),
            ("An updated version is available.", Some(REFRESHED)),
            (
                "A refreshed strategy is available at (November 2021).",
                Some(REFRESHED),
            ),
            ("Read the island strategy alongside this one.", None),
            ("A strategy for the islands, published in 2018.", None),
        ] {
            page.summary = Some(summary.to_owned());
            assert_eq!(superseded_by(&page).as_deref(), expected, "{summary}");
        }
        // Words without an address name nothing (the link swallowed from the summary).
        page.summary = Some("A refreshed strategy is available at (November 2021).".to_owned());
        page.summary_links.clear();
        assert_eq!(superseded_by(&page), None);
        // A summary naming only its own publication names no successor.
        page.summary_links = vec![page.publication_url.clone()];
        assert_eq!(superseded_by(&page), None);
    }
}
