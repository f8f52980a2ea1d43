//! A seed's catalog and content: products with their details, images, options and custom
//! fields; brands; the category tree; web pages; shipping methods; coupons; store images.

use storefront_auth_store::{
    CouponRecord, NewCategory, NewOption, NewProduct, NewWebPage, ProductDetails,
    ShippingMethodRecord, StoreRecord,
};

use super::assets::{put_image, Assets, Image};
use super::{cents, failed, Seed, SeedError, SeedPage};
use crate::service::Domain;

/// The seed's images, read before anything is written: each product's (by index), the logo
/// and the favicon.
pub struct SeedImages {
    products: Vec<Option<Image>>,
    logo: Option<Image>,
    favicon: Option<Image>,
}

/// Checks the seed and reads its images, writing nothing: for a file of several stores, every
/// store is prepared before the first is written.
pub fn prepare(seed: &Seed, assets: &Assets) -> Result<(), SeedError> {
    super::check(seed)?;
    read_images(seed, assets).map(|_| ())
}

pub fn read_images(seed: &Seed, assets: &Assets) -> Result<SeedImages, SeedError> {
    let read = |reference: &Option<String>, name: &str| {
        reference
            .as_deref()
            .map(|r| assets.read(r, name))
            .transpose()
    };
    let products = seed
        .products
        .iter()
        .map(|p| read(&p.image, &p.sku.to_ascii_lowercase()))
        .collect::<Result<_, _>>()?;
    Ok(SeedImages {
        products,
        logo: read(&seed.store.logo, "logo")?,
        favicon: read(&seed.store.favicon, "favicon")?,
    })
}

/// Writes the catalog and content; the products' (SKU, id) in the seed's order.
pub async fn write(
    domain: &Domain,
    seed: &Seed,
    images: &SeedImages,
    store: &StoreRecord,
) -> Result<Vec<(String, i64)>, SeedError> {
    let (data, now) = (domain.store(), domain.now());
    let mut products = Vec::new();
    for p in &seed.products {
        let new = NewProduct {
            store_id: store.id,
            name: &p.name,
            sku: &p.sku,
            price_cents: cents(p.price),
        };
        let made = data.create_product(new, now).await;
        let made = made.map_err(|e| failed(&format!("product {}", p.sku), e))?;
        products.push((p.sku.clone(), made.id));
    }
    let brands = make_brands(domain, seed, store).await?;
    let categories = make_categories(domain, seed, store).await?;
    for ((p, (_, id)), image) in seed.products.iter().zip(&products).zip(&images.products) {
        let image = match image {
            Some(image) => {
                let path = format!("products/{id}/{}", image.file_name);
                put_image(domain, store.id, &path, image).await?;
                path
            }
            None => String::new(),
        };
        let details = ProductDetails {
            description: p.description.clone(),
            brand_id: p.brand.as_ref().and_then(|b| find(&brands, b)),
            image,
            stock: p.stock,
            is_featured: p.featured,
            weight_grams: p.weight_grams,
            gtin: p.gtin.clone(),
            mpn: p.mpn.clone(),
            warranty: p.warranty.clone(),
            ..ProductDetails::default()
        };
        let what = |e| failed(&format!("product {}", p.sku), e);
        data.set_product_details(store.id, *id, &details)
            .await
            .map_err(what)?;
        for category in p.categories.iter().filter_map(|c| find(&categories, c)) {
            data.add_product_to_category(store.id, *id, category)
                .await
                .map_err(what)?;
        }
    }
    store_images(domain, images, store).await?;
    options_and_fields(domain, seed, store, &products).await?;
    pages(domain, &seed.web_pages, store).await?;
    shipping_and_coupons(domain, seed, store).await?;
    Ok(products)
}

fn find(list: &[(String, i64)], name: &str) -> Option<i64> {
    list.iter().find(|(n, _)| n == name).map(|(_, id)| *id)
}

/// The seed's brands, then those its products name, each once, in that order.
async fn make_brands(
    domain: &Domain,
    seed: &Seed,
    store: &StoreRecord,
) -> Result<Vec<(String, i64)>, SeedError> {
    let named = seed.products.iter().filter_map(|p| p.brand.clone());
    let mut out: Vec<(String, i64)> = Vec::new();
    for name in seed.brands.iter().cloned().chain(named) {
        if find(&out, &name).is_none() {
            let made = domain
                .store()
                .create_brand(store.id, &name, domain.now())
                .await;
            let made = made.map_err(|e| failed(&format!("brand {name:?}"), e))?;
            out.push((name, made.id));
        }
    }
    Ok(out)
}

