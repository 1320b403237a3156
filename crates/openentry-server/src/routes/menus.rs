//! `/api/content/menus` (docs/wire.md §6.14).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use openentry_types::content::Menu;

use crate::catalog::lang_or_default;
use crate::content::menus;
use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery};
use crate::routes::LangQuery;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/marker/{marker}", get(by_marker))
}

#[utoipa::path(
    get,
    path = "/api/content/menus/marker/{marker}",
    params(("marker" = String, Path), LangQuery),
    responses((status = 200, description = "OK", body = Menu)),
)]
async fn by_marker(
    State(state): State<AppState>,
    ApiPath(marker): ApiPath<String>,
    ApiQuery(q): ApiQuery<LangQuery>,
) -> ApiResult<Json<Menu>> {
    let project = state.project();
    let lang = lang_or_default(q.lang_code.as_deref(), &project)?;
    Ok(Json(menus::by_marker(&project, &marker, lang)?))
}
