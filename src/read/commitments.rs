//! Commitments and strategies, in the order every list of them takes.

use entity::{commitment, strategy};
use sea_orm::{EntityTrait, QueryOrder, Select};

/// Every commitment, by action plan and number.
pub fn select() -> Select<commitment::Entity> {
    commitment::Entity::find()
        .order_by_asc(commitment::Column::ActionPlan)
        .order_by_asc(commitment::Column::Number)
}

/// Every strategy, by title.
pub fn strategies() -> Select<strategy::Entity> {
    strategy::Entity::find().order_by_asc(strategy::Column::Title)
}
