//! Checks of the commerce sections: catalog, products, payment accounts, order storages.

use std::collections::HashSet;

use super::check::{Problems, is_marker};
use super::{AccountKind, AttributeKind, FormKind, OrderStorageDef, ProjectDefinition};
use crate::payments::SessionStatus;

fn unique<'a>(p: &mut Problems, at: &str, seen: &mut HashSet<&'a str>, id: &'a str) {
    if !is_marker(id) {
        p.add(
            format!("{at}.identifier"),
            "use 1-64 letters, digits, `_` or `-`",
        );
    }
    if !seen.insert(id) {
        p.add(
            format!("{at}.identifier"),
            format!("\"{id}\" is used twice"),
        );
    }
}

pub(super) fn check_catalog(def: &ProjectDefinition, p: &mut Problems) {
    let mut ids = HashSet::new();
    for (i, s) in def.product_statuses.iter().enumerate() {
        unique(
            p,
            &format!("product_statuses[{i}]"),
            &mut ids,
            &s.identifier,
        );
    }
    if def.product_statuses.iter().filter(|s| s.default).count() > 1 {
        p.add(
            "product_statuses".to_owned(),
            "at most one status may be the default",
        );
    }
    let mut ids = HashSet::new();
    for (i, set) in def.attribute_sets.iter().enumerate() {
        let at = format!("attribute_sets[{i}]");
        unique(p, &at, &mut ids, &set.identifier);
        let mut markers = HashSet::new();
        for (j, a) in set.attributes.iter().enumerate() {
            let aat = format!("{at}.attributes[{j}]");
            if !is_marker(&a.marker) || !markers.insert(a.marker.as_str()) {
                p.add(
                    format!("{aat}.marker"),
                    format!("\"{}\" is not a marker or is used twice", a.marker),
                );
            }
            if a.price && !matches!(a.kind, AttributeKind::Float | AttributeKind::Integer) {
                p.add(
                    format!("{aat}.type"),
                    "a price attribute has type float or integer",
                );
            }
        }
        for (flag, n) in [
            ("price", set.attributes.iter().filter(|a| a.price).count()),
            (
                "currency",
                set.attributes.iter().filter(|a| a.currency).count(),
            ),
        ] {
            if n > 1 {
                p.add(
                    format!("{at}.attributes"),
                    format!("at most one attribute may be the {flag}"),
                );
            }
        }
    }
}

pub(super) fn check_products(def: &ProjectDefinition, p: &mut Problems) {
    let mut ids = HashSet::new();
    for (i, prod) in def.products.iter().enumerate() {
        let at = format!("products[{i}]");
        if prod.id <= 0 || !ids.insert(prod.id) {
            p.add(
                format!("{at}.id"),
                format!("{} must be a positive id used once", prod.id),
            );
        }
        let Some(set) = def.attribute_set(&prod.attribute_set) else {
            p.add(
                format!("{at}.attribute_set"),
                format!("attribute set \"{}\" is not defined", prod.attribute_set),
            );
            continue;
        };
        if let Some(s) = &prod.status
            && def.product_status(s).is_none()
        {
            p.add(
                format!("{at}.status"),
                format!("product status \"{s}\" is not defined"),
            );
        }
        // The one check of values and per-locale values (markers of the set, project locales).
        let set_marker = Some(&prod.attribute_set);
        let (vals, localized) = (&prod.values, &prod.localized_values);
        super::check_content::check_values(def, p, &at, set_marker, vals, localized);
        if let Err(e) = def.price_of(prod) {
            p.add(format!("{at}.values"), e);
        }
        // A price and its currency are the same in every language.
        for (lang, vals) in localized {
            for a in set.attributes.iter().filter(|a| a.price || a.currency) {
                if vals.contains_key(&a.marker) {
                    p.add(
                        format!("{at}.localized_values.{lang}.{}", a.marker),
                        "a price and its currency are the same in every language; give them in values",
                    );
                }
            }
        }
    }
}

