//! Looking up the provider a request names.

use crate::error::{ApiError, ApiResult};
use crate::project::{Project, Provider};

/// The provider with this marker, which must exist.
pub(crate) fn find_provider<'p>(project: &'p Project, marker: &str) -> ApiResult<&'p Provider> {
    project
        .providers
        .by_marker(marker)
        .ok_or_else(|| ApiError::NotFound(format!("Auth provider \"{marker}\" does not exist")))
}

/// The provider with this marker, which must exist and be active.
pub(crate) fn open_provider<'p>(project: &'p Project, marker: &str) -> ApiResult<&'p Provider> {
    let p = find_provider(project, marker)?;
    if p.def.active {
        Ok(p)
    } else {
        Err(ApiError::Forbidden(format!(
            "Auth provider \"{marker}\" is not active"
        )))
    }
}
