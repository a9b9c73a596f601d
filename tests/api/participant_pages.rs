//! The participant pages as a browser uses them: the festival page's counts, the add and edit
//! forms, the list, spreadsheet import, check-in, public registration and RSVP (API.md, *Pages*).

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::participants::{add, festival_id};
use crate::registration::open_festival;

/// A visitor who is not logged in, with the form token of the page at `path`.
async fn visitor(app: &TestApp, path: &str) -> (reqwest::Client, String) {
    let browser = fresh_browser();
    let body = html(browser.get(app.url(path)).send().await.unwrap(), StatusCode::OK).await;
    let token = csrf_token_in(&body);
    (browser, token)
}

/// The visitor registers on the public page `path`.
async fn register(app: &TestApp, path: &str, full_name: &str, phone: &str) -> reqwest::Response {
    let (browser, token) = visitor(app, path).await;
    let form = [
        ("authenticity_token", token.as_str()),
        ("full_name", full_name),
        ("phone", phone),
        ("email", ""),
        ("website", ""),
    ];
    let response = browser.post(app.url(path)).form(&form).send().await.unwrap();
    if response.status() != StatusCode::SEE_OTHER {
        return response;
    }
    // Registered: on to the person's own RSVP page, as a browser follows the redirect.
    browser.get(app.url(&see_other(&response))).send().await.unwrap()
}

/// The text between `start` and the next `end` in `body`.
fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body.find(start).map(|at| at + start.len()).unwrap_or_else(|| panic!("no {start:?} in {body}"));
    body[from..].split(end).next().unwrap_or_default()
}

/// Where `needle` first appears in `body`.
fn position(body: &str, needle: &str) -> usize {
    body.find(needle).unwrap_or_else(|| panic!("no {needle:?} in the page"))
}

/// A participant form with `full_name` and the rest blank, for `with` to change.
fn participant_fields(full_name: &str) -> Vec<(&str, &str)> {
    vec![
        ("full_name", full_name),
        ("given_name", ""),
        ("sex", ""),
        ("role", "resident"),
        ("email", ""),
        ("phone", ""),
        ("cccd", ""),
        ("organization", ""),
        ("title", ""),
        ("address", ""),
    ]
}

fn with<'a>(mut fields: Vec<(&'a str, &'a str)>, name: &'a str, value: &'a str) -> Vec<(&'a str, &'a str)> {
    match fields.iter_mut().find(|(field, _)| *field == name) {
        Some((_, old)) => *old = value,
        None => fields.push((name, value)),
    }
    fields
}

/// Uploads `file` as `name` on the import page, with the form token before the file.
async fn upload(app: &TestApp, festival: i64, name: &str, file: &str) -> reqwest::Response {
    let part = Part::bytes(file.as_bytes().to_vec()).file_name(name.to_owned()).mime_str("text/csv").unwrap();
    let form = Form::new().text("authenticity_token", app.csrf_token.clone()).part("file", part);
    let path = format!("/festivals/{festival}/participants/import");
    app.browser.post(app.url(&path)).multipart(form).send().await.unwrap()
}

async fn total(app: &TestApp, festival: i64) -> u64 {
    app.get_json(&format!("/api/v1/festivals/{festival}/participants/counts")).await["total"].as_u64().unwrap()
}

