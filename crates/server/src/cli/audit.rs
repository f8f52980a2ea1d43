//! `storefront-auth audit [--store H] [--at DATE] [--json]`: the migration audit (issue 19) of
//! one store or every store, as text for a person or as the management API's JSON.

use anyhow::anyhow;
use serde_json::Value;
use storefront_auth_core::clock::parse_day_or_time;

use super::{find_store, open, Output};
use crate::config::Config;
use crate::service::{audit, stores};

#[derive(clap::Args)]
pub struct AuditArgs {
    /// One store's hash; every store when left out.
    #[arg(long)]
    store: Option<String>,
    /// The date to judge at: `YYYY-MM-DD` or an RFC 3339 time (default: now).
    #[arg(long)]
    at: Option<String>,
    /// The management API's JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub async fn audit(config: Config, args: AuditArgs) -> anyhow::Result<Output> {
    let domain = open(&config).await?;
    let at = match &args.at {
        Some(a) => Some(
            parse_day_or_time(a)
                .ok_or_else(|| anyhow!("--at must be a day (2027-04-01) or an RFC 3339 time"))?,
        ),
        None => None,
    };
    let chosen = match &args.store {
        Some(hash) => vec![find_store(&domain, hash).await?],
        None => stores::list(&domain).await?,
    };
    let mut reports = Vec::new();
    for store in &chosen {
        // Without --at, each store is audited at its own time (its simulated clock, if any).
        let at = at.unwrap_or_else(|| domain.now_for(store.id));
        let (summary, audits) = audit::audit_all(&domain, store, at).await?;
        reports.push(audit::report(store, at, Some(&summary), &audits));
    }
    if args.json {
        let out = if args.store.is_some() {
            reports.remove(0)
        } else {
            Value::Array(reports)
        };
        return Ok(Output(serde_json::to_string_pretty(&out)?));
    }
    Ok(Output(
        reports.iter().map(text).collect::<Vec<_>>().join("\n"),
    ))
}

/// A report as lines: the store's summary, then each token's action, ways and evidence.
fn text(r: &Value) -> String {
    let s = &r["summary"];
    let breaking: Vec<String> = s["breaking"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| {
            format!(
                "{} break on {} ({} server-to-server requests a day)",
                b["tokens"],
                str(&b["on"]),
                b["server_to_server_requests_per_day"]
            )
        })
        .collect();
    let mut lines = vec![format!(
        "store {} at {}: {} live tokens{}",
        str(&r["store"]),
        str(&r["at"]),
        s["tokens"],
        if breaking.is_empty() {
            "; none breaks".to_string()
        } else {
            format!("; {}", breaking.join("; "))
        }
    )];
    for t in r["tokens"].as_array().into_iter().flatten() {
        lines.extend(token_lines(t));
    }
    lines.join("\n")
}

/// A token's action, then each way it was used, its end, its operations and its findings.
fn token_lines(t: &Value) -> Vec<String> {
    let v = &t["verdict"];
    let mut lines = vec![format!(
        "{} {}: {}",
        str(&t["id"]),
        str(&t["kind"]),
        str(&v["action"])
    )];
    for w in v["ways"].as_array().into_iter().flatten() {
        let verdict = if w["allowed"] == true {
            "allowed".to_string()
        } else {
            format!("refused ({})", str(&w["rule"]))
        };
        lines.push(format!(
            "  {} ({} uses): {verdict}",
            str(&w["way"]),
            w["uses"]
        ));
    }
    if let Some(day) = v["server_to_server_breaks_on"].as_str() {
        lines.push(format!("  server-to-server use ends on {day}"));
    }
    for o in t["evidence"]["operations"].as_array().into_iter().flatten() {
        let needs: Vec<&str> = o["needs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        lines.push(format!(
            "  ran {} {} × {} (needs {})",
            str(&o["way"]),
            str(&o["name"]),
            o["uses"],
            needs.join(", ")
        ));
    }
    for f in v["least_privilege"].as_array().into_iter().flatten() {
        lines.push(format!("  least privilege: {}", str(f)));
    }
    lines
}

fn str(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}
