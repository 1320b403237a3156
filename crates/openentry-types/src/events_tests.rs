//! The bytes of every event payload, as history and outbox readers see them.

use super::*;

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

#[test]
fn actors_round_trip_through_their_text() {
    for (actor, text) in [
        (Actor::User(12), "user:12"),
        (Actor::Admin, "admin"),
        (Actor::System, "system"),
        (Actor::Stripe, "stripe"),
    ] {
        assert_eq!(actor.to_string(), text);
        assert_eq!(text.parse::<Actor>(), Ok(actor));
        assert_eq!(json(&actor), format!("\"{text}\""));
    }
    for bad in ["user:", "user:x", "operator", ""] {
        assert!(bad.parse::<Actor>().is_err(), "{bad}");
    }
}

#[test]
fn order_payloads_keep_their_bytes() {
    let created = OrderEvent {
        order_id: 7,
        actor: Actor::User(3),
        detail: OrderChange::Created(Created {
            currency: "USD".to_owned(),
            products: vec![(1, 2)],
            status: "new".to_owned(),
            total_minor: 400,
        }),
    };
    assert_eq!(
        json(&DomainEvent::Order(created.clone())),
        r#"{"orderId":7,"actor":"user:3","detail":{"currency":"USD","products":[[1,2]],"status":"new","totalMinor":400}}"#
    );
    assert_eq!(DomainEvent::Order(created).kind().as_str(), "order.created");
    let status = OrderChange::Status(StatusChanged {
        from: "new".to_owned(),
        payment_session_id: None,
        to: "paid".to_owned(),
    });
    assert_eq!(json(&status), r#"{"from":"new","to":"paid"}"#);
    let paid = OrderChange::Status(StatusChanged {
        payment_session_id: Some(4),
        ..match status {
            OrderChange::Status(s) => s,
            _ => unreachable!(),
        }
    });
    assert_eq!(
        json(&paid),
        r#"{"from":"new","paymentSessionId":4,"to":"paid"}"#
    );
    let products = OrderChange::Products(ProductsChanged {
        after: vec![(1, 3)],
        before: BTreeMap::from([(1, 2)]),
        total_minor: 600,
    });
    assert_eq!(
        json(&products),
        r#"{"after":[[1,3]],"before":{"1":2},"totalMinor":600}"#
    );
    assert_eq!(json(&OrderChange::Form {}), "{}");
    let refund = OrderChange::RefundRequested(RefundRequested {
        amount_minor: 200,
        products: BTreeMap::from([("1".to_owned(), RefundQuantity { quantity: 1 })]),
        refund_id: 9,
    });
    assert_eq!(
        json(&refund),
        r#"{"amountMinor":200,"products":{"1":{"quantity":1}},"refundId":9}"#
    );
    let canceled = OrderChange::RefundCanceled(RefundCanceled { refund_id: 9 });
    assert_eq!(json(&canceled), r#"{"refundId":9}"#);
    let payment = OrderChange::Payment(PaymentMoved {
        session_id: 4,
        status: SessionStatus::Completed,
    });
    assert_eq!(json(&payment), r#"{"sessionId":4,"status":"completed"}"#);
    assert_eq!(payment.kind().as_str(), "payment");
}

#[test]
fn session_payloads_keep_their_bytes() {
    let created = DomainEvent::SessionCreated(SessionCreated {
        amount_minor: 400,
        currency: "USD".to_owned(),
        order_id: 7,
        session_id: 4,
    });
    assert_eq!(
        json(&created),
        r#"{"amountMinor":400,"currency":"USD","orderId":7,"sessionId":4}"#
    );
    assert_eq!(created.kind().as_str(), "payment.session.created");
    assert_eq!(created.aggregate(), (Aggregate::PaymentSession, 4));
    let moved = DomainEvent::SessionMoved(SessionMoved {
        actor: Actor::Stripe,
        from: SessionStatus::Waiting,
        order_id: 7,
        session_id: 4,
        to: SessionStatus::Expired,
    });
    assert_eq!(
        json(&moved),
        r#"{"actor":"stripe","from":"waiting","orderId":7,"sessionId":4,"to":"expired"}"#
    );
    assert_eq!(moved.kind().as_str(), "payment.session.expired");
}

/// The alert details keep the bytes of the `json!` maps they replace (alphabetical keys).
#[test]
fn alert_details_keep_their_bytes() {
    let unsettled = AlertDetail::Unsettled(UnsettledDetail {
        actor: Actor::Stripe,
        order: Owed {
            currency: "USD".to_owned(),
            total_minor: 1_000_000,
        },
        order_id: 7,
        order_status: None,
        paid: Amount {
            amount_minor: 40_000,
            currency: "usd".to_owned(),
        },
    });
    let before = serde_json::json!({
        "orderId": 7, "orderStatus": None::<String>, "actor": Actor::Stripe,
        "order": {"totalMinor": 1_000_000, "currency": "USD"},
        "paid": {"amountMinor": 40_000, "currency": "usd"},
    });
    assert_eq!(unsettled.to_json().unwrap(), before.to_string());
    assert_eq!(
        json(&unsettled),
        r#"{"actor":"stripe","order":{"currency":"USD","totalMinor":1000000},"orderId":7,"orderStatus":null,"paid":{"amountMinor":40000,"currency":"usd"}}"#
    );
    let order = AlertDetail::OrderMismatch(OrderMismatchDetail {
        event_type: "payment_intent.succeeded".to_owned(),
        metadata_order_id: serde_json::json!("8"),
        order_id: 7,
    });
    assert_eq!(
        json(&order),
        r#"{"eventType":"payment_intent.succeeded","metadataOrderId":"8","orderId":7}"#
    );
    let amount = AlertDetail::AmountMismatch(AmountMismatchDetail {
        event_type: "checkout.session.completed".to_owned(),
        expected: Amount {
            amount_minor: 400,
            currency: "usd".to_owned(),
        },
        order_id: 7,
        received: Reported {
            amount_minor: Some(399),
            currency: None,
        },
    });
    let before = serde_json::json!({
        "eventType": "checkout.session.completed", "orderId": 7,
        "expected": {"amountMinor": 400, "currency": "usd"},
        "received": {"amountMinor": Some(399), "currency": None::<&str>},
    });
    assert_eq!(json(&amount), before.to_string());
    assert_eq!(
        json(&amount),
        r#"{"eventType":"checkout.session.completed","expected":{"amountMinor":400,"currency":"usd"},"orderId":7,"received":{"amountMinor":399,"currency":null}}"#
    );
}

#[test]
fn user_payloads_name_the_user_and_never_a_code() {
    let signed_up = DomainEvent::SignedUp(UserEvent {
        user_id: 5,
        provider: "email".to_owned(),
    });
    assert_eq!(json(&signed_up), r#"{"userId":5,"provider":"email"}"#);
    assert_eq!(signed_up.kind().as_str(), "user.signed_up");
    assert_eq!(signed_up.aggregate(), (Aggregate::User, 5));
    let code = DomainEvent::CodeRequested(CodeRequested {
        event: "reg".to_owned(),
        provider: "email".to_owned(),
        user_id: 5,
    });
    assert_eq!(
        json(&code),
        r#"{"event":"reg","provider":"email","userId":5}"#
    );
    assert_eq!(code.kind().as_str(), "user.code_requested");
    let changed = DomainEvent::PasswordChanged(UserEvent {
        user_id: 5,
        provider: "email".to_owned(),
    });
    assert_eq!(changed.kind().as_str(), "user.password_changed");
    assert_eq!(changed.aggregate(), (Aggregate::User, 5));
}

#[test]
fn catalog_and_form_events_are_pinned() {
    let price = DomainEvent::PriceFell(PriceFell {
        product_id: 15,
        currency: "USD".to_owned(),
        from_minor: 40000,
        to_minor: 35000,
    });
    assert_eq!(price.kind().as_str(), "product.price_fell");
    assert_eq!(price.aggregate(), (Aggregate::Product, 15));
    assert_eq!(
        json(&price),
        r#"{"productId":15,"currency":"USD","fromMinor":40000,"toMinor":35000}"#
    );
    let stock = DomainEvent::BackInStock(BackInStock {
        product_id: 16,
        from_status: "out_of_stock".to_owned(),
        to_status: "in_stock".to_owned(),
    });
    assert_eq!(stock.kind().as_str(), "product.back_in_stock");
    assert_eq!(
        json(&stock),
        r#"{"productId":16,"fromStatus":"out_of_stock","toStatus":"in_stock"}"#
    );
    let form = DomainEvent::FormSubmitted(FormSubmitted {
        form_data_id: 3,
        form: "contact".to_owned(),
        user_id: None,
    });
    assert_eq!(form.kind().as_str(), "form.submitted");
    assert_eq!(form.aggregate(), (Aggregate::FormData, 3));
    assert_eq!(
        json(&form),
        r#"{"formDataId":3,"form":"contact","userId":null}"#
    );
}
