//! Where a fact sits: its page's URL, and the fragment of the heading it stands under.

/// The link to a fact: its page's URL, with `#anchor` when it has a (non-empty) anchor.
pub fn url(page: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) if !a.is_empty() => format!("{page}#{a}"),
        _ => page.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_is_a_fragment_and_an_empty_one_is_none() {
        let page = "https://www.gov.scot/publications/p/";
        assert_eq!(
            url(page, Some("aims")),
            "https://www.gov.scot/publications/p/#aims"
        );
        assert_eq!(url(page, Some("")), page);
        assert_eq!(url(page, None), page);
    }
}
