//! E-mailing invitations from the pages, as a browser does it: the festival page's send
//! button and its refusals, the sending job's page, and the mail log with its filter and
//! resend buttons. The test app has no SMTP server: messages become `.eml` files.

use ngayhoi::entities::outbox_message;
use ngayhoi::mail::model::MessageState;
use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::commendation::issuer;
use crate::documents::festival_with_issuer;
use crate::helpers::*;
use crate::participants::add;

/// A festival with its issuer and three guests: one with an address, one without, and one
/// whose address the tests make fail.
pub(crate) async fn festival_with_guests(app: &TestApp) -> i64 {
    let festival = festival_with_issuer(app, issuer(app).await).await;
    for guest in [
        json!({"full_name": "Trần Thị Hoa", "role": "official", "email": "hoa@example.vn", "invited": true}),
        json!({"full_name": "Lê Văn Không Thư", "role": "guest", "invited": true}),
        json!({"full_name": "Ngô Văn Lỗi", "role": "guest", "email": "loi@example.vn", "invited": true}),
    ] {
        add(app, festival, guest).await;
    }
    add(app, festival, json!({"full_name": "Phạm Văn Dân", "role": "resident", "email": "dan@example.vn"})).await;
    festival
}

/// Posts the festival page's send button; returns the job it opened.
pub(crate) async fn send_from_page(app: &TestApp, festival: i64, fields: &[(&str, &str)]) -> Value {
    let location = see_other(&post_form(app, &format!("/festivals/{festival}/invitations/email"), fields).await);
    let id: i64 = location
        .strip_prefix("/jobs/")
        .and_then(|rest| rest.strip_suffix("?msg=queued"))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"));
    json!(id)
}

/// The festival's messages as the API lists them, once none is left to send (at most a minute).
async fn settled_messages(app: &TestApp, festival: i64) -> Vec<Value> {
    for _ in 0..600 {
        let log = app.get_json(&format!("/api/v1/messages?festival={festival}&per_page=500")).await;
        let items = log["items"].as_array().unwrap().clone();
        if items.iter().all(|message| !["queued", "sending", "retrying"].contains(&message["state"].as_str().unwrap()))
        {
            return items;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("messages of festival {festival} still waiting after a minute");
}

/// The messages to `address`, newest first.
fn to<'a>(messages: &'a [Value], address: &str) -> Vec<&'a Value> {
    messages.iter().filter(|message| message["to"] == address).collect()
}

#[tokio::test]
async fn the_send_button_queues_the_invitations_and_the_job_page_follows_the_mailing() {
    let app = spawn_app().await;
    let festival = festival_with_guests(&app).await;
    let body = page(&app, &format!("/festivals/{festival}"), StatusCode::OK).await;
    assert!(body.contains(&format!("action=\"/festivals/{festival}/invitations/email\"")), "{body}");
    assert!(body.contains("Gửi giấy mời qua email</button>"), "{body}");
    assert!(body.contains("name=\"resend\" value=\"true\"> Gửi lại cho người đã nhận"), "{body}");
    assert!(body.contains("1 khách mời chưa có địa chỉ email: thư của họ sẽ ở trạng thái “Không gửi”."), "{body}");
    assert!(body.contains(&format!("href=\"/festivals/{festival}/messages\">Nhật ký thư")), "{body}");
    // Without an SMTP server nothing leaves the machine, and both pages say where it went.
    let to_files = "Chưa cấu hình máy chủ thư (SMTP_URL): thư không được gửi đi mà được lưu thành tệp .eml";
    assert!(body.contains(to_files) && body.contains("/outbox trên máy chủ."), "{body}");

    let id = send_from_page(&app, festival, &[]).await;
    let body = page(&app, &format!("/jobs/{id}?msg=queued"), StatusCode::OK).await;
    assert!(body.contains("Đã xếp lịch gửi 3 thư giấy mời."), "{body}");
    assert!(body.contains(to_files), "{body}");
    assert!(body.contains("<h1>Gửi giấy mời qua email</h1>"), "{body}");
    let job = wait_for_job(&app, &id).await;
    assert_eq!(
        (job["state"].as_str(), job["total"].as_i64(), job["done"].as_i64(), job["withheld"].as_i64()),
        (Some("done"), Some(3), Some(2), Some(1)),
        "{job}"
    );
    assert_eq!(job["download_url"], Value::Null, "a mailing makes no file");

    let body = page(&app, &format!("/jobs/{id}"), StatusCode::OK).await;
    assert!(body.contains("Hoàn thành") && body.contains("3 / 3 · 100%"), "withheld ones are handled: {body}");
    assert!(body.contains("<dt>Đã gửi</dt><dd data-job-field=\"done\">2</dd>"), "{body}");
    assert!(body.contains("<dt>Không gửi được</dt><dd data-job-field=\"failed\">0</dd>"), "{body}");
    assert!(body.contains("<dt>Không gửi</dt><dd data-job-field=\"withheld\">1</dd>"), "{body}");
    assert!(body.contains(&format!("href=\"/festivals/{festival}/messages\">Nhật ký thư</a>")), "{body}");
    assert!(!body.contains("Tải tệp PDF") && !body.contains("/cancel"), "{body}");
    let festival_page = page(&app, &format!("/festivals/{festival}"), StatusCode::OK).await;
    assert!(festival_page.contains(&format!("<a href=\"/jobs/{id}\">Gửi giấy mời qua email (số {id})</a>")));

    // Everyone has theirs: a second press sends nothing and says how to send again.
    let again = send_from_page(&app, festival, &[]).await;
    assert_eq!(wait_for_job(&app, &again).await["total"], 0);
    let body = page(&app, &format!("/jobs/{again}?msg=queued"), StatusCode::OK).await;
    assert!(body.contains("Không có thư mới để gửi") && body.contains("0 / 0 · 100%"), "{body}");
    let resent = send_from_page(&app, festival, &[("resend", "true")]).await;
    let job = wait_for_job(&app, &resent).await;
    assert_eq!((job["total"].as_i64(), job["done"].as_i64()), (Some(3), Some(2)), "{job}");
    assert_eq!(to(&settled_messages(&app, festival).await, "hoa@example.vn").len(), 2);
}

