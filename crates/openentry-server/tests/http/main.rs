//! HTTP behaviour through the real server, one server and one database per test. Runs on
//! SQLite, and on PostgreSQL when `OPENENTRY_TEST_DATABASE_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers fail loudly

mod admin;
mod admin_media;
mod admins;
mod auth;
mod blocks;
mod catalog;
mod code_races;
mod codes;
mod collections;
mod content;
mod conventions;
mod discounts;
mod files;
mod files_limits;
mod files_s3;
mod form_data;
mod input;
mod limits;
mod media;
mod metrics;
mod money;
mod net_limits;
mod nodes;
mod openapi;
mod operators;
mod orders;
mod payments;
mod project_api;
mod proxies;
mod purge;
mod relay;
mod spam;
mod stripe;
mod system;
mod throttle;
mod tokens;
mod users;
mod ws;

/// A login unique within the run.
pub(crate) use openentry_testkit::unique_email as email;
