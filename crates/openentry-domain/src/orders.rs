//! A customer's order update, decided on the order as it is: what changes, whether it may,
//! what is written to its history, and whether its waiting payment session must go.
//!
//! The SDK resends the whole order on every update, so only what differs from the stored order
//! counts as a change (a cancel does not re-price the cart). Contents (products, form data,
//! payment account) change only in the storage's default status; the status changes only along
//! the storage's customer transitions. A contents change or a move to a final status cancels
//! the waiting session: a session is always for the order as it is.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::events::{OrderChange, ProductsChanged, StatusChanged};
use crate::project::{OrderStatusDef, OrderStorageDef};

/// The stored order an update is decided on (read under the order's lock or version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderState<'a> {
    /// Its status.
    pub status: &'a OrderStatusDef,
    /// Its payment account (row id).
    pub payment_account_id: i64,
    /// Its form data, as stored.
    pub form_data: &'a Value,
    /// Product id → units.
    pub lines: BTreeMap<i64, i64>,
}

impl OrderState<'_> {
    /// Whether `requested` (product id, units; duplicates add up) asks for other products than
    /// the order has. An empty request asks for nothing: the caller prices only when this holds.
    pub fn asks_other_products(&self, requested: &[(i64, i64)]) -> bool {
        !requested.is_empty() && quantities(requested) != self.lines
    }
}

/// Product id → units, duplicates added up.
pub fn quantities(pairs: &[(i64, i64)]) -> BTreeMap<i64, i64> {
    pairs.iter().fold(BTreeMap::new(), |mut m, &(p, q)| {
        *m.entry(p).or_insert(0) += q;
        m
    })
}

/// New contents, priced from the catalog by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repriced {
    /// (product id, units) in cart order.
    pub after: Vec<(i64, i64)>,
    /// The new total, minor units.
    pub total_minor: i64,
}

/// What the customer sends, resolved against the project at the edge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateRequest<'a> {
    /// The form data as it would be stored, when the request carries any.
    pub form_data: Option<Value>,
    /// New contents, when [`OrderState::asks_other_products`] holds.
    pub products: Option<Repriced>,
    /// The payment account named (row id), when one is named.
    pub payment_account_id: Option<i64>,
    /// The status asked for (identifier or marker), when one is named.
    pub status: Option<&'a str>,
}

/// What an update does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatePlan {
    /// The form data to store, if it changes.
    pub form_data: Option<Value>,
    /// The payment account to store (the current one when unchanged).
    pub payment_account_id: i64,
    /// The contents to store, if they change.
    pub products: Option<Repriced>,
    /// The status marker to move to, if it changes.
    pub status: Option<String>,
    /// Whether the order's waiting payment session must be canceled first.
    pub cancel_waiting: bool,
    /// The history entries to write, in order.
    pub history: Vec<OrderChange>,
}

/// Why an update is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal<'a> {
    /// The contents changed outside the default status (`status` is the current marker).
    Frozen {
        /// The current status marker.
        status: &'a str,
    },
    /// The storage has no such status.
    NoSuchStatus {
        /// The storage.
        storage: &'a str,
        /// The status asked for.
        to: &'a str,
    },
    /// The customer may not make this move.
    NotAllowed {
        /// The current status marker.
        from: &'a str,
        /// The status asked for.
        to: &'a str,
    },
}

/// Decides a customer's update of `current`, an order of `storage`.
pub fn plan_update<'a>(
    current: &OrderState<'a>,
    request: &UpdateRequest<'a>,
    storage: &'a OrderStorageDef,
) -> Result<UpdatePlan, Refusal<'a>> {
    let from = current.status.identifier.as_str();
    let form_data = request.form_data.clone().filter(|f| f != current.form_data);
    let account = request
        .payment_account_id
        .unwrap_or(current.payment_account_id);
    let other_account = account != current.payment_account_id;
    let contents_change = form_data.is_some() || request.products.is_some() || other_account;
    if contents_change && !current.status.default {
        return Err(Refusal::Frozen { status: from });
    }
    let target = match request.status.filter(|t| !t.is_empty() && *t != from) {
        None => None,
        Some(to) => Some(target(storage, from, to)?),
    };
    let mut history = Vec::new();
    if let Some(t) = target {
        history.push(OrderChange::Status(StatusChanged {
            from: from.to_owned(),
            payment_session_id: None,
            to: t.identifier.clone(),
        }));
    }
    if let Some(p) = &request.products {
        history.push(OrderChange::Products(ProductsChanged {
            after: p.after.clone(),
            before: current.lines.clone(),
            total_minor: p.total_minor,
        }));
    }
    if form_data.is_some() || other_account {
        history.push(OrderChange::Form {});
    }
    Ok(UpdatePlan {
        form_data,
        payment_account_id: account,
        products: request.products.clone(),
        status: target.map(|t| t.identifier.clone()),
        cancel_waiting: contents_change || target.is_some_and(|t| t.is_final),
        history,
    })
}

/// An operator's move of an order to `to`, any status of its storage, from `from` (its
/// current marker; `None` when the status is gone from the project).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusPlan<'a> {
    /// The new status.
    pub to: &'a OrderStatusDef,
    /// Whether the order's waiting payment session must be canceled first (a final status).
    pub cancel_waiting: bool,
    /// The history entry to write.
    pub history: OrderChange,
}

/// Decides an operator's status change: any status of the storage, a final one closes the
/// order's waiting session.
pub fn plan_status<'a>(
    storage: &'a OrderStorageDef,
    from: Option<&str>,
    to: &'a str,
) -> Result<StatusPlan<'a>, Refusal<'a>> {
    let status = storage.status(to).ok_or(Refusal::NoSuchStatus {
        storage: &storage.identifier,
        to,
    })?;
    Ok(StatusPlan {
        to: status,
        cancel_waiting: status.is_final,
        history: OrderChange::Status(StatusChanged {
            from: from.unwrap_or_default().to_owned(),
            payment_session_id: None,
            to: to.to_owned(),
        }),
    })
}

fn target<'a>(
    storage: &'a OrderStorageDef,
    from: &'a str,
    to: &'a str,
) -> Result<&'a OrderStatusDef, Refusal<'a>> {
    let Some(status) = storage.status(to) else {
        return Err(Refusal::NoSuchStatus {
            storage: &storage.identifier,
            to,
        });
    };
    if !storage.customer_may(from, to) {
        return Err(Refusal::NotAllowed { from, to });
    }
    Ok(status)
}

#[cfg(test)]
#[path = "orders_tests.rs"]
mod tests;
