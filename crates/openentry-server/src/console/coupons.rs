//! The coupons of a discount: a code added or removed is an edit of the discount (its
//! `coupons`), made over the version the page showed, like any other edit of it. Codes its
//! masks generated are listed with the discount and go with their mask.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Router};
use serde_json::{Value, json};

use super::discounts::edit;
use super::guard::Form;
use super::page::{self, Chrome, OrFail};
use super::sessions::Current;
use super::settings::text;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/discounts/{marker}/coupons", post(add))
        .route("/admin/discounts/{marker}/coupons/delete", post(remove))
}

fn coupons(entry: &mut Value) -> ApiResult<&mut Vec<Value>> {
    let obj = entry
        .as_object_mut()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a discount is an object")))?;
    obj.entry("coupons")
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("coupons is an array")))
}

/// Adds one code (reusable unless the form says single-use).
async fn add(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(marker): Path<String>,
    form: Form,
) -> Response {
    async {
        let code = text(&form, "code")
            .ok_or_else(|| ApiError::BadRequest("Type the coupon's code".to_owned()))?;
        let reusable = form.get("single_use").is_none();
        edit(&state, &current, &marker, &form, |e| {
            coupons(e)?.push(json!({"code": code, "reusable": reusable}));
            Ok(())
        })
        .await?;
        Ok(page::see(&format!("/admin/discounts/{marker}?done=coupon")))
    }
    .await
    .or_fail(&chrome)
}

/// Removes a manual code (as `DELETE /api/admin/discounts/{marker}/coupons/{code}`).
async fn remove(
    State(state): State<AppState>,
    chrome: Chrome,
    Extension(current): Extension<Current>,
    Path(marker): Path<String>,
    form: Form,
) -> Response {
    async {
        let code = form.get("code").unwrap_or_default().to_owned();
        edit(&state, &current, &marker, &form, |e| {
            let list = coupons(e)?;
            let before = list.len();
            list.retain(|c| {
                !c.get("code")
                    .and_then(Value::as_str)
                    .is_some_and(|x| x.eq_ignore_ascii_case(&code))
            });
            if list.len() == before {
                return Err(ApiError::NotFound(format!(
                    "Discount \"{marker}\" has no code \"{code}\""
                )));
            }
            Ok(())
        })
        .await?;
        Ok(page::see(&format!("/admin/discounts/{marker}?done=coupon")))
    }
    .await
    .or_fail(&chrome)
}
