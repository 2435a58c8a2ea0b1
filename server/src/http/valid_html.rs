//! Every page valid HTML. Leptos writes three things into server-rendered pages that the Nu
//! HTML Checker rejects (browsers recover; assistive technology and strict parsers need not):
//! `<!>` placeholders where no island will hydrate, scripts after `</html>`, and the script
//! nonce as the value of `crossorigin` on module preloads. This layer repairs each page before
//! it is compressed, and takes the scripts out of a page without islands.
//!
//! With `HTML_COPIES_DIR` set (the test command sets it; never with `HTTPS_ONLY=on`), a copy of
//! each distinct page is written there for the checker.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::path::PathBuf;

/// Far above any page the portal renders; a page cannot grow the server's memory without bound.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

const ISLAND_OPEN: &str = "<leptos-island";
const ISLAND_CLOSE: &str = "</leptos-island>";

pub async fn repair(State(copies): State<Option<PathBuf>>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_page = !response.status().is_redirection();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Ok(page) = String::from_utf8(bytes.to_vec()) else { return Response::from_parts(parts, Body::from(bytes)) };
    let page = repair_page(&page);
    // A redirect's body is never shown: only pages are checked.
    if let Some(dir) = copies.filter(|_| is_page) {
        keep_copy(&dir, &page).await;
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

/// The page with the repairs; anything else is left as it was.
pub fn repair_page(page: &str) -> String {
    let page = scripts_only_with_islands(page);
    let page = scripts_inside_body(&page);
    let page = without_placeholders_outside_islands(&page);
    nonce_out_of_crossorigin(&page)
}

/// A page without an island needs none of Leptos's scripts: the hydration module, its two
/// preloads and the inline resource data go. (Form steps declare their island before they know
/// whether their page is a document page; a read-only page without a script can be kept in the
/// render cache for everyone.)
fn scripts_only_with_islands(page: &str) -> String {
    if page.contains(ISLAND_OPEN) {
        return page.to_owned();
    }
    let mut kept = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(at) = rest.find('<') {
        kept.push_str(&rest[..at]);
        rest = &rest[at..];
        let tag_end = rest.find('>').map_or(rest.len(), |end| end + 1);
        let tag = &rest[..tag_end];
        let skip = if tag.starts_with("<script") {
            rest.find("</script>").map(|end| end + "</script>".len())
        } else if tag.starts_with("<link rel=\"modulepreload\"")
            || (tag.starts_with("<link rel=\"preload\"") && tag.contains("application/wasm"))
        {
            Some(tag_end)
        } else {
            None
        };
        match skip {
            Some(length) => rest = &rest[length..],
            None => {
                kept.push('<');
                rest = &rest[1..];
            }
        }
    }
    kept.push_str(rest);
    kept
}

/// What follows `</html>` (scripts resolving the page's data) moves in front of `</body>`.
fn scripts_inside_body(page: &str) -> String {
    let (Some(html_end), Some(body_end)) = (page.rfind("</html>"), page.rfind("</body>")) else {
        return page.to_owned();
    };
    let after = &page[html_end + "</html>".len()..];
    if after.trim().is_empty() || body_end > html_end {
        return page.to_owned();
    }
    [&page[..body_end], after, &page[body_end..html_end + "</html>".len()]].concat()
}

/// `<!>` is markup only (text is escaped). Outside islands nothing hydrates against it: it goes.
/// Inside, `<!---->` is the valid spelling of the same empty comment node.
fn without_placeholders_outside_islands(page: &str) -> String {
    let mut kept = String::with_capacity(page.len());
    let mut depth = 0usize;
    let mut rest = page;
    while let Some(at) = rest.find('<') {
        kept.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with(ISLAND_OPEN) {
            depth += 1;
        } else if rest.starts_with(ISLAND_CLOSE) {
            depth = depth.saturating_sub(1);
        } else if let Some(after) = rest.strip_prefix("<!>") {
            if depth > 0 {
                kept.push_str("<!---->");
            }
            rest = after;
            continue;
        }
        kept.push('<');
        rest = &rest[1..];
    }
    kept.push_str(rest);
    kept
}

/// `crossorigin="{nonce}"` becomes `crossorigin nonce="{nonce}"`, which is what was meant.
fn nonce_out_of_crossorigin(page: &str) -> String {
    let mut fixed = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(at) = rest.find("crossorigin=\"") {
        let value_start = at + "crossorigin=\"".len();
        let Some(length) = rest[value_start..].find('"') else { break };
        let value = &rest[value_start..value_start + length];
        fixed.push_str(&rest[..at]);
        if matches!(value, "" | "anonymous" | "use-credentials") {
            fixed.push_str(&rest[at..value_start + length + 1]);
        } else {
            fixed.push_str(&format!("crossorigin nonce=\"{value}\""));
        }
        rest = &rest[value_start + length + 1..];
    }
    fixed.push_str(rest);
    fixed
}

/// One file per distinct page, named by its hash (the nonce differs on every response, so it
/// is left out of the name).
async fn keep_copy(dir: &std::path::Path, page: &str) {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    for part in page.split("nonce=\"") {
        part.split_once('"').map_or(part, |(_, after)| after).hash(&mut hasher);
    }
    let name = format!("{:016x}.html", hasher.finish());
    if let Err(error) = tokio::fs::write(dir.join(name), page).await {
        tracing::warn!(%error, "could not keep a copy of a page for the HTML checker");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_go_outside_islands_and_are_valid_comments_inside_them() {
        let page = "<p><!>a<!></p><leptos-island data-component=\"X\"><!><b>b</b><!></leptos-island><!>";
        assert_eq!(
            repair_page(page),
            "<p>a</p><leptos-island data-component=\"X\"><!----><b>b</b><!----></leptos-island>"
        );
    }

    const ISLAND: &str = "<leptos-island data-component=\"X\"></leptos-island>";

    #[test]
    fn scripts_after_the_document_move_into_its_body() {
        let page = format!("<html><body>{ISLAND}</body></html><script nonce=\"n\">go()</script>");
        assert_eq!(repair_page(&page), format!("<html><body>{ISLAND}<script nonce=\"n\">go()</script></body></html>"));
        let valid = format!("<html><body>{ISLAND}<script>ok()</script></body></html>\n");
        assert_eq!(repair_page(&valid), valid);
    }

    #[test]
    fn the_nonce_leaves_crossorigin_and_real_values_stay() {
        let page = format!(
            r#"<link rel="modulepreload" href="/a.js" crossorigin="Abc_12"><img crossorigin="anonymous">{ISLAND}"#
        );
        assert_eq!(
            repair_page(&page),
            format!(
                r#"<link rel="modulepreload" href="/a.js" crossorigin nonce="Abc_12"><img crossorigin="anonymous">{ISLAND}"#
            )
        );
    }

    #[test]
    fn a_page_without_islands_loses_every_script_and_preload() {
        let page = concat!(
            r#"<head><link rel="modulepreload" href="/pkg/a.js" crossorigin="n1">"#,
            r#"<link rel="preload" href="/pkg/a.wasm" as="fetch" type="application/wasm" crossorigin="n1">"#,
            r#"<link rel="stylesheet" href="/pkg/a.css"></head><body><p>1 < 2</p>"#,
            "<script type=\"module\" nonce=\"n1\">((root) => {\n hydrate();\n})()</script>",
            "<script nonce=\"n1\">__RESOLVED_RESOURCES=[];</script></body>",
        );
        assert_eq!(
            repair_page(page),
            r#"<head><link rel="stylesheet" href="/pkg/a.css"></head><body><p>1 < 2</p></body>"#
        );
    }

    #[test]
    fn text_that_only_looks_like_markup_is_left_alone() {
        let page = "<p>1 &lt;!&gt; 2 < 3</p>";
        assert_eq!(repair_page(page), page);
    }
}
