//! Query limits: depth and cost, checked after validation, each with its own error code.
//!
//! Cost follows GitHub's node-count model: a connection costs `first` times what one of its
//! nodes costs (see the `complexity` attributes on connection fields), so `first: 100` three
//! levels deep costs a million. Aliases are separate fields and fragments are inlined before
//! counting, so neither gets around a limit. Introspection documents (only `__schema` /
//! `__type` at the root) get a deeper allowance, so GraphiQL's introspection query, whose type
//! references nest many levels, keeps working.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection};
use async_graphql::{ServerError, ServerResult, ValidationResult, Variables};

/// How deep an introspection document may nest: enough for any GraphiQL version's `TypeRef`.
pub const INTROSPECTION_MAX_DEPTH: usize = 32;

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