#[tokio::test]
async fn the_festival_page_shows_participant_counts_and_the_ways_to_work_with_them() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let guest = add(&app, festival, json!({"full_name": "Võ Thị Sáu", "role": "official", "invited": true})).await;
    add(&app, festival, json!({"full_name": "Lê Văn Tám", "role": "resident"})).await;
    let checkin = json!({"code": guest["checkin_code"]});
    expect_json(app.post(&format!("/api/v1/festivals/{festival}/checkins"), &checkin).await, StatusCode::OK).await;

    let body = page(&app, &format!("/festivals/{festival}"), StatusCode::OK).await;
    for (label, count) in [("Tổng số", 2), ("Được mời", 1), ("Đăng ký có chỗ", 0), ("Đã điểm danh", 1)]
    {
        assert!(body.contains(&format!("<dt>{label}</dt><dd>{count}")), "{label} {count}: {body}");
    }
    for link in [
        format!("href=\"/festivals/{festival}/participants\""),
        format!("href=\"/festivals/{festival}/participants/new\""),
        format!("href=\"/festivals/{festival}/participants/import\""),
        format!("href=\"/festivals/{festival}/checkin\""),
        format!("href=\"/api/v1/festivals/{festival}/participants/export?format=xlsx\""),
        format!("href=\"/api/v1/festivals/{festival}/participants/export?format=csv\""),
        "href=\"/api/v1/participants/import-template.xlsx\"".to_owned(),
    ] {
        assert!(body.contains(&link), "lacks {link}");
    }
    // The export links work with the browser's login.
    let export = app.browser.get(app.url(&format!("/api/v1/festivals/{festival}/participants/export?format=csv")));
    let export = export.send().await.unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export.text().await.unwrap().contains("Võ Thị Sáu"));
}

#[tokio::test]
async fn a_participant_is_added_through_the_form_and_a_refused_one_keeps_what_was_typed() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let path = format!("/festivals/{festival}/participants");
    let new = page(&app, &format!("{path}/new"), StatusCode::OK).await;
    assert!(new.contains("Để trống = chữ cuối của họ tên.") && new.contains("Tình nguyện viên"), "{new}");

    let bad = with(with(participant_fields("Nguyễn Văn Ân"), "email", "an@"), "phone", "0612 345 678");
    let body = html(post_form(&app, &path, &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-email\">Địa chỉ email không đúng"), "{body}");
    assert!(body.contains("id=\"e-phone\">Số điện thoại di động có 10 chữ số"), "{body}");
    assert!(
        body.contains("value=\"Nguyễn Văn Ân\"")
            && body.contains("value=\"an@\"")
            && body.contains("value=\"0612 345 678\"")
    );
    assert_eq!(total(&app, festival).await, 0);

    // 003 is no province code: saved, with a warning on the participant's page.
    let fields = [
        ("full_name", "  Trần Thị  Bình "),
        ("given_name", ""),
        ("sex", "female"),
        ("role", "guest"),
        ("invited", "true"),
        ("email", ""),
        ("phone", "+84 912 345 678"),
        ("cccd", "003185001234"),
        ("organization", "Hội Phụ nữ phường"),
        ("title", ""),
        ("address", ""),
    ];
    let location = see_other(&post_form(&app, &path, &fields).await);
    let id = between(&location, "/participants/", "/edit?msg=created").to_owned();
    let stored = app.get_json(&format!("/api/v1/participants/{id}")).await;
    assert_eq!(
        (&stored["full_name"], &stored["given_name"], &stored["phone"], &stored["role"], &stored["invited"]),
        (&json!("Trần Thị Bình"), &json!("Bình"), &json!("0912345678"), &json!("guest"), &json!(true))
    );
    let body = page(&app, &location, StatusCode::OK).await;
    assert!(
        body.contains("Đã thêm người tham dự.") && body.contains("Ba chữ số đầu (003) không phải mã tỉnh"),
        "{body}"
    );

    // The same CCCD again: the conflict is told next to the field.
    let twin = with(participant_fields("Trần Thị Bích"), "cccd", "003185001234");
    let body = html(post_form(&app, &path, &twin).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains(&format!("id=\"e-cccd\">Trùng với người tham dự số {id}: Trần Thị Bình.")), "{body}");
}

