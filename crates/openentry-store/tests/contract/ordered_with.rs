//! "Frequently ordered together": the co-occurrence count over real order lines.

use openentry_domain::project::ProjectDefinition;
use openentry_store::orders::{NewLine, NewOrder, OrderedWith, insert, list_ordered_with};
use openentry_store::users::NewUser;
use serde_json::json;

use super::{T0, TestDb, project};

/// The sign-up project of the contract tests plus one storage, status and account to order in.
fn shop() -> ProjectDefinition {
    let extra: ProjectDefinition = toml::from_str(
        r#"
        [[payment_accounts]]
        identifier = "cash"
        type = "custom"

        [[order_storages]]
        identifier = "orders"
        form = "reg"
        payment_accounts = ["cash"]
        statuses = [{ identifier = "upcoming", default = true }]
        "#,
    )
    .unwrap();
    ProjectDefinition {
        payment_accounts: extra.payment_accounts,
        order_storages: extra.order_storages,
        ..project()
    }
}

fn line(product_id: i64, is_gift: bool) -> NewLine {
    NewLine {
        product_id,
        title: format!("product {product_id}"),
        sku: None,
        preview_image: None,
        price_minor: 100,
        quantity: 1,
        is_gift,
    }
}

fn ranked(rows: &[OrderedWith]) -> Vec<(i64, i64)> {
    rows.iter().map(|r| (r.product_id, r.orders)).collect()
}

#[tokio::test]
async fn products_ordered_together_are_ranked_by_shared_orders_then_id() {
    let t = TestDb::new().await;
    openentry_store::project::import(&t.db, &shop(), T0)
        .await
        .unwrap();
    let stored = openentry_store::project::load(&t.db).await.unwrap();
    let user = NewUser {
        provider_id: stored.providers[0].id,
        identifier: "a@b.co".into(),
        login_key: "a@b.co".into(),
        password_hash: "x".into(),
        is_active: true,
        form_identifier: "reg".into(),
        form_data: "{}".into(),
        notification_data: "{}".into(),
        locale: "en_US".into(),
    };
    let user_id = openentry_store::users::insert(&t.db, &user, T0)
        .await
        .unwrap();
    let form_data = json!({});
    let orders: [&[NewLine]; 7] = [
        &[line(15, false), line(16, false), line(17, false)],
        &[line(15, false), line(16, false)],
        // A gift never counts: a discount put it there.
        &[line(15, false), line(18, true)],
        &[line(16, false), line(17, false)],
        // Two lines of 15 and one of 17: one order, counted once.
        &[line(15, false), line(15, false), line(17, false)],
        // 15 only as a gift: this order does not hold 15 by choice.
        &[line(15, true), line(19, false)],
        &[line(20, false), line(15, false)],
    ];
    for lines in orders {
        let order = NewOrder {
            storage_id: stored.order_storages[0].id,
            user_id,
            status_id: stored.order_statuses[0].id,
            payment_account_id: stored.payment_accounts[0].id,
            form_identifier: "reg",
            form_data: &form_data,
            lang: "en_US",
            currency: "USD",
            total_minor: 100,
            lines,
        };
        let mut tx = t.db.begin().await.unwrap();
        insert(&mut tx, &order, T0).await.unwrap();
        tx.commit().await.unwrap();
    }

    let with = |id| list_ordered_with(&t.db, id);
    assert_eq!(
        ranked(&with(15).await.unwrap()),
        [(16, 2), (17, 2), (20, 1)]
    );
    assert_eq!(ranked(&with(17).await.unwrap()), [(15, 2), (16, 2)]);
    assert_eq!(ranked(&with(19).await.unwrap()), []);
    assert_eq!(ranked(&with(99).await.unwrap()), []);
    t.finish().await;
}
