//! The root connections' filters and orders, as the schema takes them.

use async_graphql::{Enum, ID, InputObject};

use super::documents::DocumentKind;
use super::organisations::OrganisationRole;
use super::scalars::Date;

/// Selects documents.
#[derive(InputObject, Default)]
pub struct DocumentFilter {
    /// Only documents of this kind.
    pub kind: Option<DocumentKind>,
    /// Only documents of this strategy (its ID).
    pub strategy: Option<ID>,
    /// Only documents about this commitment (its ID): its overview and progress reports.
    pub commitment: Option<ID>,
}

/// Orders milestones.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MilestoneOrder {
    /// By commitment, then as the page lists them.
    #[default]
    Position,
    /// By first day, earliest first; undated milestones last.
    StartDate,
    /// By last day, earliest first; undated milestones last.
    EndDate,
}

/// Selects milestones.
#[derive(InputObject, Default)]
pub struct MilestoneFilter {
    /// Milestones whose date range overlaps [from, to]; undated milestones are left out when either is set.
    pub from: Option<Date>,
    /// See `from`.
    pub to: Option<Date>,
    /// Only milestones of this commitment (its ID).
    pub commitment: Option<ID>,
    /// Words that must occur in the milestone's title.
    pub text: Option<String>,
}

/// Selects organisations.
#[derive(InputObject, Default)]
pub struct OrganisationFilter {
    /// Only organisations whose name, or one of whose aliases, contains this text (any case).
    pub name: Option<String>,
    /// Only organisations named in this role somewhere.
    pub role: Option<OrganisationRole>,
}
