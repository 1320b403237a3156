use std::collections::BTreeMap;
use std::sync::LazyLock;

use proptest::prelude::*;
use serde_json::json;

use super::*;

/// The stored form data of the orders these tests start from.
static EMPTY_FORM: LazyLock<Value> = LazyLock::new(|| json!({}));

fn status(identifier: &str, default: bool, is_final: bool, cancel: bool) -> OrderStatusDef {
    OrderStatusDef {
        identifier: identifier.to_owned(),
        title: crate::project::Localized::default(),
        default,
        is_final,
        paid: false,
        cancel,
    }
}

fn storage() -> OrderStorageDef {
    OrderStorageDef {
        identifier: "orders".to_owned(),
        title: crate::project::Localized::default(),
        form: "checkout".to_owned(),
        payment_accounts: vec!["cash".to_owned()],
        statuses: vec![
            status("new", true, false, false),
            status("paid", false, false, false),
            status("canceled", false, true, true),
        ],
        customer_transitions: None,
        refundable_statuses: None,
        payment_status_map: None,
    }
}

fn order(status: &OrderStatusDef) -> OrderState<'_> {
    OrderState {
        status,
        payment_account_id: 1,
        form_data: &EMPTY_FORM,
        lines: BTreeMap::from([(15, 2)]),
    }
}

#[test]
fn the_same_order_resent_changes_nothing() {
    let s = storage();
    let current = order(&s.statuses[0]);
    let request = UpdateRequest {
        form_data: Some(json!({})),
        products: None,
        payment_account_id: Some(1),
        status: Some("new"),
    };
    assert!(!current.asks_other_products(&[(15, 1), (15, 1)]));
    assert!(current.asks_other_products(&[(15, 3)]));
    assert!(!current.asks_other_products(&[]));
    let plan = plan_update(&current, &request, &s).unwrap();
    assert_eq!(plan.history, vec![]);
    assert!(!plan.cancel_waiting && plan.status.is_none() && plan.form_data.is_none());
}

#[test]
fn a_cancel_closes_and_cancels_the_waiting_session() {
    let s = storage();
    let current = order(&s.statuses[0]);
    let request = UpdateRequest {
        status: Some("canceled"),
        ..UpdateRequest::default()
    };
    let plan = plan_update(&current, &request, &s).unwrap();
    assert_eq!(plan.status.as_deref(), Some("canceled"));
    assert!(plan.cancel_waiting);
    assert_eq!(
        plan.history,
        vec![OrderChange::Status(StatusChanged {
            from: "new".to_owned(),
            payment_session_id: None,
            to: "canceled".to_owned(),
        })]
    );
}

#[test]
fn refusals() {
    let s = storage();
    let paid = order(&s.statuses[1]);
    let new_form = UpdateRequest {
        form_data: Some(json!({"en_US": []})),
        ..UpdateRequest::default()
    };
    assert_eq!(
        plan_update(&paid, &new_form, &s),
        Err(Refusal::Frozen { status: "paid" })
    );
    let to = |t| UpdateRequest {
        status: Some(t),
        ..UpdateRequest::default()
    };
    assert_eq!(
        plan_update(&paid, &to("canceled"), &s),
        Err(Refusal::NotAllowed {
            from: "paid",
            to: "canceled"
        })
    );
    assert_eq!(
        plan_update(&paid, &to("gone"), &s),
        Err(Refusal::NoSuchStatus {
            storage: "orders",
            to: "gone"
        })
    );
}

#[test]
fn new_contents_are_logged_before_and_after() {
    let s = storage();
    let current = order(&s.statuses[0]);
    let request = UpdateRequest {
        products: Some(Repriced {
            after: vec![(15, 3)],
            total_minor: 300,
        }),
        payment_account_id: Some(2),
        ..UpdateRequest::default()
    };
    let plan = plan_update(&current, &request, &s).unwrap();
    assert!(plan.cancel_waiting);
    assert_eq!(plan.payment_account_id, 2);
    assert_eq!(
        plan.history,
        vec![
            OrderChange::Products(ProductsChanged {
                after: vec![(15, 3)],
                before: BTreeMap::from([(15, 2)]),
                total_minor: 300,
            }),
            OrderChange::Form {},
        ]
    );
}

#[test]
fn an_operator_moves_to_any_status_of_the_storage() {
    let s = storage();
    let plan = plan_status(&s, Some("paid"), "canceled").unwrap();
    assert!(plan.cancel_waiting);
    assert_eq!(plan.to.identifier, "canceled");
    assert!(!plan_status(&s, None, "new").unwrap().cancel_waiting);
    assert_eq!(
        plan_status(&s, None, "gone"),
        Err(Refusal::NoSuchStatus {
            storage: "orders",
            to: "gone"
        })
    );
}

proptest! {
    #[test]
    fn contents_change_only_in_the_default_status(
        which in 0_usize..3,
        form in proptest::option::of("[a-z{}]{0,4}"),
        account in proptest::option::of(0_i64..3),
        products in proptest::bool::ANY,
        to in proptest::option::of(prop_oneof!["new", "paid", "canceled", "gone", ""]),
    ) {
        let s = storage();
        let current = order(&s.statuses[which]);
        let request = UpdateRequest {
            form_data: form.map(Value::String),
            products: products.then(|| Repriced { after: vec![(15, 1)], total_minor: 100 }),
            payment_account_id: account,
            status: to.as_deref(),
        };
        let changes_contents = request.form_data.as_ref().is_some_and(|f| *f != *EMPTY_FORM)
            || products
            || account.is_some_and(|a| a != 1);
        match plan_update(&current, &request, &s) {
            Ok(plan) => {
                prop_assert!(!changes_contents || current.status.default);
                let closes = plan.status.as_deref().is_some_and(|t| s.status(t).is_some_and(|t| t.is_final));
                prop_assert_eq!(plan.cancel_waiting, changes_contents || closes);
                prop_assert_eq!(plan.history.is_empty(), !changes_contents && plan.status.is_none());
                if let Some(t) = &plan.status {
                    prop_assert!(s.customer_may(&current.status.identifier, t));
                }
            }
            Err(Refusal::Frozen { .. }) => prop_assert!(changes_contents && !current.status.default),
            Err(_) => prop_assert!(to.is_some()),
        }
    }
}
