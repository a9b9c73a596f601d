//! E-mailing invitations through the outbox (API.md, *Mail*), against a real SMTP server
//! started by the test (`tests/support/smtp_server.rs`): what arrives, retries, refusals, a
//! server that comes back, two instances on one database, and a crash in the middle.

use std::time::Duration;

use mail_parser::{MessageParser, MimeHeaders};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::commendation::issuer;
use crate::helpers::*;
use crate::participants::add;
use crate::smtp_server::{Authority, Script, Security, SmtpServer};

/// A festival on 19/08/2027 14:00–17:00 with its issuer set.
async fn festival(app: &TestApp) -> i64 {
    let issuer = issuer(app).await;
    let host = app.create_host("Khu phố Đông Hòa", COMMUNE_HCM).await["id"].as_i64().unwrap();
    let body = json!({"host_id": host, "year": 2027, "starts_at": "2027-08-19T14:00:00+07:00",
        "ends_at": "2027-08-19T17:00:00+07:00", "venue": "Nhà văn hóa khu phố Đông Hòa"});
    let id = expect_json(app.post("/api/v1/festivals", &body).await, StatusCode::CREATED).await["id"].as_i64().unwrap();
    expect_json(app.patch(&format!("/api/v1/festivals/{id}"), &json!({"issuer_id": issuer})).await, StatusCode::OK)
        .await;
    id
}

/// The app with mail going to `smtp` and quick retries.
async fn app_sending_to(smtp: &SmtpServer) -> TestApp {
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    spawn_app_with(move |config| {
        config.smtp_url = Some(url);
        config.mail_retry_base_secs = 1;
        config.mail_from = "Phường Tân Phú <ngayhoi@tanphu.example.vn>".into();
    })
    .await
}

async fn send(app: &TestApp, festival: i64, body: Value) -> Value {
    expect_json(app.post(&format!("/api/v1/festivals/{festival}/invitations/send"), &body).await, StatusCode::ACCEPTED)
        .await
}

/// Waits until `count` messages of `festival` are `retrying` (at most 10 s); their page of
/// the log, checked to hold that many.
async fn wait_for_retrying(app: &TestApp, festival: i64, count: usize) -> Value {
    let path = format!("/api/v1/messages?festival={festival}&state=retrying&per_page=50");
    let mut retrying = app.get_json(&path).await;
    for _ in 0..100 {
        if retrying["total"] == count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        retrying = app.get_json(&path).await;
    }
    assert_eq!(retrying["total"], count, "the first tries failed: {retrying}");
    retrying
}

