//! Malformed variants of a valid request: wrong JSON types, NUL and control characters, huge
//! strings and numbers, deep nesting, duplicate keys, bytes that are not UTF-8, truncated JSON,
//! bad path segments and query strings, bad credentials. All drawn from a seeded xorshift, so a
//! seed and a case number name one request exactly.

use std::fmt::Write as _;

use serde_json::{Value, json};

/// xorshift64: small, fast, and the same sequence on every machine.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    // The remainder is below `n`, a `usize`: the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation)]
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A random byte: the low byte of the next number.
    pub(crate) fn byte(&mut self) -> u8 {
        self.next().to_le_bytes()[0]
    }

    /// `n` random bytes, each percent-encoded (`%3F`).
    pub(crate) fn percent_encoded(&mut self, n: usize) -> String {
        (0..n).fold(String::new(), |mut s, _| {
            let _ = write!(s, "%{:02X}", self.byte());
            s
        })
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The largest body sent: under the server's 1 MiB limit, so each case reaches a handler.
pub(crate) const MAX_BODY: usize = 1_000_000;

#[rustfmt::skip]
const NUMBERS: &[&str] = &[
    "1e309", "-1e309", "1E400", "-1", "0", "-0", "1.5", "1e-400", "4.9e-324", "2147483648",
    "9007199254740993", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "18446744073709551616", "123456789012345678901234567890", "1e15",
    "0.1e1", "-0.0",
];

#[rustfmt::skip]
const STRINGS: &[&str] = &[
    "", " ", "../../etc/passwd", "%00", "\u{202e}evil", "💩", "0", "-1", "015", "+15", "null",
    "1e309", "en_US\u{0}", "\u{0}", "a\u{1}b", "\u{7f}", "\u{85}", "\u{feff}", "\r\n", "\t",
    "<script>", "' OR 1=1 --", "{\"a\":1}", "undefined", "NaN",
];

/// Raw path segments (already as they go on the wire).
#[rustfmt::skip]
const SEGMENTS: &[&str] = &[
    "abc", "..", ".", "%2e%2e", "%2E%2e%2f..", "%00", "a%00b", "%ff%fe", "%c3%28", "%2F", "a%2Fb",
    "-1", "0", "-0", "+15", "015", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "99999999999999999999999999", "1e3", "1.5", "0x10", "%20", "%0a",
    "%0d%0a", "%1b", "%7f", "%c2%85", "%e2%80%ae", "%f0%9f%92%a9", "null", "undefined", "%25", "%",
    "%zz", "'", "%22", "*", "~", "",
];

#[rustfmt::skip]
const QUERY_KEYS: &[&str] = &[
    "offset", "limit", "langCode", "ids", "name", "statusMarker", "sortKey", "sortOrder",
    "attributeMarker", "conditionMarker", "conditionValue", "typeId", "sortBy", "aggregate", "id",
    "recipient", "%00", "a%00b", "%1b", "lang%00Code",
];

#[rustfmt::skip]
const QUERY_VALUES: &[&str] = &[
    "%00", "a%00", "-1", "1e9", "99999999999999999999", "9223372036854775808",
    "-9223372036854775809", "", "%ff", "%zz", "1.5", "abc", "%0a", "%1b", "..%2F..%2Fetc",
    "15,16,%00", "15,,16", "-15", "en_US%00", "%e2%80%ae",
];

/// A string of about `bytes` bytes: one repeated character, a mix of scripts, or random
/// letters and digits (which no compression shrinks below an index's row limit).
fn long_string(rng: &mut Rng, bytes: usize) -> String {
    const SCRIPTS: [char; 8] = ['a', 'é', '中', '💩', ' ', 'Z', '9', '-'];
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let style = rng.below(3);
    if style == 0 {
        return "a".repeat(bytes);
    }
    let mut s = String::with_capacity(bytes + 4);
    while s.len() < bytes {
        if style == 1 {
            s.push(rng.pick(&SCRIPTS));
        } else {
            s.push(char::from(rng.pick(ALNUM)));
        }
    }
    s
}

fn long_size(rng: &mut Rng) -> usize {
    rng.pick(&[300, 3000, 6000, 100_000, 400_000, 900_000])
}

fn control_string(rng: &mut Rng) -> String {
    let c = rng.pick(&[
        '\0', '\0', '\u{1}', '\u{8}', '\u{b}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}',
    ]);
    let mut s = String::from("fz@example.com");
    let at = rng.below(s.len() + 1);
    s.insert(at, c);
    s
}

/// A value of some JSON type (most often not the one expected).
fn any_value(rng: &mut Rng) -> Value {
    match rng.below(9) {
        0 => json!(null),
        1 => json!(true),
        2 => json!(rng.next().cast_signed()),
        3 => json!(-2.5),
        4 => json!(rng.pick(STRINGS)),
        5 => json!([]),
        6 => json!({}),
        7 => json!([1, "a", null, {"b": [false]}]),
        _ => json!({"productId": "15", "quantity": "x", "marker": 1}),
    }
}

/// A path into a JSON value.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn all_paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(Step::Key(k.clone()));
                all_paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                here.push(Step::Index(i));
                all_paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'v>(v: &'v mut Value, path: &[Step]) -> &'v mut Value {
    path.iter().fold(v, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

const HOLE: &str = "\"@@FUZZ@@\"";

/// `body` with `raw` (any bytes) in place of the value at a random path.
fn splice(rng: &mut Rng, body: &Value, raw: &[u8]) -> Vec<u8> {
    let mut paths = Vec::new();
    all_paths(body, &mut Vec::new(), &mut paths);
    let path = paths[rng.below(paths.len())].clone();
    let mut v = body.clone();
    *at(&mut v, &path) = json!("@@FUZZ@@");
    let text = v.to_string();
    let i = text.find(HOLE).unwrap_or(0);
    let mut out = text.as_bytes()[..i].to_vec();
    out.extend_from_slice(raw);
    out.extend_from_slice(&text.as_bytes()[(i + HOLE.len()).min(text.len())..]);
    out
}

/// A malformed variant of the JSON body `text`, and what was done to it.
pub(crate) fn body(rng: &mut Rng, text: &str) -> (Vec<u8>, &'static str) {
    let v: Value = serde_json::from_str(text).unwrap();
    let plain = v.to_string().into_bytes();
    match rng.below(13) {
        0 | 1 => {
            let other = any_value(rng).to_string();
            (splice(rng, &v, other.as_bytes()), "wrong type")
        }
        2 | 3 => {
            let s = json!(control_string(rng)).to_string();
            (splice(rng, &v, s.as_bytes()), "control character")
        }
        4 => {
            let size = long_size(rng);
            let s = json!(long_string(rng, size)).to_string();
            (splice(rng, &v, s.as_bytes()), "huge string")
        }
        5 => {
            let n = rng.pick(NUMBERS);
            (splice(rng, &v, n.as_bytes()), "odd number")
        }
        6 => {
            let n = rng.pick(&[33, 129, 1000, 10_000, 100_000]);
            let (open, close) = rng.pick(&[("[", "]"), ("{\"a\":", "}")]);
            let mut s = open.repeat(n);
            if rng.chance(50) {
                s.push('1');
                s.push_str(&close.repeat(n));
            }
            (splice(rng, &v, s.as_bytes()), "deep nesting")
        }
        7 => (duplicate_key(rng, &v), "duplicate key"),
        8 => {
            let mut b = plain;
            let quotes: Vec<usize> = (0..b.len()).filter(|i| b[*i] == b'"').collect();
            let i = quotes.get(rng.below(quotes.len())).map_or(0, |q| q + 1);
            let bad: &[u8] = rng.pick(&[&[0xff][..], &[0xc3, 0x28], &[0xed, 0xa0, 0x80], &[0x80]]);
            b.splice(i..i, bad.iter().copied());
            (b, "invalid UTF-8")
        }
        9 => {
            let cut = rng.below(plain.len());
            (plain[..cut].to_vec(), "truncated")
        }
        10 => {
            let fixed: &[&str] = &[
                "", "  ", "null", "[]", "true", "\"x\"", "{}", "0", "{\"\":1}",
            ];
            if rng.chance(40) {
                (rng.pick(fixed).as_bytes().to_vec(), "other document")
            } else {
                let n = rng.below(2000);
                ((0..n).map(|_| rng.byte()).collect(), "random bytes")
            }
        }
        11 => (bad_key(rng, &v), "bad key"),
        _ => {
            let n = rng.pick(&[1000, 100_000]);
            let s = if rng.chance(50) {
                format!("[{}0]", "1,".repeat(n))
            } else {
                let keys: Vec<String> = (0..n / 10).map(|i| format!("\"k{i}\":{i}")).collect();
                format!("{{{}}}", keys.join(","))
            };
            (splice(rng, &v, s.as_bytes()), "many elements")
        }
    }
}

/// An object of `v` with one of its keys given twice (the first time with another value).
fn duplicate_key(rng: &mut Rng, v: &Value) -> Vec<u8> {
    let mut paths = Vec::new();
    all_paths(v, &mut Vec::new(), &mut paths);
    let objects: Vec<_> = paths
        .into_iter()
        .filter(|p| {
            let mut c = v.clone();
            at(&mut c, p).as_object().is_some_and(|m| !m.is_empty())
        })
        .collect();
    let Some(path) = objects.get(rng.below(objects.len())) else {
        return b"{\"a\":1,\"a\":2}".to_vec();
    };
    let mut c = v.clone();
    let obj = at(&mut c, path).clone();
    let keys: Vec<&String> = obj
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    let key = keys[rng.below(keys.len())];
    let first = if rng.chance(50) {
        any_value(rng)
    } else {
        obj[key.as_str()].clone()
    };
    let rest = obj.to_string();
    let text = format!("{{{}:{first},{}", json!(key), &rest[1..]);
    *at(&mut c, path) = json!("@@FUZZ@@");
    c.to_string().replacen(HOLE, &text, 1).into_bytes()
}

/// An object of `v` with a key renamed (or added) to hold a control character or to be huge.
fn bad_key(rng: &mut Rng, v: &Value) -> Vec<u8> {
    let key = if rng.chance(60) {
        control_string(rng)
    } else {
        let size = rng.pick(&[3000, 100_000]);
        long_string(rng, size)
    };
    let mut c = v.clone();
    if let Some(m) = c.as_object_mut() {
        m.insert(key, json!(1));
    } else {
        c = json!({ key: c });
    }
    c.to_string().into_bytes()
}

/// A malformed path: one segment (usually a parameter) replaced.
pub(crate) fn path(rng: &mut Rng, segments: &mut [String], params: &[usize]) -> &'static str {
    let i = if !params.is_empty() && rng.chance(85) {
        params[rng.below(params.len())]
    } else {
        1 + rng.below(segments.len().saturating_sub(1).max(1))
    };
    let Some(seg) = segments.get_mut(i) else {
        return "none";
    };
    match rng.below(5) {
        0 => {
            *seg = "a".repeat(rng.pick(&[300, 3000, 9000, 65_000]));
            "long segment"
        }
        1 => {
            let n = 1 + rng.below(40);
            *seg = rng.percent_encoded(n);
            "percent-encoded bytes"
        }
        _ => {
            rng.pick(SEGMENTS).clone_into(seg);
            "odd segment"
        }
    }
}

