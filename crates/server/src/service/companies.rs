//! B2B companies (SPEC §5.6 `company.registerCompany`): a signed-in customer registers a
//! company and becomes its administrator; `Customer.activeCompany` and `Query.company` then
//! show it. Every rule for what a registration may hold lives here.

use serde::{Deserialize, Serialize};
use storefront_auth_store::{
    Address, CompanyMembership, CompanyRecord, Customer, NewCompany, StoreError,
};

use super::addresses::{self, AddressError};
use super::Domain;

/// A new company waits for the merchant's approval (the platform's documented answer).
pub const NEW_STATUS: &str = "PENDING";
/// The registering customer's role in the company.
pub const ADMIN_ROLE: &str = "Admin";
/// The longest name, email or phone of a company.
pub const MAX_FIELD: usize = 255;
/// How many extra fields one group (company, user, address) may carry, and how many files.
pub const MAX_EXTRA_FIELDS: usize = 50;
pub const MAX_FILES: usize = 10;
/// The longest extra field value (a multi-line text).
pub const MAX_EXTRA_VALUE: usize = 5_000;

/// A merchant-defined field's value, as given and as shown back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraField {
    pub name: String,
    #[serde(flatten)]
    pub value: ExtraValue,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ExtraValue {
    Text(String),
    MultilineText(String),
    MultipleChoice(String),
    /// A decimal number, as its canonical text.
    Number(String),
}

/// A file attached to a registration (a reference to an upload; no bytes are kept).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyFile {
    pub file_id: String,
    pub file_url: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub file_size: Option<i64>,
}

/// What a customer submits to register a company.
#[derive(Clone, Debug, Default)]
pub struct CompanyRegistration {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub files: Vec<CompanyFile>,
    pub extra_fields: Vec<ExtraField>,
    pub user_extra_fields: Vec<ExtraField>,
    pub address: Address,
    pub address_extra_fields: Vec<ExtraField>,
}

