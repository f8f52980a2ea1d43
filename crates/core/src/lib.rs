//! The policy of Storefront Auth: token formats, keys, scopes and the decision of whether a
//! token may be used for a request. Pure code: no I/O, no HTTP, no database. Everything the
//! policy needs (the clock, a token's stored state, the request's signals) is passed in.

pub mod analysis;
pub mod audit;
pub mod carriers;
pub mod catalog;
pub mod clock;
pub mod coupons;
pub mod customer_login;
pub mod customer_session;
pub mod document;
pub mod ecdsa;
pub mod gateway_assertion;
pub mod gateway_document;
pub mod gateway_introspection;
pub mod gateway_restore;
pub mod gateway_scopes;
pub mod gateway_text;
pub mod graphql_request;
pub mod hs256;
pub mod keys;
pub mod money;
pub mod net;
pub mod password_reset;
pub mod payment_card;
pub mod policy;
pub mod request;
pub mod scope;
pub mod secret;
pub mod shipping;
pub mod tax;
pub mod token;
pub mod validate;

pub use clock::Clock;
pub use keys::{KeyRing, SigningKey};
pub use policy::{AuthFailure, Decision, DeprecationSchedule, Forbidden};
pub use request::RequestOrigin;
pub use scope::{Scope, ScopeSet};
pub use secret::Secret;
pub use token::{Claims, TokenKind};
