//! Logins: how they are compared and what an e-mail login must look like.

/// Most characters in a login.
pub const MAX_LOGIN_CHARS: usize = 254;

/// The form in which logins are compared and stored for lookups: trimmed and lower-cased, so
/// `Ann@Example.com` and `ann@example.com ` are one account.
pub fn normalize(login: &str) -> String {
    login.trim().to_lowercase()
}

/// A pragmatic e-mail syntax check: one `@`, a non-empty local part, a dotted domain of
/// letters, digits and hyphens, no spaces. Deliverability is the code flow's job, not this one's.
pub fn is_email(value: &str) -> bool {
    let value = value.trim();
    if value.chars().count() > MAX_LOGIN_CHARS || value.chars().any(char::is_whitespace) {
        return false;
    }
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || domain.contains('@') {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_syntax() {
        for ok in ["a@b.co", "first.last+tag@sub.example.org", "ÿ@exämple.de"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@b", "@b.co", "a@@b.co", "a b@c.de", "a@-b.co", "a@b..co",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn logins_compare_case_insensitively() {
        assert_eq!(normalize(" Ann@Example.COM "), "ann@example.com");
    }
}
