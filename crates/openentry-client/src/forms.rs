//! `Forms`: `/api/content/forms` (docs/wire.md §6.7).

use openentry_types::forms::{Form, FormList};
use reqwest::Method;

use crate::transport::Req;
use crate::{OneEntry, Page, Result};

/// Forms and their fields.
///
/// ```no_run
/// # async fn f(client: openentry_client::OneEntry) -> openentry_client::Result<()> {
/// let form = client.forms().get_form_by_marker("order").await?;
/// for field in &form.attributes {
///     println!("{} required={}", field.marker, field.validators.required_validator.strict);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Forms {
    client: OneEntry,
}

impl Forms {
    pub(crate) fn new(client: OneEntry) -> Self {
        Self { client }
    }

    /// `getAllForms`: a page of the project's forms (`{total, items}`).
    pub async fn get_all_forms(&self, page: Page) -> Result<FormList> {
        let mut query = self.client.lang_query();
        query.extend([
            ("offset", page.offset.to_string()),
            ("limit", page.limit.to_string()),
        ]);
        let url = self.client.inner().url(&["forms"], &query);
        self.client.inner().call(Req::new(Method::GET, url)).await
    }

    /// `getFormByMarker`: one form.
    pub async fn get_form_by_marker(&self, marker: &str) -> Result<Form> {
        let url = self
            .client
            .inner()
            .url(&["forms", "marker", marker], &self.client.lang_query());
        self.client.inner().call(Req::new(Method::GET, url)).await
    }
}