#[tokio::test]
async fn a_participant_is_edited_given_a_new_rsvp_link_and_deleted_through_the_page() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let created = add(
        &app,
        festival,
        json!({"full_name": "Lê Văn Tám", "role": "resident", "phone": "0912345678", "sex": "male"}),
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let path = format!("/participants/{id}/edit");
    let body = page(&app, &path, StatusCode::OK).await;
    assert!(body.contains("value=\"Lê Văn Tám\"") && body.contains("value=\"0912345678\""), "{body}");
    assert!(body.contains(created["checkin_code"].as_str().unwrap()));

    // A corrected full name brings its given name; a cleared phone is removed.
    let fields =
        with(with(with(participant_fields("Lê Văn Tâm"), "sex", "male"), "role", "volunteer"), "title", "Đội trưởng");
    assert_eq!(see_other(&post_form(&app, &path, &fields).await), format!("{path}?msg=updated"));
    let stored = app.get_json(&format!("/api/v1/participants/{id}")).await;
    assert_eq!(
        (&stored["full_name"], &stored["given_name"], &stored["role"], &stored["phone"], &stored["title"]),
        (&json!("Lê Văn Tâm"), &json!("Tâm"), &json!("volunteer"), &Value::Null, &json!("Đội trưởng"))
    );
    assert!(
        page(&app, &format!("{path}?msg=updated"), StatusCode::OK).await.contains("Đã lưu thông tin người tham dự.")
    );
    let blank = html(post_form(&app, &path, &participant_fields(" ")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(blank.contains("id=\"e-full_name\""), "{blank}");

    // The new RSVP link is shown once and works.
    let body = html(post_form(&app, &format!("/participants/{id}/rsvp-link"), &[]).await, StatusCode::OK).await;
    let link = between(&body, "id=\"rsvp-url\" class=\"copy\" type=\"text\" value=\"", "\"").to_owned();
    assert!(link.starts_with(&format!("{}/r/", app.address)), "{link}");
    assert!(page(&app, link.strip_prefix(&app.address).unwrap(), StatusCode::OK).await.contains("Lê Văn Tâm"));
    assert!(!page(&app, &path, StatusCode::OK).await.contains(&link), "shown once");

    let location = see_other(&post_form(&app, &format!("/participants/{id}/delete"), &[]).await);
    assert_eq!(location, format!("/festivals/{festival}/participants?msg=deleted"));
    assert!(page(&app, &location, StatusCode::OK).await.contains("Đã xóa người tham dự."));
    expect_problem(app.get(&format!("/api/v1/participants/{id}")).await, StatusCode::NOT_FOUND).await;
    page(&app, &path, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn the_list_is_in_vietnamese_order_with_accent_insensitive_search_and_filters() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let expected = ["Trần An", "Nguyễn Văn An", "Phạm Thị Ánh", "Hoàng Ân", "Đỗ Dũng", "Bùi Đức"];
    for name in expected.iter().rev() {
        add(&app, festival, json!({"full_name": name, "role": "resident"})).await;
    }
    add(&app, festival, json!({"full_name": "Mai Hà", "role": "guest", "invited": true, "phone": "0987654321"})).await;
    let path = format!("/festivals/{festival}/participants");
    let body = page(&app, &path, StatusCode::OK).await;
    assert!(body.contains("7 người"), "{body}");
    let places: Vec<usize> = expected.iter().map(|name| position(&body, &format!(">{name}</a>"))).collect();
    assert!(places.windows(2).all(|pair| pair[0] < pair[1]), "Vietnamese order: {places:?}");
    assert!(body.contains("Khách mời") && body.contains("0987654321") && body.contains("Chưa trả lời"));

    let found = page(&app, &format!("{path}?q=duc"), StatusCode::OK).await;
    assert!(found.contains("Bùi Đức") && !found.contains("Đỗ Dũng") && found.contains("1 người khớp bộ lọc"));
    let guests = page(&app, &format!("{path}?role=guest&q="), StatusCode::OK).await;
    assert!(guests.contains("Mai Hà") && !guests.contains("Trần An"));
    let invited = page(&app, &format!("{path}?invited=false"), StatusCode::OK).await;
    assert!(!invited.contains("Mai Hà") && invited.contains("Trần An"));
    let none = page(&app, &format!("{path}?q=khong%20co%20ai"), StatusCode::OK).await;
    assert!(none.contains("Không có người tham dự nào khớp bộ lọc"));
}

#[tokio::test]
async fn a_csv_upload_adds_every_row() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let body = page(&app, &format!("/festivals/{festival}/participants/import"), StatusCode::OK).await;
    assert!(
        body.contains("enctype=\"multipart/form-data\"") && body.contains("Tải tệp mẫu") && body.contains("Họ và tên")
    );
    assert!(
        position(&body, "name=\"authenticity_token\"") < position(&body, "name=\"file\""),
        "the form token comes before the file"
    );

    let csv = "Họ và tên,Vai trò,Số điện thoại,Được mời\nNguyễn Văn An,Khách mời,0912345678,có\nTrần Thị Bình,,,\n";
    let location = see_other(&upload(&app, festival, "danh-sach.csv", csv).await);
    assert_eq!(location, format!("/festivals/{festival}/participants?imported=2"));
    let list = page(&app, &location, StatusCode::OK).await;
    assert!(
        list.contains("Đã nhập 2 người tham dự.") && list.contains("Nguyễn Văn An") && list.contains("Trần Thị Bình")
    );
    let guests = app.get_json(&format!("/api/v1/festivals/{festival}/participants?role=guest")).await;
    assert_eq!((guests["total"].as_u64(), &guests["items"][0]["invited"]), (Some(1), &json!(true)));
}

#[tokio::test]
async fn a_bad_csv_shows_every_row_error_and_adds_nobody() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let csv = "Họ và tên,Vai trò,Email\nNguyễn Văn An,Khách mời,an@example.vn\nTrần Thị Bình,Người dân,binh@\nLê Văn Cường,Khán giả,\n";
    let body = html(upload(&app, festival, "danh-sach.csv", csv).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("Chưa nhập người nào") && body.contains("Tệp có 2 lỗi"), "{body}");
    let rows: Vec<&str> = body.split("<td data-label=\"Dòng\" class=\"nowrap\">").skip(1).collect();
    assert_eq!(rows.len(), 2, "{body}");
    assert!(rows[0].starts_with("3</td>") && rows[0].contains("<td data-label=\"Cột\">Email</td>"), "{}", rows[0]);
    assert!(rows[1].starts_with("4</td>") && rows[1].contains("<td data-label=\"Cột\">Vai trò</td>"), "{}", rows[1]);
    assert!(rows[1].contains("Vai trò là một trong"), "{}", rows[1]);
    assert_eq!(total(&app, festival).await, 0);

    // No file chosen: the browser still sends the field, empty.
    let body = html(upload(&app, festival, "", "").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("Cả tệp"), "{body}");
}

#[tokio::test]
async fn the_check_in_page_checks_a_code_in_once_and_then_tells_when() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let guest =
        add(&app, festival, json!({"full_name": "Đặng Văn Lâm", "role": "official", "phone": "0912345678"})).await;
    add(&app, festival, json!({"full_name": "Đặng Thị Lan", "role": "resident"})).await;
    let path = format!("/festivals/{festival}/checkin");
    let body = page(&app, &path, StatusCode::OK).await;
    assert!(
        body.contains("<strong>0</strong> / 2") && body.contains("autofocus") && body.contains("data-qr-scan"),
        "{body}"
    );

    // As the QR scanner sends it: the invitation's whole link.
    let scanned = format!("{}/verify/{}", app.address, guest["checkin_code"].as_str().unwrap());
    let body = html(post_form(&app, &path, &[("code", &scanned), ("q", "")]).await, StatusCode::OK).await;
    assert!(
        body.contains("Đã điểm danh: <strong>Đặng Văn Lâm</strong>") && body.contains("<strong>1</strong> / 2"),
        "{body}"
    );
    let again = html(post_form(&app, &path, &[("code", &scanned), ("q", "")]).await, StatusCode::CONFLICT).await;
    assert!(again.contains("banner-fail") && again.contains("Đặng Văn Lâm đã điểm danh lúc"), "{again}");
    let unknown =
        html(post_form(&app, &path, &[("code", "ZZZZ-ZZZZ-ZZZZ"), ("q", "")]).await, StatusCode::NOT_FOUND).await;
    assert!(unknown.contains("Không có người tham dự nào của ngày hội này có mã ZZZZZZZZZZZZ"), "{unknown}");

    // Found by name, checked in with the button next to it; the search stays on the page.
    let found = page(&app, &format!("{path}?q=dang%20lan"), StatusCode::OK).await;
    assert!(found.contains("Đặng Thị Lan") && !found.contains("<strong>Đặng Văn Lâm</strong>"), "{found}");
    let lan = app.get_json(&format!("/api/v1/festivals/{festival}/participants?q=lan%20dang")).await;
    let code = lan["items"][0]["checkin_code"].as_str().unwrap().to_owned();
    assert!(found.contains(&format!("name=\"code\" value=\"{code}\"")));
    let body = html(post_form(&app, &path, &[("code", &code), ("q", "dang lan")]).await, StatusCode::OK).await;
    assert!(
        body.contains("Đã điểm danh: <strong>Đặng Thị Lan</strong>") && body.contains("<strong>2</strong> / 2"),
        "{body}"
    );
    assert!(body.contains("class=\"badge status-held\">Đã điểm danh"), "the search now shows her checked in: {body}");
}

