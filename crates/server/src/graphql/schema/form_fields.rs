//! The account and address forms (`settings.formFields`): BigCommerce's built-in fields, with
//! its field ids (Catalyst lays its forms out by them), and the values a customer or address
//! holds in fields of the merchant's own (the stand-in has none: the lists are empty).

use async_graphql::{Enum, InputObject, Interface, Object, SimpleObject};

use super::scalars::{DateTime, DateTimeExtended};

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(rename_items = "PascalCase")]
pub enum BuiltInFormFieldId {
    AddressLine1,
    AddressLine2,
    City,
    CompanyName,
    ConfirmPassword,
    Country,
    CurrentPassword,
    EmailAddress,
    FirstName,
    LastName,
    Password,
    Phone,
    ReceiveMarketingEmails,
    State,
    Zip,
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct FormFieldFiltersInput {
    pub entity_ids: Option<Vec<i32>>,
    pub is_required: Option<bool>,
    pub is_built_in: Option<bool>,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum FormFieldSortInput {
    #[default]
    FieldId,
    SortOrder,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct FormFieldOption {
    pub entity_id: i32,
    pub label: String,
}

/// What every form field has.
#[derive(Clone, Debug)]
pub struct Field {
    pub entity_id: i32,
    pub label: &'static str,
    pub sort_order: i32,
    pub is_required: bool,
    pub built_in: BuiltInFormFieldId,
    pub max_length: Option<i32>,
}

macro_rules! field_kind {
    ($ty:ident, $($extra:tt)*) => {
        #[derive(Clone, Debug)]
        pub struct $ty(pub Field);

        #[Object]
        impl $ty {
            $($extra)*
            async fn entity_id(&self) -> i32 {
                self.0.entity_id
            }
            async fn label(&self) -> &str {
                self.0.label
            }
            async fn sort_order(&self) -> i32 {
                self.0.sort_order
            }
            async fn is_built_in(&self) -> bool {
                true
            }
            async fn is_required(&self) -> bool {
                self.0.is_required
            }
            async fn built_in_field_id(&self) -> Option<BuiltInFormFieldId> {
                Some(self.0.built_in)
            }
        }
    };
}

field_kind! {
    TextFormField,
    async fn default_text(&self) -> Option<String> {
        None
    }
    async fn max_length(&self) -> Option<i32> {
        self.0.max_length
    }
}

field_kind! {
    PasswordFormField,
    async fn default_text(&self) -> Option<String> {
        None
    }
    async fn max_length(&self) -> Option<i32> {
        self.0.max_length
    }
}

field_kind! {
    PicklistFormField,
    /// The picker's first, empty entry.
    async fn choose_prefix(&self) -> &str {
        "Choose a"
    }
    /// Countries and states are picked from `geography`, not from options here.
    async fn options(&self) -> Vec<FormFieldOption> {
        Vec::new()
    }
}

field_kind! {
    RadioButtonsFormField,
    async fn options(&self) -> Vec<FormFieldOption> {
        Vec::new()
    }
}

field_kind! {
    CheckboxesFormField,
    async fn options(&self) -> Vec<FormFieldOption> {
        Vec::new()
    }
}

field_kind! {
    DateFormField,
    async fn default_date(&self) -> Option<DateTime> {
        None
    }
    async fn min_date(&self) -> Option<DateTime> {
        None
    }
    async fn max_date(&self) -> Option<DateTime> {
        None
    }
}

field_kind! {
    NumberFormField,
    async fn default_number(&self) -> Option<f64> {
        None
    }
    async fn max_length(&self) -> Option<i32> {
        None
    }
    async fn min_number(&self) -> Option<i32> {
        None
    }
    async fn max_number(&self) -> Option<i32> {
        None
    }
}

field_kind! {
    MultilineTextFormField,
    async fn default_text(&self) -> Option<String> {
        None
    }
    async fn rows(&self) -> i32 {
        3
    }
}

// Every field of one type repeats `ty = "…"`, which clippy reads as a repeated attribute.
#[allow(clippy::duplicated_attributes)]
#[derive(Interface, Clone, Debug)]
#[graphql(
    field(name = "entity_id", ty = "i32"),
    field(name = "label", ty = "&str"),
    field(name = "sort_order", ty = "i32"),
    field(name = "is_built_in", ty = "bool"),
    field(name = "is_required", ty = "bool"),
    field(name = "built_in_field_id", ty = "Option<BuiltInFormFieldId>")
)]
pub enum FormField {
    TextFormField(TextFormField),
    PasswordFormField(PasswordFormField),
    PicklistFormField(PicklistFormField),
    RadioButtonsFormField(RadioButtonsFormField),
    CheckboxesFormField(CheckboxesFormField),
    DateFormField(DateFormField),
    NumberFormField(NumberFormField),
    MultilineTextFormField(MultilineTextFormField),
}

impl FormField {
    fn field(&self) -> &Field {
        match self {
            FormField::TextFormField(f) => &f.0,
            FormField::PasswordFormField(f) => &f.0,
            FormField::PicklistFormField(f) => &f.0,
            FormField::RadioButtonsFormField(f) => &f.0,
            FormField::CheckboxesFormField(f) => &f.0,
            FormField::DateFormField(f) => &f.0,
            FormField::NumberFormField(f) => &f.0,
            FormField::MultilineTextFormField(f) => &f.0,
        }
    }
}

/// (BigCommerce field id, label, required, built-in id, kind: t text, p password, l picklist)
type Row = (i32, &'static str, bool, BuiltInFormFieldId, char);

use BuiltInFormFieldId as B;

/// The account form: what registration and the account settings ask for.
const CUSTOMER: &[Row] = &[
    (1, "Email Address", true, B::EmailAddress, 't'),
    (2, "Password", true, B::Password, 'p'),
    (3, "Confirm Password", true, B::ConfirmPassword, 'p'),
    (4, "First Name", true, B::FirstName, 't'),
    (5, "Last Name", true, B::LastName, 't'),
    (6, "Company Name", false, B::CompanyName, 't'),
    (7, "Phone Number", false, B::Phone, 't'),
    (24, "Current Password", false, B::CurrentPassword, 'p'),
];

/// The address form (shipping and billing alike).
const ADDRESS: &[Row] = &[
    (4, "First Name", true, B::FirstName, 't'),
    (5, "Last Name", true, B::LastName, 't'),
    (6, "Company Name", false, B::CompanyName, 't'),
    (7, "Phone Number", false, B::Phone, 't'),
    (8, "Address Line 1", true, B::AddressLine1, 't'),
    (9, "Address Line 2", false, B::AddressLine2, 't'),
    (10, "Suburb/City", true, B::City, 't'),
    (11, "Country", true, B::Country, 'l'),
    (12, "State/Province", false, B::State, 'l'),
    (13, "Zip/Postcode", false, B::Zip, 't'),
];

fn fields(
    rows: &[Row],
    filters: Option<FormFieldFiltersInput>,
    sort: FormFieldSortInput,
) -> Vec<FormField> {
    let f = filters.unwrap_or_default();
    let mut out: Vec<FormField> = rows
        .iter()
        .enumerate()
        .map(|(i, (id, label, required, built_in, kind))| {
            let field = Field {
                entity_id: *id,
                label,
                sort_order: i as i32 + 1,
                is_required: *required,
                built_in: *built_in,
                max_length: Some(255),
            };
            match kind {
                'p' => FormField::PasswordFormField(PasswordFormField(field)),
                'l' => FormField::PicklistFormField(PicklistFormField(field)),
                _ => FormField::TextFormField(TextFormField(field)),
            }
        })
        .filter(|x| {
            let x = x.field();
            f.entity_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&x.entity_id))
                && f.is_required.is_none_or(|r| r == x.is_required)
                && f.is_built_in != Some(false)
        })
        .collect();
    match sort {
        FormFieldSortInput::FieldId => out.sort_by_key(|x| x.field().entity_id),
        FormFieldSortInput::SortOrder => out.sort_by_key(|x| x.field().sort_order),
    }
    out
}

