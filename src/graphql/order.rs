//! Response fields in the order the query asked for them (the GraphQL specification's
//! "Serialized Map Ordering"), at the root and in every nested selection.
//!
//! async-graphql 7.2.1 gathers a selection set's fields as they finish (a `FuturesUnordered`,
//! since async-graphql PR #1746), so the same request can give differently ordered bytes; the
//! fix (PR #1806, which reverts #1746) is released only in 8.0's pre-releases, and 7.2.1 is the
//! latest 7.x. Until then, every answer's `data` is put back into the order asked here, once,
//! where the executor produces answers.
//!
//! The order of a selection set is that of its response keys (aliases, else field names) as
//! they first appear, with inline fragments and fragment spreads read in place. A key that
//! first appears in a fragment on another type than the object's is placed there too: the
//! value carries no type to tell, and such documents are rare.

use async_graphql::Value;
use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// How deep fragments may spread one another here (validation refuses cycles; this only bounds
/// the walk).
const MAX_SPREAD_DEPTH: usize = 32;

/// Puts `data`, the answer to the operation `operation_name` of `doc`, into the order asked.
pub fn as_asked(doc: &ExecutableDocument, operation_name: Option<&str>, data: &mut Value) {
    let operation = doc
        .operations
        .iter()
        .find(|(name, _)| match operation_name {
            Some(wanted) => name.is_some_and(|n| n.as_str() == wanted),
            None => true,
        });
    if let Some((_, op)) = operation {
        reorder(doc, &[&op.node.selection_set.node], data);
    }
}

/// Reorders `value`, the answer to the selection sets `sets` (those of every field of one
/// response key), and everything under it.
fn reorder(doc: &ExecutableDocument, sets: &[&SelectionSet], value: &mut Value) {
    match value {
        Value::List(items) => {
            for item in items {
                reorder(doc, sets, item);
            }
        }
        Value::Object(map) => {
            let mut keys: IndexMap<&str, Vec<&SelectionSet>> = IndexMap::new();
            for set in sets {
                collect(doc, set, &mut keys, 0);
            }
            let mut old = std::mem::take(map);
            for (key, child) in &keys {
                if let Some((name, mut v)) = old.shift_remove_entry(*key) {
                    reorder(doc, child, &mut v);
                    map.insert(name, v);
                }
            }
            // Nothing should be left; whatever is keeps its place after the rest.
            map.extend(old);
        }
        _ => {}
    }
}

/// Adds the response keys of `set`, in order, each with the selection set of its field.
fn collect<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    keys: &mut IndexMap<&'a str, Vec<&'a SelectionSet>>,
    depth: usize,
) {
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                let f = &f.node;
                keys.entry(f.response_key().node.as_str())
                    .or_default()
                    .push(&f.selection_set.node);
            }
            Selection::InlineFragment(i) => collect(doc, &i.node.selection_set.node, keys, depth),
            Selection::FragmentSpread(s) if depth < MAX_SPREAD_DEPTH => {
                if let Some(fragment) = doc.fragments.get(&s.node.fragment_name.node) {
                    collect(doc, &fragment.node.selection_set.node, keys, depth + 1);
                }
            }
            Selection::FragmentSpread(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_follow_the_selection_through_aliases_and_fragments() {
        let doc = async_graphql::parser::parse_query(
            "query Q { b: x { ...F } a: y { __typename } } fragment F on T { z ... on T { w } v }",
        )
        .expect("parses");
        let json = r#"{"a":{"__typename":"T"},"b":[{"v":1,"w":2,"z":3}]}"#;
        let mut data = Value::from_json(serde_json::from_str(json).expect("JSON")).expect("value");
        as_asked(&doc, Some("Q"), &mut data);
        assert_eq!(
            // Serialized as the server does (serde_json's own maps would sort the keys).
            serde_json::to_string(&data).expect("JSON"),
            r#"{"b":[{"z":3,"w":2,"v":1}],"a":{"__typename":"T"}}"#
        );
    }
}
