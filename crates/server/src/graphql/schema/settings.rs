//! `site.settings` (SPEC §5.6; issue 17): the store's name, URLs, logo, locales and currency,
//! and the settings a storefront reads on every page (privacy, SEO, analytics, contact, social
//! links, inventory display, newsletter, reviews, gift certificates, shipping destinations,
//! robots.txt). What the stand-in has no merchant setting for answers BigCommerce's default for
//! a new store; the decisions are listed in docs/DECISIONS.md ("Storefront settings").

use async_graphql::{ComplexObject, Enum, SimpleObject, Union};

use super::geography::{self, Country};
use super::gift_certificates::GiftCertificateSettings;
use super::scalars::{CurrencyCode, Long, StorefrontStatusType};
use super::GqlContext;
use crate::service::images;

#[derive(SimpleObject, Clone, Debug)]
pub struct UrlField {
    pub vanity_url: String,
    pub cdn_url: String,
    pub checkout_url: Option<String>,
}

impl UrlField {
    fn of(gql: &GqlContext) -> UrlField {
        UrlField {
            vanity_url: gql.channel.site_url.trim_end_matches('/').to_string(),
            // A bare host (Catalyst builds `https://{cdnUrl}/…`): this server serves the
            // store's images itself.
            cdn_url: gql.host().to_string(),
            checkout_url: Some(format!("{}/checkout", gql.origin())),
        }
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Locale {
    pub code: String,
    pub is_default: bool,
    pub full_path: String,
    pub path: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CurrencySettings {
    pub default_currency: CurrencyCode,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct PasswordComplexitySettings {
    pub minimum_password_length: i32,
    pub minimum_numbers: i32,
    pub minimum_special_characters: i32,
    pub require_lower_case: bool,
    pub require_numbers: bool,
    pub require_special_characters: bool,
    pub require_upper_case: bool,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CustomersSettings {
    pub password_complexity_settings: Option<PasswordComplexitySettings>,
}

impl CustomersSettings {
    /// What registration checks (`service::customers`): seven characters, nothing else.
    pub fn default_for_store() -> CustomersSettings {
        CustomersSettings {
            password_complexity_settings: Some(PasswordComplexitySettings {
                minimum_password_length: 7,
                minimum_numbers: 0,
                minimum_special_characters: 0,
                require_lower_case: false,
                require_numbers: false,
                require_special_characters: false,
                require_upper_case: false,
            }),
        }
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct StoreTextLogo {
    pub text: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct StoreImageLogo {
    pub image: super::catalog::Image,
}

#[derive(Union, Clone, Debug)]
pub enum StoreLogo {
    StoreTextLogo(StoreTextLogo),
    StoreImageLogo(StoreImageLogo),
}

impl StoreLogo {
    /// The store's image logo when it has one, else its name.
    fn of(gql: &GqlContext) -> StoreLogo {
        let (store, logo) = (&gql.store, &gql.store.logo_image);
        if logo.is_empty() {
            return StoreLogo::StoreTextLogo(StoreTextLogo {
                text: store.name.clone(),
            });
        }
        StoreLogo::StoreImageLogo(StoreImageLogo {
            image: super::catalog::Image {
                url_template: images::url_template(&gql.origin(), &store.hash, logo),
                alt_text: store.name.clone(),
            },
        })
    }
}

#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct Settings {
    pub store_name: String,
    pub store_hash: String,
    pub channel_id: Long,
    pub status: StorefrontStatusType,
    pub url: UrlField,
    pub locales: Vec<Locale>,
    pub currency: CurrencySettings,
    pub customers: Option<CustomersSettings>,
    #[graphql(name = "logoV2")]
    pub logo_v2: StoreLogo,
    pub privacy: Option<PrivacySettings>,
    pub seo: Option<super::seo::SeoDetails>,
    pub web_analytics: Option<WebAnalytics>,
    pub contact: Option<ContactField>,
    pub social_media_links: Vec<SocialMediaLink>,
    pub inventory: Option<InventorySettings>,
    pub newsletter: NewsletterSettings,
    pub favicon_url: Option<String>,
    pub reviews: ReviewsSettings,
    pub display: DisplayField,
    pub storefront: Storefront,
    pub shipping: Option<Shipping>,
    pub robots_txt: Option<String>,
    pub form_fields: super::form_fields::FormFields,
}

#[ComplexObject]
impl Settings {
    /// The message shown while the store is down for maintenance: the stand-in's storefronts
    /// are always open, so none.
    async fn status_message(&self) -> Option<String> {
        None
    }

    /// Gift certificates are not sold by the stand-in: the settings say so, in the currency
    /// asked for (the store's by default).
    async fn gift_certificates(
        &self,
        currency_code: Option<CurrencyCode>,
    ) -> Option<GiftCertificateSettings> {
        let code = currency_code.unwrap_or(self.currency.default_currency);
        Some(GiftCertificateSettings::disabled(code.as_str()))
    }
}

impl Settings {
    /// The settings of the storefront a request addressed.
    pub fn of(gql: &GqlContext) -> Settings {
        Settings {
            store_name: gql.store.name.clone(),
            store_hash: gql.store.hash.clone(),
            channel_id: Long(gql.channel.channel_id),
            status: StorefrontStatusType::Launched,
            url: UrlField::of(gql),
            locales: vec![Locale {
                code: "en".into(),
                is_default: true,
                full_path: "/".into(),
                path: "/".into(),
            }],
            currency: CurrencySettings {
                default_currency: CurrencyCode::Usd,
            },
            customers: Some(CustomersSettings::default_for_store()),
            logo_v2: StoreLogo::of(gql),
            privacy: Some(PrivacySettings {
                cookie_consent_enabled: false,
                privacy_policy_url: None,
            }),
            seo: Some(super::seo::SeoDetails {
                page_title: gql.store.name.clone(),
                meta_description: String::new(),
                meta_keywords: String::new(),
            }),
            web_analytics: Some(WebAnalytics { ga4: None }),
            contact: None,
            social_media_links: Vec::new(),
            inventory: Some(InventorySettings::default_for_store()),
            newsletter: NewsletterSettings {
                show_newsletter_signup: true,
                newsletter_checked_by_default: false,
            },
            favicon_url: (!gql.store.favicon_image.is_empty()).then(|| {
                images::url_template(&gql.origin(), &gql.store.hash, &gql.store.favicon_image)
                    .replace("{:size}", "original")
            }),
            reviews: ReviewsSettings {
                enabled: false,
                only_accept_previous_customer_reviews: false,
            },
            display: DisplayField::default_for_store(),
            storefront: Storefront {
                // Product comparison is not served by the stand-in.
                catalog: Some(Catalog {
                    product_comparisons_enabled: Some(false),
                }),
            },
            shipping: Some(Shipping {
                supported_shipping_destinations: SupportedShippingDestinations {
                    countries: Some(geography::countries()),
                },
            }),
            robots_txt: Some(robots_txt()),
            form_fields: super::form_fields::FormFields,
        }
    }
}

/// What BigCommerce's default robots.txt keeps crawlers out of: account, cart and checkout
/// pages, the admin, and faceted search.
const NOT_FOR_CRAWLERS: [&str; 15] = [
    "/account.php",
    "/cart.php",
    "/checkout",
    "/finishorder.php",
    "/login.php",
    "/orderstatus.php",
    "/postreview.php",
    "/productimage.php",
    "/productupdates.php",
    "/remote.php",
    "/search.php",
    "/viewfile.php",
    "/wishlist.php",
    "/admin/",
    "/__socialshop/",
];

/// A new store's robots.txt, as BigCommerce writes it: Google's ad crawler and every other
/// crawler kept off the same pages, and the others off sorted and paged listings too.
pub fn robots_txt() -> String {
    let rules = |agent: &str, extra: &[&str]| {
        let mut out = format!("User-agent: {agent}\n");
        for path in NOT_FOR_CRAWLERS.iter().chain(extra) {
            out.push_str(&format!("Disallow: {path}\n"));
        }
        out
    };
    format!(
        "{}\n{}",
        rules("AdsBot-Google", &[]),
        rules("*", &["/*?*sort=", "/*?*page="])
    )
}

#[derive(SimpleObject, Clone, Debug)]
pub struct PrivacySettings {
    pub cookie_consent_enabled: bool,
    pub privacy_policy_url: Option<String>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct WebAnalytics {
    pub ga4: Option<Ga4Provider>,
}

#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "GA4Provider")]
pub struct Ga4Provider {
    pub tag_id: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ContactField {
    pub address: String,
    pub country: String,
    pub address_type: String,
    pub email: String,
    pub phone: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct SocialMediaLink {
    pub name: String,
    pub url: String,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum StockLevelDisplay {
    DontShow,
    Show,
    ShowWhenLow,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct InventorySettings {
    pub stock_level_display: Option<StockLevelDisplay>,
    pub default_out_of_stock_message: String,
    pub hide_in_product_filtering: bool,
    pub show_pre_order_stock_levels: bool,
    pub show_out_of_stock_message: bool,
    pub show_quantity_on_backorder: bool,
    pub show_quantity_on_hand: bool,
    pub show_backorder_message: bool,
    pub show_backorder_availability_prompt: bool,
    pub backorder_availability_prompt: String,
}

impl InventorySettings {
    /// A new store's: stock levels hidden, out-of-stock products shown with a message, no
    /// backorders.
    pub fn default_for_store() -> InventorySettings {
        InventorySettings {
            stock_level_display: Some(StockLevelDisplay::DontShow),
            default_out_of_stock_message: "Out of stock".into(),
            hide_in_product_filtering: false,
            show_pre_order_stock_levels: false,
            show_out_of_stock_message: true,
            show_quantity_on_backorder: false,
            show_quantity_on_hand: false,
            show_backorder_message: false,
            show_backorder_availability_prompt: false,
            backorder_availability_prompt: String::new(),
        }
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct NewsletterSettings {
    pub show_newsletter_signup: bool,
    pub newsletter_checked_by_default: bool,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct ReviewsSettings {
    pub enabled: bool,
    pub only_accept_previous_customer_reviews: bool,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct DisplayField {
    pub short_date_format: String,
    pub extended_date_format: String,
    pub show_product_rating: bool,
}

impl DisplayField {
    /// A new store's date formats (PHP `date` letters, as BigCommerce gives them); ratings are
    /// hidden, as the stand-in takes no reviews.
    pub fn default_for_store() -> DisplayField {
        DisplayField {
            short_date_format: "M jS Y".into(),
            extended_date_format: "M jS Y @ g:i A".into(),
            show_product_rating: false,
        }
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Storefront {
    pub catalog: Option<Catalog>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Catalog {
    pub product_comparisons_enabled: Option<bool>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct Shipping {
    pub supported_shipping_destinations: SupportedShippingDestinations,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct SupportedShippingDestinations {
    pub countries: Option<Vec<Country>>,
}
