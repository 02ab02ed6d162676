//! One page, one address. gov.scot has answered under several hosts over the years
//! (`gov.scot`, `www2.gov.scot`, `beta.gov.scot`, the older `www.scotland.gov.uk`, and plain
//! `http://`), and pages saved or linked under any of them are the same documents as at
//! `https://www.gov.scot/`, path for path. Every address a page is named by (its canonical
//! link, its snapshot path, the links the crawler follows) goes through [`canonical_url`], so a
//! page reached by two hosts is one document.

use reqwest::Url;

/// The host every gov.scot page is stored under.
pub const CANONICAL_HOST: &str = "www.gov.scot";

/// Hosts that serve, or once served, the pages of `www.gov.scot` at the same paths.
const GOVSCOT_HOSTS: &[&str] = &[
    "www.gov.scot",
    "gov.scot",
    "www2.gov.scot",
    "beta.gov.scot",
    "www.scotland.gov.uk",
    "scotland.gov.uk",
];

/// `url` at its canonical address: an address on one of gov.scot's hosts, old or new, over
/// `http` or `https`, becomes `https://www.gov.scot` with the same path, query and fragment.
/// Any other address is returned as it is.
pub fn canonical(url: &Url) -> Url {
    if !on_govscot(url) {
        return url.clone();
    }
    let mut out = url.clone();
    // Each step keeps a valid special URL (http to https, a host name, no port), so none can
    // be refused; were one refused, the address would be kept as it came.
    let moved = out.set_scheme("https").is_ok()
        && out.set_host(Some(CANONICAL_HOST)).is_ok()
        && out.set_port(None).is_ok()
        && out.set_username("").is_ok()
        && out.set_password(None).is_ok();
    if moved { out } else { url.clone() }
}

/// True for an `http` or `https` address on one of gov.scot's hosts.
fn on_govscot(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
        && url
            .host_str()
            .is_some_and(|h| GOVSCOT_HOSTS.contains(&h.trim_end_matches('.')))
}

/// [`canonical`] for an address as text. Text that is not an absolute URL, and an address not
/// on gov.scot, come back unchanged, character for character.
pub fn canonical_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(parsed) if on_govscot(&parsed) => canonical(&parsed).into(),
        _ => url.to_owned(),
    }
}

/// The publication a gov.scot address belongs to, at its canonical address with a trailing
/// slash: `…/publications/<slug>/` for the publication itself or any of its pages
/// (`…/publications/<slug>/pages/3/`), without query or fragment. `None` for an address that is
/// not on gov.scot or not under `/publications/<slug>`.
pub fn publication_url(url: &str) -> Option<String> {
    let parsed = Url::parse(url.trim()).ok()?;
    if !on_govscot(&parsed) {
        return None;
    }
    let slug = publication_slug(&parsed)?;
    let mut out = canonical(&parsed);
    out.set_path(&format!("/publications/{slug}/"));
    out.set_query(None);
    out.set_fragment(None);
    Some(out.into())
}

/// The `<slug>` of a `/publications/<slug>/…` path, on any host.
fn publication_slug(url: &Url) -> Option<&str> {
    let mut segments = url.path_segments()?;
    if !segments.next()?.eq_ignore_ascii_case("publications") {
        return None;
    }
    segments.next().filter(|s| !s.is_empty())
}

