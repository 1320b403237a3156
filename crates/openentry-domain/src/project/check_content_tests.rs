//! Checks of the content part that the SDK's routes and menus depend on.

use super::super::check::problems;

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

#[test]
fn a_schedule_belongs_to_a_time_interval_and_names_its_mistakes() {
    let text = problems(
        r#"
        [[attribute_sets]]
        identifier = "order"
        [[attribute_sets.attributes]]
        marker = "when"
        type = "timeInterval"
        schedule = [
          { from = "2026-01-01", to = "2026-12-31", times = [["09:00", "12:00"]] },
          { from = "2026-01-01", to = "2026-12-31", times = [["12:00", "09:00"]] },
        ]
        [[attribute_sets.attributes]]
        marker = "note"
        schedule = [{ from = "2026-01-01", to = "2026-01-01", times = [["09:00", "10:00"]] }]
        "#,
    );
    assert_eq!(
        text,
        [
            "attribute_sets[0].attributes[0].schedule[1].times[0]: 12:00 does not come before 09:00",
            "attribute_sets[0].attributes[1].schedule: only timeInterval attributes have a schedule, not string",
        ]
    );
}
