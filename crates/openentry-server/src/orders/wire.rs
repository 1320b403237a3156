//! Orders as the SDK sees them.

use openentry_domain::clock::Timestamp;
use openentry_domain::money::Money;
use openentry_domain::project::{OrderStatusDef, OrderStorageDef};
use openentry_store::orders::{LineRecord, OrderRecord};
use openentry_types::orders::{
    AccountRef, BonusInfo, DiscountConfig, DiscountSettings, Order, OrderCreated, OrderLine,
    OrderStatus, OrderStorage, ProductQuantity,
};
use serde_json::{Number, Value, json};

use crate::error::{ApiError, ApiResult};
use crate::money::{number, stored as money};
use crate::project::{Entity, Project, StorageStatus};
use crate::wire::localize;

/// `discountConfig` of an order priced before discounts existed (no snapshot stored): every key
/// the platform sends, with the types the SDK's schema wants.
pub(crate) fn discount_config(total: &Number) -> DiscountConfig {
    let zero = Number::from(0);
    DiscountConfig {
        order_discounts: Vec::new(),
        product_discounts: Vec::new(),
        coupon: None,
        settings: DiscountSettings {
            allow_stacking: false,
            max_discount_value: None,
            allow_gift_stacking: false,
            max_bonus_payment_percent: None,
            min_bonus_amount: None,
            min_order_amount_for_bonus: None,
            gift_refund_policy: "KEEP_GIFT".to_owned(),
        },
        additional_discounts_markers: Vec::new(),
        total_raw: total.clone(),
        total_sum_with_discount: total.clone(),
        excluded_gift_product_ids: Vec::new(),
        bonus: BonusInfo {
            available_balance: zero.clone(),
            max_bonus_discount: zero.clone(),
            min_bonus_amount: None,
            min_order_amount_for_bonus: None,
            bonus_applied: zero.clone(),
        },
        bonus_applied: zero,
        total_due: total.clone(),
    }
}

fn status_title(project: &Project, status: &OrderStatusDef, lang: &str) -> String {
    project
        .text_in(&status.title, lang)
        .unwrap_or(&status.identifier)
        .to_owned()
}

fn items_of(form_data: &Value, lang: &str) -> Value {
    form_data.get(lang).cloned().unwrap_or_else(|| json!([]))
}

/// The answer of createOrder and updateOrderByMarkerAndId, with the order's `discountConfig`
/// (`None`: an order without a stored one, whose total is its only figure).
pub(crate) fn created(
    project: &Project,
    o: &OrderRecord,
    lines: &[(i64, i64)],
    config: Option<DiscountConfig>,
) -> ApiResult<OrderCreated> {
    let status = project.order_statuses.by_id(o.status_id).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("order {} has an unknown status", o.id))
    })?;
    let account = project
        .payment_accounts
        .by_id(o.payment_account_id)
        .map(|a| a.def.identifier.clone())
        .unwrap_or_default();
    let total = number(money(o.total_minor, &o.currency)?)?;
    let config = config.unwrap_or_else(|| discount_config(&total));
    Ok(OrderCreated {
        id: o.id,
        form_identifier: o.form_identifier.clone(),
        payment_account_identifier: account,
        form_data: items_of(&o.form_data, &o.lang),
        products: lines
            .iter()
            .map(|&(product_id, quantity)| ProductQuantity {
                product_id,
                quantity,
            })
            .collect(),
        currency: o.currency.clone(),
        coupon_code: config
            .coupon
            .as_ref()
            .and_then(|c| c["code"].as_str())
            .map(str::to_owned),
        total_sum: config.total_sum_with_discount.clone(),
        bonus_applied: config.bonus_applied.clone(),
        total_due: config.total_due.clone(),
        discount_config: config,
        status_identifier: status.def.status.identifier.clone(),
        status_localize_infos: json!({ "title": status_title(project, &status.def.status, &o.lang) }),
        created_date: Timestamp(o.created_at).to_rfc3339(),
    })
}

/// A stored order with its lines (taken by value: its form data moves into the answer).
pub(crate) fn stored(project: &Project, o: OrderRecord, lines: &[LineRecord]) -> ApiResult<Order> {
    let status = project.order_statuses.by_id(o.status_id).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!("order {} has an unknown status", o.id))
    })?;
    let account = project.payment_accounts.by_id(o.payment_account_id);
    let total = money(o.total_minor, &o.currency)?;
    let products = lines
        .iter()
        .filter(|l| l.order_id == o.id)
        .map(|l| {
            Ok(OrderLine {
                id: l.product_id,
                title: l.title.clone(),
                sku: l.sku.clone(),
                preview_image: l
                    .preview_image
                    .as_deref()
                    .map(|key| crate::content::attributes::picture(project, key)),
                price: number(Money::new(l.price_minor, total.currency))?,
                quantity: l.quantity,
                is_gift: l.is_gift,
            })
        })
        .collect::<ApiResult<_>>()?;
    Ok(Order {
        id: o.id,
        storage_id: o.storage_id,
        created_date: Timestamp(o.created_at).to_rfc3339(),
        status_identifier: status.def.status.identifier.clone(),
        form_identifier: o.form_identifier,
        form_data: o.form_data,
        total_sum: total.fixed(),
        currency: o.currency,
        payment_account_identifier: account
            .map(|a| a.def.identifier.clone())
            .unwrap_or_default(),
        payment_account_localize_infos: account
            .map(|a| localize(&a.def.title, project, &a.def.identifier))
            .unwrap_or_default(),
        payment_url: None,
        products,
        is_completed: Some(status.def.status.is_final),
        status_localize_infos: localize(
            &status.def.status.title,
            project,
            &status.def.status.identifier,
        ),
    })
}

/// A storage.
pub(crate) fn storage(project: &Project, s: &Entity<OrderStorageDef>) -> OrderStorage {
    OrderStorage {
        id: s.id,
        localize_infos: localize(&s.def.title, project, &s.def.identifier),
        position: s.position,
        identifier: s.def.identifier.clone(),
        form_identifier: s.def.form.clone(),
        general_type_id: None,
        payment_account_identifiers: s
            .def
            .payment_accounts
            .iter()
            .map(|a| AccountRef {
                identifier: a.clone(),
            })
            .collect(),
    }
}

/// A status of a storage.
pub(crate) fn status(project: &Project, s: &Entity<StorageStatus>, is_used: bool) -> OrderStatus {
    OrderStatus {
        id: s.id,
        localize_infos: localize(&s.def.status.title, project, &s.def.status.identifier),
        identifier: s.def.status.identifier.clone(),
        position: s.position,
        is_used,
        is_default: s.def.status.default,
    }
}
