-- What a storefront shows (issue 17): brands, a category tree, web pages, and a product's
-- description, brand, image, stock and featured flag. Only additions, so instances of the
-- previous version keep working.

CREATE TABLE brands (
    id BIGSERIAL PRIMARY KEY,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (store_id, path)
);

-- parent_id 0: a top-level category.
CREATE TABLE categories (
    id BIGSERIAL PRIMARY KEY,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    parent_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    description TEXT NOT NULL,
    sort_order BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (store_id, path)
);

CREATE TABLE product_categories (
    store_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    PRIMARY KEY (product_id, category_id)
);
CREATE INDEX product_categories_store ON product_categories (store_id);

-- kind: normal, contact, link, raw. link is the target of a link page; body the HTML of the
-- others. parent_id 0: a top-level page.
CREATE TABLE web_pages (
    id BIGSERIAL PRIMARY KEY,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    parent_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    in_navigation BIGINT NOT NULL,
    sort_order BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX web_pages_store ON web_pages (store_id);

ALTER TABLE products ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN brand_id BIGINT;
-- The file name of the product's image among the server's served images; '' none.
ALTER TABLE products ADD COLUMN image TEXT NOT NULL DEFAULT '';
-- Units on hand; NULL: stock is not tracked (always available).
ALTER TABLE products ADD COLUMN stock BIGINT;
ALTER TABLE products ADD COLUMN is_featured BIGINT NOT NULL DEFAULT 0;
