use serde_json::json;

use super::*;
use crate::project::{FieldDef, FieldKind, FormKind, Localized};

fn field(marker: &str, kind: FieldKind) -> FieldDef {
    FieldDef {
        marker: marker.into(),
        kind,
        title: Localized::default(),
        required: false,
        login: false,
        password: false,
        notification_email: false,
        email: false,
        phone: false,
    }
}

fn form(fields: Vec<FieldDef>) -> FormDef {
    FormDef {
        identifier: "f".into(),
        kind: FormKind::Data,
        title: Localized::default(),
        fields,
        read: FormRead::Own,
        moderation: true,
        action_message: Localized::default(),
        seed: Vec::new(),
    }
}

fn item(marker: &str, value: Value) -> FormDataItem {
    FormDataItem {
        marker: marker.into(),
        kind: "string".into(),
        value,
    }
}

/// The stored value of `value` in a field of `kind` (with `adjust` applied to the field).
fn one(kind: FieldKind, value: Value, adjust: impl Fn(&mut FieldDef)) -> Result<Value, Refusal> {
    let mut f = field("x", kind);
    adjust(&mut f);
    check_submission(&form(vec![f]), vec![item("x", value)]).map(|mut v| v.remove(0).value)
}

fn ok(kind: FieldKind, value: &Value) -> Value {
    one(kind, value.clone(), |_| {}).unwrap_or_else(|e| panic!("{kind} {value}: {e}"))
}

fn refused(kind: FieldKind, value: &Value) -> String {
    match one(kind, value.clone(), |_| {}) {
        Ok(v) => panic!("{kind} {value} was accepted as {v}"),
        Err(e) => {
            assert_eq!(e.field.as_deref(), Some("x"));
            e.message
        }
    }
}

#[test]
fn each_type_takes_its_shapes_and_stores_them_normalized() {
    use FieldKind as K;
    assert_eq!(ok(K::String, &json!("  Jack ")), json!("Jack"));
    assert_eq!(ok(K::String, &json!(42)), json!("42"));
    assert_eq!(
        ok(K::Text, &json!("Line 1\nLine 2")),
        json!("Line 1\nLine 2")
    );
    assert_eq!(ok(K::Text, &json!([{"plainValue": "Soft"}])), json!("Soft"));
    assert_eq!(
        ok(
            K::Text,
            &json!({"htmlValue": "<p>Soft</p>", "plainValue": "Soft", "params": {}})
        ),
        json!("Soft")
    );
    assert_eq!(
        ok(
            K::TextWithHeader,
            &json!({"header": "H", "plainValue": "B"})
        ),
        json!({"header": "H", "plainValue": "B"})
    );
    assert_eq!(ok(K::Integer, &json!("5")), json!(5));
    assert_eq!(ok(K::Integer, &json!(5)), json!(5));
    assert_eq!(ok(K::Integer, &json!("")), Value::Null);
    assert_eq!(ok(K::Float, &json!("2.5")), json!(2.5));
    assert_eq!(ok(K::Real, &json!(2.5)), json!(2.5));
    assert_eq!(ok(K::Boolean, &json!("true")), json!(true));
    assert_eq!(ok(K::Date, &json!("2026-05-02")), json!("2026-05-02"));
    let sdk_date = json!({"fullDate": "2026-05-02T10:00:00.000Z", "formattedValue": "02-05-2026 10:00", "formatString": "DD-MM-YYYY HH:mm", "extra": 1});
    assert_eq!(
        ok(K::Date, &sdk_date),
        json!({"fullDate": "2026-05-02T10:00:00.000Z", "formattedValue": "02-05-2026 10:00", "formatString": "DD-MM-YYYY HH:mm"})
    );
    assert_eq!(
        ok(K::DateTime, &json!("2026-05-02T10:00:00Z")),
        json!("2026-05-02T10:00:00Z")
    );
    assert_eq!(ok(K::Time, &json!("10:30")), json!("10:30"));
    assert_eq!(ok(K::List, &json!(["red"])), json!(["red"]));
    assert_eq!(ok(K::RadioButton, &json!(2)), json!("2"));
    assert_eq!(
        ok(
            K::List,
            &json!([{"title": "Red", "value": "1", "extended": {"type": "string", "value": "#e11"}, "x": 1}])
        ),
        json!([{"title": "Red", "value": "1", "extended": {"type": "string", "value": "#e11"}}])
    );
    let file = json!({"filename": "a.png", "downloadLink": "https://cdn.example/a.png", "size": 3, "contentType": "x"});
    assert_eq!(
        ok(K::GroupOfImages, &json!([file.clone()])),
        json!([{"filename": "a.png", "downloadLink": "https://cdn.example/a.png", "size": 3}])
    );
    assert_eq!(ok(K::Image, &file).as_array().map(Vec::len), Some(1));
    assert_eq!(ok(K::GroupOfImages, &json!([])), json!([]));
    assert_eq!(ok(K::Entity, &json!("bags")), json!(["bags"]));
    assert_eq!(ok(K::Json, &json!({"a": [1]})), json!({"a": [1]}));
    assert_eq!(
        ok(K::TimeInterval, &json!([["10:00", "18:00"]])),
        json!([["10:00", "18:00"]])
    );
    assert_eq!(ok(K::Email, &json!("a@b.co")), json!("a@b.co"));
}