/// A malformed query string built on the valid one.
pub(crate) fn query(rng: &mut Rng, valid: &str) -> (String, &'static str) {
    let mut pairs: Vec<String> = valid
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    let what = match rng.below(5) {
        0 if !pairs.is_empty() => {
            let i = rng.below(pairs.len());
            let key = pairs[i].split('=').next().unwrap_or_default().to_owned();
            pairs[i] = format!("{key}={}", rng.pick(QUERY_VALUES));
            "bad value"
        }
        1 if !pairs.is_empty() => {
            let again = pairs[rng.below(pairs.len())].clone();
            pairs.push(again);
            "repeated key"
        }
        2 => {
            let long = "x".repeat(rng.pick(&[300, 3000, 60_000]));
            pairs.push(format!("{}={long}", rng.pick(QUERY_KEYS)));
            "long value"
        }
        3 => {
            let n = 1 + rng.below(60);
            pairs.push(rng.percent_encoded(n));
            "percent-encoded bytes"
        }
        _ => {
            pairs.push(format!(
                "{}={}",
                rng.pick(QUERY_KEYS),
                rng.pick(QUERY_VALUES)
            ));
            "odd pair"
        }
    };
    (pairs.join("&"), what)
}

/// A credential that is not quite right, derived from a valid one.
pub(crate) fn token(rng: &mut Rng, valid: &str) -> Option<String> {
    let mut flipped = valid.to_owned().into_bytes();
    if let Some(b) = flipped.get_mut(rng.below(valid.len().max(1))) {
        *b = if *b == b'A' { b'B' } else { b'A' };
    }
    match rng.below(8) {
        0 => None,
        1 => Some(String::new()),
        2 => Some(valid[..valid.len() / 2].to_owned()),
        3 => Some(String::from_utf8_lossy(&flipped).into_owned()),
        4 => Some("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwic2lkIjoxfQ.".to_owned()),
        5 => Some("x".repeat(rng.pick(&[100, 8000]))),
        6 => Some(format!("{valid}{valid}")),
        _ => Some("undefined".to_owned()),
    }
}
