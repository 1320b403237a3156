//! Wire types of the OneEntry Content API as the official SDK (`oneentry@1.0.149`) speaks them.
//!
//! These structs are the single definition of every request and response body; the server
//! serializes them and the Rust client deserializes them. Field names, optionality and the
//! difference between an absent key and `null` follow `docs/wire.md` (§4):
//! optional keys are skipped when empty (the SDK's strict validation refuses `null` for them),
//! nullable keys are always written.

pub mod admin;
pub mod admin_data;
pub mod admins;
pub mod audit;
pub mod auth;
pub mod blocks;
pub mod catalog;
pub mod collections;
pub mod content;
pub mod error;
pub mod events;
pub mod files;
pub mod form_data;
pub mod forms;
pub mod localized;
pub mod names;
#[cfg(feature = "openapi")]
mod openapi;
pub mod operators;
pub mod orders;
pub mod paging;
pub mod payments;
pub mod subscriptions;
pub mod system;
pub mod templates;
pub mod users;

pub use error::ErrorBody;

// For `wire_names!` schemas expanded in other crates.
#[cfg(feature = "openapi")]
#[doc(hidden)]
pub use utoipa as __utoipa;
