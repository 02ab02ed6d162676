//! Other names of organisations: the acronyms the pages print after a full name
//! ("Scottish Action for Mental Health (SAMH)").
//!
//! A table rather than a TEXT column on `organisation`: an organisation may have several
//! aliases, and the `organisations(filter: {name})` query matches any of them with one
//! subquery. The rows carry no document: an alias is learnt across pages (the full name on one
//! page, the acronym alone on another) and the pass after each run recomputes them all, as it
//! does mentions.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[derive(DeriveIden)]
enum OrganisationAlias {
    Table,
    OrganisationId,
    Alias,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OrganisationAlias::Table)
                    .col(
                        ColumnDef::new(OrganisationAlias::OrganisationId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(OrganisationAlias::Alias)
                            .string_len(64)
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(OrganisationAlias::OrganisationId)
                            .col(OrganisationAlias::Alias),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OrganisationAlias::Table).to_owned())
            .await
    }
}
