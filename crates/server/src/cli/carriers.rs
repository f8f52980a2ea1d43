//! `storefront-auth carriers`: shipping carriers apps offer (the Shipping Provider API, SPEC
//! §12). A carrier registered here is offered to every store; merchants connect it with
//! `PUT /stores/{hash}/v2/shipping/carrier/connection`.

use clap::Subcommand;

use super::{open, Output};
use crate::config::Config;
use crate::service::carriers::{self, ConnectionField};

#[derive(Subcommand)]
pub enum CarriersCmd {
    /// Registers a carrier by its base URL (`{url}/check_connection_options` and `{url}/rate`
    /// are called).
    Register {
        /// The carrier's id, as stores name it: a-z, 0-9, - and _.
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        /// HTTPS to a public address, unless `outbound.allow` names the host.
        #[arg(long)]
        url: String,
        /// A connection field stores must give, as code:label (repeatable).
        #[arg(long = "field")]
        fields: Vec<String>,
        /// A connection field stores may give, as code:label (repeatable).
        #[arg(long = "optional-field")]
        optional_fields: Vec<String>,
    },
    /// Lists every registered carrier.
    List,
    /// Removes a carrier and every store's connection to it.
    Remove {
        #[arg(long)]
        id: String,
    },
}

fn field(spec: &str, required: bool) -> anyhow::Result<ConnectionField> {
    let (code, label) = spec
        .split_once(':')
        .ok_or_else(|| anyhow::anyhow!("a field is code:label, not {spec:?}"))?;
    Ok(ConnectionField {
        code: code.to_string(),
        label: label.to_string(),
        required,
    })
}

pub async fn carriers(config: Config, cmd: CarriersCmd) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    match cmd {
        CarriersCmd::Register {
            id,
            name,
            url,
            fields,
            optional_fields,
        } => {
            let mut all = Vec::new();
            for f in &fields {
                all.push(field(f, true)?);
            }
            for f in &optional_fields {
                all.push(field(f, false)?);
            }
            let c = carriers::register(&domain, &id, &name, &url, all, None).await?;
            Ok(Output(format!(
                "Registered carrier {} ({}) at {}",
                c.id, c.name, c.base_url
            )))
        }
        CarriersCmd::List => {
            let all = carriers::list(&domain, None).await?;
            let lines: Vec<String> = all
                .iter()
                .map(|c| {
                    let fields: Vec<String> = carriers::fields_of(c)
                        .iter()
                        .map(|f| format!("{}{}", f.code, if f.required { "" } else { "?" }))
                        .collect();
                    format!("{}\t{}\t{}\t{}", c.id, c.name, c.base_url, fields.join(","))
                })
                .collect();
            Ok(Output(lines.join("\n")))
        }
        CarriersCmd::Remove { id } => {
            carriers::remove(&domain, &id).await?;
            Ok(Output(format!("Removed carrier {id}.")))
        }
    }
}
