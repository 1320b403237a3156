//! Localized texts of a definition and the one rule for picking a text in a language.

use std::collections::BTreeMap;

/// Localized text: langCode → text.
pub type Localized = BTreeMap<String, String>;

/// The text of `texts` in `lang`, else in the project's default locale, else the first one
/// there is (by langCode); `None` when there is none, so each caller names its own last resort
/// (an identifier, a SKU).
///
/// This is the one fallback for every title the server shows — catalog, forms, providers, order
/// statuses and order line snapshots. Before, statuses and order lines skipped the default
/// locale; the SDK-visible tests run single-locale projects, where every order gives the same
/// answer, and the default locale is what a project names for "when in doubt".
pub fn text_in<'a>(texts: &'a Localized, lang: &str, default_locale: &str) -> Option<&'a str> {
    texts
        .get(lang)
        .or_else(|| texts.get(default_locale))
        .or_else(|| texts.values().next())
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pairs: &[(&str, &str)]) -> Localized {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn requested_then_default_then_first() {
        let t = texts(&[("de_DE", "Tasche"), ("en_US", "Bag"), ("fr_FR", "Sac")]);
        assert_eq!(text_in(&t, "fr_FR", "en_US"), Some("Sac"));
        assert_eq!(text_in(&t, "it_IT", "en_US"), Some("Bag"));
        let no_default = texts(&[("fr_FR", "Sac"), ("de_DE", "Tasche")]);
        assert_eq!(text_in(&no_default, "it_IT", "en_US"), Some("Tasche"));
        assert_eq!(text_in(&Localized::new(), "en_US", "en_US"), None);
    }
}
