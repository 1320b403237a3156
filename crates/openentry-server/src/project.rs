//! The project the server serves: read from a definition file, imported into the database,
//! held in memory, and reloaded when another process imports a new revision.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};

use openentry_domain::project::{
    self, AdminDef, AuthProviderDef, BlockDef, CollectionDef, FormDef, LocaleDef, Localized,
    MenuDef, OrderStorageDef, PageDef, PaymentAccountDef, ProjectDefinition, TemplateDef,
    TemplatePreviewDef,
};
use openentry_store::Db;

use crate::auth::tokens::app_token_hash;

pub(crate) mod edit;
mod entities;
mod io;
pub(crate) mod manage;
pub(crate) mod sections;
pub(crate) mod settings;

pub use entities::{Entities, Entity, StorageStatus};
pub use io::{
    DEMO_PROJECT, export, import_demo, import_file, import_text, parse_definition, to_toml,
};

/// An auth provider with its stored identity.
pub type Provider = Entity<AuthProviderDef>;

/// A form with its stored identity.
pub type Form = Entity<FormDef>;

/// The project as served.
#[derive(Debug, Clone)]
pub struct Project {
    /// The whole definition.
    pub def: ProjectDefinition,
    /// The stored revision this was loaded from.
    pub revision: i64,
    /// Auth providers.
    pub providers: Entities<AuthProviderDef>,
    /// Forms.
    pub forms: Entities<FormDef>,
    /// Payment accounts.
    pub payment_accounts: Entities<PaymentAccountDef>,
    /// Order storages.
    pub order_storages: Entities<OrderStorageDef>,
    /// Order statuses of every storage (markers are unique in the whole project).
    pub order_statuses: Entities<StorageStatus>,
    /// Locales in `project.locales` order, each with its details (defaults when the file
    /// gives none).
    pub locales: Entities<LocaleDef>,
    /// Pages by URL.
    pub pages: Entities<PageDef>,
    /// Blocks.
    pub blocks: Entities<BlockDef>,
    /// Menus.
    pub menus: Entities<MenuDef>,
    /// Templates.
    pub templates: Entities<TemplateDef>,
    /// Template previews.
    pub template_previews: Entities<TemplatePreviewDef>,
    /// Admins' public profiles.
    pub admins: Entities<AdminDef>,
    /// Integration collections.
    pub collections: Entities<CollectionDef>,
    /// Base of media links (`http://127.0.0.1:3000`; `content::attributes::media_link` builds them).
    pub media_base: Arc<str>,
    app_tokens: HashSet<[u8; 32]>,
    /// Answers of content reads made from this revision (see [`crate::answer_cache`]).
    pub answers: crate::answer_cache::AnswerCache,
}

impl Project {
    /// The default locale.
    pub fn default_locale(&self) -> &str {
        self.def.project.default_locale()
    }

    /// `texts` in `lang`, else the default locale, else any (the one fallback, see
    /// [`openentry_domain::project::text_in`]).
    pub fn text_in<'a>(&self, texts: &'a Localized, lang: &str) -> Option<&'a str> {
        project::text_in(texts, lang, self.default_locale())
    }

    /// Whether `token` is one of the project's app tokens.
    pub fn accepts_app_token(&self, token: &str) -> bool {
        self.app_tokens.contains(&app_token_hash(token))
    }
}

#[cfg(test)]
impl Project {
    /// A project served from `def` alone (no stored ids), for unit tests of renderers.
    pub(crate) fn for_tests(def: ProjectDefinition, media_base: &str) -> Self {
        Self {
            def,
            revision: 1,
            providers: Entities::default(),
            forms: Entities::default(),
            payment_accounts: Entities::default(),
            order_storages: Entities::default(),
            order_statuses: Entities::default(),
            locales: Entities::default(),
            pages: Entities::default(),
            blocks: Entities::default(),
            menus: Entities::default(),
            templates: Entities::default(),
            template_previews: Entities::default(),
            admins: Entities::default(),
            collections: Entities::default(),
            media_base: Arc::from(media_base),
            app_tokens: HashSet::new(),
            answers: crate::answer_cache::AnswerCache::default(),
        }
    }
}

/// The current project, swapped atomically on reload.
#[derive(Debug)]
pub struct ProjectHandle {
    current: RwLock<Arc<Project>>,
    install_token: String,
    media_base: RwLock<Arc<str>>,
}

impl ProjectHandle {
    /// Loads the stored project.
    pub async fn load(db: &Db, install_token: String, media_base: &str) -> anyhow::Result<Self> {
        let media_base: Arc<str> = Arc::from(media_base.trim_end_matches('/'));
        let project = build(db, &install_token, Arc::clone(&media_base)).await?;
        Ok(Self {
            current: RwLock::new(Arc::new(project)),
            install_token,
            media_base: RwLock::new(media_base),
        })
    }

