//! Schemas written by hand for the server's OpenAPI document (feature `openapi`): the types
//! whose serde impls are hand-written too.

use utoipa::openapi::schema::{Schema, Type};
use utoipa::openapi::{ObjectBuilder, RefOr};

use crate::events::Actor;

/// On the wire an actor is its text (`user:12`, `admin`, `system`, `stripe`).
impl utoipa::PartialSchema for Actor {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("`user:<id>`, `admin`, `system` or `stripe`"))
            .into()
    }
}

impl utoipa::ToSchema for Actor {}
