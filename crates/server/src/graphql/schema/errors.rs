//! The typed errors mutation results carry in their `errors` unions, shared by every
//! mutation that can report them.

use async_graphql::{Interface, SimpleObject};

use crate::service::registration::{Field, Problem, MIN_PASSWORD};

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
    AccountCreationDisabledError, CustomerRegistrationError, NotFoundError,
    UnexpectedUpdateCustomerError, CustomerDoesNotExistError, CustomerPasswordError,
    CreateSubscriberEmailInvalidError, CreateSubscriberFirstNameInvalidError,
    CreateSubscriberLastNameInvalidError, CreateSubscriberAlreadyExistsError,
    CreateSubscriberUnexpectedError, RemoveSubscriberEmailInvalidError,
    RemoveSubscriberUnexpectedError, CustomerAlreadyReviewedProductError,
    NotAuthorizedToAddProductReviewError, ProductIdNotFoundError, UnexpectedAddReviewError
}

/// Review fields that were refused, by name.
#[derive(SimpleObject, Clone, Debug)]
pub struct InvalidInputFieldsError {
    pub fields: Vec<String>,
    pub message: String,
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
    UnexpectedUpdateCustomerError(UnexpectedUpdateCustomerError),
    CustomerDoesNotExistError(CustomerDoesNotExistError),
    CustomerPasswordError(CustomerPasswordError),
    CreateSubscriberEmailInvalidError(CreateSubscriberEmailInvalidError),
    CreateSubscriberFirstNameInvalidError(CreateSubscriberFirstNameInvalidError),
    CreateSubscriberLastNameInvalidError(CreateSubscriberLastNameInvalidError),
    CreateSubscriberAlreadyExistsError(CreateSubscriberAlreadyExistsError),
    CreateSubscriberUnexpectedError(CreateSubscriberUnexpectedError),
    RemoveSubscriberEmailInvalidError(RemoveSubscriberEmailInvalidError),
    RemoveSubscriberUnexpectedError(RemoveSubscriberUnexpectedError),
    CustomerAlreadyReviewedProductError(CustomerAlreadyReviewedProductError),
    NotAuthorizedToAddProductReviewError(NotAuthorizedToAddProductReviewError),
    ProductIdNotFoundError(ProductIdNotFoundError),
    InvalidInputFieldsError(InvalidInputFieldsError),
    UnexpectedAddReviewError(UnexpectedAddReviewError),
}

/// A registration problem as a `ValidationError` says it: the input field and the message;
/// `None` for a taken email, which has its own error type.
pub fn described(p: &Problem) -> Option<(&'static str, String)> {
    let name = |f: &Field| match f {
        Field::Email => "email",
        Field::FirstName => "firstName",
        Field::LastName => "lastName",
        Field::Password => "password",
        Field::Phone => "phone",
        Field::Group => "customerGroupId",
    };
    let (field, message) = match p {
        Problem::EmailInUse => return None,
        Problem::Invalid(Field::Email) => ("email", "Enter a valid email address.".into()),
        Problem::Required(Field::FirstName) => ("firstName", "First name is required.".into()),
        Problem::Required(Field::LastName) => ("lastName", "Last name is required.".into()),
        Problem::Required(Field::Password) | Problem::TooShort(Field::Password) => (
            "password",
            format!("Passwords must be at least {MIN_PASSWORD} characters."),
        ),
        Problem::TooLong(f) => (name(f), "This value is too long.".into()),
        Problem::Required(f) | Problem::Invalid(f) | Problem::TooShort(f) => {
            (name(f), "This value is invalid.".into())
        }
        Problem::UnknownGroup => ("customerGroupId", "No such customer group.".into()),
    };
    Some((field, message))
}
