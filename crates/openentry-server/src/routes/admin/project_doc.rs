//! The OpenAPI operations of the per-section routes of `/api/admin/project` (`project.rs`):
//! generated from the same table the router is built from, so every section is documented
//! and nothing else (the completeness test compares the two).

use utoipa::Modify;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, ParameterBuilder, ParameterIn,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::{
    ContentBuilder, ObjectBuilder, OpenApi as Document, Required, ResponseBuilder,
};

use crate::project::sections::{SECTIONS, Section};

/// Adds the five operations of each section.
pub(super) struct Sections;

impl Modify for Sections {
    fn modify(&self, doc: &mut Document) {
        for s in SECTIONS {
            let list = format!("/api/admin/project/{}", s.path);
            let item = format!("{list}/{{key}}");
            let paths = &mut doc.paths;
            paths.add_path_operation(&list, vec![HttpMethod::Get], list_op(s));
            paths.add_path_operation(&list, vec![HttpMethod::Post], create_op(s));
            paths.add_path_operation(&item, vec![HttpMethod::Get], read_op(s));
            paths.add_path_operation(&item, vec![HttpMethod::Put], replace_op(s));
            paths.add_path_operation(&item, vec![HttpMethod::Delete], delete_op(s));
        }
    }
}

fn json(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(ObjectBuilder::new().build()))
                .build(),
        )
        .build()
}

/// An answer carrying the entry's version in `ETag`.
fn versioned(description: &str) -> utoipa::openapi::Response {
    let mut r = json(description);
    r.headers.insert(
        "ETag".to_owned(),
        HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String))
            .description(Some("The entry's version, for If-Match"))
            .build(),
    );
    r
}

fn plain(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new().description(description).build()
}

fn entry_body(s: &Section) -> utoipa::openapi::request_body::RequestBody {
    RequestBodyBuilder::new()
        .description(Some(format!(
            "One `[[{}]]` entry of the project definition (docs/project.md) as JSON; unknown \
                 fields are refused",
            s.field
        )))
        .required(Some(Required::True))
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(ObjectBuilder::new().build()))
                .build(),
        )
        .build()
}

fn key_param(s: &Section) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name("key")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(format!("The entry's `{}`", s.key)))
        .schema(Some(
            ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String),
        ))
        .build()
}

fn if_match() -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name("If-Match")
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some("The ETag of the read the edit was made from"))
        .schema(Some(
            ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String),
        ))
        .build()
}

fn list_op(s: &Section) -> Operation {
    OperationBuilder::new()
        .summary(Some(format!("Every `{}` entry", s.field)))
        .response(
            "200",
            json("`{total, items}`, write-only values as `<write-only>`"),
        )
        .build()
}

fn create_op(s: &Section) -> Operation {
    OperationBuilder::new()
        .summary(Some(format!("Adds a `{}` entry", s.field)))
        .request_body(Some(entry_body(s)))
        .response(
            "201",
            versioned("The entry as stored; `ETag` names its version"),
        )
        .response("409", plain("An entry with this key exists already"))
        .build()
}

fn read_op(s: &Section) -> Operation {
    OperationBuilder::new()
        .summary(Some(format!("One `{}` entry", s.field)))
        .parameter(key_param(s))
        .response("200", versioned("The entry; `ETag` names its version"))
        .build()
}

fn replace_op(s: &Section) -> Operation {
    OperationBuilder::new()
        .summary(Some(format!(
            "Replaces a `{}` entry (write-only values sent as `<write-only>` or left out are kept)",
            s.field
        )))
        .parameter(key_param(s))
        .parameter(if_match())
        .request_body(Some(entry_body(s)))
        .response(
            "200",
            versioned("The entry as stored; `ETag` names its new version"),
        )
        .response(
            "412",
            plain("The entry changed since the read named by If-Match"),
        )
        .response("428", plain("If-Match is missing"))
        .build()
}

fn delete_op(s: &Section) -> Operation {
    OperationBuilder::new()
        .summary(Some(format!("Deletes a `{}` entry", s.field)))
        .parameter(key_param(s))
        .parameter(if_match())
        .response("200", json("`true`"))
        .response(
            "412",
            plain("The entry changed since the read named by If-Match"),
        )
        .response("428", plain("If-Match is missing"))
        .build()
}
