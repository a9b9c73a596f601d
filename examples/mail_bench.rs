//! Sends N invitations (PDF and calendar attached) through the outbox to a local SMTP sink and
//! prints messages/s, SMTP connections opened and peak memory; then, in the same run and to the
//! same sink at the same concurrency: the outbox's transport alone (its relay of long-lived
//! lettre connections) sending N copies of one finished invitation; lettre's own pool sending
//! the same bytes (what the relay replaced); and postfix's `smtp-source` sending N messages of
//! the same size. The rates split the cost: drawing and composing, the SMTP client, the
//! network and sink.
//!
//!     cargo run --release --example mail_bench -- 10000 [concurrency] [DATABASE_URL]
//!
//! The sink is the tests' SMTP server (`tests/support/smtp_server.rs`), which counts
//! connections; `smtp-source` comes from Debian's `postfix` package (skipped when missing).

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use ngayhoi::app::App;
use ngayhoi::auth::model::{Actor, NewUser, Role};
use ngayhoi::config::Config;
use ngayhoi::mail::transport::{Formatted, Mailer};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

// Shared with the tests, which use the parts this benchmark does not (stored messages).
#[allow(dead_code)]
#[path = "../tests/support/smtp_server.rs"]
mod smtp_server;

use smtp_server::{Script, SmtpServer};

