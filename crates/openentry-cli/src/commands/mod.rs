//! One module per subcommand.

pub(crate) mod demo;
pub(crate) mod openapi;
pub(crate) mod project;
pub(crate) mod serve;
