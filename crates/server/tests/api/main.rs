//! The one integration test binary: the real server on 127.0.0.1:0, driven over HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod helpers;

mod account_settings;
mod addresses;
mod adversarial;
mod apps;
mod architecture;
mod audit;
mod binary;
mod carriers;
mod cart_lines;
mod catalyst;
mod catalyst_core;
mod checkout_billing;
mod checkout_coupons;
mod checkout_shipping;
mod commerce;
mod companies;
mod customers;
mod decisions;
mod dev_faults;
mod dev_mode;
mod dev_state;
mod durability;
mod gateway;
mod gateway_check;
mod graphql_auth;
mod graphql_limits;
mod graphql_plans;
mod graphql_scopes;
mod hosted_checkout;
mod hosted_checkout_limits;
mod hosted_checkout_providers;
mod lifecycle;
mod login_api;
mod management;
mod multi_instance;
mod newsletter;
mod order_details;
mod outage;
mod password_reset;
mod process;
mod real_clients;
mod rehearsal;
mod rest_checkout;
mod schema_coverage;
mod seeds;
mod store_assets;
mod store_clock;
mod store_settings;
mod storefront_pages;
mod tax_providers;
mod tokens;
mod wishlist_sharing;