/// `sortBy` is nullable with a default, as on the platform: Catalyst passes a variable it may
/// leave unset, and a null then sorts by field id.
#[derive(Clone, Copy, Debug)]
pub struct FormFields;

#[Object]
impl FormFields {
    async fn customer(
        &self,
        filters: Option<FormFieldFiltersInput>,
        #[graphql(default_with = "Some(FormFieldSortInput::FieldId)")] sort_by: Option<
            FormFieldSortInput,
        >,
    ) -> Vec<FormField> {
        fields(CUSTOMER, filters, sort_by.unwrap_or_default())
    }
    async fn shipping_address(
        &self,
        filters: Option<FormFieldFiltersInput>,
        #[graphql(default_with = "Some(FormFieldSortInput::FieldId)")] sort_by: Option<
            FormFieldSortInput,
        >,
    ) -> Vec<FormField> {
        fields(ADDRESS, filters, sort_by.unwrap_or_default())
    }
    async fn billing_address(
        &self,
        filters: Option<FormFieldFiltersInput>,
        #[graphql(default_with = "Some(FormFieldSortInput::FieldId)")] sort_by: Option<
            FormFieldSortInput,
        >,
    ) -> Vec<FormField> {
        fields(ADDRESS, filters, sort_by.unwrap_or_default())
    }
}

/// A value in a field of the merchant's own.
macro_rules! value_kind {
    ($ty:ident { $($field:ident: $t:ty),* }) => {
        #[derive(SimpleObject, Clone, Debug)]
        pub struct $ty {
            pub entity_id: i32,
            pub name: String,
            $(pub $field: $t),*
        }
    };
}

value_kind!(CheckboxesFormFieldValue { value_entity_ids: Vec<i32>, values: Vec<String> });
value_kind!(DateFormFieldValue {
    date: DateTimeExtended
});
value_kind!(MultipleChoiceFormFieldValue {
    value_entity_id: i32,
    value: String
});
value_kind!(NumberFormFieldValue { number: f64 });
value_kind!(PasswordFormFieldValue { password: String });
value_kind!(TextFormFieldValue { text: String });
value_kind!(MultilineTextFormFieldValue {
    multiline_text: String
});

#[allow(clippy::duplicated_attributes)]
#[derive(Interface, Clone, Debug)]
#[graphql(
    field(name = "entity_id", ty = "&i32"),
    field(name = "name", ty = "&String")
)]
pub enum CustomerFormFieldValue {
    CheckboxesFormFieldValue(CheckboxesFormFieldValue),
    DateFormFieldValue(DateFormFieldValue),
    MultipleChoiceFormFieldValue(MultipleChoiceFormFieldValue),
    NumberFormFieldValue(NumberFormFieldValue),
    PasswordFormFieldValue(PasswordFormFieldValue),
    TextFormFieldValue(TextFormFieldValue),
    MultilineTextFormFieldValue(MultilineTextFormFieldValue),
}