#[test]
fn each_type_refuses_what_does_not_fit_and_names_the_field() {
    use FieldKind as K;
    let too_long = "x".repeat(MAX_STRING_CHARS + 1);
    for (kind, value) in [
        (K::String, json!(too_long)),
        (K::String, json!("a\u{0}b")),
        (K::String, json!("two\nlines")),
        (K::String, json!({"a": 1})),
        (K::Text, json!("x".repeat(MAX_TEXT_CHARS + 1))),
        (
            K::Text,
            json!({"htmlValue": "<script>x</script>", "plainValue": ""}),
        ),
        (K::Integer, json!("five")),
        (K::Integer, json!(2.5)),
        (K::Float, json!("NaN")),
        (K::Float, json!(true)),
        (K::Boolean, json!("yes")),
        (K::Date, json!("2026-02-30")),
        (K::Date, json!({"fullDate": "tomorrow"})),
        (K::DateTime, json!("2026-05-02")),
        (K::Time, json!("25:00")),
        (K::List, json!(vec!["a"; MAX_CHOICES + 1])),
        (K::List, json!([["nested"]])),
        (K::Image, json!("a.png")),
        (
            K::File,
            json!({"filename": "a", "downloadLink": "javascript:alert(1)", "size": 1}),
        ),
        (K::File, json!({"statusCode": 413, "message": "too large"})),
        (
            K::GroupOfImages,
            json!(vec![
                json!({"filename": "a", "downloadLink": "/m/a", "size": 1});
                MAX_FILES + 1
            ]),
        ),
        (K::Json, json!("x".repeat(MAX_JSON_BYTES + 1))),
        (K::TimeInterval, json!([["10:00"]])),
        (K::Email, json!("not an address")),
    ] {
        let msg = refused(kind, &value);
        assert!(msg.starts_with("field \"x\" "), "{kind}: {msg}");
    }
    let phone = |v: &str| one(FieldKind::String, json!(v), |f| f.phone = true);
    assert_eq!(
        phone("+1 (555) 010-0100").unwrap(),
        json!("+1 (555) 010-0100")
    );
    assert!(phone("call me").is_err());
    assert!(phone("12+34567").is_err());
    assert!(phone("1234").is_err());
    assert_eq!(phone("").unwrap(), json!(""));
    let email = |v: &str| one(FieldKind::String, json!(v), |f| f.email = true);
    assert!(email("a@b.co").is_ok() && email("a@b").is_err());
}

#[test]
fn a_submission_is_checked_as_a_whole_and_kept_in_the_forms_order() {
    let mut comment = field("comment", FieldKind::Text);
    comment.required = true;
    let mut secret = field("secret", FieldKind::String);
    secret.password = true;
    let f = form(vec![field("rating", FieldKind::Integer), comment, secret]);
    let stored = check_submission(
        &f,
        vec![
            item("comment", json!([{"plainValue": "Good"}])),
            item("secret", json!("hunter2")),
            item("rating", json!("")),
        ],
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&stored).unwrap(),
        json!([
            {"marker": "rating", "type": "integer", "value": null},
            {"marker": "comment", "type": "text", "value": "Good"},
        ])
    );
    let e = check_submission(&f, vec![item("rating", json!(5))]).unwrap_err();
    assert_eq!(
        (e.field.as_deref(), e.message.as_str()),
        (Some("comment"), "field \"comment\" is required")
    );
    let e = check_submission(&f, vec![item("comment", json!("  "))]).unwrap_err();
    assert_eq!(e.message, "field \"comment\" is required");
    let e = check_submission(
        &f,
        vec![item("comment", json!("a")), item("nope", json!(1))],
    )
    .unwrap_err();
    assert_eq!(e.message, "Form \"f\" has no field \"nope\"");
    let e = check_submission(
        &f,
        vec![item("comment", json!("a")), item("comment", json!("b"))],
    )
    .unwrap_err();
    assert_eq!(e.message, "field \"comment\" is given twice");
}

