//! The content reads a storefront page makes, taken from the demo project: one read of each
//! kind for `bench op page|menu|block|locales`, and a whole page's calls (the shared layout's
//! plus a catalog page's own, as OneEntry's Next.js shop template makes them) for
//! `bench op storefront-page`.

use openentry_domain::project::{GeneralType, ProjectDefinition};

/// One HTTP call: a step name, the path (with query) and, for a POST, its JSON body.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    /// Name of the step in reports.
    pub(crate) step: &'static str,
    /// Path and query.
    pub(crate) path: String,
    /// Body of a POST; `None` for a GET.
    pub(crate) body: Option<&'static str>,
}

fn get(step: &'static str, path: String) -> Call {
    Call {
        step,
        path,
        body: None,
    }
}

/// The content calls of the served project.
#[derive(Debug, Clone)]
pub(crate) struct ContentCalls {
    /// `getPageByUrl` of the catalog page.
    pub(crate) page: Call,
    /// `getMenusByMarker` of the first menu.
    pub(crate) menu: Call,
    /// `getBlockByMarker` of the UI dictionary block (or the first block).
    pub(crate) block: Call,
    /// `getLocales`.
    pub(crate) locales: Call,
    /// `GET /healthz`, the baseline.
    pub(crate) healthz: Call,
    /// Every call of one storefront page, in the order the template makes them.
    pub(crate) storefront_page: Vec<Call>,
}

/// The template's "in stock" listing filter (a no-op title search and a status filter), sent
/// with every product list it renders.
const LISTING_FILTER: &str = r#"{"filter":[{"attributeMarker":"sku","conditionMarker":"nin","conditionValue":null,"title":""},{"statusMarker":"in_stock","attributeMarker":"price","conditionValue":null}]}"#;

impl ContentCalls {
    /// The calls for `def` in its default locale; an error when the project has no catalog
    /// page, menu or block to read.
    pub(crate) fn of(def: &ProjectDefinition) -> anyhow::Result<Self> {
        let lang = def.project.default_locale().to_owned();
        let q = format!("langCode={lang}");
        let catalog = def
            .pages
            .iter()
            .find(|p| p.visible && p.kind == GeneralType::CatalogPage)
            .ok_or_else(|| anyhow::anyhow!("the project has no visible catalog page"))?;
        let menus: Vec<&str> = def.menus.iter().map(|m| m.identifier.as_str()).collect();
        let first_menu = menus
            .first()
            .ok_or_else(|| anyhow::anyhow!("the project has no menu"))?;
        let dictionary = def
            .blocks
            .iter()
            .find(|b| b.identifier == "system_content")
            .or_else(|| def.blocks.first())
            .ok_or_else(|| anyhow::anyhow!("the project has no block"))?;
        let url = &catalog.url;
        let page = get("getPageByUrl", format!("/api/content/pages/url/{url}?{q}"));
        let menu = get(
            "getMenusByMarker",
            format!("/api/content/menus/marker/{first_menu}?{q}"),
        );
        let block = get(
            "getBlockByMarker",
            format!("/api/content/blocks/marker/{}?{q}", dictionary.identifier),
        );
        let locales = get("getLocales", "/api/content/locales/active/all".to_owned());
        let healthz = get("healthz", "/healthz".to_owned());

        // The shared layout: dictionary block, locales, up to six menus, the 404 page, contact.
        let mut all = vec![block.clone(), locales.clone()];
        for m in menus.iter().take(6) {
            all.push(get(
                "getMenusByMarker",
                format!("/api/content/menus/marker/{m}?{q}"),
            ));
        }
        if def.page("404").is_some_and(|p| p.visible) {
            all.push(get(
                "getPageByUrl",
                format!("/api/content/pages/url/404?{q}"),
            ));
        }
        if def.block("contact_info").is_some_and(|b| b.visible) {
            all.push(get(
                "getBlockByMarker",
                format!("/api/content/blocks/marker/contact_info?{q}"),
            ));
        }
        // The catalog page itself.
        all.push(page.clone());
        if let Some(t) = &catalog.template {
            all.push(get(
                "getTemplateByMarker",
                format!("/api/content/templates/marker/{t}?{q}"),
            ));
        }
        all.push(get(
            "getChildPagesByParentUrl",
            format!("/api/content/pages/{url}/children?{q}"),
        ));
        all.push(get(
            "getBlocksByPageUrl",
            format!("/api/content/pages/{url}/blocks?{q}"),
        ));
        all.push(Call {
            step: "getProductsByPageUrl",
            path: format!("/api/content/products/page/url/{url}?{q}&offset=0&limit=12"),
            body: Some(LISTING_FILTER),
        });
        Ok(Self {
            page,
            menu,
            block,
            locales,
            healthz,
            storefront_page: all,
        })
    }
}
