//! Operations shared by the CLI and the HTTP surfaces: what an operator or a client can ask
//! the product to do, with storage and policy wired together. No HTTP here.

pub mod accounts;
pub mod apps;
pub mod auto_token;
pub mod carts;
pub mod customers;
pub mod demo;
pub mod keys;
pub mod outbound;
pub mod passwords;
pub mod payments;
pub mod registration;
pub mod stores;
pub mod tokens;
