//! The operator console (`/admin`) in a real browser: headless Chromium driven through
//! WebDriver (chromedriver, `fantoccini`), against a real server per test on SQLite, and on
//! PostgreSQL when `OPENENTRY_TEST_DATABASE_URL` is set. A test without chromedriver on the
//! machine says loudly that it skipped (`.ci/run` installs it). Screenshots of each screen go
//! to `target/console-screenshots/<database>/`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers fail loudly

mod admin;
mod browser;
mod catalog_edit;
mod content;
mod pages;
mod people;
mod screens;
