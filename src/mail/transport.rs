//! Where messages go: an SMTP server (`SMTP_URL`) over a few long-lived lettre connections,
//! or `.eml` files in `DATA_DIR/outbox/` when no server is set. Failures are sorted into
//! those worth another try and those that are final.
//!
//! Why not lettre's `AsyncSmtpTransport` pool: it sends a NOOP before every reuse of a
//! connection, hands connections back on spawned tasks and opens more than it keeps;
//! `mail_bench` measured it at 6,650–6,950 messages/s on 5–6 connections where the same lettre
//! connections, kept by [`Relay`], send 7,240–8,610 on 4 (postfix's `smtp-source`: 10,490–
//! 12,350). The SMTP commands, STARTTLS and AUTH are still lettre's ([`AsyncSmtpConnection`]);
//! only the keeping of connections, the order of a transaction's commands (to know which
//! one was refused) and the reading of `SMTP_URL` are ours.

use std::borrow::Cow;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, Tls, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::{SMTP_PORT, SUBMISSION_PORT, SUBMISSIONS_PORT};
use lettre::{AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Config;

/// How a try to send failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Worth another try later: the server is down, busy or misconfigured (TLS, password), a
    /// timeout, an SMTP 4xx answer.
    Temporary(String),
    /// The server refused the recipient's mailbox for good (SMTP 5xx to RCPT: unknown
    /// mailbox): the address is not written to again.
    Refused(String),
    /// The server refused this message for good, not its recipient (SMTP 5xx to MAIL or DATA:
    /// the sender is not allowed, the message is too large or taken for spam): the message
    /// fails, the address stays usable.
    Rejected(String),
    /// The message could not be made (e.g. a malformed address): no use trying again.
    Unsendable(String),
    /// Not tried: the server failed moments ago and is not tried again before `until`
    /// ([`Relay`]'s wait). The message waits until then, and this does not count as a try.
    Deferred { reason: String, until: chrono::DateTime<chrono::Utc> },
}

