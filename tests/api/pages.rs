//! The HTML pages: what a person sees and the forms they post (urlencoded, like a browser),
//! checked against what the API then returns.

use std::collections::BTreeSet;

use ngayhoi::web::templates::Templates;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    COMMUNE_HCM, COMMUNE_HCM_2, PROVINCE_HCM, TestApp, browser_of, expect_json, html, page, post_form, raw_page,
    see_other, spawn_app, template_of,
};

/// A host in Phường Tân Phú with its 2025 festival (15/08/2025, 19:30–22:00).
async fn host_and_festival(app: &TestApp, name: &str) -> (Value, Value) {
    let host = app.create_host(name, COMMUNE_HCM).await;
    let festival = app.create_festival(host["id"].as_i64().unwrap()).await;
    (host, festival)
}

/// A valid festival form for `host_id`.
fn festival_fields(host_id: &str) -> Vec<(&str, &str)> {
    vec![
        ("host_id", host_id),
        ("title", ""),
        ("date", "15/08/2025"),
        ("start_time", "19:30"),
        ("end_time", "22:00"),
        ("end_date", ""),
        ("venue", "Nhà văn hóa khu phố 3"),
        ("capacity", ""),
        ("budget_note", ""),
    ]
}

fn with<'a>(mut fields: Vec<(&'a str, &'a str)>, name: &str, value: &'a str) -> Vec<(&'a str, &'a str)> {
    fields.iter_mut().filter(|(field, _)| *field == name).for_each(|(_, old)| *old = value);
    fields
}

