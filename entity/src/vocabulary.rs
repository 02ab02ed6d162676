//! The closed vocabularies stored in TEXT columns, each defined once: the ingest writes these
//! enums, the server reads them, and the names stored are the `string_value`s below.
//!
//! The columns are `VARCHAR(32)` (see the first migration), not database enum types, so a new
//! value needs no migration; the values are the upper-case names the GraphQL enums use, so
//! they must not change without a data migration.

use sea_orm::entity::prelude::*;

/// What kind of page a document is (`document.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum DocumentKind {
    /// The overview page of an Open Government commitment.
    #[sea_orm(string_value = "COMMITMENT_OVERVIEW")]
    CommitmentOverview,
    /// A commitment's progress report.
    #[sea_orm(string_value = "PROGRESS_REPORT")]
    ProgressReport,
    /// A page of a strategy.
    #[sea_orm(string_value = "STRATEGY")]
    Strategy,
    /// A page of a strategy's delivery plan.
    #[sea_orm(string_value = "DELIVERY_PLAN")]
    DeliveryPlan,
    /// A page asking for views on a strategy in development.
    #[sea_orm(string_value = "CONSULTATION")]
    Consultation,
    /// A page of a commitment's publication about how the commitment was co-created.
    #[sea_orm(string_value = "CO_CREATION")]
    CoCreation,
    /// Any other page: kept as passages only.
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// Which site template a page was read with (`document.site`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Site {
    /// gov.scot's Design System publication template.
    #[sea_orm(string_value = "GOVSCOT")]
    GovScot,
    /// A WordPress page (the eHealth site).
    #[sea_orm(string_value = "WORDPRESS")]
    WordPress,
}

/// What a named part of a strategy is (`strategy_element.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum StrategyElementKind {
    /// "Aim N: ...".
    #[sea_orm(string_value = "AIM")]
    Aim,
    /// A priority area with its description.
    #[sea_orm(string_value = "PRIORITY_AREA")]
    PriorityArea,
    /// A domain (the 2018 strategy's areas of work).
    #[sea_orm(string_value = "DOMAIN")]
    Domain,
    /// A statement of the strategy's vision.
    #[sea_orm(string_value = "VISION")]
    Vision,
    /// A standard the strategy adopts.
    #[sea_orm(string_value = "STANDARD")]
    Standard,
}

/// What a listed item of a commitment is (`commitment_item.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum CommitmentItemKind {
    /// A problem the commitment addresses.
    #[sea_orm(string_value = "PROBLEM")]
    Problem,
    /// An item of the status quo.
    #[sea_orm(string_value = "STATUS_QUO")]
    StatusQuo,
    /// A co-design principle.
    #[sea_orm(string_value = "PRINCIPLE")]
    Principle,
    /// An Open Government Partnership value the commitment is relevant to.
    #[sea_orm(string_value = "OGP_VALUE")]
    OgpValue,
    /// A paragraph describing the commitment, printed without a label under its title.
    #[sea_orm(string_value = "DESCRIPTION")]
    Description,
}

/// The role a page names an organisation in (`organisation_role.role`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum OrganisationRole {
    /// A commitment's lead implementing directorate.
    #[sea_orm(string_value = "LEAD_DIRECTORATE")]
    LeadDirectorate,
    /// A civil society stakeholder of a commitment.
    #[sea_orm(string_value = "CIVIL_SOCIETY_STAKEHOLDER")]
    CivilSocietyStakeholder,
    /// A strategy's delivery partner.
    #[sea_orm(string_value = "DELIVERY_PARTNER")]
    DeliveryPartner,
    /// A lead of a delivery-plan workstream.
    #[sea_orm(string_value = "WORKSTREAM_LEAD")]
    WorkstreamLead,
}

/// A delivery status as a report states it, normalised (`progress_update.delivery_status`); the
/// printed words are kept beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum DeliveryStatus {
    /// "On schedule", "On track".
    #[sea_orm(string_value = "ON_TRACK")]
    OnTrack,
    /// "In progress", "Ongoing".
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    /// "Behind schedule", "Delayed".
    #[sea_orm(string_value = "BEHIND_SCHEDULE")]
    BehindSchedule,
    /// "Completed", "Complete".
    #[sea_orm(string_value = "COMPLETED")]
    Completed,
    /// "Not started", "Not yet started".
    #[sea_orm(string_value = "NOT_STARTED")]
    NotStarted,
}

