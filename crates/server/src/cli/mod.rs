//! What each command-line verb does (SPEC §10). Commands open the same database the server
//! uses, so an operator can manage a running server's data; the server picks up key rotations
//! and revocations within a second.

mod apps;
mod audit;
mod carriers;
mod coupons;
mod gateway;
mod mail;
mod records;
mod scopes;
mod shipping;
mod store_clock;
mod tax_providers;
mod tokens;

pub use apps::{apps, AppsCmd};
pub use audit::{audit, AuditArgs};
pub use carriers::{carriers, CarriersCmd};
pub use coupons::{coupons, CouponsCmd};
pub use gateway::{gateway, GatewayCmd};
pub use mail::{mail, MailCmd};
pub use records::{
    accounts, channels, customers, stores, AccountsCmd, ChannelsCmd, CustomersCmd, StoresCmd,
};
pub use shipping::{shipping, ShippingCmd};
pub use tax_providers::{tax_providers, TaxProvidersCmd};
pub use tokens::{keys, scopes, tokens, KeysCmd, ScopesCmd, TokensCmd};

use anyhow::{anyhow, Context};
use storefront_auth_store::StoreRecord;

use crate::app::AppState;
use crate::config::Config;
use crate::service::seed::{Assets, Seed, Seeded};
use crate::service::{self, Domain};

/// Text a command prints on success.
pub struct Output(pub String);

/// The domain over the configured database, as the server opens it.
async fn open(config: &Config) -> anyhow::Result<Domain> {
    Domain::open(config, None, std::sync::Arc::default())
        .await
        .context("opening the database")
}

async fn find_store(domain: &Domain, hash: &str) -> anyhow::Result<StoreRecord> {
    service::stores::find(domain, hash)
        .await?
        .ok_or_else(|| anyhow!("no store with hash {hash:?}"))
}

pub async fn serve(mut config: Config) -> anyhow::Result<Output> {
    let _log_guard = init_logging(&config.log_format);
    match crate::http::listener::raise_open_files_limit() {
        Ok(n) => tracing::debug!(open_files = n, "open files limit"),
        Err(e) => tracing::warn!(error = %e, "could not raise the open files limit"),
    }
    let listen = config.listen.clone();
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let domain = open(&config).await?;
    seed_at_start(&config, &domain).await?;
    let tls = if config.dev_tls {
        let (tls, dev) = crate::http::tls::dev_certificate(&domain, &config.data_dir).await?;
        print_dev_tls(&config.domain, &dev, listener.local_addr()?.port());
        Some(tls)
    } else {
        match (&config.tls_cert, &config.tls_key) {
            (Some(cert), Some(key)) => Some(crate::http::tls::from_files(cert, key)?),
            _ => None,
        }
    };
    let configured_dev_token = config.dev.token.is_some();
    let gateway = &mut config.gateway;
    crate::graphql::gateway::introspection::prepare(gateway)
        .await
        .map_err(|e| anyhow!(e))?;
    crate::graphql::gateway::introspection::spawn_recheck(gateway);
    let state = AppState::new(domain, config).map_err(|e| anyhow!("GraphQL schema: {e}"))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    if let Some((_, token)) = &state.dev {
        let shown = if configured_dev_token {
            "(dev.token)"
        } else {
            token.expose()
        };
        println!("Development mode: the control API is under /_dev/ (send X-Dev-Token: {shown})");
    }
    let server = crate::app::start_with(state, listener, tls).await?;
    // The handlers are in place before the address is announced: a SIGTERM that follows the
    // announcement at once (a supervisor, a test) still stops the server gracefully.
    let signal = shutdown_signal()?;
    println!("storefront-auth listening on {scheme}://{}", server.addr);
    let stopper = server.stopper();
    tokio::spawn(async move {
        signal.await;
        tracing::info!("shutting down: finishing in-flight requests");
        let _ = stopper.send(true);
    });
    server.wait().await?;
    Ok(Output(String::new()))
}

