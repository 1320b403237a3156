//! Orders and Payments.

use std::collections::BTreeMap;

use openentry_client::types::orders::{
    OrderRequest, PreviewRequest, ProductQuantity, RefundQuantity, RefundRequestBody,
};
use openentry_client::{Page, SessionType, StatusCode};
use openentry_testkit::TestServer;
use serde_json::json;

use crate::{admin, api_error, seed_order, signed_in};

#[tokio::test]
// A scenario reads top to bottom.
#[allow(clippy::too_many_lines)]
async fn every_orders_method() {
    let s = TestServer::spawn().await;
    let (c, _) = signed_in(&s, "orders").await;
    let o = c.orders();
    let storages = o.get_all_orders_storage(Page::default()).await.unwrap();
    assert_eq!(storages.len(), 1);
    let accounts: Vec<&str> = storages[0]
        .payment_account_identifiers
        .iter()
        .map(|a| a.identifier.as_str())
        .collect();
    assert_eq!(accounts, ["cash", "card"]);
    let storage = o.get_orders_storage_by_marker("orders").await.unwrap();
    assert_eq!(
        (storage.form_identifier.as_str(), storage.id),
        ("order", storages[0].id)
    );
    let statuses = o
        .get_all_statuses_by_storage_marker("orders", Page::default())
        .await
        .unwrap();
    let markers: Vec<&str> = statuses.iter().map(|x| x.identifier.as_str()).collect();
    assert_eq!(markers, ["upcoming", "paid", "completed", "canceled"]);
    assert!(statuses[0].is_default);

    let preview = PreviewRequest {
        products: vec![
            ProductQuantity {
                product_id: 15,
                quantity: 2,
            },
            ProductQuantity {
                product_id: 16,
                quantity: 1,
            },
        ],
        ..PreviewRequest::default()
    };
    let p = o.preview_order(&preview).await.unwrap();
    assert_eq!(
        (p.total_sum.to_string().as_str(), p.currency.as_str()),
        ("859.9", "USD")
    );
    assert_eq!(p.order_preview.len(), 2);

    let created = o.create_order("orders", &seed_order(1)).await.unwrap();
    let stored = o
        .get_order_by_marker_and_id("orders", created.id)
        .await
        .unwrap();
    assert_eq!(
        (stored.total_sum.as_str(), stored.status_identifier.as_str()),
        ("400.00", "upcoming")
    );
    assert_eq!(
        (stored.products[0].id, stored.products[0].quantity),
        (15, 1)
    );
    assert_eq!(stored.is_completed, Some(false));
    let updated = o
        .update_order_by_marker_and_id("orders", created.id, &seed_order(2))
        .await
        .unwrap();
    assert_eq!(updated.total_sum.to_string(), "800");
    let list = o
        .get_all_orders_by_marker("orders", Page::default())
        .await
        .unwrap();
    assert_eq!(
        (list.total, list.items[0].total_sum.as_str()),
        (1, "800.00")
    );
    let (status, body) = api_error(
        o.get_order_by_marker_and_id("orders", created.id + 100)
            .await,
    );
    assert_eq!(status, StatusCode::NOT_FOUND, "{}", body.message);

    let second = o.create_order("orders", &seed_order(1)).await.unwrap();
    let cancel = OrderRequest {
        status_identifier: Some("canceled".into()),
        ..OrderRequest::default()
    };
    let canceled = o
        .update_order_by_marker_and_id("orders", second.id, &cancel)
        .await
        .unwrap();
    assert_eq!(canceled.status_identifier, "canceled");

    let id = created.id;
    let ask = RefundRequestBody {
        products: BTreeMap::from([("15".to_owned(), RefundQuantity { quantity: 1 })]),
        note: Some("scratched".into()),
    };
    assert_eq!(
        api_error(o.create_refund_request(id, &ask).await).0,
        StatusCode::CONFLICT
    );
    let paid = json!({"statusIdentifier": "paid"});
    admin(
        &s,
        reqwest::Method::PUT,
        &format!("/api/admin/orders/{id}/status"),
        Some(paid),
    )
    .await;
    assert!(o.create_refund_request(id, &ask).await.unwrap());
    let refunds = o.get_refunds(id).await.unwrap();
    assert_eq!((refunds.len(), refunds[0].status.as_str()), (1, "pending"));
    assert_eq!(
        (
            refunds[0].amount.to_string().as_str(),
            refunds[0].note.as_str()
        ),
        ("400", "scratched")
    );
    assert_eq!(refunds[0].products, ask.products);
    assert!(o.cancel_refund_request(id).await.unwrap());
    assert_eq!(o.get_refunds(id).await.unwrap()[0].status, "canceled");
    assert_eq!(
        api_error(o.cancel_refund_request(id).await).0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn every_payments_method() {
    let s = TestServer::spawn().await;
    let (c, _) = signed_in(&s, "pay").await;
    let p = c.payments();
    let accounts = p.get_accounts().await.unwrap();
    let kinds: Vec<(&str, &str)> = accounts
        .iter()
        .map(|a| (a.identifier.as_str(), a.kind.as_str()))
        .collect();
    assert_eq!(kinds, [("cash", "custom"), ("card", "stripe")]);
    assert_eq!(
        p.get_account_by_id(accounts[0].id).await.unwrap(),
        accounts[0]
    );
    assert_eq!(
        api_error(p.get_account_by_id(999).await).0,
        StatusCode::NOT_FOUND
    );

    let order = c
        .orders()
        .create_order("orders", &seed_order(1))
        .await
        .unwrap();
    let session = p
        .create_session(order.id, SessionType::Session)
        .await
        .unwrap();
    assert_eq!(p.get_session_by_id(session.id).await.unwrap(), session);
    let again = p
        .create_session(order.id, SessionType::Intent)
        .await
        .unwrap();
    assert_eq!(again.id, session.id, "one waiting session per order");
    let list = p.get_sessions(Page::default()).await.unwrap();
    assert_eq!((list.total, list.items.clone()), (1, vec![session.clone()]));
    assert_eq!(
        api_error(p.get_session_by_id(session.id + 100).await).0,
        StatusCode::NOT_FOUND
    );

    let path = format!("/api/admin/payments/sessions/{}/complete", session.id);
    admin(&s, reqwest::Method::POST, &path, None).await;
    assert_eq!(
        p.get_session_by_order_id(order.id).await.unwrap()[0].status,
        "completed"
    );
    let stored = c
        .orders()
        .get_order_by_marker_and_id("orders", order.id)
        .await
        .unwrap();
    assert_eq!(stored.status_identifier, "paid");
    let (status, _) = api_error(p.create_session(order.id, SessionType::Session).await);
    assert_eq!(status, StatusCode::CONFLICT);
}