#[tokio::test]
async fn every_page_answers_with_its_key_text_and_every_template_is_rendered() {
    let app = spawn_app().await;
    let (host, festival) = host_and_festival(&app, "Khu phố Đông Hòa").await;
    let (host_id, id, slug) = (&host["id"], &festival["id"], festival["slug"].as_str().unwrap());
    let officer_token = app.user_token("xa.donghoa@ngayhoi.test", "commune", Some(COMMUNE_HCM), None).await;
    let officer_id = app.with_token(Some(&officer_token)).get_json("/api/v1/auth/me").await["id"].clone();
    let guest = json!({"full_name": "Võ Thị Sáu", "role": "official", "invited": true});
    let participant = crate::participants::add(&app, id.as_i64().unwrap(), guest).await["id"].clone();
    let link = app.post(&format!("/api/v1/participants/{participant}/rsvp-link"), &json!({})).await;
    let rsvp_url = expect_json(link, StatusCode::OK).await["rsvp_url"].as_str().unwrap().to_owned();
    let (issuer, model, draft, decision, code) = crate::commendation_pages::commendation_fixture(&app).await;
    let job = crate::helpers::running_job(&app, id.as_i64().unwrap(), 3600).await;
    let message = sent_message(&app, id.as_i64().unwrap(), participant.as_i64().unwrap()).await;

    let root = app.browser.get(app.url("/")).send().await.unwrap();
    assert_eq!(see_other(&root), "/festivals");
    // Someone already logged in who opens the login page goes straight on.
    let again = app.browser.get(app.url("/login?next=%2Fhosts")).send().await.unwrap();
    assert_eq!(see_other(&again), "/hosts");

    let pages = [
        (
            "/festivals".to_owned(),
            StatusCode::OK,
            vec!["Ngày hội", "Khu phố Đông Hòa", "15/08/2025", "19:30", "Dự kiến"],
        ),
        (format!("/festivals?province={PROVINCE_HCM}&status=held"), StatusCode::OK, vec!["Không có ngày hội nào"]),
        ("/festivals/new".to_owned(), StatusCode::OK, vec!["Tạo ngày hội", "Tỉnh/thành phố", "Tiếp tục"]),
        (format!("/festivals/new?host_id={host_id}"), StatusCode::OK, vec!["Khu phố Đông Hòa", "dd/mm/yyyy", "HH:MM"]),
        (
            format!("/festivals/{id}"),
            StatusCode::OK,
            // A 2025 festival, past: its public registration is over even though still planned.
            vec![
                "Khu phố Đông Hòa",
                "Chào cờ",
                "Duyệt kế hoạch",
                slug,
                "Người tham dự",
                "<dt>Được mời</dt><dd>1",
                "trang công khai: <strong>đã kết thúc</strong>",
            ],
        ),
        (format!("/festivals/{id}/participants"), StatusCode::OK, vec!["Người tham dự", "Võ Thị Sáu", "Đại biểu"]),
        (
            format!("/festivals/{id}/participants/new"),
            StatusCode::OK,
            vec!["Thêm người tham dự", "Để trống = chữ cuối"],
        ),
        (format!("/participants/{participant}/edit"), StatusCode::OK, vec!["Võ Thị Sáu", "Tạo đường dẫn trả lời"]),
        (
            format!("/festivals/{id}/participants/import"),
            StatusCode::OK,
            vec!["Nhập người tham dự từ tệp", "Tải tệp mẫu"],
        ),
        (format!("/festivals/{id}/checkin"), StatusCode::OK, vec!["Điểm danh", "Mã điểm danh", "0</strong> / 1"]),
        (
            rsvp_url.replace(&app.address, ""),
            StatusCode::OK,
            // A festival of 2025 is over: the page says so instead of offering the buttons.
            vec!["Xin chào Võ Thị Sáu", "Ngày hội đã diễn ra.", "15/08/2025"],
        ),
        (format!("/festivals/{id}/edit"), StatusCode::OK, vec!["Sửa thông tin ngày hội", "value=\"15/08/2025\""]),
        (
            format!("/festivals/{id}/programme"),
            StatusCode::OK,
            vec!["Chương trình ngày hội", "Ký kết giao ước thi đua"],
        ),
        (format!("/festivals/{id}/committee"), StatusCode::OK, vec!["Ban tổ chức", "Trưởng ban"]),
        ("/hosts".to_owned(), StatusCode::OK, vec!["Đơn vị tổ chức", "Khu phố Đông Hòa", "Phường Tân Phú"]),
        ("/hosts/new".to_owned(), StatusCode::OK, vec!["Thêm đơn vị tổ chức", "Khu dân cư"]),
        (format!("/hosts/{host_id}"), StatusCode::OK, vec!["Khu phố Đông Hòa", "Năm 2025", "Sửa thông tin đơn vị"]),
        ("/plans".to_owned(), StatusCode::OK, vec!["Kế hoạch năm", "Chọn đơn vị"]),
        (
            format!("/reports/coverage?year=2025&unit={PROVINCE_HCM}"),
            StatusCode::OK,
            vec![
                "Tổng quan ngày hội năm 2025",
                "Thành phố Hồ Chí Minh",
                "Phường Tân Phú",
                "Địa bàn chậm nhất",
                "Lịch khách mời trùng",
            ],
        ),
        (
            "/reports/calendar?year=2025&month=8".to_owned(),
            StatusCode::OK,
            vec!["Lịch ngày hội tháng 8/2025", "19:30 Khu phố Đông Hòa", "Thứ Sáu, 15/08/2025"],
        ),
        (format!("/plans?province={PROVINCE_HCM}&year=2025"), StatusCode::OK, vec!["01/07/2025", "19/08/2025"]),
        (
            format!("/f/{slug}"),
            StatusCode::OK,
            vec!["Khu phố Đông Hòa", "Phường Tân Phú", "15/08/2025", "Phần lễ", "Ngày hội đã diễn ra"],
        ),
        ("/festivals/999999".to_owned(), StatusCode::NOT_FOUND, vec!["Không tìm thấy ngày hội số 999999"]),
        ("/users".to_owned(), StatusCode::OK, vec!["Tài khoản", "xa.donghoa@ngayhoi.test", "Cấp xã", "Phường Tân Phú"]),
        ("/users/new".to_owned(), StatusCode::OK, vec!["Thêm tài khoản", "Cấp tỉnh", "Mật khẩu"]),
        (
            format!("/users/{officer_id}"),
            StatusCode::OK,
            vec!["xa.donghoa@ngayhoi.test", "Sửa tài khoản", "Khóa tài khoản"],
        ),
        (
            "/audit?entity=user".to_owned(),
            StatusCode::OK,
            vec!["Nhật ký hoạt động", "Tạo tài khoản xa.donghoa@ngayhoi.test"],
        ),
        ("/issuers".to_owned(), StatusCode::OK, vec!["Cơ quan khen thưởng", "Ủy ban nhân dân phường Tân Phú", "UBND"]),
        ("/issuers/new".to_owned(), StatusCode::OK, vec!["Thêm cơ quan khen thưởng", "Thẩm quyền ký"]),
        (format!("/issuers/{issuer}"), StatusCode::OK, vec!["Hội đồng thi đua – khen thưởng", "Sửa thông tin"]),
        (format!("/issuers/{issuer}/council"), StatusCode::OK, vec!["Hội đồng thi đua – khen thưởng", "đang chờ"]),
        (
            format!("/issuers/{issuer}/register?year=2026"),
            StatusCode::OK,
            vec!["Sổ khen thưởng năm 2026", "Phan Văn Trị"],
        ),
        (format!("/models?commune={COMMUNE_HCM}"), StatusCode::OK, vec!["Mô hình phong trào", "Tổ liên gia an toàn"]),
        (format!("/models/{model}"), StatusCode::OK, vec!["Tổ liên gia an toàn", "Xóa mô hình"]),
        ("/nominations".to_owned(), StatusCode::OK, vec!["Khen thưởng", "Phan Văn Trị", "Tổ liên gia an toàn"]),
        ("/nominations/new".to_owned(), StatusCode::OK, vec!["Đề nghị khen thưởng", "Tóm tắt thành tích"]),
        (format!("/nominations/{draft}"), StatusCode::OK, vec!["Tổ liên gia an toàn", "Gửi đề nghị", "Nháp"]),
        ("/decisions".to_owned(), StatusCode::OK, vec!["Quyết định khen thưởng", "01/QĐ-UBND"]),
        (
            format!("/decisions/{decision}"),
            StatusCode::OK,
            vec!["Quyết định số 01/QĐ-UBND", "Phan Văn Trị", "Thu hồi", "In giấy khen (PDF)"],
        ),
        (format!("/verify/{code}"), StatusCode::OK, vec!["Hợp lệ.", "Phan Văn Trị", "01/QĐ-UBND"]),
        (format!("/jobs/{job}"), StatusCode::OK, vec!["In giấy mời", "Đang chạy", "<progress", "Hủy"]),
        (
            "/jobs".to_owned(),
            StatusCode::OK,
            vec!["Tác vụ in và gửi thư", "Ngày hội Khu phố Đông Hòa năm 2025", "0 / 1 · 0%"],
        ),
        (format!("/festivals/{id}/messages"), StatusCode::OK, vec!["Nhật ký thư", "vothisau@example.vn"]),
        (
            format!("/festivals/{id}/report"),
            StatusCode::OK,
            vec!["Báo cáo kết quả ngày hội", "Chỉ ghi báo cáo sau khi"],
        ),
        (format!("/issuers/{issuer}/blank"), StatusCode::OK, vec!["Vị trí in trên phôi giấy khen", "Mã QR"]),
        (format!("/unsubscribe/{message}"), StatusCode::OK, vec!["Hủy nhận thư", "v•••@example.vn"]),
    ];
    let mut rendered = BTreeSet::new();
    // A visitor who is not logged in is sent to the login page, and comes back afterwards.
    let visitor = app.client.get(app.url(&format!("/festivals/{id}"))).send().await.unwrap();
    assert_eq!(see_other(&visitor), format!("/login?next=%2Ffestivals%2F{id}"));
    let login = html(app.client.get(app.url("/login")).send().await.unwrap(), StatusCode::OK).await;
    assert!(login.contains("Đăng nhập") && login.contains("authenticity_token"), "{login}");
    rendered.insert(template_of(&login));
    for (path, status, texts) in pages {
        let body = page(&app, &path, status).await;
        for text in texts {
            assert!(body.contains(text), "{path} lacks {text:?}");
        }
        assert!(body.contains("/static/app.css?v="), "{path} uses the layout");
        rendered.insert(template_of(&body));
    }
    let templates = Templates::load().expect("templates");
    // Every page extends the layout and imports the macros, so those two are always rendered;
    // the e-mail templates are read back from real messages in `mail.rs`.
    let pages: BTreeSet<String> = templates
        .names()
        .into_iter()
        .filter(|name| name != "layout.html" && name != "macros.html" && !name.starts_with("email/"))
        .collect();
    assert_eq!(rendered, pages);
}

