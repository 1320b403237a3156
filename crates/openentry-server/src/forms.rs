//! Checking submitted form data against a form definition.

use openentry_domain::form_data;
use openentry_domain::login;
use openentry_domain::project::{FieldKind, FormDef};
use openentry_types::form_data::FormDataItem;
use serde_json::Value;

use crate::error::ApiError;

/// The items as they are stored: every marker a field of the form outside `skip` (login and
/// password, which travel in `authData`), each value checked and normalized by the same rules
/// as form submissions (`openentry_domain::form_data`: bounds, types, no HTML).
pub(crate) fn check_items(
    form: &FormDef,
    items: Vec<FormDataItem>,
    skip: &[&str],
) -> Result<Vec<FormDataItem>, ApiError> {
    form_data::normalize_items(form, items, skip).map_err(|r| ApiError::BadRequest(r.message))
}

/// The login and password fields of a sign-up form, with the values the request proves.
pub(crate) struct Credentials<'a> {
    /// Marker of the login field.
    pub(crate) login_marker: &'a str,
    /// The login (from `authData` at sign-up, the stored one afterwards).
    pub(crate) login: &'a str,
    /// Marker of the password field.
    pub(crate) password_marker: &'a str,
    /// The password from `authData`; `None` where no password is given (profile updates).
    pub(crate) password: Option<&'a str>,
}

/// Takes the login and password fields out of submitted form data.
///
/// Wire quirk: storefronts repeat the credentials of `authData` in `formData` (OneEntry's shop
/// template sends `email_reg` and `password_reg` in both at sign-up, and the stored form data,
/// login included, with every profile update). The login there must be the same login
/// (compared as logins are, so case does not matter in an e-mail address) and a password the
/// same password, or empty; anything else is refused, so the two can never disagree. Both are
/// dropped: form data holds the login once, as the server writes it, and never a password.
pub(crate) fn take_credentials(
    items: Vec<FormDataItem>,
    creds: &Credentials<'_>,
) -> Result<Vec<FormDataItem>, ApiError> {
    let text = |item: &FormDataItem| match &item.value {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        _ => Err(ApiError::BadRequest(format!(
            "field \"{}\" expects a string",
            item.marker
        ))),
    };
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        if item.marker == creds.login_marker {
            let given = text(&item)?;
            if login::normalize(given.trim()) != login::normalize(creds.login) {
                return Err(ApiError::BadRequest(format!(
                    "formData's \"{}\" must be the login given in authData; the login cannot be changed here",
                    creds.login_marker
                )));
            }
        } else if item.marker == creds.password_marker {
            let given = text(&item)?;
            match creds.password {
                _ if given.is_empty() => {}
                Some(p) if p == given => {}
                Some(_) => {
                    return Err(ApiError::BadRequest(format!(
                        "formData's \"{}\" must be the password given in authData",
                        creds.password_marker
                    )));
                }
                None => {
                    return Err(ApiError::BadRequest(
                        "The password cannot be changed here; use changePassword with a one-time code".to_owned(),
                    ));
                }
            }
        } else {
            kept.push(item);
        }
    }
    Ok(kept)
}

/// Every required field must be filled, by `items` or by `present` (markers filled elsewhere).
pub(crate) fn check_required(
    form: &FormDef,
    items: &[FormDataItem],
    present: &[&str],
) -> Result<(), ApiError> {
    let missing: Vec<&str> = form
        .fields
        .iter()
        // A captcha's token is checked (and taken out) before; it is never stored.
        .filter(|f| f.kind != FieldKind::Spam)
        .filter(|f| f.required && !present.contains(&f.marker.as_str()))
        .filter(|f| {
            !items
                .iter()
                .any(|i| i.marker == f.marker && form_data::is_filled(&i.value))
        })
        .map(|f| f.marker.as_str())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::BadRequest(format!(
            "Required fields are missing: {}",
            missing.join(", ")
        )))
    }
}
