//! The typed errors mutation results carry in their `errors` unions, shared by every
//! mutation that can report them.

use async_graphql::{Interface, SimpleObject};

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
error_type! {
    CustomerNotLoggedInError, CustomerAddressCreationError, AddressDoesNotExistError,
    CustomerAddressUpdateError, CustomerAddressDeletionError, EmailAlreadyInUseError,
    AccountCreationDisabledError, CustomerRegistrationError, NotFoundError
}

/// A cart that cannot be checked out (`CartError` in the schema; the name is the service's).
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "CartError")]
pub struct CartErrorObject {
    pub message: String,
}

/// BigCommerce's interface of every typed mutation error, so a client can read any error's
/// message with one `... on Error` (Catalyst does).
#[derive(Interface, Clone, Debug)]
#[graphql(field(name = "message", ty = "&String"))]
pub enum Error {
    ValidationError(ValidationError),
    CustomerNotLoggedInError(CustomerNotLoggedInError),
    CustomerAddressCreationError(CustomerAddressCreationError),
    AddressDoesNotExistError(AddressDoesNotExistError),
    CustomerAddressUpdateError(CustomerAddressUpdateError),
    CustomerAddressDeletionError(CustomerAddressDeletionError),
    EmailAlreadyInUseError(EmailAlreadyInUseError),
    AccountCreationDisabledError(AccountCreationDisabledError),
    CustomerRegistrationError(CustomerRegistrationError),
    NotFoundError(NotFoundError),
    CartError(CartErrorObject),
}
