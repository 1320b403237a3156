//! The FileUploading module's bodies (docs/wire.md §6.8).

use serde::{Deserialize, Serialize};

/// One stored file, as `upload` answers it (the SDK's `UploadResponseSchema` item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UploadedFile {
    /// The file's name in the store (`<32 hex>/<sanitized name>`): what `getFile` and
    /// `delete` take as `filename`.
    pub filename: String,
    /// The absolute link browsers load it from.
    pub download_link: String,
    /// Size in bytes.
    pub size: u64,
}
