//! HTTP plumbing every surface shares: request bodies, client addresses, cookies, the REST
//! error envelope, headers, the connection listener, request logs and TLS. Nothing here knows
//! a surface.

pub mod body;
pub mod client;
pub mod cookies;
pub mod dev_certs;
pub mod error;
pub mod faults;
pub mod headers;
pub mod listener;
pub mod log_writer;
pub mod request_log;
pub mod serving;
pub mod storefront_host;
pub mod tls;