#[tokio::test]
async fn a_host_and_a_festival_are_created_through_the_forms() {
    let app = spawn_app().await;
    let fields =
        [("name", "  Khu phố  3 "), ("kind", "residential_area"), ("province", PROVINCE_HCM), ("commune", COMMUNE_HCM)];
    let location = see_other(&post_form(&app, "/hosts", &fields).await);
    let host_id = location.strip_prefix("/hosts/").and_then(|rest| rest.split('?').next()).expect(&location);
    let host = app.get_json(&format!("/api/v1/hosts/{host_id}")).await;
    assert_eq!((&host["name"], &host["unit_code"]), (&json!("Khu phố 3"), &json!(COMMUNE_HCM)));
    assert!(page(&app, &location, StatusCode::OK).await.contains("Đã thêm đơn vị tổ chức."));

    let fields = with(festival_fields(host_id), "capacity", "150");
    let location = see_other(&post_form(&app, "/festivals", &fields).await);
    let id = location.strip_prefix("/festivals/").and_then(|rest| rest.split('?').next()).expect(&location);
    let festival = app.get_json(&format!("/api/v1/festivals/{id}")).await;
    assert_eq!(festival["host_id"].to_string(), host_id);
    assert_eq!(festival["starts_at"], "2025-08-15T19:30:00+07:00");
    assert_eq!(festival["ends_at"], "2025-08-15T22:00:00+07:00");
    assert_eq!(festival["title"], "Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2025");
    assert_eq!(festival["capacity"], 150);
    assert!(page(&app, &location, StatusCode::OK).await.contains("Đã tạo ngày hội."));
}

