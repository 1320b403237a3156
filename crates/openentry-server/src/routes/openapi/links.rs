//! OpenAPI links: from each answer that creates something to the operations that read, change
//! or remove it, with the runtime expressions that carry the new id across. They tell a reader
//! which call follows which, and they drive schemathesis's stateful phase
//! (`scripts/schemathesis`), which chains the calls instead of guessing ids. Kept in one table
//! (`link_table.rs`) rather than on ~40 annotations: a link names its target by operation id,
//! and those ids are made by `conventions` after the annotations are read.

use serde_json::{Value, json};
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::{OpenApi as Document, RefOr};

use super::conventions::PREFIX_ALIASES;
use super::link_table::{LINKS, Target};

/// Adds every link of the table to the document, also under the second name of a path the
/// router mounts twice (`conventions::PREFIX_ALIASES`). Runs after `conventions::apply`, which
/// gives the operations their ids; a link whose source or target is not in the document is
/// left out (the test's floor on the number of links notices an entry that stopped matching).
pub(super) fn apply(doc: &mut Document) {
    for source in LINKS {
        for (from, alias) in std::iter::once(("", "")).chain(PREFIX_ALIASES.iter().copied()) {
            let Some(source_path) = renamed(source.path, from, alias) else {
                continue;
            };
            for target in source.links {
                let target_path =
                    renamed(target.path, from, alias).unwrap_or_else(|| target.path.to_owned());
                let Some(id) = operation_id(doc, target.method, &target_path) else {
                    continue;
                };
                let link = build(target, &id);
                let Some(op) = operation(doc, source.method, &source_path) else {
                    continue;
                };
                if let Some(RefOr::T(response)) = op.responses.responses.get_mut(source.status) {
                    // Written as the response's `links` key by hand: utoipa 5.5's `Link`
                    // serializes its fields in snake case (`operation_id`), which no OpenAPI
                    // reader understands.
                    let extensions = response.extensions.get_or_insert_with(Default::default);
                    let links = extensions
                        .entry("links".to_owned())
                        .or_insert_with(|| json!({}));
                    if let Some(links) = links.as_object_mut() {
                        links.insert(target.name.to_owned(), link);
                    }
                }
            }
        }
    }
}

/// `path` under its second name (`from` replaced by `alias`), or itself when both are empty;
/// `None` when the path is not under `from`.
fn renamed(path: &str, from: &str, alias: &str) -> Option<String> {
    path.strip_prefix(from).map(|rest| format!("{alias}{rest}"))
}

/// A Link Object (OpenAPI 3.1 §4.8.20).
fn build(target: &Target, operation_id: &str) -> Value {
    let mut link = json!({ "operationId": operation_id });
    if !target.parameters.is_empty() {
        let parameters: serde_json::Map<String, Value> = target
            .parameters
            .iter()
            .map(|(name, expression)| ((*name).to_owned(), json!(expression)))
            .collect();
        link["parameters"] = Value::Object(parameters);
    }
    if let Some(body) = target.body {
        link["requestBody"] = body();
    }
    link
}

fn operation_id(doc: &Document, method: &str, path: &str) -> Option<String> {
    let item = doc.paths.paths.get(path)?;
    method_of(item, method)?.operation_id.clone()
}

fn operation<'a>(doc: &'a mut Document, method: &str, path: &str) -> Option<&'a mut Operation> {
    let item = doc.paths.paths.get_mut(path)?;
    super::conventions::slot(item, method).as_mut()
}

fn method_of<'a>(item: &'a PathItem, method: &str) -> Option<&'a Operation> {
    match method {
        "get" => item.get.as_ref(),
        "put" => item.put.as_ref(),
        "post" => item.post.as_ref(),
        "delete" => item.delete.as_ref(),
        "patch" => item.patch.as_ref(),
        _ => None,
    }
}
