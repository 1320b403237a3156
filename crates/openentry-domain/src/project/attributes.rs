//! Attribute definitions: the closed set of value types, list items and additional fields.

use serde::{Deserialize, Serialize};

use super::{AttrValue, Localized, ScheduleDef};

openentry_types::wire_names! {
    /// The value type of an attribute (the SDK's `AttributeType`, plus `json` and `boolean`,
    /// which the platform's storefront rules and this project's forms name).
    pub enum AttributeKind: "attribute type" {
        /// One line of text.
        String = "string",
        /// A whole number.
        Integer = "integer",
        /// A decimal number, written exactly (`"19.99"`).
        Float = "float",
        /// A decimal number (the platform's other numeric type).
        Real = "real",
        /// Rich text: `{htmlValue, plainValue, mdValue}` on the wire.
        Text = "text",
        /// Rich text under a header.
        TextWithHeader = "textWithHeader",
        /// One image (or several, on pages and blocks: see the renderer).
        Image = "image",
        /// Several images; always an array on the wire.
        GroupOfImages = "groupOfImages",
        /// A file to download.
        File = "file",
        /// A calendar date.
        Date = "date",
        /// A date and time.
        DateTime = "dateTime",
        /// A time of day.
        Time = "time",
        /// Items chosen from the attribute's list.
        List = "list",
        /// One item chosen from the attribute's list.
        RadioButton = "radioButton",
        /// Markers of other entities.
        Entity = "entity",
        /// JSON, sent as a string.
        Json = "json",
        /// Time intervals `[[from, to], …]`.
        TimeInterval = "timeInterval",
        /// Yes or no.
        Boolean = "boolean",
    }
}

// `wire_names!` owns the derive list, so the default is written by hand.
#[allow(clippy::derivable_impls)]
impl Default for AttributeKind {
    fn default() -> Self {
        Self::String
    }
}

impl AttributeKind {
    /// Types whose values are media files of the store.
    pub fn is_media(self) -> bool {
        matches!(self, Self::Image | Self::GroupOfImages | Self::File)
    }

    /// Types whose values are exact numbers.
    pub fn is_number(self) -> bool {
        matches!(self, Self::Integer | Self::Float | Self::Real)
    }

    /// Types whose values are chosen from the attribute's `list_items`.
    pub fn has_items(self) -> bool {
        matches!(self, Self::List | Self::RadioButton)
    }
}

/// An attribute of a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeDef {
    /// Marker (`price`).
    pub marker: String,
    /// Value type (one of [`AttributeKind`]); `string` when absent.
    #[serde(rename = "type", default)]
    pub kind: AttributeKind,
    /// Localized label.
    #[serde(default)]
    pub title: Localized,
    /// This attribute holds the product's price (`isPrice`; at most one per set, type float or integer).
    #[serde(default)]
    pub price: bool,
    /// This attribute holds the price's currency (`isCurrency`; at most one per set).
    #[serde(default)]
    pub currency: bool,
    /// The value is shown as an icon (`isIcon`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub icon: bool,
    /// The value is shown in product previews (`isProductPreview`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub product_preview: bool,
    /// The items of a `list` or `radioButton` attribute (`listTitles`), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub list_items: Vec<ListItemDef>,
    /// Nested attributes (`additionalFields`), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_fields: Vec<AdditionalFieldDef>,
    /// The days and hours a `timeInterval` attribute offers (a delivery calendar).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<ScheduleDef>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_false(b: &bool) -> bool {
    !*b
}

impl AttributeDef {
    /// The list item with this value.
    pub fn item(&self, value: &str) -> Option<&ListItemDef> {
        self.list_items.iter().find(|i| i.value.text() == value)
    }
}

/// An item of a list attribute: `{ value = "new", title = { en_US = "New" },
/// extended = { type = "string", value = "#e11" } }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListItemDef {
    /// The value entities choose (`"new"`, `1`).
    pub value: ItemValue,
    /// Localized title.
    #[serde(default)]
    pub title: Localized,
    /// Extra data shown with the item (a colour, a badge image).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended: Option<ExtendedDef>,
}

/// The value of a list item: text or a whole number, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ItemValue {
    /// A whole number.
    Int(i64),
    /// Text.
    Text(String),
}

impl ItemValue {
    /// The value as text (how entities name it).
    pub fn text(&self) -> String {
        match self {
            Self::Int(i) => i.to_string(),
            Self::Text(s) => s.clone(),
        }
    }
}

/// `extended` of a list item: `{type, value}`. With `type = "image"` the value is a media path
/// (copied into the media store on import, sent as an image object); otherwise it is text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtendedDef {
    /// What the value is (`string`, `color`, `image`).
    #[serde(rename = "type")]
    pub kind: String,
    /// The value.
    pub value: AttrValue,
}

impl ExtendedDef {
    /// Whether the value is an image of the media store.
    pub fn is_image(&self) -> bool {
        self.kind == "image"
    }
}

/// A nested attribute of an attribute (`additionalFields`): its own marker and type, and a
/// value every entity shows unless its own value names another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdditionalFieldDef {
    /// Marker (`unit`).
    pub marker: String,
    /// Value type.
    #[serde(rename = "type", default)]
    pub kind: AttributeKind,
    /// Localized label.
    #[serde(default)]
    pub title: Localized,
    /// The value shown when an entity gives none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<AttrValue>,
}

impl AdditionalFieldDef {
    /// The field as an attribute definition (the same value rules apply).
    pub fn as_attribute(&self) -> AttributeDef {
        AttributeDef {
            marker: self.marker.clone(),
            kind: self.kind,
            title: self.title.clone(),
            price: false,
            currency: false,
            icon: false,
            product_preview: false,
            list_items: Vec::new(),
            additional_fields: Vec::new(),
            schedule: Vec::new(),
        }
    }
}
