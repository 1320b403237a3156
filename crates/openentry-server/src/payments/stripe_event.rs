//! What a Stripe event says: its type's meaning for a session, the session it names, and
//! whether its amount may complete that session ([`check_amount`]).

use openentry_domain::events::{
    AlertDetail, Amount, AmountMismatchDetail, OrderMismatchDetail, Reported as ReportedAmount,
};
use openentry_domain::payments::{
    AlertKind, Expected, Reported, SessionStatus, Verdict, check_amount, net_of_tax,
};
use openentry_store::payments::PaymentSessionRecord;
use serde::Deserialize;
use serde_json::Value;

/// The parts of a Stripe event we read.
#[derive(Debug, Deserialize)]
pub(super) struct Event {
    /// `evt_…`.
    pub(super) id: String,
    /// `checkout.session.completed`, …
    #[serde(rename = "type")]
    pub(super) kind: String,
    /// The object the event is about.
    pub(super) data: EventData,
}

/// The event's object.
#[derive(Debug, Deserialize)]
pub(super) struct EventData {
    /// A Checkout Session or a PaymentIntent.
    pub(super) object: Value,
}

/// A Checkout Session's `payment_status`, as Stripe names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum CheckoutPayment {
    /// The money was taken.
    Paid,
    /// Anything else (`unpaid`, `no_payment_required`, a name Stripe adds later).
    #[serde(other)]
    Other,
}

impl CheckoutPayment {
    /// Reads it from a Checkout Session; a missing or malformed one is not `paid`.
    fn of(object: &Value) -> Self {
        Self::deserialize(&object["payment_status"]).unwrap_or(Self::Other)
    }
}

/// What an event type asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Move(SessionStatus),
    /// Recorded with this outcome, nothing else.
    Note(&'static str),
}

pub(super) fn action(event: &Event) -> Action {
    let object = &event.data.object;
    match event.kind.as_str() {
        // Checkout reports `complete` also for delayed methods that are not paid yet; only
        // `payment_status: paid` means the money was taken.
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
            if CheckoutPayment::of(object) == CheckoutPayment::Paid {
                Action::Move(SessionStatus::Completed)
            } else {
                Action::Note("unpaid")
            }
        }
        "payment_intent.succeeded" => Action::Move(SessionStatus::Completed),
        "checkout.session.expired" => Action::Move(SessionStatus::Expired),
        "payment_intent.canceled" => Action::Move(SessionStatus::Canceled),
        // The customer may try another card on the same intent: nothing ends.
        "payment_intent.payment_failed" => Action::Note("payment_failed"),
        _ => Action::Note("ignored"),
    }
}

/// An id in metadata: Stripe metadata values are strings.
pub(super) fn meta_id(v: &Value) -> Option<i64> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_i64())
}

/// Why a payment may not complete `s` (see [`check_amount`]): the alert kind and its
/// details, or `None` when the event may move the session.
pub(super) fn mismatch(
    event: &Event,
    s: &PaymentSessionRecord,
    to: SessionStatus,
) -> Option<(AlertKind, AlertDetail)> {
    let object = &event.data.object;
    let order = &object["metadata"]["order_id"];
    let amount_minor = if event.kind.starts_with("checkout.session.") {
        net_of_tax(
            object["amount_total"].as_i64(),
            object["total_details"]["amount_tax"].as_i64(),
        )
    } else {
        object["amount_received"]
            .as_i64()
            .or_else(|| object["amount"].as_i64())
    };
    let reported = Reported {
        metadata_order: (!order.is_null()).then(|| meta_id(order)),
        amount_minor,
        currency: object["currency"].as_str(),
    };
    let expected = Expected {
        order_id: s.order_id,
        amount_minor: s.amount_minor,
        currency: &s.currency,
    };
    match check_amount(&reported, &expected, to) {
        Verdict::Apply => None,
        Verdict::OrderMismatch => Some((
            AlertKind::OrderMismatch,
            AlertDetail::OrderMismatch(OrderMismatchDetail {
                event_type: event.kind.clone(),
                metadata_order_id: order.clone(),
                order_id: s.order_id,
            }),
        )),
        Verdict::AmountMismatch => Some((
            AlertKind::AmountMismatch,
            AlertDetail::AmountMismatch(AmountMismatchDetail {
                event_type: event.kind.clone(),
                expected: Amount {
                    amount_minor: s.amount_minor,
                    currency: s.currency.clone(),
                },
                order_id: s.order_id,
                received: ReportedAmount {
                    amount_minor: reported.amount_minor,
                    currency: reported.currency.map(str::to_owned),
                },
            }),
        )),
    }
}
