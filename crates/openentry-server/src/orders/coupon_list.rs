//! Every code of a discount as operators see it (`GET /api/admin/discounts/{marker}/coupons`
//! and the console): its manual codes, by their place among all coupons, then the codes its
//! masks generated, each with the order that used it when single-use.

use openentry_domain::clock::Timestamp;
use serde::Serialize;

use super::coupons::{GENERATED_IDS, find_coupon};
use crate::error::{ApiError, ApiResult};
use crate::project::edit::fresh;
use crate::state::AppState;

/// One code.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CouponRow {
    /// A manual code's place among all coupons; a generated one's row id past
    /// [`GENERATED_IDS`].
    pub(crate) id: i64,
    /// The discount's place in `[[discounts]]`, from 1.
    pub(crate) discount_id: i64,
    /// The code (upper case).
    pub(crate) code: String,
    /// The mask that made it (generated codes only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) mask: Option<String>,
    /// Serves several orders.
    pub(crate) is_reusable: bool,
    /// A single-use code an order claimed.
    pub(crate) is_used: bool,
    /// That order.
    pub(crate) order_id: Option<i64>,
    /// When (RFC 3339).
    pub(crate) used_at: Option<String>,
}

/// The codes of the discount `marker` (404 when there is none).
pub(crate) async fn codes_of(state: &AppState, marker: &str) -> ApiResult<Vec<CouponRow>> {
    let project = fresh(state).await?;
    let (i, d) = project
        .def
        .discounts
        .iter()
        .enumerate()
        .find(|(_, d)| d.identifier == marker)
        .ok_or_else(|| ApiError::NotFound(format!("Discount \"{marker}\" does not exist")))?;
    let discount_id = i64::try_from(i + 1).unwrap_or(i64::MAX);
    let uses = openentry_store::discounts::uses_of(&state.db, marker).await?;
    let row = |id: i64, code: String, mask: Option<String>, reusable: bool| {
        let used = uses.iter().find(|u| u.code == code).filter(|_| !reusable);
        CouponRow {
            id,
            discount_id,
            is_used: used.is_some(),
            order_id: used.map(|u| u.order_id),
            used_at: used.map(|u| Timestamp(u.used_at).to_rfc3339()),
            code,
            mask,
            is_reusable: reusable,
        }
    };
    let mut items = Vec::new();
    for c in d.coupons.iter().filter_map(|c| c.code.as_deref()) {
        if let Some(hit) = find_coupon(&project.def, c) {
            items.push(row(hit.id, hit.code, None, hit.reusable));
        }
    }
    for r in openentry_store::coupon_codes::of_discount(&state.db, marker).await? {
        items.push(row(GENERATED_IDS + r.id, r.code, Some(r.mask), r.reusable));
    }
    Ok(items)
}
