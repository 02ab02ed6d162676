//! Deriving: what one page says changes what is true across pages (an update's milestone, a
//! passage's organisations, a strategy's date, a milestone's latest status), so after a run's
//! writes these passes recompute it from every stored page, in the run's transaction.
//!
//! One file per pass; [`run`] below is the one list of them, in the order they run. Each pass
//! reads what the passes before it left: leads are split with the aliases known, renames are
//! followed before mentions are found, and the latest statuses are given to the events just
//! written.

mod aliases;
mod events;
mod family;
mod leads;
mod mentions;
mod prune;
mod renames;
pub mod statuses;
mod strategies;
mod updates;

use entity::organisation;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QuerySelect};

pub use statuses::{ReportOrder, report_order};

/// Brings every cross-page fact up to date with the pages stored; `organisations_before` are
/// the organisations stored before the run's first write (with their names), for renames.
/// Answers warnings about what could not be linked or split.
pub(crate) async fn run(
    db: &impl ConnectionTrait,
    organisations_before: &[(i64, String)],
) -> Result<Vec<String>, DbErr> {
    family::refresh(db).await?;
    strategies::refresh(db).await?;
    let mut warnings = updates::relink(db).await?;
    let mut aliases = aliases::resolve(db).await?;
    warnings.extend(leads::split_run_together(db, &aliases).await?);
    renames::follow(db, organisations_before, &mut aliases).await?;
    mentions::refresh(db, &aliases).await?;
    prune::organisations(db).await?;
    events::refresh(db).await?;
    statuses::refresh(db).await?;
    Ok(warnings)
}

/// Every stored organisation's ID and name.
async fn organisation_names(db: &impl ConnectionTrait) -> Result<Vec<(i64, String)>, DbErr> {
    organisation::Entity::find()
        .select_only()
        .columns([organisation::Column::Id, organisation::Column::Name])
        .into_tuple::<(i64, String)>()
        .all(db)
        .await
}
