//! `storefront-auth coupons`: a store's coupon codes, which shoppers apply at checkout.

use clap::Subcommand;
use storefront_auth_store::CouponRecord;

use super::{open, Output};
use crate::config::Config;
use crate::service::coupons;

#[derive(Subcommand)]
pub enum CouponsCmd {
    /// Adds a coupon.
    Add {
        #[arg(long)]
        store: String,
        /// The code shoppers enter (letters, digits, '-' and '_'; any case matches).
        #[arg(long)]
        code: String,
        /// percent (of the goods) or amount (off the order).
        #[arg(long)]
        kind: String,
        /// The percentage (e.g. 10) or the amount in dollars (e.g. 5.00).
        #[arg(long)]
        value: f64,
        /// How many orders may use it; 0 for no limit.
        #[arg(long, default_value_t = 0)]
        max_uses: i64,
    },
    /// Lists the store's coupons and their uses.
    List {
        #[arg(long)]
        store: String,
    },
    /// Removes a coupon (orders placed with it keep it).
    Remove {
        #[arg(long)]
        store: String,
        #[arg(long)]
        id: i64,
    },
}

pub async fn coupons(config: Config, cmd: CouponsCmd) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    match cmd {
        CouponsCmd::Add {
            store,
            code,
            kind,
            value,
            max_uses,
        } => {
            // Both a percentage (in basis points) and dollars (in cents) are hundredths.
            let amount = storefront_auth_core::money::price_cents(value)
                .ok_or_else(|| anyhow::anyhow!("{value} is not a positive amount."))?;
            let c = coupons::add(&domain, &store, &code, &kind, amount, max_uses).await?;
            Ok(Output(format!("Added coupon {}: {}", c.id, line(&c))))
        }
        CouponsCmd::List { store } => {
            let all = coupons::list(&domain, &store).await?;
            let lines: Vec<String> = all
                .iter()
                .map(|c| format!("{}\t{}", c.id, line(c)))
                .collect();
            Ok(Output(lines.join("\n")))
        }
        CouponsCmd::Remove { store, id } => {
            coupons::remove(&domain, &store, id).await?;
            Ok(Output(format!("Removed coupon {id}.")))
        }
    }
}

fn line(c: &CouponRecord) -> String {
    let off = match c.kind.as_str() {
        "percent" => format!("{}.{:02}% off", c.amount / 100, c.amount % 100),
        _ => format!("{} off", storefront_auth_core::money::format(c.amount)),
    };
    let limit = match c.max_uses {
        0 => "no limit".to_string(),
        n => format!("at most {n}"),
    };
    format!("{} ({off}; used {}, {limit})", c.code, c.uses)
}
