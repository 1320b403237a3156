//! `createOrder`: prices from the catalog, one transaction, optional idempotency key.

use openentry_domain::events::{Actor, Created, OrderChange};
use openentry_domain::project::OrderStorageDef;
use openentry_store::orders::{NewOrder, OrderRecord};
use openentry_types::orders::OrderRequest;
use serde_json::{Value, json};

use super::cart::{self, Priced};
use super::discounts::{self, Asked, Discounted};
use super::{storage, wire};
use crate::error::{ApiError, ApiResult};
use crate::extract::CurrentUser;
use crate::idempotency::{self as idem, Claimed, Stored};
use crate::project::{Entity, Project};
use crate::state::AppState;

/// Everything checked before the transaction starts: a request that fails here leaves nothing
/// behind, not even its idempotency key.
pub(crate) struct Prepared {
    pub(crate) account_id: i64,
    pub(crate) lang: String,
    pub(crate) form_data: Value,
    pub(crate) priced: Priced,
}

/// Reads a request body into the typed request.
pub(crate) fn parse(raw: &Value) -> ApiResult<OrderRequest> {
    serde_json::from_value(raw.clone())
        .map_err(|e| ApiError::BadRequest(format!("Invalid request body: {e}")))
}

/// The payment account a request names, which must be linked to the storage.
pub(crate) fn linked_account(
    project: &Project,
    storage: &OrderStorageDef,
    marker: Option<&str>,
) -> ApiResult<i64> {
    let linked = storage.payment_accounts.join(", ");
    let marker = marker.filter(|m| !m.is_empty()).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "paymentAccountIdentifier is required (order storage \"{}\" accepts: {linked})",
            storage.identifier
        ))
    })?;
    if !storage.payment_accounts.iter().any(|a| a == marker) {
        return Err(ApiError::BadRequest(format!(
            "Payment account \"{marker}\" is not linked to order storage \"{}\" (it accepts: {linked})",
            storage.identifier
        )));
    }
    project
        .payment_accounts
        .by_marker(marker)
        .map(|a| a.id)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("payment account {marker} has no row")))
}

/// Checks a create request against the storage, its form and the catalog.
pub(crate) fn prepare(
    project: &Project,
    storage: &Entity<OrderStorageDef>,
    body: &OrderRequest,
) -> ApiResult<Prepared> {
    if let Some(f) = body.form_identifier.as_deref().filter(|f| !f.is_empty())
        && f != storage.def.form
    {
        return Err(ApiError::BadRequest(format!(
            "Order storage \"{}\" takes form \"{}\", not \"{f}\"",
            storage.def.identifier, storage.def.form
        )));
    }
    let account_id = linked_account(
        project,
        &storage.def,
        body.payment_account_identifier.as_deref(),
    )?;
    let lang = cart::form_lang(project, body.form_data.as_ref());
    let items = cart::checkout_items(project, &storage.def.form, body.form_data.as_ref(), &lang)?;
    let priced = cart::price(project, &body.products, &lang)?;
    let form_data = json!({ lang.clone(): items });
    Ok(Prepared {
        account_id,
        lang,
        form_data,
        priced,
    })
}

