//! Coupons: the manual codes of the definition, the codes its masks generated (stored), and
//! the code a request presents (docs/decisions.md, "Discounts" and "Discounts, second part").

use openentry_domain::project::ProjectDefinition;

use crate::error::{ApiError, ApiResult};

/// A coupon of the definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CouponHit {
    /// Its place among all coupons of the definition, from 1.
    pub(crate) id: i64,
    /// Its discount's id (place in `[[discounts]]`, from 1).
    pub(crate) discount_id: i64,
    /// Its discount's identifier.
    pub(crate) discount: String,
    /// The code, upper case (codes match ignoring case).
    pub(crate) code: String,
    /// Serves several orders.
    pub(crate) reusable: bool,
}

/// The coupon with this code (manual codes of the definition).
pub(crate) fn find_coupon(def: &ProjectDefinition, code: &str) -> Option<CouponHit> {
    let wanted = code.trim().to_ascii_uppercase();
    let mut id = 0;
    for (d, discount_id) in def.discounts.iter().zip(1_i64..) {
        for c in &d.coupons {
            id += 1;
            if c.code.as_deref().map(str::to_ascii_uppercase).as_deref() == Some(wanted.as_str()) {
                return Some(CouponHit {
                    id,
                    discount_id,
                    discount: d.identifier.clone(),
                    code: wanted,
                    reusable: c.is_reusable(),
                });
            }
        }
    }
    None
}

/// Generated codes' ids start above every manual code's place (docs/decisions.md).
pub(crate) const GENERATED_IDS: i64 = 1_000_000;

/// The coupon with this code: a manual code of the definition, else a code its masks generated
/// (whose discount and mask the definition still has).
pub(crate) async fn lookup(
    db: &openentry_store::Db,
    def: &ProjectDefinition,
    code: &str,
) -> ApiResult<Option<CouponHit>> {
    if let Some(hit) = find_coupon(def, code) {
        return Ok(Some(hit));
    }
    let wanted = code.trim().to_ascii_uppercase();
    if wanted.is_empty() {
        return Ok(None);
    }
    let Some(row) = openentry_store::coupon_codes::get(db, &wanted).await? else {
        return Ok(None);
    };
    Ok(def
        .discounts
        .iter()
        .zip(1_i64..)
        .find(|(d, _)| {
            d.identifier == row.discount
                && d.coupons
                    .iter()
                    .any(|c| c.mask.as_deref() == Some(row.mask.as_str()))
        })
        .map(|(d, discount_id)| CouponHit {
            id: GENERATED_IDS + row.id,
            discount_id,
            discount: d.identifier.clone(),
            code: row.code,
            reusable: row.reusable,
        }))
}

/// The coupon a request presents: `None` without one; refused when unknown or, single-use,
/// already claimed by an order.
pub(crate) async fn presented(
    state: &crate::state::AppState,
    def: &ProjectDefinition,
    code: Option<&str>,
) -> ApiResult<Option<CouponHit>> {
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let hit = lookup(&state.db, def, code)
        .await?
        .ok_or_else(|| ApiError::BadRequest(format!("Coupon \"{code}\" does not exist")))?;
    if !hit.reusable
        && openentry_store::discounts::coupon_use(&state.db, &hit.code)
            .await?
            .is_some()
    {
        return Err(ApiError::BadRequest(format!(
            "Coupon \"{code}\" was already used"
        )));
    }
    Ok(Some(hit))
}
