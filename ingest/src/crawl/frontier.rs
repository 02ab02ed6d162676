//! The crawl frontier: which pages are still to fetch, kept to each root's host and path.
//! Every address is taken to its canonical form first ([`crate::address`]), so a page linked
//! under one of gov.scot's old hosts is fetched once, from `https://www.gov.scot`.

use std::collections::{HashSet, VecDeque};

use reqwest::Url;

use crate::address::canonical;

/// The crawl frontier: pages to fetch, each with the root path it must stay under.
#[derive(Default)]
pub struct Frontier {
    queue: VecDeque<(Url, String)>,
    seen: HashSet<String>,
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

    /// Adds the links a fetched page's navigation holds, when they stay on its host and under
    /// its root's path.
    pub fn add_links(&mut self, from: &Url, prefix: &str, links: &[String]) {
        let from = canonical(from);
        for link in links {
            let Ok(url) = from.join(link) else { continue };
            let url = canonical(&url);
            if url.host_str() == from.host_str()
                && url.port_or_known_default() == from.port_or_known_default()
                && url.path().starts_with(prefix)
            {
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
