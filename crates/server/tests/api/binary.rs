//! The real binary: first start prints the demo credentials once, logs are structured with the
//! correlation id and never a secret, and SIGTERM shuts down gracefully.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

struct Served {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Served {
    fn start(dir: &std::path::Path) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_storefront-auth"))
            .args([
                "--data-dir",
                dir.to_str().expect("path"),
                "--listen",
                "127.0.0.1:0",
                "serve",
            ])
            .env("STOREFRONT_AUTH_LOG_FORMAT", "json")
            .env_remove("STOREFRONT_AUTH_CONFIG")
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Served {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Reads output until a line contains `needle`.
    fn until(&mut self, needle: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(20))
                .expect("server output");
            self.seen.push(line.clone());
            if line.contains(needle) {
                return line;
            }
        }
    }

    fn drain(&mut self) {
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(300)) {
            self.seen.push(line);
        }
    }

    fn value(&self, key: &str) -> String {
        self.seen
            .iter()
            .find_map(|l| l.trim().strip_prefix(key))
            .map(|v| v.trim().to_string())
            .expect(key)
    }

    fn terminate(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success());
        let status = self.child.wait().expect("wait");
        self.drain();
        (status, self.seen)
    }
}

#[tokio::test]
async fn serve_prints_credentials_once_logs_safely_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("dir");
    let mut served = Served::start(dir.path());
    let listening = served.until("listening on http://");
    let base = listening
        .trim()
        .rsplit(' ')
        .next()
        .expect("address")
        .to_string();
    let access_token = served.value("access_token:");
    assert_eq!(served.value("store_hash:"), "demo");

    let client = reqwest::Client::new();
    let token: Value = client
        .post(format!(
            "{base}/stores/demo/v3/storefront/api-token-private"
        ))
        .header("X-Auth-Token", &access_token)
        .json(
            &json!({ "channel_id": 1, "expires_at": 2_147_483_647, "scopes": ["Unauthenticated"] }),
        )
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let jwt = token["data"]["token"].as_str().expect("jwt").to_string();
    let jti = crate::helpers::decode(&jwt).1["jti"]
        .as_str()
        .expect("jti")
        .to_string();
    let correlation = "0b7cbd6e-3c4f-4e4e-8d0e-0b1b7f7e2a11";
    let r = client
        .post(format!("{base}/graphql"))
        .bearer_auth(&jwt)
        .header("X-Correlation-Id", correlation)
        .json(&json!({ "query": "{ channel { entityId } }" }))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    let line = served.until(correlation);
    let entry: Value = serde_json::from_str(&line).expect("json log line");
    assert_eq!(entry["fields"]["token_id"], jti.as_str());
    assert_eq!(entry["fields"]["kind"], "private");
    assert_eq!(entry["fields"]["decision"], "allow");

    let (status, lines) = served.terminate();
    assert!(status.success(), "graceful exit on SIGTERM: {status:?}");
    let all = lines.join("\n");
    assert!(!all.contains(&jwt), "a token appeared in the logs");
    assert_eq!(
        all.matches(&access_token).count(),
        1,
        "the access token is printed once, at creation, and never logged"
    );

    let mut again = Served::start(dir.path());
    again.until("listening on http://");
    let (_, lines) = again.terminate();
    assert!(
        !lines.join("\n").contains("Created the demo store"),
        "the demo store is created only on an empty database"
    );
}
