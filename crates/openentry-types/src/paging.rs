//! `offset`/`limit` of list calls: one type for the server's routes, the store's pages and the
//! client's calls, with the defaults and clamps in one place.
//!
//! Two routes families read the query differently, and both are kept as the SDK sees them:
//! lists of stored rows (orders, payment sessions, the admin lists) read signed numbers and
//! clamp anything out of range ([`Paging::from_query`]); lists of project definitions (catalog,
//! forms, auth providers) read unsigned numbers, so a negative one is a 400 at parse time, and
//! a `limit` of 0 is an empty page ([`Paging::from_unsigned_query`]).

use serde::{Deserialize, Serialize};

/// Items in a page when the request names no `limit` (the SDK's default).
pub const DEFAULT_LIMIT: u32 = 30;
/// The largest page the server returns.
pub const MAX_LIMIT: u32 = 1000;

/// A page: `limit` items after the first `offset`.
///
/// ```
/// use openentry_types::paging::Paging;
/// assert_eq!(Paging::default(), Paging::new(0, 30));
/// assert_eq!(Paging::from_query(Some(-5), Some(0)), Paging::new(0, 1));
/// assert_eq!(Paging::new(1, 2).slice(vec![1, 2, 3, 4]), vec![2, 3]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Paging {
    /// Items to skip.
    pub offset: u32,
    /// Items to return (the server caps it at [`MAX_LIMIT`]).
    pub limit: u32,
}

impl Default for Paging {
    fn default() -> Self {
        Self::new(0, DEFAULT_LIMIT)
    }
}

/// `v` as a `u32`, saturating: an offset past `u32::MAX` is as empty as the maximum.
fn saturate<T: TryInto<u32>>(v: T) -> u32 {
    v.try_into().unwrap_or(u32::MAX)
}

impl Paging {
    /// A page of `limit` items after `offset`, as given (a client building a call).
    pub const fn new(offset: u32, limit: u32) -> Self {
        Self { offset, limit }
    }

    /// A page of stored rows from signed query values: a negative `offset` counts from 0, and
    /// `limit` is clamped to `1..=MAX_LIMIT` (30 when absent).
    pub fn from_query(offset: Option<i64>, limit: Option<i64>) -> Self {
        Self {
            offset: saturate(offset.unwrap_or(0).max(0)),
            limit: saturate(
                limit
                    .unwrap_or(i64::from(DEFAULT_LIMIT))
                    .clamp(1, i64::from(MAX_LIMIT)),
            ),
        }
    }

    /// A page of definitions from unsigned query values: `limit` is capped at `MAX_LIMIT`
    /// (30 when absent) and may be 0, an empty page.
    pub fn from_unsigned_query(offset: Option<usize>, limit: Option<usize>) -> Self {
        Self {
            offset: saturate(offset.unwrap_or(0)),
            limit: saturate(
                limit
                    .unwrap_or(DEFAULT_LIMIT as usize)
                    .min(MAX_LIMIT as usize),
            ),
        }
    }

    /// The page's items out of the whole list.
    pub fn slice<T>(self, items: Vec<T>) -> Vec<T> {
        items
            .into_iter()
            .skip(self.offset as usize)
            .take(self.limit as usize)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_lists_clamp_out_of_range_values() {
        assert_eq!(Paging::from_query(None, None), Paging::new(0, 30));
        assert_eq!(Paging::from_query(Some(-1), Some(-1)), Paging::new(0, 1));
        assert_eq!(
            Paging::from_query(Some(7), Some(5000)),
            Paging::new(7, 1000)
        );
        assert_eq!(
            Paging::from_query(Some(i64::MAX), Some(1)),
            Paging::new(u32::MAX, 1)
        );
    }

    #[test]
    fn definition_lists_cap_the_limit_and_allow_an_empty_page() {
        assert_eq!(Paging::from_unsigned_query(None, None), Paging::new(0, 30));
        assert_eq!(
            Paging::from_unsigned_query(Some(2), Some(0)),
            Paging::new(2, 0)
        );
        assert_eq!(
            Paging::from_unsigned_query(Some(usize::MAX), Some(usize::MAX)),
            Paging::new(u32::MAX, 1000)
        );
        assert!(Paging::new(0, 0).slice(vec![1, 2]).is_empty());
        assert!(Paging::new(u32::MAX, 5).slice(vec![1, 2]).is_empty());
    }
}
