//! `stores clock`: shows or changes a store's own simulated clock (issue 19). A running server
//! on the same database follows within a second.

use clap::Args;
use storefront_auth_core::clock::format_rfc3339;

use super::{find_store, Output};
use crate::service::store_clock::{self, ClockSetting, ClockView};
use crate::service::Domain;

#[derive(Args)]
pub struct ClockArgs {
    #[arg(long)]
    store: String,
    /// Sets the store's time: `YYYY-MM-DD` or an RFC 3339 time. It advances from there.
    #[arg(long, conflicts_with_all = ["advance", "real"])]
    at: Option<String>,
    /// Moves the store's time: whole seconds with an optional unit s, m, h, d or w (`90d`,
    /// `-1h`).
    #[arg(long, allow_hyphen_values = true, conflicts_with = "real")]
    advance: Option<String>,
    /// Puts the store back on the process clock.
    #[arg(long)]
    real: bool,
    /// The management API's JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub async fn clock(domain: &Domain, args: ClockArgs) -> anyhow::Result<Output> {
    let store = find_store(domain, &args.store).await?;
    let setting = match (&args.at, &args.advance, args.real) {
        (None, None, false) => None,
        (_, _, true) => Some(ClockSetting::Process),
        (at, advance, false) => Some(ClockSetting::parse(at.as_deref(), advance.as_deref())?),
    };
    if let Some(setting) = setting {
        store_clock::change(domain, &store, setting, "cli").await?;
    }
    let view = store_clock::show(domain, &store).await?;
    Ok(Output(if args.json {
        view.to_json().to_string()
    } else {
        text(&store.hash, &view)
    }))
}

fn text(hash: &str, view: &ClockView) -> String {
    let mut out = match view.offset {
        None => format!(
            "store {hash}: {} (the process clock)",
            format_rfc3339(view.now)
        ),
        Some(o) => format!(
            "store {hash}: {} (its own clock: real time {})",
            format_rfc3339(view.now),
            span(o)
        ),
    };
    if !view.changes.is_empty() {
        out.push_str("\nchanges, newest first:");
    }
    for c in &view.changes {
        out.push_str(&format!(
            "\n  {}  {}  {} -> {}",
            format_rfc3339(c.changed_at),
            c.changed_by,
            format_rfc3339(c.from_time),
            format_rfc3339(c.to_time)
        ));
    }
    out
}

/// `+130d 4h 0m 5s`, `-1h 0m 0s`.
fn span(seconds: i64) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (d, h, m, s) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60, s % 60);
    if d > 0 {
        format!("{sign}{d}d {h}h {m}m {s}s")
    } else {
        format!("{sign}{h}h {m}m {s}s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn spans() {
        assert_eq!(super::span(-3_600), "-1h 0m 0s");
        assert_eq!(super::span(130 * 86_400 + 4 * 3_600 + 5), "+130d 4h 0m 5s");
    }
}
