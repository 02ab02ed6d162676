//! Text search in SQL: "contains these words, in any case", the same on both backends.

use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, SimpleExpr};

/// The most words of a text filter that are searched for; more are ignored.
pub const MAX_WORDS: usize = 16;

/// The words of a text filter, at most [`MAX_WORDS`].
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace().take(MAX_WORDS)
}

/// `LIKE` pattern for "contains `text`", with the wildcards in `text` escaped.
fn contains_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{}%", escaped.to_lowercase())
}

/// The condition "`column` contains `text`, in any case", the same on both backends.
pub fn lower_like<C: ColumnTrait>(column: C, text: &str) -> SimpleExpr {
    Func::lower(Expr::col(column)).like(LikeExpr::new(contains_pattern(text)).escape('\\'))
}