async fn make_categories(
    domain: &Domain,
    seed: &Seed,
    store: &StoreRecord,
) -> Result<Vec<(String, i64)>, SeedError> {
    let mut out: Vec<(String, i64)> = Vec::new();
    for (sort_order, c) in seed.categories.iter().enumerate() {
        let new = NewCategory {
            store_id: store.id,
            parent_id: c.parent.as_ref().and_then(|p| find(&out, p)).unwrap_or(0),
            name: &c.name,
            description: &c.description,
            sort_order: sort_order as i64,
        };
        let made = domain.store().create_category(new, domain.now()).await;
        let made = made.map_err(|e| failed(&format!("category {:?}", c.name), e))?;
        out.push((c.name.clone(), made.id));
    }
    Ok(out)
}

async fn store_images(
    domain: &Domain,
    images: &SeedImages,
    store: &StoreRecord,
) -> Result<(), SeedError> {
    let mut paths = [String::new(), String::new()];
    for (at, image) in [&images.logo, &images.favicon].into_iter().enumerate() {
        if let Some(image) = image {
            paths[at] = format!("image-manager/{}", image.file_name);
            put_image(domain, store.id, &paths[at], image).await?;
        }
    }
    let set = domain
        .store()
        .set_store_images(store.id, &paths[0], &paths[1]);
    set.await.map_err(|e| failed("store images", e))
}

async fn options_and_fields(
    domain: &Domain,
    seed: &Seed,
    store: &StoreRecord,
    products: &[(String, i64)],
) -> Result<(), SeedError> {
    let data = domain.store();
    for (p, (_, id)) in seed.products.iter().zip(products) {
        let what = |e| failed(&format!("product {}", p.sku), e);
        for o in &p.options {
            let colors: Vec<Vec<&str>> = o
                .values
                .iter()
                .map(|v| v.colors.iter().map(String::as_str).collect())
                .collect();
            let values: Vec<(&str, bool, &[&str])> = o
                .values
                .iter()
                .zip(&colors)
                .map(|(v, c)| (v.label.as_str(), v.default, c.as_slice()))
                .collect();
            let new = NewOption {
                store_id: store.id,
                product_id: *id,
                kind: &o.kind,
                display_name: &o.display_name,
                display_style: &o.display_style,
                is_required: o.required,
                values: &values,
            };
            data.create_option(new).await.map_err(what)?;
        }
        for f in &p.custom_fields {
            let made = data.create_custom_field(store.id, *id, &f.name, &f.value);
            made.await.map_err(what)?;
        }
    }
    Ok(())
}

/// The pages in the listed order, each followed by the pages below it.
async fn pages(domain: &Domain, list: &[SeedPage], store: &StoreRecord) -> Result<(), SeedError> {
    for (sort_order, page) in list.iter().enumerate() {
        let parent = write_page(domain, page, 0, sort_order, store).await?;
        for (order, child) in page.children.iter().enumerate() {
            write_page(domain, child, parent, order, store).await?;
        }
    }
    Ok(())
}

async fn write_page(
    domain: &Domain,
    page: &SeedPage,
    parent_id: i64,
    sort_order: usize,
    store: &StoreRecord,
) -> Result<i64, SeedError> {
    let new = NewWebPage {
        store_id: store.id,
        parent_id,
        kind: &page.kind,
        name: &page.name,
        body: &page.body,
        link: &page.link,
        in_navigation: page.in_navigation,
        sort_order: sort_order as i64,
    };
    let made = domain.store().create_web_page(new, domain.now()).await;
    Ok(made
        .map_err(|e| failed(&format!("web page {:?}", page.name), e))?
        .id)
}

async fn shipping_and_coupons(
    domain: &Domain,
    seed: &Seed,
    store: &StoreRecord,
) -> Result<(), SeedError> {
    let (data, now) = (domain.store(), domain.now());
    for s in &seed.shipping_methods {
        let method = ShippingMethodRecord {
            id: 0,
            store_id: store.id,
            name: s.name.clone(),
            kind: s.kind.clone(),
            rate_cents: cents(s.rate),
            countries: s.countries.join(","),
        };
        let made = data.create_shipping_method(&method, i64::MAX, now).await;
        made.map_err(|e| failed(&format!("shipping method {:?}", s.name), e))?;
    }
    for c in &seed.coupons {
        let (kind, amount) = match (c.percent, c.amount) {
            (Some(percent), _) => ("percent", (percent * 100.0).round() as i64),
            (None, amount) => ("amount", cents(amount.unwrap_or(0.0))),
        };
        let coupon = CouponRecord {
            id: 0,
            store_id: store.id,
            code: c.code.clone(),
            kind: kind.into(),
            amount,
            max_uses: c.max_uses,
            uses: 0,
        };
        let made = data.create_coupon(&coupon, i64::MAX, now).await;
        made.map_err(|e| failed(&format!("coupon {:?}", c.code), e))?;
    }
    Ok(())
}
