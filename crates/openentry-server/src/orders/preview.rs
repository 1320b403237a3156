//! `previewOrder`: the same pricing as createOrder, without writing anything.

use openentry_domain::money::Money;
use openentry_types::orders::{OrderPreview, PreviewLine, PreviewRequest};
use serde_json::Number;

use super::cart;
use super::wire::discount_config;
use crate::error::ApiResult;
use crate::money::number;
use crate::state::AppState;

/// Prices a cart as createOrder would.
pub(crate) fn preview(
    state: &AppState,
    body: &PreviewRequest,
    lang: Option<&str>,
) -> ApiResult<OrderPreview> {
    cart::refuse_discounts(
        body.coupon_code.as_deref(),
        body.additional_discounts_markers.as_deref(),
        body.bonus_amount.as_ref(),
    )?;
    let project = state.project();
    let lang = crate::catalog::lang(&project, lang)?.to_owned();
    let priced = cart::price(&project, &body.products, &lang)?;
    let total = number(priced.cart.total)?;
    let currency = priced.cart.total.currency;
    Ok(OrderPreview {
        total_sum: total.clone(),
        total_sum_with_discount: total.clone(),
        discount_config: discount_config(&total),
        currency: currency.code().to_owned(),
        order_preview: priced
            .cart
            .lines
            .iter()
            .map(|l| {
                Ok(PreviewLine {
                    id: l.product_id,
                    price: number(Money::new(l.price_minor, currency))?,
                    quantity: l.quantity,
                    discount_price: None,
                    is_gift: false,
                })
            })
            .collect::<ApiResult<_>>()?,
        bonus_applied: Number::from(0),
        total_due: total,
    })
}