const EMAIL: &str = "bench@ngayhoi.test";
const PASSWORD: &str = "mật khẩu đo hiệu năng";

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find(|line| line.starts_with("VmHWM")).map(|line| line[6..].trim().to_owned())
        })
        .unwrap_or_default()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let concurrency: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(4);
    let data_dir = tempfile::tempdir()?;
    let database_url =
        args.next().unwrap_or_else(|| format!("sqlite://{}/bench.db?mode=rwc", data_dir.path().display()));
    let sink = SmtpServer::start(0, Script::default()).await;

    let mut config = Config::defaults();
    config.database_url = Some(database_url);
    config.bind_addr = "127.0.0.1:0".parse()?;
    config.data_dir = data_dir.path().to_path_buf();
    config.smtp_url = Some(format!("smtp://127.0.0.1:{}", sink.port));
    config.mail_concurrency = concurrency;
    config.log = "warn".into();
    let transport = Mailer::from_config(&config)?;
    let app = App::build(config).await?;
    let admin = NewUser {
        email: EMAIL.into(),
        password: PASSWORD.into(),
        full_name: "Đo hiệu năng".into(),
        role: Role::Admin,
        unit_code: None,
        host_id: None,
    };
    ngayhoi::auth::service::create_user(&app.state().db, &Actor::system(), admin).await?;
    let base = format!("http://{}", app.address());
    tokio::spawn(app.run());

    let client = reqwest::Client::new();
    let token = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": EMAIL, "password": PASSWORD}))
        .send()
        .await?
        .json::<Value>()
        .await?["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let post = |path: &str, body: Value| client.post(format!("{base}{path}")).bearer_auth(&token).json(&body).send();
    let issuer = post(
        "/api/v1/issuers",
        json!({"name": "Ủy ban nhân dân phường Tân Phú", "unit_code": "27031",
        "symbol": "UBND", "signer_name": "Nguyễn Văn Bình", "signer_title": "Chủ tịch", "authority": "TM.",
        "place_name": "Phường Tân Phú"}),
    )
    .await?
    .json::<Value>()
    .await?;
    let host = post("/api/v1/hosts", json!({"name": "Khu phố 3", "kind": "residential_area", "unit_code": "27031"}))
        .await?
        .json::<Value>()
        .await?;
    let festival = post(
        "/api/v1/festivals",
        json!({"host_id": host["id"], "year": 2027,
        "starts_at": "2027-08-19T14:00:00+07:00", "ends_at": "2027-08-19T17:00:00+07:00", "venue": "Nhà văn hóa"}),
    )
    .await?
    .json::<Value>()
    .await?;
    let id = festival["id"].as_i64().unwrap_or_default();
    client
        .patch(format!("{base}/api/v1/festivals/{id}"))
        .bearer_auth(&token)
        .json(&json!({"issuer_id": issuer["id"]}))
        .send()
        .await?;
    let mut csv = String::from("Họ và tên,Vai trò,Email,Mời\n");
    for i in 0..count {
        csv.push_str(&format!("Khách Mời Số {},Khách mời,khach{i}@example.vn,x\n", spell(i)));
    }
    let form = Form::new().part("file", Part::bytes(csv.into_bytes()).file_name("khach.csv"));
    let imported = client
        .post(format!("{base}/api/v1/festivals/{id}/participants/import"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await?
        .json::<Value>()
        .await?;
    anyhow::ensure!(imported["imported"].as_u64() == Some(count as u64), "import failed: {imported}");

    let connections_before = sink.connections.load(std::sync::atomic::Ordering::SeqCst);
    let started = Instant::now();
    let accepted = post(&format!("/api/v1/festivals/{id}/invitations/send"), json!({})).await?.json::<Value>().await?;
    let queued_in = started.elapsed().as_secs_f64();
    let job = accepted["job_id"].as_i64().unwrap_or_default();
    loop {
        let state =
            client.get(format!("{base}/api/v1/jobs/{job}")).bearer_auth(&token).send().await?.json::<Value>().await?;
        if state["state"] == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let seconds = started.elapsed().as_secs_f64();
    let connections = sink.connections.load(std::sync::atomic::Ordering::SeqCst) - connections_before;
    println!(
        "ngayhoi outbox: {count} invitations in {seconds:.2} s = {:.0} messages/s (queuing and numbering them \
         {queued_in:.2} s of it), {connections} SMTP connections, concurrency {concurrency}, peak memory {}",
        count as f64 / seconds,
        peak_memory()
    );

    // The transport alone: copies of one finished invitation through the outbox's relay.
    let (message, message_size) = invitation(&client, &base, &token, id).await?;
    let formatted = Formatted::of(&message);
    let relay = sink.connections.load(std::sync::atomic::Ordering::SeqCst);
    let started = Instant::now();
    let formatted = std::sync::Arc::new(formatted);
    let sent = send_copies(count, concurrency, || {
        let (transport, formatted) = (transport.clone(), formatted.clone());
        async move { transport.send(&formatted).await }
    })
    .await;
    let seconds = started.elapsed().as_secs_f64();
    let connections = sink.connections.load(std::sync::atomic::Ordering::SeqCst) - relay;
    println!(
        "ngayhoi relay:  {sent} copies of one invitation ({message_size} bytes) in {seconds:.2} s = {:.0} \
         messages/s, {connections} SMTP connections, concurrency {concurrency}",
        count as f64 / seconds
    );

    // lettre's own pool, which the relay replaced (it tests each connection with NOOP before
    // reuse and hands it back on a spawned task), with the same bytes.
    let pool = PoolConfig::new().max_size(concurrency * 2);
    let lettre_pool =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1").port(sink.port).pool_config(pool).build();
    let raw = std::sync::Arc::new((message.envelope().clone(), message.formatted()));
    let before = sink.connections.load(std::sync::atomic::Ordering::SeqCst);
    let started = Instant::now();
    let sent = send_copies(count, concurrency, || {
        let (lettre_pool, raw) = (lettre_pool.clone(), raw.clone());
        async move { lettre_pool.send_raw(&raw.0, &raw.1).await.map(|_| ()) }
    })
    .await;
    let seconds = started.elapsed().as_secs_f64();
    let connections = sink.connections.load(std::sync::atomic::Ordering::SeqCst) - before;
    println!(
        "lettre's pool:  {sent} copies in {seconds:.2} s = {:.0} messages/s, {connections} SMTP connections, \
         concurrency {concurrency}",
        count as f64 / seconds
    );

    // The same number of messages of the same size, by smtp-source.
    let source = std::process::Command::new("smtp-source")
        // -d: keep each connection for the next message, as the outbox's relay does.
        .args(["-d", "-s", &concurrency.to_string(), "-l", &message_size.to_string(), "-m", &count.to_string()])
        .args(["-f", "bench@ngayhoi.test", "-t", "khach@example.vn", &format!("127.0.0.1:{}", sink.port)])
        .spawn();
    match source {
        Ok(mut child) => {
            let before = sink.connections.load(std::sync::atomic::Ordering::SeqCst);
            let started = Instant::now();
            child.wait()?;
            let seconds = started.elapsed().as_secs_f64();
            let connections = sink.connections.load(std::sync::atomic::Ordering::SeqCst) - before;
            println!(
                "smtp-source:    {count} messages of {message_size} bytes in {seconds:.2} s = {:.0} messages/s, \
                 {connections} SMTP connections, concurrency {concurrency}",
                count as f64 / seconds
            );
        }
        Err(err) => println!("smtp-source not run ({err}); apt-get install postfix"),
    }
    Ok(())
}

/// Runs `count` sends made by `send`, each on a task of its own as the worker does,
/// `concurrency` at a time; how many succeeded.
async fn send_copies<F, E>(count: usize, concurrency: u32, send: impl Fn() -> F) -> usize
where
    F: std::future::Future<Output = Result<(), E>> + Send + 'static,
    E: Send + 'static,
{
    futures_util::stream::iter((0..count).map(|_| tokio::spawn(send())))
        .buffer_unordered(concurrency as usize)
        .filter(|outcome| std::future::ready(matches!(outcome, Ok(Ok(())))))
        .count()
        .await
}

/// A message shaped and sized as one invitation e-mail (text and HTML bodies, the guest's
/// invitation PDF, a calendar file), and its size in bytes as sent.
async fn invitation(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    festival: i64,
) -> anyhow::Result<(lettre::Message, usize)> {
    use lettre::message::{Attachment, MultiPart, SinglePart, header::ContentType};
    let list = client
        .get(format!("{base}/api/v1/festivals/{festival}/participants?per_page=1"))
        .bearer_auth(token)
        .send()
        .await?
        .json::<Value>()
        .await?;
    let participant = list["items"][0]["id"].as_i64().unwrap_or_default();
    let pdf = client
        .get(format!("{base}/api/v1/participants/{participant}/invitation.pdf"))
        .bearer_auth(token)
        .send()
        .await?
        .bytes()
        .await?;
    let text = "Kính mời Ông/Bà tới dự Ngày hội Toàn dân bảo vệ an ninh Tổ quốc. ".repeat(12);
    let html = format!("<!doctype html><html><body><p>{}</p></body></html>", text.repeat(2));
    let body = MultiPart::mixed()
        .multipart(MultiPart::alternative().singlepart(SinglePart::plain(text)).singlepart(SinglePart::html(html)))
        .singlepart(Attachment::new("giay-moi.pdf".into()).body(pdf.to_vec(), ContentType::parse("application/pdf")?))
        .singlepart(
            Attachment::new("invitation.ics".into())
                .body("BEGIN:VCALENDAR\r\n".repeat(60), ContentType::parse("text/calendar; charset=utf-8")?),
        );
    let message = lettre::Message::builder()
        .from("Ủy ban nhân dân phường Tân Phú <bench@ngayhoi.test>".parse()?)
        .to("Khách Mời <khach@example.vn>".parse()?)
        .subject("Giấy mời dự Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2027 – Khu phố 3")
        .multipart(body)?;
    let size = message.formatted().len();
    Ok((message, size))
}

/// `i` spelled digit by digit (person names may not contain digits).
fn spell(i: usize) -> String {
    const DIGITS: [&str; 10] = ["Không", "Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín"];
    i.to_string().bytes().map(|digit| DIGITS[usize::from(digit - b'0')]).collect::<Vec<_>>().join(" ")
}
