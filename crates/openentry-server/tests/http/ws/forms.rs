//! A form's event speaks of the submission: `{{form.<marker>}}` and `{{form.identifier}}` in
//! its message are the values the user sent.

use openentry_testkit::{TestServer, test_catalog_with, unique_email};
use serde_json::json;

use super::client::{Seen, connect};
use super::{pass, quiet};

const EXTRA: &str = r#"
[[forms]]
identifier = "notes"
kind = "data"
title = { en_US = "Notes" }
moderation = false
[[forms.fields]]
marker = "line"
type = "string"

[[events]]
identifier = "note_written"
module = "forms"
condition = "form_submitted"
form = "notes"
recipients = ["user"]
channels = ["websocket"]
[events.messages.en_US]
subject = "We got your {{form.identifier}}"
text = "You wrote: {{form.line}} (#{{form.id}}, {{form.status}})"
"#;

#[tokio::test]
async fn a_form_events_message_names_what_the_user_sent() {
    let s = TestServer::spawn_with(quiet, test_catalog_with(EXTRA)).await;
    let ann = s.user(&unique_email("ws-form")).await;
    let mut socket = connect(&s.url, &s.app_token, &ann).await.unwrap();
    let note = json!({
        "formIdentifier": "notes",
        "formData": {"en_US": [{"marker": "line", "type": "string", "value": "<b>hello</b>"}]}
    });
    let posted = s.post("/api/content/form-data", Some(&ann), note).await;
    assert!(posted.status < 300, "{}", posted.body);
    let id = posted.body["formData"]["id"]
        .as_i64()
        .expect("the submission's id");
    assert_eq!(pass(&s).await["sent"], 1);
    let Seen::Event(name, n) = socket.next().await else {
        panic!("the socket closed");
    };
    assert_eq!(name, "notification");
    assert_eq!(n["title"], "We got your notes");
    assert_eq!(
        n["message"],
        format!("You wrote: <b>hello</b> (#{id}, approved)")
    );
}
