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

/// The locale a request asks for: the first (default) locale when `given` is absent or empty;
/// else the project locale `given` names, exactly (`en_US`), in another spelling of the same
/// tag (`en-US`, `en_us`), or by its language alone (`en`: the first project locale of that
/// language; OneEntry's shop template sends its route language for some calls); an error
/// otherwise. The answer is always one of `locales`, never the client's text.
pub fn pick<'a>(locales: &'a [String], given: Option<&str>) -> Result<&'a str, UnknownLocale> {
    let Some(g) = given.map(str::trim).filter(|g| !g.is_empty()) else {
        return Ok(locales.first().map_or("en_US", String::as_str));
    };
    let same_tag = |l: &String| {
        l.len() == g.len()
            && l.chars()
                .zip(g.chars())
                .all(|(a, b)| a.eq_ignore_ascii_case(&b) || (a == '_' && b == '-'))
    };
    let same_language = |l: &String| {
        !g.contains(['_', '-'])
            && l.split('_')
                .next()
                .is_some_and(|lang| lang.eq_ignore_ascii_case(g))
    };
    locales
        .iter()
        .find(|l| l.as_str() == g)
        .or_else(|| locales.iter().find(|l| same_tag(l)))
        .or_else(|| locales.iter().find(|l| same_language(l)))
        .map(String::as_str)
        .ok_or_else(|| UnknownLocale {
            allowed: locales.join(", "),
        })
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
        assert_eq!(pick(&locales, Some("en_us")), Ok("en_US"));
        assert_eq!(pick(&locales, Some("de-DE")), Ok("de_DE"));
        assert_eq!(pick(&locales, Some("de")), Ok("de_DE"));
        assert_eq!(pick(&locales, Some("EN")), Ok("en_US"));
        for bad in ["fr", "en_GB", "e", "en_", "_US", "en_US_x"] {
            assert!(pick(&locales, Some(bad)).is_err(), "{bad}");
        }
    }
}
