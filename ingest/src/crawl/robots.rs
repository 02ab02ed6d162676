//! What a host's robots.txt allows this crawler, per RFC 9309 (read by `texting_robots`).

use std::time::Duration;

use reqwest::Url;
use texting_robots::Robot;

/// The most of a robots.txt that is read: RFC 9309 §2.5 asks crawlers to read at least 500 KiB.
const MAX_ROBOTS_BYTES: usize = 500 * 1024;

/// A host's answer about crawling it.
pub enum Robots {
    /// No robots.txt (4xx): everything allowed.
    AllowAll,
    /// The server could not say (5xx, unreachable): nothing allowed, per RFC 9309 §2.3.1.4.
    DisallowAll,
    /// The rules.
    Rules(Robot),
}

impl Robots {
    /// The rules a robots.txt body gives `user_agent`; a file that cannot be read as rules
    /// allows everything, as a missing one does.
    pub fn from_body(user_agent: &str, body: &[u8]) -> Self {
        Robot::new(user_agent, &body[..body.len().min(MAX_ROBOTS_BYTES)])
            .map_or(Self::AllowAll, Self::Rules)
    }

    /// The crawl delay the rules ask for, capped at an hour.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Self::Rules(r) => r
                .delay
                .map(|delay| Duration::from_secs_f32(delay.clamp(0.0, 3600.0))),
            Self::AllowAll | Self::DisallowAll => None,
        }
    }

    /// True when `url` may be fetched.
    pub fn allows(&self, url: &Url) -> bool {
        match self {
            Self::AllowAll => true,
            Self::Rules(r) => r.allowed(url.as_str()),
            Self::DisallowAll => false,
        }
    }
}
