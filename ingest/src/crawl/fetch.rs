//! Fetching a page politely: one HTTP client, each host's pacing, robots.txt, conditional
//! requests, retries with backoff and jitter, and a time limit per page.
//!
//! A body is read chunk by chunk and given up on as soon as it passes [`MAX_PAGE_BYTES`], so
//! a server that streams without end costs the limit, not the stream. Redirects are not
//! followed here: a 3xx is handed back as [`Fetched::Redirect`], for the caller to treat as a
//! link found on the page, under the same rules as any other.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::time::Duration;

use reqwest::header::{
    ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LOCATION, RETRY_AFTER,
    USER_AGENT,
};
use reqwest::{StatusCode, Url};
use tokio::time::{Instant, sleep_until};

use super::config::CrawlConfig;
use super::robots::Robots;
use crate::page::MAX_PAGE_BYTES;

/// The validators of a stored copy, for a conditional request.
#[derive(Clone, Debug, Default)]
pub struct Validators {
    /// The stored `ETag`.
    pub etag: Option<String>,
    /// The stored `Last-Modified`.
    pub last_modified: Option<String>,
}

/// What a fetch got.
#[derive(Debug)]
pub enum Fetched {
    /// A page body.
    Page {
        /// The body.
        body: Vec<u8>,
        /// Its validators.
        validators: Validators,
    },
    /// 304: the stored copy is current.
    NotModified,
    /// A 3xx with a `Location`, resolved against the address asked for. Nothing was read
    /// from the target.
    Redirect(Url),
}

/// Why a page was not fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// robots.txt disallows it.
    Disallowed,
    /// The server answered with an error status that retrying will not fix.
    Status(u16),
    /// Retries were used up; the last failure.
    GaveUp(String),
    /// The page's time limit ran out.
    TimedOut(Duration),
    /// The body was over [`MAX_PAGE_BYTES`].
    TooLarge,
    /// A 3xx without a `Location` that resolves to an address.
    BadRedirect {
        /// The status.
        status: u16,
        /// The `Location` as sent, if any.
        location: Option<String>,
    },
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Disallowed => write!(f, "disallowed by robots.txt"),
            Self::Status(s) => write!(f, "HTTP {s}"),
            Self::GaveUp(last) => write!(f, "gave up after retries: {last}"),
            Self::TimedOut(limit) => write!(f, "timed out (page time limit {limit:?})"),
            Self::TooLarge => write!(f, "body over {MAX_PAGE_BYTES} bytes"),
            Self::BadRedirect {
                status,
                location: Some(location),
            } => write!(f, "HTTP {status} redirects to {location:?}, not an address"),
            Self::BadRedirect {
                status,
                location: None,
            } => write!(f, "HTTP {status} without a Location"),
        }
    }
}

struct Host {
    next_request: Instant,
    robots: Option<Robots>,
    interval: Duration,
}

/// A crawler: one HTTP client, and what it knows of each host.
pub struct Crawler {
    client: reqwest::Client,
    config: CrawlConfig,
    hosts: HashMap<String, Host>,
}

/// A random fraction in [0, 1), for jitter: the standard library's randomly keyed hasher is
/// random enough to spread retries, with no crate for it.
fn jitter() -> f64 {
    let bits = RandomState::new().build_hasher().finish() >> 11;
    #[expect(
        clippy::cast_precision_loss,
        reason = "53 random bits fit an f64 exactly"
    )]
    let fraction = bits as f64 / (1u64 << 53) as f64;
    fraction
}

fn host_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let secs = (when.timestamp() - chrono::Utc::now().timestamp()).max(0);
    Some(Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}

/// How many redirects a robots.txt may take, on its own host (RFC 9309 §2.3.1.2: at least
/// five).
const MAX_ROBOTS_REDIRECTS: usize = 5;

/// Why a body was not read whole.
enum BodyError {
    /// More than [`MAX_PAGE_BYTES`] arrived.
    TooLarge,
    /// The connection failed or timed out.
    Read(reqwest::Error),
}

