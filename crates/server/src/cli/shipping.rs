//! `storefront-auth shipping`: a store's shipping methods, which the checkout quotes to
//! shoppers (Catalyst's cart page estimates shipping with them).

use clap::Subcommand;

use super::{open, Output};
use crate::config::Config;
use crate::service::shipping_methods as shipping;

#[derive(Subcommand)]
pub enum ShippingCmd {
    /// Adds a shipping method.
    Add {
        #[arg(long)]
        store: String,
        /// What shoppers see, e.g. "Flat Rate".
        #[arg(long)]
        name: String,
        /// flat (per consignment), per_item (per unit shipped) or free.
        #[arg(long)]
        kind: String,
        /// The rate in dollars, e.g. 10.00 (none for free shipping).
        #[arg(long, default_value_t = 0.0)]
        rate: f64,
        /// Country codes it serves, comma-separated; everywhere when not given.
        #[arg(long, value_delimiter = ',')]
        countries: Vec<String>,
    },
    /// Lists the store's shipping methods.
    List {
        #[arg(long)]
        store: String,
    },
    /// Removes a shipping method.
    Remove {
        #[arg(long)]
        store: String,
        #[arg(long)]
        id: i64,
    },
}

pub async fn shipping(config: Config, cmd: ShippingCmd) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    match cmd {
        ShippingCmd::Add {
            store,
            name,
            kind,
            rate,
            countries,
        } => {
            let cents = storefront_auth_core::money::price_cents(rate)
                .ok_or_else(|| anyhow::anyhow!("{rate} is not an amount of dollars."))?;
            let m = shipping::add_method(&domain, &store, &name, &kind, cents, &countries).await?;
            Ok(Output(format!(
                "Added shipping method {}: {}",
                m.id,
                line(&m)
            )))
        }
        ShippingCmd::List { store } => {
            let methods = shipping::list_methods(&domain, &store).await?;
            let lines: Vec<String> = methods
                .iter()
                .map(|m| format!("{}\t{}", m.id, line(m)))
                .collect();
            Ok(Output(lines.join("\n")))
        }
        ShippingCmd::Remove { store, id } => {
            shipping::remove_method(&domain, &store, id).await?;
            Ok(Output(format!("Removed shipping method {id}.")))
        }
    }
}

fn line(m: &storefront_auth_store::ShippingMethodRecord) -> String {
    let countries = if m.countries.is_empty() {
        "everywhere"
    } else {
        &m.countries
    };
    let rate = storefront_auth_core::money::format(m.rate_cents);
    format!("{} ({} {rate}) to {countries}", m.name, m.kind)
}
