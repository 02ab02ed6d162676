//! Query limits: depth and cost, checked after validation, each with its own error code.
//!
//! Cost follows GitHub's node-count model: a connection costs `first` times what one of its
//! nodes costs (see the `complexity` attributes on connection fields), so `first: 100` three
//! levels deep costs a million. Aliases are separate fields and fragments are inlined before
//! counting, so neither gets around a limit. Introspection documents (only `__schema` /
//! `__type` at the root) get a deeper allowance, so GraphiQL's introspection query, whose type
//! references nest many levels, keeps working.
//!
//! Before either, and before async-graphql validates anything, a document's size once its
//! fragments are spread is counted without spreading them ([`selections`]): fragments that
//! spread each other twice over double at each level, so a 1 KB document can stand for 2^24
//! selections, which validation would expand whole.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, ValidationResult, Variables};

/// How deep an introspection document may nest: enough for any GraphiQL version's `TypeRef`.
pub const INTROSPECTION_MAX_DEPTH: usize = 32;

/// The most selections a document may make once its fragments are spread: far above any real
/// query (GraphiQL's introspection query makes a few hundred), far below what hurts.
pub const MAX_SELECTIONS: u64 = 10_000;

/// How deep fragments may spread one another.
const MAX_SPREAD_DEPTH: usize = 32;

/// How many fields a document selects once every fragment is spread where it is used, counted
/// once per fragment (so in time linear in the document); `u64::MAX` past [`MAX_SPREAD_DEPTH`]
/// spreads. A fragment spreading itself counts nothing more: validation rejects it.
pub fn selections(doc: &ExecutableDocument) -> u64 {
    let mut sizes = HashMap::new();
    doc.operations.iter().fold(0u64, |total, (_, op)| {
        total.saturating_add(size_of(
            &op.node.selection_set.node,
            doc,
            &mut sizes,
            &mut Vec::new(),
        ))
    })
}

fn size_of<'a>(
    set: &'a SelectionSet,
    doc: &'a ExecutableDocument,
    sizes: &mut HashMap<&'a str, u64>,
    open: &mut Vec<&'a str>,
) -> u64 {
    set.items.iter().fold(0u64, |n, item| {
        let add = match &item.node {
            Selection::Field(f) => {
                1u64.saturating_add(size_of(&f.node.selection_set.node, doc, sizes, open))
            }
            Selection::InlineFragment(i) => size_of(&i.node.selection_set.node, doc, sizes, open),
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                match (sizes.get(name.as_str()), doc.fragments.get(name)) {
                    (Some(&known), _) => known,
                    (None, Some(_)) if open.contains(&name.as_str()) => 0,
                    (None, Some(_)) if open.len() >= MAX_SPREAD_DEPTH => u64::MAX,
                    (None, Some(fragment)) => {
                        open.push(name.as_str());
                        let k = size_of(&fragment.node.selection_set.node, doc, sizes, open);
                        open.pop();
                        sizes.insert(name.as_str(), k);
                        k
                    }
                    (None, None) => 0,
                }
            }
        };
        n.saturating_add(add)
    })
}

/// The error for a document over [`MAX_SELECTIONS`], if it is.
pub fn too_large(doc: &ExecutableDocument) -> Option<ServerError> {
    let n = selections(doc);
    (n > MAX_SELECTIONS).then(|| {
        let counted = if n == u64::MAX {
            format!("fragments spread more than {MAX_SPREAD_DEPTH} deep")
        } else {
            format!("{n} selections once its fragments are spread")
        };
        error(
            "QUERY_TOO_COMPLEX",
            format!("query makes {counted}; the limit is {MAX_SELECTIONS} selections"),
        )
    })
}

/// The limits in force.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest field nesting allowed.
    pub max_depth: usize,
    /// Highest cost allowed.
    pub max_cost: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 12,
            max_cost: 250_000,
        }
    }
}

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsExtension {
            limits: *self,
            introspection_only: AtomicBool::new(false),
        })
    }
}

struct LimitsExtension {
    limits: Limits,
    introspection_only: AtomicBool,
}

fn error(code: &'static str, message: String) -> ServerError {
    let mut e = ServerError::new(message, None);
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", code);
    e.extensions = Some(ext);
    e
}

fn only_introspection(doc: &ExecutableDocument) -> bool {
    doc.operations.iter().all(|(_, op)| {
        op.node
            .selection_set
            .node
            .items
            .iter()
            .all(|item| match &item.node {
                Selection::Field(f) => f.node.name.node.starts_with("__"),
                _ => false,
            })
    })
}

#[async_graphql::async_trait::async_trait]
impl Extension for LimitsExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        self.introspection_only
            .store(only_introspection(&doc), Ordering::Relaxed);
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let max_depth = if self.introspection_only.load(Ordering::Relaxed) {
            INTROSPECTION_MAX_DEPTH
        } else {
            self.limits.max_depth
        };
        if result.depth > max_depth {
            return Err(vec![error(
                "QUERY_TOO_DEEP",
                format!(
                    "query nests {} levels deep; the limit is {max_depth}",
                    result.depth
                ),
            )]);
        }
        if result.complexity > self.limits.max_cost {
            return Err(vec![error(
                "QUERY_TOO_COSTLY",
                format!(
                    "query costs {} (each connection multiplies by its `first`); the limit is {}",
                    result.complexity, self.limits.max_cost
                ),
            )]);
        }
        Ok(result)
    }
}
