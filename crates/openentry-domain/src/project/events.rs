//! Events (`[[events]]`) and outgoing webhook endpoints (`[[webhooks]]`): what happens when a
//! condition is met (an order reaches a status, a payment ends, a user signs up, …), who hears
//! about it, through which channels, and the per-locale message. The checks are in
//! `events_check.rs`; rendering is [`crate::notices`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Localized;

openentry_types::wire_names! {
    /// The module an event belongs to (OneEntry's event modules).
    pub enum EventModule: "event module" {
        /// Orders: created, status reached, refund asked for.
        Orders = "orders",
        /// Payment sessions.
        Payments = "payments",
        /// Users: sign-up, one-time codes, password changes.
        Users = "users",
        /// Form submissions.
        Forms = "forms",
        /// Products, for their subscribers: price and stock.
        Catalog = "catalog",
    }
}

openentry_types::wire_names! {
    /// When an event fires. Each belongs to one [`EventModule`].
    pub enum Condition: "event condition" {
        /// An order was created (in `storage`, or any).
        OrderCreated = "order_created",
        /// An order of `storage` reached `status`.
        OrderStatus = "order_status",
        /// A customer asked for a refund.
        Refund = "refund",
        /// A payment session reached `status` (a session status: `completed`, …).
        PaymentStatus = "payment_status",
        /// A user signed up.
        SignUp = "sign_up",
        /// A one-time code was asked for (activation, password reset, sign-in).
        CodeRequest = "code_request",
        /// A user changed their password.
        PasswordChange = "password_change",
        /// A form (`form`, or any) was submitted.
        FormSubmitted = "form_submitted",
        /// A product's price fell below a subscriber's threshold.
        PriceBelow = "price_below",
        /// A product came back in stock.
        BackInStock = "back_in_stock",
    }
}

impl Condition {
    /// The module the condition belongs to.
    pub fn module(self) -> EventModule {
        match self {
            Self::OrderCreated | Self::OrderStatus | Self::Refund => EventModule::Orders,
            Self::PaymentStatus => EventModule::Payments,
            Self::SignUp | Self::CodeRequest | Self::PasswordChange => EventModule::Users,
            Self::FormSubmitted => EventModule::Forms,
            Self::PriceBelow | Self::BackInStock => EventModule::Catalog,
        }
    }

    /// The top-level names a template of this condition may use (`{{order.id}}`): `project`,
    /// `event` and `user` always, plus what the condition is about.
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            Self::OrderCreated | Self::OrderStatus | Self::Refund => {
                &["project", "event", "user", "order"]
            }
            Self::PaymentStatus => &["project", "event", "user", "order", "payment"],
            Self::SignUp | Self::PasswordChange => &["project", "event", "user"],
            Self::CodeRequest => &["project", "event", "user", "code"],
            Self::FormSubmitted => &["project", "event", "user", "form"],
            Self::PriceBelow | Self::BackInStock => &["project", "event", "user", "product"],
        }
    }
}

openentry_types::wire_names! {
    /// Who an event is for.
    pub enum Recipient: "event recipient" {
        /// The user the event is about (the order's customer, the signed-up user).
        User = "user",
        /// The users subscribed to the product (catalog conditions).
        Subscribers = "subscribers",
        /// Every user of `group`.
        Group = "group",
        /// The project's operators (the admins of `[[admins]]` with an e-mail).
        Operators = "operators",
    }
}

openentry_types::wire_names! {
    /// How an event reaches its recipients.
    pub enum Channel: "event channel" {
        /// E-mail (SMTP).
        Email = "email",
        /// The SDK's WebSocket (`WS.connect`), event name `notification`.
        Websocket = "websocket",
        /// Outgoing webhooks: every endpoint of `[[webhooks]]` that lists the event.
        Webhook = "webhook",
        /// Push notifications to the user's registered devices.
        Push = "push",
    }
}

/// One locale's message. Placeholders are `{{name.field}}`; `html` is escaped as HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MessageDef {
    /// Subject (e-mail) or title (push, WebSocket).
    #[serde(default)]
    pub subject: String,
    /// Plain-text body.
    #[serde(default)]
    pub text: String,
    /// HTML body for e-mail (values are HTML-escaped).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub html: String,
}

/// An event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDef {
    /// Marker (`order_paid`): the `type` of its webhooks, the marker of subscriptions.
    pub identifier: String,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// The module (`orders`); must be the condition's.
    pub module: EventModule,
    /// When it fires.
    pub condition: Condition,
    /// `order_created`, `order_status`: the order storage (any when absent, except for
    /// `order_status`, which needs it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    /// `order_status`: an order status of `storage`; `payment_status`: a session status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `form_submitted`: the form (any when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// Who hears about it.
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// `recipients = ["group"]`: the user group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// How.
    pub channels: Vec<Channel>,
    /// Locale → message. The user's locale is used, else the project's default.
    #[serde(default)]
    pub messages: BTreeMap<String, MessageDef>,
}

impl EventDef {
    /// Whether the event goes out through `channel`.
    pub fn has_channel(&self, channel: Channel) -> bool {
        self.channels.contains(&channel)
    }

    /// The message for `locale`, else for `default_locale`, else any.
    pub fn message(&self, locale: &str, default_locale: &str) -> Option<&MessageDef> {
        self.messages
            .get(locale)
            .or_else(|| self.messages.get(default_locale))
            .or_else(|| self.messages.values().next())
    }
}

/// An outgoing webhook endpoint. Its signing secret is never in the file: like the payment
/// accounts' keys, the file names the environment variable that holds it, so an export never
/// carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookDef {
    /// Marker (`backoffice`).
    pub identifier: String,
    /// `https://…` (or `http://…`); private, loopback and link-local targets are refused when
    /// sending unless the server's configuration allows them.
    pub url: String,
    /// Environment variable holding the Standard Webhooks secret (`whsec_<base64>`).
    pub secret_env: String,
    /// Event identifiers this endpoint receives (events with the `webhook` channel).
    pub events: Vec<String>,
}

impl super::ProjectDefinition {
    /// The event with this marker.
    pub fn event(&self, identifier: &str) -> Option<&EventDef> {
        self.events.iter().find(|e| e.identifier == identifier)
    }
}
