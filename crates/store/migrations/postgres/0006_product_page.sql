-- What a product page shows (issue 17): a product's options (the shopper's choices, with their
-- values), custom fields, and its weight, condition, warranty, identifiers, purchase limits and
-- availability. Only additions, so instances of the previous version keep working.

-- kind: multiple_choice (display_style: DropdownList, RadioButtons, RectangleBoxes, Swatch,
-- ProductPickList), checkbox, text, multi_line_text, number, date.
CREATE TABLE product_options (
    id BIGSERIAL PRIMARY KEY,
    store_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    display_name TEXT NOT NULL,
    display_style TEXT NOT NULL,
    is_required BIGINT NOT NULL,
    sort_order BIGINT NOT NULL
);
CREATE INDEX product_options_store ON product_options (store_id);

-- hex_colors: a swatch's colours, comma-separated ('' for other styles).
CREATE TABLE product_option_values (
    id BIGSERIAL PRIMARY KEY,
    store_id BIGINT NOT NULL,
    option_id BIGINT NOT NULL,
    label TEXT NOT NULL,
    is_default BIGINT NOT NULL,
    hex_colors TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);
CREATE INDEX product_option_values_store ON product_option_values (store_id);

CREATE TABLE product_custom_fields (
    id BIGSERIAL PRIMARY KEY,
    store_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX product_custom_fields_store ON product_custom_fields (store_id);

-- Weight in grams; condition NEW, USED or REFURBISHED; availability available, preorder or
-- disabled; purchase limits NULL: none.
ALTER TABLE products ADD COLUMN weight_grams BIGINT;
ALTER TABLE products ADD COLUMN item_condition TEXT NOT NULL DEFAULT 'NEW';
ALTER TABLE products ADD COLUMN warranty TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN gtin TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN mpn TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN min_purchase BIGINT;
ALTER TABLE products ADD COLUMN max_purchase BIGINT;
ALTER TABLE products ADD COLUMN availability TEXT NOT NULL DEFAULT 'available';

-- The options a shopper chose for a cart line, as JSON (`[{"option":…,"value":…,"text":…}]`).
ALTER TABLE cart_items ADD COLUMN selected_options TEXT NOT NULL DEFAULT '[]';
