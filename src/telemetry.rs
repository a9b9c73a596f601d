//! Logging set-up.

use tracing_subscriber::EnvFilter;

/// Installs the global `tracing` subscriber with `filter` (the `LOG` setting, e.g. `info,sqlx=warn`).
/// A second call (tests start many apps in one process) is a no-op. TLS libraries log every
/// handshake record at trace level (megabytes per database or mail connection): they stay at
/// `warn` unless `filter` names them itself (a later directive for the same target wins).
pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(format!("rustls=warn,tokio_rustls=warn,{filter}"))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
