//! The blog. The stand-in has no blog (`site.content.blog` is `null`), so none of these is
//! ever answered; the types are BigCommerce's because storefronts' documents name them.

use async_graphql::{Enum, InputObject, Object, Result, ID};

use super::connection::{connection, PageRequest};
use super::ids::global_id;
use super::image::Image;
use super::scalars::{DateTime, DateTimeExtended};
use super::seo::{plain_text_summary, SeoDetails};

/// BigCommerce spells this enum in lower camel case.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "sortBy", rename_items = "SCREAMING_SNAKE_CASE")]
pub enum BlogPostSort {
    Newest,
    Oldest,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct BlogPostsFiltersInput {
    pub entity_ids: Option<Vec<i32>>,
    pub tags: Option<Vec<String>>,
}

/// A blog post.
#[derive(Clone, Debug)]
pub struct BlogPost {
    pub id: i64,
    pub name: String,
    pub path: String,
    pub html_body: String,
    pub tags: Vec<String>,
    pub author: Option<String>,
    pub published_at: i64,
}

#[Object]
impl BlogPost {
    pub async fn id(&self) -> ID {
        global_id("BlogPost", self.id)
    }
    async fn entity_id(&self) -> i32 {
        self.id as i32
    }
    async fn name(&self) -> &str {
        &self.name
    }
    async fn tags(&self) -> &[String] {
        &self.tags
    }
    async fn path(&self) -> &str {
        &self.path
    }
    async fn html_body(&self) -> &str {
        &self.html_body
    }
    async fn plain_text_summary(&self, #[graphql(default = 120)] character_limit: i32) -> String {
        plain_text_summary(&self.html_body, character_limit.max(0) as usize)
    }
    async fn published_date(&self) -> DateTimeExtended {
        DateTimeExtended {
            utc: DateTime::from_unix(self.published_at),
        }
    }
    async fn author(&self) -> Option<&str> {
        self.author.as_deref()
    }
    async fn thumbnail_image(&self) -> Option<Image> {
        None
    }
    async fn seo(&self) -> SeoDetails {
        SeoDetails::titled(&self.name)
    }
}

connection!(BlogPostConnection, BlogPostEdge, BlogPost);

/// A store's blog.
pub struct Blog {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub path: String,
    pub is_visible_in_navigation: bool,
}

#[Object]
impl Blog {
    async fn id(&self) -> ID {
        global_id("Blog", self.id)
    }
    async fn name(&self) -> &str {
        &self.name
    }
    async fn description(&self) -> &str {
        &self.description
    }
    async fn path(&self) -> &str {
        &self.path
    }
    async fn is_visible_in_navigation(&self) -> bool {
        self.is_visible_in_navigation
    }
    /// The posts, newest first by default: a blog of the stand-in has none.
    #[allow(clippy::too_many_arguments)]
    async fn posts(
        &self,
        filters: Option<BlogPostsFiltersInput>,
        #[graphql(default_with = "BlogPostSort::Newest")] sort: BlogPostSort,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<BlogPostConnection> {
        PageRequest::new(first, after, last, before)?;
        let _ = (filters, sort);
        Ok(BlogPostConnection::empty())
    }
    async fn post(&self, entity_id: i32) -> Option<BlogPost> {
        let _ = entity_id;
        None
    }
}
