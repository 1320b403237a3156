//! Operators: admin accounts, console sessions, API tokens, the second factor, the audit log,
//! and the role matrix over every management route.

mod audit;
mod roles;
mod sessions;
mod tokens;
mod user_data;
mod users;