/// The configured transport, cheap to clone.
#[derive(Clone)]
pub enum Mailer {
    Smtp(Arc<Relay>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    /// From `SMTP_URL` (and `SMTP_CA_FILE`), else the outbox folder, created if needed.
    /// Errors: a malformed URL, an unreadable CA file, a folder that cannot be made.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        match &config.smtp_url {
            Some(url) => {
                let authority = match &config.smtp_ca_file {
                    Some(path) => {
                        let pem = std::fs::read(path).with_context(|| format!("SMTP_CA_FILE {}", path.display()))?;
                        // lettre takes a PEM without certificates (a key, say) and trusts nothing.
                        anyhow::ensure!(
                            pem.windows(27).any(|window| window == b"-----BEGIN CERTIFICATE-----"),
                            "SMTP_CA_FILE {} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                            path.display()
                        );
                        Some(Certificate::from_pem(&pem).with_context(|| format!("SMTP_CA_FILE {}", path.display()))?)
                    }
                    None => None,
                };
                Ok(Self::Smtp(Arc::new(Relay::new(SmtpServer::parse(url, authority)?))))
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
            Self::Smtp(relay) => relay.send(envelope, bytes).await,
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

/// Wait for each step of the SMTP dialogue (lettre's default).
const SMTP_TIMEOUT: Duration = Duration::from_secs(60);

/// A connection idle this long is asked for NOOP before it is used again: the server may have
/// closed it. One used a moment ago is not (the NOOP would cost a round trip per message).
const CHECK_AFTER: Duration = Duration::from_secs(2);

/// Connections idle this long are closed with QUIT, well before servers time them out
/// (RFC 5321 §4.5.3.2.7 asks servers to wait at least 5 minutes).
pub const IDLE_LIMIT: Duration = Duration::from_secs(30);

/// The mail server of `SMTP_URL`, in the forms lettre's `from_url` takes:
/// `smtp://host[:25]` (plain), `smtp://host[:587]?tls=required` or `?tls=opportunistic`
/// (STARTTLS), `smtps://host[:465]` (TLS from the start); `user:password@` (percent-encoded)
/// for AUTH PLAIN or LOGIN; a path (`smtp://host/name.example`) names this side in EHLO.
#[derive(Debug, Clone)]
pub struct SmtpServer {
    host: String,
    port: u16,
    tls: Tls,
    credentials: Option<Credentials>,
    hello: ClientId,
}

impl SmtpServer {
    /// Parses `url`; `authority` is a certificate authority trusted besides the public ones
    /// (a relay with a private CA). Errors: not a URL, no host, an unknown scheme or `tls`.
    pub fn parse(url: &str, authority: Option<Certificate>) -> anyhow::Result<Self> {
        let url = url::Url::parse(url).context("SMTP_URL")?;
        let host = url.host_str().context("SMTP_URL has no host")?.to_owned();
        let tls_parameters = || -> anyhow::Result<TlsParameters> {
            let builder = TlsParameters::builder(host.clone());
            let builder = match authority.clone() {
                Some(authority) => builder.add_root_certificate(authority),
                None => builder,
            };
            Ok(builder.build()?)
        };
        let tls_query = url.query_pairs().find(|(key, _)| key == "tls").map(|(_, value)| value.into_owned());
        let (port, tls) = match (url.scheme(), tls_query.as_deref()) {
            ("smtp", None) => (SMTP_PORT, Tls::None),
            ("smtp", Some("required")) => (SUBMISSION_PORT, Tls::Required(tls_parameters()?)),
            ("smtp", Some("opportunistic")) => (SUBMISSION_PORT, Tls::Opportunistic(tls_parameters()?)),
            ("smtps", None) => (SUBMISSIONS_PORT, Tls::Wrapper(tls_parameters()?)),
            (scheme, tls) => anyhow::bail!(
                "SMTP_URL: scheme {scheme:?} with tls={tls:?}; expected smtp://, smtp://…?tls=required, \
                 smtp://…?tls=opportunistic or smtps://"
            ),
        };
        let decode = |text: &str| -> anyhow::Result<String> {
            Ok(percent_encoding::percent_decode_str(text).decode_utf8().map(Cow::into_owned)?)
        };
        let credentials = match url.password() {
            Some(password) => Some(Credentials::new(decode(url.username())?, decode(password)?)),
            None => None,
        };
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_owned()),
        };
        Ok(Self { port: url.port().unwrap_or(port), host, tls, credentials, hello })
    }

    /// Opens a connection ready to send: greeted, encrypted as asked, logged in.
    async fn connect(&self) -> Result<AsyncSmtpConnection, lettre::transport::smtp::Error> {
        let wrapper = match &self.tls {
            Tls::Wrapper(parameters) => Some(parameters.clone()),
            _ => None,
        };
        let address = (self.host.as_str(), self.port);
        let mut connection =
            AsyncSmtpConnection::connect_tokio1(address, Some(SMTP_TIMEOUT), &self.hello, wrapper, None).await?;
        match &self.tls {
            Tls::Opportunistic(parameters) if connection.can_starttls() => {
                connection.starttls(parameters.clone(), &self.hello).await?;
            }
            Tls::Required(parameters) => connection.starttls(parameters.clone(), &self.hello).await?,
            _ => {}
        }
        if let Some(credentials) = &self.credentials
            && let Err(err) = connection.auth(DEFAULT_MECHANISMS, credentials).await
        {
            connection.abort().await;
            return Err(err);
        }
        Ok(connection)
    }
}

/// Connections to one [`SmtpServer`], kept open between messages. It holds no more than were
/// ever in use at once: the worker sends at most `MAIL_CONCURRENCY` messages at a time, so
/// that is the number of connections. While the server cannot be reached or logged in to, no
/// new connection is tried for a while ([`Outage`]): a mailing of thousands must not knock
/// on a relay (and fail its login) once per message.
pub struct Relay {
    server: SmtpServer,
    idle: Mutex<Vec<Idle>>,
    outage: Mutex<Option<Outage>>,
}

/// A connection waiting for the next message, and since when.
struct Idle {
    connection: AsyncSmtpConnection,
    since: Instant,
}

/// The last failure to connect, and until when the next try waits: 5 s after the first,
/// doubling up to 5 minutes while it keeps failing.
struct Outage {
    reason: String,
    wait: Duration,
    until: Instant,
}

const FIRST_OUTAGE_WAIT: Duration = Duration::from_secs(5);
const LONGEST_OUTAGE_WAIT: Duration = Duration::from_secs(300);

impl Relay {
    fn new(server: SmtpServer) -> Self {
        Self { server, idle: Mutex::new(Vec::new()), outage: Mutex::new(None) }
    }

