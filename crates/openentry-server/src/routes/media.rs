//! `/media/{hash}/{name}`: the media store's files for browsers (`crate::media::serve`).
//! Outside `/api/content` and its app-token guard: image links must work in an `<img>`.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use crate::error::ApiResult;
use crate::extract::{ApiPath, ApiQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    // `get` answers HEAD too (axum strips the body; `answer` does not even read it).
    Router::new().route("/media/{hash}/{name}", get(media))
}

/// Query of a media link.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct MediaQuery {
    /// Width of a resized preview (snapped to the preview widths, at most 2048).
    w: Option<u32>,
}

#[utoipa::path(
    get,
    path = "/media/{hash}/{name}",
    params(("hash" = String, Path), ("name" = String, Path), MediaQuery),
    responses((status = 200, description = "The image (resized when asked)", content_type = "application/octet-stream")),
)]
async fn media(
    State(state): State<AppState>,
    ApiPath((hash, name)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<MediaQuery>,
    method: Method,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let key = format!("{hash}/{name}");
    crate::media::serve::answer(state.media.as_ref(), &key, q.w, &method, &headers).await
}
