//! Closed sets of names (states and kinds) as enums, each name written once.
//!
//! [`wire_names!`](crate::wire_names) declares an enum whose serde names, `as_str` text, `FromStr` and
//! `TryFrom<String>` all come from one list, so the JSON, the TOML and the database column can
//! never spell a state differently. An unknown name is an error, never a default.

use std::fmt;

/// A name outside its closed set (`"paid"` as a session status).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    /// What the name should have been (`session status`).
    pub what: &'static str,
    /// The text found.
    pub found: String,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\" is not a known {}", self.found, self.what)
    }
}

impl std::error::Error for UnknownName {}

/// Declares a closed set of names: `wire_names! { /// doc  pub enum X: "what" { A = "a", B = "b" } }`.
#[macro_export]
macro_rules! wire_names {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every name, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The name as written on the wire, in TOML and in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// Every name as text, comma-separated (for error messages).
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::names::UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok(Self::$variant),)+
                    _ => Err($crate::names::UnknownName { what: $what, found: s.to_owned() }),
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::names::UnknownName;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::__wire_names_schema!($name, $($text),+);
    };
}

/// The OpenAPI schema of a `wire_names!` enum: a string, one of its names. Written by hand
/// with `$crate` paths (not derived) because crates without utoipa (domain) declare names too.
#[cfg(feature = "openapi")]
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_names_schema {
    ($name:ident, $($text:literal),+) => {
        impl $crate::__utoipa::PartialSchema for $name {
            fn schema(
            ) -> $crate::__utoipa::openapi::RefOr<$crate::__utoipa::openapi::schema::Schema> {
                $crate::__utoipa::openapi::ObjectBuilder::new()
                    .schema_type($crate::__utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl $crate::__utoipa::ToSchema for $name {}
    };
}

/// Without the `openapi` feature a name has no schema.
#[cfg(not(feature = "openapi"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_names_schema {
    ($name:ident, $($text:literal),+) => {};
}

#[cfg(test)]
mod tests {
    use crate::payments::SessionType;

    #[test]
    fn one_spelling_everywhere() {
        for c in SessionType::ALL {
            let json = serde_json::to_string(c).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(c.as_str().parse::<SessionType>(), Ok(*c));
            assert_eq!(SessionType::try_from(c.to_string()), Ok(*c));
        }
        let err = "page".parse::<SessionType>().err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("\"page\" is not a known session type"));
        assert!(serde_json::from_str::<SessionType>("\"page\"").is_err());
        assert_eq!(SessionType::names(), "session, intent");
    }
}
