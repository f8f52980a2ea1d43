//! `site.content`: the store's web pages (the footer's menu and their own routes) and scripts,
//! and the SEO details pages share.

use async_graphql::{Context, Enum, InputObject, Interface, Object, Result, ID};
use storefront_auth_store::WebPage as StoredPage;

pub use super::blog::BlogPost;
use super::category::BreadcrumbConnection;
use super::connection::{connection, PageRequest};
use super::ids::global_id;
use super::scripts::{ScriptTypeConnection, ScriptsFilters};
use super::seo::{plain_text_summary, SeoDetails};
use super::GqlContext;

pub struct Content;

#[Object]
impl Content {
    /// The store's web pages in `sortBy` order (page id by default), filtered.
    #[allow(clippy::too_many_arguments)]
    async fn pages(
        &self,
        ctx: &Context<'_>,
        filters: Option<WebPagesFiltersInput>,
        #[graphql(default_with = "WebPageSortInput::PageId")] sort_by: WebPageSortInput,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<PageConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let gql = ctx.data::<GqlContext>()?;
        let held = gql.held().await?;
        let f = filters.unwrap_or_default();
        let rows = held.content.web_pages.iter().filter(|p| f.admits(p));
        Ok(listed(rows.collect(), sort_by, page))
    }

    /// One web page by id.
    async fn page(&self, ctx: &Context<'_>, entity_id: i32) -> Result<Option<WebPage>> {
        let gql = ctx.data::<GqlContext>()?;
        let held = gql.held().await?;
        Ok(held
            .content
            .web_pages
            .iter()
            .find(|p| p.id == entity_id as i64)
            .map(WebPage::of))
    }

    /// The store's blog: the stand-in has none, so `null` (Catalyst's blog pages then answer
    /// "not found", as on a store without a blog).
    async fn blog(&self) -> Option<super::blog::Blog> {
        None
    }

    /// Scripts the merchant installed for the storefront: the stand-in has no script manager,
    /// so there are none.
    async fn scripts(
        &self,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
        filters: Option<ScriptsFilters>,
    ) -> Result<ScriptTypeConnection> {
        PageRequest::new(first, after, last, before)?;
        let _ = filters;
        Ok(ScriptTypeConnection::empty())
    }
}

/// Pages in `sort_by` order, paged. Cursors are positions in the sorted list, so any order
/// pages the same way.
fn listed(
    mut rows: Vec<&StoredPage>,
    sort_by: WebPageSortInput,
    page: PageRequest,
) -> PageConnection {
    match sort_by {
        WebPageSortInput::PageId => rows.sort_by_key(|p| p.id),
        WebPageSortInput::SortOrder => rows.sort_by_key(|p| (p.sort_order, p.id)),
        WebPageSortInput::ParentIdAndSortOrderAndTitle => rows.sort_by(|a, b| {
            (a.parent_id, a.sort_order, &a.name).cmp(&(b.parent_id, b.sort_order, &b.name))
        }),
    }
    let positioned: Vec<(i64, WebPage)> = rows
        .into_iter()
        .enumerate()
        .map(|(i, p)| (i as i64 + 1, WebPage::of(p)))
        .collect();
    let (items, info) = page.of(positioned, |(i, _)| *i);
    let items = items.into_iter().map(|(i, (_, p))| (i, p)).collect();
    PageConnection::new(items, info, None)
}

