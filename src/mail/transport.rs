//! Where messages go: an SMTP server through lettre's pooled async transport (`SMTP_URL`), or
//! `.eml` files in `DATA_DIR/outbox/` when no server is set. Failures are sorted into those
//! worth another try and those that are final.

use std::path::Path;

use lettre::address::Envelope;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Config;

/// How a try to send failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Worth another try later: the server is down or busy, a timeout, an SMTP 4xx answer.
    Temporary(String),
    /// The server refused it for good (SMTP 5xx: unknown mailbox, rejected): the address is
    /// not written to again.
    Refused(String),
    /// The message could not be made (e.g. a malformed address): no use trying again.
    Unsendable(String),
}

/// The configured transport, cheap to clone.
#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    /// From `SMTP_URL` (lettre's pool of connections), else the outbox folder,
    /// created if needed. Errors: a malformed URL, a folder that cannot be made.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        match &config.smtp_url {
            Some(url) => {
                // lettre hands a connection back to its pool on a spawned task: a pool no larger
                // than the senders is often empty when the next message starts, so it opens a
                // connection and closes another (measured: 72 connections for 10,000 messages
                // at 4; with room for twice as many, 5). The worker still sends at most
                // SMTP_CONCURRENCY messages at once.
                let pool = PoolConfig::new().max_size(config.smtp_concurrency.max(1) * 2);
                Ok(Self::Smtp(AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.pool_config(pool).build()))
            }
            None => {
                let folder = config.data_dir.join("outbox");
                std::fs::create_dir_all(&folder)?;
                Ok(Self::Files(AsyncFileTransport::new(Path::new(&folder))))
            }
        }
    }

    /// Sends one message, already formatted ([`Formatted::of`]).
    pub async fn send(&self, message: &Formatted) -> Result<(), Failure> {
        let Formatted { envelope, bytes } = message;
        match self {
            Self::Smtp(smtp) => smtp.send_raw(envelope, bytes).await.map(|_| ()).map_err(|err| {
                let text = err.to_string();
                if err.is_permanent() { Failure::Refused(text) } else { Failure::Temporary(text) }
            }),
            Self::Files(files) => {
                files.send_raw(envelope, bytes).await.map(|_| ()).map_err(|err| Failure::Temporary(err.to_string()))
            }
        }
    }
}

/// A message as it goes on the wire: its envelope and its bytes. Formatting (MIME, base64 of
/// the attachments) is done where the message is composed, off the async threads, not for each
/// try to send it.
#[derive(Debug, Clone)]
pub struct Formatted {
    envelope: Envelope,
    bytes: Vec<u8>,
}

impl Formatted {
    /// `message` with its envelope (sender, recipients) and its RFC 5322 bytes.
    pub fn of(message: &Message) -> Self {
        Self { envelope: message.envelope().clone(), bytes: message.formatted() }
    }
}
