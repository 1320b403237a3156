//! `/api/admin/discounts`: the project's discounts and their coupons, edited as the definition
//! file writes them (`[[discounts]]` as JSON, snake_case), checked as `project check` checks
//! the file and kept in the stored project (docs/decisions.md, "Discounts, second part").
//!
//! - `GET /discounts`, `GET /discounts/{marker}`: `{id, definition}`
//! - `POST /discounts` (a new discount, 201), `PUT /discounts/{marker}`, `DELETE
//!   /discounts/{marker}`
//! - `GET /discounts/{marker}/coupons`: every code, manual and generated, with its use
//! - `POST /discounts/{marker}/coupons` (`{code}` or `{mask, count}`, 201), `DELETE
//!   /discounts/{marker}/coupons/{code or mask}`

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use openentry_domain::project::{CouponDef, DiscountDef};
use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::orders::discounts::{GENERATED_IDS, find_coupon};
use crate::project::edit::{edit, fresh};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/discounts", get(list).post(create))
        .route("/discounts/{marker}", get(one).put(replace).delete(remove))
        .route("/discounts/{marker}/coupons", get(coupons).post(add_coupon))
        .route("/discounts/{marker}/coupons/{key}", delete(remove_coupon))
}

fn missing(marker: &str) -> ApiError {
    ApiError::NotFound(format!("Discount \"{marker}\" does not exist"))
}

fn entity(id: usize, d: &DiscountDef) -> ApiResult<Value> {
    let definition = serde_json::to_value(d).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(json!({ "id": id + 1, "definition": definition }))
}

fn place(def: &openentry_domain::project::ProjectDefinition, marker: &str) -> ApiResult<usize> {
    def.discounts
        .iter()
        .position(|d| d.identifier == marker)
        .ok_or_else(|| missing(marker))
}

#[utoipa::path(
    get,
    path = "/api/admin/discounts",
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn list(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let project = fresh(&state).await?;
    let items = project
        .def
        .discounts
        .iter()
        .enumerate()
        .map(|(i, d)| entity(i, d))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(json!({ "total": items.len(), "items": items })))
}

#[utoipa::path(
    get,
    path = "/api/admin/discounts/{marker}",
    params(("marker" = String, Path)),
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn one(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let project = fresh(&state).await?;
    let i = place(&project.def, &marker)?;
    Ok(Json(entity(i, &project.def.discounts[i])?))
}

#[utoipa::path(
    post,
    path = "/api/admin/discounts",
    request_body(content = Object, description = "A discount as in the project definition (docs/project.md)"),
    responses((status = 201, description = "Created", body = serde_json::Value)),
)]
async fn create(
    State(state): State<AppState>,
    ApiJson(d): ApiJson<DiscountDef>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let marker = d.identifier.clone();
    let at = edit(&state, |def| {
        if def.discounts.iter().any(|x| x.identifier == marker) {
            return Err(ApiError::Conflict(format!(
                "Discount \"{marker}\" already exists"
            )));
        }
        def.discounts.push(d.clone());
        Ok(def.discounts.len() - 1)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(entity(at, &d)?)))
}

#[utoipa::path(
    put,
    path = "/api/admin/discounts/{marker}",
    params(("marker" = String, Path)),
    request_body(content = Object, description = "A discount as in the project definition (docs/project.md)"),
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn replace(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiJson(d): ApiJson<DiscountDef>,
) -> ApiResult<Json<Value>> {
    if d.identifier != marker {
        return Err(ApiError::BadRequest(format!(
            "The body's identifier \"{}\" is not \"{marker}\" (a marker is never renamed: create another discount)",
            d.identifier
        )));
    }
    let at = edit(&state, |def| {
        let i = place(def, &marker)?;
        def.discounts[i] = d.clone();
        Ok(i)
    })
    .await?;
    Ok(Json(entity(at, &d)?))
}

#[utoipa::path(
    delete,
    path = "/api/admin/discounts/{marker}",
    params(("marker" = String, Path)),
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn remove(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    edit(&state, |def| {
        let i = place(def, &marker)?;
        def.discounts.remove(i);
        Ok(())
    })
    .await?;
    Ok(Json(json!(true)))
}

/// Every code of a discount: its manual codes (by their place among all coupons) and the codes
/// its masks generated, each with the order that used it when single-use.
#[utoipa::path(
    get,
    path = "/api/admin/discounts/{marker}/coupons",
    params(("marker" = String, Path)),
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn coupons(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let project = fresh(&state).await?;
    let i = place(&project.def, &marker)?;
    let d = &project.def.discounts[i];
    let uses = openentry_store::discounts::uses_of(&state.db, &marker).await?;
    let used = |code: &str, reusable: bool| {
        let u = uses.iter().find(|u| u.code == code).filter(|_| !reusable);
        (
            u.is_some(),
            u.map(|u| u.order_id),
            u.map(|u| openentry_domain::clock::Timestamp(u.used_at).to_rfc3339()),
        )
    };
    let mut items = Vec::new();
    for c in d.coupons.iter().filter_map(|c| c.code.as_deref()) {
        if let Some(hit) = find_coupon(&project.def, c) {
            let (is_used, order, at) = used(&hit.code, hit.reusable);
            items.push(json!({"id": hit.id, "discountId": i + 1, "code": hit.code,
                "isReusable": hit.reusable, "isUsed": is_used, "orderId": order, "usedAt": at}));
        }
    }
    for r in openentry_store::coupon_codes::of_discount(&state.db, &marker).await? {
        let (is_used, order, at) = used(&r.code, r.reusable);
        items.push(
            json!({"id": GENERATED_IDS + r.id, "discountId": i + 1, "code": r.code,
            "mask": r.mask, "isReusable": r.reusable, "isUsed": is_used, "orderId": order,
            "usedAt": at}),
        );
    }
    Ok(Json(json!({ "total": items.len(), "items": items })))
}

#[utoipa::path(
    post,
    path = "/api/admin/discounts/{marker}/coupons",
    params(("marker" = String, Path)),
    request_body(content = Object, description = "A coupon as in the project definition"),
    responses((status = 201, description = "Created", body = serde_json::Value)),
)]
async fn add_coupon(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiJson(c): ApiJson<CouponDef>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    edit(&state, |def| {
        let i = place(def, &marker)?;
        def.discounts[i].coupons.push(c.clone());
        Ok(())
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        coupons(State(state), ApiPath(marker)).await?,
    ))
}

/// Removes a manual code, or a mask with every code it generated (claims of used codes stay
/// with their orders).
#[utoipa::path(
    delete,
    path = "/api/admin/discounts/{marker}/coupons/{key}",
    params(("marker" = String, Path), ("key" = String, Path)),
    responses((status = 200, description = "OK", body = serde_json::Value)),
)]
async fn remove_coupon(
    State(state): State<AppState>,
    ApiPath((marker, key)): ApiPath<(String, String)>,
) -> ApiResult<Json<Value>> {
    edit(&state, |def| {
        let i = place(def, &marker)?;
        let coupons = &mut def.discounts[i].coupons;
        let before = coupons.len();
        coupons.retain(|c| {
            !(c.code
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case(&key))
                || c.mask.as_deref() == Some(key.as_str()))
        });
        if coupons.len() == before {
            return Err(ApiError::NotFound(format!(
                "Discount \"{marker}\" has no code or mask \"{key}\""
            )));
        }
        Ok(())
    })
    .await?;
    Ok(Json(json!(true)))
}
