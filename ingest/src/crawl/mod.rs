//! A polite crawler for gov.scot publications.
//!
//! Politeness is the default, not an option: robots.txt is obeyed (`texting_robots`), every
//! request carries an identifying User-Agent, requests to one host are at least
//! [`CrawlConfig::min_interval`] apart (longer when robots.txt asks for a crawl delay or a server
//! answers 429/503 with `Retry-After`), failures worth retrying (408, 429, 5xx, timeouts,
//! refused or reset connections) are retried with exponential backoff and jitter, and every page
//! has a total time limit across its retries. A stored copy's `ETag` / `Last-Modified` make
//! the request conditional, so an unchanged page costs a 304 and no parse.
//!
//! The crawl starts from publication roots and follows each publication's side navigation,
//! staying on the root's host and under its path. Redirects are links too: the client follows
//! none, and a redirect's target is queued, or refused, by the frontier's rules, robots.txt
//! and pacing as any link is. A body is read only up to [`crate::page::MAX_PAGE_BYTES`].
//!
//! - `config`: the default roots and the [`CrawlConfig`];
//! - `fetch`: the [`Crawler`], fetching one page at a time politely;
//! - `robots`: what a host's robots.txt allows;
//! - `frontier`: the pages still to fetch.

mod config;
mod fetch;
mod frontier;
mod robots;

pub use config::{CrawlConfig, DEFAULT_ROOTS};
pub use fetch::{Crawler, FetchError, Fetched, Validators};
pub use frontier::{Frontier, NotFollowed};
