//! The sea-orm entities of caregraph: storage shapes only.
//!
//! These stay as sea-orm-cli would write them, except that the closed vocabularies stored in
//! TEXT columns (a document's kind, an organisation's role, ...) are typed, in [`vocabulary`];
//! the GraphQL types in the server wrap them, so a column rename never breaks the public API.

pub mod change;
pub mod change_field;
pub mod commitment;
pub mod commitment_item;
pub mod document;
pub mod document_version;
pub mod event;
pub mod ingest_run;
pub mod mention;
pub mod milestone;
pub mod organisation;
pub mod organisation_alias;
pub mod organisation_rename;
pub mod organisation_role;
pub mod passage;
pub mod progress_update;
pub mod strategy;
pub mod strategy_commitment;
pub mod strategy_element;
pub mod version_text;
pub mod vocabulary;
pub mod workstream;

pub use vocabulary::{
    ChangeAction, CommitmentItemKind, DeliveryStatus, DocumentKind, EventKind, OrganisationRole,
    Site, StrategyElementKind, SubjectType,
};