/// Seeds `--seed FILE` (one store or several), or the demo unless `--no-demo`, on an empty
/// database.
async fn seed_at_start(config: &Config, domain: &Domain) -> anyhow::Result<()> {
    let (seeds, assets) = match &config.seed {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the seed {}", path.display()))?;
            let json = path.extension().is_some_and(|e| e == "json");
            let seeds = Seed::parse_file(&text, json)
                .with_context(|| format!("the seed {} is not valid", path.display()))?;
            let dir = path
                .parent()
                .unwrap_or(std::path::Path::new("."))
                .to_path_buf();
            (seeds, Assets::Dir(dir))
        }
        None if config.demo => {
            let (seed, assets) = Seed::demo()?;
            (vec![seed], assets)
        }
        None => return Ok(()),
    };
    let seeded = service::demo::seed_if_empty_with(domain, &seeds, &assets)
        .await
        .map_err(|e| {
            anyhow!(
                "seeding {}: {e}",
                config
                    .seed
                    .as_ref()
                    .map_or("the demo".into(), |p| p.display().to_string())
            )
        })?;
    for (made, seed) in seeded.iter().zip(&seeds) {
        print_seeded(domain, made, seed);
    }
    Ok(())
}

fn print_seeded(domain: &Domain, seeded: &Seeded, seed: &Seed) {
    let store = &seeded.store;
    println!(
        "Created the store {} (shown once; access tokens are stored only as digests):",
        store.name
    );
    println!("  store_hash:    {}", store.hash);
    println!("  store_id:      {}", store.id);
    for a in &seeded.accounts {
        println!("  api account:   {}", a.name);
        println!("  client_id:     {}", a.client_id);
        println!("  client_secret: {}", a.client_secret);
        println!("  access_token:  {}", a.access_token);
    }
    for a in &seeded.apps {
        println!(
            "  app:           {} (client_id {}, client_secret {})",
            a.name, a.client_id, a.client_secret
        );
    }
    let channels = (1..=seed.channels.len().max(1) as i64).map(|c| {
        format!(
            "http://{} (channel {c})",
            domain.storefront_host(&store.hash, c)
        )
    });
    println!(
        "  storefront:    {}",
        channels.collect::<Vec<_>>().join(", ")
    );
    for c in &seed.customers {
        println!("  customer:      {} (password {})", c.email, c.password);
    }
}

/// How to trust the development CA and point clients at the HTTPS hosts.
fn print_dev_tls(domain: &str, dev: &crate::http::tls::DevTls, port: u16) {
    println!(
        "Development TLS: certificate for {} host names, signed by the local CA",
        dev.hosts.len()
    );
    println!("  ca_cert:       {}", dev.ca_path.display());
    println!("  trust it:      export NODE_EXTRA_CA_CERTS={}   (Node; Python requests: REQUESTS_CA_BUNDLE)", dev.ca_path.display());
    println!("  catalyst:      export BIGCOMMERCE_GRAPHQL_API_DOMAIN={domain}:{port}");
    println!("                 (the client then calls https://store-{{hash}}-{{channel}}.{domain}:{port}/graphql;");
    println!("                 make those names resolve to 127.0.0.1, e.g. in /etc/hosts)");
    for host in dev.hosts.iter().filter(|h| h.starts_with("store-")) {
        println!("  host:          https://{host}:{port}");
    }
}

/// Registers for SIGINT and SIGTERM now (registration in a task would leave a window in which
/// the default action, an abrupt exit, still applies) and returns the wait for either.
#[cfg(unix)]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut int = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
    let mut term = signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
    Ok(async move {
        tokio::select! { _ = int.recv() => {}, _ = term.recv() => {} }
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Logs go to stdout in batches written by a thread of their own (`log_writer`), so a request
/// never waits on the terminal or pipe and lines are not dropped. Keep the guard until exit:
/// dropping it flushes.
pub fn init_logging(format: &str) -> crate::http::log_writer::FlushGuard<std::io::Stdout> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("STOREFRONT_AUTH_LOG")
        .unwrap_or_else(|_| "info".into());
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let (writer, guard) = crate::http::log_writer::batched(std::io::stdout());
    let request_lines = if format == "json" {
        crate::http::request_log::Format::Json
    } else {
        crate::http::request_log::Format::Text
    };
    crate::http::request_log::install(writer.clone(), request_lines);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(writer);
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    guard
}
