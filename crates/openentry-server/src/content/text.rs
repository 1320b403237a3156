//! Rich text of attribute values and pages: HTML sanitized once, on import, with `ammonia`;
//! Markdown rendered with `pulldown-cmark` and then sanitized the same way; plain text derived
//! from the clean HTML with `html2text` (no hand-written tag stripping).

use openentry_domain::project::{AttrValue, TextValue};

/// Plain text is laid out this wide before lines are joined; wide enough that no sentence is
/// wrapped.
const PLAIN_WIDTH: usize = 100_000;

/// HTML with everything that could run script removed: `<script>`, `<style>`, event handler
/// attributes, `javascript:` and other non-web URLs; links get `rel="noopener noreferrer"`.
/// Sanitizing clean HTML again changes nothing, so a re-import of an export is a no-op.
pub(crate) fn sanitize_html(html: &str) -> String {
    ammonia::clean(html)
}

/// Markdown rendered to HTML (CommonMark with tables and strikethrough), then sanitized:
/// Markdown may embed raw HTML.
pub(crate) fn markdown_to_html(md: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(md, options));
    sanitize_html(&out)
}

/// The text of clean HTML, with block elements on their own lines and no markup.
pub(crate) fn plain_of(html: &str) -> String {
    let text = html2text::config::plain_no_decorate()
        .no_table_borders()
        .string_from_read(html.as_bytes(), PLAIN_WIDTH)
        .unwrap_or_default();
    // html2text marks headings with `#` even undecorated; plain text has no markup.
    text.lines()
        .map(|l| {
            let bare = l.trim_start_matches('#');
            if bare.len() < l.len() && bare.starts_with(' ') {
                bare[1..].trim_end()
            } else {
                l.trim_end()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// A text value as stored after import: clean HTML (from the HTML given, else from the
/// Markdown), its plain text, and the Markdown source when there is one.
pub(crate) fn normalize(t: &TextValue) -> TextValue {
    let html = match (&t.md, t.html.is_empty()) {
        (Some(md), true) => markdown_to_html(md),
        _ => sanitize_html(&t.html),
    };
    TextValue {
        plain: Some(plain_of(&html)),
        html,
        md: t.md.clone(),
    }
}

/// The table a normalized text is stored as (`extra` keeps e.g. a `header`).
pub(crate) fn to_value(t: &TextValue, extra: Option<(&str, &str)>) -> AttrValue {
    let mut m = std::collections::BTreeMap::new();
    m.insert("html".to_owned(), AttrValue::Text(t.html.clone()));
    m.insert(
        "plain".to_owned(),
        AttrValue::Text(t.plain.clone().unwrap_or_default()),
    );
    if let Some(md) = &t.md {
        m.insert("md".to_owned(), AttrValue::Text(md.clone()));
    }
    if let Some((k, v)) = extra {
        m.insert(k.to_owned(), AttrValue::Text(v.to_owned()));
    }
    AttrValue::Table(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let dirty = r#"<p onclick="steal()">Hi <b>there</b><script>alert(1)</script></p>
            <a href="javascript:alert(2)">x</a><img src="x.png" onerror="alert(3)">
            <style>body{}</style><iframe src="https://evil.example"></iframe>
            <a href="https://ok.example/">ok</a>"#;
        let clean = sanitize_html(dirty);
        for bad in [
            "script",
            "onclick",
            "onerror",
            "javascript:",
            "alert",
            "<style",
            "iframe",
        ] {
            assert!(!clean.contains(bad), "{bad} in {clean}");
        }
        assert!(clean.contains("<b>there</b>"), "{clean}");
        assert!(clean.contains(r#"href="https://ok.example/""#), "{clean}");
        assert_eq!(
            sanitize_html(&clean),
            clean,
            "sanitizing twice changes nothing"
        );
    }

    #[test]
    fn markdown_is_rendered_then_sanitized() {
        let html = markdown_to_html(
            "**Wipe** it\n\n[x](javascript:alert(1)) [ok](https://ok.example/)\n\n<script>alert(2)</script>",
        );
        assert!(html.contains("<strong>Wipe</strong>"), "{html}");
        assert!(
            !html.contains("<script") && !html.contains("href=\"javascript"),
            "{html}"
        );
        assert!(html.contains("href=\"https://ok.example/\""), "{html}");
    }

    #[test]
    fn plain_text_has_no_markup() {
        let t = normalize(&TextValue {
            html: "<h2>Care</h2><p>Wipe &amp; <em>dry</em>.</p><ul><li>One</li></ul>".into(),
            plain: None,
            md: None,
        });
        let plain = t.plain.unwrap_or_default();
        assert!(plain.contains("Wipe & dry."), "{plain}");
        assert!(!plain.contains('<'), "{plain}");
        let md = normalize(&TextValue {
            html: String::new(),
            plain: None,
            md: Some("# Title\n\nBody".into()),
        });
        assert!(md.html.contains("<h1>Title</h1>"), "{}", md.html);
        assert_eq!(md.plain.as_deref(), Some("Title\n\nBody"));
        assert_eq!(md.md.as_deref(), Some("# Title\n\nBody"));
    }
}
