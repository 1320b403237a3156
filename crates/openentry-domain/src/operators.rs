//! Who may do what under `/api/admin` (docs/decisions.md, "Operators"): one table, read by the
//! server's guard for every management route and by the role-matrix test, which generates its
//! expectations from the same table.

pub use openentry_types::operators::{Action, Resource, Role};

use Action::{Read, Write};
use Resource::{
    Admins, Audit, Catalog, Content, Discounts, Events, Files, Forms, Orders, Payments, Refunds,
    Settings, Submissions, Users,
};

/// What each role may do besides the owner, who may do everything. A `Write` grant implies
/// `Read` of the same resource.
const GRANTS: &[(Role, &[(Resource, Action)])] = &[
    (
        Role::Manager,
        &[
            (Catalog, Write),
            (Content, Write),
            (Forms, Write),
            (Submissions, Write),
            (Orders, Write),
            (Payments, Write),
            (Refunds, Write),
            (Discounts, Write),
            (Users, Write),
            (Files, Write),
            (Events, Write),
            (Settings, Read),
            (Audit, Read),
        ],
    ),
    (
        Role::Editor,
        &[
            (Catalog, Write),
            (Content, Write),
            (Forms, Write),
            (Files, Write),
        ],
    ),
    (
        Role::Support,
        &[
            (Catalog, Read),
            (Content, Read),
            (Forms, Read),
            (Submissions, Write),
            (Orders, Write),
            (Payments, Read),
            (Refunds, Write),
            (Discounts, Read),
            (Users, Write),
            (Files, Read),
            (Events, Read),
        ],
    ),
];

/// Whether `role` may perform `action` on `resource`.
#[must_use]
pub fn allows(role: Role, resource: Resource, action: Action) -> bool {
    if role == Role::Owner {
        return true;
    }
    GRANTS
        .iter()
        .filter(|(r, _)| *r == role)
        .flat_map(|(_, grants)| grants.iter())
        .any(|&(res, granted)| res == resource && (granted == Write || action == Read))
}

/// Whether an operator of role `actor` may give someone the role `target` (create an operator
/// or an API token with it): only owners manage operators, and nobody hands out more than
/// they hold.
#[must_use]
pub fn may_grant(actor: Role, target: Role) -> bool {
    allows(actor, Admins, Write) && (actor == Role::Owner || target != Role::Owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_may_do_everything() {
        for &resource in Resource::ALL {
            for &action in Action::ALL {
                assert!(allows(Role::Owner, resource, action));
            }
        }
    }

    #[test]
    fn write_implies_read_and_nothing_else_leaks() {
        assert!(allows(Role::Editor, Catalog, Read));
        assert!(allows(Role::Editor, Catalog, Write));
        assert!(!allows(Role::Editor, Payments, Read));
        assert!(!allows(Role::Editor, Admins, Read));
        assert!(!allows(Role::Support, Catalog, Write));
        assert!(allows(Role::Support, Payments, Read));
        assert!(!allows(Role::Support, Payments, Write));
        assert!(!allows(Role::Manager, Admins, Read));
        assert!(!allows(Role::Manager, Settings, Write));
    }

    #[test]
    fn only_owners_hand_out_roles() {
        assert!(may_grant(Role::Owner, Role::Owner));
        assert!(may_grant(Role::Owner, Role::Editor));
        for &role in &[Role::Manager, Role::Editor, Role::Support] {
            for &target in Role::ALL {
                assert!(!may_grant(role, target));
            }
        }
    }
}
