//! The sitemap's settings: the storefront's address per language and what every entry says
//! about how often it changes and how much it matters.
//!
//! Only these settings are stored (one row of `settings`); the entries are built from the
//! served project each time a sitemap is read, so no stored sitemap can fall out of date.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::db::q;
use crate::{Exec, StoreError};

const KEY: &str = "sitemap.settings";

/// What `updateSitemap` stored.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SitemapSettings {
    /// langCode → the storefront's address in that language, ending in `/`.
    pub base_urls: BTreeMap<String, String>,
    /// `changefreq` of every entry (`daily`, …), if set.
    pub changefreq: Option<String>,
    /// `priority` of every entry (0 to 1), if set.
    pub priority: Option<f64>,
}

#[derive(sqlx::FromRow, serde::Deserialize)]
struct Row {
    value: String,
}

/// The stored settings; the empty default before the first `set`.
pub async fn get(mut e: impl Exec) -> Result<SitemapSettings, StoreError> {
    let mut c = e.executor();
    let row: Option<Row> = c
        .opt(q("SELECT value FROM settings WHERE key = $1").bind(KEY))
        .await?;
    match row {
        None => Ok(SitemapSettings::default()),
        Some(r) => serde_json::from_str(&r.value).map_err(|err| StoreError::Corrupt {
            column: format!("settings.value ({KEY})"),
            reason: err.to_string(),
        }),
    }
}

/// Replaces the stored settings.
pub async fn set(mut e: impl Exec, settings: &SitemapSettings) -> Result<(), StoreError> {
    let json = serde_json::to_string(settings).map_err(|err| StoreError::Encode(Box::new(err)))?;
    let mut c = e.executor();
    c.exec(
        q("INSERT INTO settings (key, value) VALUES ($1, $2)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(KEY)
        .bind(json),
    )
    .await?;
    Ok(())
}
