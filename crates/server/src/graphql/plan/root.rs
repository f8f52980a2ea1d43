//! The plan's root: `Query { site channel customer }`, `Site { products product }`, `Channel`
//! and the signed-in `Customer`'s own fields. `Query` and `Site` fetch, so they are written by
//! the async functions here; everything below them is written from values in hand.

use async_graphql::ID;

use super::collect::{Compile, FieldRef, Sel, Selected, What};
use super::json::{Json, Leaf};
use super::{fields, nullable, object, Fallback, Write};
use crate::graphql::schema::catalog::{ProductConnection, ProductNode};
use crate::graphql::schema::customer::CustomerFields;
use crate::graphql::schema::products::{self as catalog, ProductsQuery};
use crate::graphql::schema::site::{self, Channel, Query, Site};
use crate::graphql::schema::GqlContext;
use storefront_auth_store::Customer;

#[derive(Debug)]
pub enum QueryField {
    Site(Sel<Site>),
    Channel(Sel<Channel>),
    Customer(Sel<Customer>),
}

impl Compile for Query {
    const NAME: &'static str = "Query";
    type Field = QueryField;
    fn compile(f: &FieldRef<'_>) -> Option<QueryField> {
        Some(match f.name {
            "site" => QueryField::Site(f.object::<Site>()?),
            "channel" => QueryField::Channel(f.object::<Channel>()?),
            "customer" => QueryField::Customer(f.object::<Customer>()?),
            _ => return None,
        })
    }
}

/// Writes the root object. The `site` fields fetch first, in response order; the writing
/// itself never waits.
pub async fn write_query(
    selected: &[Selected<QueryField>],
    gql: &GqlContext,
    out: &mut Json,
) -> Result<(), Fallback> {
    let mut sites = Vec::new();
    for s in selected {
        if let What::Field(QueryField::Site(sel)) = &s.what {
            sites.push(fetch_site(sel, gql).await?);
        }
    }
    let mut sites = sites.iter();
    fields(Query::NAME, selected, out, |field, out| match field {
        QueryField::Site(sel) => write_site(sel, sites.next().ok_or(Fallback)?, gql, out),
        QueryField::Channel(sel) => object(&Channel::of(gql), sel, gql, out),
        QueryField::Customer(sel) => {
            let customer = site::signed_in_customer(gql).map_err(|_| Fallback)?;
            nullable(customer, sel, gql, out)
        }
    })
}

#[derive(Debug)]
pub enum SiteField {
    Products(ProductsQuery, Sel<ProductConnection>),
    Product(ProductLookup, Sel<ProductNode>),
}

/// The arguments of `site.product`.
#[derive(Debug)]
pub struct ProductLookup {
    id: Option<ID>,
    entity_id: Option<i32>,
    sku: Option<String>,
}

impl Compile for Site {
    const NAME: &'static str = "Site";
    type Field = SiteField;
    fn compile(f: &FieldRef<'_>) -> Option<SiteField> {
        Some(match f.name {
            "products" => {
                // `hideOutOfStock` is accepted and, as by the resolver, not acted on.
                f.arg::<Option<bool>>("hideOutOfStock", None)?;
                let query = ProductsQuery::new(
                    f.arg("before", None)?,
                    f.arg("after", None)?,
                    f.arg("first", None)?,
                    f.arg("last", None)?,
                    f.arg("ids", Some(Vec::new))?,
                    f.arg("entityIds", Some(Vec::new))?,
                )
                // The resolver refuses these arguments; the executor says how.
                .ok()?;
                SiteField::Products(query, f.object::<ProductConnection>()?)
            }
            "product" => SiteField::Product(
                ProductLookup {
                    id: f.arg("id", None)?,
                    entity_id: f.arg("entityId", None)?,
                    sku: f.arg("sku", None)?,
                },
                f.object::<ProductNode>()?,
            ),
            _ => return None,
        })
    }
}

