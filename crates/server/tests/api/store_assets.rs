//! What a storefront fetches beside GraphQL (issue 17): the images behind every image URL the
//! schema answers (BigCommerce's CDN addresses, on this server), and the sitemaps of
//! `/xmlsitemap.php`, which Catalyst serves as its `/sitemap.xml`.

use crate::helpers::TestApp;

const QUERY: &str = "{ site {
    products(first: 10) { edges { node { entityId name
        defaultImage { urlTemplate url(width: 500) original: urlOriginal altText }
        images { edges { node { url(width: 320, height: 320) } } } } } }
    settings { faviconUrl logoV2 { __typename ... on StoreImageLogo { image { urlTemplate altText } } } } } }";

impl TestApp {
    /// A GET as a browser or a Next.js server would send it, with optional extra headers.
    async fn fetch(
        &self,
        url: &str,
        headers: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let mut req = self.client.get(url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = req.send().await.expect("send");
        let (status, h) = (r.status().as_u16(), r.headers().clone());
        (status, h, r.bytes().await.expect("body").to_vec())
    }

    /// The image URLs the demo answers, each a URL this server serves.
    async fn image_urls(&self) -> Vec<String> {
        let token = self.private_token(&["Unauthenticated"]).await;
        let r = self.gql(Some(&token), QUERY, &[]).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert!(r.body.get("errors").is_none(), "{:?}", r.body);
        let site = &r.body["data"]["site"];
        let products = site["products"]["edges"].as_array().unwrap();
        assert_eq!(products.len(), 4);
        let mut urls = Vec::new();
        for p in products {
            let node = &p["node"];
            let image = &node["defaultImage"];
            assert_eq!(image["altText"], node["name"]);
            let template = image["urlTemplate"].as_str().unwrap();
            let prefix = format!(
                "{}/s-demo/images/stencil/{{:size}}/products/{}/",
                self.base, node["entityId"]
            );
            assert!(
                template.starts_with(&prefix) && template.ends_with(".svg"),
                "{template}"
            );
            for size in ["original", "500w", "500x659", "1x1"] {
                urls.push(template.replace("{:size}", size));
            }
            urls.push(image["url"].as_str().unwrap().to_string());
            urls.push(image["original"].as_str().unwrap().to_string());
            urls.push(
                node["images"]["edges"][0]["node"]["url"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
        let settings = &site["settings"];
        assert_eq!(settings["logoV2"]["__typename"], "StoreImageLogo");
        assert_eq!(settings["logoV2"]["image"]["altText"], "Demo Store");
        urls.push(
            settings["logoV2"]["image"]["urlTemplate"]
                .as_str()
                .unwrap()
                .replace("{:size}", "320w"),
        );
        urls.push(settings["faviconUrl"].as_str().unwrap().to_string());
        urls
    }
}

#[tokio::test]
async fn every_image_url_the_schema_answers_is_served() {
    let app = TestApp::spawn().await;
    let urls = app.image_urls().await;
    assert_eq!(urls.len(), 4 * 7 + 2);
    for url in &urls {
        let (status, headers, body) = app.fetch(url, &[]).await;
        assert_eq!(status, 200, "{url}");
        assert_eq!(headers["content-type"], "image/svg+xml", "{url}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        // Served from the host that holds the session cookie: an SVG opened on its own runs
        // nothing.
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("sandbox") && csp.contains("default-src 'none'"),
            "{csp}"
        );
        assert_eq!(headers["access-control-allow-origin"], "*");
        let svg = String::from_utf8(body).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.contains("</svg>"),
            "{url}: {svg}"
        );
        // Revalidation: the validator it sent answers 304 with no body.
        let etag = headers["etag"].to_str().unwrap().to_string();
        let (status, _, body) = app.fetch(url, &[("If-None-Match", &etag)]).await;
        assert_eq!((status, body.len()), (304, 0), "{url}");
        let (status, ..) = app.fetch(url, &[("If-None-Match", "\"other\"")]).await;
        assert_eq!(status, 200);
    }
    // Each product has its own drawing.
    let mut bodies = std::collections::HashSet::new();
    for url in urls.iter().step_by(7).take(4) {
        bodies.insert(app.fetch(url, &[]).await.2);
    }
    assert_eq!(bodies.len(), 4);
}

#[tokio::test]
async fn image_addresses_that_name_nothing_are_404() {
    let app = TestApp::spawn().await;
    let good = app.image_urls().await.remove(0);
    let path = good.split("/original/").nth(1).unwrap().to_string();
    let bad = [
        format!("/s-demo/images/stencil/0w/{path}"),
        format!("/s-demo/images/stencil/10001w/{path}"),
        format!("/s-demo/images/stencil/500x/{path}"),
        format!("/s-demo/images/stencil/{{:size}}/{path}"),
        format!("/s-nosuchstore/images/stencil/original/{path}"),
        format!("/demo/images/stencil/original/{path}"),
        format!("/s-demo/images/stencil/original/{path}x"),
        "/s-demo/images/stencil/original/products/..%2F..%2Fetc/passwd".to_string(),
        "/s-demo/images/stencil/original/.hidden".to_string(),
        format!("/s-demo/images/stencil/original/{}", "a".repeat(5000)),
    ];
    for url in bad {
        let (status, headers, body) = app.fetch(&app.url(&url), &[]).await;
        assert_eq!(status, 404, "{url}");
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"));
        assert_eq!(
            String::from_utf8(body).unwrap(),
            "No image at this address."
        );
    }
    // The store's images are nobody else's: the same path under another store is nothing.
    let (status, ..) = app
        .fetch(&good.replace("/s-demo/", "/s-abc123/"), &[])
        .await;
    assert_eq!(status, 404);
}

/// The `<loc>`s of a sitemap or sitemap index, unescaped.
fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap().replace("&amp;", "&"))
        .collect()
}

#[tokio::test]
async fn the_sitemap_index_lists_each_kind_and_each_sitemap_lists_the_channel_pages() {
    let app = TestApp::spawn().await;
    let host = "store-demo-1.localhost";
    let (status, headers, body) = app
        .fetch(&app.url("/xmlsitemap.php"), &[("Host", host)])
        .await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/xml; charset=utf-8");
    let index = String::from_utf8(body).unwrap();
    assert!(index.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"), "{index}");
    let sitemaps = locs(&index);
    let kinds = ["products", "categories", "brands", "pages"];
    let want: Vec<String> = kinds
        .iter()
        .map(|k| format!("http://{host}/xmlsitemap.php?type={k}&page=1"))
        .collect();
    assert_eq!(sitemaps, want, "{index}");
    assert!(
        index.contains("type=products&amp;page=1"),
        "escaped: {index}"
    );

    let mut all = Vec::new();
    for kind in kinds {
        let (status, headers, body) = app
            .fetch(
                &app.url(&format!("/xmlsitemap.php?type={kind}&page=1")),
                &[("Host", host)],
            )
            .await;
        assert_eq!(status, 200, "{kind}");
        assert_eq!(headers["content-type"], "application/xml; charset=utf-8");
        let xml = String::from_utf8(body).unwrap();
        assert!(
            xml.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"),
            "{xml}"
        );
        let urls = locs(&xml);
        assert!(!urls.is_empty(), "{kind}");
        // The channel's own pages, where shoppers visit them.
        assert!(
            urls.iter()
                .all(|u| u.starts_with("http://localhost:4000/") && u.ends_with('/')),
            "{urls:?}"
        );
        all.extend(urls);
    }
    for page in [
        "http://localhost:4000/able-brewing-system/",
        "http://localhost:4000/orbit-terrarium-large/",
        "http://localhost:4000/kitchen/coffee/",
        "http://localhost:4000/brands/able/",
        "http://localhost:4000/shipping-returns/",
    ] {
        assert!(all.contains(&page.to_string()), "{page} in {all:?}");
    }
    // A web page that only links elsewhere is not a page of the site.
    assert_eq!(all.len(), 4 + 5 + 3 + 4, "{all:?}");
    assert!(
        !all.iter().any(|u| u.contains("storefront-auth")),
        "{all:?}"
    );
    assert_eq!(
        all.len(),
        all.iter().collect::<std::collections::HashSet<_>>().len()
    );

    // Channel 2 lists the same catalog at its own site.
    let (_, _, body) = app
        .fetch(
            &app.url("/xmlsitemap.php?type=products"),
            &[("Host", "store-demo-2.localhost")],
        )
        .await;
    let urls = locs(&String::from_utf8(body).unwrap());
    assert_eq!(urls.len(), 4);
    assert!(
        urls.iter().all(|u| u.starts_with("http://localhost:4001/")),
        "{urls:?}"
    );
}

#[tokio::test]
async fn sitemaps_that_do_not_exist_are_404() {
    let app = TestApp::spawn().await;
    for query in [
        "type=product",
        "type=products&page=2",
        "type=products&page=0",
        "type=pages&page=-1",
        "type=brands&page=x",
        "page=1",
        "type=products&page=99999999999999999999",
    ] {
        let (status, _, body) = app
            .fetch(
                &app.url(&format!("/xmlsitemap.php?{query}")),
                &[("Host", "store-demo.localhost")],
            )
            .await;
        assert_eq!(status, 404, "{query}");
        assert!(
            String::from_utf8(body)
                .unwrap()
                .starts_with("No such sitemap"),
            "{query}"
        );
    }
    let (status, ..) = app
        .fetch(
            &app.url("/xmlsitemap.php"),
            &[("Host", "store-nosuch.localhost")],
        )
        .await;
    assert_eq!(status, 404);
}
