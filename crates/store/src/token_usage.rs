//! Token usage, the migration audit's evidence (SPEC §9, issue 19): counts per kind of request,
//! first and last use, and per token the origins, client IPs and operations seen. Accumulated
//! in memory and written here in batches, never per request; a token keeps at most
//! `MAX_VALUES_PER_DIMENSION` values per dimension, and counts the rest under `OTHER`.

use crate::{get, Result, Store};

/// Values kept per token and dimension; past it, uses count under `OTHER`.
pub const MAX_VALUES_PER_DIMENSION: i64 = 64;
/// Where uses of values past the bound are counted.
pub const OTHER: &str = "(other)";

/// Usage accumulated in memory and flushed in batches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenUsage {
    pub jti: String,
    /// 0 when unknown (then the first use is not moved).
    pub first_used_at: i64,
    pub last_used_at: i64,
    pub s2s: i64,
    pub browser: i64,
    pub details: Vec<UseDetail>,
}

/// Uses of one value of one dimension (`origin`, `ip`, `operation`) by a token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UseDetail {
    pub dimension: String,
    pub value: String,
    pub uses: i64,
    /// Scopes the value's requests needed (a `ScopeSet`'s index; operations only), or-ed.
    pub scopes: i64,
    pub first_used_at: i64,
    pub last_used_at: i64,
}

/// What the registry knows of a token's use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UseEvidence {
    pub first_used_at: Option<i64>,
    pub details: Vec<UseDetail>,
}

impl Store {
    /// Adds a batch of usage counts in one transaction.
    pub async fn record_usage(&self, batch: &[TokenUsage]) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool().begin().await?;
        for u in batch {
            sqlx::query(
                "UPDATE issued_tokens SET s2s_uses = s2s_uses + $1, browser_uses = browser_uses + $2,
                 last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < $3 THEN $3 ELSE last_used_at END,
                 first_used_at = CASE WHEN $5 = 0 THEN first_used_at WHEN first_used_at IS NULL OR first_used_at > $5 THEN $5 ELSE first_used_at END
                 WHERE jti = $4",
            )
            .bind(u.s2s)
            .bind(u.browser)
            .bind(u.last_used_at)
            .bind(&u.jti)
            .bind(u.first_used_at)
            .execute(&mut *tx)
            .await?;
            for d in &u.details {
                add_detail(&mut tx, &u.jti, d).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The first use and the details (most used first) of each of `jtis`, in two queries
    /// whatever their number; a token never used has default evidence.
    pub async fn use_evidence(&self, jtis: &[String]) -> Result<Vec<UseEvidence>> {
        if jtis.is_empty() {
            return Ok(Vec::new());
        }
        let list = (1..=jtis.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let first_sql =
            format!("SELECT jti, first_used_at FROM issued_tokens WHERE jti IN ({list})");
        let detail_sql = format!(
            "SELECT jti, dimension, value, uses, scopes, first_used_at, last_used_at FROM token_use_details
             WHERE jti IN ({list}) ORDER BY dimension, uses DESC, value"
        );
        let mut out: Vec<UseEvidence> = vec![UseEvidence::default(); jtis.len()];
        let index: std::collections::HashMap<&str, usize> = jtis
            .iter()
            .enumerate()
            .map(|(i, j)| (j.as_str(), i))
            .collect();
        let at = |jti: &str| index.get(jti).copied();
        let mut q = sqlx::query(&first_sql);
        for j in jtis {
            q = q.bind(j);
        }
        for r in q.fetch_all(self.pool()).await? {
            let jti: String = get(&r, "jti")?;
            if let Some(i) = at(&jti) {
                out[i].first_used_at = get(&r, "first_used_at")?;
            }
        }
        let mut q = sqlx::query(&detail_sql);
        for j in jtis {
            q = q.bind(j);
        }
        for r in q.fetch_all(self.pool()).await? {
            let jti: String = get(&r, "jti")?;
            let Some(i) = at(&jti) else { continue };
            out[i].details.push(UseDetail {
                dimension: get(&r, "dimension")?,
                value: get(&r, "value")?,
                uses: get(&r, "uses")?,
                scopes: get(&r, "scopes")?,
                first_used_at: get(&r, "first_used_at")?,
                last_used_at: get(&r, "last_used_at")?,
            });
        }
        Ok(out)
    }
}

/// Adds to a value's row; a new value gets a row while the token has room in that dimension,
/// else its uses go to `OTHER`.
async fn add_detail(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    jti: &str,
    d: &UseDetail,
) -> Result<()> {
    let bumped = sqlx::query(
        "UPDATE token_use_details SET uses = uses + $1, scopes = scopes | $2,
         first_used_at = CASE WHEN first_used_at > $3 THEN $3 ELSE first_used_at END,
         last_used_at = CASE WHEN last_used_at < $4 THEN $4 ELSE last_used_at END
         WHERE jti = $5 AND dimension = $6 AND value = $7",
    )
    .bind(d.uses)
    .bind(d.scopes)
    .bind(d.first_used_at)
    .bind(d.last_used_at)
    .bind(jti)
    .bind(&d.dimension)
    .bind(&d.value)
    .execute(&mut **tx)
    .await?;
    if bumped.rows_affected() > 0 {
        return Ok(());
    }
    let inserted = sqlx::query(
        "INSERT INTO token_use_details (jti, dimension, value, uses, scopes, first_used_at, last_used_at)
         SELECT $1, $2, $3, $4, $5, $6, $7
         WHERE $3 = $8 OR (SELECT COUNT(*) FROM token_use_details WHERE jti = $1 AND dimension = $2 AND value <> $8) < $9
         ON CONFLICT (jti, dimension, value) DO UPDATE SET uses = token_use_details.uses + excluded.uses,
           scopes = token_use_details.scopes | excluded.scopes, last_used_at = excluded.last_used_at",
    )
    .bind(jti)
    .bind(&d.dimension)
    .bind(&d.value)
    .bind(d.uses)
    .bind(d.scopes)
    .bind(d.first_used_at)
    .bind(d.last_used_at)
    .bind(OTHER)
    .bind(MAX_VALUES_PER_DIMENSION)
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() > 0 || d.value == OTHER {
        return Ok(());
    }
    let other = UseDetail {
        value: OTHER.into(),
        ..d.clone()
    };
    Box::pin(add_detail(tx, jti, &other)).await
}
