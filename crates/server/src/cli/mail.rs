//! `storefront-auth mail list`: the mail a store's customers would have received (password
//! reset links), read from its outbox; the stand-in sends none itself.

use clap::Subcommand;

use super::{open, Output};
use crate::config::Config;
use crate::service::mail;

#[derive(Subcommand)]
pub enum MailCmd {
    /// The store's newest mails, newest first.
    List {
        #[arg(long)]
        store: String,
        /// How many (at most 1000).
        #[arg(long, default_value_t = 20)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn mail(config: Config, cmd: MailCmd) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    match cmd {
        MailCmd::List { store, limit, json } => {
            let mails = mail::outbox(&domain, &store, limit).await?;
            if json {
                let rows: Vec<_> = mails
                    .iter()
                    .map(|m| {
                        serde_json::json!({
                            "id": m.id,
                            "to": m.recipient,
                            "subject": m.subject,
                            "body": m.body,
                            "created_at": m.created_at,
                        })
                    })
                    .collect();
                return Ok(Output(serde_json::to_string_pretty(&rows)?));
            }
            let text: Vec<String> = mails
                .iter()
                .map(|m| {
                    let at = storefront_auth_core::clock::format_rfc3339(m.created_at);
                    format!(
                        "Mail {}\nDate: {at}\nTo: {}\nSubject: {}\n\n{}",
                        m.id, m.recipient, m.subject, m.body
                    )
                })
                .collect();
            Ok(Output(text.join("\n---\n")))
        }
    }
}
