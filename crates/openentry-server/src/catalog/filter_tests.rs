//! Tests of `filter`: conditions, and what a null value means.

use super::*;

#[test]
fn conditions_are_checked() {
    assert!(condition(Some("xx"), Some(&Value::from(1))).is_err());
    assert!(condition(Some("xx"), None).is_err());
    assert!(condition(Some("mth"), Some(&Value::from("cheap"))).is_err());
    assert!(condition(Some("exs"), None).unwrap().is_some());
    let values = vec![Operand::new("400".to_owned())];
    let c = condition(Some("in"), Some(&Value::from("35, 400.00"))).unwrap();
    assert!(test(&c.unwrap(), &values));
    let c = condition(Some("mth"), Some(&serde_json::json!(399.99))).unwrap();
    assert!(test(&c.unwrap(), &values));
    let c = condition(Some("lth"), Some(&Value::from("400"))).unwrap();
    assert!(!test(&c.unwrap(), &values));
}

#[test]
fn a_null_value_reads_as_no_value() {
    let null = Some(&Value::Null);
    let has = vec![Operand::new("BAG-15".to_owned())];
    let none: Vec<Operand> = Vec::new();
    for (cond, with_value, without) in [
        ("nin", true, false),
        ("neq", true, false),
        ("in", false, true),
        ("eq", false, true),
    ] {
        let c = condition(Some(cond), null).unwrap().unwrap();
        assert_eq!(test(&c, &has), with_value, "{cond} null");
        assert_eq!(test(&c, &none), without, "{cond} null");
    }
    assert!(
        condition(None, null).unwrap().is_none(),
        "no condition: no-op"
    );
    assert!(condition(None, None).unwrap().is_none());
    assert!(condition(Some("mth"), null).unwrap().is_none());
}