/// Reads a body chunk by chunk, and stops as soon as more than [`MAX_PAGE_BYTES`] have
/// arrived, whatever the `Content-Length` said (or whether there was one): memory holds at
/// most the limit, never the rest of what the server would send. Dropping the response on
/// the way out closes the connection.
async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, BodyError> {
    // Room for the whole limit (or the announced length) is reserved once: memory is only
    // taken as it is written, and a buffer that grew by doubling instead would leave its
    // earlier copies with the allocator, which keeps them a while (measured: 40 MiB resident
    // to read 8 MiB that way, against 16 MiB reserved once).
    let room = response
        .content_length()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(MAX_PAGE_BYTES)
        .min(MAX_PAGE_BYTES);
    let mut body = Vec::with_capacity(room);
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        if body.len() + chunk.len() > MAX_PAGE_BYTES {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    body.shrink_to_fit();
    Ok(body)
}

fn is_retryable(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

impl Crawler {
    /// A crawler with its own HTTP client.
    ///
    /// # Errors
    /// The TLS backend could not be set up.
    pub fn new(config: CrawlConfig) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(Duration::from_secs(10))
            // A redirect followed by the client would skip the frontier's host and path
            // rules, robots.txt and pacing; it comes back as `Fetched::Redirect` instead.
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            client,
            config,
            hosts: HashMap::new(),
        })
    }

    /// Waits for this host's turn, and books the next one.
    async fn wait_turn(&mut self, url: &Url) {
        let min = self.config.min_interval;
        let host = self.hosts.entry(host_key(url)).or_insert_with(|| Host {
            next_request: Instant::now(),
            robots: None,
            interval: min,
        });
        sleep_until(host.next_request).await;
        host.next_request = Instant::now() + host.interval;
    }

    fn delay_host(&mut self, url: &Url, wait: Duration) {
        if let Some(host) = self.hosts.get_mut(&host_key(url)) {
            host.next_request = host.next_request.max(Instant::now() + wait);
        }
    }

    /// True when robots.txt lets this crawler fetch `url`; the host's robots.txt is fetched
    /// the first time one of its pages is asked about.
    pub async fn allows(&mut self, url: &Url) -> bool {
        let key = host_key(url);
        let known = self.hosts.get(&key).is_some_and(|h| h.robots.is_some());
        if !known {
            let robots = self.fetch_robots(url).await;
            if let Some(host) = self.hosts.get_mut(&key) {
                // A crawl delay longer than ours wins.
                if let Some(asked) = robots.crawl_delay() {
                    host.interval = host.interval.max(asked);
                }
                host.robots = Some(robots);
            }
        }
        self.hosts
            .get(&key)
            .and_then(|h| h.robots.as_ref())
            .is_some_and(|r| r.allows(url))
    }

    /// robots.txt, fetched with the same retries as a page: a passing fault does not close a
    /// host. 4xx means no rules; anything else that fails means no crawling (RFC 9309 §2.3.1).
    ///
    /// A redirect is followed up to [`MAX_ROBOTS_REDIRECTS`] times while it stays on the
    /// host; one to another host, or one too many, leaves the rules unknown, so nothing is
    /// crawled.
    async fn fetch_robots(&mut self, url: &Url) -> Robots {
        let Ok(robots_url) = url.join("/robots.txt") else {
            return Robots::DisallowAll;
        };
        let mut asked = robots_url.clone();
        for _ in 0..=MAX_ROBOTS_REDIRECTS {
            match self.get(&asked, &Validators::default()).await {
                Ok(Fetched::Page { body, .. }) => {
                    return Robots::from_body(&self.config.user_agent, &body);
                }
                Err(FetchError::Status(status)) if (400..500).contains(&status) => {
                    return Robots::AllowAll;
                }
                Ok(Fetched::NotModified) => return Robots::AllowAll,
                Ok(Fetched::Redirect(target)) if target.host_str() == url.host_str() => {
                    asked = target;
                }
                Ok(Fetched::Redirect(target)) => {
                    tracing::warn!(url = %robots_url, "robots.txt redirects to {target}, on another host, which is not followed; not crawling this host");
                    return Robots::DisallowAll;
                }
                Err(e) => {
                    tracing::warn!(url = %robots_url, "robots.txt unavailable ({e}); not crawling this host");
                    return Robots::DisallowAll;
                }
            }
        }
        tracing::warn!(url = %robots_url, "robots.txt redirects more than {MAX_ROBOTS_REDIRECTS} times; not crawling this host");
        Robots::DisallowAll
    }

    /// Fetches `url` if robots.txt allows it: its body, a 304, or the address it redirects
    /// to (not fetched).
    ///
    /// # Errors
    /// A [`FetchError`] saying why the page could not be had.
    pub async fn fetch(&mut self, url: &Url, stored: &Validators) -> Result<Fetched, FetchError> {
        if !self.allows(url).await {
            return Err(FetchError::Disallowed);
        }
        self.get(url, stored).await
    }

    /// One GET, with the host's pacing, retries, backoff and the page time limit.
    async fn get(&mut self, url: &Url, stored: &Validators) -> Result<Fetched, FetchError> {
        let limit = self.config.page_timeout;
        let deadline = Instant::now() + limit;
        let mut last_failure = String::new();
        for attempt in 0..=self.config.max_retries {
            self.wait_turn(url).await;
            let now = Instant::now();
            if now >= deadline {
                return Err(FetchError::TimedOut(limit));
            }
            let mut request = self.client.get(url.clone()).timeout(deadline - now);
            if let Some(etag) = &stored.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &stored.last_modified {
                request = request.header(IF_MODIFIED_SINCE, lm);
            }
            let retry_wait = match request
                .header(USER_AGENT, &self.config.user_agent)
                .send()
                .await
            {
                Ok(response) => {
                    let status = response.status();
                    if status == StatusCode::NOT_MODIFIED {
                        return Ok(Fetched::NotModified);
                    }
                    if status.is_redirection() {
                        let location = response
                            .headers()
                            .get(LOCATION)
                            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned());
                        return match location.as_deref().map(|l| url.join(l)) {
                            Some(Ok(target)) => Ok(Fetched::Redirect(target)),
                            _ => Err(FetchError::BadRedirect {
                                status: status.as_u16(),
                                location,
                            }),
                        };
                    }
                    if status.is_success() {
                        let header = |name| {
                            response
                                .headers()
                                .get(name)
                                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                                .map(str::to_owned)
                        };
                        let validators = Validators {
                            etag: header(ETAG),
                            last_modified: header(LAST_MODIFIED),
                        };
                        // A body announced over the limit is refused before any of it is
                        // read; one that turns out over it is cut off in `read_body`.
                        if response
                            .content_length()
                            .is_some_and(|n| n > MAX_PAGE_BYTES as u64)
                        {
                            return Err(FetchError::TooLarge);
                        }
                        match read_body(response).await {
                            Ok(body) => return Ok(Fetched::Page { body, validators }),
                            Err(BodyError::TooLarge) => return Err(FetchError::TooLarge),
                            Err(BodyError::Read(e)) if e.is_timeout() => {
                                return Err(FetchError::TimedOut(limit));
                            }
                            Err(BodyError::Read(e)) => {
                                last_failure = format!("reading the body: {e}");
                                None
                            }
                        }
                    } else if is_retryable(status) {
                        last_failure = format!("HTTP {}", status.as_u16());
                        retry_after(response.headers())
                    } else {
                        return Err(FetchError::Status(status.as_u16()));
                    }
                }
                Err(e) if e.is_timeout() => return Err(FetchError::TimedOut(limit)),
                Err(e) => {
                    last_failure = format!("{e}");
                    None
                }
            };
            if attempt == self.config.max_retries {
                break;
            }
            let wait = match retry_wait {
                Some(asked) if asked > self.config.max_retry_after => {
                    return Err(FetchError::GaveUp(format!(
                        "{last_failure}, Retry-After {asked:?} over the {:?} limit",
                        self.config.max_retry_after
                    )));
                }
                Some(asked) => asked,
                None => {
                    let base = self.config.backoff * 2u32.saturating_pow(attempt);
                    base.mul_f64(1.0 + jitter())
                }
            };
            if Instant::now() + wait >= deadline {
                return Err(FetchError::TimedOut(limit));
            }
            tracing::info!(page.url = %url, attempt, wait_ms = wait.as_millis(), "retrying after {last_failure}");
            // The wait is booked on the host, so the next attempt (and any other page of the
            // host) waits it out in `wait_turn`.
            self.delay_host(url, wait);
        }
        Err(FetchError::GaveUp(last_failure))
    }

    /// The configuration in force.
    pub fn config(&self) -> &CrawlConfig {
        &self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_is_a_fraction() {
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j));
        }
    }

    #[test]
    fn retry_after_reads_seconds() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, reqwest::header::HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
    }
}