/// The API type of the entity a change or an event is about (`change.subject_type`,
/// `event.subject_type`): the GraphQL type names, which node IDs carry too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum SubjectType {
    /// An ingested page.
    #[sea_orm(string_value = "Document")]
    Document,
    /// A commitment of an action plan.
    #[sea_orm(string_value = "Commitment")]
    Commitment,
    /// A milestone of a commitment.
    #[sea_orm(string_value = "Milestone")]
    Milestone,
    /// One milestone's update in a progress report.
    #[sea_orm(string_value = "ProgressUpdate")]
    ProgressUpdate,
    /// A delivery-plan workstream.
    #[sea_orm(string_value = "Workstream")]
    Workstream,
    /// A strategy element of kind AIM.
    #[sea_orm(string_value = "Aim")]
    Aim,
    /// A strategy element of kind PRIORITY_AREA.
    #[sea_orm(string_value = "PriorityArea")]
    PriorityArea,
    /// A strategy element of any other kind.
    #[sea_orm(string_value = "StrategyElement")]
    StrategyElement,
    /// A dated promise in a strategy's prose.
    #[sea_orm(string_value = "StrategyCommitment")]
    StrategyCommitment,
    /// An organisation.
    #[sea_orm(string_value = "Organisation")]
    Organisation,
    /// A strategy.
    #[sea_orm(string_value = "Strategy")]
    Strategy,
}

impl SubjectType {
    /// The type of a strategy element of `kind`: aims and priority areas are types of their
    /// own, the other kinds share one.
    pub fn of_element(kind: StrategyElementKind) -> Self {
        match kind {
            StrategyElementKind::Aim => Self::Aim,
            StrategyElementKind::PriorityArea => Self::PriorityArea,
            _ => Self::StrategyElement,
        }
    }
}

/// What a timeline event marks (`event.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum EventKind {
    /// A milestone's dates, with its latest status.
    #[sea_orm(string_value = "MILESTONE")]
    Milestone,
    /// The day a progress report covers to.
    #[sea_orm(string_value = "PROGRESS_REPORT")]
    ProgressReport,
    /// A page's publication date.
    #[sea_orm(string_value = "PUBLICATION")]
    Publication,
    /// A commitment's period.
    #[sea_orm(string_value = "COMMITMENT_PERIOD")]
    CommitmentPeriod,
    /// A workstream's due date, with its status.
    #[sea_orm(string_value = "WORKSTREAM_DUE")]
    WorkstreamDue,
    /// A strategy commitment's deadline.
    #[sea_orm(string_value = "STRATEGY_COMMITMENT")]
    StrategyCommitment,
    /// A sentence of a co-creation page dating a workshop or meeting.
    #[sea_orm(string_value = "CO_CREATION_EVENT")]
    CoCreationEvent,
}

/// Lets a value be compared with a stored name (`row.kind == "AIM"`), as code that read these
/// columns as strings did.
macro_rules! compares_with_stored_names {
    ($($vocabulary:ty),* $(,)?) => {$(
        impl PartialEq<str> for $vocabulary {
            fn eq(&self, stored: &str) -> bool {
                self.to_value() == stored
            }
        }

        impl PartialEq<&str> for $vocabulary {
            fn eq(&self, stored: &&str) -> bool {
                self.to_value() == *stored
            }
        }
    )*};
}

/// Writes a value as its stored name: a subject type as the API's type name, an event kind as
/// the API's kind, where code formats them into text.
macro_rules! displays_stored_names {
    ($($vocabulary:ty),* $(,)?) => {$(
        impl std::fmt::Display for $vocabulary {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.to_value())
            }
        }
    )*};
}

displays_stored_names!(SubjectType, EventKind);

/// What an ingest run did to an entity (`change.action`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ChangeAction {
    /// The entity is new.
    #[sea_orm(string_value = "ADDED")]
    Added,
    /// The entity is gone.
    #[sea_orm(string_value = "REMOVED")]
    Removed,
    /// Some of its fields changed.
    #[sea_orm(string_value = "CHANGED")]
    Changed,
}

compares_with_stored_names!(
    DocumentKind,
    Site,
    StrategyElementKind,
    CommitmentItemKind,
    OrganisationRole,
    DeliveryStatus,
    ChangeAction,
    SubjectType,
    EventKind,
);

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn stored_names_read_back_and_compare() {
        for kind in DocumentKind::iter() {
            assert_eq!(
                DocumentKind::try_from_value(&kind.to_value()).ok(),
                Some(kind)
            );
        }
        assert_eq!(StrategyElementKind::PriorityArea, "PRIORITY_AREA");
        assert!(Site::WordPress != "GOVSCOT");
        assert!(DocumentKind::try_from_value(&"UNKNOWN".to_owned()).is_err());
        for kind in
            SubjectType::iter().chain(StrategyElementKind::iter().map(SubjectType::of_element))
        {
            assert_eq!(
                SubjectType::try_from_value(&kind.to_value()).ok(),
                Some(kind)
            );
        }
        for kind in EventKind::iter() {
            assert_eq!(EventKind::try_from_value(&kind.to_value()).ok(), Some(kind));
        }
    }
}
