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
use openentry_domain::operators::Resource;
use openentry_domain::project::{CouponDef, DiscountDef};
use serde_json::{Value, json};

use crate::audit;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiPath};
use crate::operators::Operator;
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

/// Records a change of discount `marker` (coupon changes are changes of their discount, as
/// the console records them), under the route's resource.
async fn record(
    state: &AppState,
    op: &Operator,
    marker: &str,
    before: Option<&DiscountDef>,
    after: Option<&DiscountDef>,
) -> ApiResult<()> {
    let change = audit::Change {
        action: match (before, after) {
            (None, _) => "create",
            (_, None) => "delete",
            _ => "update",
        },
        resource: Resource::Discounts,
        target: format!("discounts/{marker}"),
        before: before.and_then(|d| serde_json::to_value(d).ok()),
        after: after.and_then(|d| serde_json::to_value(d).ok()),
    };
    audit::record(state, op, change).await
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
    op: Operator,
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
    record(&state, &op, &marker, None, Some(&d)).await?;
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
    op: Operator,
    ApiPath(marker): ApiPath<String>,
    ApiJson(d): ApiJson<DiscountDef>,
) -> ApiResult<Json<Value>> {
    if d.identifier != marker {
        return Err(ApiError::BadRequest(format!(
            "The body's identifier \"{}\" is not \"{marker}\" (a marker is never renamed: create another discount)",
            d.identifier
        )));
    }
    let (at, before) = edit(&state, |def| {
        let i = place(def, &marker)?;
        let before = std::mem::replace(&mut def.discounts[i], d.clone());
        Ok((i, before))
    })
    .await?;
    record(&state, &op, &marker, Some(&before), Some(&d)).await?;
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
    op: Operator,
    ApiPath(marker): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let before = edit(&state, |def| {
        let i = place(def, &marker)?;
        Ok(def.discounts.remove(i))
    })
    .await?;
    record(&state, &op, &marker, Some(&before), None).await?;
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
    let items = crate::orders::coupon_list::codes_of(&state, &marker).await?;
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
    op: Operator,
    ApiPath(marker): ApiPath<String>,
    ApiJson(c): ApiJson<CouponDef>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (before, after) = edit(&state, |def| {
        let i = place(def, &marker)?;
        let before = def.discounts[i].clone();
        def.discounts[i].coupons.push(c.clone());
        Ok((before, def.discounts[i].clone()))
    })
    .await?;
    record(&state, &op, &marker, Some(&before), Some(&after)).await?;
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
    op: Operator,
    ApiPath((marker, key)): ApiPath<(String, String)>,
) -> ApiResult<Json<Value>> {
    let (before, after) = edit(&state, |def| {
        let i = place(def, &marker)?;
        let before = def.discounts[i].clone();
        let coupons = &mut def.discounts[i].coupons;
        let count = coupons.len();
        coupons.retain(|c| {
            !(c.code
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case(&key))
                || c.mask.as_deref() == Some(key.as_str()))
        });
        if coupons.len() == count {
            return Err(ApiError::NotFound(format!(
                "Discount \"{marker}\" has no code or mask \"{key}\""
            )));
        }
        Ok((before, def.discounts[i].clone()))
    })
    .await?;
    record(&state, &op, &marker, Some(&before), Some(&after)).await?;
    Ok(Json(json!(true)))
}