/// Creates an order of the caller.
pub(crate) async fn create(
    state: &AppState,
    me: &CurrentUser,
    marker: &str,
    raw: Value,
    key: Option<String>,
) -> ApiResult<Stored> {
    let body = parse(&raw)?;
    let project = state.project();
    let storage = storage(&project, marker)?;
    let p = prepare(&project, storage, &body)?;
    captcha(state, &project, storage, &body, &p.lang).await?;
    let default = storage
        .def
        .default_status()
        .and_then(|s| project.order_statuses.by_marker(&s.identifier))
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("storage {marker} has no default status"))
        })?;
    let now = state.now();
    let (d, config) = discounted(state, &project, me, &body, &p).await?;
    // The stored total is what remains to pay (payment sessions charge it).
    let total_minor = d.outcome.total_due;
    let currency = d.currency.code().to_owned();
    let mut lines = d.paid_lines(&p.priced);
    lines.extend(d.gift_lines.iter().cloned());
    let tx = state.db.begin().await?;
    let scope = format!("POST /orders-storage/marker/{marker}/orders");
    let fingerprint = idem::fingerprint(&scope, &raw);
    let mut tx =
        match idem::claim(tx, me.user_id, key.as_deref(), &scope, &fingerprint, now).await? {
            Claimed::Fresh(tx) => tx,
            Claimed::Replay(answer) => return Ok(answer),
        };
    let new = NewOrder {
        storage_id: storage.id,
        user_id: me.user_id,
        status_id: default.id,
        payment_account_id: p.account_id,
        form_identifier: &storage.def.form,
        form_data: &p.form_data,
        lang: &p.lang,
        currency: &currency,
        total_minor,
        lines: &lines,
    };
    let id = openentry_store::orders::insert(&mut tx, &new, now).await?;
    record_discounts(&mut tx, me.user_id, id, &d, &config, now).await?;
    let quantities: Vec<(i64, i64)> = p
        .priced
        .cart
        .lines
        .iter()
        .map(|l| (l.product_id, l.quantity))
        .collect();
    let detail = OrderChange::Created(Created {
        currency: currency.clone(),
        products: quantities.clone(),
        status: default.def.status.identifier.clone(),
        total_minor,
    });
    super::log_change(&mut tx, id, now, Actor::User(me.user_id), detail).await?;
    let record = OrderRecord {
        id,
        storage_id: storage.id,
        user_id: Some(me.user_id),
        status_id: default.id,
        payment_account_id: p.account_id,
        form_identifier: storage.def.form.clone(),
        form_data: p.form_data.clone(),
        lang: p.lang.clone(),
        currency,
        total_minor,
        version: 1,
        created_at: now.0,
        updated_at: now.0,
    };
    let answer = Stored::created(&wire::created(
        &project,
        &record,
        &quantities,
        Some(config),
    )?)?;
    idem::complete(&mut tx, me.user_id, key.as_deref(), &answer).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Verifies the checkout form's captcha token, when its form has a spam field.
async fn captcha(
    state: &AppState,
    project: &Project,
    storage: &Entity<OrderStorageDef>,
    body: &OrderRequest,
    lang: &str,
) -> ApiResult<()> {
    let (token, form) =
        cart::checkout_token(project, &storage.def.form, body.form_data.as_ref(), lang)?;
    if let Some(form) = form {
        crate::spam::verify(state, &form, token, None, false).await?;
    }
    Ok(())
}

/// The discounts of a new order and its `discountConfig`.
async fn discounted(
    state: &AppState,
    project: &Project,
    me: &CurrentUser,
    body: &OrderRequest,
    p: &Prepared,
) -> ApiResult<(Discounted, openentry_types::orders::DiscountConfig)> {
    let coupon = discounts::presented(state, &project.def, body.coupon_code.as_deref()).await?;
    let buyer = discounts::buyer(
        state,
        project,
        Some(me.user_id),
        p.priced.cart.total.currency,
    )
    .await?;
    let asked = Asked {
        coupon: coupon.as_ref(),
        markers: body.additional_discounts_markers.as_deref(),
        bonus: body.bonus_amount.as_ref(),
    };
    let d = discounts::apply(project, &p.priced, &buyer, asked, &p.lang, state.now())?;
    let config = super::config::discount_config(&project.def, &d)?;
    Ok((d, config))
}

/// Stores an order's discount snapshot, spends its bonus points and claims its single-use coupon: of concurrent orders
/// presenting one code, exactly one claims it; the others are refused and leave nothing behind.
pub(crate) async fn record_discounts(
    tx: &mut openentry_store::Tx,
    user_id: i64,
    order_id: i64,
    d: &Discounted,
    config: &openentry_types::orders::DiscountConfig,
    now: openentry_domain::clock::Timestamp,
) -> ApiResult<()> {
    if let Some(c) = d.coupon.as_ref().filter(|c| !c.reusable)
        && !openentry_store::discounts::claim_coupon(&mut *tx, &c.code, &c.discount, order_id, now)
            .await?
    {
        return Err(ApiError::Conflict(format!(
            "Coupon \"{}\" was already used",
            c.code
        )));
    }
    let record = openentry_store::discounts::OrderDiscountRecord {
        order_id,
        config: serde_json::to_value(config).map_err(|e| ApiError::Internal(e.into()))?,
        coupon_code: d.coupon.as_ref().map(|c| c.code.clone()),
        bonus_applied_minor: d.outcome.bonus.applied,
    };
    openentry_store::discounts::save(&mut *tx, &record).await?;
    let used = d.outcome.bonus.applied;
    super::bonus::spend(tx, user_id, order_id, used, d.currency, now).await
}
