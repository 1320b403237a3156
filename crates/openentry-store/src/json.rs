//! JSON columns. They are `TEXT` on both backends and arrive decoded into the record's field type,
//! so no caller parses stored JSON, and stored JSON that does not decode is
//! [`StoreError::Corrupt`](crate::StoreError::Corrupt), never a silent default.
//!
//! A field is declared once for both decoders:
//!
//! ```ignore
//! #[sqlx(try_from = "JsonText")]                               // PostgreSQL (sqlx::FromRow)
//! #[serde(deserialize_with = "crate::json::decode")]           // SQLite (serde by column name)
//! pub form_data: serde_json::Value,
//! ```
//!
//! sqlx's `try_from` needs `TryFrom<JsonText>` for the field's type; the orphan rule allows it
//! per type (not as a blanket impl), hence [`json_columns!`].

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use sqlx::Postgres;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef};

/// The text of a JSON column, as PostgreSQL returns it (only the row decoders use it).
#[derive(Debug)]
pub struct JsonText(String);

impl sqlx::Type<Postgres> for JsonText {
    fn type_info() -> PgTypeInfo {
        <String as sqlx::Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <String as sqlx::Type<Postgres>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Postgres> for JsonText {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Self(<String as sqlx::Decode<'r, Postgres>>::decode(value)?))
    }
}

/// Stored JSON that does not decode into its column's type.
#[derive(Debug, thiserror::Error)]
#[error("stored JSON does not decode: {0}")]
pub struct BadJson(#[from] serde_json::Error);

/// `TryFrom<JsonText>` for each type a JSON column decodes into.
macro_rules! json_columns {
    ($($t:ty),* $(,)?) => {
        $(impl TryFrom<JsonText> for $t {
            type Error = BadJson;
            fn try_from(text: JsonText) -> Result<Self, BadJson> {
                Ok(serde_json::from_str(&text.0)?)
            }
        })*
    };
}

json_columns!(
    serde_json::Value,
    openentry_types::auth::NotificationData,
    openentry_types::auth::DeviceInfo,
    BTreeMap<String, openentry_types::orders::RefundQuantity>,
    Vec<openentry_types::form_data::FormDataItem>,
);

/// Decodes a JSON column read as text (the SQLite row decoder, through serde).
pub(crate) fn decode<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let text = String::deserialize(d)?;
    serde_json::from_str(&text).map_err(|e| D::Error::custom(BadJson(e)))
}
