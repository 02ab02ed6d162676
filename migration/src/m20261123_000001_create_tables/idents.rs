//! The tables and columns the first migration creates, as sea-query identifiers.

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
pub(super) enum Document {
    Table,
    Id,
    Url,
    PublicationUrl,
    Title,
    PublicationTitle,
    Kind,
    Site,
    PublishedOn,
    FetchedAt,
    ContentHash,
    StrategyId,
    CommitmentId,
}

#[derive(DeriveIden)]
pub(super) enum DocumentVersion {
    Table,
    Id,
    DocumentId,
    Url,
    ContentHash,
    FetchedAt,
    RunId,
}

#[derive(DeriveIden)]
pub(super) enum Passage {
    Table,
    Id,
    DocumentId,
    Position,
    Anchor,
    Headings,
    Text,
}

#[derive(DeriveIden)]
pub(super) enum Strategy {
    Table,
    Id,
    Title,
    PublishedOn,
}

#[derive(DeriveIden)]
pub(super) enum StrategyElement {
    Table,
    Id,
    StrategyId,
    DocumentId,
    Kind,
    Position,
    Number,
    Name,
    Description,
    Anchor,
}

#[derive(DeriveIden)]
pub(super) enum Commitment {
    Table,
    Id,
    Number,
    ActionPlan,
    Title,
    PeriodText,
    PeriodStart,
    PeriodEnd,
    LeadDirectorate,
    DocumentId,
    Anchor,
}

#[derive(DeriveIden)]
pub(super) enum CommitmentItem {
    Table,
    Id,
    CommitmentId,
    DocumentId,
    Kind,
    Position,
    Text,
    Anchor,
}

#[derive(DeriveIden)]
pub(super) enum Milestone {
    Table,
    Id,
    CommitmentId,
    DocumentId,
    Position,
    Objective,
    Title,
    DateText,
    StartDate,
    EndDate,
    Anchor,
}

#[derive(DeriveIden)]
pub(super) enum ProgressUpdate {
    Table,
    Id,
    DocumentId,
    CommitmentId,
    Position,
    ReportTitle,
    ReportedOn,
    MilestoneHeading,
    Activity,
    Text,
    Status,
    MilestoneId,
    Anchor,
}

#[derive(DeriveIden)]
pub(super) enum Organisation {
    Table,
    Id,
    Name,
}

#[derive(DeriveIden)]
pub(super) enum OrganisationRole {
    Table,
    Id,
    OrganisationId,
    DocumentId,
    Role,
    NameAsPrinted,
    CommitmentId,
    StrategyId,
    Anchor,
}

#[derive(DeriveIden)]
pub(super) enum Mention {
    Table,
    OrganisationId,
    PassageId,
    DocumentId,
}

#[derive(DeriveIden)]
pub(super) enum IngestRun {
    Table,
    Id,
    StartedAt,
    FinishedAt,
    Source,
    PagesSeen,
    Added,
    Changed,
    Unchanged,
    Removed,
    Warnings,
}