#[derive(Debug, thiserror::Error)]
pub enum CompanyError {
    /// Bad input: the path of the field in the API's input and what is wrong.
    #[error("{message}")]
    Invalid { path: Vec<String>, message: String },
    #[error("You already belong to a company.")]
    AlreadyMember,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A company a customer belongs to, with its fields decoded.
#[derive(Clone, Debug)]
pub struct Membership {
    pub company: CompanyRecord,
    pub role: String,
    pub user_extra_fields: Vec<ExtraField>,
}

fn invalid(path: &[&str], message: impl Into<String>) -> CompanyError {
    CompanyError::Invalid {
        path: path.iter().map(|p| p.to_string()).collect(),
        message: message.into(),
    }
}

/// Registers the company with `customer` as its administrator: its id.
pub async fn register(
    domain: &Domain,
    customer: &Customer,
    channel_id: i64,
    r: CompanyRegistration,
) -> Result<i64, CompanyError> {
    let r = checked(r)?;
    let company = CompanyRecord {
        id: 0,
        channel_id,
        name: r.name,
        email: r.email,
        phone: r.phone,
        status: NEW_STATUS.into(),
        extra_fields: json(&r.extra_fields),
        files: json(&r.files),
    };
    let new = NewCompany {
        store_id: customer.store_id,
        customer_id: customer.id,
        company: &company,
        role: ADMIN_ROLE,
        user_extra_fields: &json(&r.user_extra_fields),
        address: &r.address,
        address_extra_fields: &json(&r.address_extra_fields),
    };
    domain
        .store()
        .register_company(&new, domain.now_for(customer.store_id))
        .await?
        .ok_or(CompanyError::AlreadyMember)
}

/// The company `customer` belongs to, if any.
pub async fn membership(
    domain: &Domain,
    customer: &Customer,
) -> Result<Option<Membership>, StoreError> {
    let found = domain
        .store()
        .company_of(customer.store_id, customer.id)
        .await?;
    Ok(found.map(|m: CompanyMembership| Membership {
        company: m.company,
        role: m.role,
        user_extra_fields: parsed(&m.user_extra_fields),
    }))
}

/// At most `limit` of the company's addresses after id `after`, with their extra fields.
pub async fn addresses(
    domain: &Domain,
    company_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<(Address, Vec<ExtraField>)>, StoreError> {
    let rows = domain
        .store()
        .company_addresses(company_id, after, limit)
        .await?;
    Ok(rows.into_iter().map(|(a, x)| (a, parsed(&x))).collect())
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// Extra fields as stored; what a newer version wrote and this one cannot read shows as none.
fn parsed(text: &str) -> Vec<ExtraField> {
    serde_json::from_str(text).unwrap_or_default()
}

fn checked(mut r: CompanyRegistration) -> Result<CompanyRegistration, CompanyError> {
    for (path, value) in [
        ("name", &mut r.name),
        ("email", &mut r.email),
        ("phone", &mut r.phone),
    ] {
        *value = value.trim().to_string();
        if value.is_empty() {
            return Err(invalid(&["input", path], format!("{path} is required.")));
        }
        if value.chars().count() > MAX_FIELD {
            return Err(invalid(
                &["input", path],
                format!("{path} is longer than {MAX_FIELD} characters."),
            ));
        }
    }
    if !storefront_auth_core::validate::is_email(&r.email) {
        return Err(invalid(
            &["input", "email"],
            "email is not an email address.",
        ));
    }
    check_files(&r.files)?;
    check_extra(&r.extra_fields, &["input", "extraFields"])?;
    check_extra(
        &r.user_extra_fields,
        &["input", "companyUser", "extraFields"],
    )?;
    check_extra(
        &r.address_extra_fields,
        &["input", "address", "extraFields"],
    )?;
    r.address = addresses::checked(r.address).map_err(|e| match e {
        AddressError::Invalid { path, message } => invalid(&["input", "address", path], message),
        other => invalid(&["input", "address"], other.to_string()),
    })?;
    Ok(r)
}

fn check_files(files: &[CompanyFile]) -> Result<(), CompanyError> {
    let path = ["input", "fileList"];
    if files.len() > MAX_FILES {
        return Err(invalid(
            &path,
            format!("At most {MAX_FILES} files may be attached."),
        ));
    }
    for f in files {
        let texts = [
            Some(&f.file_id),
            f.file_name.as_ref(),
            f.content_type.as_ref(),
        ];
        if f.file_id.trim().is_empty()
            || texts
                .iter()
                .flatten()
                .any(|t| t.chars().count() > MAX_FIELD)
            || f.file_url.as_ref().is_some_and(|u| u.len() > 2_048)
            || f.file_size.is_some_and(|s| s < 0)
        {
            return Err(invalid(
                &path,
                "Each file needs a fileId; names and types are at most 255 characters, URLs \
                 2048, and sizes are not negative.",
            ));
        }
    }
    Ok(())
}

fn check_extra(fields: &[ExtraField], path: &[&str]) -> Result<(), CompanyError> {
    if fields.len() > MAX_EXTRA_FIELDS {
        return Err(invalid(
            path,
            format!("At most {MAX_EXTRA_FIELDS} extra fields may be given."),
        ));
    }
    for f in fields {
        let value = match &f.value {
            ExtraValue::Text(v)
            | ExtraValue::MultilineText(v)
            | ExtraValue::MultipleChoice(v)
            | ExtraValue::Number(v) => v,
        };
        if f.name.trim().is_empty() || f.name.chars().count() > MAX_FIELD {
            return Err(invalid(
                path,
                "Each extra field needs a name of at most 255 characters.",
            ));
        }
        if value.chars().count() > MAX_EXTRA_VALUE {
            return Err(invalid(
                path,
                format!(
                    "The value of {} is longer than {MAX_EXTRA_VALUE} characters.",
                    f.name.chars().take(100).collect::<String>()
                ),
            ));
        }
    }
    Ok(())
}
