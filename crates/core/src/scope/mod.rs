//! Private-token scopes (SPEC §5.5): the scope names, sets of them, and the one declarative
//! table that says which GraphQL types and fields need which scope. Execution (the server's
//! scope extension) and static analysis (`analysis`) both read this table and nothing else.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Unauthenticated,
    Customer,
    B2B,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Unauthenticated, Scope::Customer, Scope::B2B];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Unauthenticated => "Unauthenticated",
            Scope::Customer => "Customer",
            Scope::B2B => "B2B",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of scopes. Scopes are independent: no scope implies another.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ScopeSet(u8);

impl ScopeSet {
    pub const EMPTY: ScopeSet = ScopeSet(0);
    /// How many distinct sets there are (`index` is below it).
    pub const COUNT: usize = 8;

    /// A number that tells this set from every other, below `COUNT`.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The set whose `index` is `i` (bits of no scope are dropped): how a set is stored.
    pub fn from_index(i: i64) -> ScopeSet {
        ScopeSet((i & 0b111) as u8)
    }

    pub fn contains(self, s: Scope) -> bool {
        self.0 & s.bit() != 0
    }
    pub fn insert(&mut self, s: Scope) {
        self.0 |= s.bit()
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// Does this set hold every scope of `other`?
    pub fn contains_all(self, other: ScopeSet) -> bool {
        self.0 & other.0 == other.0
    }
    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL.into_iter().filter(move |s| self.contains(*s))
    }
    pub fn names(self) -> Vec<String> {
        self.iter().map(|s| s.as_str().to_string()).collect()
    }
    /// Every subset of {Unauthenticated, Customer, B2B}, for exhaustive tests.
    pub fn all_subsets() -> impl Iterator<Item = ScopeSet> {
        (0u8..8).map(ScopeSet)
    }
}

impl Extend<Scope> for ScopeSet {
    fn extend<I: IntoIterator<Item = Scope>>(&mut self, iter: I) {
        for s in iter {
            self.insert(s);
        }
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        let mut set = ScopeSet::EMPTY;
        for s in iter {
            set.insert(s);
        }
        set
    }
}

use Scope::{Customer as C, Unauthenticated as U, B2B};

