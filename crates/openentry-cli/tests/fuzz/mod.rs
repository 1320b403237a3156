//! Support of `fuzz_routes`: the route table, the mutations and a raw HTTP client.

pub(crate) mod case;
pub(crate) mod mutate;
pub(crate) mod routes;
pub(crate) mod wire;
