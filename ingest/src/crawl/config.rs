//! What the crawl is pointed at, and how politely it goes.

use std::time::Duration;

/// The publications crawled when no roots are given: those of the bundled snapshot. All are
/// `https://`, so no page of a default crawl travels in the clear, where it could be altered
/// on the way.
pub const DEFAULT_ROOTS: &[&str] = &[
    "https://www.gov.scot/publications/open-government-action-plan-2021-to-2025-commitment-2-health-and-social-care/",
    "https://www.gov.scot/publications/scotlands-digital-health-care-strategy-enabling-connecting-empowering/",
    "https://www.gov.scot/publications/scotlands-digital-health-care-strategy/",
    "https://www.gov.scot/publications/care-digital-age-delivery-plan-2023-24/",
    "https://www.ehealth.nhs.scot/strategies/the-person-centred-ehealth-strategy-and-delivery-plan-stage-one/",
];

/// How the crawler behaves.
#[derive(Clone, Debug)]
pub struct CrawlConfig {
    /// Sent with every request, so site owners can tell who is calling.
    pub user_agent: String,
    /// The least time between two requests to one host.
    pub min_interval: Duration,
    /// Retries after the first attempt, for failures worth retrying.
    pub max_retries: u32,
    /// The first backoff; each retry doubles it, plus up to as much again in jitter.
    pub backoff: Duration,
    /// A page's total time, across all its attempts and waits.
    pub page_timeout: Duration,
    /// The longest `Retry-After` honoured; a server asking for more fails the page.
    pub max_retry_after: Duration,
    /// The most pages one run fetches.
    pub max_pages: usize,
}

impl Default for CrawlConfig {
    fn default() -> Self {
        Self {
            user_agent: format!(
                "caregraph/{} (+https://github.com/caregraph/caregraph; open data research crawler)",
                env!("CARGO_PKG_VERSION")
            ),
            min_interval: Duration::from_secs(1),
            max_retries: 3,
            backoff: Duration::from_millis(500),
            page_timeout: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(120),
            max_pages: 500,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_root_is_https() {
        for root in DEFAULT_ROOTS {
            let url = reqwest::Url::parse(root).expect("a default root is a URL");
            assert_eq!(url.scheme(), "https", "{root}");
        }
    }
}
