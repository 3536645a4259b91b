//! The operator's pages are Markdown, rendered here on the server into HTML that cannot carry
//! script: raw HTML in the source is shown as text, and links or images may only point at
//! this site, `http(s)` or `mailto`.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Destinations a link or image may have; anything else (`javascript:`, `data:`, …) is dropped.
fn safe_destination(url: &str) -> bool {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if url.starts_with('/') && !url.starts_with("//") || url.starts_with('#') {
        return true;
    }
    ["https://", "http://", "mailto:"].iter().any(|scheme| lower.starts_with(scheme))
}

/// HTML for `source`, safe to insert into a page as it is.
pub fn render(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(source, options).map(|event| match event {
        // Shown, not interpreted.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !safe_destination(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: CowStr::Borrowed("#"), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if !safe_destination(&dest_url) => {
            Event::Start(Tag::Image { link_type, dest_url: CowStr::Borrowed(""), title, id })
        }
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn headings_lists_and_links_become_html() {
        let out = render("## Returns\n\n- within 30 days\n\nSee [contact](/pages/contact).");
        assert!(out.contains("<h2>Returns</h2>"), "{out}");
        assert!(out.contains("<li>within 30 days</li>"), "{out}");
        assert!(out.contains(r#"<a href="/pages/contact">contact</a>"#), "{out}");
    }

    #[test]
    fn raw_html_is_shown_as_text_never_run() {
        let out = render("<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> there");
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn script_and_data_links_lose_their_destination() {
        for source in
            ["[x](javascript:alert(1))", "[x](JavaScript:alert(1))", "[x](data:text/html,hi)", "[x](//evil.example)"]
        {
            let out = render(source);
            assert!(out.contains(r##"href="#""##), "{source} -> {out}");
        }
        let out = render("![pic](javascript:alert(1))");
        assert!(!out.contains("javascript"), "{out}");
        assert!(render("[mail](mailto:shop@example.com)").contains("mailto:shop@example.com"));
    }
}
