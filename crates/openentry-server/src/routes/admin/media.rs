//! `/api/admin/media`: an operator's file put in the media store for the definition to name
//! (a product's image, a page's banner); `crate::media::upload` decides (docs/decisions.md,
//! "Operators' media").

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use openentry_domain::operators::Resource;
use openentry_types::admin_data::AdminMedia;

use crate::audit;
use crate::content::attributes::media_link;
use crate::error::{ApiError, ApiResult};
use crate::media::upload::{self, Accept};
use crate::operators::Operator;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/media", post(create))
}

/// Stores the one file of the field `file` under its content key and answers the key and
/// its public URL. Size and type are checked as visitors' uploads are (413, 415).
#[utoipa::path(
    post,
    path = "/api/admin/media",
    request_body(content_type = "multipart/form-data", description = "One file in the field `file`"),
    responses(
        (status = 201, description = "Stored (storing a file the store has is a no-op)", body = AdminMedia),
        (status = 400, description = "Not multipart/form-data, malformed, or no file in `file`"),
        (status = 413, description = "The file is larger than the upload limit"),
        (status = 415, description = "The file's content is not of an accepted type"),
    ),
)]
async fn create(
    State(state): State<AppState>,
    op: Operator,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<AdminMedia>)> {
    let boundary = upload::boundary(&headers).ok_or_else(|| {
        ApiError::BadRequest(
            "Send multipart/form-data with the file in the field \"file\"".to_owned(),
        )
    })?;
    let bytes = upload::read_capped(body, upload::body_limit(&state.config)).await?;
    let parsed = upload::parse(boundary, bytes).await?;
    let mut files = parsed.files.iter().filter(|f| f.field == "file");
    let (Some(file), None) = (files.next(), files.next()) else {
        return Err(ApiError::BadRequest(
            "Send exactly one file, in the field \"file\"".to_owned(),
        ));
    };
    let stored = upload::store(&state, &file.name, &file.bytes, Accept::Configured).await?;
    let answer = AdminMedia {
        url: media_link(&state.project(), &stored.key),
        key: stored.key,
        filename: stored.filename,
        size: stored.size,
        content_type: stored.content_type,
        width: stored.width,
        height: stored.height,
    };
    let change = audit::after(
        "create",
        Resource::Catalog,
        format!("media/{}", answer.key),
        &answer,
    );
    audit::record(&state, &op, change).await?;
    Ok((StatusCode::CREATED, Json(answer)))
}
