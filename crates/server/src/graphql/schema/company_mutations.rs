//! `company.registerCompany` (SPEC §5.6): a signed-in customer registers a B2B company. A
//! guest is told so as a `ValidationError` (the platform's documented answer), or with
//! `MISSING_CUSTOMER_ACCESS_TOKEN` when the request asked for errors (SPEC §5.4).

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject, Union};
use storefront_auth_store::Address;

use super::errors::ValidationError;
use super::scalars::{BigDecimal, Long};
use super::GqlContext;
use crate::service::companies::{self, CompanyError, CompanyFile, CompanyRegistration};
use crate::service::companies::{ExtraField, ExtraValue};

#[derive(InputObject, Clone, Debug)]
pub struct MultipleChoiceExtraFieldInput {
    pub name: String,
    pub field_value: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct NumberExtraFieldInput {
    pub name: String,
    pub number: BigDecimal,
}

#[derive(InputObject, Clone, Debug)]
pub struct TextExtraFieldInput {
    pub name: String,
    pub text: String,
}

#[derive(InputObject, Clone, Debug)]
pub struct MultilineTextExtraFieldInput {
    pub name: String,
    pub multiline_text: String,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct CompanyExtraFieldsInput {
    pub multiple_choices: Option<Vec<MultipleChoiceExtraFieldInput>>,
    pub numbers: Option<Vec<NumberExtraFieldInput>>,
    pub texts: Option<Vec<TextExtraFieldInput>>,
    pub multiline_texts: Option<Vec<MultilineTextExtraFieldInput>>,
}

impl CompanyExtraFieldsInput {
    fn fields(self) -> Vec<ExtraField> {
        let field = |name: String, value| ExtraField { name, value };
        let mut all = Vec::new();
        all.extend(
            self.texts
                .unwrap_or_default()
                .into_iter()
                .map(|t| field(t.name, ExtraValue::Text(t.text))),
        );
        all.extend(
            self.multiline_texts
                .unwrap_or_default()
                .into_iter()
                .map(|t| field(t.name, ExtraValue::MultilineText(t.multiline_text))),
        );
        all.extend(
            self.multiple_choices
                .unwrap_or_default()
                .into_iter()
                .map(|c| field(c.name, ExtraValue::MultipleChoice(c.field_value))),
        );
        all.extend(
            self.numbers
                .unwrap_or_default()
                .into_iter()
                .map(|n| field(n.name, ExtraValue::Number(n.number.0.to_string()))),
        );
        all
    }
}

fn extra(input: Option<CompanyExtraFieldsInput>) -> Vec<ExtraField> {
    input
        .map(CompanyExtraFieldsInput::fields)
        .unwrap_or_default()
}

#[derive(InputObject, Clone, Debug)]
pub struct AddCompanyFileInput {
    pub file_id: String,
    pub file_url: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub file_size: Option<Long>,
}

#[derive(InputObject, Clone, Debug)]
pub struct AddCompanyUsersInput {
    pub extra_fields: Option<CompanyExtraFieldsInput>,
}

#[derive(InputObject, Clone, Debug)]
pub struct AddCompanyAddressInput {
    pub first_name: String,
    pub last_name: String,
    pub address1: String,
    pub address2: Option<String>,
    pub city: String,
    pub country_code: String,
    pub state_or_province: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub extra_fields: Option<CompanyExtraFieldsInput>,
}

#[derive(InputObject, Clone, Debug)]
pub struct RegisterCompanyInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub file_list: Option<Vec<AddCompanyFileInput>>,
    pub company_user: Option<AddCompanyUsersInput>,
    pub extra_fields: Option<CompanyExtraFieldsInput>,
    pub address: AddCompanyAddressInput,
}

impl RegisterCompanyInput {
    fn registration(self) -> CompanyRegistration {
        let a = self.address;
        CompanyRegistration {
            name: self.name,
            email: self.email,
            phone: self.phone,
            files: self
                .file_list
                .unwrap_or_default()
                .into_iter()
                .map(|f| CompanyFile {
                    file_id: f.file_id,
                    file_url: f.file_url,
                    file_name: f.file_name,
                    content_type: f.content_type,
                    file_size: f.file_size.map(|s| s.0),
                })
                .collect(),
            extra_fields: extra(self.extra_fields),
            user_extra_fields: extra(self.company_user.and_then(|u| u.extra_fields)),
            address_extra_fields: extra(a.extra_fields),
            address: Address {
                id: 0,
                first_name: a.first_name,
                last_name: a.last_name,
                company: None,
                address1: a.address1,
                address2: a.address2,
                city: a.city,
                state_or_province: a.state_or_province,
                postal_code: a.postal_code,
                country_code: a.country_code,
                phone: a.phone,
            },
        }
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompanyStatus {
    Approved,
    Deleted,
    Inactive,
    Pending,
    Rejected,
}

#[derive(Union, Clone, Debug)]
pub enum RegisterCompanyError {
    ValidationError(ValidationError),
}

#[derive(SimpleObject, Clone, Debug)]
pub struct RegisterCompanyResult {
    pub entity_id: Option<i32>,
    pub status: Option<CompanyStatus>,
    pub errors: Vec<RegisterCompanyError>,
}

fn refused(path: Vec<String>, message: String) -> RegisterCompanyResult {
    RegisterCompanyResult {
        entity_id: None,
        status: None,
        errors: vec![RegisterCompanyError::ValidationError(ValidationError {
            path,
            message,
        })],
    }
}

pub struct CompanyMutations;

#[Object]
impl CompanyMutations {
    /// Registers a company with the signed-in customer as its administrator; it waits for
    /// the merchant's approval (`PENDING`).
    async fn register_company(
        &self,
        ctx: &Context<'_>,
        input: RegisterCompanyInput,
    ) -> Result<RegisterCompanyResult> {
        let gql = ctx.data::<GqlContext>()?;
        let Some(customer) = gql.customer.as_ref() else {
            if gql.strict {
                gql.require_customer()?;
            }
            return Ok(refused(
                vec!["input".into()],
                "Customer not authenticated".into(),
            ));
        };
        let registration = input.registration();
        match companies::register(&gql.domain, customer, gql.channel.channel_id, registration).await
        {
            Ok(id) => Ok(RegisterCompanyResult {
                entity_id: Some(id as i32),
                status: Some(CompanyStatus::Pending),
                errors: Vec::new(),
            }),
            Err(CompanyError::Invalid { path, message }) => Ok(refused(path, message)),
            Err(e @ CompanyError::AlreadyMember) => {
                Ok(refused(vec!["input".into()], e.to_string()))
            }
            Err(CompanyError::Store(e)) => Err(e.into()),
        }
    }
}