/// Object types and the scope their fields need. Types not listed (value types such as
/// `Money`, `PageInfo`, `Image`, connections, edges, mutation results, errors, introspection)
/// are neutral: they need nothing of their own.
pub const TYPE_SCOPES: &[(&str, Scope)] = &[
    // Everything under `site` and `channel`.
    ("Site", U),
    ("Settings", U),
    ("UrlField", U),
    ("Locale", U),
    ("CurrencySettings", U),
    ("CustomersSettings", U),
    ("PasswordComplexitySettings", U),
    ("StoreTextLogo", U),
    ("StoreImageLogo", U),
    ("Channel", U),
    ("Product", U),
    ("Prices", U),
    ("Brand", U),
    ("ProductInventory", U),
    ("Variant", U),
    ("Route", U),
    ("Redirect", U),
    ("ManualRedirect", U),
    ("ProductRedirect", U),
    ("Currency", U),
    ("CurrencyDisplay", U),
    ("CategoryTreeItem", U),
    ("Category", U),
    ("CategoryRedirect", U),
    ("BrandRedirect", U),
    ("PageRedirect", U),
    ("BlogPostRedirect", U),
    ("Reviews", U),
    ("AggregatedInventory", U),
    ("VariantInventory", U),
    ("Aggregated", U),
    ("InventoryByLocations", U),
    ("CatalogProductOption", U),
    ("CatalogProductOptionValue", U),
    ("MultipleChoiceOption", U),
    ("CheckboxOption", U),
    ("TextFieldOption", U),
    ("MultiLineTextFieldOption", U),
    ("NumberFieldOption", U),
    ("DateFieldOption", U),
    ("MultipleChoiceOptionValue", U),
    ("SwatchOptionValue", U),
    ("ProductPickListOptionValue", U),
    ("CustomField", U),
    ("ProductAvailability", U),
    ("ProductAvailable", U),
    ("ProductPreOrder", U),
    ("ProductUnavailable", U),
    ("CartDigitalItem", U),
    ("CartGiftCertificate", U),
    ("CartGiftCertificateSender", U),
    ("CartGiftCertificateRecipient", U),
    ("CartSelectedOption", U),
    ("CartSelectedMultipleChoiceOption", U),
    ("CartSelectedCheckboxOption", U),
    ("CartSelectedTextFieldOption", U),
    ("CartSelectedMultiLineTextFieldOption", U),
    ("CartSelectedNumberFieldOption", U),
    ("CartSelectedDateFieldOption", U),
    ("CheckoutShippingConsignment", U),
    ("CheckoutConsignmentAddress", U),
    ("CheckoutBillingAddress", U),
    ("CheckoutAvailableShippingOption", U),
    ("CheckoutSelectedShippingOption", U),
    ("CheckoutGiftCertificate", U),
    ("FormFields", U),
    ("FormField", U),
    ("FormFieldOption", U),
    ("TextFormField", U),
    ("PasswordFormField", U),
    ("PicklistFormField", U),
    ("RadioButtonsFormField", U),
    ("CheckboxesFormField", U),
    ("DateFormField", U),
    ("NumberFormField", U),
    ("MultilineTextFormField", U),
    ("SearchQueries", U),
    ("SearchProducts", U),
    ("SearchProductFilter", U),
    ("CategorySearchFilter", U),
    ("CategorySearchFilterItem", U),
    ("SubCategorySearchFilterItem", U),
    ("BrandSearchFilter", U),
    ("BrandSearchFilterItem", U),
    ("ProductAttributeSearchFilter", U),
    ("ProductAttributeSearchFilterItem", U),
    ("RatingSearchFilter", U),
    ("RatingSearchFilterItem", U),
    ("PriceSearchFilter", U),
    ("PriceSearchFilterItem", U),
    ("OtherSearchFilter", U),
    ("OtherSearchFilterItem", U),
    // Store settings and content.
    ("PrivacySettings", U),
    ("WebAnalytics", U),
    ("GA4Provider", U),
    ("ContactField", U),
    ("SocialMediaLink", U),
    ("InventorySettings", U),
    ("NewsletterSettings", U),
    ("ReviewsSettings", U),
    ("DisplayField", U),
    ("Storefront", U),
    ("Catalog", U),
    ("Shipping", U),
    ("SupportedShippingDestinations", U),
    ("GiftCertificateSettings", U),
    ("CustomAmountGiftCertificateSettings", U),
    ("Content", U),
    ("WebPage", U),
    ("NormalPage", U),
    ("ContactPage", U),
    ("RawHtmlPage", U),
    ("ExternalLinkPage", U),
    ("BlogIndexPage", U),
    ("BlogPost", U),
    ("Blog", U),
    ("FixedAmountGiftCertificateSettings", U),
    ("GiftCertificateExpirySettings", U),
    ("GiftCertificate", U),
    ("GiftCertificateCustomerInfo", U),
    ("Script", U),
    ("InlineScript", U),
    ("SrcScript", U),
    ("Geography", U),
    ("Country", U),
    ("StateOrProvince", U),
    ("Cart", U),
    ("CartLineItems", U),
    ("CartPhysicalItem", U),
    ("CartRedirectUrls", U),
    ("Checkout", U),
    // Cart, checkout and analytics mutations.
    ("CartMutations", U),
    ("CheckoutMutations", U),
    ("AnalyticsMutations", U),
    ("NewsletterMutations", U),
    ("CatalogMutations", U),
    ("Review", U),
    ("Author", U),
    // The signed-in customer and what belongs to them.
    ("Customer", C),
    ("CustomerAddress", C),
    ("Order", C),
    ("OrderStatus", C),
    ("OrderConsignments", C),
    ("OrderShippingConsignment", C),
    ("OrderPhysicalLineItem", C),
    ("OrderLineItemProductOption", C),
    ("OrderEmailConsignments", C),
    ("OrderGiftCertificateConsignment", C),
    ("OrderGiftCertificateLineItem", C),
    ("OrderWithPayments", C),
    ("OrderBillingAddress", C),
    ("OrderShippingAddress", C),
    ("OrderDiscounts", C),
    ("OrderCouponDiscount", C),
    ("Payment", C),
    ("CreditCardPaymentInstrument", C),
    ("GiftCertificatePaymentInstrument", C),
    ("OrderShipment", C),
    ("OrderShipmentLineItem", C),
    ("OrderShipmentUrlOnlyTracking", C),
    ("OrderShipmentNumberOnlyTracking", C),
    ("OrderShipmentNumberAndUrlTracking", C),
    ("CustomerFormFieldValue", C),
    ("CheckboxesFormFieldValue", C),
    ("DateFormFieldValue", C),
    ("MultipleChoiceFormFieldValue", C),
    ("NumberFormFieldValue", C),
    ("PasswordFormFieldValue", C),
    ("TextFormFieldValue", C),
    ("MultilineTextFormFieldValue", C),
    ("CustomerMutations", C),
    ("WishlistMutations", C),
    // A shared wishlist is for anyone with its link.
    ("PublicWishlist", U),
    // B2B.
    ("CompanyQueries", B2B),
    ("CompanyMutations", B2B),
    ("ActiveCompany", B2B),
    ("CompanyUser", B2B),
    ("CompanyAddress", B2B),
    ("ExtraFieldValue", B2B),
    ("TextExtraFieldValue", B2B),
    ("MultilineTextExtraFieldValue", B2B),
    ("MultipleChoiceExtraFieldValue", B2B),
    ("NumberExtraFieldValue", B2B),
];

