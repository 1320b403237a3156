//! Checks of the content part that the SDK's routes and menus depend on.

use super::super::{ProjectDefinition, check};

fn problems(toml_text: &str) -> Vec<String> {
    let def: ProjectDefinition = toml::from_str(toml_text).unwrap_or_default();
    match check(&def) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn the_page_url_url_is_reserved() {
    let text = problems("[[pages]]\nurl = \"url\"\n[[pages]]\nurl = \"root\"\n");
    assert_eq!(
        text,
        ["pages[0].url: \"url\" is reserved: the SDK's page routes use it (/pages/url/{url})"]
    );
}

#[test]
fn a_page_is_listed_once_per_menu() {
    let text = problems(
        r#"
        [[pages]]
        url = "home"
        [[pages]]
        url = "about"
        [[menus]]
        identifier = "main"
        items = [{ page = "home" }, { page = "about", children = [{ page = "home" }] }]
        [[menus]]
        identifier = "footer"
        items = [{ page = "home" }]
        "#,
    );
    assert_eq!(
        text,
        ["menus[0].items[1].children[0].page: page \"home\" is already in this menu"]
    );
}