/// Waits until `smtp` has accepted `count` messages (at most a minute).
async fn wait_for_mail(smtp: &SmtpServer, count: usize) {
    for _ in 0..600 {
        if smtp.count() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("only {} of {count} messages arrived", smtp.count());
}

#[tokio::test]
async fn an_invitation_arrives_once_with_its_pdf_and_calendar_and_the_log_tells_who_got_none() {
    let smtp = SmtpServer::start(0, Script { keep: true, ..Script::default() }).await;
    let app = app_sending_to(&smtp).await;
    let festival = festival(&app).await;
    let guest = add(
        &app,
        festival,
        json!({"full_name": "Trần Thị Hoa", "sex": "female", "role": "official",
        "email": "hoa@example.vn", "invited": true}),
    )
    .await;
    let without_address =
        add(&app, festival, json!({"full_name": "Lê Văn Không Thư", "role": "guest", "invited": true})).await;
    add(&app, festival, json!({"full_name": "Phạm Văn Dân", "role": "resident", "email": "dan@example.vn"})).await;

    let accepted = send(&app, festival, json!({})).await;
    assert_eq!((accepted["total"].as_i64(), accepted["withheld"].as_i64()), (Some(2), Some(1)), "{accepted}");
    let job = wait_for_job(&app, &accepted["job_id"]).await;
    assert_eq!(
        (job["kind"].as_str(), job["state"].as_str(), job["done"].as_i64(), job["withheld"].as_i64()),
        (Some("send_invitations"), Some("done"), Some(1), Some(1)),
        "{job}"
    );
    let job_page = page(&app, &format!("/jobs/{}", accepted["job_id"]), StatusCode::OK).await;
    assert!(!job_page.contains("Chưa cấu hình máy chủ thư"), "an SMTP server is set: {job_page}");
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1, "one message, to the one guest with an address");
    assert_eq!(messages[0].recipients, ["hoa@example.vn"]);
    let mail = MessageParser::default().parse(&messages[0].data).expect("a MIME message");
    assert_eq!(
        mail.subject(),
        Some("Giấy mời dự Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2027 – Khu phố Đông Hòa")
    );
    let raw = String::from_utf8_lossy(&messages[0].data);
    assert!(raw.contains("Subject: =?utf-8?"), "the subject is RFC 2047-encoded: {raw:.400}");
    // RFC 8058 one-click unsubscribe, then the mailto of RFC 2369.
    // (Unfolded: a long header may continue on the next line, RFC 5322 §2.2.3.)
    let unsubscribe = mail.header_raw("List-Unsubscribe").expect("List-Unsubscribe").trim().replace("\r\n ", " ");
    let message_id = mail.message_id().expect("Message-ID");
    let link = format!("{}/unsubscribe/{message_id}", app.address);
    assert_eq!(unsubscribe, format!("<{link}>, <mailto:ngayhoi@tanphu.example.vn?subject=unsubscribe>"));
    assert_eq!(mail.header_raw("List-Unsubscribe-Post").map(str::trim), Some("List-Unsubscribe=One-Click"));
    let text = mail.body_text(0).expect("text body");
    assert!(
        text.contains("Kính gửi Đồng chí Trần Thị Hoa") && text.contains("14 giờ 00, ngày 19 tháng 8 năm 2027"),
        "{text}"
    );
    assert!(text.contains(&link), "the text names the unsubscribe page: {text}");
    let html = mail.body_html(0).expect("HTML body");
    assert!(html.contains("<strong>Trần Thị Hoa</strong>") && decoded(&html).contains("/r/"), "{html}");
    assert!(decoded(&html).contains(&link), "{html}");

    let attachments: Vec<_> = mail.attachments().collect();
    let pdf = attachments.iter().find(|part| part.attachment_name() == Some("giay-moi.pdf")).expect("the PDF");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("giay-moi.pdf");
    std::fs::write(&file, pdf.contents()).unwrap();
    let pdf_text = std::process::Command::new("pdftotext").arg(&file).arg("-").output().unwrap().stdout;
    let pdf_text = String::from_utf8(pdf_text).unwrap();
    assert!(
        pdf_text.contains("GIẤY MỜI")
            && pdf_text.contains("Đồng chí Trần Thị Hoa")
            && pdf_text.contains("Số: 01/GM-UBND"),
        "{pdf_text}"
    );
    let ics = attachments.iter().find(|part| part.attachment_name() == Some("invitation.ics")).expect("the calendar");
    assert!(ics.content_type().is_some_and(|kind| kind.ctype() == "text" && kind.subtype() == Some("calendar")));
    let calendar: icalendar::Calendar = String::from_utf8_lossy(ics.contents()).parse().expect("a valid calendar");
    assert_eq!(calendar.property_value("METHOD"), Some("REQUEST"));
    let event = calendar.events().next().expect("one event");
    use icalendar::{Component, EventLike};
    assert_eq!(event.get_location(), Some("Nhà văn hóa khu phố Đông Hòa"));
    let uid = format!("ngayhoi-{festival}-{}@tanphu.example.vn", guest["id"]);
    assert_eq!(event.get_uid(), Some(uid.as_str()));
    let starts = format!("{:?}", event.get_start().expect("DTSTART"));
    assert!(starts.contains("2027-08-19T07:00:00"), "14:00 in Vietnam is 07:00 UTC: {starts}");
    assert!(event.property_value("ORGANIZER").is_some_and(|organizer| organizer.contains("ngayhoi@tanphu.example.vn")));

    // The log: one sent, one withheld with the reason; a second send queues nothing new.
    let log = app.get_json(&format!("/api/v1/messages?festival={festival}")).await;
    assert_eq!(log["total"], 2);
    let withheld = app.get_json(&format!("/api/v1/messages?festival={festival}&state=withheld")).await;
    assert_eq!(withheld["items"][0]["last_error"], "Không có địa chỉ email.");
    let sent = app.get_json(&format!("/api/v1/messages?festival={festival}&state=sent")).await;
    assert_eq!(
        (sent["items"][0]["to"].as_str(), sent["items"][0]["attempts"].as_i64()),
        (Some("hoa@example.vn"), Some(1))
    );
    let again = send(&app, festival, json!({})).await;
    assert_eq!(again["total"], 0);
    assert_eq!(wait_for_job(&app, &again["job_id"]).await["state"], "done");
    // Once the withheld guest has an address, the next send reaches them.
    let path = format!("/api/v1/participants/{}", without_address["id"]);
    expect_json(app.patch(&path, &json!({"email": "khongthu@example.vn"})).await, StatusCode::OK).await;
    let late = send(&app, festival, json!({})).await;
    assert_eq!((late["total"].as_i64(), late["withheld"].as_i64()), (Some(1), Some(0)), "{late}");
    wait_for_job(&app, &late["job_id"]).await;
    assert!(smtp.messages().iter().any(|message| message.recipients == ["khongthu@example.vn"]));
    // Resending one sent message sends it once more.
    expect_json(
        app.post(&format!("/api/v1/messages/{}/resend", sent["items"][0]["id"]), &json!({})).await,
        StatusCode::ACCEPTED,
    )
    .await;
    wait_for_mail(&smtp, 3).await;
    // Other communes see none of it.
    let outsider =
        app.with_token(Some(&app.user_token("hanoi@ngayhoi.test", "commune", Some(COMMUNE_HANOI), None).await));
    assert_eq!(outsider.get_json("/api/v1/messages").await["total"], 0);
    expect_problem(
        outsider.post(&format!("/api/v1/festivals/{festival}/invitations/send"), &json!({})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

#[tokio::test]
async fn a_temporary_failure_is_retried_and_a_refusal_fails_with_the_reason() {
    let script = Script { temporary_failures: 1, refuse: Some("tu-choi".into()), keep: true, ..Script::default() };
    let smtp = SmtpServer::start(0, script).await;
    let app = app_sending_to(&smtp).await;
    let festival = festival(&app).await;
    add(
        &app,
        festival,
        json!({"full_name": "Võ Văn Kiệt", "role": "guest", "email": "kiet@example.vn", "invited": true}),
    )
    .await;
    add(
        &app,
        festival,
        json!({"full_name": "Ngô Thị Từ", "role": "guest", "email": "tu-choi@example.vn", "invited": true}),
    )
    .await;
    let accepted = send(&app, festival, json!({})).await;
    let job = wait_for_job(&app, &accepted["job_id"]).await;
    assert_eq!((job["done"].as_i64(), job["failed"].as_i64()), (Some(1), Some(1)), "{job}");
    let sent = app.get_json(&format!("/api/v1/messages?festival={festival}&state=sent")).await;
    assert_eq!(sent["items"][0]["to"], "kiet@example.vn");
    assert_eq!(sent["items"][0]["attempts"], 2, "451 first, then 250");
    let failed = app.get_json(&format!("/api/v1/messages?festival={festival}&state=failed")).await;
    assert_eq!(failed["items"][0]["to"], "tu-choi@example.vn");
    let reason = failed["items"][0]["last_error"].as_str().unwrap();
    assert!(reason.contains("550") || reason.contains("Mailbox unavailable"), "{reason}");
    assert_eq!(smtp.messages().len(), 1);
    // The refused address is not written to again: a resend of everyone withholds it.
    let again = send(&app, festival, json!({"resend": true})).await;
    assert_eq!(again["withheld"], 1, "{again}");
}

#[tokio::test]
async fn mail_queued_while_the_server_is_down_is_delivered_when_it_is_back() {
    // A port with nobody listening yet.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(move |config| {
        config.smtp_url = Some(url);
        config.mail_retry_base_secs = 1;
    })
    .await;
    let festival = festival(&app).await;
    for i in 0..5 {
        let email = format!("khach{i}@example.vn");
        add(
            &app,
            festival,
            json!({"full_name": format!("Khách {}", spelled(i)), "role": "guest", "email": email, "invited": true}),
        )
        .await;
    }
    let accepted = send(&app, festival, json!({})).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let retrying = app.get_json(&format!("/api/v1/messages?festival={festival}&state=retrying")).await;
    assert!(retrying["total"].as_i64().unwrap() > 0, "{retrying}");
    let smtp = SmtpServer::start(port, Script { keep: true, ..Script::default() }).await;
    let job = wait_for_job(&app, &accepted["job_id"]).await;
    assert_eq!((job["state"].as_str(), job["done"].as_i64()), (Some("done"), Some(5)), "{job}");
    assert_eq!(smtp.messages().len(), 5);
}

#[tokio::test]
async fn two_instances_on_one_database_send_each_of_a_thousand_messages_once() {
    let smtp = SmtpServer::start(0, Script { keep: true, ..Script::default() }).await;
    let app = app_sending_to(&smtp).await;
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let _other = second_instance(&app, move |config| {
        config.smtp_url = Some(url);
        config.mail_retry_base_secs = 1;
    })
    .await;
    let festival = festival(&app).await;
    let mut csv = String::from("Họ và tên,Vai trò,Email,Mời\n");
    for i in 0..1000 {
        csv.push_str(&format!("Khách {},Khách mời,khach{i}@example.vn,x\n", spelled(i)));
    }
    let imported = crate::import::upload(&app, festival, "khach.csv", csv.into_bytes()).await;
    assert_eq!(expect_json(imported, StatusCode::OK).await["imported"], 1000);
    let accepted = send(&app, festival, json!({})).await;
    let job = wait_for_job(&app, &accepted["job_id"]).await;
    assert_eq!((job["state"].as_str(), job["done"].as_i64()), (Some("done"), Some(1000)), "{job}");
    let mut recipients: Vec<String> = smtp.messages().into_iter().flat_map(|message| message.recipients).collect();
    assert_eq!(recipients.len(), 1000, "no message twice");
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 1000, "every guest once");
}

