//! `langCode`: the language a request asks for must be one of the project's locales. It ends
//! up as a user's locale and as a key of stored form data, so anything else is refused rather
//! than stored.

/// A `langCode` that is not one of the project's locales.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("langCode must be one of this project's locales: {allowed}")]
pub struct UnknownLocale {
    /// The allowed locales, comma-separated.
    pub allowed: String,
}

/// The locale a request asks for: `given` when it is one of `locales`, the first (default)
/// locale when it is absent or empty, an error otherwise. Comparison is exact (`en_US`).
pub fn pick<'a>(locales: &'a [String], given: Option<&str>) -> Result<&'a str, UnknownLocale> {
    match given.map(str::trim).filter(|g| !g.is_empty()) {
        None => Ok(locales.first().map_or("en_US", String::as_str)),
        Some(g) => locales
            .iter()
            .find(|l| l.as_str() == g)
            .map(String::as_str)
            .ok_or_else(|| UnknownLocale {
                allowed: locales.join(", "),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_project_locales_pass() {
        let locales = vec!["en_US".to_owned(), "de_DE".to_owned()];
        assert_eq!(pick(&locales, None), Ok("en_US"));
        assert_eq!(pick(&locales, Some("")), Ok("en_US"));
        assert_eq!(pick(&locales, Some("de_DE")), Ok("de_DE"));
        let e = pick(&locales, Some("../../etc/passwd")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "langCode must be one of this project's locales: en_US, de_DE"
        );
        assert!(pick(&locales, Some("en_us")).is_err());
    }
}