#[tokio::test]
async fn a_festival_form_with_bad_input_comes_back_with_each_message_and_what_was_typed() {
    let app = spawn_app().await;
    let host = app.create_host("Ấp Bình Minh", COMMUNE_HCM).await;
    let host_id = host["id"].to_string();

    // Text that is not a date or a time: the form's own messages.
    let fields = with(with(festival_fields(&host_id), "date", "32/08/2025"), "start_time", "7h99");
    let body = html(post_form(&app, "/festivals", &fields).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("Ngày này không có trên lịch"), "{body}");
    assert!(body.contains("Giờ viết dạng HH:MM"), "{body}");
    assert!(body.contains("value=\"32/08/2025\"") && body.contains("value=\"7h99\""));
    let fields = with(festival_fields(&host_id), "date", "15.08");
    let body = html(post_form(&app, "/festivals", &fields).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("Ngày viết dạng dd/mm/yyyy"), "{body}");
    assert!(body.contains("value=\"Nhà văn hóa khu phố 3\""), "the rest of the form is kept");

    // Readable values the service refuses: its messages, next to the fields.
    let fields = with(with(festival_fields(&host_id), "venue", "  "), "end_time", "18:00");
    let body = html(post_form(&app, "/festivals", &fields).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-venue\">Không được để trống."), "{body}");
    assert!(body.contains("id=\"e-end_time\">Giờ kết thúc phải sau giờ bắt đầu."), "{body}");
    assert!(body.contains("value=\"18:00\""));
    assert_eq!(app.get_json("/api/v1/festivals").await["total"], 0, "nothing was written");

    // A second festival in a year is refused on the date.
    see_other(&post_form(&app, "/festivals", &festival_fields(&host_id)).await);
    let body =
        html(post_form(&app, "/festivals", &festival_fields(&host_id)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-date\">Đơn vị này đã có ngày hội năm 2025"), "{body}");
}

#[tokio::test]
async fn a_festival_is_edited_through_its_form() {
    let app = spawn_app().await;
    let (_, festival) = host_and_festival(&app, "Tổ dân phố 12").await;
    let path = format!("/festivals/{}/edit", festival["id"]);
    let fields = [
        ("title", "Ngày hội điểm"),
        ("date", "18/08/2025"),
        ("start_time", "7:30"),
        ("end_time", "11:00"),
        ("end_date", ""),
        ("venue", "Sân văn hóa"),
        ("capacity", "abc"),
        ("budget_note", "Xã hỗ trợ 5 triệu đồng"),
    ];
    let body = html(post_form(&app, &path, &fields).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-capacity\">Nhập số chỗ là số nguyên"), "{body}");
    let fields = fields.map(|(name, value)| if name == "capacity" { (name, "") } else { (name, value) });
    assert_eq!(see_other(&post_form(&app, &path, &fields).await), format!("/festivals/{}?msg=updated", festival["id"]));
    let edited = app.get_json(&format!("/api/v1/festivals/{}", festival["id"])).await;
    assert_eq!(edited["title"], "Ngày hội điểm");
    assert_eq!(edited["starts_at"], "2025-08-18T07:30:00+07:00");
    assert_eq!(edited["venue"], "Sân văn hóa");
    assert_eq!(edited["budget_note"], "Xã hỗ trợ 5 triệu đồng");

    // A festival keeps its year: a date in another year is refused, as by the API.
    let next_year = fields.map(|(name, value)| if name == "date" { (name, "18/08/2026") } else { (name, value) });
    let body = html(post_form(&app, &path, &next_year).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("Ngày hội phải bắt đầu trong năm 2025"), "{body}");
    let kept = app.get_json(&format!("/api/v1/festivals/{}", festival["id"])).await;
    assert_eq!((kept["year"].as_i64(), kept["starts_at"].as_str()), (Some(2025), Some("2025-08-18T07:30:00+07:00")));
}

#[tokio::test]
async fn the_plan_form_is_offered_only_where_the_officer_may_save_it() {
    let app = spawn_app().await;
    app.user_token("xa-tanphu@ngayhoi.test", "commune", Some(COMMUNE_HCM), None).await;
    let officer = browser_of(&app, "xa-tanphu@ngayhoi.test").await;
    let province = page(&officer, &format!("/plans?province={PROVINCE_HCM}&year=2025"), StatusCode::OK).await;
    assert!(province.contains("01/07/2025") && !province.contains("Lưu kế hoạch"), "{province}");
    let commune = format!("/plans?province={PROVINCE_HCM}&commune={COMMUNE_HCM}&year=2025");
    assert!(page(&officer, &commune, StatusCode::OK).await.contains("Lưu kế hoạch"));
}

