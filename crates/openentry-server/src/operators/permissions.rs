//! What each management route needs, by route template: the longest matching prefix of
//! path segments names the resource, and the method the action (GET and HEAD read, everything
//! else writes). A route with no entry is refused to everyone, owners included, so a new route
//! cannot ship unguarded (the role-matrix test walks every documented route through this table).

use axum::http::Method;
use openentry_domain::operators::{Action, Resource};

/// What a route needs beyond a valid operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Any signed-in operator (their own session, profile and second factor).
    Signed,
    /// The role must allow the method's action on this resource.
    Grant(Resource),
}

/// Route-template prefixes and what they need; the longest match wins.
const TABLE: &[(&str, Need)] = &[
    ("/metrics", Need::Grant(Resource::Settings)),
    // Rebuilding the sitemap files (the read beside it is public content).
    ("/api/content/sitemap", Need::Grant(Resource::Content)),
    ("/api/admin/me", Need::Signed),
    ("/api/admin/session", Need::Signed),
    ("/api/admin/operators", Need::Grant(Resource::Admins)),
    ("/api/admin/tokens", Need::Grant(Resource::Admins)),
    ("/api/admin/audit", Need::Grant(Resource::Audit)),
    ("/api/admin/notifications", Need::Grant(Resource::Events)),
    ("/api/admin/outbox", Need::Grant(Resource::Events)),
    ("/api/admin/deliveries", Need::Grant(Resource::Events)),
    ("/api/admin/events", Need::Grant(Resource::Events)),
    ("/api/admin/relay", Need::Grant(Resource::Events)),
    (
        "/api/admin/users/{id}/deliveries",
        Need::Grant(Resource::Events),
    ),
    ("/api/admin/users", Need::Grant(Resource::Users)),
    ("/api/admin/orders", Need::Grant(Resource::Orders)),
    (
        "/api/admin/orders/{id}/refund",
        Need::Grant(Resource::Refunds),
    ),
    ("/api/admin/refunds", Need::Grant(Resource::Refunds)),
    ("/api/admin/payments", Need::Grant(Resource::Payments)),
    ("/api/admin/discounts", Need::Grant(Resource::Discounts)),
    ("/api/admin/collections", Need::Grant(Resource::Content)),
    ("/api/admin/form-data", Need::Grant(Resource::Submissions)),
    ("/api/admin/files", Need::Grant(Resource::Files)),
    // Files for the definition to name (docs/decisions.md, "Operators' media").
    ("/api/admin/media", Need::Grant(Resource::Catalog)),
    (
        "/api/admin/project/products",
        Need::Grant(Resource::Catalog),
    ),
    (
        "/api/admin/project/product-statuses",
        Need::Grant(Resource::Catalog),
    ),
    (
        "/api/admin/project/attribute-sets",
        Need::Grant(Resource::Catalog),
    ),
    ("/api/admin/project/pages", Need::Grant(Resource::Content)),
    ("/api/admin/project/blocks", Need::Grant(Resource::Content)),
    ("/api/admin/project/menus", Need::Grant(Resource::Content)),
    ("/api/admin/project/locales", Need::Grant(Resource::Content)),
    (
        "/api/admin/project/templates",
        Need::Grant(Resource::Content),
    ),
    (
        "/api/admin/project/template-previews",
        Need::Grant(Resource::Content),
    ),
    ("/api/admin/project/admins", Need::Grant(Resource::Content)),
    (
        "/api/admin/project/collections",
        Need::Grant(Resource::Content),
    ),
    ("/api/admin/project/forms", Need::Grant(Resource::Forms)),
    (
        "/api/admin/project/order-storages",
        Need::Grant(Resource::Orders),
    ),
    (
        "/api/admin/project/payment-accounts",
        Need::Grant(Resource::Payments),
    ),
    (
        "/api/admin/project/discounts",
        Need::Grant(Resource::Discounts),
    ),
    ("/api/admin/project/events", Need::Grant(Resource::Events)),
    ("/api/admin/project/webhooks", Need::Grant(Resource::Events)),
    (
        "/api/admin/project/auth-providers",
        Need::Grant(Resource::Settings),
    ),
    (
        "/api/admin/project/app-tokens",
        Need::Grant(Resource::Settings),
    ),
    ("/api/admin/project", Need::Grant(Resource::Settings)),
];

/// What the route `template` needs, or `None` when the table has no entry (refuse).
pub(crate) fn need(template: &str) -> Option<Need> {
    TABLE
        .iter()
        .filter(|(prefix, _)| is_segment_prefix(prefix, template))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|&(_, need)| need)
}

/// The action a method performs.
pub(crate) fn action(method: &Method) -> Action {
    if method == Method::GET || method == Method::HEAD {
        Action::Read
    } else {
        Action::Write
    }
}

/// `/api/admin/orders` is a prefix of `/api/admin/orders/{id}` but not of
/// `/api/admin/orders-archive`.
fn is_segment_prefix(prefix: &str, template: &str) -> bool {
    template
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_prefix_decides_by_whole_segments() {
        assert_eq!(
            need("/api/admin/orders/{id}/refund"),
            Some(Need::Grant(Resource::Refunds))
        );
        assert_eq!(
            need("/api/admin/orders/{id}/status"),
            Some(Need::Grant(Resource::Orders))
        );
        assert_eq!(
            need("/api/admin/users/{id}/deliveries"),
            Some(Need::Grant(Resource::Events))
        );
        assert_eq!(
            need("/api/admin/users/{id}"),
            Some(Need::Grant(Resource::Users))
        );
        assert_eq!(need("/api/admin/orders-archive"), None);
        assert_eq!(need("/api/admin/unknown"), None);
    }

    #[test]
    fn reads_are_get_and_head() {
        assert_eq!(action(&Method::GET), Action::Read);
        assert_eq!(action(&Method::HEAD), Action::Read);
        assert_eq!(action(&Method::POST), Action::Write);
        assert_eq!(action(&Method::DELETE), Action::Write);
    }
}
