//! The project definition: a declarative, versionable description of a project (locales, app
//! tokens, auth providers, forms). It is read from TOML by the server, checked here, and
//! imported as a whole. Later issues add catalog, order storages and payments as new tables of
//! the same file; unknown keys are refused so a typo never passes silently.

mod admins;
mod attributes;
mod catalog;
mod catalog_events;
mod check;
mod check_commerce;
mod check_content;
mod check_discounts;
mod check_values;
mod collections;
mod content;
mod discounts;
mod events;
mod events_check;
mod form_data;
mod forms;
mod kinds;
mod localized;
mod marked;
pub mod media;
mod orders;
mod schedule;
mod values;
mod walk;

use serde::{Deserialize, Serialize};

use crate::codes::CodePolicy;

pub use admins::AdminDef;
pub use attributes::{
    AdditionalFieldDef, AttributeDef, AttributeKind, ExtendedDef, ItemValue, ListItemDef,
};
pub use catalog::{AttrValue, AttributeSetDef, ProductDef, ProductStatusDef};
pub use catalog_events::catalog_changes;
pub use check::{DefinitionError, check};
pub use check_discounts::{MAX_MASK_CODES, is_code, percent};
pub use collections::{CollectionDef, CollectionRead, CollectionWrite};
pub use content::{
    BlockDef, GeneralType, LocaleDef, LocalizedValues, MenuDef, MenuItemDef, PageDef,
    ProportionDef, TemplateDef, TemplatePreviewDef, Values,
};
pub use discounts::{
    Applicability, BonusSettingsDef, BonusTrigger, ConditionDef, ConditionLogic, ConditionType,
    CouponDef, DiscountDef, DiscountKind, DiscountSettingsDef, ValueType,
};
pub use events::{Channel, Condition, EventDef, EventModule, MessageDef, Recipient, WebhookDef};
pub use form_data::{FormRead, SeedDef};
pub use forms::{FieldDef, FormDef};
pub use kinds::{AccountKind, AuthKind, FieldKind, FormKind};
pub use localized::{Localized, text_in};
pub use marked::Marked;
pub use media::{MediaRef, StoredMedia};
pub use orders::{OrderStatusDef, OrderStorageDef, PaymentAccountDef, StripeDef, TransitionDef};
pub use schedule::{Schedule, ScheduleDef};
pub use values::{
    IntervalEnd, ParsedValue, TextValue, TypedValue, items_of, parse_typed, parse_value,
    split_additional,
};
pub use walk::{Visit, for_each_leaf, walk_values};

/// A whole project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProjectDefinition {
    /// Project-wide settings.
    #[serde(default)]
    pub project: ProjectSettings,
    /// App tokens accepted in `x-app-token` besides the install's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub app_tokens: Vec<AppTokenDef>,
    /// Auth providers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auth_providers: Vec<AuthProviderDef>,
    /// Forms: sign-up, order (checkout) and data forms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<FormDef>,
    /// Product statuses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub product_statuses: Vec<ProductStatusDef>,
    /// Attribute sets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attribute_sets: Vec<AttributeSetDef>,
    /// Products.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<ProductDef>,
    /// Payment accounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_accounts: Vec<PaymentAccountDef>,
    /// Order storages with their statuses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order_storages: Vec<OrderStorageDef>,
    /// Details of the locales of `project.locales` (names, flags, direction).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locales: Vec<LocaleDef>,
    /// Templates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<TemplateDef>,
    /// Template previews.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub template_previews: Vec<TemplatePreviewDef>,
    /// Pages (the site tree).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<PageDef>,
    /// Blocks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<BlockDef>,
    /// Menus.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub menus: Vec<MenuDef>,
    /// Admins' public profiles (`Admins.getAdminsInfo`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admins: Vec<AdminDef>,
    /// Integration collections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collections: Vec<CollectionDef>,
    /// Events: conditions, recipients, channels and messages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<EventDef>,
    /// Outgoing webhook endpoints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub webhooks: Vec<WebhookDef>,
    /// Discounts, coupons and bonus programs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discounts: Vec<DiscountDef>,
    /// Global discount settings.
    #[serde(default, skip_serializing_if = "is_default")]
    pub discount_settings: DiscountSettingsDef,
    /// Bonus payment settings.
    #[serde(default, skip_serializing_if = "is_default")]
    pub bonus_settings: BonusSettingsDef,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Project-wide settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectSettings {
    /// A name for people.
    #[serde(default)]
    pub name: String,
    /// Locales the project serves; the first is used when a request names none.
    #[serde(default = "default_locales")]
    pub locales: Vec<String>,
}

impl Default for ProjectSettings {
    fn default() -> Self {
        Self {
            name: String::new(),
            locales: default_locales(),
        }
    }
}

fn default_locales() -> Vec<String> {
    vec!["en_US".to_owned()]
}

impl ProjectSettings {
    /// The default locale.
    pub fn default_locale(&self) -> &str {
        self.locales.first().map_or("en_US", String::as_str)
    }
}

