//! Discounts on updateOrderByMarkerAndId: a new cart priced anew, and single-use coupons given
//! back when an order is canceled before payment.

use openentry_store::Tx;
use openentry_types::orders::{DiscountConfig, OrderRequest};

use super::cart;
use super::discounts::{self, Asked, Discounted};
use crate::error::ApiResult;
use crate::extract::CurrentUser;
use crate::project::{Entity, Project};
use crate::state::AppState;

/// The discounts of an update's new cart (its coupon may be the one the order already holds).
pub(crate) async fn discount(
    state: &AppState,
    project: &Project,
    me: &CurrentUser,
    id: i64,
    body: &OrderRequest,
    priced: &cart::Priced,
    lang: &str,
) -> ApiResult<(Discounted, DiscountConfig)> {
    let code = body.coupon_code.as_deref();
    let held = openentry_store::discounts::of_order(&state.db, id)
        .await?
        .and_then(|r| r.coupon_code);
    let mine =
        code.is_some_and(|c| held.as_deref() == Some(c.trim().to_ascii_uppercase().as_str()));
    let coupon = if mine {
        match code {
            Some(c) => discounts::lookup(&state.db, &project.def, c).await?,
            None => None,
        }
    } else {
        discounts::presented(state, &project.def, code).await?
    };
    let buyer =
        discounts::buyer(state, project, Some(me.user_id), priced.cart.total.currency).await?;
    let asked = Asked {
        coupon: coupon.as_ref(),
        markers: body.additional_discounts_markers.as_deref(),
        // Points are spent at createOrder only: a new cart gives them back (see update).
        bonus: None,
    };
    let d = discounts::apply(project, priced, &buyer, asked, lang, state.now())?;
    let config = super::config::discount_config(&project.def, &d)?;
    Ok((d, config))
}

/// The coupon rule (docs/decisions.md, "Discounts"): an order canceled before it was paid gives
/// its single-use coupon and its spent bonus points back; a paid order canceled gives its spent
/// points back and takes back the points it accrued (docs/decisions.md, "Discounts, second
/// part").
pub(crate) async fn release_if_canceled(
    tx: &mut Tx,
    id: i64,
    user_id: Option<i64>,
    from: &openentry_domain::project::OrderStatusDef,
    to: Option<&Entity<crate::project::StorageStatus>>,
    now: openentry_domain::clock::Timestamp,
) -> ApiResult<()> {
    if !to.is_some_and(|t| t.def.status.cancel) {
        return Ok(());
    }
    if from.paid {
        // A paid order canceled is undone: its spent points come back (what refunds have not
        // given back already), then its accrual goes, never below a zero balance.
        super::bonus::give_back(tx, user_id, id, now).await?;
        super::bonus::reverse_accruals(tx, user_id, id, now).await?;
    } else {
        openentry_store::discounts::release_coupons(&mut *tx, id).await?;
        super::bonus::give_back(tx, user_id, id, now).await?;
    }
    Ok(())
}
