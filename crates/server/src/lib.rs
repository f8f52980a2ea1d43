//! Storefront Auth server: the HTTP surfaces over the policy (`storefront_auth_core`) and the
//! storage (`storefront_auth_store`). The binary (`main.rs`) is only the command line.
//!
//! Layers, each importing only those below it (`docs/ARCHITECTURE.md`; the `architecture`
//! test holds them):
//!
//! 1. foundation: `config`, `metrics`;
//! 2. the domain: `service` (every rule, over the `Domain` handle);
//! 3. HTTP plumbing shared by the surfaces: `http`;
//! 4. the surfaces: `ops`, `management`, `payments`, `graphql`, `storefront`, `dev`;
//! 5. assembly: `app` (the router and the server) and `cli`.

pub mod app;
pub mod cli;
pub mod config;
pub mod dev;
pub mod graphql;
pub mod http;
pub mod logs;
pub mod management;
pub mod metrics;
pub mod ops;
pub mod payments;
pub mod service;
pub mod storefront;
