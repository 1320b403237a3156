use super::*;
use crate::project::{ProjectDefinition, check};

const SET: &str = r##"
[project]
locales = ["en_US", "ar_AE"]

[[attribute_sets]]
identifier = "content"
attributes = [
  { marker = "s", type = "string" },
  { marker = "n", type = "integer" },
  { marker = "f", type = "float" },
  { marker = "r", type = "real" },
  { marker = "t", type = "text" },
  { marker = "th", type = "textWithHeader" },
  { marker = "img", type = "image" },
  { marker = "gal", type = "groupOfImages" },
  { marker = "doc", type = "file" },
  { marker = "d", type = "date" },
  { marker = "dt", type = "dateTime" },
  { marker = "tm", type = "time" },
  { marker = "badge", type = "list", list_items = [
      { value = "new", title = { en_US = "New" }, extended = { type = "string", value = "#e11" } },
      { value = "sale", title = { en_US = "Sale" }, extended = { type = "image", value = "media/sale.png" } },
  ] },
  { marker = "size", type = "radioButton", list_items = [{ value = 1 }, { value = 2 }] },
  { marker = "rel", type = "entity" },
  { marker = "j", type = "json" },
  { marker = "hours", type = "timeInterval" },
  { marker = "b", type = "boolean" },
  { marker = "w", type = "float", additional_fields = [{ marker = "unit", type = "string", value = "kg" }] },
]

[[pages]]
url = "home"
attribute_set = "content"
[pages.values]
s = "Hello"
n = 3
f = "19.99"
r = "-0.5"
t = "<p>Hi</p>"
th = { header = "Care", md = "**Wipe** it" }
img = "media/bag.png"
gal = ["media/a.png", { path = "media/b.png", title = "B" }]
doc = "media/manual.pdf"
d = "2026-11-30"
dt = "2026-11-30T10:00:00+03:00"
tm = "10:00"
badge = ["new", "sale"]
size = 2
rel = ["bags"]
j = '{"a": [1, 2]}'
hours = [["10:00", "18:00"], ["2026-12-01T09:00:00Z", "2026-12-01T12:00:00Z"]]
b = true
w = { value = "1.5", additional = { unit = "lb" } }
[pages.localized_values.ar_AE]
s = "مرحبا"
"##;

fn def(text: &str) -> ProjectDefinition {
    toml::from_str(text).unwrap()
}

