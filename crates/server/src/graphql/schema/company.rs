//! B2B types (`Query.company`, `Customer.activeCompany`), which need the B2B scope: the
//! signed-in customer's company as a company user sees it. The rules are `service::companies`.

use async_graphql::{Context, Enum, InputObject, Interface, Object, Result, SimpleObject};
use storefront_auth_store::{Address, Customer};

use super::connection::PageRequest;
use super::form_fields::CustomerFormFieldValue;
use super::GqlContext;
use crate::service::companies::{self, ExtraField, ExtraValue, Membership};
use crate::service::geography;

/// The most addresses one company page reads (a company has few; registration adds one).
const MAX_ADDRESSES: i64 = 1_000;

#[derive(SimpleObject, Clone, Debug)]
pub struct TextExtraFieldValue {
    pub text: String,
    pub name: String,
    pub field_entity_id: Option<i32>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct MultilineTextExtraFieldValue {
    pub multiline_text: String,
    pub name: String,
    pub field_entity_id: Option<i32>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct MultipleChoiceExtraFieldValue {
    pub value: String,
    pub name: String,
    pub field_entity_id: Option<i32>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct NumberExtraFieldValue {
    pub number: super::scalars::BigDecimal,
    pub name: String,
    pub field_entity_id: Option<i32>,
}

#[allow(clippy::duplicated_attributes)]
#[derive(Interface, Clone, Debug)]
#[graphql(
    field(name = "name", ty = "&String"),
    field(name = "field_entity_id", ty = "&Option<i32>")
)]
pub enum ExtraFieldValue {
    TextExtraFieldValue(TextExtraFieldValue),
    MultilineTextExtraFieldValue(MultilineTextExtraFieldValue),
    MultipleChoiceExtraFieldValue(MultipleChoiceExtraFieldValue),
    NumberExtraFieldValue(NumberExtraFieldValue),
}

/// Extra fields as the API shows them; the merchant defines no fields here, so none has an id.
pub fn extra_values(fields: &[ExtraField]) -> Vec<ExtraFieldValue> {
    fields
        .iter()
        .map(|f| {
            let (name, field_entity_id) = (f.name.clone(), None);
            match &f.value {
                ExtraValue::Text(text) => {
                    ExtraFieldValue::TextExtraFieldValue(TextExtraFieldValue {
                        text: text.clone(),
                        name,
                        field_entity_id,
                    })
                }
                ExtraValue::MultilineText(t) => {
                    ExtraFieldValue::MultilineTextExtraFieldValue(MultilineTextExtraFieldValue {
                        multiline_text: t.clone(),
                        name,
                        field_entity_id,
                    })
                }
                ExtraValue::MultipleChoice(value) => {
                    ExtraFieldValue::MultipleChoiceExtraFieldValue(MultipleChoiceExtraFieldValue {
                        value: value.clone(),
                        name,
                        field_entity_id,
                    })
                }
                ExtraValue::Number(n) => {
                    ExtraFieldValue::NumberExtraFieldValue(NumberExtraFieldValue {
                        number: super::scalars::BigDecimal(n.parse().unwrap_or(0.0)),
                        name,
                        field_entity_id,
                    })
                }
            }
        })
        .collect()
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CompanyUser {
    pub first_name: String,
    pub last_name: String,
    /// The company's name.
    pub company: String,
    pub phone_number: String,
    pub email: String,
    /// Values of the merchant's own customer fields (the stand-in defines none).
    pub form_fields: Vec<CustomerFormFieldValue>,
    pub extra_fields: Vec<ExtraFieldValue>,
    pub company_role_name: Option<String>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CompanyAddress {
    pub entity_id: i32,
    pub first_name: String,
    pub last_name: String,
    pub address1: String,
    pub address2: Option<String>,
    pub city: String,
    pub country: String,
    pub country_code: String,
    pub state_or_province: Option<String>,
    pub state_or_province_code: Option<String>,
    pub phone: Option<String>,
    pub postal_code: Option<String>,
    pub label: Option<String>,
    pub is_default_shipping: Option<bool>,
    pub is_default_billing: Option<bool>,
    pub is_billing: Option<bool>,
    pub is_shipping: Option<bool>,
    pub extra_fields: Vec<ExtraFieldValue>,
}

/// The registered address is the company's billing and shipping address and the default of
/// both (it is the only one registration gives).
fn address_node(a: Address, extra: &[ExtraField], with_extra: bool) -> CompanyAddress {
    let state = a
        .state_or_province
        .as_deref()
        .and_then(|s| geography::state(&a.country_code, s));
    CompanyAddress {
        entity_id: a.id as i32,
        country: geography::country_name(&a.country_code)
            .unwrap_or_default()
            .into(),
        state_or_province: state
            .map(|(name, _)| name.to_string())
            .or(a.state_or_province),
        state_or_province_code: state.map(|(_, code)| code.to_string()),
        first_name: a.first_name,
        last_name: a.last_name,
        address1: a.address1,
        address2: a.address2,
        city: a.city,
        country_code: a.country_code,
        phone: a.phone,
        postal_code: a.postal_code,
        label: None,
        is_default_shipping: Some(true),
        is_default_billing: Some(true),
        is_billing: Some(true),
        is_shipping: Some(true),
        extra_fields: if with_extra {
            extra_values(extra)
        } else {
            Vec::new()
        },
    }
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct CompanyAddressFiltersInput {
    pub is_default_shipping: Option<bool>,
    pub is_default_billing: Option<bool>,
    pub is_shipping: Option<bool>,
    pub is_billing: Option<bool>,
    pub search_query: Option<String>,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompanyAddressSortField {
    CreatedAt,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompanyAddressSortDirection {
    Asc,
    Desc,
}

#[derive(InputObject, Clone, Debug)]
pub struct CompanyAddressSortInput {
    pub field: CompanyAddressSortField,
    pub direction: CompanyAddressSortDirection,
}

impl CompanyAddressFiltersInput {
    fn keeps(&self, a: &CompanyAddress) -> bool {
        let flags = [
            (self.is_default_shipping, a.is_default_shipping),
            (self.is_default_billing, a.is_default_billing),
            (self.is_shipping, a.is_shipping),
            (self.is_billing, a.is_billing),
        ];
        let query = self.search_query.as_deref().map(str::trim).unwrap_or("");
        let text = [
            &a.first_name,
            &a.last_name,
            &a.address1,
            &a.city,
            &a.country,
        ];
        flags
            .iter()
            .all(|(want, has)| want.is_none_or(|w| Some(w) == *has))
            && (query.is_empty()
                || text
                    .iter()
                    .any(|t| t.to_lowercase().contains(&query.to_lowercase())))
    }
}

#[derive(Clone, Debug)]
pub struct CompanyAddressEdge {
    pub node: CompanyAddress,
    pub position: i64,
}

#[Object]
impl CompanyAddressEdge {
    async fn node(&self) -> &CompanyAddress {
        &self.node
    }
    async fn cursor(&self) -> String {
        super::connection::cursor(self.position)
    }
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CompanyAddressConnection {
    pub page_info: super::connection::PageInfo,
    pub edges: Option<Vec<CompanyAddressEdge>>,
}

/// The signed-in customer's company, as both `Query.company` and `Customer.activeCompany`
/// show it.
#[derive(Clone, Debug)]
pub struct CompanyView {
    membership: Membership,
    customer: Customer,
}

impl CompanyView {
    /// The customer's company, or `None` when they belong to none.
    pub async fn of(gql: &GqlContext, customer: &Customer) -> Result<Option<CompanyView>> {
        let found = companies::membership(&gql.domain, customer).await?;
        Ok(found.map(|membership| CompanyView {
            membership,
            customer: customer.clone(),
        }))
    }

    fn company_user(&self) -> CompanyUser {
        let (c, m) = (&self.customer, &self.membership);
        CompanyUser {
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            company: m.company.name.clone(),
            phone_number: c.phone.clone(),
            email: c.email.clone(),
            form_fields: Vec::new(),
            extra_fields: extra_values(&m.user_extra_fields),
            company_role_name: Some(m.role.clone()),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn addresses(
        &self,
        ctx: &Context<'_>,
        page: (Option<String>, Option<String>, Option<i32>, Option<i32>),
        filters: Option<CompanyAddressFiltersInput>,
        sort: Option<Vec<CompanyAddressSortInput>>,
        includes_extra_fields: bool,
    ) -> Result<CompanyAddressConnection> {
        let (before, after, first, last) = page;
        let page = PageRequest::new(first, after, last, before)?;
        let gql = ctx.data::<GqlContext>()?;
        let rows =
            companies::addresses(&gql.domain, self.membership.company.id, 0, MAX_ADDRESSES).await?;
        let filters = filters.unwrap_or_default();
        let mut kept: Vec<CompanyAddress> = rows
            .into_iter()
            .map(|(a, x)| address_node(a, &x, includes_extra_fields))
            .filter(|a| filters.keeps(a))
            .collect();
        let newest_first = sort
            .unwrap_or_default()
            .first()
            .is_some_and(|s| s.direction == CompanyAddressSortDirection::Desc);
        if newest_first {
            kept.reverse();
        }
        // Cursors are positions in the sorted, filtered list (1-based).
        let numbered: Vec<(i64, CompanyAddress)> = kept
            .into_iter()
            .enumerate()
            .map(|(i, a)| (i as i64 + 1, a))
            .collect();
        let (items, page_info) = page.of(numbered, |(n, _)| *n);
        Ok(CompanyAddressConnection {
            page_info,
            edges: Some(
                items
                    .into_iter()
                    .map(|(position, (_, node))| CompanyAddressEdge { node, position })
                    .collect(),
            ),
        })
    }
}

macro_rules! company_object {
    ($name:ident) => {
        pub struct $name(pub CompanyView);

        #[Object]
        impl $name {
            #[allow(clippy::too_many_arguments)]
            async fn addresses(
                &self,
                ctx: &Context<'_>,
                before: Option<String>,
                after: Option<String>,
                first: Option<i32>,
                last: Option<i32>,
                filters: Option<CompanyAddressFiltersInput>,
                sort: Option<Vec<CompanyAddressSortInput>>,
                #[graphql(default = false)] includes_extra_fields: bool,
            ) -> Result<CompanyAddressConnection> {
                let page = (before, after, first, last);
                self.0
                    .addresses(ctx, page, filters, sort, includes_extra_fields)
                    .await
            }

            /// The signed-in customer as a user of their company.
            async fn company_user(&self) -> Option<CompanyUser> {
                Some(self.0.company_user())
            }
        }
    };
}

company_object!(CompanyQueries);
company_object!(ActiveCompany);
