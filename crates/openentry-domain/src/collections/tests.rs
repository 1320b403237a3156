use openentry_types::form_data::FormDataItem;
use serde_json::{Value, json};

use super::*;
use crate::project::{FieldDef, FieldKind, FormKind, FormRead, Localized};

fn form() -> FormDef {
    let field = |marker: &str, kind, required| FieldDef {
        marker: marker.into(),
        kind,
        title: Localized::default(),
        required,
        login: false,
        password: false,
        notification_email: false,
        email: false,
        phone: false,
    };
    FormDef {
        identifier: "place".into(),
        kind: FormKind::Collection,
        title: Localized::default(),
        fields: vec![
            field("name", FieldKind::String, true),
            field("floor", FieldKind::Integer, false),
        ],
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

#[test]
fn each_read_mode_shows_the_rows_it_names() {
    use CollectionRead as R;
    let (op, user, anon) = (Viewer::Operator, Viewer::User(7), Viewer::Anonymous);
    let table = [
        (R::Public, [Scope::All, Scope::All, Scope::All]),
        (R::Users, [Scope::All, Scope::All, Scope::Nothing]),
        (R::Own, [Scope::All, Scope::Own(7), Scope::Nothing]),
        (R::Operators, [Scope::All, Scope::Nothing, Scope::Nothing]),
    ];
    for (read, want) in table {
        let got = [op, user, anon].map(|v| read_scope(read, v));
        assert_eq!(got, want, "{read}");
    }
    assert!(Scope::Own(7).allows(Some(7)));
    assert!(!Scope::Own(7).allows(Some(8)));
    assert!(!Scope::Own(7).allows(None));
    assert!(Scope::All.allows(None));
    assert!(!Scope::Nothing.allows(Some(7)));
}

#[test]
fn writers_add_rows_and_change_only_their_own() {
    use CollectionWrite as W;
    let (op, user, anon) = (Viewer::Operator, Viewer::User(7), Viewer::Anonymous);
    assert_eq!(may_create(W::Public, anon), Ok(()));
    assert_eq!(may_create(W::Users, user), Ok(()));
    assert_eq!(may_create(W::Users, anon), Err(Denied::SignIn));
    assert_eq!(may_create(W::Operators, user), Err(Denied::Operators));
    assert_eq!(may_create(W::Operators, anon), Err(Denied::Operators));
    assert_eq!(may_create(W::Operators, op), Ok(()));

    assert_eq!(change_scope(W::Operators, op), Ok(Scope::All));
    assert_eq!(change_scope(W::Public, user), Ok(Scope::Own(7)));
    assert_eq!(change_scope(W::Users, user), Ok(Scope::Own(7)));
    assert_eq!(change_scope(W::Operators, user), Err(Denied::Operators));
    assert_eq!(change_scope(W::Public, anon), Err(Denied::SignIn));
}

#[test]
fn rows_are_checked_like_submissions_and_hold_a_value() {
    let f = form();
    let row = check_row(
        &f,
        vec![item("floor", json!("2")), item("name", json!(" Main "))],
    )
    .unwrap();
    assert_eq!(row[0].marker, "name");
    assert_eq!(row[0].value, json!("Main"));
    assert_eq!(
        (row[1].kind.as_str(), &row[1].value),
        ("integer", &json!(2))
    );

    let missing = check_row(&f, vec![item("floor", json!(1))]).unwrap_err();
    assert_eq!(missing.field.as_deref(), Some("name"));
    let unknown = check_row(&f, vec![item("name", json!("a")), item("x", json!(1))]).unwrap_err();
    assert_eq!(unknown.field.as_deref(), Some("x"));
    let typed = check_row(
        &f,
        vec![item("name", json!("a")), item("floor", json!("high"))],
    );
    assert_eq!(typed.unwrap_err().field.as_deref(), Some("floor"));

    let mut optional = form();
    optional.fields[0].required = false;
    assert!(check_row(&optional, Vec::new()).is_err());
}

#[test]
fn entity_references_are_bounded_tokens_and_whole_numbers() {
    assert_eq!(entity_type(&json!(null)), Ok(None));
    assert_eq!(entity_type(&json!("  ")), Ok(None));
    assert_eq!(
        entity_type(&json!(" products ")),
        Ok(Some("products".into()))
    );
    assert!(entity_type(&json!(5)).is_err());
    assert!(entity_type(&json!("a\u{0}b")).is_err());
    assert!(entity_type(&json!("x".repeat(MAX_TOKEN_CHARS + 1))).is_err());

    assert_eq!(entity_id(&json!(null)), Ok(None));
    assert_eq!(entity_id(&json!("")), Ok(None));
    assert_eq!(entity_id(&json!(15)), Ok(Some(15)));
    assert_eq!(entity_id(&json!("15")), Ok(Some(15)));
    for bad in [
        json!(-1),
        json!("x"),
        json!(1.5),
        json!([1]),
        json!("99999999999999999999"),
    ] {
        assert!(entity_id(&bad).is_err(), "{bad}");
    }
}
