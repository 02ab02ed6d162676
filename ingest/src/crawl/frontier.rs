//! The crawl frontier: which pages are still to fetch, kept to each root's host and path.
//! Every address is taken to its canonical form first ([`crate::address`]), so a page linked
//! under one of gov.scot's old hosts is fetched once, from `https://www.gov.scot`. A redirect
//! is a link like any other: [`Frontier::admit`] decides about both.

use std::collections::{HashSet, VecDeque};
use std::fmt;

use reqwest::Url;

use super::fetch::Crawler;
use crate::address::canonical;

/// The crawl frontier: pages to fetch, each with the root path it must stay under.
#[derive(Default)]
pub struct Frontier {
    queue: VecDeque<(Url, String)>,
    seen: HashSet<String>,
}

/// Why a link, or a redirect's target, is not followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotFollowed {
    /// It does not resolve to an address.
    NotAnAddress(String),
    /// It is on another site (scheme, host or port) than the page it was found on, named
    /// here.
    OtherSite(String),
    /// It is on the site but not under the root's path, named here.
    OutsideRoot(String),
    /// robots.txt disallows it.
    Disallowed,
}

impl fmt::Display for NotFollowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAnAddress(e) => write!(f, "not an address ({e})"),
            Self::OtherSite(site) => write!(f, "it is not on {site}, the site being crawled"),
            Self::OutsideRoot(prefix) => {
                write!(f, "it is outside {prefix}, the root being crawled")
            }
            Self::Disallowed => write!(f, "robots.txt disallows it"),
        }
    }
}

impl Frontier {
    /// Adds a root: it and the pages its navigation links to, under its path.
    pub fn add_root(&mut self, root: Url) {
        let root = canonical(&root);
        let prefix = root.path().to_owned();
        self.push(root, prefix);
    }

    fn push(&mut self, url: Url, prefix: String) {
        let mut key = canonical(&url);
        key.set_fragment(None);
        if self.seen.insert(key.to_string()) {
            self.queue.push_back((key, prefix));
        }
    }

    /// `link`, found on the page `from` of the root with path `prefix`, resolved and at its
    /// canonical address, when it stays on `from`'s site and under `prefix`; else why not.
    ///
    /// # Errors
    /// The [`NotFollowed`] reason.
    pub fn admit(&self, from: &Url, prefix: &str, link: &str) -> Result<Url, NotFollowed> {
        let from = canonical(from);
        let url = from
            .join(link)
            .map_err(|e| NotFollowed::NotAnAddress(e.to_string()))?;
        let url = canonical(&url);
        if url.scheme() != from.scheme()
            || url.host_str() != from.host_str()
            || url.port_or_known_default() != from.port_or_known_default()
        {
            return Err(NotFollowed::OtherSite(from.origin().ascii_serialization()));
        }
        if !url.path().starts_with(prefix) {
            return Err(NotFollowed::OutsideRoot(prefix.to_owned()));
        }
        Ok(url)
    }

    /// Queues the target of a redirect answered for `from`, as a link found on that page: when
    /// [`Frontier::admit`] takes it and robots.txt allows it. It is then fetched, paced, as
    /// its own page; one already queued or fetched is not queued again.
    ///
    /// # Errors
    /// Why the target is not followed.
    pub async fn add_redirect(
        &mut self,
        crawler: &mut Crawler,
        from: &Url,
        prefix: &str,
        target: &Url,
    ) -> Result<(), NotFollowed> {
        let url = self.admit(from, prefix, target.as_str())?;
        // Asked before queuing, so that a refused target is reported once, with the page that
        // redirected to it, and never requested.
        if !crawler.allows(&url).await {
            return Err(NotFollowed::Disallowed);
        }
        self.push(url, prefix.to_owned());
        Ok(())
    }

    /// Adds the links a fetched page's navigation holds, when they stay on its site and under
    /// its root's path.
    pub fn add_links(&mut self, from: &Url, prefix: &str, links: &[String]) {
        for link in links {
            if let Ok(url) = self.admit(from, prefix, link) {
                self.push(url, prefix.to_owned());
            }
        }
    }

    /// The next page to fetch.
    pub fn pop(&mut self) -> Option<(Url, String)> {
        self.queue.pop_front()
    }

    /// Pages discovered so far.
    pub fn discovered(&self) -> usize {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frontier_stays_under_its_root() {
        let mut f = Frontier::default();
        let root = Url::parse("https://www.gov.scot/publications/p/").expect("url");
        f.add_root(root.clone());
        f.add_links(
            &root,
            "/publications/p/",
            &[
                "/publications/p/pages/two/".into(),
                "/publications/p/pages/two/#top".into(),
                "/publications/other/".into(),
                "https://example.org/publications/p/x/".into(),
            ],
        );
        assert_eq!(f.discovered(), 2);
        assert_eq!(f.pop().map(|(u, _)| u.to_string()), Some(root.to_string()));
        assert_eq!(
            f.pop().map(|(u, _)| u.to_string()),
            Some("https://www.gov.scot/publications/p/pages/two/".into())
        );
        assert!(f.pop().is_none());
    }

    #[test]
    fn a_link_off_the_site_or_outside_the_root_is_refused_with_its_reason() {
        let f = Frontier::default();
        let from = Url::parse("http://127.0.0.1:4242/publications/p/pages/1/").expect("url");
        let prefix = "/publications/p/";
        assert_eq!(
            f.admit(&from, prefix, "../2/").map(String::from),
            Ok("http://127.0.0.1:4242/publications/p/pages/2/".to_owned())
        );
        for other in [
            "http://127.0.0.2:4242/publications/p/pages/2/",
            "http://127.0.0.1:4343/publications/p/pages/2/",
            "https://127.0.0.1:4242/publications/p/pages/2/",
        ] {
            assert_eq!(
                f.admit(&from, prefix, other),
                Err(NotFollowed::OtherSite("http://127.0.0.1:4242".to_owned())),
                "{other}"
            );
        }
        assert_eq!(
            f.admit(&from, prefix, "/publications/q/")
                .map_err(|e| e.to_string()),
            Err("it is outside /publications/p/, the root being crawled".to_owned())
        );
        assert!(matches!(
            f.admit(&from, prefix, "http://[::1"),
            Err(NotFollowed::NotAnAddress(_))
        ));
    }

    #[test]
    fn a_page_linked_under_an_old_host_is_fetched_once_from_the_canonical_one() {
        let mut f = Frontier::default();
        f.add_root(Url::parse("http://gov.scot/publications/p/").expect("url"));
        let root = Url::parse("https://www.gov.scot/publications/p/").expect("url");
        f.add_links(
            &root,
            "/publications/p/",
            &[
                "http://www2.gov.scot/publications/p/pages/two/".into(),
                "https://beta.gov.scot/publications/p/pages/two/".into(),
                "/publications/p/pages/two/".into(),
                "http://www.scotland.gov.uk/publications/p/pages/three/".into(),
                "https://www.scotland.gov.uk/publications/other/".into(),
            ],
        );
        let mut popped = Vec::new();
        while let Some((url, prefix)) = f.pop() {
            assert_eq!(prefix, "/publications/p/");
            popped.push(url.to_string());
        }
        assert_eq!(
            popped,
            vec![
                "https://www.gov.scot/publications/p/",
                "https://www.gov.scot/publications/p/pages/two/",
                "https://www.gov.scot/publications/p/pages/three/",
            ]
        );
    }
}