/// Whether a page read from `fetched` may be named by `claimed`, its canonical link: only when
/// the link is on the same host (gov.scot's old hosts being one, as everywhere here) and in the
/// same publication, `/publications/<slug>/`, or, for a page outside any publication, names
/// the same path. Otherwise any page could file itself under another page's address, on
/// another site or in another publication, and replace what is stored there.
///
/// The host is compared, not the scheme or the port: a snapshot's layout keeps only the host,
/// so that is what a saved copy can be checked against, as a live one is.
///
/// # Errors
/// Why the link is not trusted, in words.
pub fn check_canonical(fetched: &str, claimed: &str) -> Result<(), String> {
    let Ok(from) = Url::parse(fetched.trim()) else {
        return Err(format!("the page's own address, {fetched:?}, is not a URL"));
    };
    let to = Url::parse(claimed.trim()).map_err(|e| format!("not a URL ({e})"))?;
    let (from, to) = (canonical(&from), canonical(&to));
    let host = |u: &Url| u.host_str().map(|h| h.trim_end_matches('.').to_owned());
    if host(&from) != host(&to) {
        return Err(format!(
            "it is on another host than {}, where the page was read",
            host(&from).unwrap_or_default()
        ));
    }
    match (publication_slug(&from), publication_slug(&to)) {
        (Some(a), Some(b)) if a == b => Ok(()),
        (Some(a), _) => Err(format!(
            "it is outside /publications/{a}/, the publication the page was read from"
        )),
        (None, _) if from.path() == to.path() => Ok(()),
        (None, _) => Err(format!(
            "it names another page than {}, where the page was read",
            from.path()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://www.gov.scot/publications/p/pages/two/";

    #[test]
    fn every_govscot_host_names_the_same_page() {
        for old in [
            "https://gov.scot/publications/p/pages/two/",
            "http://www.gov.scot/publications/p/pages/two/",
            "http://www2.gov.scot/publications/p/pages/two/",
            "https://beta.gov.scot/publications/p/pages/two/",
            "http://www.scotland.gov.uk/publications/p/pages/two/",
            "http://WWW.GOV.SCOT:80/publications/p/pages/two/",
            "https://www.gov.scot:443/publications/p/pages/two/",
            "https://gov.scot./publications/p/pages/two/",
        ] {
            assert_eq!(canonical_url(old), PAGE, "{old}");
        }
        assert_eq!(canonical_url(PAGE), PAGE);
    }

    #[test]
    fn the_path_query_and_fragment_are_kept() {
        assert_eq!(
            canonical_url("http://www2.gov.scot/Publications/2018/04/x?page=2#aims"),
            "https://www.gov.scot/Publications/2018/04/x?page=2#aims"
        );
        // Without a trailing slash the path stays without one: only the host is decided here.
        assert_eq!(
            canonical_url("https://gov.scot/publications/p"),
            "https://www.gov.scot/publications/p"
        );
    }

    #[test]
    fn other_addresses_are_left_alone() {
        for other in [
            "http://www.ehealth.nhs.scot/strategies/x/",
            "https://www.gov.scot.example.org/publications/p/",
            "https://notgov.scot/publications/p/",
            "http://127.0.0.1:8080/publications/p/",
            "ftp://gov.scot/publications/p/",
            "fallback",
            "",
        ] {
            assert_eq!(canonical_url(other), other);
        }
    }

    #[test]
    fn a_canonical_link_is_trusted_on_the_same_host_and_in_the_same_publication() {
        for (fetched, claimed) in [
            (PAGE, PAGE),
            (PAGE, "https://www.gov.scot/publications/p/"),
            (PAGE, "http://beta.gov.scot/publications/p/pages/3/"),
            ("https://www2.gov.scot/publications/p/", PAGE),
            (
                "https://127.0.0.1/publications/p/pages/two/",
                "http://127.0.0.1:4242/publications/p/",
            ),
            (
                "https://www.ehealth.nhs.scot/strategies/x/",
                "http://www.ehealth.nhs.scot/strategies/x/",
            ),
        ] {
            assert_eq!(
                check_canonical(fetched, claimed),
                Ok(()),
                "{fetched} {claimed}"
            );
        }
        let refused = |fetched, claimed| check_canonical(fetched, claimed).err();
        assert_eq!(
            refused(PAGE, "https://www.gov.scot/publications/q/pages/two/").as_deref(),
            Some("it is outside /publications/p/, the publication the page was read from")
        );
        assert_eq!(
            refused(PAGE, "https://www.gov.scot/news/p/").as_deref(),
            Some("it is outside /publications/p/, the publication the page was read from")
        );
        assert_eq!(
            refused(PAGE, "https://www.gov.scot.example.org/publications/p/").as_deref(),
            Some("it is on another host than www.gov.scot, where the page was read")
        );
        assert_eq!(
            refused(
                "http://127.0.0.1:4242/publications/p/",
                "https://www.gov.scot/publications/p/"
            )
            .as_deref(),
            Some("it is on another host than 127.0.0.1, where the page was read")
        );
        assert_eq!(
            refused(
                "https://www.ehealth.nhs.scot/strategies/x/",
                "https://www.ehealth.nhs.scot/strategies/y/"
            )
            .as_deref(),
            Some("it names another page than /strategies/x/, where the page was read")
        );
        assert!(refused("fallback", PAGE).is_some());
    }

    #[test]
    fn a_publication_is_named_by_any_of_its_addresses() {
        let p = "https://www.gov.scot/publications/p/";
        for url in [
            "https://www.gov.scot/publications/p/",
            "https://www.gov.scot/publications/p",
            "http://beta.gov.scot/publications/p/pages/3/",
            "https://gov.scot/publications/p/pages/two/?x=1#top",
        ] {
            assert_eq!(publication_url(url).as_deref(), Some(p), "{url}");
        }
        for other in [
            "https://www.gov.scot/news/p/",
            "https://www.gov.scot/publications/",
            "https://example.org/publications/p/",
            "publications/p/",
        ] {
            assert_eq!(publication_url(other), None, "{other}");
        }
    }
}
