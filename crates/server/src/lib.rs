//! Storefront Auth server: the HTTP surfaces over the policy (`storefront_auth_core`) and the
//! storage (`storefront_auth_store`). The binary (`main.rs`) is only the command line.

pub mod app;
pub mod cache;
pub mod cli;
pub mod config;
pub mod cookies;
pub mod error;
pub mod listener;
pub mod log_writer;
pub mod login;
pub mod management;
pub mod metrics;
pub mod oauth;
pub mod ops;
pub mod payments;
pub mod ratelimit;
pub mod request_log;
pub mod service;
pub mod session_cache;
pub mod state;
pub mod storefront;
pub mod tls;
