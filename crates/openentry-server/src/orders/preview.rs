//! `previewOrder`: the same pricing and discounts as createOrder, without writing anything.
//! `totalSum` is the raw sum here, `totalSumWithDiscount` what createOrder's `totalSum` would be
//! (docs/decisions.md, "Discounts").

use openentry_types::orders::{OrderPreview, PreviewLine, PreviewRequest};

use super::discounts::{self, Asked, amount};
use super::{cart, config};
use crate::error::ApiResult;
use crate::state::AppState;

/// Prices a cart as createOrder would, for the signed-in user when there is one.
pub(crate) async fn preview(
    state: &AppState,
    user_id: Option<i64>,
    body: &PreviewRequest,
    lang: Option<&str>,
) -> ApiResult<OrderPreview> {
    let project = state.project();
    let lang = crate::catalog::lang(&project, lang)?.to_owned();
    let priced = cart::price(&project, &body.products, &lang)?;
    let coupon = discounts::presented(state, &project.def, body.coupon_code.as_deref()).await?;
    let buyer = discounts::buyer(state, &project, user_id, priced.cart.total.currency).await?;
    let asked = Asked {
        coupon: coupon.as_ref(),
        markers: body.additional_discounts_markers.as_deref(),
        bonus: body.bonus_amount.as_ref(),
    };
    let d = discounts::apply(&project, &priced, &buyer, asked, &lang, state.now())?;
    let c = d.currency;
    let o = &d.outcome;
    let mut lines = Vec::with_capacity(o.lines.len() + o.gifts.len());
    for l in &o.lines {
        // The unit price after product discounts, rounded half up to a minor unit.
        let after = l.total_minor - l.discount_minor;
        let unit = (after + l.quantity / 2) / l.quantity.max(1);
        lines.push(PreviewLine {
            id: l.product_id,
            price: amount(l.price_minor, c)?,
            quantity: l.quantity,
            discount_price: (l.discount_minor > 0)
                .then(|| amount(unit, c))
                .transpose()?,
            is_gift: false,
        });
    }
    for &g in &o.gifts {
        lines.push(PreviewLine {
            id: g,
            price: amount(0, c)?,
            quantity: 1,
            discount_price: None,
            is_gift: true,
        });
    }
    Ok(OrderPreview {
        total_sum: amount(o.total_raw, c)?,
        total_sum_with_discount: amount(o.total_with_discount, c)?,
        discount_config: config::discount_config(&project.def, &d)?,
        currency: c.code().to_owned(),
        order_preview: lines,
        bonus_applied: amount(o.bonus.applied, c)?,
        total_due: amount(o.total_due, c)?,
    })
}
