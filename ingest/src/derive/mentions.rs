//! Mentions: which passages name which organisations, by name or alias, recomputed from every
//! passage.

use entity::{mention, organisation, passage};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::aliases::Aliases;
use crate::link;
use crate::store::rows::insert_all;

/// Passages read per step when scanning them (for aliases, for mentions), so memory stays
/// bounded.
const MENTION_CHUNK: u64 = 5_000;

/// Hands every passage `only` selects, as (ID, document ID, text), to `each` a chunk at a time,
/// so memory stays bounded; inserts the mentions `each` answers.
pub(super) async fn scan_passages(
    db: &impl ConnectionTrait,
    only: Condition,
    mut each: impl FnMut(&[(i64, i64, String)]) -> Vec<mention::ActiveModel>,
) -> Result<(), DbErr> {
    let mut after = i64::MIN;
    loop {
        let chunk: Vec<(i64, i64, String)> = passage::Entity::find()
            .select_only()
            .column(passage::Column::Id)
            .column(passage::Column::DocumentId)
            .column(passage::Column::Text)
            .filter(only.clone())
            .filter(passage::Column::Id.gt(after))
            .order_by_asc(passage::Column::Id)
            .limit(MENTION_CHUNK)
            .into_tuple()
            .all(db)
            .await?;
        let Some(last) = chunk.last() else { break };
        after = last.0;
        insert_all(db, each(&chunk)).await?;
    }
    Ok(())
}

/// Recomputes which passages name which organisations, a chunk of passages at a time.
pub(crate) async fn refresh(db: &impl ConnectionTrait, aliases: &Aliases) -> Result<(), DbErr> {
    mention::Entity::delete_many().exec(db).await?;
    let orgs = organisation::Entity::find().all(db).await?;
    scan_passages(db, Condition::all(), |chunk| {
        let mut rows = Vec::new();
        for (passage_id, document_id, text) in chunk {
            for org in &orgs {
                let by_alias = || {
                    aliases
                        .get(&org.id)
                        .is_some_and(|a| a.iter().any(|a| link::names(text, a)))
                };
                if link::names(text, &org.name) || by_alias() {
                    rows.push(mention::ActiveModel {
                        organisation_id: Set(org.id),
                        passage_id: Set(*passage_id),
                        document_id: Set(*document_id),
                    });
                }
            }
        }
        rows
    })
    .await?;
    Ok(())
}
