//! The project the server serves: read from a definition file, imported into the database,
//! held in memory, and reloaded when another process imports a new revision.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, RwLock};

use openentry_domain::clock::Clock;
use openentry_domain::project::{
    self, AuthProviderDef, FormDef, OrderStatusDef, OrderStorageDef, PaymentAccountDef,
    ProjectDefinition,
};
use openentry_store::Db;
use openentry_store::project::EntityRow;
use openentry_store::project::ImportReport;

use crate::auth::tokens::app_token_hash;

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

/// Reads, checks and imports a definition file (all or nothing).
pub async fn import_file(db: &Db, clock: &dyn Clock, path: &Path) -> anyhow::Result<ImportReport> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read project file {}: {e}", path.display()))?;
    import_text(db, clock, &path.display().to_string(), &text).await
}

/// Checks and imports a definition given as text.
pub async fn import_text(
    db: &Db,
    clock: &dyn Clock,
    name: &str,
    text: &str,
) -> anyhow::Result<ImportReport> {
    let def = parse_definition(name, text)?;
    openentry_store::project::import(db, &def, clock.now())
        .await
        .map_err(|e| anyhow::anyhow!("{name}: not imported: {e}"))
}

/// An auth provider with its stored identity.
#[derive(Debug, Clone)]
pub struct Provider {
    /// Integer id.
    pub id: i64,
    /// Bumped on change.
    pub version: i64,
    /// The definition.
    pub def: AuthProviderDef,
}

/// A form with its stored identity.
#[derive(Debug, Clone)]
pub struct Form {
    /// Integer id.
    pub id: i64,
    /// Bumped on change.
    pub version: i64,
    /// Place in lists.
    pub position: i64,
    /// The definition.
    pub def: FormDef,
}

/// An entity of the definition with its stored integer id.
#[derive(Debug, Clone)]
pub struct Entity<T> {
    /// Integer id.
    pub id: i64,
    /// Bumped on change.
    pub version: i64,
    /// Place in lists.
    pub position: i64,
    /// Last change of the definition (Unix ms).
    pub updated_at: i64,
    /// The definition.
    pub def: T,
}

/// The project as served.
#[derive(Debug, Clone)]
pub struct Project {
    /// The whole definition.
    pub def: ProjectDefinition,
    /// The stored revision this was loaded from.
    pub revision: i64,
    /// Auth providers in definition order.
    pub providers: Vec<Provider>,
    /// Forms in definition order.
    pub forms: Vec<Form>,
    /// Payment accounts.
    pub payment_accounts: Vec<Entity<PaymentAccountDef>>,
    /// Order storages.
    pub order_storages: Vec<Entity<OrderStorageDef>>,
    /// Order statuses of every storage: (storage marker, status).
    pub order_statuses: Vec<Entity<(String, OrderStatusDef)>>,
    app_tokens: HashSet<[u8; 32]>,
}

impl Project {
    /// The provider with this marker.
    pub fn provider(&self, marker: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.def.identifier == marker)
    }

    /// The provider with this id.
    pub fn provider_by_id(&self, id: i64) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// The form with this marker.
    pub fn form(&self, marker: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.def.identifier == marker)
    }

    /// The order storage with this marker.
    pub fn order_storage(&self, marker: &str) -> Option<&Entity<OrderStorageDef>> {
        self.order_storages
            .iter()
            .find(|s| s.def.identifier == marker)
    }

    /// The order storage with this id.
    pub fn order_storage_by_id(&self, id: i64) -> Option<&Entity<OrderStorageDef>> {
        self.order_storages.iter().find(|s| s.id == id)
    }

    /// The order status with this marker.
    pub fn order_status(&self, marker: &str) -> Option<&Entity<(String, OrderStatusDef)>> {
        self.order_statuses
            .iter()
            .find(|s| s.def.1.identifier == marker)
    }

    /// The order status with this id.
    pub fn order_status_by_id(&self, id: i64) -> Option<&Entity<(String, OrderStatusDef)>> {
        self.order_statuses.iter().find(|s| s.id == id)
    }

    /// The payment account with this marker.
    pub fn payment_account(&self, marker: &str) -> Option<&Entity<PaymentAccountDef>> {
        self.payment_accounts
            .iter()
            .find(|a| a.def.identifier == marker)
    }

    /// The payment account with this id.
    pub fn payment_account_by_id(&self, id: i64) -> Option<&Entity<PaymentAccountDef>> {
        self.payment_accounts.iter().find(|a| a.id == id)
    }

    /// The default locale.
    pub fn default_locale(&self) -> &str {
        self.def.project.default_locale()
    }

    /// Whether `token` is one of the project's app tokens.
    pub fn accepts_app_token(&self, token: &str) -> bool {
        self.app_tokens.contains(&app_token_hash(token))
    }
}

/// The current project, swapped atomically on reload.
#[derive(Debug)]
pub struct ProjectHandle {
    current: RwLock<Arc<Project>>,
    install_token: String,
}

impl ProjectHandle {
    /// Loads the stored project.
    pub async fn load(db: &Db, install_token: String) -> anyhow::Result<Self> {
        let project = build(db, &install_token).await?;
        Ok(Self {
            current: RwLock::new(Arc::new(project)),
            install_token,
        })
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
        let project = Arc::new(build(db, &self.install_token).await?);
        match self.current.write() {
            Ok(mut p) => *p = project,
            Err(poisoned) => *poisoned.into_inner() = project,
        }
        Ok(true)
    }
}

fn entity<T>(row: &EntityRow, def: T) -> Entity<T> {
    Entity {
        id: row.id,
        version: row.version,
        position: row.position,
        updated_at: row.updated_at,
        def,
    }
}

async fn build(db: &Db, install_token: &str) -> anyhow::Result<Project> {
    let stored = openentry_store::project::load(db).await?;
    let def = stored.definition;
    let providers = stored
        .providers
        .iter()
        .filter_map(|row| {
            let d = def.provider(&row.identifier)?.clone();
            Some(Provider {
                id: row.id,
                version: row.version,
                def: d,
            })
        })
        .collect();
    let forms = stored
        .forms
        .iter()
        .filter_map(|row| {
            let d = def.form(&row.identifier)?.clone();
            Some(Form {
                id: row.id,
                version: row.version,
                position: row.position,
                def: d,
            })
        })
        .collect();
    let payment_accounts = stored
        .payment_accounts
        .iter()
        .filter_map(|r| Some(entity(r, def.payment_account(&r.identifier)?.clone())))
        .collect();
    let order_storages = stored
        .order_storages
        .iter()
        .filter_map(|r| Some(entity(r, def.order_storage(&r.identifier)?.clone())))
        .collect();
    let order_statuses = stored
        .order_statuses
        .iter()
        .filter_map(|r| {
            let storage = def
                .order_storages
                .iter()
                .find(|s| s.status(&r.identifier).is_some())?;
            let status = storage.status(&r.identifier)?.clone();
            Some(entity(r, (storage.identifier.clone(), status)))
        })
        .collect();
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
                tracing::warn!(name = %t.name, "app token has no value (is its token_env set?); it is not accepted")
            }
        }
    }
    Ok(Project {
        def,
        revision: stored.revision,
        providers,
        forms,
        payment_accounts,
        order_storages,
        order_statuses,
        app_tokens,
    })
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
    }

    #[test]
    fn the_demo_project_is_valid_and_round_trips_through_export() {
        let def = parse_definition("demo", DEMO_PROJECT).unwrap();
        let exported = to_toml(&def).unwrap();
        assert_eq!(parse_definition("export", &exported).unwrap(), def);
    }
}
