//! A small SMTP server on tokio for the tests and the mail benchmark: it speaks enough of RFC
//! 5321 for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps what it receives, counts
//! connections, and can be told to answer 451 (try later) or 550 (refused), or to be slow;
//! it can also speak STARTTLS (RFC 3207) or TLS from the start, and ask for AUTH PLAIN
//! (RFC 4954), with a certificate made for the run ([`Authority`]).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// One message as received: envelope recipients, the raw message, and how it came.
#[derive(Debug, Clone)]
pub struct Received {
    pub recipients: Vec<String>,
    pub data: Vec<u8>,
    /// Whether the connection was encrypted when the message came.
    pub encrypted: bool,
    /// The user who logged in with AUTH, if any.
    pub user: Option<String>,
}

/// A private certificate authority made for one run, and a certificate it signed for
/// `localhost`: what a mail relay inside a ministry's network looks like to ngayhoi.
pub struct Authority {
    /// The authority's certificate, PEM, for `SMTP_CA_FILE`.
    pub pem: String,
    acceptor: TlsAcceptor,
}

impl Authority {
    pub fn new() -> Authority {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
        let authority_key = KeyPair::generate().expect("key");
        let mut authority = CertificateParams::new(Vec::<String>::new()).expect("params");
        authority.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        authority.distinguished_name.push(DnType::CommonName, "Ngayhoi test authority");
        let pem = authority.self_signed(&authority_key).expect("authority certificate").pem();
        let issuer = Issuer::new(authority, authority_key);
        let server_key = KeyPair::generate().expect("key");
        let server = CertificateParams::new(vec!["localhost".to_owned()])
            .expect("params")
            .signed_by(&server_key, &issuer)
            .expect("server certificate");
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![server.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            )
            .expect("server TLS configuration");
        Authority { pem, acceptor: TlsAcceptor::from(Arc::new(config)) }
    }
}

/// How the server secures its connections.
#[derive(Clone, Default)]
pub enum Security {
    #[default]
    Plain,
    /// STARTTLS offered in EHLO.
    StartTls(TlsAcceptor),
    /// TLS from the first byte (port 465, `smtps://`).
    Wrapper(TlsAcceptor),
}

impl Security {
    pub fn starttls(authority: &Authority) -> Security {
        Security::StartTls(authority.acceptor.clone())
    }

    pub fn wrapper(authority: &Authority) -> Security {
        Security::Wrapper(authority.acceptor.clone())
    }
}

const SENDER_REFUSED: &[u8] = b"553 5.7.1 Sender address rejected: not owned by user\r\n";

/// A connection, plain or encrypted.
trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// How the server answers.
#[derive(Default)]
pub struct Script {
    /// Answer `451` to this many DATA commands before accepting.
    pub temporary_failures: usize,
    /// Recipients containing this text are refused with `550`.
    pub refuse: Option<String>,
    /// Senders containing this text are refused with `553 5.7.1` (the login may not send as
    /// them)...
    pub refuse_sender: Option<String>,
    /// ...at RCPT rather than at MAIL, as postfix does by default (`smtpd_delay_reject`).
    pub delay_reject: bool,
    /// Wait this long before accepting each message.
    pub delay: Duration,
    /// Keep the messages (a benchmark only counts them).
    pub keep: bool,
    pub security: Security,
    /// AUTH PLAIN with this user and password is asked for before MAIL (offered only once
    /// the connection is encrypted, when the server speaks STARTTLS).
    pub login: Option<(String, String)>,
}

/// A running server.
#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
    pub accepted: Arc<AtomicUsize>,
    pub connections: Arc<AtomicUsize>,
    script: Arc<Mutex<Script>>,
}

