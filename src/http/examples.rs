//! The README's example queries, read from the README itself when the binary is built, so the
//! front page's links and GraphiQL's opening query are always the ones the README shows.

use std::sync::LazyLock;

/// One example: its title as the README prints it in bold, and its query.
#[derive(Debug)]
pub struct Example {
    /// The bold lead-in, e.g. "A developer's linked query".
    pub title: &'static str,
    /// The query, as the README prints it.
    pub query: &'static str,
}

/// The README, as built into the binary.
const README: &str = include_str!("../../README.md");

/// The examples of the README's "Example queries" section, in its order: each ```` ```graphql ````
/// block, under the title of the bold lead-in (`**A developer's linked query**: ...`) before it.
pub static EXAMPLES: LazyLock<Vec<Example>> = LazyLock::new(|| examples(README));

/// The README's first example: what GraphiQL opens on.
pub fn first_query() -> &'static str {
    EXAMPLES.first().map_or("{ __typename }", |e| e.query)
}

fn examples(readme: &'static str) -> Vec<Example> {
    let section = readme
        .split_once("\n## Example queries\n")
        .map_or("", |(_, rest)| rest);
    let section = section.split_once("\n## ").map_or(section, |(s, _)| s);
    let mut found = Vec::new();
    let mut title = "";
    let mut rest = section;
    while let Some((before, after)) = rest.split_once("```graphql\n") {
        if let Some(bold) = before
            .rsplit_once("\n**")
            .and_then(|(_, b)| b.split_once("**"))
        {
            title = bold.0;
        }
        let Some((query, tail)) = after.split_once("\n```") else {
            break;
        };
        found.push(Example { title, query });
        rest = tail;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_s_examples_are_read_with_their_titles() {
        assert!(EXAMPLES.len() >= 3, "{EXAMPLES:?}");
        assert_eq!(EXAMPLES[0].title, "A developer's linked query");
        assert!(
            first_query().starts_with("{\n  commitments {"),
            "{}",
            first_query()
        );
        assert!(EXAMPLES[1].query.contains("timeline(from: \"2022-03-01\""));
        for e in EXAMPLES.iter() {
            assert!(
                !e.title.is_empty() && e.query.trim_start().starts_with('{'),
                "{e:?}"
            );
            assert!(!e.query.contains("```"), "{e:?}");
        }
    }
}
