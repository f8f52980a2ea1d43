//! Real server processes (the built binary), for tests that need several instances, SIGKILL or
//! SIGTERM. Each reads its stdout on a thread so the pipe never blocks the server.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct ServerProcess {
    child: Child,
    lines: mpsc::Receiver<String>,
    pub seen: Vec<String>,
    pub base: String,
}

impl ServerProcess {
    /// Starts `storefront-auth <args> serve --listen 127.0.0.1:0` and waits until it listens.
    pub fn start(args: &[&str], envs: &[(&str, &str)]) -> ServerProcess {
        Self::start_serving(args, &[], envs)
    }

    /// Like `start`, with arguments of `serve` itself (such as `--dev-tls`).
    pub fn start_serving(
        args: &[&str],
        serve_args: &[&str],
        envs: &[(&str, &str)],
    ) -> ServerProcess {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_storefront-auth"));
        cmd.args(args)
            .args(["--listen", "127.0.0.1:0", "serve"])
            .args(serve_args)
            .env_remove("STOREFRONT_AUTH_CONFIG")
            .env(
                "STOREFRONT_AUTH_OUTBOUND__ALLOW",
                crate::helpers::LOOPBACK.join(","),
            )
            .stdout(Stdio::piped());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn server");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut p = ServerProcess {
            child,
            lines,
            seen: Vec::new(),
            base: String::new(),
        };
        let listening = p.until("listening on http");
        p.base = listening
            .trim()
            .rsplit(' ')
            .next()
            .expect("address")
            .to_string();
        p
    }

    /// The process id (for `/proc/{pid}/…`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running (it has not exited or been killed).
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Reads output until a line contains `needle`.
    pub fn until(&mut self, needle: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("server never printed {needle:?}; saw {:?}", self.seen));
            self.seen.push(line.clone());
            if line.contains(needle) {
                return line;
            }
        }
    }

    pub fn drain(&mut self) {
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(300)) {
            self.seen.push(line);
        }
    }

    /// A value printed as `  key: value` (the demo credentials).
    pub fn value(&self, key: &str) -> String {
        self.seen
            .iter()
            .find_map(|l| l.trim().strip_prefix(key))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("{key} not printed"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A private token with `scopes` for channel 1 of the demo store, made through the
    /// management API with the demo credentials this process printed.
    pub async fn private_token(&self, scopes: &[&str]) -> String {
        let made: serde_json::Value = reqwest::Client::new()
            .post(self.url("/stores/demo/v3/storefront/api-token-private"))
            .header("X-Auth-Token", self.value("access_token:"))
            .json(&serde_json::json!({ "channel_id": 1, "expires_at": 2_147_483_647, "scopes": scopes }))
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        made["data"]["token"].as_str().expect("token").to_string()
    }

    fn signal(&self, sig: &str) {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill")
            .args([sig, &pid])
            .status()
            .expect("kill")
            .success());
    }

    /// SIGTERM and wait: a graceful stop.
    pub fn terminate(mut self) -> (std::process::ExitStatus, Vec<String>) {
        self.signal("-TERM");
        let status = self.child.wait().expect("wait");
        self.drain();
        (status, std::mem::take(&mut self.seen))
    }

    /// SIGKILL: the process gets no chance to flush or finish anything.
    pub fn kill9(mut self) {
        self.signal("-KILL");
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// The PostgreSQL to use: TEST_DATABASE_URL, or the machine's local server (started if down).
pub fn postgres_base() -> String {
    if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
        return url;
    }
    let ready = || {
        Command::new("pg_isready")
            .args(["-h", "127.0.0.1", "-p", "5432", "-q"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if !ready() {
        let versions = std::fs::read_dir("/etc/postgresql")
            .expect("PostgreSQL is installed")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .next()
            .expect("a cluster");
        let _ = Command::new("pg_ctlcluster")
            .args(["--skip-systemctl-redirect", &versions, "main", "start"])
            .status();
        for _ in 0..30 {
            if ready() {
                break;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    }
    "postgres://postgres@127.0.0.1:5432/test".to_string()
}

/// A fresh schema on `base`, as a URL whose connections use it.
pub fn fresh_schema(base: &str) -> String {
    let schema = format!("api_{}", storefront_auth_core::secret::random_alnum(12));
    let out = Command::new("psql")
        .arg(base)
        .arg("-qc")
        .arg(format!("CREATE SCHEMA {schema}"))
        .output()
        .expect("psql");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}
