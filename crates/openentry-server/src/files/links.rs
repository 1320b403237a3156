//! Form values of the file types (`file`, `image`, `groupOfImages`) hold what `upload`
//! answered: `postFormsData` uploads those items first and sends the results as the values
//! (docs/wire.md §6.8). A value is accepted only when its links are links of this server's
//! media naming a recorded upload, so a form can never carry a link to a foreign site.

use openentry_domain::files::own_media_key;
use openentry_domain::project::{FieldKind, FormDef};
use openentry_types::form_data::FormDataItem;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Checks every link of the file values of checked `items` of `form`.
pub(crate) async fn check_form_files(
    state: &AppState,
    form: &FormDef,
    items: &[FormDataItem],
) -> ApiResult<()> {
    let base = std::sync::Arc::clone(&state.project().media_base);
    for item in items {
        let is_file = form.fields.iter().any(|f| {
            f.marker == item.marker
                && matches!(
                    f.kind,
                    FieldKind::File | FieldKind::Image | FieldKind::GroupOfImages
                )
        });
        let Value::Array(files) = &item.value else {
            continue;
        };
        if !is_file {
            continue;
        }
        for file in files {
            for which in ["downloadLink", "previewLink"] {
                let Some(link) = file.get(which).and_then(Value::as_str) else {
                    continue;
                };
                if link.is_empty() {
                    continue;
                }
                let known = match own_media_key(link, &base) {
                    Some(key) => openentry_store::files::get_by_key(&state.db, key)
                        .await?
                        .is_some(),
                    None => false,
                };
                if !known {
                    return Err(ApiError::BadRequest(format!(
                        "field \"{}\" takes files uploaded to this server (FileUploading.upload); its {which} is not one",
                        item.marker
                    )));
                }
            }
        }
    }
    Ok(())
}
