-- Images the server serves itself, as BigCommerce's CDN does (issue 17): a product's image,
-- the store's logo and favicon. Paths are those under `/s-{hash}/images/stencil/{size}/`.
-- Only additions, so instances of the previous version keep working.
CREATE TABLE store_images (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    path TEXT NOT NULL,
    content_type TEXT NOT NULL,
    body BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (store_id, path)
);

-- The store's logo and favicon among its images; '': none (a text logo, no favicon).
ALTER TABLE stores ADD COLUMN logo_image TEXT NOT NULL DEFAULT '';
ALTER TABLE stores ADD COLUMN favicon_image TEXT NOT NULL DEFAULT '';