pub(super) fn check_orders(def: &ProjectDefinition, p: &mut Problems) {
    check_accounts(def, p);
    let mut storages = HashSet::new();
    let mut statuses = HashSet::new();
    for (i, s) in def.order_storages.iter().enumerate() {
        let at = format!("order_storages[{i}]");
        unique(p, &at, &mut storages, &s.identifier);
        check_storage_links(def, s, &at, p);
        check_storage_statuses(s, &at, &mut statuses, p);
    }
}

fn check_accounts(def: &ProjectDefinition, p: &mut Problems) {
    let mut ids = HashSet::new();
    for (i, a) in def.payment_accounts.iter().enumerate() {
        let at = format!("payment_accounts[{i}]");
        unique(p, &at, &mut ids, &a.identifier);
        match (a.kind, &a.stripe) {
            (AccountKind::Stripe, None) => p.add(
                format!("{at}.stripe"),
                "a stripe account needs [payment_accounts.stripe] settings",
            ),
            (AccountKind::Custom, Some(_)) => p.add(
                format!("{at}.stripe"),
                "only stripe accounts take stripe settings",
            ),
            _ => {}
        }
        if !(1..=7 * 24 * 60).contains(&a.session_timeout_minutes) {
            p.add(
                format!("{at}.session_timeout_minutes"),
                "must be between 1 and 10080",
            );
        }
    }
}

/// A storage's form and payment accounts exist and may be linked.
fn check_storage_links(def: &ProjectDefinition, s: &OrderStorageDef, at: &str, p: &mut Problems) {
    match def.form(&s.form) {
        None => p.add(
            format!("{at}.form"),
            format!("form \"{}\" is not defined in [[forms]]", s.form),
        ),
        Some(f) if f.kind != FormKind::Order => p.add(
            format!("{at}.form"),
            format!(
                "form \"{}\" has kind \"{}\", not order",
                f.identifier, f.kind
            ),
        ),
        Some(_) => {}
    }
    for (j, acc) in s.payment_accounts.iter().enumerate() {
        match def.payment_account(acc) {
            None => p.add(
                format!("{at}.payment_accounts[{j}]"),
                format!("payment account \"{acc}\" is not defined"),
            ),
            Some(a) if !a.visible => p.add(
                format!("{at}.payment_accounts[{j}]"),
                format!("payment account \"{acc}\" is hidden and cannot be linked"),
            ),
            Some(_) => {}
        }
    }
}

/// A storage's statuses: unique in the project, one default, and every status its
/// transitions, payment map and refund list name is one of its own.
fn check_storage_statuses<'a>(
    s: &'a OrderStorageDef,
    at: &str,
    statuses: &mut HashSet<&'a str>,
    p: &mut Problems,
) {
    for (j, st) in s.statuses.iter().enumerate() {
        let sat = format!("{at}.statuses[{j}]");
        if !is_marker(&st.identifier) {
            p.add(
                format!("{sat}.identifier"),
                "use 1-64 letters, digits, `_` or `-`",
            );
        }
        if !statuses.insert(st.identifier.as_str()) {
            p.add(
                format!("{sat}.identifier"),
                format!(
                    "\"{}\" is used twice (status identifiers are unique in the project)",
                    st.identifier
                ),
            );
        }
    }
    let defaults = s.statuses.iter().filter(|st| st.default).count();
    if defaults != 1 {
        p.add(
            format!("{at}.statuses"),
            format!("exactly one status must be the default, {defaults} are"),
        );
    }
    let unknown = |st: &str| format!("status \"{st}\" is not a status of this storage");
    for (j, t) in s.customer_transitions.iter().flatten().enumerate() {
        for end in [&t.from, &t.to] {
            if s.status(end).is_none() {
                p.add(format!("{at}.customer_transitions[{j}]"), unknown(end));
            }
        }
    }
    for (k, st) in s.payment_status_map.iter().flatten() {
        if *k == SessionStatus::Waiting {
            p.add(
                format!("{at}.payment_status_map.{k}"),
                "keys are completed, canceled and expired",
            );
        }
        if s.status(st).is_none() {
            p.add(format!("{at}.payment_status_map.{k}"), unknown(st));
        }
    }
    for (j, st) in s.refundable_statuses.iter().flatten().enumerate() {
        if s.status(st).is_none() {
            p.add(format!("{at}.refundable_statuses[{j}]"), unknown(st));
        }
    }
}