    fn media_base(&self) -> Arc<str> {
        match self.media_base.read() {
            Ok(b) => Arc::clone(&b),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Sets the base of media links (once the listening address is known) and swaps in the
    /// current project with it.
    pub fn set_media_base(&self, base: &str) {
        let base: Arc<str> = Arc::from(base.trim_end_matches('/'));
        match self.media_base.write() {
            Ok(mut b) => *b = Arc::clone(&base),
            Err(poisoned) => *poisoned.into_inner() = Arc::clone(&base),
        }
        let mut project = (*self.get()).clone();
        project.media_base = base;
        self.swap(Arc::new(project));
    }

    fn swap(&self, project: Arc<Project>) {
        match self.current.write() {
            Ok(mut p) => *p = project,
            Err(poisoned) => *poisoned.into_inner() = project,
        }
    }

    /// The project now.
    pub fn get(&self) -> Arc<Project> {
        match self.current.read() {
            Ok(p) => Arc::clone(&p),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Reloads if the stored revision moved; returns whether it did.
    pub async fn refresh(&self, db: &Db) -> anyhow::Result<bool> {
        let stored = openentry_store::project::revision(db).await?;
        if stored == self.get().revision {
            return Ok(false);
        }
        let project = Arc::new(build(db, &self.install_token, self.media_base()).await?);
        self.swap(project);
        Ok(true)
    }
}

async fn build(db: &Db, install_token: &str, media_base: Arc<str>) -> anyhow::Result<Project> {
    let stored = openentry_store::project::load(db).await?;
    let def = stored.definition;
    let statuses = def.order_storages.iter().flat_map(|storage| {
        storage.statuses.iter().map(|status| StorageStatus {
            storage: storage.identifier.clone(),
            status: status.clone(),
        })
    });
    Ok(Project {
        providers: Entities::pair(&stored.providers, def.auth_providers.iter().cloned()),
        forms: Entities::pair(&stored.forms, def.forms.iter().cloned()),
        payment_accounts: Entities::pair(
            &stored.payment_accounts,
            def.payment_accounts.iter().cloned(),
        ),
        order_storages: Entities::pair(&stored.order_storages, def.order_storages.iter().cloned()),
        order_statuses: Entities::pair(&stored.order_statuses, statuses),
        locales: Entities::pair(&stored.content.locales, locale_details(&def)),
        pages: Entities::pair(&stored.content.pages, def.pages.iter().cloned()),
        blocks: Entities::pair(&stored.content.blocks, def.blocks.iter().cloned()),
        menus: Entities::pair(&stored.content.menus, def.menus.iter().cloned()),
        templates: Entities::pair(&stored.content.templates, def.templates.iter().cloned()),
        template_previews: Entities::pair(
            &stored.content.template_previews,
            def.template_previews.iter().cloned(),
        ),
        admins: Entities::pair(&stored.content.admins, def.admins.iter().cloned()),
        collections: Entities::pair(&stored.collections, def.collections.iter().cloned()),
        app_tokens: app_tokens(&def, install_token),
        answers: crate::answer_cache::AnswerCache::default(),
        media_base,
        revision: stored.revision,
        def,
    })
}

/// Every locale of `project.locales` with its details (none for a locale the file only lists by
/// code).
fn locale_details(def: &ProjectDefinition) -> Vec<LocaleDef> {
    def.project
        .locales
        .iter()
        .map(|code| {
            def.locales
                .iter()
                .find(|l| &l.code == code)
                .cloned()
                .unwrap_or_else(|| LocaleDef {
                    code: code.clone(),
                    short_code: None,
                    // Named by its code when served (`content::locales::active`).
                    name: String::new(),
                    native_name: String::new(),
                    image: None,
                    active: true,
                    rtl: false,
                })
        })
        .collect()
}

/// The hashes of the accepted app tokens: the install's own and the definition's.
fn app_tokens(def: &ProjectDefinition, install_token: &str) -> HashSet<[u8; 32]> {
    let mut app_tokens = HashSet::from([app_token_hash(install_token)]);
    for t in &def.app_tokens {
        let value = match (&t.token, &t.token_env) {
            (Some(v), _) => Some(v.clone()),
            (None, Some(var)) => crate::config::env_value(var),
            (None, None) => None,
        };
        match value {
            Some(v) => {
                app_tokens.insert(app_token_hash(&v));
            }
            None => {
                tracing::warn!(name = %t.name, "app token has no value (is its token_env set?); it is not accepted");
            }
        }
    }
    app_tokens
}

#[cfg(test)]
mod tests;