    /// Sends one message on an idle connection, or a new one. Connecting, TLS and AUTH
    /// failures are temporary (the server or the settings need mending, not the address).
    async fn send(&self, envelope: &Envelope, bytes: &[u8]) -> Result<(), Failure> {
        let mut connection = self.take().await?;
        let sent = transaction(&mut connection, envelope, bytes).await;
        match sent {
            Ok(()) => self.lock().push(Idle { connection, since: Instant::now() }),
            // As lettre does: after a refusal the connection is closed, not reset.
            Err(_) => connection.abort().await,
        }
        sent
    }

    /// The most recently used idle connection that still answers, else a new one. Errors:
    /// why the server cannot be used, in Vietnamese with a hint at the setting to mend:
    /// temporary when connecting failed now, deferred while waiting after a failure.
    async fn take(&self) -> Result<AsyncSmtpConnection, Failure> {
        loop {
            let Some(Idle { mut connection, since }) = self.lock().pop() else { break };
            if since.elapsed() < CHECK_AFTER || connection.test_connected().await {
                return Ok(connection);
            }
            connection.abort().await;
        }
        if let Some(outage) = &*self.outage.lock().unwrap_or_else(PoisonError::into_inner)
            && let Some(left) = outage.until.checked_duration_since(Instant::now())
        {
            let until = chrono::Utc::now() + left;
            return Err(Failure::Deferred { reason: outage.reason.clone(), until });
        }
        match self.server.connect().await {
            Ok(connection) => {
                *self.outage.lock().unwrap_or_else(PoisonError::into_inner) = None;
                Ok(connection)
            }
            Err(err) => {
                let reason = unusable(&err);
                let mut outage = self.outage.lock().unwrap_or_else(PoisonError::into_inner);
                let wait = match outage.as_ref() {
                    // Senders that tried at the same moment failed together: one wait for all.
                    Some(last) if Instant::now() < last.until => return Err(Failure::Temporary(reason)),
                    Some(last) => (last.wait * 2).min(LONGEST_OUTAGE_WAIT),
                    None => FIRST_OUTAGE_WAIT,
                };
                tracing::warn!(%reason, next_try_seconds = wait.as_secs(), "the mail server cannot be used");
                *outage = Some(Outage { reason: reason.clone(), wait, until: Instant::now() + wait });
                Err(Failure::Temporary(reason))
            }
        }
    }

