//! The marker that names a definition: the key the served project indexes it by and the key
//! its stored integer id is kept under.

use super::{
    AdminDef, AuthProviderDef, BlockDef, CollectionDef, FormDef, LocaleDef, MenuDef,
    OrderStatusDef, OrderStorageDef, PageDef, PaymentAccountDef, TemplateDef, TemplatePreviewDef,
};

/// A definition named by a marker unique among its kind (order statuses: in the whole project).
pub trait Marked {
    /// The marker (`identifier` in the file).
    fn marker(&self) -> &str;
}

macro_rules! marked_by_identifier {
    ($($t:ty),*) => {
        $(impl Marked for $t {
            fn marker(&self) -> &str {
                &self.identifier
            }
        })*
    };
}

marked_by_identifier!(
    AuthProviderDef,
    FormDef,
    PaymentAccountDef,
    OrderStorageDef,
    OrderStatusDef,
    BlockDef,
    MenuDef,
    TemplateDef,
    TemplatePreviewDef,
    AdminDef,
    CollectionDef
);

impl Marked for PageDef {
    fn marker(&self) -> &str {
        &self.url
    }
}

impl Marked for LocaleDef {
    fn marker(&self) -> &str {
        &self.code
    }
}
