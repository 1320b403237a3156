//! Event messages: `{{placeholders}}` in subjects and bodies, rendered with MiniJinja (a
//! sandboxed Jinja: no file access, no code). Text parts are rendered as they are; the HTML
//! part of an e-mail escapes every value as HTML, so a customer's name cannot inject markup.
//! A placeholder with no value renders empty (the platform sends it literally, which shows
//! customers `{{order.id}}`; `project check` instead refuses names a condition never has).

use std::collections::BTreeSet;

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::project::MessageDef;

/// A template that does not parse or render.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("template: {0}")]
pub struct TemplateError(String);

impl From<minijinja::Error> for TemplateError {
    fn from(e: minijinja::Error) -> Self {
        Self(match e.detail() {
            Some(d) => format!("{} ({d})", e.kind()),
            None => e.kind().to_string(),
        })
    }
}

/// A message rendered for one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    /// Subject or title.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML (empty when the message has none).
    pub html: String,
}

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    env.set_auto_escape_callback(|name| {
        if name == "html" {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env
}

/// The top-level names a template reads (`{{order.id}}` reads `order`).
pub fn placeholders(source: &str) -> Result<BTreeSet<String>, TemplateError> {
    let env = env();
    let t = env.template_from_named_str("text", source)?;
    Ok(t.undeclared_variables(false).into_iter().collect())
}

/// Renders one template; `html` escapes values as HTML.
pub fn render(source: &str, context: &impl Serialize, html: bool) -> Result<String, TemplateError> {
    let env = env();
    let name = if html { "html" } else { "text" };
    let t = env.template_from_named_str(name, source)?;
    Ok(t.render(Value::from(Serde(context)))?)
}

/// Renders a whole message.
pub fn render_message(m: &MessageDef, context: &impl Serialize) -> Result<Rendered, TemplateError> {
    Ok(Rendered {
        subject: render(&m.subject, context, false)?,
        text: render(&m.text, context, false)?,
        html: render(&m.html, context, true)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_escaped_in_html_only() {
        let ctx = json!({"user": {"name": "<b>Ann & Bob</b>"}, "order": {"id": 7}});
        let m = MessageDef {
            subject: "Order {{order.id}}".to_owned(),
            text: "Hi {{user.name}}".to_owned(),
            html: "<p>Hi {{user.name}}</p>".to_owned(),
        };
        let r = render_message(&m, &ctx).unwrap();
        assert_eq!(r.subject, "Order 7");
        assert_eq!(r.text, "Hi <b>Ann & Bob</b>");
        assert_eq!(r.html, "<p>Hi &lt;b&gt;Ann &amp; Bob&lt;&#x2f;b&gt;</p>");
    }

    #[test]
    fn missing_values_render_empty_and_names_are_listed() {
        assert_eq!(
            render("[{{order.nope}}]", &json!({"order": {}}), false).unwrap(),
            "[]"
        );
        let names =
            placeholders("{{ order.id }} {{user.name}} {% if code %}{{code}}{% endif %}").unwrap();
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            ["code", "order", "user"]
        );
    }

    #[test]
    fn a_broken_template_is_an_error() {
        assert!(placeholders("{{ order.id ").is_err());
    }
}