#[tokio::test]
async fn public_registration_confirms_then_puts_the_next_person_on_the_waitlist() {
    let app = spawn_app().await;
    let (festival, slug) = open_festival(&app, Some(1), true).await;
    let path = format!("/f/{slug}");
    let (browser, _) = visitor(&app, &path).await;
    let body = html(browser.get(app.url(&path)).send().await.unwrap(), StatusCode::OK).await;
    assert!(body.contains("Còn <strong>1</strong> chỗ.") && body.contains("Để trống ô này"), "{body}");

    let bad = html(register(&app, &path, "", "12345").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(bad.contains("id=\"e-full_name\"") && bad.contains("id=\"e-phone\"") && bad.contains("value=\"12345\""));

    let first = html(register(&app, &path, "Nguyễn Văn Một", "0912000001").await, StatusCode::OK).await;
    assert!(first.contains("Đăng ký thành công — bạn đã có chỗ"), "{first}");
    let stored = app.get_json(&format!("/api/v1/festivals/{}/participants?q=mot", festival)).await;
    let code = stored["items"][0]["checkin_code"].as_str().unwrap();
    assert!(first.contains(&format!("{} {} {}", &code[..4], &code[4..8], &code[8..])), "the code, by fours");
    assert!(first.contains(&format!("href=\"{}/r/", app.address)), "the RSVP link");

    let second = html(register(&app, &path, "Trần Thị Hai", "0912000002").await, StatusCode::OK).await;
    assert!(second.contains("Bạn ở vị trí số 1 trong danh sách chờ"), "{second}");
    let after = page(&app, &path, StatusCode::OK).await;
    assert!(after.contains("Đã hết chỗ: đăng ký bây giờ sẽ vào"), "{after}");
    let twice =
        html(register(&app, &path, "Nguyễn Văn Một", "0912000001").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(twice.contains("id=\"e-phone\">Bạn đã đăng ký với họ tên và số điện thoại này rồi."), "{twice}");

    // A bot filling in the hidden field is refused.
    let (browser, token) = visitor(&app, &path).await;
    let form = [("authenticity_token", token.as_str()), ("full_name", "Bot"), ("website", "http://spam.example")];
    html(browser.post(app.url(&path)).form(&form).send().await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(total(&app, festival).await, 2);
}

#[tokio::test]
async fn a_full_or_closed_festival_says_why_instead_of_the_form() {
    let app = spawn_app().await;
    let (festival, slug) = open_festival(&app, Some(1), false).await;
    let path = format!("/f/{slug}");
    // Someone opens the form while the last seat is still free…
    let (late_browser, token) = visitor(&app, &path).await;
    html(register(&app, &path, "Nguyễn Văn Một", "0912000001").await, StatusCode::OK).await;
    let full = page(&app, &path, StatusCode::OK).await;
    assert!(full.contains("Ngày hội đã hết chỗ.") && !full.contains("name=\"full_name\""), "{full}");

    // … and sends it after the seat went.
    let form = [("authenticity_token", token.as_str()), ("full_name", "Trần Thị Hai"), ("phone", "0912000002")];
    let late = html(late_browser.post(app.url(&path)).form(&form).send().await.unwrap(), StatusCode::CONFLICT).await;
    assert!(late.contains("Ngày hội đã hết chỗ.") && !late.contains("name=\"full_name\""), "{late}");

    let patch = json!({"registration_open": false});
    expect_json(app.patch(&format!("/api/v1/festivals/{}", festival), &patch).await, StatusCode::OK).await;
    assert!(page(&app, &path, StatusCode::OK).await.contains("chưa mở hoặc đã đóng đăng ký"));
    // A festival of 2025 is over.
    let host = app.create_host("Ấp Bình Thạnh", COMMUNE_HCM).await;
    let past = app.create_festival(host["id"].as_i64().unwrap()).await;
    let past_path = format!("/f/{}", past["slug"].as_str().unwrap());
    assert!(page(&app, &past_path, StatusCode::OK).await.contains("Ngày hội đã diễn ra"));
}

#[tokio::test]
async fn the_rsvp_page_accepts_and_declines() {
    let app = spawn_app().await;
    let (festival, slug) = open_festival(&app, Some(1), true).await;
    let path = format!("/f/{slug}");
    let receipt = html(register(&app, &path, "Nguyễn Văn Một", "0912000001").await, StatusCode::OK).await;
    let link = between(&receipt, &format!("href=\"{}", app.address), "\"").to_owned();
    assert!(link.starts_with("/r/"), "{link}");
    html(register(&app, &path, "Trần Thị Hai", "0912000002").await, StatusCode::OK).await;

    let (browser, token) = visitor(&app, &link).await;
    let body = html(browser.get(app.url(&link)).send().await.unwrap(), StatusCode::OK).await;
    assert!(
        body.contains("Xin chào Nguyễn Văn Một") && body.contains("15/08/2027") && body.contains("19:30"),
        "{body}"
    );
    assert!(body.contains("Sẽ tham dự</strong> · đã có chỗ"), "{body}");

    let answer = |response: &'static str| {
        let form = [("authenticity_token", token.clone()), ("response", response.to_owned())];
        browser.post(app.url(&link)).form(&form).send()
    };
    let declined = html(answer("decline").await.unwrap(), StatusCode::OK).await;
    assert!(declined.contains("Ban tổ chức đã ghi nhận bạn không tham dự."), "{declined}");
    let counts = app.get_json(&format!("/api/v1/festivals/{}/participants/counts", festival)).await;
    assert_eq!(
        (counts["declined"].as_u64(), counts["confirmed"].as_u64()),
        (Some(1), Some(1)),
        "the waitlist moved up"
    );
    let back = html(answer("accept").await.unwrap(), StatusCode::OK).await;
    assert!(back.contains("bạn đang trong danh sách chờ"), "{back}");

    let unknown = page(&app, "/r/00000000000000000000000000000000", StatusCode::NOT_FOUND).await;
    assert!(unknown.contains("Đường dẫn trả lời không hợp lệ"), "{unknown}");
}