mod neutral;
pub use neutral::NEUTRAL_TYPES;

/// The root types: each of their fields declares its requirement in `FIELD_SCOPES`.
pub const ROOT_TYPES: [&str; 2] = ["Query", "Mutation"];

/// Fields whose requirement differs from their owning type's: root fields declare theirs, and
/// a few fields carry a different scope than their type. `None` makes a field neutral (the
/// mutation namespaces, whose fields declare their own).
pub const FIELD_SCOPES: &[(&str, &str, Option<Scope>)] = &[
    ("Query", "site", Some(U)),
    ("Query", "channel", Some(U)),
    ("Query", "node", Some(U)),
    ("Query", "customer", Some(C)),
    ("Query", "company", Some(B2B)),
    ("Query", "geography", Some(U)),
    ("Mutation", "login", Some(C)),
    ("Mutation", "logout", Some(C)),
    ("Mutation", "loginWithCustomerLoginJwt", Some(C)),
    ("Mutation", "cart", None),
    ("Mutation", "checkout", None),
    ("Mutation", "customer", None),
    ("Mutation", "wishlist", None),
    ("Mutation", "analytics", None),
    ("Mutation", "newsletter", None),
    ("Mutation", "catalog", None),
    ("Mutation", "company", None),
    ("Mutation", "submitContactUs", Some(U)),
    ("Checkout", "order", Some(C)),
    ("Site", "order", Some(C)),
    ("CartMutations", "assignCartToCustomer", Some(C)),
    ("CartMutations", "unassignCartFromCustomer", Some(C)),
    ("WishlistMutations", "createWishlist", Some(U)),
    ("Customer", "activeCompany", Some(B2B)),
];

/// The scope a field needs, or `None` when it is neutral. Introspection is always neutral.
pub fn field_requirement(parent_type: &str, field: &str) -> Option<Scope> {
    if field.starts_with("__") || parent_type.starts_with("__") {
        return None;
    }
    if let Some((_, _, req)) = FIELD_SCOPES
        .iter()
        .find(|(t, f, _)| *t == parent_type && *f == field)
    {
        return *req;
    }
    type_requirement(parent_type)
}

pub fn type_requirement(type_name: &str) -> Option<Scope> {
    TYPE_SCOPES
        .iter()
        .find(|(t, _)| *t == type_name)
        .map(|(_, s)| *s)
}

#[cfg(test)]
mod tests;
