//! `OrderWithPayments`, the order `site.order` answers: an `Order` with the payments made for
//! it, each with the card's brand and last four digits.

use async_graphql::{
    Context, Enum, InputObject, MergedObject, Object, Result, SimpleObject, Union,
};
use storefront_auth_core::payment_card;
use storefront_auth_store::PaymentRecord;

use super::connection::{connection, PageRequest};
use super::money::Money;
use super::order::OrderNode;
use super::GqlContext;
use crate::service::orders;

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentResultStatus {
    Error,
    Failure,
    Pending,
    Success,
}

impl PaymentResultStatus {
    fn of(status: &str) -> Self {
        match status {
            "success" => PaymentResultStatus::Success,
            "declined" => PaymentResultStatus::Failure,
            _ => PaymentResultStatus::Error,
        }
    }
}

#[derive(InputObject, Clone, Debug, Default)]
pub struct PaymentsFiltersInput {
    pub status: Option<PaymentResultStatus>,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct CreditCardPaymentInstrument {
    pub brand: String,
    pub last4: String,
}

#[derive(SimpleObject, Clone, Debug)]
pub struct GiftCertificatePaymentInstrument {
    pub code: String,
}

#[derive(Union, Clone, Debug)]
pub enum PaymentInstrument {
    GiftCertificatePaymentInstrument(GiftCertificatePaymentInstrument),
    CreditCardPaymentInstrument(CreditCardPaymentInstrument),
}

#[derive(Clone, Debug)]
pub struct Payment(pub PaymentRecord);

#[Object]
impl Payment {
    /// The method the payment named (`payment_method_id` of the Payments API).
    async fn payment_method_id(&self) -> String {
        self.0.method_id.clone().unwrap_or_default()
    }
    async fn payment_method_name(&self) -> &'static str {
        payment_card::GATEWAY_NAME
    }
    async fn amount(&self) -> Money {
        Money::cents(self.0.amount_cents)
    }
    async fn detail(&self) -> Option<PaymentInstrument> {
        let (brand, last4) = (self.0.card_brand.clone()?, self.0.card_last4.clone()?);
        Some(PaymentInstrument::CreditCardPaymentInstrument(
            CreditCardPaymentInstrument { brand, last4 },
        ))
    }
}

connection!(PaymentsConnection, PaymentsEdge, Payment);

/// `payments` of `OrderWithPayments`.
pub struct OrderPayments {
    order_id: i64,
}

#[Object]
impl OrderPayments {
    /// The payments made for the order, oldest first, or those with the status asked for.
    async fn payments(
        &self,
        ctx: &Context<'_>,
        filters: Option<PaymentsFiltersInput>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> Result<PaymentsConnection> {
        let page = PageRequest::new(first, after, last, before)?;
        let gql = ctx.data::<GqlContext>()?;
        let wanted = filters.and_then(|f| f.status);
        // A payment's cursor is its position among the order's payments (from 1).
        let found: Vec<(i64, Payment)> = orders::payments(&gql.domain, self.order_id)
            .await?
            .into_iter()
            .filter(|p| wanted.is_none_or(|w| PaymentResultStatus::of(&p.status) == w))
            .enumerate()
            .map(|(i, p)| (i as i64 + 1, Payment(p)))
            .collect();
        let (items, info) = page.of(found, |(position, _)| *position);
        let items = items.into_iter().map(|(at, (_, p))| (at, p)).collect();
        Ok(PaymentsConnection::new(items, info, None))
    }
}

/// An order with the payments made for it: what `site.order` answers.
#[derive(MergedObject)]
pub struct OrderWithPayments(pub OrderNode, pub OrderPayments);

impl OrderWithPayments {
    pub fn new(order: OrderNode) -> Self {
        let order_id = order.0.id;
        OrderWithPayments(order, OrderPayments { order_id })
    }
}