/// What the management API answers in place of a secret it never returns (docs/decisions.md,
/// "Project management API"); `check` refuses it as a value, so a file exported that way
/// cannot be imported with the secret lost.
pub const SECRET_MARKER: &str = "<write-only>";

/// An app token: the token itself, or the name of an environment variable that holds it
/// (so the file can be committed without the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppTokenDef {
    /// A name for people (`storefront`).
    pub name: String,
    /// The token, at least 16 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Environment variable to read the token from at start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_env: Option<String>,
}

/// An auth provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthProviderDef {
    /// Marker used in URLs (`email`).
    pub identifier: String,
    /// Kind of provider; `email` (login + password) is the one supported, and any other
    /// name is refused when the TOML is read.
    #[serde(rename = "type")]
    pub kind: AuthKind,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// Whether sign-up and sign-in are open.
    #[serde(default = "yes")]
    pub active: bool,
    /// Whether new users must confirm a one-time code before signing in.
    #[serde(default)]
    pub check_code: bool,
    /// Marker of the sign-up form.
    pub form: String,
    /// Group new users join.
    #[serde(default = "guest")]
    pub user_group: String,
    /// Access token lifetime in seconds.
    #[serde(default = "access_ttl")]
    pub access_token_ttl_secs: i64,
    /// Absolute lifetime of a sign-in (its refresh tokens) in seconds.
    #[serde(default = "refresh_ttl")]
    pub refresh_token_ttl_secs: i64,
    /// One-time code settings.
    #[serde(default)]
    pub codes: CodesDef,
}

pub(super) fn yes() -> bool {
    true
}
fn guest() -> String {
    "guest".to_owned()
}
fn access_ttl() -> i64 {
    3600
}
fn refresh_ttl() -> i64 {
    30 * 24 * 3600
}

/// One-time code settings of a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodesDef {
    /// Characters in a code.
    pub length: usize,
    /// Digits only.
    pub digits_only: bool,
    /// Lifetime in seconds.
    pub ttl_secs: i64,
    /// Wrong tries before the code is destroyed.
    pub max_attempts: i64,
    /// Seconds before a new code may be sent to the same login.
    pub resend_after_secs: i64,
}

impl Default for CodesDef {
    fn default() -> Self {
        let p = CodePolicy::default();
        Self {
            length: p.length,
            digits_only: p.digits_only,
            ttl_secs: p.ttl_secs,
            max_attempts: p.max_attempts,
            resend_after_secs: p.resend_after_secs,
        }
    }
}

impl From<CodesDef> for CodePolicy {
    fn from(d: CodesDef) -> Self {
        Self {
            length: d.length,
            digits_only: d.digits_only,
            ttl_secs: d.ttl_secs,
            max_attempts: d.max_attempts,
            resend_after_secs: d.resend_after_secs,
        }
    }
}

impl ProjectDefinition {
    /// The form with this marker.
    pub fn form(&self, identifier: &str) -> Option<&FormDef> {
        self.forms.iter().find(|f| f.identifier == identifier)
    }

    /// The auth provider with this marker.
    pub fn provider(&self, identifier: &str) -> Option<&AuthProviderDef> {
        self.auth_providers
            .iter()
            .find(|p| p.identifier == identifier)
    }

    /// The product with this id.
    pub fn product(&self, id: i64) -> Option<&ProductDef> {
        self.products.iter().find(|p| p.id == id)
    }

    /// The attribute set with this marker.
    pub fn attribute_set(&self, identifier: &str) -> Option<&AttributeSetDef> {
        self.attribute_sets
            .iter()
            .find(|s| s.identifier == identifier)
    }

    /// The product status with this marker.
    pub fn product_status(&self, identifier: &str) -> Option<&ProductStatusDef> {
        self.product_statuses
            .iter()
            .find(|s| s.identifier == identifier)
    }

    /// The status of a product: its own, or the default one.
    pub fn status_of(&self, product: &ProductDef) -> Option<&ProductStatusDef> {
        match &product.status {
            Some(s) => self.product_status(s),
            None => self.product_statuses.iter().find(|s| s.default),
        }
    }

    /// The payment account with this marker.
    pub fn payment_account(&self, identifier: &str) -> Option<&PaymentAccountDef> {
        self.payment_accounts
            .iter()
            .find(|a| a.identifier == identifier)
    }

    /// The page with this URL.
    pub fn page(&self, url: &str) -> Option<&PageDef> {
        self.pages.iter().find(|p| p.url == url)
    }

    /// The block with this marker.
    pub fn block(&self, identifier: &str) -> Option<&BlockDef> {
        self.blocks.iter().find(|b| b.identifier == identifier)
    }

    /// The template with this marker.
    pub fn template(&self, identifier: &str) -> Option<&TemplateDef> {
        self.templates.iter().find(|t| t.identifier == identifier)
    }

    /// The collection with this marker.
    pub fn collection(&self, identifier: &str) -> Option<&CollectionDef> {
        self.collections.iter().find(|c| c.identifier == identifier)
    }

    /// The order storage with this marker.
    pub fn order_storage(&self, identifier: &str) -> Option<&OrderStorageDef> {
        self.order_storages
            .iter()
            .find(|s| s.identifier == identifier)
    }
}
