//! The typed errors mutation results carry in their `errors` unions, shared by every
//! mutation that can report them.

use async_graphql::SimpleObject;

/// A field of the input that was refused, named by its path in the input.
#[derive(SimpleObject, Clone, Debug)]
pub struct ValidationError {
    pub path: Vec<String>,
    pub message: String,
}

macro_rules! error_type {
    ($($name:ident),*) => {$(
        #[derive(SimpleObject, Clone, Debug)]
        pub struct $name {
            pub message: String,
        }
    )*};
}
error_type! { CustomerNotLoggedInError, CustomerAddressCreationError, AddressDoesNotExistError, CustomerAddressUpdateError, CustomerAddressDeletionError }
