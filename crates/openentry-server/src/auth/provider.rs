//! Looking up the provider a request names.

use openentry_domain::project::FieldDef;

use crate::error::{ApiError, ApiResult};
use crate::project::{Form, Project, Provider};

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

/// The sign-up and sign-in form of `provider` (named `marker` in the request), with its login
/// and password fields. A provider without them is a broken project: an internal error.
pub(crate) fn login_form<'p>(
    project: &'p Project,
    provider: &Provider,
    marker: &str,
) -> ApiResult<(&'p Form, &'p FieldDef, &'p FieldDef)> {
    let form = project
        .forms
        .by_marker(&provider.def.form)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("provider {marker} has no form")))?;
    let (Some(login), Some(password)) = (form.def.login_field(), form.def.password_field()) else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "form {} lacks login/password",
            form.def.identifier
        )));
    };
    Ok((form, login, password))
}
