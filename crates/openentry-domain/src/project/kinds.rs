//! The closed sets of kinds a project definition names. A name outside a set is refused when
//! the TOML is read (serde names the field and lists the accepted values).

openentry_types::wire_names! {
    /// What a form is for.
    pub enum FormKind: "form kind" {
        /// The sign-up form of an auth provider.
        SignUp = "sign_up",
        /// The checkout form of an order storage.
        Order = "order",
        /// A form customers submit data through.
        Data = "data",
        /// The columns of an integration collection (`[[collections]]`).
        Collection = "collection",
    }
}

openentry_types::wire_names! {
    /// The value type of a form field.
    pub enum FieldKind: "field type" {
        /// One line of text (the default).
        String = "string",
        /// Several lines of text.
        Text = "text",
        /// A whole number.
        Integer = "integer",
        /// A decimal number.
        Float = "float",
        /// A date, as text.
        Date = "date",
        /// A choice or several.
        List = "list",
        /// Yes or no.
        Boolean = "boolean",
        /// An e-mail address.
        Email = "email",
        // The attribute types forms share with attribute sets (`AttributeKind`).
        /// A decimal number.
        Real = "real",
        /// Rich text under a header.
        TextWithHeader = "textWithHeader",
        /// A date and time.
        DateTime = "dateTime",
        /// A time of day.
        Time = "time",
        /// One choice.
        RadioButton = "radioButton",
        /// An image (a file object from `FileUploading`).
        Image = "image",
        /// Several images.
        GroupOfImages = "groupOfImages",
        /// A file.
        File = "file",
        /// Markers of other entities.
        Entity = "entity",
        /// JSON.
        Json = "json",
        /// Time intervals `[[from, to], …]`.
        TimeInterval = "timeInterval",
        /// A captcha: the token a captcha widget gave, verified and never stored.
        Spam = "spam",
    }
}

// `wire_names!` owns the derive list, so the default is written by hand.
#[allow(clippy::derivable_impls)]
impl Default for FieldKind {
    fn default() -> Self {
        Self::String
    }
}

openentry_types::wire_names! {
    /// How an auth provider signs users in.
    pub enum AuthKind: "auth provider type" {
        /// Login and password.
        Email = "email",
    }
}

openentry_types::wire_names! {
    /// How a payment account takes money.
    pub enum AccountKind: "payment account type" {
        /// Offline (cash, bank transfer): an operator completes its sessions.
        Custom = "custom",
        /// Stripe: its webhooks complete its sessions.
        Stripe = "stripe",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Holder {
        kind: FormKind,
        #[serde(default)]
        field: FieldKind,
        account: Option<AccountKind>,
        auth: Option<AuthKind>,
        map: Option<std::collections::BTreeMap<crate::payments::SessionStatus, String>>,
    }

    #[test]
    fn unknown_kinds_are_refused_when_read() {
        let ok: Result<Holder, _> = toml::from_str("kind = \"sign_up\"\naccount = \"stripe\"");
        assert!(matches!(
            ok,
            Ok(Holder {
                kind: FormKind::SignUp,
                field: FieldKind::String,
                account: Some(AccountKind::Stripe),
                ..
            })
        ));
        let typed: Holder =
            toml::from_str("kind = \"data\"\nauth = \"email\"\nmap = { completed = \"paid\" }")
                .unwrap();
        assert_eq!(typed.auth, Some(AuthKind::Email));
        let map = typed.map.unwrap();
        assert_eq!(
            map.get(&crate::payments::SessionStatus::Completed)
                .map(String::as_str),
            Some("paid")
        );
        for bad in [
            "kind = \"signup\"",
            "kind = \"data\"\nfield = \"money\"",
            "kind = \"data\"\naccount = \"paypal\"",
            "kind = \"data\"\nauth = \"oauth\"",
            "kind = \"data\"\nmap = { paid = \"paid\" }",
        ] {
            let e = toml::from_str::<Holder>(bad).err().map(|e| e.to_string());
            assert!(e.is_some_and(|e| e.contains("unknown variant")), "{bad}");
        }
    }
}
