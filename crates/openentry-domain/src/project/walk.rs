//! Every attribute value of a definition with its place and its attribute: what the value
//! checks read and what an import rewrites (media paths into store keys, HTML into clean HTML).

use std::collections::BTreeMap;

use super::{
    AttrValue, AttributeDef, AttributeKind, AttributeSetDef, DefinitionError, LocalizedValues,
    ProjectDefinition, Values,
};

/// What a walk does with one value: `f(place, attribute, value)`; an `Err` is recorded at the
/// place and the walk goes on.
pub type Visit<'f> = dyn FnMut(&str, &AttributeDef, &mut AttrValue) -> Result<(), String> + 'f;

/// Visits every attribute value: of products, pages, blocks, templates, admins and template previews
/// (with their per-locale values), the images of list items and the values of additional
/// fields. Values whose set or attribute is unknown are skipped (other checks name them).
/// Returns every error `f` gave, at its place (`pages[2].values.banner`).
pub fn walk_values(def: &mut ProjectDefinition, f: &mut Visit<'_>) -> Vec<DefinitionError> {
    let sets = def.attribute_sets.clone();
    let mut errors = Vec::new();
    let mut w = Walker {
        sets: &sets,
        f,
        errors: &mut errors,
    };
    for (i, p) in def.products.iter_mut().enumerate() {
        let at = format!("products[{i}]");
        w.values(&at, Some(&p.attribute_set), &mut p.values);
        w.localized(&at, Some(&p.attribute_set), &mut p.localized_values);
    }
    macro_rules! entities {
        ($list:expr, $name:literal) => {
            for (i, e) in $list.iter_mut().enumerate() {
                let at = format!(concat!($name, "[{}]"), i);
                w.values(&at, e.attribute_set.as_ref(), &mut e.values);
                w.localized(&at, e.attribute_set.as_ref(), &mut e.localized_values);
            }
        };
    }
    entities!(def.pages, "pages");
    entities!(def.blocks, "blocks");
    entities!(def.templates, "templates");
    entities!(def.admins, "admins");
    for (i, t) in def.template_previews.iter_mut().enumerate() {
        let at = format!("template_previews[{i}]");
        w.values(&at, t.attribute_set.as_ref(), &mut t.values);
    }
    for (i, set) in def.attribute_sets.iter_mut().enumerate() {
        w.definitions(&format!("attribute_sets[{i}]"), set);
    }
    errors
}

struct Walker<'a, 'f> {
    sets: &'a [AttributeSetDef],
    f: &'a mut Visit<'f>,
    errors: &'a mut Vec<DefinitionError>,
}

impl Walker<'_, '_> {
    fn visit(&mut self, place: String, attr: &AttributeDef, v: &mut AttrValue) {
        if let Err(message) = (self.f)(&place, attr, v) {
            self.errors.push(DefinitionError {
                path: place,
                message,
            });
        }
    }

    fn values(&mut self, at: &str, set: Option<&String>, values: &mut Values) {
        self.values_at(&format!("{at}.values"), set, values);
    }

    fn localized(&mut self, at: &str, set: Option<&String>, values: &mut LocalizedValues) {
        for (lang, vals) in values.iter_mut() {
            self.values_at(&format!("{at}.localized_values.{lang}"), set, vals);
        }
    }

    fn values_at(
        &mut self,
        at: &str,
        set: Option<&String>,
        values: &mut BTreeMap<String, AttrValue>,
    ) {
        let sets = self.sets;
        let Some(set) = set.and_then(|s| sets.iter().find(|d| &d.identifier == s)) else {
            return;
        };
        for (marker, v) in values.iter_mut() {
            if let Some(attr) = set.attributes.iter().find(|a| &a.marker == marker) {
                self.visit(format!("{at}.{marker}"), attr, v);
            }
        }
    }

    /// Values inside attribute definitions: images of list items, additional field defaults.
    fn definitions(&mut self, at: &str, set: &mut AttributeSetDef) {
        for (j, a) in set.attributes.iter_mut().enumerate() {
            let aat = format!("{at}.attributes[{j}]");
            for (k, item) in a.list_items.iter_mut().enumerate() {
                if let Some(ext) = item.extended.as_mut().filter(|e| e.is_image()) {
                    let image = AttributeDef {
                        kind: AttributeKind::Image,
                        ..plain(&a.marker)
                    };
                    self.visit(
                        format!("{aat}.list_items[{k}].extended.value"),
                        &image,
                        &mut ext.value,
                    );
                }
            }
            for (k, field) in a.additional_fields.iter_mut().enumerate() {
                let attr = field.as_attribute();
                if let Some(v) = field.value.as_mut() {
                    self.visit(format!("{aat}.additional_fields[{k}].value"), &attr, v);
                }
            }
        }
    }
}

/// A `string` attribute named `marker` (the base the walk builds synthetic attributes from).
fn plain(marker: &str) -> AttributeDef {
    AttributeDef {
        marker: marker.to_owned(),
        kind: AttributeKind::String,
        title: BTreeMap::new(),
        price: false,
        currency: false,
        icon: false,
        product_preview: false,
        list_items: Vec::new(),
        additional_fields: Vec::new(),
        schedule: Vec::new(),
    }
}

/// Applies `f` to each leaf of a value: the value itself, or the main value and each
/// additional field value of `{ value = …, additional = { … } }`, each with its attribute.
pub fn for_each_leaf(
    attr: &AttributeDef,
    v: &mut AttrValue,
    f: &mut dyn FnMut(&AttributeDef, &mut AttrValue) -> Result<(), String>,
) -> Result<(), String> {
    if let AttrValue::Table(t) = v
        && t.len() == 2
        && matches!(t.get("additional"), Some(AttrValue::Table(_)))
        && t.contains_key("value")
    {
        if let Some(main) = t.get_mut("value") {
            f(attr, main)?;
        }
        if let Some(AttrValue::Table(extra)) = t.get_mut("additional") {
            for (marker, ev) in extra.iter_mut() {
                if let Some(field) = attr.additional_fields.iter().find(|x| &x.marker == marker) {
                    f(&field.as_attribute(), ev).map_err(|e| format!("{marker}: {e}"))?;
                }
            }
        }
        return Ok(());
    }
    f(attr, v)
}