#[tokio::test]
async fn a_message_left_waiting_past_its_lease_behind_a_slow_server_is_still_sent_once() {
    // One connection, 300 ms a message, a one-second lease: most of a batch waits in the
    // worker longer than its lease and is claimed again meanwhile.
    let smtp =
        SmtpServer::start(0, Script { keep: true, delay: Duration::from_millis(300), ..Script::default() }).await;
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let app = spawn_app_with(move |config| {
        config.smtp_url = Some(url);
        config.mail_concurrency = 1;
        config.mail_lease_secs = 1;
    })
    .await;
    let festival = festival(&app).await;
    for i in 0..12 {
        let guest = json!({"full_name": format!("Khách {}", spelled(i)), "role": "guest",
            "email": format!("khach{i}@example.vn"), "invited": true});
        add(&app, festival, guest).await;
    }
    let accepted = send(&app, festival, json!({})).await;
    let job = wait_for_job(&app, &accepted["job_id"]).await;
    assert_eq!((job["state"].as_str(), job["done"].as_i64()), (Some("done"), Some(12)), "{job}");
    let mut recipients: Vec<String> = smtp.messages().into_iter().flat_map(|message| message.recipients).collect();
    assert_eq!(recipients.len(), 12, "no message twice: {recipients:?}");
    recipients.dedup();
    assert_eq!(recipients.len(), 12);
    // The case did happen: some messages took more than one claim.
    let sent = app.get_json(&format!("/api/v1/messages?festival={festival}&state=sent&per_page=50")).await;
    assert!(sent["items"].as_array().unwrap().iter().any(|message| message["attempts"].as_i64() > Some(1)), "{sent}");
}

