//! A small SMTP server on tokio for the tests and the mail benchmark: it speaks enough of RFC
//! 5321 for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps what it receives, counts
//! connections, and can be told to answer 451 (try later) or 550 (refused), or to be slow.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One message as received: envelope recipients and the raw message.
#[derive(Debug, Clone)]
pub struct Received {
    pub recipients: Vec<String>,
    pub data: Vec<u8>,
}

/// How the server answers.
#[derive(Debug, Default)]
pub struct Script {
    /// Answer `451` to this many DATA commands before accepting.
    pub temporary_failures: usize,
    /// Recipients containing this text are refused with `550`.
    pub refuse: Option<String>,
    /// Wait this long before accepting each message.
    pub delay: Duration,
    /// Keep the messages (a benchmark only counts them).
    pub keep: bool,
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
        let (read, mut write) = stream.into_split();
        let mut reader = BufReader::new(read);
        write.write_all(b"220 test.local ESMTP\r\n").await?;
        let mut recipients = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_ascii_uppercase();
            let reply: &[u8] = if command.starts_with("EHLO") {
                b"250-test.local\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
            } else if command.starts_with("HELO") || command.starts_with("NOOP") {
                b"250 OK\r\n"
            } else if command.starts_with("MAIL FROM") || command.starts_with("RSET") {
                recipients.clear();
                b"250 OK\r\n"
            } else if command.starts_with("RCPT TO") {
                let refused = self.script.lock().expect("lock").refuse.clone();
                if refused.is_some_and(|text| line.contains(&text)) {
                    b"550 5.1.1 Mailbox unavailable\r\n"
                } else {
                    recipients.push(line.trim_end()[8..].trim().trim_matches(['<', '>']).to_owned());
                    b"250 OK\r\n"
                }
            } else if command == "DATA" {
                write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = Vec::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).await? == 0 {
                        return Ok(());
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
                    b"451 4.3.0 Try again later\r\n"
                } else {
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                    if keep {
                        let received = Received { recipients: std::mem::take(&mut recipients), data };
                        self.received.lock().expect("lock").push(received);
                    }
                    self.accepted.fetch_add(1, Ordering::SeqCst);
                    b"250 OK queued\r\n"
                }
            } else if command.starts_with("QUIT") {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            } else {
                b"502 Command not implemented\r\n"
            };
            write.write_all(reply).await?;
        }
    }
}