/// The pages directly under page `id`.
async fn children_of(
    ctx: &Context<'_>,
    id: i64,
    filters: Option<WebPageChildrenFiltersInput>,
    sort_by: WebPageSortInput,
    page: PageRequest,
) -> Result<PageConnection> {
    let gql = ctx.data::<GqlContext>()?;
    let held = gql.held().await?;
    let f = filters.unwrap_or_default();
    let as_pages = WebPagesFiltersInput {
        entity_ids: f.entity_ids,
        page_type: f.page_type,
        is_visible_in_navigation: f.is_visible_in_navigation,
        parent_entity_ids: None,
    };
    let rows = held
        .content
        .web_pages
        .iter()
        .filter(|p| p.parent_id == id && as_pages.admits(p));
    Ok(listed(rows.collect(), sort_by, page))
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct WebPageChildrenFiltersInput {
    pub entity_ids: Option<Vec<i32>>,
    pub page_type: Option<WebPageType>,
    pub is_visible_in_navigation: Option<bool>,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct WebPagesFiltersInput {
    pub entity_ids: Option<Vec<i32>>,
    pub page_type: Option<WebPageType>,
    pub is_visible_in_navigation: Option<bool>,
    pub parent_entity_ids: Option<Vec<i32>>,
}

impl WebPagesFiltersInput {
    fn admits(&self, p: &StoredPage) -> bool {
        let among = |ids: &Option<Vec<i32>>, id: i64| {
            ids.as_ref()
                .is_none_or(|ids| ids.iter().any(|x| *x as i64 == id))
        };
        among(&self.entity_ids, p.id)
            && among(&self.parent_entity_ids, p.parent_id)
            && self.page_type.is_none_or(|t| t.kind() == p.kind)
            && self
                .is_visible_in_navigation
                .is_none_or(|v| v == p.in_navigation)
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum WebPageType {
    Blog,
    Contact,
    Link,
    Normal,
    Raw,
}

impl WebPageType {
    fn kind(self) -> &'static str {
        match self {
            WebPageType::Blog => "blog",
            WebPageType::Contact => "contact",
            WebPageType::Link => "link",
            WebPageType::Normal => "normal",
            WebPageType::Raw => "raw",
        }
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum WebPageSortInput {
    PageId,
    SortOrder,
    ParentIdAndSortOrderAndTitle,
}

/// What a web page of any kind holds (a kind answers the fields it has).
#[derive(Clone, Debug, Default)]
pub struct PageData {
    pub id: i64,
    pub parent_id: i64,
    pub name: String,
    pub in_navigation: bool,
    pub path: String,
    pub html_body: String,
    pub link: String,
}

/// A web page type: the fields every web page has, and `$extra` of its own.
macro_rules! web_page {
    ($ty:ident, $name:literal, $($extra:tt)*) => {
        #[derive(Clone, Debug, Default)]
        pub struct $ty(pub PageData);

        #[Object(name = $name)]
        impl $ty {
            $($extra)*
            async fn entity_id(&self) -> i32 {
                self.0.id as i32
            }
            /// `null` for a top-level page.
            async fn parent_entity_id(&self) -> Option<i32> {
                (self.0.parent_id != 0).then_some(self.0.parent_id as i32)
            }
            async fn name(&self) -> &str {
                &self.0.name
            }
            async fn is_visible_in_navigation(&self) -> bool {
                self.0.in_navigation
            }
            async fn seo(&self) -> SeoDetails {
                SeoDetails::titled(&self.0.name)
            }
            /// From the top-level page down to this one, at most `depth` deep.
            async fn breadcrumbs(
                &self,
                ctx: &Context<'_>,
                depth: i32,
                before: Option<String>,
                after: Option<String>,
                first: Option<i32>,
                last: Option<i32>,
            ) -> Result<BreadcrumbConnection> {
                let page = PageRequest::new(first, after, last, before)?;
                super::web_page_trail::breadcrumbs(ctx, self.0.id, depth, page).await
            }
            /// The pages directly under this one.
            #[allow(clippy::too_many_arguments)]
            async fn children(
                &self,
                ctx: &Context<'_>,
                filters: Option<WebPageChildrenFiltersInput>,
                #[graphql(default_with = "WebPageSortInput::PageId")] sort_by: WebPageSortInput,
                before: Option<String>,
                after: Option<String>,
                first: Option<i32>,
                last: Option<i32>,
            ) -> Result<PageConnection> {
                let page = PageRequest::new(first, after, last, before)?;
                children_of(ctx, self.0.id, filters, sort_by, page).await
            }
        }
    };
}

/// A page with a path and an HTML body.
macro_rules! body_page {
    ($ty:ident, $name:literal, $($extra:tt)*) => {
        web_page! {
            $ty,
            $name,
            $($extra)*
            pub async fn id(&self) -> ID {
                global_id($name, self.0.id)
            }
            async fn path(&self) -> &str {
                &self.0.path
            }
            async fn html_body(&self) -> &str {
                &self.0.html_body
            }
            async fn plain_text_summary(
                &self,
                #[graphql(default = 120)] character_limit: i32,
            ) -> String {
                plain_text_summary(&self.0.html_body, character_limit.max(0) as usize)
            }
        }
    };
}

body_page!(NormalPage, "NormalPage",);
body_page!(RawHtmlPage, "RawHtmlPage",);
body_page! {
    ContactPage,
    "ContactPage",
    /// The optional fields the contact form asks for, by BigCommerce's names. A stand-in
    /// contact page asks for all of them (the merchant setting is not modelled).
    async fn contact_fields(&self) -> Vec<&'static str> {
        vec!["fullname", "phone", "companyname", "orderno", "rma"]
    }
}

web_page! {
    ExternalLinkPage,
    "ExternalLinkPage",
    async fn link(&self) -> &str {
        &self.0.link
    }
}

// The blog's index page: the stand-in has no blog, so none is ever answered; the type is
// here because storefronts' documents name it.
web_page! {
    BlogIndexPage,
    "BlogIndexPage",
    pub async fn id(&self) -> ID {
        global_id("BlogIndexPage", self.0.id)
    }
    async fn path(&self) -> &str {
        &self.0.path
    }
}

// The connection arguments repeat per field by design.
#[allow(clippy::duplicated_attributes)]
#[derive(Interface, Clone, Debug)]
#[graphql(
    field(name = "entity_id", ty = "i32"),
    field(name = "parent_entity_id", ty = "Option<i32>"),
    field(name = "name", ty = "&str"),
    field(name = "is_visible_in_navigation", ty = "bool"),
    field(name = "seo", ty = "SeoDetails"),
    field(
        name = "breadcrumbs",
        ty = "BreadcrumbConnection",
        arg(name = "depth", ty = "i32"),
        arg(name = "before", ty = "Option<String>"),
        arg(name = "after", ty = "Option<String>"),
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "last", ty = "Option<i32>")
    ),
    field(
        name = "children",
        ty = "PageConnection",
        arg(name = "filters", ty = "Option<WebPageChildrenFiltersInput>"),
        arg(
            name = "sort_by",
            ty = "WebPageSortInput",
            default_with = "WebPageSortInput::PageId"
        ),
        arg(name = "before", ty = "Option<String>"),
        arg(name = "after", ty = "Option<String>"),
        arg(name = "first", ty = "Option<i32>"),
        arg(name = "last", ty = "Option<i32>")
    )
)]
pub enum WebPage {
    NormalPage(NormalPage),
    ContactPage(ContactPage),
    RawHtmlPage(RawHtmlPage),
    ExternalLinkPage(ExternalLinkPage),
    BlogIndexPage(BlogIndexPage),
}

impl WebPage {
    /// The GraphQL type's name.
    pub fn kind(&self) -> &'static str {
        match self {
            WebPage::NormalPage(_) => "NormalPage",
            WebPage::ContactPage(_) => "ContactPage",
            WebPage::RawHtmlPage(_) => "RawHtmlPage",
            WebPage::ExternalLinkPage(_) => "ExternalLinkPage",
            WebPage::BlogIndexPage(_) => "BlogIndexPage",
        }
    }

    pub fn of(p: &StoredPage) -> WebPage {
        let data = PageData {
            id: p.id,
            parent_id: p.parent_id,
            name: p.name.clone(),
            in_navigation: p.in_navigation,
            path: p.path.clone(),
            html_body: p.body.clone(),
            link: p.link.clone(),
        };
        match p.kind.as_str() {
            "link" => WebPage::ExternalLinkPage(ExternalLinkPage(data)),
            "contact" => WebPage::ContactPage(ContactPage(data)),
            "raw" => WebPage::RawHtmlPage(RawHtmlPage(data)),
            _ => WebPage::NormalPage(NormalPage(data)),
        }
    }
}

connection!(PageConnection, PageEdge, WebPage);