#[tokio::test]
async fn a_crash_in_the_middle_of_a_mailing_loses_nothing_and_repeats_only_what_was_in_flight() {
    let smtp = SmtpServer::start(0, Script { keep: true, delay: Duration::from_millis(4), ..Script::default() }).await;
    // This instance only takes requests: the messages are sent by a separate process.
    let app = spawn_app_with(|config| config.mail_worker = false).await;
    let festival = festival(&app).await;
    let mut csv = String::from("Họ và tên,Vai trò,Email,Mời\n");
    for i in 0..500 {
        csv.push_str(&format!("Khách {},Khách mời,khach{i}@example.vn,x\n", spelled(i)));
    }
    let imported = crate::import::upload(&app, festival, "khach.csv", csv.into_bytes()).await;
    assert_eq!(expect_json(imported, StatusCode::OK).await["imported"], 500);
    let accepted = send(&app, festival, json!({})).await;

    let data_dir = tempfile::tempdir().unwrap();
    let sender = |dir: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_ngayhoi"))
            .arg("serve")
            .env("DATABASE_URL", &app.database_url)
            .env("BIND_ADDR", "127.0.0.1:0")
            .env("DATA_DIR", dir)
            .env("SMTP_URL", format!("smtp://127.0.0.1:{}", smtp.port))
            .env("MAIL_LEASE_SECS", "2")
            .env("LOG", "warn")
            .spawn()
            .expect("ngayhoi starts")
    };
    let mut first = sender(data_dir.path());
    wait_for_mail(&smtp, 100).await;
    first.kill().expect("kill -9");
    first.wait().unwrap();
    let at_crash = smtp.count();
    assert!(at_crash < 500, "the crash came before the end: {at_crash}");
    let mut second = sender(data_dir.path());
    let job = wait_for_job(&app, &accepted["job_id"]).await;
    second.kill().unwrap();
    second.wait().unwrap();
    assert_eq!((job["state"].as_str(), job["done"].as_i64()), (Some("done"), Some(500)), "{job}");
    let mut recipients: Vec<String> = smtp.messages().into_iter().flat_map(|message| message.recipients).collect();
    let total = recipients.len();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 500, "every guest got the invitation");
    // Only messages in flight at the crash (MAIL_CONCURRENCY = 4) may arrive twice.
    assert!(total - 500 <= 4, "{} messages repeated", total - 500);
    println!("crash after {at_crash} messages; {} repeated", total - 500);
}

