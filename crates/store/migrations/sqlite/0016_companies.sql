-- B2B companies (issue 18: company.registerCompany, SPEC §5.6): a company a signed-in customer
-- registered, its users (the registering customer is its administrator; a customer belongs
-- to at most one company of a store) and its addresses. Only additions.
CREATE TABLE companies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    store_id BIGINT NOT NULL REFERENCES stores(id),
    channel_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    -- PENDING until the merchant approves (the platform's CompanyStatus values).
    status TEXT NOT NULL,
    -- JSON arrays, as given (bounded by the domain): extra fields and attached files.
    extra_fields TEXT NOT NULL,
    files TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE company_users (
    store_id BIGINT NOT NULL REFERENCES stores(id),
    customer_id BIGINT NOT NULL,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    extra_fields TEXT NOT NULL,
    PRIMARY KEY (store_id, customer_id)
);
CREATE TABLE company_addresses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    company TEXT,
    address1 TEXT NOT NULL,
    address2 TEXT,
    city TEXT NOT NULL,
    state_or_province TEXT,
    postal_code TEXT,
    country_code TEXT NOT NULL,
    phone TEXT,
    extra_fields TEXT NOT NULL
);
CREATE INDEX company_addresses_company ON company_addresses (company_id, id);
