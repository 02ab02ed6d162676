//! Comparing an entity's two captures: what a run added, removed or changed.

use entity::ChangeAction;

use super::tracked::Captured;

/// One change, before it is stored.
pub(super) struct Pending {
    pub(super) action: ChangeAction,
    pub(super) entity: Captured,
    pub(super) fields: Vec<(&'static str, Option<String>, Option<String>)>,
}

/// What changed between an entity's two captures; `None` when nothing did.
pub(super) fn compare(before: Option<Captured>, after: Option<Captured>) -> Option<Pending> {
    match (before, after) {
        (None, Some(entity)) => Some(Pending {
            action: ChangeAction::Added,
            entity,
            fields: Vec::new(),
        }),
        (Some(entity), None) => {
            let fields = entity
                .fields
                .iter()
                .filter(|(_, v)| v.is_some())
                .map(|(f, v)| (*f, v.clone(), None))
                .collect();
            Some(Pending {
                action: ChangeAction::Removed,
                entity,
                fields,
            })
        }
        (Some(before), Some(entity)) => {
            let fields: Vec<_> = before
                .fields
                .into_iter()
                .zip(&entity.fields)
                .filter(|((_, old), (_, new))| old != new)
                .map(|((f, old), (_, new))| (f, old, new.clone()))
                .collect();
            (!fields.is_empty()).then_some(Pending {
                action: ChangeAction::Changed,
                entity,
                fields,
            })
        }
        (None, None) => None,
    }
}