#[tokio::test]
async fn programme_and_committee_are_edited_through_the_forms_dropping_blank_rows() {
    let app = spawn_app().await;
    let (_, festival) = host_and_festival(&app, "Ấp Phú Hòa").await;
    let id = &festival["id"];
    let programme_path = format!("/festivals/{id}/programme");
    let rows = |second_time: &'static str| {
        vec![
            ("part", "le"),
            ("starts_at", ""),
            ("title", ""),
            ("presenter", ""),
            ("part", "le"),
            ("starts_at", second_time),
            ("title", "Chào cờ"),
            ("presenter", ""),
            ("part", "hoi"),
            ("starts_at", "09:00"),
            ("title", "Biểu diễn văn nghệ"),
            ("presenter", "Đội văn nghệ ấp"),
        ]
    };
    // The bad time is on the form's second row, the service's first line.
    let body = html(post_form(&app, &programme_path, &rows("7h99")).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-starts_at-1\">Giờ viết dạng HH:MM"), "{body}");
    assert!(body.contains("value=\"7h99\"") && body.contains("value=\"Đội văn nghệ ấp\""));

    assert_eq!(
        see_other(&post_form(&app, &programme_path, &rows("07:30")).await),
        format!("/festivals/{id}?msg=programme")
    );
    let programme = app.get_json(&format!("/api/v1/festivals/{id}/programme")).await;
    assert_eq!(
        programme,
        json!([
            {"part": "le", "starts_at": "07:30", "title": "Chào cờ", "presenter": null},
            {"part": "hoi", "starts_at": "09:00", "title": "Biểu diễn văn nghệ", "presenter": "Đội văn nghệ ấp"},
        ])
    );

    let committee_path = format!("/festivals/{id}/committee");
    let members = [
        ("full_name", "Nguyễn Văn Hùng"),
        ("role", "head"),
        ("title", "Bí thư Chi bộ"),
        ("full_name", ""),
        ("role", "member"),
        ("title", ""),
        ("full_name", "Trần Thị Mai"),
        ("role", "secretary"),
        ("title", ""),
        ("then", "more"),
    ];
    assert_eq!(
        see_other(&post_form(&app, &committee_path, &members).await),
        format!("/festivals/{id}/committee?msg=committee"),
        "“save and add rows” comes back to the editor"
    );
    let committee = app.get_json(&format!("/api/v1/festivals/{id}/committee")).await;
    assert_eq!(
        committee,
        json!([
            {"full_name": "Nguyễn Văn Hùng", "role": "head", "title": "Bí thư Chi bộ"},
            {"full_name": "Trần Thị Mai", "role": "secretary", "title": null},
        ])
    );
    let body = page(&app, &committee_path, StatusCode::OK).await;
    assert_eq!(body.matches("name=\"full_name\"").count(), 2 + 3, "the lines and three spare rows");
    let details = page(&app, &format!("/festivals/{id}"), StatusCode::OK).await;
    assert!(details.contains("Trần Thị Mai") && details.contains("Thư ký") && details.contains("Đội văn nghệ ấp"));
}

