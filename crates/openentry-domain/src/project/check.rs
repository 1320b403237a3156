//! Whole-definition checks: everything that a single field's type cannot say.

use std::collections::HashSet;

use super::{FIELD_TYPES, FormDef, ProjectDefinition};

/// One problem in a definition, with the place it is at (`auth_providers[0].form`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    /// Where in the definition.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

struct Problems(Vec<DefinitionError>);

impl Problems {
    fn add(&mut self, path: String, message: impl Into<String>) {
        self.0.push(DefinitionError {
            path,
            message: message.into(),
        });
    }
}

fn is_marker(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn is_locale(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[0..2].iter().all(u8::is_ascii_lowercase)
        && b[2] == b'_'
        && b[3..5].iter().all(u8::is_ascii_uppercase)
}

/// Checks a whole definition and lists every problem found (not just the first).
pub fn check(def: &ProjectDefinition) -> Result<(), Vec<DefinitionError>> {
    let mut p = Problems(Vec::new());
    check_locales(def, &mut p);
    check_tokens(def, &mut p);
    check_forms(def, &mut p);
    check_providers(def, &mut p);
    check_catalog(def, &mut p);
    check_products(def, &mut p);
    check_orders(def, &mut p);
    if p.0.is_empty() { Ok(()) } else { Err(p.0) }
}

fn check_locales(def: &ProjectDefinition, p: &mut Problems) {
    if def.project.locales.is_empty() {
        p.add(
            "project.locales".to_owned(),
            "at least one locale is needed, e.g. [\"en_US\"]",
        );
    }
    let mut seen = HashSet::new();
    for (i, l) in def.project.locales.iter().enumerate() {
        if !is_locale(l) {
            p.add(
                format!("project.locales[{i}]"),
                format!("\"{l}\" is not a locale like en_US"),
            );
        }
        if !seen.insert(l) {
            p.add(
                format!("project.locales[{i}]"),
                format!("\"{l}\" is listed twice"),
            );
        }
    }
}

fn check_tokens(def: &ProjectDefinition, p: &mut Problems) {
    let mut names = HashSet::new();
    for (i, t) in def.app_tokens.iter().enumerate() {
        let at = format!("app_tokens[{i}]");
        if !names.insert(&t.name) {
            p.add(
                format!("{at}.name"),
                format!("\"{}\" is used twice", t.name),
            );
        }
        match (&t.token, &t.token_env) {
            (Some(tok), None) if tok.chars().count() < 16 => {
                p.add(
                    format!("{at}.token"),
                    "an app token needs at least 16 characters",
                );
            }
            (Some(_), None) | (None, Some(_)) => {}
            _ => p.add(at, "give exactly one of `token` and `token_env`"),
        }
    }
}

fn check_forms(def: &ProjectDefinition, p: &mut Problems) {
    let mut ids = HashSet::new();
    for (i, form) in def.forms.iter().enumerate() {
        let at = format!("forms[{i}]");
        if !is_marker(&form.identifier) {
            p.add(
                format!("{at}.identifier"),
                "use 1-64 letters, digits, `_` or `-`",
            );
        }
        if !ids.insert(&form.identifier) {
            p.add(
                format!("{at}.identifier"),
                format!("\"{}\" is used twice", form.identifier),
            );
        }
        if !["sign_up", "order", "data"].contains(&form.kind.as_str()) {
            p.add(format!("{at}.kind"), "must be one of sign_up, order, data");
        }
        check_fields(form, &at, p);
    }
}

fn check_fields(form: &FormDef, at: &str, p: &mut Problems) {
    let mut markers = HashSet::new();
    for (j, field) in form.fields.iter().enumerate() {
        let fat = format!("{at}.fields[{j}]");
        if !is_marker(&field.marker) {
            p.add(
                format!("{fat}.marker"),
                "use 1-64 letters, digits, `_` or `-`",
            );
        }
        if !markers.insert(&field.marker) {
            p.add(
                format!("{fat}.marker"),
                format!("\"{}\" is used twice", field.marker),
            );
        }
        if !FIELD_TYPES.contains(&field.kind.as_str()) {
            p.add(
                format!("{fat}.type"),
                format!("must be one of {}", FIELD_TYPES.join(", ")),
            );
        }
        if field.login && field.password {
            p.add(fat, "a field cannot be both the login and the password");
        }
    }
    if form.kind == "sign_up" {
        for (role, count) in [
            ("login", form.fields.iter().filter(|f| f.login).count()),
            (
                "password",
                form.fields.iter().filter(|f| f.password).count(),
            ),
        ] {
            if count != 1 {
                p.add(
                    format!("{at}.fields"),
                    format!("a sign-up form needs exactly one {role} field, it has {count}"),
                );
            }
        }
    }
}

fn check_providers(def: &ProjectDefinition, p: &mut Problems) {
    let mut ids = HashSet::new();
    for (i, prov) in def.auth_providers.iter().enumerate() {
        let at = format!("auth_providers[{i}]");
        if !is_marker(&prov.identifier) {
            p.add(
                format!("{at}.identifier"),
                "use 1-64 letters, digits, `_` or `-`",
            );
        }
        if !ids.insert(&prov.identifier) {
            p.add(
                format!("{at}.identifier"),
                format!("\"{}\" is used twice", prov.identifier),
            );
        }
        if prov.kind != "email" {
            p.add(
                format!("{at}.type"),
                format!("\"{}\" is not supported; use \"email\"", prov.kind),
            );
        }
        match def.form(&prov.form) {
            None => p.add(
                format!("{at}.form"),
                format!("form \"{}\" is not defined in [[forms]]", prov.form),
            ),
            Some(f) if f.kind != "sign_up" => {
                p.add(
                    format!("{at}.form"),
                    format!(
                        "form \"{}\" has kind \"{}\", not sign_up",
                        f.identifier, f.kind
                    ),
                );
            }
            Some(_) => {}
        }
        if !(60..=7 * 24 * 3600).contains(&prov.access_token_ttl_secs) {
            p.add(
                format!("{at}.access_token_ttl_secs"),
                "must be between 60 and 604800",
            );
        }
        if !(3600..=365 * 24 * 3600).contains(&prov.refresh_token_ttl_secs) {
            p.add(
                format!("{at}.refresh_token_ttl_secs"),
                "must be between 3600 and 31536000",
            );
        }
        let c = &prov.codes;
        if !(4..=12).contains(&c.length) {
            p.add(format!("{at}.codes.length"), "must be between 4 and 12");
        }
        if !(60..=86_400).contains(&c.ttl_secs) {
            p.add(
                format!("{at}.codes.ttl_secs"),
                "must be between 60 and 86400",
            );
        }
        if !(1..=20).contains(&c.max_attempts) {
            p.add(
                format!("{at}.codes.max_attempts"),
                "must be between 1 and 20",
            );
        }
        if !(0..=3600).contains(&c.resend_after_secs) {
            p.add(
                format!("{at}.codes.resend_after_secs"),
                "must be between 0 and 3600",
            );
        }
    }
}

fn unique<'a>(p: &mut Problems, at: String, seen: &mut HashSet<&'a str>, id: &'a str) {
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

fn check_catalog(def: &ProjectDefinition, p: &mut Problems) {
    let mut ids = HashSet::new();
    for (i, s) in def.product_statuses.iter().enumerate() {
        unique(p, format!("product_statuses[{i}]"), &mut ids, &s.identifier);
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
        unique(p, at.clone(), &mut ids, &set.identifier);
        let mut markers = HashSet::new();
        for (j, a) in set.attributes.iter().enumerate() {
            let aat = format!("{at}.attributes[{j}]");
            if !is_marker(&a.marker) || !markers.insert(a.marker.as_str()) {
                p.add(
                    format!("{aat}.marker"),
                    format!("\"{}\" is not a marker or is used twice", a.marker),
                );
            }
            if !super::ATTRIBUTE_TYPES.contains(&a.kind.as_str()) {
                p.add(
                    format!("{aat}.type"),
                    format!("must be one of {}", super::ATTRIBUTE_TYPES.join(", ")),
                );
            }
            if a.price && !["float", "integer"].contains(&a.kind.as_str()) {
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

fn check_products(def: &ProjectDefinition, p: &mut Problems) {
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
        for marker in prod.values.keys() {
            if !set.attributes.iter().any(|a| &a.marker == marker) {
                p.add(
                    format!("{at}.values.{marker}"),
                    format!(
                        "attribute set \"{}\" has no attribute \"{marker}\"",
                        set.identifier
                    ),
                );
            }
        }
        if let Err(e) = def.price_of(prod) {
            p.add(format!("{at}.values"), e);
        }
    }
}

fn check_orders(def: &ProjectDefinition, p: &mut Problems) {
    let mut ids = HashSet::new();
    for (i, a) in def.payment_accounts.iter().enumerate() {
        let at = format!("payment_accounts[{i}]");
        unique(p, at.clone(), &mut ids, &a.identifier);
        if !["custom", "stripe"].contains(&a.kind.as_str()) {
            p.add(format!("{at}.type"), "must be custom or stripe");
        }
        match (a.kind.as_str(), &a.stripe) {
            ("stripe", None) => p.add(
                format!("{at}.stripe"),
                "a stripe account needs [payment_accounts.stripe] settings",
            ),
            ("custom", Some(_)) => p.add(
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
    let mut storages = HashSet::new();
    let mut statuses = HashSet::new();
    for (i, s) in def.order_storages.iter().enumerate() {
        let at = format!("order_storages[{i}]");
        unique(p, at.clone(), &mut storages, &s.identifier);
        match def.form(&s.form) {
            None => p.add(
                format!("{at}.form"),
                format!("form \"{}\" is not defined in [[forms]]", s.form),
            ),
            Some(f) if f.kind != "order" => p.add(
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
        for (j, t) in s.customer_transitions.iter().flatten().enumerate() {
            for end in [&t.from, &t.to] {
                if s.status(end).is_none() {
                    p.add(
                        format!("{at}.customer_transitions[{j}]"),
                        format!("status \"{end}\" is not a status of this storage"),
                    );
                }
            }
        }
        for (k, st) in s.payment_status_map.iter().flatten() {
            if !["completed", "canceled", "expired"].contains(&k.as_str()) {
                p.add(
                    format!("{at}.payment_status_map.{k}"),
                    "keys are completed, canceled and expired",
                );
            }
            if s.status(st).is_none() {
                p.add(
                    format!("{at}.payment_status_map.{k}"),
                    format!("status \"{st}\" is not a status of this storage"),
                );
            }
        }
        for (j, st) in s.refundable_statuses.iter().flatten().enumerate() {
            if s.status(st).is_none() {
                p.add(
                    format!("{at}.refundable_statuses[{j}]"),
                    format!("status \"{st}\" is not a status of this storage"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ProjectDefinition {
        toml::from_str(s).unwrap()
    }

    const GOOD: &str = r#"
        [[auth_providers]]
        identifier = "email"
        type = "email"
        form = "reg"
        [[forms]]
        identifier = "reg"
        kind = "sign_up"
        fields = [
          { marker = "email_reg", login = true, email = true, required = true },
          { marker = "password_reg", password = true, required = true },
        ]
    "#;

    #[test]
    fn a_good_definition_passes() {
        assert_eq!(check(&parse(GOOD)), Ok(()));
    }

    #[test]
    fn problems_name_their_place() {
        let bad = GOOD
            .replace("form = \"reg\"", "form = \"regx\"")
            .replace("password = true, ", "");
        let errors = check(&parse(&bad)).unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            text.contains(
                &"auth_providers[0].form: form \"regx\" is not defined in [[forms]]".to_owned()
            ),
            "{text:?}"
        );
        assert!(
            text.iter().any(
                |t| t.starts_with("forms[0].fields: a sign-up form needs exactly one password")
            ),
            "{text:?}"
        );
    }
}