fn errors(text: &str) -> Vec<String> {
    check(&def(text))
        .err()
        .unwrap_or_default()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn every_type_reads_its_shapes() {
    assert_eq!(errors(SET), Vec::<String>::new());
    let d = def(SET);
    let set = &d.attribute_sets[0];
    let page = &d.pages[0];
    let read = |m: &str| {
        let a = set.attributes.iter().find(|a| a.marker == m).unwrap();
        parse_value(a, &page.values[m]).unwrap()
    };
    assert_eq!(read("f").value, TypedValue::Number("19.99".into()));
    assert_eq!(read("n").value, TypedValue::Number("3".into()));
    assert_eq!(read("size").value, TypedValue::Items(vec!["2".into()]));
    let w = read("w");
    assert_eq!(w.value, TypedValue::Number("1.5".into()));
    assert_eq!(w.additional["unit"], TypedValue::String("lb".into()));
    match read("th").value {
        TypedValue::TextWithHeader { header, text } => {
            assert_eq!(header, "Care");
            assert_eq!(text.md.as_deref(), Some("**Wipe** it"));
            assert_eq!(text.plain, None);
        }
        other => panic!("{other:?}"),
    }
    match read("gal").value {
        TypedValue::Media(list) => assert_eq!(list.len(), 2),
        other => panic!("{other:?}"),
    }
    match read("hours").value {
        TypedValue::Intervals(list) => assert_eq!(list.len(), 2),
        other => panic!("{other:?}"),
    }
}

/// (text in SET, replacement, the error expected)
const BAD: &[(&str, &str, &str)] = &[
    (
        "f = \"19.99\"",
        "f = \"19,99\"",
        "pages[0].values.f: \"19,99\" is not an exact number",
    ),
    (
        "n = 3",
        "n = \"3.5\"",
        "pages[0].values.n: \"3.5\" is not a whole number",
    ),
    (
        "b = true",
        "b = \"yes\"",
        "pages[0].values.b: a boolean value is true or false",
    ),
    (
        "d = \"2026-11-30\"",
        "d = \"30.11.2026\"",
        "pages[0].values.d: \"30.11.2026\" is not a date",
    ),
    (
        "tm = \"10:00\"",
        "tm = \"25:00\"",
        "pages[0].values.tm: \"25:00\" is not a time",
    ),
    (
        "badge = [\"new\", \"sale\"]",
        "badge = [\"neww\"]",
        "pages[0].values.badge: \"neww\" is not an item of attribute \"badge\" (items: new, sale)",
    ),
    (
        "size = 2",
        "size = [1, 2]",
        "pages[0].values.size: a radioButton value is exactly one",
    ),
    (
        "j = '{\"a\": [1, 2]}'",
        "j = '{a: 1}'",
        "pages[0].values.j: not JSON",
    ),
    (
        "img = \"media/bag.png\"",
        "img = \"../../etc/passwd\"",
        "pages[0].values.img: media path \"../../etc/passwd\" leaves",
    ),
    (
        "img = \"media/bag.png\"",
        "img = \"/etc/passwd\"",
        "pages[0].values.img: media path \"/etc/passwd\" is absolute",
    ),
    (
        "doc = \"media/manual.pdf\"",
        "doc = \"media\\\\x.pdf\"",
        "pages[0].values.doc: media path \"media\\\\x.pdf\" has a backslash",
    ),
    (
        "hours = [[\"10:00\", \"18:00\"],",
        "hours = [[\"18:00\", \"10:00\"],",
        "pages[0].values.hours: interval 18:00 – 10:00 ends before",
    ),
    (
        "w = { value = \"1.5\", additional = { unit = \"lb\" } }",
        "w = { value = \"1.5\", additional = { color = \"red\" } }",
        "pages[0].values.w: attribute \"w\" has no additional field \"color\"",
    ),
    (
        "s = \"مرحبا\"",
        "s = [1]",
        "pages[0].localized_values.ar_AE.s: a string value is text",
    ),
    (
        "value = \"media/sale.png\"",
        "value = \"../sale.png\"",
        "attribute_sets[0].attributes[12].list_items[1].extended.value: media path",
    ),
    (
        "t = \"<p>Hi</p>\"",
        "t = { html = \"x\", color = \"red\" }",
        "pages[0].values.t: unknown key `color`",
    ),
];

#[test]
fn bad_values_are_refused_with_their_place() {
    for &(good, bad, want) in BAD {
        assert!(SET.contains(good), "{good}");
        let errs = errors(&SET.replacen(good, bad, 1));
        assert!(errs.iter().any(|e| e.starts_with(want)), "{bad}: {errs:?}");
    }
}

#[test]
fn list_items_belong_to_lists() {
    let bad = SET.replace(
        "{ marker = \"s\", type = \"string\" }",
        "{ marker = \"s\", type = \"string\", list_items = [{ value = \"x\" }] }",
    );
    let errs = errors(&bad);
    assert!(
        errs.iter()
            .any(|e| e.starts_with("attribute_sets[0].attributes[0].list_items: only list")),
        "{errs:?}"
    );
    // A TOML float is never read: prices stay exact.
    let float = SET.replace("f = \"19.99\"", "f = 19.99");
    assert!(toml::from_str::<ProjectDefinition>(&float).is_err());
    let unknown = SET.replace("type = \"boolean\"", "type = \"bool\"");
    let e = toml::from_str::<ProjectDefinition>(&unknown)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown variant `bool`"), "{e}");
}
