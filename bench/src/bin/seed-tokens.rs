//! Fills the token registry of a store with N issued tokens (for the scaling run), fast: rows
//! are written in large transactions straight into the database the server uses.
//!
//! `seed-tokens --database-url URL --store HASH --count N`

use anyhow::{anyhow, Context};
use storefront_auth_store::{IssuedToken, Store};

fn arg(name: &str) -> Option<String> {
    std::env::args().skip_while(|a| a != name).nth(1)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = arg("--database-url").ok_or_else(|| anyhow!("--database-url is required"))?;
    let hash = arg("--store").unwrap_or_else(|| "demo".into());
    let count: usize = arg("--count")
        .ok_or_else(|| anyhow!("--count is required"))?
        .parse()
        .context("--count")?;
    let store = Store::open(&url).await?;
    let st = store
        .store_by_hash(&hash)
        .await?
        .ok_or_else(|| anyhow!("no store {hash}"))?;
    let now = storefront_auth_core::clock::system_now();
    let started = std::time::Instant::now();
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..count {
        batch.push(IssuedToken {
            jti: uuid::Uuid::new_v4().to_string(),
            store_id: st.id,
            kind: "private".into(),
            channels: vec![1],
            origins: vec![],
            scopes: Some(vec!["Unauthenticated".into()]),
            subject: "seed".into(),
            sub_type: 2,
            issued_at: now - (i as i64 % 86_400),
            expires_at: 2_147_483_647,
            revoked_at: None,
            last_used_at: None,
            s2s_uses: 0,
            browser_uses: 0,
        });
        if batch.len() == 10_000 || i + 1 == count {
            store.insert_tokens(&batch).await?;
            batch.clear();
        }
    }
    println!(
        "seeded {count} tokens in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
