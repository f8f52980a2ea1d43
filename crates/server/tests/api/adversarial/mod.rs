//! Issue 15, SPEC §11: every class of attack on the server, one test each, named for it, each
//! driving the attack over HTTP against a running server (the real binary where a crash,
//! memory or connections are the point) and asserting the safe outcome. Concurrency cases
//! run concurrently; they run again on PostgreSQL in `.ci/run`'s second pass.

mod bodies;
mod crash;
mod exhaustion;
mod identity;
mod money;
mod outbound;
mod secrets;

use std::future::Future;

use serde_json::Value;

use crate::process::ServerProcess;

/// The real server binary on a fresh data directory with the demo data, and what an attacker
/// holding any valid token needs: a private token with `Unauthenticated`.
pub struct Target {
    pub server: ServerProcess,
    pub client: reqwest::Client,
    pub token: String,
    _dir: tempfile::TempDir,
}

impl Target {
    pub async fn start(envs: &[(&str, &str)]) -> Target {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().to_str().expect("path").to_string();
        let server = ServerProcess::start(&["--data-dir", &path], envs);
        let token = server.private_token(&["Unauthenticated"]).await;
        Target {
            server,
            client: reqwest::Client::new(),
            token,
            _dir: dir,
        }
    }

    /// `POST {path}` with the token and a JSON body: (status, body).
    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self
            .client
            .post(self.server.url(path))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .expect("send");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// The server's resident memory, from `/proc`.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.server.pid()))
            .expect("/proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }

    /// The process is alive and `/healthz` answers within `within`.
    pub async fn serving(&mut self, within: std::time::Duration) {
        assert!(self.server.is_running(), "the server process died");
        let started = std::time::Instant::now();
        let r = tokio::time::timeout(within, self.client.get(self.server.url("/healthz")).send())
            .await
            .expect("/healthz answered in time")
            .expect("/healthz");
        assert_eq!(r.status(), 200);
        assert!(started.elapsed() <= within);
    }

    /// A gauge or counter of `/metrics` (the first line starting with `series`).
    pub async fn metric(&self, series: &str) -> f64 {
        let text = self
            .client
            .get(self.server.url("/metrics"))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text");
        text.lines()
            .find_map(|l| l.strip_prefix(series))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {series} in /metrics"))
    }
}

/// Runs `f` on every item, `width` at a time, and returns the results in item order.
pub async fn concurrently<I, F, Fut, T>(items: Vec<I>, width: usize, f: F) -> Vec<T>
where
    I: Send + 'static,
    F: Fn(I) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(width));
    let mut tasks = Vec::with_capacity(items.len());
    for item in items {
        let (f, semaphore) = (f.clone(), semaphore.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = semaphore.acquire_owned().await.expect("permit");
            f(item).await
        }));
    }
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

/// The first error message of a GraphQL body.
pub fn first_error(body: &Value) -> &str {
    body["errors"][0]["message"].as_str().unwrap_or_default()
}