/// What the selected fields of one `site` fetch, in response order.
enum Fetched {
    Products(ProductConnection),
    Product(Option<Box<ProductNode>>),
}

async fn fetch_site(
    selected: &[Selected<SiteField>],
    gql: &GqlContext,
) -> Result<Vec<Fetched>, Fallback> {
    let mut fetched = Vec::with_capacity(selected.len());
    // Products' brands are read from the held catalog: the writes below find it in hand
    // (a catalog too large to hold leaves brands to the executor).
    if let Ok(Some(held)) = crate::service::catalog::held(&gql.domain, gql.store.id).await {
        let _ = gql.held.set(held);
    }
    for s in selected {
        let What::Field(field) = &s.what else {
            continue;
        };
        fetched.push(match field {
            SiteField::Products(query, _) => {
                Fetched::Products(catalog::products(gql, query).await.map_err(|_| Fallback)?)
            }
            SiteField::Product(l, _) => Fetched::Product(
                catalog::product(
                    gql,
                    l.id.as_ref().map(|id| id.as_str()),
                    l.entity_id,
                    l.sku.as_deref(),
                )
                .await
                .map_err(|_| Fallback)?
                .map(Box::new),
            ),
        });
    }
    Ok(fetched)
}

fn write_site(
    selected: &[Selected<SiteField>],
    fetched: &[Fetched],
    gql: &GqlContext,
    out: &mut Json,
) -> Result<(), Fallback> {
    let mut fetched = fetched.iter();
    fields(Site::NAME, selected, out, |field, out| {
        match (field, fetched.next()) {
            (SiteField::Products(_, sel), Some(Fetched::Products(c))) => object(c, sel, gql, out),
            (SiteField::Product(_, sel), Some(Fetched::Product(p))) => {
                nullable(p.as_deref(), sel, gql, out)
            }
            _ => Err(Fallback),
        }
    })
}

#[derive(Debug)]
pub enum ChannelField {
    EntityId,
}

impl Compile for Channel {
    const NAME: &'static str = "Channel";
    type Field = ChannelField;
    fn compile(f: &FieldRef<'_>) -> Option<ChannelField> {
        (f.name == "entityId").then_some(ChannelField::EntityId)
    }
}

impl Write for Channel {
    fn write(&self, field: &ChannelField, _: &GqlContext, out: &mut Json) -> Result<(), Fallback> {
        match field {
            ChannelField::EntityId => self.entity_id.write(out),
        }
        Ok(())
    }
}

#[derive(Debug)]
pub enum CustomerField {
    EntityId,
    Email,
    FirstName,
    LastName,
    Phone,
    Company,
    CustomerGroupId,
}

/// The signed-in customer, written from the stored record (`schema::customer::CustomerNode`
/// is the schema's view of it).
impl Compile for Customer {
    const NAME: &'static str = "Customer";
    type Field = CustomerField;
    fn compile(f: &FieldRef<'_>) -> Option<CustomerField> {
        Some(match f.name {
            "entityId" => CustomerField::EntityId,
            "email" => CustomerField::Email,
            "firstName" => CustomerField::FirstName,
            "lastName" => CustomerField::LastName,
            "phone" => CustomerField::Phone,
            "company" => CustomerField::Company,
            "customerGroupId" => CustomerField::CustomerGroupId,
            _ => return None,
        })
    }
}

impl Write for Customer {
    fn write(&self, field: &CustomerField, _: &GqlContext, out: &mut Json) -> Result<(), Fallback> {
        match field {
            CustomerField::EntityId => CustomerFields::entity_id(self).write(out),
            CustomerField::Email => self.email.write(out),
            CustomerField::FirstName => self.first_name.write(out),
            CustomerField::LastName => self.last_name.write(out),
            CustomerField::Phone => self.phone.write(out),
            CustomerField::Company => CustomerFields::company(self).write(out),
            CustomerField::CustomerGroupId => CustomerFields::customer_group_id(self).write(out),
        }
        Ok(())
    }
}
