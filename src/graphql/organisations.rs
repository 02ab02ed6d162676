//! Organisations, and the roles pages name them in.

use std::collections::HashSet;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object};
use entity::organisation_role;

use super::context::ApiContext;
use super::error::{ApiError, ApiResult};
use super::loader::{RoleHolders, each, many};
use super::node::{Commitment, Node, NodeType, Organisation, Passage, Strategy, encode};
use super::pagination::{Conn, Page, connection, connection_cost, list_cost};
use super::source::{Source, source};

/// The roles an organisation can have.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::OrganisationRole")]
pub enum OrganisationRole {
    /// A civil society stakeholder of a commitment.
    CivilSocietyStakeholder,
    /// A commitment's lead implementing directorate.
    LeadDirectorate,
    /// A strategy's delivery partner.
    DeliveryPartner,
    /// A lead of a delivery-plan workstream.
    WorkstreamLead,
}

/// The organisations a role holder loader has under `key`, each once, in role order;
/// only those in `role` when it is given.
pub(super) async fn organisations_in_roles(
    loader: &DataLoader<RoleHolders>,
    key: i64,
    role: Option<OrganisationRole>,
) -> ApiResult<Vec<Organisation>> {
    let holders = many(loader, key).await?;
    let mut seen = HashSet::new();
    Ok(holders
        .into_iter()
        .filter(|h| role.is_none_or(|want| entity::OrganisationRole::from(want) == h.role))
        .filter(|h| seen.insert(h.organisation.id))
        .map(|h| Organisation(h.organisation))
        .collect())
}

/// An organisation named by a page in a role.
#[Object]
impl Organisation {
    /// Global ID.
    pub(super) async fn id(&self) -> ID {
        encode(NodeType::Organisation, self.0.id)
    }
    /// Its name, as first printed.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Other names the pages use for it: acronyms, expansions, older names.
    async fn aliases(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        Ok(many(&ctx.loaders()?.aliases_by_organisation, self.0.id)
            .await?
            .into_iter()
            .map(|a| a.alias)
            .collect())
    }
    /// Its roles in commitments and strategies, each with its source.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn roles(&self, ctx: &Context<'_>) -> ApiResult<Vec<Involvement>> {
        Ok(many(&ctx.loaders()?.roles_by_organisation, self.0.id)
            .await?
            .into_iter()
            .map(Involvement)
            .collect())
    }
    /// Passages, on any page, that name this organisation.
    #[graphql(complexity = "connection_cost(first, child_complexity)")]
    async fn mentions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return: 20 by default, 100 at most.")] first: Option<i32>,
        #[graphql(
            desc = "Return those after this cursor (a page's `endCursor`); from the start when omitted."
        )]
        after: Option<String>,
    ) -> ApiResult<Conn<Passage>> {
        let page = Page::new(first, after.as_deref())?;
        let rows = many(&ctx.loaders()?.mentions_by_organisation, self.0.id).await?;
        let total = rows.len();
        let ids: Vec<i64> = rows
            .iter()
            .skip(page.offset)
            .take(page.limit)
            .map(|m| m.passage_id)
            .collect();
        let passages = each(&ctx.loaders()?.passage, &ids)
            .await?
            .into_iter()
            .map(Passage)
            .collect();
        Ok(connection(passages, total, page))
    }
}

/// An organisation's role in a commitment or a strategy.
pub struct Involvement(pub organisation_role::Model);

/// An organisation's role in a commitment or a strategy.
#[Object]
impl Involvement {
    /// The role.
    async fn role(&self) -> OrganisationRole {
        self.0.role.into()
    }
    /// The commitment or strategy the role is in.
    async fn subject(&self, ctx: &Context<'_>) -> ApiResult<Node> {
        let loaders = ctx.loaders()?;
        if let Some(cid) = self.0.commitment_id
            && let Some(c) = Commitment::load(loaders, cid).await?
        {
            return Ok(Node::Commitment(c));
        }
        if let Some(sid) = self.0.strategy_id {
            return Ok(Node::Strategy(Strategy::linked(loaders, sid).await?));
        }
        Err(ApiError::Internal(anyhow::anyhow!("role {} has no subject", self.0.id)).into())
    }
    /// The name as the page prints it (a list item may name several organisations).
    async fn name_as_printed(&self) -> &str {
        &self.0.name_as_printed
    }
    /// Where it was read.
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<Source> {
        source(ctx, self.0.document_id, self.0.anchor.clone()).await
    }
}
