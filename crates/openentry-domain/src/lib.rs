//! OpenEntry's business rules, kept free of I/O: no database, no HTTP, no system clock and no
//! randomness. Time arrives as a [`clock::Timestamp`] and random bytes as arguments, so every
//! rule here is tested without sleeps or mocks.

pub mod clock;
pub mod codes;
pub mod collections;
pub mod discounts;
pub mod files;
pub mod form_data;
pub mod locale;
pub mod login;
pub mod money;
pub mod net;
pub mod notices;
pub mod operators;
pub mod orders;
pub mod password;
pub mod payments;
pub mod pricing;
pub mod project;
pub mod refunds;
pub mod retry;
pub mod stripe_signature;
pub mod throttle;

/// The typed domain events and actors (wire types, shared with webhooks and clients).
pub use openentry_types::events;
