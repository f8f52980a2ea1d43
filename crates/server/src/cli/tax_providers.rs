//! `storefront-auth tax-providers`: tax providers apps offer (the Tax Provider API, SPEC §12).
//! A provider registered here is offered to every store; merchants connect it with
//! `PUT /stores/{hash}/v3/tax/providers/{id}/connection`.

use clap::Subcommand;

use super::{open, Output};
use crate::config::Config;
use crate::service::tax_providers;

#[derive(Subcommand)]
pub enum TaxProvidersCmd {
    /// Registers a provider by its base URL (`{url}/estimate` and `{url}/commit` are called).
    Register {
        /// The provider's id, as stores name it: a-z, 0-9, - and _.
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        /// HTTPS to a public address, unless `outbound.allow` names the host.
        #[arg(long)]
        url: String,
    },
    /// Lists every registered provider.
    List,
    /// Removes a provider and every store's connection to it.
    Remove {
        #[arg(long)]
        id: String,
    },
}

pub async fn tax_providers(config: Config, cmd: TaxProvidersCmd) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    match cmd {
        TaxProvidersCmd::Register { id, name, url } => {
            let p = tax_providers::register(&domain, &id, &name, &url, None).await?;
            Ok(Output(format!(
                "Registered tax provider {} ({}) at {}",
                p.id, p.name, p.base_url
            )))
        }
        TaxProvidersCmd::List => {
            let all = tax_providers::list(&domain, None).await?;
            let lines: Vec<String> = all
                .iter()
                .map(|p| {
                    let offered = p
                        .owner_store_id
                        .map_or("every store".to_string(), |s| format!("store id {s}"));
                    format!("{}\t{}\t{}\t{offered}", p.id, p.name, p.base_url)
                })
                .collect();
            Ok(Output(lines.join("\n")))
        }
        TaxProvidersCmd::Remove { id } => {
            tax_providers::remove(&domain, &id).await?;
            Ok(Output(format!("Removed tax provider {id}.")))
        }
    }
}
