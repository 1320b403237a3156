//! Forms of the project definition: sign-up, checkout, data and collection forms and their
//! fields.

use serde::{Deserialize, Serialize};

use super::{FieldKind, FormKind, FormRead, Localized, SeedDef, yes};

/// A form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormDef {
    /// Marker (`reg`).
    pub identifier: String,
    /// What the form is for: `sign_up`, `order` or `data`.
    pub kind: FormKind,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// Fields, in display order.
    #[serde(default)]
    pub fields: Vec<FieldDef>,
    /// Data forms: who reads the submissions (`own`, the default; `public_approved`;
    /// `operators`).
    #[serde(default, skip_serializing_if = "FormRead::is_own")]
    pub read: FormRead,
    /// Data forms: new submissions wait for an operator's approval (the default); `false`
    /// approves them at once.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub moderation: bool,
    /// Data forms: what `postFormsData` answers the sender, by locale.
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub action_message: Localized,
    /// Data forms: submissions the definition holds (seed reviews).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seed: Vec<SeedDef>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_true(v: &bool) -> bool {
    *v
}

/// A form field and its roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Marker (`email_reg`).
    pub marker: String,
    /// Value type: `string`, `text`, `integer`, `float`, `date`, `list`, `boolean`.
    #[serde(rename = "type", default)]
    pub kind: FieldKind,
    /// Localized label.
    #[serde(default)]
    pub title: Localized,
    /// Must be filled.
    #[serde(default)]
    pub required: bool,
    /// The login of a sign-up form.
    #[serde(default)]
    pub login: bool,
    /// The password of a sign-up form.
    #[serde(default)]
    pub password: bool,
    /// Holds the e-mail address notifications go to.
    #[serde(default)]
    pub notification_email: bool,
    /// The value must be an e-mail address.
    #[serde(default)]
    pub email: bool,
    /// The value must be a phone number (data forms).
    #[serde(default, skip_serializing_if = "is_false")]
    pub phone: bool,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_false(v: &bool) -> bool {
    !*v
}

impl FormDef {
    /// The field with this marker.
    pub fn field(&self, marker: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.marker == marker)
    }

    /// The login field.
    pub fn login_field(&self) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.login)
    }

    /// The password field.
    pub fn password_field(&self) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.password)
    }
}
