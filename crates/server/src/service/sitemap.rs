//! The sitemaps of a storefront (issue 17): an index of one sitemap per kind of page and
//! page of 1000 URLs, and each sitemap's URLs at the channel's `site_url`.

use storefront_auth_store::StoreError;

use super::directory::Storefront;
use super::{catalog, Domain};

/// URLs per sitemap (the protocol allows 50 000; smaller pages keep each answer quick).
pub const URLS_PER_SITEMAP: i64 = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SitemapKind {
    Products,
    Categories,
    Brands,
    Pages,
}

impl SitemapKind {
    const ALL: [SitemapKind; 4] = [
        SitemapKind::Products,
        SitemapKind::Categories,
        SitemapKind::Brands,
        SitemapKind::Pages,
    ];

    /// The kind a `?type=` names.
    pub fn named(name: &str) -> Option<SitemapKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    fn name(self) -> &'static str {
        match self {
            SitemapKind::Products => "products",
            SitemapKind::Categories => "categories",
            SitemapKind::Brands => "brands",
            SitemapKind::Pages => "pages",
        }
    }
}

/// `&`, `<`, `>`, quotes: what XML text and attributes need escaped.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The web pages that are pages of the site: not the ones that only link elsewhere.
fn site_pages(
    content: &storefront_auth_store::StoreContent,
) -> impl Iterator<Item = &storefront_auth_store::WebPage> {
    content.web_pages.iter().filter(|p| p.kind != "link")
}

/// How many URLs of each kind the storefront has.
async fn counts(domain: &Domain, at: &Storefront) -> Result<[(SitemapKind, i64); 4], StoreError> {
    let store_id = at.entry.store.id;
    let content = catalog::content(domain, store_id).await?;
    let content = &content.content;
    let pages = site_pages(content).count();
    Ok([
        (
            SitemapKind::Products,
            catalog::count(domain, store_id).await?,
        ),
        (SitemapKind::Categories, content.categories.len() as i64),
        (SitemapKind::Brands, content.brands.len() as i64),
        (SitemapKind::Pages, pages as i64),
    ])
}

/// The sitemap index: each non-empty kind's pages, on the host `here` (`scheme://host`).
pub async fn index(domain: &Domain, at: &Storefront, here: &str) -> Result<String, StoreError> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (kind, count) in counts(domain, at).await? {
        let pages = (count + URLS_PER_SITEMAP - 1) / URLS_PER_SITEMAP;
        for page in 1..=pages {
            let loc = format!("{here}/xmlsitemap.php?type={}&page={page}", kind.name());
            xml.push_str(&format!(
                "  <sitemap><loc>{}</loc></sitemap>\n",
                xml_escape(&loc)
            ));
        }
    }
    xml.push_str("</sitemapindex>\n");
    Ok(xml)
}

/// One sitemap: page `page` (from 1) of a kind's storefront paths, as URLs at the channel's
/// `site_url`; `None` past the last page.
pub async fn urls(
    domain: &Domain,
    at: &Storefront,
    kind: SitemapKind,
    page: i64,
) -> Result<Option<String>, StoreError> {
    let store_id = at.entry.store.id;
    let offset = (page - 1).saturating_mul(URLS_PER_SITEMAP);
    let paths: Vec<String> = match kind {
        SitemapKind::Products => {
            domain
                .store()
                .product_paths(store_id, offset, URLS_PER_SITEMAP)
                .await?
        }
        _ => {
            let held = catalog::content(domain, store_id).await?;
            let c = &held.content;
            let all: Vec<&str> = match kind {
                SitemapKind::Categories => c.categories.iter().map(|x| x.path.as_str()).collect(),
                SitemapKind::Brands => c.brands.iter().map(|x| x.path.as_str()).collect(),
                _ => site_pages(c).map(|x| x.path.as_str()).collect(),
            };
            let skip = usize::try_from(offset).unwrap_or(usize::MAX);
            all.into_iter()
                .skip(skip)
                .take(URLS_PER_SITEMAP as usize)
                .map(String::from)
                .collect()
        }
    };
    if paths.is_empty() && page > 1 {
        return Ok(None);
    }
    let site = at.channel.site_url.trim_end_matches('/');
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        let loc = xml_escape(&format!("{site}{path}"));
        xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    Ok(Some(xml))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_escape() {
        for kind in SitemapKind::ALL {
            assert_eq!(SitemapKind::named(kind.name()), Some(kind));
        }
        assert_eq!(SitemapKind::named("product"), None);
        assert_eq!(
            xml_escape("/a?b=1&c=<'\">"),
            "/a?b=1&amp;c=&lt;&apos;&quot;&gt;"
        );
    }
}
