//! Building the schema: one function, for the SDL and for both schemas a server runs.

use async_graphql::{EmptyMutation, EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

use super::context::Services;
use super::in_flight::InFlight;
use super::limits::Limits;
use super::loader::DEFAULT_BATCH_WINDOW;
use super::node::{Change, Commitment, Document, Milestone, Organisation, Passage, Workstream};
use super::pagination::{Conn, EventConnectionName, NamedConn};
use super::query::Query;
use super::search::SearchHit;
use super::timeline::TimelineEvent;
use crate::read::search::SearchIndexHandle;

/// The schema type served.
pub type CaregraphSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// How a schema enforces its depth and cost [`Limits`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitCheck {
    /// async-graphql's built-in limits: no extension, so every field stays on the fast path,
    /// but a request over a limit is answered with async-graphql's message and no code.
    BuiltIn,
    /// The [`limits`](super::limits) extension: an error code and the numbers, and a deeper
    /// allowance for introspection documents.
    Extension,
}

/// Describes each connection type (async-graphql's `Connection` has no description of its own).
macro_rules! describe_connections {
    ($schema:expr, $($conn:ty => $items:literal),* $(,)?) => {
        $schema$(.override_output_type_description::<$conn>(concat!(
            "A page of ", $items, ": `edges` (each with its `cursor`) or just `nodes`, ",
            "`pageInfo` to ask for the next page, and `totalCount` across all pages."
        )))*
    };
}

/// Builds a schema over `services`, enforcing `limits` as `check` says.
pub fn build(services: Services, limits: Limits, check: LimitCheck) -> CaregraphSchema {
    let schema = describe_connections!(
        Schema::build(Query, EmptyMutation, EmptySubscription).data(services),
        Conn<Change> => "changes",
        Conn<Commitment> => "commitments",
        Conn<Document> => "documents",
        NamedConn<TimelineEvent, EventConnectionName, EventConnectionName> => "timeline events",
        Conn<Milestone> => "milestones",
        Conn<Organisation> => "organisations",
        Conn<Passage> => "passages",
        Conn<SearchHit> => "search hits",
        Conn<Workstream> => "workstreams",
    );
    match check {
        LimitCheck::BuiltIn => schema
            .limit_depth(limits.max_depth)
            .limit_complexity(limits.max_cost),
        LimitCheck::Extension => schema.extension(limits),
    }
    .finish()
}

/// Builds the schema over a database connection, with the default limits, checked by the
/// extension.
pub fn build_schema(db: DatabaseConnection) -> CaregraphSchema {
    let services = Services::new(
        db,
        DEFAULT_BATCH_WINDOW,
        SearchIndexHandle::default(),
        InFlight::default(),
    );
    build(services, Limits::default(), LimitCheck::Extension)
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

    use crate::graphql::pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

    #[test]
    fn every_type_and_argument_is_described_and_pages_say_their_sizes() {
        let sdl = crate::sdl();
        let doc = async_graphql::parser::parse_schema(&sdl).expect("the SDL parses");
        let sizes = format!("{DEFAULT_PAGE_SIZE} by default, {MAX_PAGE_SIZE} at most");
        let mut undescribed = Vec::new();
        for def in doc.definitions {
            let TypeSystemDefinition::Type(t) = def else {
                continue;
            };
            let t = t.node;
            let name = t.name.node.to_string();
            if t.description.is_none() {
                undescribed.push(name.clone());
            }
            let TypeKind::Object(object) = t.kind else {
                continue;
            };
            for field in object.fields {
                let field = field.node;
                for arg in field.arguments {
                    let arg = arg.node;
                    let at = format!("{name}.{}({})", field.name.node, arg.name.node);
                    match arg.description {
                        None => undescribed.push(at),
                        Some(d) if arg.name.node == "first" => {
                            assert!(d.node.contains(&sizes), "{at}: {}", d.node);
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        assert!(undescribed.is_empty(), "undescribed: {undescribed:?}");
        assert!(sdl.contains(
            "scalar Date @specifiedBy(url: \"https://www.rfc-editor.org/rfc/rfc3339#section-5.6\")"
        ));
    }
}
