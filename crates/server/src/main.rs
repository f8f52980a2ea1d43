//! `storefront-auth`: the command line. Verbs only; the work is in `storefront_auth::cli`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// mimalloc: the request path allocates many small, short-lived objects; glibc's malloc/free
/// were ~8 % of the server's samples under load (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use storefront_auth::cli::{self, Output};
use storefront_auth::config::{Config, ENV_PREFIX};

#[derive(Parser)]
#[command(
    name = "storefront-auth",
    version,
    about = "A BigCommerce-compatible storefront API authentication server"
)]
struct Cli {
    /// TOML configuration file (also STOREFRONT_AUTH_CONFIG).
    #[arg(long, global = true, env = "STOREFRONT_AUTH_CONFIG")]
    config: Option<PathBuf>,
    /// Directory of the embedded SQLite database.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// postgres://… to share one database between instances.
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Address to listen on, e.g. 127.0.0.1:4000.
    #[arg(long, global = true)]
    listen: Option<String>,
    /// Domain of storefront hosts (store-{hash}[-{channel}].{domain}).
    #[arg(long, global = true)]
    domain: Option<String>,
    /// Simulated current time (RFC 3339); time advances from it.
    #[arg(long, global = true)]
    clock: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (creates the demo store on an empty database unless --no-demo).
    Serve {
        #[arg(long)]
        no_demo: bool,
        /// Serve HTTPS with a local development CA and a certificate naming every store host
        /// (generated once in the data directory).
        #[arg(long)]
        dev_tls: bool,
        /// Serve HTTPS with this PEM certificate chain (with --tls-key).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Development mode: serve the control API under /_dev/ (isolated stores, minting),
        /// with its own credential printed at start.
        #[arg(long)]
        dev: bool,
        /// Seed this file (TOML, or JSON when named .json) on an empty database instead of
        /// the demo store; images are files next to it.
        #[arg(long, value_name = "FILE")]
        seed: Option<PathBuf>,
    },
    /// Stores.
    #[command(subcommand)]
    Stores(cli::StoresCmd),
    /// Channels of a store.
    #[command(subcommand)]
    Channels(cli::ChannelsCmd),
    /// API accounts.
    #[command(subcommand)]
    Accounts(cli::AccountsCmd),
    /// Customers.
    #[command(subcommand)]
    Customers(cli::CustomersCmd),
    /// Storefront API tokens.
    #[command(subcommand)]
    Tokens(cli::TokensCmd),
    /// The migration audit: each live token's verdict at a date, its evidence, what to do.
    Audit(cli::AuditArgs),
    /// Apps: register, install, load, uninstall.
    #[command(subcommand)]
    Apps(cli::AppsCmd),
    /// Signing keys.
    #[command(subcommand)]
    Keys(cli::KeysCmd),
    /// Mail the platform would have sent (password reset links), from a store's outbox.
    #[command(subcommand)]
    Mail(cli::MailCmd),
    /// Coupon codes shoppers apply at checkout.
    #[command(subcommand)]
    Coupons(cli::CouponsCmd),
    /// Shipping methods the checkout quotes.
    #[command(subcommand)]
    Shipping(cli::ShippingCmd),
    /// Shipping carriers stores connect (the Shipping Provider API).
    #[command(subcommand)]
    Carriers(cli::CarriersCmd),
    /// Tax providers stores connect (the Tax Provider API).
    #[command(subcommand)]
    TaxProviders(cli::TaxProvidersCmd),
    /// Private-token scopes of GraphQL documents.
    #[command(subcommand)]
    Scopes(cli::ScopesCmd),
    /// Print the GraphQL Storefront schema (SDL).
    Schema,
    /// Gateway mode: an upstream schema's scope map, the assertion key, sample assertions.
    #[command(subcommand)]
    Gateway(cli::GatewayCmd),
}

/// The command line's settings, as the configuration's highest layer.
fn flags(args: &Cli) -> BTreeMap<String, toml::Value> {
    let mut flags = BTreeMap::new();
    let mut flag = |k: &str, v: Option<toml::Value>| {
        if let Some(v) = v {
            flags.insert(k.to_string(), v);
        }
    };
    flag(
        "data_dir",
        args.data_dir
            .as_ref()
            .map(|p| toml::Value::String(p.display().to_string())),
    );
    flag(
        "database_url",
        args.database_url.clone().map(toml::Value::String),
    );
    flag("listen", args.listen.clone().map(toml::Value::String));
    flag("domain", args.domain.clone().map(toml::Value::String));
    flag("clock", args.clock.clone().map(toml::Value::String));
    if let Command::Serve {
        no_demo,
        dev_tls,
        tls_cert,
        tls_key,
        dev,
        seed,
    } = &args.command
    {
        if *dev {
            flag("dev.enabled", Some(toml::Value::Boolean(true)));
        }
        if *no_demo {
            flag("demo", Some(toml::Value::Boolean(false)));
        }
        if *dev_tls {
            flag("dev_tls", Some(toml::Value::Boolean(true)));
        }
        let path = |p: &Option<PathBuf>| {
            p.as_ref()
                .map(|p| toml::Value::String(p.display().to_string()))
        };
        flag("tls_cert", path(tls_cert));
        flag("tls_key", path(tls_key));
        flag("seed", path(seed));
    }
    flags
}

fn main() -> std::process::ExitCode {
    let args = Cli::parse();
    let flags = flags(&args);
    let env = std::env::vars().filter(|(k, _)| k.starts_with(ENV_PREFIX));
    let config = match Config::load(args.config.as_deref(), env, flags) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let Ok(runtime) = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    else {
        eprintln!("error: cannot start the async runtime");
        return std::process::ExitCode::FAILURE;
    };
    let result = runtime.block_on(async move {
        match args.command {
            Command::Serve { .. } => cli::serve(config).await,
            Command::Stores(c) => cli::stores(config, c).await,
            Command::Channels(c) => cli::channels(config, c).await,
            Command::Apps(c) => cli::apps(config, c).await,
            Command::Accounts(c) => cli::accounts(config, c).await,
            Command::Customers(c) => cli::customers(config, c).await,
            Command::Tokens(c) => cli::tokens(config, c).await,
            Command::Audit(a) => cli::audit(config, a).await,
            Command::Keys(c) => cli::keys(config, c).await,
            Command::Mail(c) => cli::mail(config, c).await,
            Command::Shipping(c) => cli::shipping(config, c).await,
            Command::TaxProviders(c) => cli::tax_providers(config, c).await,
            Command::Carriers(c) => cli::carriers(config, c).await,
            Command::Coupons(c) => cli::coupons(config, c).await,
            Command::Scopes(c) => cli::scopes(c),
            Command::Schema => Ok(Output(storefront_auth::graphql::schema::sdl())),
            Command::Gateway(c) => cli::gateway(config, c).await,
        }
    });
    match result {
        Ok(Output(text)) => {
            if !text.is_empty() {
                println!("{text}");
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
