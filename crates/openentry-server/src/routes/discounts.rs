//! `/api/content/discounts` (docs/wire.md §6.9): the project's discounts and coupon
//! validation. The SDK validates none of these answers; they follow its interfaces.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_domain::clock::Timestamp;
use openentry_domain::project::{DiscountDef, DiscountKind};
use openentry_types::paging::Paging;
use serde::Deserialize;
use serde_json::{Number, Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiPath, ApiQuery};
use crate::orders::discounts::lookup;
use crate::project::Project;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list))
        .route("/marker/{marker}", get(by_marker))
        .route("/coupons/validate", get(validate))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    #[serde(rename = "langCode")]
    lang_code: Option<String>,
    offset: Option<usize>,
    limit: Option<usize>,
    #[serde(rename = "type")]
    #[param(value_type = Option<String>)]
    kind: Option<DiscountKind>,
}

/// A decimal of the definition as a wire number (`"12.5"` → `12.5`).
fn num(text: &str) -> Value {
    text.trim()
        .parse::<Number>()
        .map_or(Value::Null, Value::Number)
}

fn products(ids: &[i64]) -> Value {
    if ids.is_empty() {
        Value::Null
    } else {
        json!({ "products": ids })
    }
}

fn groups(g: &[String]) -> Value {
    if g.is_empty() {
        Value::Null
    } else {
        json!({ "groups": g })
    }
}

/// A discount as `IDiscountsEntity`; its id is its place in `[[discounts]]`, from 1.
fn entity(project: &Project, id: i64, d: &DiscountDef, lang: &str) -> Value {
    let date = |t: &Option<String>| {
        t.as_deref()
            .and_then(Timestamp::parse_rfc3339)
            .map(Timestamp::to_rfc3339)
    };
    let mut value = json!({
        "applicability": d.applicability.wire(),
        "discountType": d.value_type.wire(),
        "value": if d.value.is_empty() { json!(0) } else { num(&d.value) },
    });
    if let Some(m) = &d.max_amount {
        value["maxAmount"] = num(m);
    }
    let mut e = json!({
        "id": id,
        "identifier": d.identifier,
        "type": d.kind.wire(),
        "localizeInfos": {"title": project.text_in(&d.title, lang).unwrap_or(&d.identifier)},
        "discountValue": value,
        "conditionLogic": match d.condition_logic {
            openentry_domain::project::ConditionLogic::And => "AND",
            openentry_domain::project::ConditionLogic::Or => "OR",
        },
        "conditions": d.conditions.iter().map(|c| json!({
            "type": serde_json::to_value(c.kind).unwrap_or(Value::Null),
            "value": c.value,
        })).collect::<Vec<_>>(),
        "exclusions": products(&d.exclusions),
        "gifts": products(&d.gifts),
        "giftsReplaceCartItems": d.gifts_replace_cart_items,
        "userGroups": groups(&d.user_groups),
        "userExclusions": groups(&d.user_exclusions),
        "bonusEvent": d.bonus_trigger.map(|t| json!({
            "triggerEvent": serde_json::to_value(t).unwrap_or(Value::Null),
        })),
        "position": d.position,
        "attributeValues": {},
    });
    for (key, v) in [("startDate", date(&d.start)), ("endDate", date(&d.end))] {
        if let Some(v) = v {
            e[key] = json!(v);
        }
    }
    e
}

#[utoipa::path(
    get,
    path = "/api/content/discounts",
    params(ListQuery),
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Value>> {
    let project = state.project();
    let lang = crate::catalog::lang(&project, q.lang_code.as_deref())?.to_owned();
    let mut all: Vec<(i64, &DiscountDef)> = (1_i64..)
        .zip(&project.def.discounts)
        .filter(|(_, d)| q.kind.is_none_or(|k| d.kind == k))
        .collect();
    all.sort_by_key(|(id, d)| (d.position, *id));
    let total = all.len();
    let items: Vec<Value> = Paging::from_unsigned_query(q.offset, q.limit)
        .slice(all)
        .into_iter()
        .map(|(id, d)| entity(&project, id, d, &lang))
        .collect();
    Ok(Json(json!({ "items": items, "total": total })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct MarkerQuery {
    #[serde(rename = "langCode")]
    lang_code: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/content/discounts/marker/{marker}",
    params(("marker" = String, Path), MarkerQuery),
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn by_marker(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(q): ApiQuery<MarkerQuery>,
) -> ApiResult<Json<Value>> {
    let project = state.project();
    let lang = crate::catalog::lang(&project, q.lang_code.as_deref())?.to_owned();
    (1_i64..)
        .zip(&project.def.discounts)
        .find(|(_, d)| d.identifier == marker)
        .map(|(id, d)| Json(entity(&project, id, d, &lang)))
        .ok_or_else(|| ApiError::NotFound(format!("Discount \"{marker}\" does not exist")))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CodeQuery {
    code: Option<String>,
}

/// `{valid, coupon?, error?}`: a code that does not exist, whose discount is not active now, or
/// single-use and already claimed, is not valid (with the reason in `error`).
#[utoipa::path(
    get,
    path = "/api/content/discounts/coupons/validate",
    params(CodeQuery),
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn validate(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CodeQuery>,
) -> ApiResult<Json<Value>> {
    let project = state.project();
    let code = q.code.unwrap_or_default();
    let Some(hit) = lookup(&state.db, &project.def, &code).await? else {
        return Ok(Json(json!({"valid": false, "error": "Coupon not found"})));
    };
    let used = if hit.reusable {
        None
    } else {
        openentry_store::discounts::coupon_use(&state.db, &hit.code).await?
    };
    let coupon = json!({
        "id": hit.id,
        "discountId": hit.discount_id,
        "code": hit.code,
        "isReusable": hit.reusable,
        "isUsed": used.is_some(),
        "orderId": used.as_ref().map(|u| u.order_id),
        "usedAt": used.as_ref().map(|u| Timestamp(u.used_at).to_rfc3339()),
    });
    let now = state.now();
    let d = usize::try_from(hit.discount_id - 1)
        .ok()
        .and_then(|i| project.def.discounts.get(i));
    let at = |t: Option<&String>| t.and_then(|t| Timestamp::parse_rfc3339(t));
    let error = if used.is_some() {
        Some("Coupon already used")
    } else if d
        .and_then(|d| at(d.start.as_ref()))
        .is_some_and(|s| now < s)
    {
        Some("Coupon is not active yet")
    } else if d.and_then(|d| at(d.end.as_ref())).is_some_and(|e| now >= e) {
        Some("Coupon has expired")
    } else {
        None
    };
    Ok(Json(match error {
        Some(e) => json!({"valid": false, "coupon": coupon, "error": e}),
        None => json!({"valid": true, "coupon": coupon}),
    }))
}
