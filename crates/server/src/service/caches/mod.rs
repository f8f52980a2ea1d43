//! What the domain holds in memory, each bounded and each with its own freshness rule. Leaves:
//! they read the store they are given and know nothing of the rest of the domain.

pub mod catalog;
pub mod clocks;
pub mod decisions;
pub mod directory;
pub mod faults;
pub mod provider_answers;
pub mod sign_ins;
pub mod tokens;
pub mod usage;

pub use catalog::CatalogCache;
pub use clocks::StoreClocks;
pub use directory::Directory;
pub use faults::FaultBook;
pub use provider_answers::ProviderAnswers;
pub use sign_ins::SessionCache;
pub use tokens::TokenCache;
pub use usage::UsageCounters;