#[tokio::test]
async fn status_changes_through_the_buttons_and_a_forbidden_one_is_an_html_error() {
    let app = spawn_app().await;
    let (_, festival) = host_and_festival(&app, "Khu phố 5").await;
    let id = &festival["id"];
    let status_path = format!("/festivals/{id}/status");
    assert_eq!(
        see_other(&post_form(&app, &status_path, &[("status", "approved")]).await),
        format!("/festivals/{id}?msg=status")
    );
    assert_eq!(app.get_json(&format!("/api/v1/festivals/{id}")).await["status"], "approved");
    let details = page(&app, &format!("/festivals/{id}"), StatusCode::OK).await;
    assert!(details.contains("Đánh dấu đã tổ chức") && details.contains("Xác nhận hủy ngày hội"));
    assert!(!details.contains("Xác nhận xóa"), "an approved festival cannot be deleted");

    let body = html(post_form(&app, &status_path, &[("status", "reported")]).await, StatusCode::CONFLICT).await;
    assert!(body.contains("Không thể chuyển trạng thái"), "{body}");
    html(post_form(&app, &status_path, &[("status", "done")]).await, StatusCode::UNPROCESSABLE_ENTITY).await;

    see_other(&post_form(&app, &status_path, &[("status", "cancelled")]).await);
    assert_eq!(see_other(&post_form(&app, &format!("/festivals/{id}/delete"), &[]).await), "/festivals?msg=deleted");
    assert_eq!(app.get(&format!("/api/v1/festivals/{id}")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_held_festival_is_reported_through_its_form_with_its_figures() {
    let app = spawn_app().await;
    let (_, festival) = host_and_festival(&app, "Khu phố 6").await;
    let id = &festival["id"];
    let status_path = format!("/festivals/{id}/status");
    // Not held yet: the page says so instead of a form that could not be saved.
    let early = page(&app, &format!("/festivals/{id}/report"), StatusCode::OK).await;
    assert!(early.contains("Chỉ ghi báo cáo sau khi ngày hội đã tổ chức (hiện: “Dự kiến”)"), "{early}");
    assert!(!early.contains("name=\"attendance\""), "{early}");
    for status in ["approved", "held"] {
        see_other(&post_form(&app, &status_path, &[("status", status)]).await);
    }
    // Reporting is the form, not a bare status button.
    let details = page(&app, &format!("/festivals/{id}"), StatusCode::OK).await;
    assert!(details.contains(&format!("href=\"/festivals/{id}/report\">Ghi báo cáo kết quả…</a>")), "{details}");
    assert!(!details.contains("Đánh dấu đã báo cáo") && !details.contains("id=\"report-title\""), "{details}");

    let report_path = format!("/festivals/{id}/report");
    let form = page(&app, &report_path, StatusCode::OK).await;
    assert!(form.contains("<h1>Báo cáo kết quả ngày hội</h1>") && form.contains("name=\"attendance\""), "{form}");
    let typo = [("attendance", "ba trăm"), ("photos", "12"), ("notes", "Bà con đến đông.")];
    let body = html(post_form(&app, &report_path, &typo).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        body.contains("id=\"e-attendance\">Nhập một số nguyên, ví dụ 350 hoặc 1.250.")
            && body.contains("Bà con đến đông.")
    );
    // A decimal is not read as a count with its dot dropped.
    let decimal = [("attendance", "1.5"), ("photos", ""), ("notes", "")];
    html(post_form(&app, &report_path, &decimal).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let too_many = [("attendance", "2.000.000"), ("photos", ""), ("notes", "")];
    let body = html(post_form(&app, &report_path, &too_many).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("Nhập số nguyên từ 0 đến 1.000.000."), "{body}");
    assert_eq!(app.get_json(&format!("/api/v1/festivals/{id}")).await["status"], "held", "nothing saved");

    // "1.250" is how a Vietnamese officer writes one thousand two hundred and fifty.
    let figures = [("attendance", "1.250"), ("photos", ""), ("notes", "Khen thưởng 2 tập thể, 3 cá nhân.")];
    assert_eq!(see_other(&post_form(&app, &report_path, &figures).await), format!("/festivals/{id}?msg=reported"));
    let report = app.get_json(&format!("/api/v1/festivals/{id}/report")).await;
    assert_eq!((report["attendance"].as_i64(), report["photos"].as_i64()), (Some(1250), Some(0)), "{report}");
    assert_eq!(app.get_json(&format!("/api/v1/festivals/{id}")).await["status"], "reported");
    let details = page(&app, &format!("/festivals/{id}?msg=reported"), StatusCode::OK).await;
    assert!(details.contains("Đã lưu báo cáo kết quả ngày hội."), "{details}");
    assert!(details.contains("<dt>Số người tham dự</dt><dd>1.250</dd>"), "{details}");
    assert!(details.contains("Khen thưởng 2 tập thể, 3 cá nhân.") && details.contains(">Sửa báo cáo</a>"));
    // The form opens on what was recorded, to correct it.
    let form = page(&app, &report_path, StatusCode::OK).await;
    assert!(form.contains("value=\"1.250\"") && form.contains("Lưu lại để sửa báo cáo đã ghi"), "{form}");
}

#[tokio::test]
async fn hosts_are_edited_and_deleted_through_their_page() {
    let app = spawn_app().await;
    let host = app.create_host("Ấp 7", COMMUNE_HCM).await;
    app.create_host("Ấp 8", COMMUNE_HCM_2).await;
    let path = format!("/hosts/{}", host["id"]);

    // Choosing another province reloads the page by GET with what was typed.
    let body = page(&app, &format!("{path}?name=%E1%BA%A4p+9&kind=school&province=01"), StatusCode::OK).await;
    assert!(body.contains("value=\"Ấp 9\"") && body.contains("Phường Hoàn Kiếm"));

    let duplicate = [("name", "ấp 8"), ("kind", "agency"), ("province", PROVINCE_HCM), ("commune", COMMUNE_HCM_2)];
    let body = html(post_form(&app, &path, &duplicate).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-name\">Xã/phường này đã có đơn vị tổ chức trùng tên."), "{body}");
    let no_commune = [("name", "Ấp 7"), ("kind", "agency"), ("province", PROVINCE_HCM), ("commune", "")];
    let body = html(post_form(&app, &path, &no_commune).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-commune\">Hãy chọn xã, phường, đặc khu."), "{body}");

    let moved = [("name", "Ấp 7A"), ("kind", "agency"), ("province", PROVINCE_HCM), ("commune", COMMUNE_HCM_2)];
    see_other(&post_form(&app, &path, &moved).await);
    let stored = app.get_json(&format!("/api/v1/hosts/{}", host["id"])).await;
    assert_eq!(
        (&stored["name"], &stored["kind"], &stored["unit_code"]),
        (&json!("Ấp 7A"), &json!("agency"), &json!(COMMUNE_HCM_2))
    );

    assert_eq!(see_other(&post_form(&app, &format!("{path}/delete"), &[]).await), "/hosts?msg=host_deleted");
    assert_eq!(app.get(&format!("/api/v1/hosts/{}", host["id"])).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_host_picker_narrows_province_then_commune_then_host() {
    let app = spawn_app().await;
    let host = app.create_host("Khu phố Mới", COMMUNE_HCM).await;
    let body = page(&app, &format!("/festivals/new?province={PROVINCE_HCM}"), StatusCode::OK).await;
    assert!(body.contains("Phường Tân Phú") && !body.contains("Khu phố Mới"));
    let body =
        page(&app, &format!("/festivals/new?province={PROVINCE_HCM}&commune={COMMUNE_HCM}"), StatusCode::OK).await;
    assert!(body.contains("Khu phố Mới"));
    let body =
        page(&app, &format!("/festivals/new?province={PROVINCE_HCM}&commune={COMMUNE_HCM_2}"), StatusCode::OK).await;
    assert!(body.contains("chưa có đơn vị tổ chức nào"), "{body}");
    // A host left over from the commune chosen before is not taken.
    let stale = format!("/festivals/new?province={PROVINCE_HCM}&commune={COMMUNE_HCM_2}&host_id={}", host["id"]);
    assert_eq!(template_of(&page(&app, &stale, StatusCode::OK).await), "festivals/pick_host.html");
    let chosen = format!("/festivals/new?province={PROVINCE_HCM}&commune={COMMUNE_HCM}&host_id={}", host["id"]);
    assert_eq!(template_of(&page(&app, &chosen, StatusCode::OK).await), "festivals/form.html");
}

#[tokio::test]
async fn lists_filter_and_page() {
    let app = spawn_app().await;
    for n in 1..=51 {
        app.create_host(&format!("Tổ {n:02}"), COMMUNE_HCM).await;
    }
    let other = app.create_host("Thôn Hà Nội", "00070").await;
    app.create_festival(other["id"].as_i64().unwrap()).await;

    let first = page(&app, &format!("/hosts?province={PROVINCE_HCM}"), StatusCode::OK).await;
    assert!(first.contains("51 đơn vị") && first.contains("Trang 1 / 2") && !first.contains("Tổ 51"));
    assert!(first.contains(&format!("href=\"/hosts?province={PROVINCE_HCM}&page=2\"")), "{first}");
    let second = page(&app, &format!("/hosts?province={PROVINCE_HCM}&page=2"), StatusCode::OK).await;
    assert!(second.contains("Tổ 51") && !second.contains("Tổ 01"));
    assert!(page(&app, "/hosts?q=ha%20noi", StatusCode::OK).await.contains("Thôn Hà Nội"));

    let festivals = page(&app, "/festivals?province=01&year=2025&status=planned", StatusCode::OK).await;
    assert!(festivals.contains("Thôn Hà Nội") && festivals.contains("1 ngày hội khớp bộ lọc"));
    let none = page(&app, &format!("/festivals?province={PROVINCE_HCM}"), StatusCode::OK).await;
    assert!(none.contains("Không có ngày hội nào khớp bộ lọc"));
    // Past the last page the list says so, rather than that nothing matches.
    let beyond = page(&app, "/festivals?province=01&year=2025&status=planned&page=3", StatusCode::OK).await;
    assert!(beyond.contains("Trang 3 không có ngày hội nào") && beyond.contains("Về trang đầu"), "{beyond}");
    assert!(!beyond.contains("Không có ngày hội nào khớp bộ lọc"), "{beyond}");
}

#[tokio::test]
async fn a_festival_outside_the_plan_window_is_marked_in_the_list() {
    let app = spawn_app().await;
    let (_, festival) = host_and_festival(&app, "Khu phố 9").await;
    let plan = [
        ("province", PROVINCE_HCM),
        ("commune", ""),
        ("year", "2025"),
        ("window_start", "01/07/2025"),
        ("window_end", "10/08/2025"),
        ("notes", "Kế hoạch số 12/KH-UBND"),
    ];
    let location = see_other(&post_form(&app, "/plans", &plan).await);
    assert_eq!(location, format!("/plans?province={PROVINCE_HCM}&year=2025&msg=plan_saved"));
    let saved = page(&app, &location, StatusCode::OK).await;
    assert!(
        saved.contains("10/08/2025") && saved.contains("Kế hoạch riêng") && saved.contains("Kế hoạch số 12/KH-UBND")
    );
    let stored = app.get_json(&format!("/api/v1/plans/{PROVINCE_HCM}/2025")).await;
    assert_eq!((&stored["window_end"], &stored["source"]), (&json!("2025-08-10"), &json!("own")));

    let list = page(&app, "/festivals", StatusCode::OK).await;
    assert!(list.contains("Ngoài khung"), "{list}");
    let details = page(&app, &format!("/festivals/{}", festival["id"]), StatusCode::OK).await;
    assert!(details.contains("nằm ngoài khung 01/07/2025 – 10/08/2025"));
    let commune_plan = page(&app, &format!("/plans?commune={COMMUNE_HCM}&year=2025"), StatusCode::OK).await;
    assert!(commune_plan.contains("Theo kế hoạch của Thành phố Hồ Chí Minh"), "{commune_plan}");

    let bad = [
        ("province", PROVINCE_HCM),
        ("commune", ""),
        ("year", "2025"),
        ("window_start", "1/7"),
        ("window_end", "10/08/2024"),
        ("notes", ""),
    ];
    let body = html(post_form(&app, "/plans", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        body.contains("id=\"e-window_start\">Ngày viết dạng dd/mm/yyyy") && body.contains("value=\"1/7\""),
        "{body}"
    );
    let body = html(
        post_form(&app, "/plans", &with(bad.to_vec(), "window_start", "01/07/2025")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(body.contains("id=\"e-window_end\">Phải nằm trong năm 2025."), "{body}");
}

#[tokio::test]
async fn text_from_users_is_escaped() {
    let app = spawn_app().await;
    let (host, festival) = host_and_festival(&app, "<script>alert(1)</script> & \"Tổ 1\"").await;
    for path in [
        "/hosts".to_owned(),
        format!("/hosts/{}", host["id"]),
        "/festivals".to_owned(),
        format!("/festivals/{}", festival["id"]),
        format!("/f/{}", festival["slug"].as_str().unwrap()),
    ] {
        let body = raw_page(&app, &path, StatusCode::OK).await;
        assert!(!body.contains("<script>alert(1)"), "{path}: {body}");
        assert!(body.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; &quot;Tổ 1&quot;"), "{path}: {body}");
    }
}

#[tokio::test]
async fn the_public_page_shows_what_a_resident_needs() {
    let app = spawn_app().await;
    let (_, festival) = host_and_festival(&app, "Ấp Long Thạnh").await;
    let path = format!("/f/{}", festival["slug"].as_str().unwrap());
    let body = page(&app, &path, StatusCode::OK).await;
    for text in [
        "Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2025",
        "Ấp Long Thạnh",
        "19:30 – 22:00",
        "15/08/2025",
        "Nhà văn hóa thôn",
        "Chào cờ",
        "Phần hội",
    ] {
        assert!(body.contains(text), "lacks {text:?}");
    }
    assert!(!body.contains("href=\"/hosts\""), "no back-office navigation");
    expect_json(
        app.post(&format!("/api/v1/festivals/{}/status", festival["id"]), &json!({"status": "cancelled"})).await,
        StatusCode::OK,
    )
    .await;
    assert!(page(&app, &path, StatusCode::OK).await.contains("Ngày hội này đã bị hủy."));
    let missing = page(&app, "/f/khong-co", StatusCode::NOT_FOUND).await;
    assert!(missing.contains("Không tìm thấy ngày hội này"));
}

/// An invitation e-mail to `participant` recorded as sent (the festival is past, so none can
/// be sent now); its Message-ID without angle brackets, as its unsubscribe link names it.
async fn sent_message(app: &TestApp, festival: i64, participant: i64) -> String {
    use ngayhoi::entities::outbox_message;
    use ngayhoi::mail::model::{MessageKind, MessageState};
    use sea_orm::{ActiveModelTrait, Set};
    let now = chrono::Utc::now();
    let row = outbox_message::ActiveModel {
        job_id: Set(None),
        festival_id: Set(i32::try_from(festival).unwrap()),
        participant_id: Set(i32::try_from(participant).unwrap()),
        kind: Set(MessageKind::Invitation),
        to_address: Set(Some("vothisau@example.vn".into())),
        subject: Set("Giấy mời".into()),
        state: Set(MessageState::Sent),
        attempts: Set(1),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        last_error: Set(None),
        message_id: Set("<ngayhoi-trang@ngayhoi.test>".into()),
        sent_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    row.insert(&app.db).await.expect("message inserted");
    "ngayhoi-trang@ngayhoi.test".into()
}