#[tokio::test]
async fn a_send_the_festival_cannot_make_comes_back_on_its_page() {
    let app = spawn_app().await;
    let festival = crate::documents::future_festival(&app, "Khu phố Hoa Mai").await;
    add(&app, festival, json!({"full_name": "Võ Thị Sáu", "role": "official", "invited": true})).await;
    let path = format!("/festivals/{festival}/invitations/email");
    let body = html(post_form(&app, &path, &[]).await, StatusCode::CONFLICT).await;
    assert!(body.contains("<strong>Không thực hiện được.</strong> Hãy chọn cơ quan phát hành giấy mời"), "{body}");
    assert_eq!(template_of(&body), "festivals/show.html");
    assert!(body.contains("<h2 id=\"invitations-title\">Giấy mời</h2>"), "the festival's page: {body}");

    let other = festival_with_issuer(&app, issuer(&app).await).await;
    let body =
        html(post_form(&app, &format!("/festivals/{other}/invitations/email"), &[]).await, StatusCode::CONFLICT).await;
    assert!(body.contains("Chưa có ai được đánh dấu là khách mời của ngày hội."), "{body}");
    let log = app.get_json(&format!("/api/v1/messages?festival={other}")).await;
    assert_eq!(log["total"], 0, "nothing queued");
    // Outside the officer's scope the festival is not found.
    app.user_token("hanoi@ngayhoi.test", "commune", Some(COMMUNE_HANOI), None).await;
    let outsider = browser_of(&app, "hanoi@ngayhoi.test").await;
    let refused = post_form(&outsider, &format!("/festivals/{other}/invitations/email"), &[]).await;
    html(refused, StatusCode::NOT_FOUND).await;
    page(&outsider, &format!("/festivals/{other}/messages"), StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn the_mail_log_lists_each_message_filters_by_state_and_sends_again() {
    let app = spawn_app().await;
    let festival = festival_with_guests(&app).await;
    let log_path = format!("/festivals/{festival}/messages");
    let body = page(&app, &log_path, StatusCode::OK).await;
    assert!(body.contains("<h1>Nhật ký thư</h1>") && body.contains("<h2>Chưa có thư nào</h2>"), "{body}");
    assert!(!body.contains("Gửi lại tất cả"), "{body}");

    let job = send_from_page(&app, festival, &[]).await;
    wait_for_job(&app, &job).await;
    // The server refused Ngô Văn Lỗi's address.
    outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::State, Expr::value(MessageState::Failed))
        .col_expr(outbox_message::Column::LastError, Expr::value("550 Hộp thư không tồn tại"))
        .filter(outbox_message::Column::ToAddress.eq("loi@example.vn"))
        .exec(&app.db)
        .await
        .unwrap();
    let messages = settled_messages(&app, festival).await;
    let sent_at = chrono::DateTime::parse_from_rfc3339(to(&messages, "hoa@example.vn")[0]["sent_at"].as_str().unwrap())
        .unwrap()
        .format("%d/%m/%Y %H:%M")
        .to_string();

    let body = page(&app, &log_path, StatusCode::OK).await;
    for text in [
        "<dt>Đã gửi</dt><dd>1</dd>",
        "<dt>Không gửi được</dt><dd>1</dd>",
        "<dt>Không gửi</dt><dd>1</dd>",
        "Trần Thị Hoa</a>",
        "hoa@example.vn",
        "<span class=\"badge status-held\">Đã gửi</span>",
        &sent_at,
        "Lê Văn Không Thư</a>",
        "Chưa có địa chỉ email",
        "<span class=\"badge status-warn\">Không gửi</span>",
        "Không có địa chỉ email.",
        "<span class=\"badge status-cancelled\">Không gửi được</span>",
        "550 Hộp thư không tồn tại",
        "Giấy mời dự Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2027 – Khu phố Đông Hòa",
        "Gửi lại tất cả thư lỗi (1)…",
    ] {
        assert!(body.contains(text), "the log lacks {text:?}: {body}");
    }
    assert_eq!(body.matches(">Gửi lại<span class=\"visually-hidden\">").count(), 3, "{body}");
    assert!(!body.contains("Phạm Văn Dân"), "not invited: {body}");

    let body = page(&app, &format!("{log_path}?state=withheld"), StatusCode::OK).await;
    assert!(body.contains("<option value=\"withheld\" selected>Không gửi</option>"), "{body}");
    assert!(body.contains("Lê Văn Không Thư") && !body.contains("Trần Thị Hoa"), "{body}");
    assert!(body.contains(&format!("href=\"{log_path}\">Xóa bộ lọc")), "{body}");
    let body = page(&app, &format!("{log_path}?state=queued"), StatusCode::OK).await;
    assert!(body.contains("Không có thư nào ở trạng thái “Chờ gửi”"), "{body}");
    // Past the last page, with a filter: this page is empty, not the filter's list.
    let body = page(&app, &format!("{log_path}?state=withheld&page=2"), StatusCode::OK).await;
    assert!(body.contains("Trang 2 không có thư nào") && body.contains("Danh sách có 1 thư, trên một trang."));
    assert!(body.contains(&format!("href=\"{log_path}?state=withheld&page=1\">Về trang đầu")), "{body}");
    assert!(!body.contains("Không có thư nào ở trạng thái"), "{body}");

    // Still no address: the log says so.
    let withheld = messages.iter().find(|message| message["state"] == "withheld").unwrap();
    let refused = post_form(&app, &format!("/messages/{}/resend", withheld["id"]), &[]).await;
    let body = html(refused, StatusCode::CONFLICT).await;
    assert!(body.contains("<strong>Không gửi lại được.</strong> Không có địa chỉ email."), "{body}");
    assert_eq!(template_of(&body), "mail/log.html");

    // One sent message, sent again: a new message, sent too.
    let hoa = to(&messages, "hoa@example.vn")[0]["id"].clone();
    let resent = post_form(&app, &format!("/messages/{hoa}/resend"), &[]).await;
    assert_eq!(see_other(&resent), format!("{log_path}?msg=resent"));
    let body = page(&app, &format!("{log_path}?msg=resent"), StatusCode::OK).await;
    assert!(body.contains("Đã xếp lịch gửi lại thư."), "{body}");
    let messages = settled_messages(&app, festival).await;
    let states: Vec<&Value> = to(&messages, "hoa@example.vn").iter().map(|message| &message["state"]).collect();
    assert_eq!(states, [&json!("sent"), &json!("sent")]);

    // Every failed message, at once.
    let requeued = post_form(&app, &format!("{log_path}/resend-failed"), &[]).await;
    assert_eq!(see_other(&requeued), format!("{log_path}?requeued=1"));
    let body = page(&app, &format!("{log_path}?requeued=1"), StatusCode::OK).await;
    assert!(body.contains("Đã xếp lịch gửi lại 1 thư không gửi được."), "{body}");
    let messages = settled_messages(&app, festival).await;
    assert_eq!(to(&messages, "loi@example.vn")[0]["state"], "sent");
    let requeued = post_form(&app, &format!("{log_path}/resend-failed"), &[]).await;
    let body = page(&app, &see_other(&requeued), StatusCode::OK).await;
    assert!(body.contains("Không có thư nào không gửi được để gửi lại."), "{body}");
    assert!(!body.contains("Gửi lại tất cả thư lỗi"), "{body}");
}