#[test]
fn who_reads_what() {
    use SubmissionStatus::{Approved, New, Rejected};
    let me = Viewer::User(7);
    let reviews = visibility(FormRead::PublicApproved, me);
    assert!(reviews.allows(Approved, Some(8)) && reviews.allows(New, Some(7)));
    assert!(!reviews.allows(New, Some(8)) && !reviews.allows(Rejected, None));
    assert!(reviews.reveals_sender(Some(7)) && !reviews.reveals_sender(Some(8)));
    let public = visibility(FormRead::PublicApproved, Viewer::Anonymous);
    assert!(public.allows(Approved, None) && !public.allows(New, None));
    assert!(!public.reveals_sender(None));
    let own = visibility(FormRead::Own, me);
    assert!(own.allows(New, Some(7)) && !own.allows(Approved, Some(8)));
    let anonymous_own = visibility(FormRead::Own, Viewer::Anonymous);
    assert!(!anonymous_own.allows(Approved, None));
    assert!(!visibility(FormRead::Operators, me).allows(Approved, Some(7)));
    let operator = visibility(FormRead::Operators, Viewer::Operator);
    assert!(operator.allows(Rejected, None) && operator.reveals_sender(Some(8)));
}

#[test]
fn statuses_come_from_the_form_not_the_client() {
    let mut f = form(Vec::new());
    assert_eq!(initial_status(&f, Viewer::Anonymous), SubmissionStatus::New);
    assert_eq!(
        initial_status(&f, Viewer::Operator),
        SubmissionStatus::Approved
    );
    assert_eq!(
        status_after_edit(&f, SubmissionStatus::Approved),
        SubmissionStatus::New
    );
    f.moderation = false;
    assert_eq!(
        initial_status(&f, Viewer::User(1)),
        SubmissionStatus::Approved
    );
    assert_eq!(
        status_after_edit(&f, SubmissionStatus::Rejected),
        SubmissionStatus::Rejected
    );
    assert_eq!(reply_depth(0), Ok(1));
    assert!(reply_depth(MAX_DEPTH).is_err());
}

#[test]
fn request_values_are_read_as_storefronts_send_them() {
    assert_eq!(parent_ref(&json!(null), &json!("12")), Ok(Some(12)));
    assert_eq!(parent_ref(&json!(5), &json!(null)), Ok(Some(5)));
    assert_eq!(parent_ref(&json!(null), &json!("me@example.com")), Ok(None));
    assert_eq!(parent_ref(&json!(""), &json!(null)), Ok(None));
    assert!(parent_ref(&json!("x"), &json!(null)).is_err());
    assert!(parent_ref(&json!(-3), &json!(null)).is_err());
    assert_eq!(token(&json!(15), "entity"), Ok("15".to_owned()));
    assert_eq!(token(&json!(" bags "), "entity"), Ok("bags".to_owned()));
    assert!(token(&json!("x".repeat(MAX_TOKEN_CHARS + 1)), "entity").is_err());
    assert!(token(&json!([1]), "entity").is_err());
    assert_eq!(module_config(&json!("5")), Ok(5));
    assert_eq!(module_config(&json!(null)), Ok(0));
    assert!(module_config(&json!(-1)).is_err());
    assert_eq!(
        status_filter(&json!(["approved"])),
        Ok(Some(vec![SubmissionStatus::Approved]))
    );
    assert_eq!(
        status_filter(&json!("new")),
        Ok(Some(vec![SubmissionStatus::New]))
    );
    assert_eq!(status_filter(&json!(["sent"])), Ok(Some(vec![])));
    assert_eq!(status_filter(&json!("")), Ok(None));
    assert_eq!(status_filter(&json!([])), Ok(None));
    assert!(status_filter(&json!([1])).is_err());
    let day = date_bound(&json!("2026-05-02"), "dateFrom", false)
        .unwrap()
        .unwrap();
    let next = date_bound(&json!("2026-05-02"), "dateTo", true)
        .unwrap()
        .unwrap();
    assert_eq!(next.0 - day.0, 86_400_000);
    assert_eq!(day.to_rfc3339(), "2026-05-02T00:00:00.000Z");
    assert_eq!(
        date_bound(&json!("2026-05-02T10:00:00Z"), "dateTo", true)
            .unwrap()
            .unwrap()
            .to_rfc3339(),
        "2026-05-02T10:00:00.000Z"
    );
    assert_eq!(date_bound(&json!(""), "dateTo", true), Ok(None));
    assert!(date_bound(&json!("May 2"), "dateTo", true).is_err());
}