/// The app sending through `url`, trusting `authority` when given (its PEM written to a file
/// the returned handle keeps).
async fn app_sending_through(url: String, authority: Option<&Authority>) -> (TestApp, tempfile::NamedTempFile) {
    let ca_file = tempfile::NamedTempFile::new().unwrap();
    if let Some(authority) = authority {
        std::fs::write(ca_file.path(), &authority.pem).unwrap();
    }
    let path = authority.map(|_| ca_file.path().to_path_buf());
    let app = spawn_app_with(move |config| {
        config.smtp_url = Some(url);
        config.smtp_ca_file = path;
        config.mail_retry_base_secs = 1;
    })
    .await;
    (app, ca_file)
}

/// Invites `count` guests of a new festival and starts the mailing; the job as accepted.
async fn invite(app: &TestApp, count: usize) -> (i64, Value) {
    let festival = festival(app).await;
    for i in 0..count {
        let guest = json!({"full_name": format!("Khách {}", spelled(i)), "role": "guest",
            "email": format!("khach{i}@example.vn"), "invited": true});
        add(app, festival, guest).await;
    }
    (festival, send(app, festival, json!({})).await)
}

#[tokio::test]
async fn mail_goes_through_a_relay_over_starttls_or_tls_with_a_password_and_a_private_authority() {
    let authority = Authority::new();
    // A password with characters that must be percent-encoded in SMTP_URL.
    let (user, password) = ("ngayhoi", "mật khẩu:@/ 20%");
    let encoded = percent_encoding::utf8_percent_encode(password, percent_encoding::NON_ALPHANUMERIC).to_string();
    for (security, url) in [
        (Security::starttls(&authority), "smtp://{user}:{password}@localhost:{port}?tls=required"),
        (Security::wrapper(&authority), "smtps://{user}:{password}@localhost:{port}"),
    ] {
        let login = Some((user.to_owned(), password.to_owned()));
        let smtp = SmtpServer::start(0, Script { keep: true, security, login, ..Script::default() }).await;
        let url = url.replace("{user}", user).replace("{password}", &encoded).replace("{port}", &smtp.port.to_string());
        let (app, _ca_file) = app_sending_through(url.clone(), Some(&authority)).await;
        let (_, accepted) = invite(&app, 12).await;
        let job = wait_for_job(&app, &accepted["job_id"]).await;
        assert_eq!((job["done"].as_i64(), job["failed"].as_i64()), (Some(12), Some(0)), "{url}: {job}");
        let received = smtp.messages();
        assert_eq!(received.len(), 12, "{url}");
        assert!(received.iter().all(|message| message.encrypted && message.user.as_deref() == Some(user)), "{url}");
        // The connections are kept for the next message: no more than the senders.
        let connections = smtp.connections.load(std::sync::atomic::Ordering::SeqCst);
        assert!((1..=4).contains(&connections), "{url}: {connections} connections for 12 messages");
    }
}

