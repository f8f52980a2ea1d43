//! What search engines and link previews read of a page: its SEO details, and a plain-text
//! summary of an HTML body.

use async_graphql::SimpleObject;

#[derive(SimpleObject, Clone, Debug)]
pub struct SeoDetails {
    pub page_title: String,
    pub meta_description: String,
    pub meta_keywords: String,
}

impl SeoDetails {
    /// A page's SEO details when the merchant wrote none: its name as the title.
    pub fn titled(name: &str) -> SeoDetails {
        SeoDetails {
            page_title: name.to_string(),
            meta_description: String::new(),
            meta_keywords: String::new(),
        }
    }
}

/// The text of an HTML body, tags dropped and white space collapsed, cut at a word boundary
/// to at most `limit` characters (with `…` when cut).
pub fn plain_text_summary(html: &str, limit: usize) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in words.iter() {
        let extra = if out.is_empty() { 0 } else { 1 } + w.chars().count();
        if out.chars().count() + extra > limit {
            if !out.is_empty() {
                out.push('…');
            }
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::plain_text_summary;

    #[test]
    fn summaries() {
        let html = "<p>Free shipping on <b>every</b> order.</p><p>Returns within 30 days.</p>";
        assert_eq!(
            plain_text_summary(html, 120),
            "Free shipping on every order. Returns within 30 days."
        );
        assert_eq!(plain_text_summary(html, 20), "Free shipping on…");
        assert_eq!(plain_text_summary("", 10), "");
        assert_eq!(plain_text_summary("<p>x</p>", 0), "");
    }
}
