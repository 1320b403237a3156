//! One module per subcommand.

pub(crate) mod admin;
pub(crate) mod backup;
pub(crate) mod demo;
pub(crate) mod migrate;
pub(crate) mod openapi;
pub(crate) mod project;
pub(crate) mod serve;
