//! `project check` of events and webhook endpoints: each problem at its place.

use super::super::{ProjectDefinition, check};

const BASE: &str = r#"
[project]
locales = ["en_US", "de_DE"]

[[forms]]
identifier = "checkout"
kind = "order"

[[order_storages]]
identifier = "orders"
form = "checkout"
statuses = [
  { identifier = "new", default = true },
  { identifier = "paid", paid = true },
]
"#;

fn problems(events: &str) -> Vec<String> {
    let text = format!("{BASE}\n{events}");
    let def: ProjectDefinition = toml::from_str(&text).unwrap();
    match check(&def) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_complete_event_and_endpoint_pass() {
    let text = problems(
        r#"
        [[events]]
        identifier = "order_paid"
        module = "orders"
        condition = "order_status"
        storage = "orders"
        status = "paid"
        recipients = ["user"]
        channels = ["email", "webhook"]
        [events.messages.en_US]
        subject = "Order {{order.id}} is paid"
        text = "Thank you, {{user.name}}."
        html = "<p>Thank you, {{user.name}}.</p>"
        [events.messages.de_DE]
        subject = "Bestellung {{order.id}} bezahlt"

        [[webhooks]]
        identifier = "backoffice"
        url = "https://example.com/hooks"
        secret_env = "BACKOFFICE_SECRET"
        events = ["order_paid"]
        "#,
    );
    assert_eq!(text, Vec::<String>::new());
}

#[test]
fn every_problem_is_reported_at_its_place() {
    let text = problems(
        r#"
        [[events]]
        identifier = "order_paid"
        module = "payments"
        condition = "order_status"
        storage = "orders"
        status = "shipped"
        recipients = ["subscribers"]
        channels = ["email", "webhook"]
        [events.messages.fr_FR]
        subject = "{{payment.id}}"
        [events.messages.en_US]
        text = "{{ order.id "

        [[webhooks]]
        identifier = "backoffice"
        url = "ftp://example.com"
        secret_env = ""
        events = ["order_paid", "nope"]
        "#,
    );
    assert_eq!(
        text,
        [
            "events[0].condition: \"order_status\" belongs to module \"orders\", not \"payments\"",
            "events[0].status: \"shipped\" is not a status of that storage",
            "events[0].recipients: only catalog conditions have subscribers",
            "events[0].messages.en_US.text: template: syntax error (unexpected end of input, expected end of variable block)",
            "events[0].messages.fr_FR: \"fr_FR\" is not one of project.locales",
            "events[0].messages.fr_FR.subject: {{payment}} is not known here; use project, event, user, order",
            "webhooks[0].url: use an http:// or https:// URL",
            "webhooks[0].secret_env: name the environment variable holding the secret",
            "webhooks[0].events[1]: event \"nope\" is not defined",
        ]
    );
}

#[test]
fn conditions_need_their_parameters() {
    let text = problems(
        r#"
        [[events]]
        identifier = "a"
        module = "orders"
        condition = "order_status"
        channels = ["webhook"]

        [[events]]
        identifier = "b"
        module = "payments"
        condition = "payment_status"
        status = "paid"
        channels = ["websocket"]
        recipients = ["group"]
        "#,
    );
    assert_eq!(
        text,
        [
            "events[0].storage: order_status needs a storage",
            "events[0].channels: the webhook channel, but no [[webhooks]] lists the event",
            "events[1].status: \"paid\" is not one of waiting, canceled, expired, completed",
            "events[1].group: recipients = [\"group\"] needs a group",
            "events[1].messages: e-mail, websocket and push need a message",
        ]
    );
}