    /// Says QUIT on the connections idle for longer than [`IDLE_LIMIT`].
    pub async fn close_idle(&self) {
        let stale: Vec<Idle> = {
            let mut idle = self.lock();
            let (stale, fresh) =
                std::mem::take(&mut *idle).into_iter().partition(|idle| idle.since.elapsed() >= IDLE_LIMIT);
            *idle = fresh;
            stale
        };
        for Idle { mut connection, .. } in stale {
            connection.abort().await;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Idle>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One mail transaction (RFC 5321 §3.3), command by command, so that a refusal is blamed on
/// what was refused: the recipient's mailbox (RCPT) or the sender and the message (MAIL,
/// DATA). lettre's `send` does the same steps but answers one error for all of them.
async fn transaction(connection: &mut AsyncSmtpConnection, envelope: &Envelope, bytes: &[u8]) -> Result<(), Failure> {
    let mut options = Vec::new();
    // RFC 6531 and RFC 6152: say so when addresses or the message are not plain ASCII.
    if envelope
        .from()
        .into_iter()
        .chain(envelope.to())
        .any(|address: &lettre::Address| !AsRef::<str>::as_ref(address).is_ascii())
    {
        if !connection.server_info().supports_feature(Extension::SmtpUtfEight) {
            // "The mail server does not accept addresses with accents (SMTPUTF8)."
            return Err(Failure::Unsendable("Máy chủ thư không nhận địa chỉ có dấu (SMTPUTF8).".to_owned()));
        }
        options.push(MailParameter::SmtpUtfEight);
    }
    if !bytes.is_ascii() {
        if !connection.server_info().supports_feature(Extension::EightBitMime) {
            return Err(Failure::Unsendable("Máy chủ thư không nhận thư 8 bit (8BITMIME).".to_owned()));
        }
        options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let refusal = |blame: fn(String) -> Failure| {
        move |err: lettre::transport::smtp::Error| {
            if err.is_permanent() { blame(err.to_string()) } else { Failure::Temporary(err.to_string()) }
        }
    };
    connection.command(Mail::new(envelope.from().cloned(), options)).await.map_err(refusal(Failure::Rejected))?;
    for recipient in envelope.to() {
        connection.command(Rcpt::new(recipient.clone(), Vec::new())).await.map_err(|err| {
            // Servers refuse a sender at RCPT too (postfix's default `smtpd_delay_reject`):
            // only a refusal that names the mailbox blames the address.
            if blames_mailbox(&err) { Failure::Refused(err.to_string()) } else { refusal(Failure::Rejected)(err) }
        })?;
    }
    connection.command(Data).await.map_err(refusal(Failure::Rejected))?;
    connection.message(bytes).await.map_err(refusal(Failure::Rejected))?;
    Ok(())
}

/// Whether a refused RCPT says the mailbox itself is bad. With an enhanced status code (RFC
/// 3463): 5.1.x about the destination (unknown mailbox 5.1.1, unknown domain 5.1.2, bad
/// syntax 5.1.3, moved 5.1.6, no mail domain 5.1.10; not 5.1.7 or 5.1.8, which are about the
/// sender) or a disabled mailbox (5.2.1); a policy refusal (5.7.x) is not. Without one, the
/// RFC 5321 codes for a mailbox that cannot be used: 550, 551, 553.
fn blames_mailbox(err: &lettre::transport::smtp::Error) -> bool {
    let code = err.status().map(|code| code.to_string()).unwrap_or_default();
    // lettre writes "permanent error (550): 5.1.1 <khach@…>: Recipient address rejected …".
    let text = err.to_string();
    err.is_permanent() && answer_blames_mailbox(&code, text.split_once("): ").map_or("", |(_, answer)| answer))
}

/// [`blames_mailbox`] for a permanent refusal with basic `code` and text `answer`.
fn answer_blames_mailbox(code: &str, answer: &str) -> bool {
    let enhanced: Vec<&str> = answer.split_whitespace().next().unwrap_or("").split('.').collect();
    match enhanced.as_slice() {
        ["5", "1", detail] if detail.parse::<u16>().is_ok() => !matches!(*detail, "7" | "8"),
        ["5", "2", "1"] => true,
        [class, subject, detail] if [class, subject, detail].iter().all(|part| part.parse::<u16>().is_ok()) => false,
        _ => matches!(code, "550" | "551" | "553"),
    }
}

/// Why the server cannot be used, with a hint at the setting to mend: "The mail server cannot
/// be reached or logged in to: …".
fn unusable(err: &lettre::transport::smtp::Error) -> String {
    let text = err.to_string();
    let hint = if text.contains("certificate") {
        // "its certificate is not trusted: check SMTP_CA_FILE"
        " (chứng chỉ của máy chủ không được tin cậy: kiểm tra SMTP_CA_FILE)"
    } else if text.contains("No compatible authentication mechanism") {
        // "the server only takes a password over an encrypted connection: add ?tls=required"
        " (máy chủ chỉ nhận mật khẩu qua kết nối mã hóa: thêm ?tls=required vào SMTP_URL)"
    } else if text.contains("(535)") || text.contains("(534)") {
        // "check the user and password in SMTP_URL"
        " (kiểm tra tài khoản và mật khẩu trong SMTP_URL)"
    } else {
        ""
    };
    format!("Không kết nối hoặc đăng nhập được máy chủ thư: {text}{hint}")
}

#[cfg(test)]
mod tests {
    use lettre::transport::smtp::client::Tls;
    use lettre::transport::smtp::extension::ClientId;

    use super::SmtpServer;

    #[test]
    fn only_refusals_of_the_mailbox_blame_it() {
        use super::answer_blames_mailbox as blames;
        assert!(blames("550", "5.1.1 <khach@example.vn>: Recipient address rejected: User unknown"));
        assert!(blames("550", "5.1.10 Recipient address has null MX"));
        assert!(blames("550", "5.2.1 Mailbox disabled"));
        assert!(blames("550", "Mailbox unavailable"), "a bare 550 names the mailbox (RFC 5321)");
        assert!(blames("553", "Requested action not taken: mailbox name not allowed"));
        // The sender, not the guest: postfix refuses it at RCPT by default.
        assert!(!blames("553", "5.7.1 <ngayhoi@tanphu.gov.vn>: Sender address rejected: not owned by user"));
        assert!(!blames("550", "5.1.8 Bad sender's system address"));
        assert!(!blames("554", "5.7.1 Relay access denied"));
        assert!(!blames("552", "5.3.4 Message too big"));
        assert!(!blames("554", "Transaction failed"), "a bare 554 does not say which");
    }

    #[test]
    fn smtp_urls_read_as_lettre_reads_them() {
        let plain = SmtpServer::parse("smtp://relay.local", None).unwrap();
        assert_eq!((plain.host.as_str(), plain.port), ("relay.local", 25));
        assert!(matches!(plain.tls, Tls::None) && plain.credentials.is_none());

        let submission =
            SmtpServer::parse("smtp://ngayhoi:m%E1%BA%ADt%20kh%E1%BA%A9u%40@mail.gov.vn?tls=required", None).unwrap();
        assert_eq!(submission.port, 587);
        assert!(matches!(submission.tls, Tls::Required(_)));
        let expected = lettre::transport::smtp::authentication::Credentials::new("ngayhoi".into(), "mật khẩu@".into());
        assert_eq!(submission.credentials, Some(expected), "user and password are percent-decoded");

        let opportunistic = SmtpServer::parse("smtp://mail.gov.vn:2525?tls=opportunistic", None).unwrap();
        assert_eq!(opportunistic.port, 2525);
        assert!(matches!(opportunistic.tls, Tls::Opportunistic(_)));

        let wrapped = SmtpServer::parse("smtps://mail.gov.vn/ngayhoi.tanphu.gov.vn", None).unwrap();
        assert_eq!(wrapped.port, 465);
        assert!(matches!(wrapped.tls, Tls::Wrapper(_)));
        assert_eq!(wrapped.hello, ClientId::Domain("ngayhoi.tanphu.gov.vn".into()), "the path names this side in EHLO");

        for wrong in
            ["http://mail.gov.vn", "smtp://mail.gov.vn?tls=maybe", "smtps://mail.gov.vn?tls=required", "mail.gov.vn"]
        {
            assert!(SmtpServer::parse(wrong, None).is_err(), "{wrong}");
        }
    }
}
