//! Sorting product lists by the query's `sortKey` and `sortOrder`.

use std::cmp::Ordering;

use openentry_domain::project::ProjectDefinition;

use super::decimal::price_decimal;
use super::filter::{ProductQuery, given};
use super::products::Entry;
use super::title_in;
use crate::error::ApiError;

#[derive(Debug, Clone, Copy)]
enum SortKey {
    Id,
    Position,
    Title,
    Price,
}

/// Sorts by the query's `sortKey`/`sortOrder` (default: position, DESC); ties by id.
/// Products without a price come last whatever the order. `date` sorts like `id`: the
/// definition holds no dates and ids are given in creation order.
pub(crate) fn sort(
    def: &ProjectDefinition,
    entries: &mut [Entry<'_>],
    q: &ProductQuery,
    lang: &str,
) -> Result<(), ApiError> {
    let key = match given(q.sort_key.as_deref()) {
        None | Some("position") => SortKey::Position,
        Some("id" | "date") => SortKey::Id,
        Some("title") => SortKey::Title,
        Some("price") => SortKey::Price,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "Unknown sortKey \"{other}\"; use id, position, title, price or date"
            )));
        }
    };
    let desc = match given(q.sort_order.as_deref())
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("DESC") => true,
        Some("ASC") => false,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "Unknown sortOrder \"{other}\"; use ASC or DESC"
            )));
        }
    };
    let dir = |o: Ordering| if desc { o.reverse() } else { o };
    match key {
        SortKey::Id => entries.sort_by(|a, b| dir(a.product.id.cmp(&b.product.id))),
        SortKey::Position => entries.sort_by(|a, b| dir(a.position.cmp(&b.position))),
        SortKey::Title => {
            let mut keyed: Vec<(String, Entry<'_>)> = entries
                .iter()
                .map(|e| (title_in(def, e.product, lang).to_lowercase(), *e))
                .collect();
            keyed.sort_by(|(ta, a), (tb, b)| dir(ta.cmp(tb)).then(a.product.id.cmp(&b.product.id)));
            for (slot, (_, e)) in entries.iter_mut().zip(keyed) {
                *slot = e;
            }
        }
        SortKey::Price => entries.sort_by(|a, b| {
            match (price_decimal(def, a.product), price_decimal(def, b.product)) {
                (Some(x), Some(y)) => dir(x.cmp_exact(y)),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
            .then(a.product.id.cmp(&b.product.id))
        }),
    }
    Ok(())
}
