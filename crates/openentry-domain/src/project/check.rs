//! Whole-definition checks: everything that a single field's type cannot say.

use std::collections::HashSet;

use super::{FormDef, FormKind, ProjectDefinition};

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

pub(super) struct Problems(Vec<DefinitionError>);

impl Problems {
    pub(super) fn add(&mut self, path: String, message: impl Into<String>) {
        self.0.push(DefinitionError {
            path,
            message: message.into(),
        });
    }
}

pub(super) fn is_marker(s: &str) -> bool {
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
    super::check_commerce::check_catalog(def, &mut p);
    super::check_commerce::check_products(def, &mut p);
    super::check_commerce::check_orders(def, &mut p);
    super::check_content::check_content(def, &mut p);
    super::admins::check_admins(def, &mut p);
    super::check_values::check_values(def, &mut p);
    super::collections::check_collections(def, &mut p);
    super::events_check::check_events(def, &mut p);
    super::check_discounts::check_discounts(def, &mut p);
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
            (Some(tok), None) if tok == super::SECRET_MARKER => {
                p.add(
                    format!("{at}.token"),
                    "is the marker the management API writes in place of a secret: put the \
                     token back, or name it with `token_env`",
                );
            }
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
        check_fields(form, &at, p);
        super::form_data::check_form(def, form, &at, p);
        if form.kind == FormKind::Collection {
            super::collections::check_collection_form(form, &at, p);
        }
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
        if field.login && field.password {
            p.add(
                fat.clone(),
                "a field cannot be both the login and the password",
            );
        }
        if field.kind == super::FieldKind::Spam
            && (field.login || field.password || field.email || field.notification_email)
        {
            p.add(
                fat,
                "a spam (captcha) field holds a token only; it has no other role",
            );
        }
    }
    let spam = form
        .fields
        .iter()
        .filter(|f| f.kind == super::FieldKind::Spam)
        .count();
    if spam > 1 {
        p.add(
            format!("{at}.fields"),
            format!("a form has at most one spam (captcha) field, this one has {spam}"),
        );
    }
    if form.kind == FormKind::SignUp {
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
        match def.form(&prov.form) {
            None => p.add(
                format!("{at}.form"),
                format!("form \"{}\" is not defined in [[forms]]", prov.form),
            ),
            Some(f) if f.kind != FormKind::SignUp => {
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

/// The problems `check` finds in a definition written as TOML, as text (tests of every part of
/// the definition use it).
#[cfg(test)]
pub(super) fn problems(toml_text: &str) -> Vec<String> {
    let def: ProjectDefinition = toml::from_str(toml_text).unwrap_or_else(|e| panic!("{e}"));
    check(&def)
        .err()
        .unwrap_or_default()
        .iter()
        .map(ToString::to_string)
        .collect()
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
