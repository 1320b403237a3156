//! The project the server serves: read from a definition file, imported into the database,
//! held in memory, and reloaded when another process imports a new revision.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, RwLock};

use openentry_domain::clock::Clock;
use openentry_domain::project::{
    self, AdminDef, AuthProviderDef, BlockDef, CollectionDef, FormDef, LocaleDef, Localized,
    MenuDef, OrderStorageDef, PageDef, PaymentAccountDef, ProjectDefinition, TemplateDef,
    TemplatePreviewDef,
};
use openentry_store::Db;
use openentry_store::project::ImportReport;

use crate::auth::tokens::app_token_hash;
use crate::media::MediaStore;
use crate::media::source::MediaSource;

mod entities;

pub use entities::{Entities, Entity, StorageStatus};

/// The demo project, also shipped as `examples/demo-project.toml`.
pub const DEMO_PROJECT: &str = include_str!("../../../examples/demo-project.toml");

/// Parses and checks a definition; errors name the file, the place inside it and the problem.
pub fn parse_definition(source_name: &str, text: &str) -> anyhow::Result<ProjectDefinition> {
    let def: ProjectDefinition =
        toml::from_str(text).map_err(|e| anyhow::anyhow!("{source_name}: {e}"))?;
    project::check(&def).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("{source_name}: {e}"))
            .collect();
        anyhow::anyhow!("the project definition is not valid:\n{}", lines.join("\n"))
    })?;
    Ok(def)
}

/// Reads, checks and imports a definition file (all or nothing), copying the media files it
/// names (paths relative to the file) into `media`.
pub async fn import_file(
    db: &Db,
    media: &dyn MediaStore,
    clock: &dyn Clock,
    path: &Path,
) -> anyhow::Result<ImportReport> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read project file {}: {e}", path.display()))?;
    let name = path.display().to_string();
    import_from(db, media, clock, &name, &text, &MediaSource::beside(path)).await
}

/// Imports the demo project with its built-in media.
pub async fn import_demo(
    db: &Db,
    media: &dyn MediaStore,
    clock: &dyn Clock,
) -> anyhow::Result<ImportReport> {
    import_from(
        db,
        media,
        clock,
        "demo project",
        DEMO_PROJECT,
        &MediaSource::Demo,
    )
    .await
}

/// Checks and imports a definition given as text (it can name no media paths: there is no
/// directory to read them from).
pub async fn import_text(
    db: &Db,
    media: &dyn MediaStore,
    clock: &dyn Clock,
    name: &str,
    text: &str,
) -> anyhow::Result<ImportReport> {
    import_from(db, media, clock, name, text, &MediaSource::None).await
}

async fn import_from(
    db: &Db,
    media: &dyn MediaStore,
    clock: &dyn Clock,
    name: &str,
    text: &str,
    source: &MediaSource,
) -> anyhow::Result<ImportReport> {
    let mut def = parse_definition(name, text)?;
    crate::media::import::prepare(&mut def, media, source)
        .await
        .map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(|e| format!("{name}: {e}")).collect();
            anyhow::anyhow!("the project definition is not valid:\n{}", lines.join("\n"))
        })?;
    openentry_store::project::import(db, &def, clock.now())
        .await
        .map_err(|e| anyhow::anyhow!("{name}: not imported: {e}"))
}

/// The stored definition as a file that imports again: media keys become `media/<key>` paths;
/// with `dir`, the media files are copied there (`<dir>/media/<key>`).
pub async fn export(
    def: &ProjectDefinition,
    media: &dyn MediaStore,
    dir: Option<&Path>,
) -> anyhow::Result<String> {
    let mut def = def.clone();
    let keys = crate::media::import::unprepare(&mut def);
    if let Some(dir) = dir {
        crate::media::import::copy_out(media, &keys, dir).await?;
    }
    to_toml(&def)
}

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

/// A definition as TOML text (for `project export`).
pub fn to_toml(def: &ProjectDefinition) -> anyhow::Result<String> {
    Ok(toml::to_string_pretty(def)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_the_place_and_the_problem() {
        let bad = DEMO_PROJECT.replace("form = \"reg\"", "form = \"regx\"");
        let err = parse_definition("shop.toml", &bad).unwrap_err().to_string();
        assert!(
            err.contains("shop.toml: auth_providers[0].form: form \"regx\" is not defined"),
            "{err}"
        );

        let typo = DEMO_PROJECT.replace("check_code = false", "chek_code = false");
        let err = parse_definition("shop.toml", &typo)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("shop.toml: TOML parse error at line"),
            "{err}"
        );
        assert!(err.contains("chek_code"), "{err}");

        let not_a_collection_form =
            DEMO_PROJECT.replace("form = \"wishlist_item\"", "form = \"contact_us\"");
        let err = parse_definition("shop.toml", &not_a_collection_form)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "shop.toml: collections[0].form: form \"contact_us\" has kind \"data\", not collection"
            ),
            "{err}"
        );
    }

    #[test]
    fn the_demo_project_is_valid_and_round_trips_through_export() {
        let def = parse_definition("demo", DEMO_PROJECT).unwrap();
        let exported = to_toml(&def).unwrap();
        assert_eq!(parse_definition("export", &exported).unwrap(), def);
    }

    /// The demo keeps the seed's markers and holds what OneEntry's Next.js shop template asks
    /// for by name (tests/sdk/test/template-replay.test.js replays its calls).
    #[test]
    fn the_demo_project_is_the_seed_and_the_shop_template() {
        let def = parse_definition("demo", DEMO_PROJECT).unwrap();
        let bag = def.products.iter().find(|p| p.id == 15).unwrap();
        let price = def.price_of(bag).unwrap().unwrap();
        assert_eq!((price.minor, price.currency.as_str()), (40_000, "USD"));
        assert!(
            def.order_storage("orders")
                .is_some_and(|s| s.form == "order")
        );
        assert!(def.order_storage("order").is_some());
        assert!(def.payment_account("cash").is_some());
        assert_eq!(def.project.locales, ["en_US", "ar_AE", "fr_FR"]);
        assert!(def.locales.iter().any(|l| l.code == "ar_AE" && l.rtl));
        for url in [
            "home_web",
            "shop",
            "category",
            "catalog_filters",
            "404",
            "payment",
        ] {
            assert!(def.page(url).is_some(), "page {url}");
        }
        for marker in ["system_content", "contact_info", "orders_settings"] {
            assert!(def.block(marker).is_some(), "block {marker}");
        }
        let menus = [
            "main_web",
            "user_web",
            "side_web",
            "bottom_web",
            "quick_links",
            "information",
        ];
        for marker in menus {
            assert!(
                def.menus
                    .iter()
                    .any(|m| m.identifier == marker && !m.items.is_empty()),
                "menu {marker}"
            );
        }
        for form in ["reg", "order", "contact_us", "comment_to_product"] {
            assert!(def.form(form).is_some(), "form {form}");
        }
        assert!(
            def.collection("wishlist")
                .is_some_and(|c| c.form == "wishlist_item")
        );
        let dictionary = def.block("system_content").unwrap();
        assert!(dictionary.values.len() >= 52);
        for lang in ["ar_AE", "fr_FR"] {
            assert_eq!(
                dictionary.localized_values[lang].len(),
                dictionary.values.len()
            );
        }
        assert!(def.products.iter().any(|p| p.id == 83 && p.sku.is_none()));
        assert!((12..=20).contains(&def.products.len()));
    }
}
