//! Command line and environment configuration (API.md, *Configuration*).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// `ngayhoi [SUBCOMMAND]`; every setting can also come from the environment variable named.
#[derive(Debug, Parser)]
#[command(name = "ngayhoi", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Run the web service (the default).
    Serve,
    /// Create or update the database schema, then exit.
    Migrate,
    /// Load demo data: one province, a few communes, hosts and their festivals.
    Demo,
    /// Create a user (the first admin, typically); migrates the database first if needed.
    CreateUser(NewUserArgs),
}

/// `ngayhoi create-user --email E --password P --role admin|province|commune|host [--unit CODE | --host ID] [--name NAME]`
#[derive(Debug, Clone, Args)]
pub struct NewUserArgs {
    #[arg(long)]
    pub email: String,
    /// At least 10 characters.
    #[arg(long)]
    pub password: String,
    /// admin, province, commune or host.
    #[arg(long)]
    pub role: String,
    /// Province code (role province) or commune code (role commune).
    #[arg(long)]
    pub unit: Option<String>,
    /// Host id (role host).
    #[arg(long)]
    pub host: Option<i32>,
    /// Full name; defaults to the part of the e-mail before `@`.
    #[arg(long)]
    pub name: Option<String>,
}

/// Settings shared by every subcommand. Defaults need no setting at all.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Database: `sqlite://PATH?mode=rwc` or `postgres://USER@HOST/DB`; default
    /// `sqlite://DATA_DIR/ngayhoi.db?mode=rwc` (`sqlite://data/ngayhoi.db?mode=rwc`).
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Address the HTTP server listens on; port 0 picks a free port.
    #[arg(long, env = "BIND_ADDR", default_value = "127.0.0.1:8080")]
    pub bind_addr: SocketAddr,
    /// Public address used in links (QR codes, e-mails, public pages); default `http://BIND_ADDR`.
    #[arg(long, env = "BASE_URL")]
    pub base_url: Option<String>,
    /// Folder for the SQLite file, the mail outbox and generated files.
    #[arg(long, env = "DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Failed logins allowed per account and per address in 15 minutes.
    #[arg(long, env = "LOGIN_RATE_LIMIT", default_value_t = 10)]
    pub login_rate_limit: u32,
    /// Public registrations and verification look-ups allowed per address per minute; 0 = no limit.
    #[arg(long, env = "PUBLIC_RATE_LIMIT", default_value_t = 30)]
    pub public_rate_limit: u32,
    /// Proxies whose `X-Forwarded-For` is believed, comma-separated addresses or CIDR blocks.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',', default_value = "127.0.0.0/8,::1/128")]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Mail server: `smtp://host:25` (plain), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS), `smtps://user:pass@host:465` (TLS). Unset: messages are written as `.eml`
    /// files into `DATA_DIR/outbox/`.
    #[arg(long, env = "SMTP_URL")]
    pub smtp_url: Option<String>,
    /// PEM file of a certificate authority to trust for the mail server, besides the public
    /// ones: for a relay whose certificate a private (e.g. ministry) CA signed.
    #[arg(long, env = "SMTP_CA_FILE")]
    pub smtp_ca_file: Option<PathBuf>,
    /// Messages in flight at once per instance, each on its own SMTP connection.
    #[arg(long, env = "MAIL_CONCURRENCY", default_value_t = 4)]
    pub mail_concurrency: u32,
    /// Most messages sent per second, for providers with limits; 0 = no limit.
    #[arg(long, env = "SMTP_RATE", default_value_t = 0)]
    pub smtp_rate: u32,
    /// Sender of every message, e.g. `Ngày hội phường Tân Phú <ngayhoi@tanphu.gov.vn>`.
    #[arg(long, env = "MAIL_FROM", default_value = "Ngày hội Toàn dân bảo vệ an ninh Tổ quốc <ngayhoi@localhost>")]
    pub mail_from: String,
    /// Tries before a message that keeps failing temporarily is given up as failed.
    #[arg(long, env = "MAIL_MAX_ATTEMPTS", default_value_t = 8)]
    pub mail_max_attempts: u32,
    /// Wait before the second try of a message that failed temporarily, in seconds; each
    /// further wait doubles (with ±25 % jitter), up to six hours.
    #[arg(long, env = "MAIL_RETRY_BASE_SECS", default_value_t = 30)]
    pub mail_retry_base_secs: u64,
    /// How long a message being sent stays with its instance, in seconds: after a crash, the
    /// messages it held are sent again once this has passed.
    #[arg(long, env = "MAIL_LEASE_SECS", default_value_t = 300)]
    pub mail_lease_secs: u64,
    /// Whether this instance sends mail (`false` for an instance that only serves requests).
    #[arg(long, env = "MAIL_WORKER", default_value_t = true, action = clap::ArgAction::Set)]
    pub mail_worker: bool,
    /// `tracing` filter, e.g. `info,sqlx=warn` or `debug`.
    #[arg(long, env = "LOG", default_value = "info,sqlx=warn")]
    pub log: String,
}

impl Config {
    /// Configuration with every default, for tests and tools.
    pub fn defaults() -> Self {
        Cli::parse_from(["ngayhoi"]).config
    }

    /// `DATABASE_URL`, or the SQLite file `ngayhoi.db` in `DATA_DIR`.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite://{}/ngayhoi.db?mode=rwc", self.data_dir.display()))
    }

    /// `BASE_URL` without a trailing slash, or `http://` + the actual listening address.
    pub fn base_url(&self, bound: SocketAddr) -> String {
        match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{bound}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Cli, Config};

    #[test]
    fn the_default_database_lives_in_the_data_dir() {
        let mut config = Config::defaults();
        assert_eq!(config.database_url(), "sqlite://data/ngayhoi.db?mode=rwc");
        config.data_dir = "/srv/ngayhoi".into();
        assert_eq!(config.database_url(), "sqlite:///srv/ngayhoi/ngayhoi.db?mode=rwc");
        config.database_url = Some("postgres://db/ngayhoi".into());
        assert_eq!(config.database_url(), "postgres://db/ngayhoi");
    }

    /// API.md, *Configuration*, names these variables and defaults; deployments rely on them.
    #[test]
    fn mail_settings_come_from_the_variables_api_md_names_with_its_defaults() {
        use clap::CommandFactory;
        let command = Cli::command();
        let variable = |id: &str| {
            let argument = command.get_arguments().find(|argument| argument.get_id() == id);
            argument.and_then(|argument| argument.get_env()).map(|name| name.to_string_lossy().into_owned())
        };
        for (id, name) in [
            ("smtp_url", "SMTP_URL"),
            ("mail_from", "MAIL_FROM"),
            ("mail_concurrency", "MAIL_CONCURRENCY"),
            ("mail_retry_base_secs", "MAIL_RETRY_BASE_SECS"),
            ("mail_max_attempts", "MAIL_MAX_ATTEMPTS"),
            ("mail_lease_secs", "MAIL_LEASE_SECS"),
        ] {
            assert_eq!(variable(id).as_deref(), Some(name), "{id}");
        }
        let config = Config::defaults();
        let mail =
            (config.mail_concurrency, config.mail_retry_base_secs, config.mail_max_attempts, config.mail_lease_secs);
        assert_eq!(mail, (4, 30, 8, 300));
    }
}