#[tokio::test]
async fn a_relay_that_cannot_be_trusted_or_logged_in_to_holds_mail_back_without_blaming_the_guests() {
    let authority = Authority::new();
    let login = Some(("ngayhoi".to_owned(), "matkhau".to_owned()));
    let script = Script { keep: true, security: Security::starttls(&authority), login, ..Script::default() };
    let smtp = SmtpServer::start(0, script).await;
    let cases = [
        // Its certificate is signed by an authority the app was not told to trust.
        (format!("smtp://ngayhoi:matkhau@localhost:{}?tls=required", smtp.port), None, "certificate", "SMTP_CA_FILE"),
        // The password is wrong.
        (format!("smtp://ngayhoi:sai@localhost:{}?tls=required", smtp.port), Some(&authority), "535", "mật khẩu"),
    ];
    for (url, trusted, reason, hint) in cases {
        let (app, _ca_file) = app_sending_through(url.clone(), trusted).await;
        let connections = smtp.connections.load(std::sync::atomic::Ordering::SeqCst);
        let (festival, _) = invite(&app, 20).await;
        let retrying = wait_for_retrying(&app, festival, 20).await;
        let error = retrying["items"][0]["last_error"].as_str().unwrap_or_default();
        assert!(error.contains(reason) && error.contains(hint), "{url}: {error}");
        // Once a connection failed, the next ones wait (5 s, then 10 s): 20 messages do not
        // knock 20 times. At most the 4 senders at first, and 4 again after the first wait on a
        // machine slow enough to take that long.
        let knocked = smtp.connections.load(std::sync::atomic::Ordering::SeqCst) - connections;
        assert!(knocked <= 8, "{url}: {knocked} connections for 20 messages");
        // The guests are not to blame: nobody is put on the do-not-send list.
        let again = send(&app, festival, json!({"resend": true})).await;
        assert_eq!(again["withheld"], 0, "{url}: {again}");
    }
    assert_eq!(smtp.count(), 0);
}

#[tokio::test]
async fn a_guest_unsubscribes_in_one_click_and_is_not_written_to_again() {
    let smtp = SmtpServer::start(0, Script { keep: true, ..Script::default() }).await;
    let app = app_sending_to(&smtp).await;
    let (festival, accepted) = invite(&app, 2).await;
    wait_for_job(&app, &accepted["job_id"]).await;
    let received = smtp.messages();
    let to_first = received.iter().find(|message| message.recipients == ["khach0@example.vn"]).expect("guest 0's mail");
    let mail = MessageParser::default().parse(&to_first.data).expect("a MIME message");
    let link = format!("{}/unsubscribe/{}", app.address, mail.message_id().expect("Message-ID"));

    // No login and no cookies: the link is the key. Opening it changes nothing.
    let stranger = reqwest::Client::new();
    let opened = stranger.get(&link).send().await.unwrap();
    assert_eq!(opened.status(), StatusCode::OK);
    let opened = opened.text().await.unwrap();
    assert!(opened.contains("k•••@example.vn") && opened.contains("Hủy nhận thư</button>"), "{opened}");
    let another = send(&app, festival, json!({"resend": true})).await;
    assert_eq!(another["withheld"], 0, "only opened: {another}");
    wait_for_job(&app, &another["job_id"]).await;

    // The mail provider's one-click POST (RFC 8058).
    let clicked = stranger
        .post(&link)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(clicked.status(), StatusCode::OK);
    assert!(clicked.text().await.unwrap().contains("Đã hủy."));
    let again = stranger.get(&link).send().await.unwrap().text().await.unwrap();
    assert!(again.contains("Đã hủy.") && !again.contains("</button>"), "{again}");

    // Guest 0 is withheld from now on, with the reason; guest 1 still gets mail.
    let before = smtp.count();
    let last = send(&app, festival, json!({"resend": true})).await;
    assert_eq!((last["total"].as_i64(), last["withheld"].as_i64()), (Some(2), Some(1)), "{last}");
    wait_for_job(&app, &last["job_id"]).await;
    assert_eq!(smtp.count(), before + 1);
    let withheld = app.get_json(&format!("/api/v1/messages?festival={festival}&state=withheld")).await;
    assert_eq!(withheld["items"][0]["to"], "khach0@example.vn");
    let reason = withheld["items"][0]["last_error"].as_str().unwrap_or_default();
    assert!(reason.contains("không nhận thư nữa"), "{reason}");

    // A link that names no message is the error page.
    let unknown = stranger.post(format!("{}/unsubscribe/ngayhoi-khong-co@x.vn", app.address)).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(unknown.text().await.unwrap().contains("Liên kết hủy nhận thư không hợp lệ."));
}

