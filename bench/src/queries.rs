//! The GraphQL requests the bench sends to caregraph: the representative queries and a
//! researcher's search.

/// A researcher's search: the best ten passages for `words`, with snippets, their pages'
/// titles and how many passages match.
pub fn search_body(words: &str) -> String {
    format!(
        r#"{{"query":"query($q: String!) {{ search(query: $q, first: 10) {{ totalCount nodes {{ snippet score passage {{ document {{ title }} }} }} }} }}","variables":{{"q":"{words}"}}}}"#
    )
}

/// The deep linked query with a page size of its own per request ([`VARIED_FIRST`]): no two
/// requests at the same time send the same statements, so none can share them.
///
/// [`VARIED_FIRST`]: crate::load::VARIED_FIRST
const DEEP_VARIED: &str = r#"{"query":"{ commitments(first: @FIRST@) { nodes { number milestones(first: 10) { nodes { title startDate progressUpdates { reportTitle text source { url } } } } organisations { name } } } }"}"#;

/// The representative queries (the deep one twice: pages shared and pages varied).
pub fn queries(node_id: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "deep linked query",
            r#"{"query":"{ commitments(first: 20) { nodes { number milestones(first: 10) { nodes { title startDate progressUpdates { reportTitle text source { url } } } } organisations { name } } } }"}"#.to_owned(),
        ),
        (
            "deep linked query, pages varied",
            DEEP_VARIED.to_owned(),
        ),
        (
            "timeline",
            r#"{"query":"{ timeline(from: \"2021-01-01\", to: \"2022-12-31\") { date endDate kind title } }"}"#.to_owned(),
        ),
        (
            "events feed, first 100",
            r#"{"query":"{ events(first: 100, filter: {from: \"2021-01-01\", to: \"2022-12-31\"}) { totalCount nodes { date endDate kind title status } } }"}"#.to_owned(),
        ),
        (
            "change feed, first 100",
            r#"{"query":"{ changes(first: 100) { totalCount nodes { action subjectType subjectId label fields { field before after } } } }"}"#.to_owned(),
        ),
        (
            "what slipped (endDate changes)",
            r#"{"query":"{ changes(first: 100, filter: {field: \"endDate\", action: CHANGED}) { totalCount nodes { label subjectId fields { field before after } } } }"}"#.to_owned(),
        ),
        ("search", search_body("civil society group")),
        (
            "node lookup",
            format!(
                r#"{{"query":"query($id: ID!) {{ node(id: $id) {{ id ... on Commitment {{ title periodStart }} }} }}","variables":{{"id":"{node_id}"}}}}"#
            ),
        ),
    ]
}
