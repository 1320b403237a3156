//! Plain text of HTML content (a page's `plainContent`).
//!
//! Not a sanitizer: the HTML was sanitized on import, and the result is text for search
//! snippets and meta descriptions, which the storefront escapes like any other text.

/// Elements whose end starts a new line of text.
const BLOCK_ENDS: &[&str] = &["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr"];

/// The text of `html`: tags dropped (a line break at `<br>` and at the end of blocks), the
/// common character references decoded, runs of blanks collapsed, lines trimmed.
pub(crate) fn plain(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            // A lone `<` is text.
            text.push_str(&rest[lt..]);
            rest = "";
            break;
        };
        let tag = rest[lt + 1..lt + gt].trim().to_ascii_lowercase();
        let name = tag
            .trim_end_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("");
        if name == "br"
            || name
                .strip_prefix('/')
                .is_some_and(|n| BLOCK_ENDS.contains(&n))
        {
            text.push('\n');
        } else {
            text.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    text.push_str(rest);
    let decoded = decode(&text);
    decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Decodes the character references HTML sanitizers write (named ones for `& < > " '` and
/// no-break spaces, and numeric ones); an unknown reference stays as written.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| reference(&after[..e]).map(|c| (c, e)));
        if let Some((c, e)) = decoded {
            out.push(c);
            rest = &after[e + 1..];
        } else {
            out.push('&');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn reference(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn tags_go_blocks_break_lines_references_decode() {
        assert_eq!(
            plain("<h1>About&nbsp;us</h1><p>We sell <b>bags</b> &amp; belts.<br/>Since 2020</p>"),
            "About us\nWe sell bags & belts.\nSince 2020"
        );
        assert_eq!(plain("<p>مرحبا <em>بكم</em></p>"), "مرحبا بكم");
        assert_eq!(plain("a < b &unknown; &#65;&#x42;"), "a < b &unknown; AB");
        assert_eq!(plain(""), "");
        assert_eq!(plain("x &#0; y"), "x &#0; y");
    }
}