#[tokio::test]
async fn unsubscribing_withholds_the_mail_still_waiting_for_that_address() {
    // Nobody listens yet: the mailing waits, retrying.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (app, _) = app_sending_through(format!("smtp://127.0.0.1:{port}"), None).await;
    let (festival, accepted) = invite(&app, 3).await;
    // A mailing to guest 1 alone, which ends when they unsubscribe.
    let participants = app.get_json(&format!("/api/v1/festivals/{festival}/participants")).await;
    let guest1 = participants["items"].as_array().unwrap().iter().find(|p| p["email"] == "khach1@example.vn").unwrap();
    let alone = send(&app, festival, json!({"participant_ids": [guest1["id"]], "resend": true})).await;
    wait_for_retrying(&app, festival, 4).await;
    let waiting = {
        use ngayhoi::entities::outbox_message;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        outbox_message::Entity::find()
            .filter(outbox_message::Column::ToAddress.eq("khach1@example.vn"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("guest 1's message")
    };
    let link = format!("{}/unsubscribe/{}", app.address, waiting.message_id.trim_matches(['<', '>']));
    let clicked = reqwest::Client::new().post(&link).body("List-Unsubscribe=One-Click").send().await.unwrap();
    assert_eq!(clicked.status(), StatusCode::OK);
    let alone = app.get_json(&format!("/api/v1/jobs/{}", alone["job_id"])).await;
    assert_eq!((alone["state"].as_str(), alone["withheld"].as_i64()), (Some("done"), Some(1)), "{alone}");
    let smtp = SmtpServer::start(port, Script { keep: true, ..Script::default() }).await;
    let job = wait_for_job(&app, &accepted["job_id"]).await;
    assert_eq!((job["done"].as_i64(), job["withheld"].as_i64()), (Some(2), Some(1)), "{job}");
    let recipients: Vec<_> = smtp.messages().into_iter().flat_map(|message| message.recipients).collect();
    assert_eq!(recipients.len(), 2);
    assert!(!recipients.contains(&"khach1@example.vn".to_owned()), "{recipients:?}");
    let withheld = app.get_json(&format!("/api/v1/messages?festival={festival}&state=withheld")).await;
    assert_eq!(withheld["total"], 2);
    assert!(withheld["items"].as_array().unwrap().iter().all(|message| message["to"] == "khach1@example.vn"));
}

#[tokio::test]
async fn a_refused_sender_fails_the_messages_without_blaming_the_guests() {
    // Refused at MAIL, or at RCPT as postfix does by default.
    for delay_reject in [false, true] {
        let script = Script { keep: true, refuse_sender: Some("ngayhoi@".into()), delay_reject, ..Script::default() };
        let smtp = SmtpServer::start(0, script).await;
        let app = app_sending_to(&smtp).await;
        let (festival, accepted) = invite(&app, 2).await;
        let job = wait_for_job(&app, &accepted["job_id"]).await;
        assert_eq!((job["done"].as_i64(), job["failed"].as_i64()), (Some(0), Some(2)), "{delay_reject}: {job}");
        let failed = app.get_json(&format!("/api/v1/messages?festival={festival}&state=failed")).await;
        let reason = failed["items"][0]["last_error"].as_str().unwrap_or_default();
        assert!(reason.contains("553") && reason.contains("Sender address rejected"), "{reason}");
        // The guests' addresses are fine: once the sender is mended, they are written to.
        let again = send(&app, festival, json!({"resend": true})).await;
        assert_eq!(
            (again["total"].as_i64(), again["withheld"].as_i64()),
            (Some(2), Some(0)),
            "{delay_reject}: {again}"
        );
        assert_eq!(smtp.count(), 0);
    }
}

#[tokio::test]
async fn an_instance_that_shuts_down_hands_back_what_it_held_and_the_next_sends_each_once() {
    // A slow server, so that the first instance holds messages it has not sent when it stops.
    let smtp = SmtpServer::start(0, Script { keep: true, delay: Duration::from_millis(50), ..Script::default() }).await;
    let url = format!("smtp://127.0.0.1:{}", smtp.port);
    let app = spawn_app_with(|config| config.mail_worker = false).await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let first = {
        let url = url.clone();
        instance(&app, move |config| {
            config.smtp_url = Some(url);
            // Without the hand-back, what it held would wait this long.
            config.mail_lease_secs = 3600;
        })
        .await
    };
    let first = tokio::spawn(first.run_until(async move {
        let _ = stopped.await;
    }));
    let (festival, accepted) = invite(&app, 60).await;
    wait_for_mail(&smtp, 5).await;
    stop.send(()).unwrap();
    first.await.unwrap().unwrap();
    let sent_before = smtp.count();
    assert!(sent_before < 60, "the first instance stopped before the end ({sent_before} sent)");
    let sending = app.get_json(&format!("/api/v1/messages?festival={festival}&state=sending")).await;
    assert_eq!(sending["total"], 0, "nothing is left held: {sending}");

    let _second = second_instance(&app, move |config| config.smtp_url = Some(url)).await;
    let job = wait_for_job(&app, &accepted["job_id"]).await;
    assert_eq!((job["state"].as_str(), job["done"].as_i64()), (Some("done"), Some(60)), "{job}");
    let mut recipients: Vec<String> = smtp.messages().into_iter().flat_map(|message| message.recipients).collect();
    assert_eq!(recipients.len(), 60, "no message twice");
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 60, "every guest once");
}

#[tokio::test]
async fn a_message_waiting_for_its_next_try_can_be_sent_now() {
    // Nobody listens yet, and the next try would be an hour away.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = spawn_app_with(move |config| {
        config.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        config.mail_retry_base_secs = 3600;
    })
    .await;
    let (festival, accepted) = invite(&app, 1).await;
    let waiting = wait_for_retrying(&app, festival, 1).await;
    let id = &waiting["items"][0]["id"];
    // The log offers "send now" for it.
    let log = page(&app, &format!("/festivals/{festival}/messages"), StatusCode::OK).await;
    assert!(log.contains("Gửi ngay"), "{log}");
    let smtp = SmtpServer::start(port, Script { keep: true, ..Script::default() }).await;
    expect_json(app.post(&format!("/api/v1/messages/{id}/resend"), &json!({})).await, StatusCode::ACCEPTED).await;
    // Pressed while the relay still waits after the failure (5 s), the try waits for it too
    // without counting: the message goes within seconds, not after its hour.
    let job = wait_for_job(&app, &accepted["job_id"]).await;
    assert_eq!((job["done"].as_i64(), smtp.count()), (Some(1), 1), "{job}");
}

#[tokio::test]
async fn a_ca_file_without_a_certificate_is_refused_at_start() {
    let data_dir = tempfile::tempdir().unwrap();
    let key = data_dir.path().join("ca.pem");
    std::fs::write(&key, "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n").unwrap();
    let mut config = ngayhoi::config::Config::defaults();
    config.smtp_url = Some("smtp://localhost:587?tls=required".into());
    config.smtp_ca_file = Some(key);
    config.data_dir = data_dir.path().to_path_buf();
    let refused = ngayhoi::mail::transport::Mailer::from_config(&config).err().expect("refused").to_string();
    assert!(refused.contains("holds no PEM certificate"), "{refused}");
}
