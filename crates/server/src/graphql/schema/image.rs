//! Images this server serves (product images, logos).

use async_graphql::Object;

/// An image this server serves: `urlTemplate` has a `{:size}` place (`500x659`, `original`).
#[derive(Clone, Debug)]
pub struct Image {
    pub url_template: String,
    pub alt_text: String,
}

#[Object]
impl Image {
    /// The same URL whether `lossy` or not: the stand-in serves each image as stored.
    async fn url_template(&self, lossy: Option<bool>) -> &str {
        let _ = lossy;
        &self.url_template
    }
    async fn url_original(&self, lossy: Option<bool>) -> String {
        let _ = lossy;
        self.url_template.replace("{:size}", "original")
    }
    async fn url(&self, width: i32, height: Option<i32>, lossy: Option<bool>) -> String {
        let _ = lossy;
        // The largest size the image address answers (`service::images`).
        const MAX: i32 = 10_000;
        let size = match height {
            Some(h) => format!("{}x{}", width.clamp(1, MAX), h.clamp(1, MAX)),
            None => format!("{}w", width.clamp(1, MAX)),
        };
        self.url_template.replace("{:size}", &size)
    }
    async fn alt_text(&self) -> &str {
        &self.alt_text
    }
    async fn is_default(&self) -> bool {
        true
    }
}