impl SmtpServer {
    /// Listens on 127.0.0.1:`port` (0 = any free port).
    pub async fn start(port: u16, script: Script) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("SMTP port free");
        let server = SmtpServer {
            port: listener.local_addr().expect("address").port(),
            received: Arc::default(),
            accepted: Arc::default(),
            connections: Arc::default(),
            script: Arc::new(Mutex::new(script)),
        };
        let running = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                running.connections.fetch_add(1, Ordering::SeqCst);
                let session = running.clone();
                tokio::spawn(async move {
                    let _ = session.serve(stream).await;
                });
            }
        });
        server
    }

    /// Messages accepted so far.
    pub fn count(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    async fn serve(&self, stream: TcpStream) -> std::io::Result<()> {
        let security = self.script.lock().expect("lock").security.clone();
        let (mut stream, mut encrypted): (Box<dyn Stream>, bool) = match &security {
            Security::Wrapper(acceptor) => (Box::new(acceptor.accept(stream).await?), true),
            _ => (Box::new(stream), false),
        };
        stream.write_all(b"220 test.local ESMTP\r\n").await?;
        stream.flush().await?;
        // A session ends, or hands its connection back to be encrypted after STARTTLS.
        while let Some(plain) = self.session(stream, encrypted).await? {
            let Security::StartTls(acceptor) = &security else { return Ok(()) };
            stream = Box::new(acceptor.accept(plain).await?);
            encrypted = true;
        }
        Ok(())
    }

    async fn session(&self, stream: Box<dyn Stream>, encrypted: bool) -> std::io::Result<Option<Box<dyn Stream>>> {
        let (starttls, login) = {
            let script = self.script.lock().expect("lock");
            (matches!(script.security, Security::StartTls(_)) && !encrypted, script.login.clone())
        };
        let offer_login = login.is_some() && !starttls;
        let mut reader = BufReader::new(stream);
        let mut recipients = Vec::new();
        let mut user = None;
        let mut sender_refused = false;
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).await? == 0 {
                return Ok(None);
            }
            let command = line.trim_end().to_ascii_uppercase();
            let reply: Vec<u8> = if command.starts_with("EHLO") {
                let mut lines = vec!["250-test.local", "250-8BITMIME"];
                if starttls {
                    lines.push("250-STARTTLS");
                }
                if offer_login {
                    lines.push("250-AUTH PLAIN");
                }
                lines.push("250 SMTPUTF8");
                (lines.join("\r\n") + "\r\n").into_bytes()
            } else if command == "STARTTLS" && starttls {
                reader.get_mut().write_all(b"220 2.0.0 Ready to start TLS\r\n").await?;
                reader.get_mut().flush().await?;
                return Ok(Some(reader.into_inner()));
            } else if command.starts_with("AUTH PLAIN ") && offer_login {
                // The initial response: base64 of "\0user\0password".
                let decoded = base64::engine::general_purpose::STANDARD.decode(line.trim_end()[11..].trim());
                let fields: Vec<String> = decoded
                    .map(|bytes| String::from_utf8_lossy(&bytes).split('\0').map(str::to_owned).collect())
                    .unwrap_or_default();
                match (&login, fields.as_slice()) {
                    (Some((name, password)), [_, given_name, given_password])
                        if given_name == name && given_password == password =>
                    {
                        user = Some(name.clone());
                        b"235 2.7.0 Authentication successful\r\n".to_vec()
                    }
                    _ => b"535 5.7.8 Authentication credentials invalid\r\n".to_vec(),
                }
            } else if command.starts_with("HELO") || command.starts_with("NOOP") {
                b"250 OK\r\n".to_vec()
            } else if command.starts_with("MAIL FROM") && login.is_some() && user.is_none() {
                b"530 5.7.0 Authentication required\r\n".to_vec()
            } else if command.starts_with("MAIL FROM") || command.starts_with("RSET") {
                recipients.clear();
                let (refused, delayed) = {
                    let script = self.script.lock().expect("lock");
                    (script.refuse_sender.as_ref().is_some_and(|text| line.contains(text)), script.delay_reject)
                };
                sender_refused = refused;
                if refused && !delayed { SENDER_REFUSED.to_vec() } else { b"250 OK\r\n".to_vec() }
            } else if command.starts_with("RCPT TO") && sender_refused {
                SENDER_REFUSED.to_vec()
            } else if command.starts_with("RCPT TO") {
                let refused = self.script.lock().expect("lock").refuse.clone();
                if refused.is_some_and(|text| line.contains(&text)) {
                    b"550 5.1.1 Mailbox unavailable\r\n".to_vec()
                } else {
                    recipients.push(line.trim_end()[8..].trim().trim_matches(['<', '>']).to_owned());
                    b"250 OK\r\n".to_vec()
                }
            } else if command == "DATA" {
                reader.get_mut().write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                reader.get_mut().flush().await?;
                let mut data = Vec::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).await? == 0 {
                        return Ok(None);
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                    data.extend_from_slice(unstuffed.as_bytes());
                }
                let (fail, delay, keep) = {
                    let mut script = self.script.lock().expect("lock");
                    let fail = script.temporary_failures > 0;
                    script.temporary_failures = script.temporary_failures.saturating_sub(1);
                    (fail, script.delay, script.keep)
                };
                if fail {
                    b"451 4.3.0 Try again later\r\n".to_vec()
                } else {
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                    if keep {
                        let recipients = std::mem::take(&mut recipients);
                        let received = Received { recipients, data, encrypted, user: user.clone() };
                        self.received.lock().expect("lock").push(received);
                    }
                    self.accepted.fetch_add(1, Ordering::SeqCst);
                    b"250 OK queued\r\n".to_vec()
                }
            } else if command.starts_with("QUIT") {
                reader.get_mut().write_all(b"221 Bye\r\n").await?;
                reader.get_mut().flush().await?;
                return Ok(None);
            } else {
                b"502 Command not implemented\r\n".to_vec()
            };
            reader.get_mut().write_all(&reply).await?;
            // A TLS stream holds what is written until flushed.
            reader.get_mut().flush().await?;
        }
    }
}
