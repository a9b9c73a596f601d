//! The account pages (`/users…`), the audit log page (`/audit`) and what keeps the browser
//! session safe: the CSRF check of every form, the session cookie's flags, logging out.

use chrono::{Duration, FixedOffset, Utc};
use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};

use crate::helpers::{
    ADMIN_EMAIL, COMMUNE_HCM, COMMUNE_HCM_2, PASSWORD, PROVINCE_HCM, TestApp, browser_of, csrf_token_in, expect_json,
    expect_problem, fresh_browser, html, page, post_form, see_other, spawn_app,
};

/// Opens the login page in `browser` and posts it, as a person would; returns the answer.
async fn log_in(app: &TestApp, browser: &Client, email: &str) -> Response {
    let form = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let token = csrf_token_in(&form);
    let fields = [("email", email), ("password", PASSWORD), ("next", "/festivals"), ("authenticity_token", &token)];
    browser.post(app.url("/login")).form(&fields).send().await.unwrap()
}

/// The `name=value` of the session cookie a response sets, and its attributes in lower case.
fn session_cookie(response: &Response) -> (String, Vec<String>) {
    let header = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("ngayhoi_session="))
        .expect("a session cookie");
    let mut parts = header.split(';').map(str::trim);
    let pair = parts.next().unwrap_or_default().to_owned();
    (pair, parts.map(str::to_ascii_lowercase).collect())
}

/// The account form for a commune officer of Phường Tân Phú.
fn commune_officer<'a>(email: &'a str, password: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("role", "commune"),
        ("province", PROVINCE_HCM),
        ("commune", COMMUNE_HCM),
        ("host_id", ""),
        ("email", email),
        ("full_name", "Nguyễn Thị Lan"),
        ("password", password),
    ]
}

fn id_in(location: &str) -> String {
    location.strip_prefix("/users/").and_then(|rest| rest.split('?').next()).expect(location).to_owned()
}

#[tokio::test]
async fn an_admin_creates_a_commune_officer_through_the_form_who_can_then_log_in() {
    let app = spawn_app().await;
    let list = page(&app, "/users", StatusCode::OK).await;
    assert!(list.contains(ADMIN_EMAIL) && list.contains("Quản trị hệ thống") && list.contains("Toàn quốc"), "{list}");
    assert!(list.contains("href=\"/users\" aria-current=\"page\"") && list.contains("href=\"/audit\""), "{list}");

    // Choosing the role and the province reloads the form with that province's communes.
    let form = page(&app, &format!("/users/new?role=commune&province={PROVINCE_HCM}"), StatusCode::OK).await;
    assert!(form.contains("<option value=\"commune\" selected>") && form.contains("Phường Tân Phú"), "{form}");
    assert!(form.contains("Quản trị hệ thống"), "an admin may give every role");

    let location = see_other(&post_form(&app, "/users", &commune_officer(" Xa.TanPhu@ngayhoi.test ", PASSWORD)).await);
    let id = id_in(&location);
    assert_eq!(location, format!("/users/{id}?msg=user_created"));
    let token = app.login("xa.tanphu@ngayhoi.test", PASSWORD).await;
    let me = app.with_token(Some(&token)).get_json("/api/v1/auth/me").await;
    assert_eq!(me["id"].to_string(), id);
    assert_eq!(
        (&me["role"], &me["unit_code"], &me["full_name"]),
        (&"commune".into(), &COMMUNE_HCM.into(), &"Nguyễn Thị Lan".into())
    );

    let shown = page(&app, &location, StatusCode::OK).await;
    assert!(shown.contains("Đã tạo tài khoản.") && shown.contains("Cấp xã") && shown.contains("Phường Tân Phú"));
    let list = page(&app, "/users", StatusCode::OK).await;
    assert!(list.contains("2 tài khoản"), "{list}");
    assert!(
        list.contains("xa.tanphu@ngayhoi.test") && list.contains("Nguyễn Thị Lan") && list.contains("Đang hoạt động")
    );
}

#[tokio::test]
async fn a_commune_officer_gives_only_roles_up_to_their_own_and_cannot_read_the_audit_log() {
    let app = spawn_app().await;
    app.user_token("xa@ngayhoi.test", "commune", Some(COMMUNE_HCM), None).await;
    let host = app.create_host("Khu phố 4", COMMUNE_HCM).await;
    app.create_host("Khu phố 9", COMMUNE_HCM_2).await;
    let officer = browser_of(&app, "xa@ngayhoi.test").await;

    // The form starts in the officer's own commune, with the role just below theirs.
    let form = page(&officer, "/users/new", StatusCode::OK).await;
    assert!(form.contains("<option value=\"host\" selected>") && form.contains("<option value=\"commune\">"), "{form}");
    assert!(!form.contains("Cấp tỉnh") && !form.contains("Quản trị hệ thống"), "{form}");
    assert!(form.contains("Khu phố 4") && !form.contains("Khu phố 9"), "{form}");
    assert!(form.contains("href=\"/users\"") && !form.contains("href=\"/audit\""), "no log in the navigation");

    let host_id = host["id"].to_string();
    let fields = [
        ("role", "host"),
        ("province", PROVINCE_HCM),
        ("commune", COMMUNE_HCM),
        ("host_id", host_id.as_str()),
        ("email", "kp4@ngayhoi.test"),
        ("full_name", "Trần Văn Bình"),
        ("password", PASSWORD),
    ];
    see_other(&post_form(&officer, "/users", &fields).await);
    let token = app.login("kp4@ngayhoi.test", PASSWORD).await;
    assert_eq!(app.with_token(Some(&token)).get_json("/api/v1/auth/me").await["host_id"], host["id"]);
    let list = page(&officer, "/users", StatusCode::OK).await;
    assert!(list.contains("Khu phố 4 <span class=\"muted\">· Phường Tân Phú</span>"), "{list}");
    assert!(!list.contains(ADMIN_EMAIL), "the admin is outside the commune's scope");

    // A role above the officer's, posted by hand, is refused.
    let admin = [("role", "admin"), ("email", "qt@ngayhoi.test"), ("full_name", "Lê Văn C"), ("password", PASSWORD)];
    html(post_form(&officer, "/users", &admin).await, StatusCode::FORBIDDEN).await;

    let refused = officer.browser.get(officer.url("/audit")).send().await.unwrap();
    let body = html(refused, StatusCode::FORBIDDEN).await;
    assert!(body.contains("Không có quyền") && body.contains("Bạn không có quyền thực hiện thao tác này."), "{body}");
}

#[tokio::test]
async fn a_bad_account_form_comes_back_with_messages_and_what_was_typed_but_not_the_password() {
    let app = spawn_app().await;
    let mut fields = commune_officer("khong-phai-email", "ngan-qua");
    fields[2] = ("commune", "");
    let body = html(post_form(&app, "/users", &fields).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-email\">Địa chỉ email không hợp lệ."), "{body}");
    assert!(body.contains("id=\"e-password\">Mật khẩu cần ít nhất 10 ký tự."), "{body}");
    assert!(body.contains("id=\"e-commune\">Hãy chọn xã, phường, đặc khu."), "{body}");
    assert!(body.contains("value=\"khong-phai-email\"") && body.contains("value=\"Nguyễn Thị Lan\""), "{body}");
    assert!(!body.contains("ngan-qua"), "the password is not sent back");

    let taken = commune_officer("ADMIN@ngayhoi.test", PASSWORD);
    let body = html(post_form(&app, "/users", &taken).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-email\">Email này đã có tài khoản."), "{body}");
    assert!(!body.contains(PASSWORD));
    assert_eq!(app.get_json("/api/v1/users").await["total"], 1, "nothing was written");

    // The reload button shows the form again for another role and saves nothing.
    let mut reload = commune_officer("lan@ngayhoi.test", PASSWORD);
    reload[0] = ("role", "host");
    reload.push(("reload", "1"));
    let body = html(post_form(&app, "/users", &reload).await, StatusCode::OK).await;
    assert!(body.contains("<option value=\"host\" selected>") && body.contains("value=\"lan@ngayhoi.test\""));
    assert!(body.contains("Xã/phường này chưa có đơn vị tổ chức nào.") && !body.contains(PASSWORD), "{body}");
    assert_eq!(app.get_json("/api/v1/users").await["total"], 1);
}

#[tokio::test]
async fn an_account_is_changed_and_disabled_through_its_page_which_ends_its_api_token() {
    let app = spawn_app().await;
    let officer = app.with_token(Some(&app.user_token("xa@ngayhoi.test", "commune", Some(COMMUNE_HCM), None).await));
    let id = officer.get_json("/api/v1/auth/me").await["id"].clone();
    let path = format!("/users/{id}");
    let form = page(&app, &path, StatusCode::OK).await;
    assert!(form.contains("value=\"Cán bộ thử nghiệm\"") && form.contains("<option value=\"27031\" selected>"));

    let mut fields = vec![
        ("role", "commune"),
        ("province", PROVINCE_HCM),
        ("commune", COMMUNE_HCM_2),
        ("host_id", ""),
        ("full_name", " "),
        ("password", ""),
    ];
    let body = html(post_form(&app, &path, &fields).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(body.contains("id=\"e-full_name\">"), "{body}");
    assert!(body.contains("<option value=\"26506\" selected>"), "the chosen commune is kept");

    fields[4] = ("full_name", "Phạm Thị Hoa");
    assert_eq!(see_other(&post_form(&app, &path, &fields).await), format!("{path}?msg=user_updated"));
    let stored = app.get_json(&format!("/api/v1/users/{id}")).await;
    assert_eq!((&stored["full_name"], &stored["unit_code"]), (&"Phạm Thị Hoa".into(), &COMMUNE_HCM_2.into()));
    expect_json(officer.get("/api/v1/auth/me").await, StatusCode::OK).await;

    let location = see_other(&post_form(&app, &format!("{path}/status"), &[("disabled", "true")]).await);
    assert_eq!(location, format!("{path}?msg=user_disabled"));
    expect_problem(officer.get("/api/v1/auth/me").await, StatusCode::UNAUTHORIZED).await;
    let body = page(&app, &location, StatusCode::OK).await;
    assert!(body.contains("Đã khóa") && body.contains("Mở khóa tài khoản"), "{body}");

    see_other(&post_form(&app, &format!("{path}/status"), &[("disabled", "false")]).await);
    app.login("xa@ngayhoi.test", PASSWORD).await;

    // Nobody is offered to disable their own account.
    let admin_id = app.get_json("/api/v1/auth/me").await["id"].clone();
    let own = page(&app, &format!("/users/{admin_id}"), StatusCode::OK).await;
    assert!(own.contains("Không thể tự khóa") && !own.contains("Xác nhận khóa"), "{own}");
}

#[tokio::test]
async fn the_audit_page_shows_the_creation_newest_first_and_filters() {
    let app = spawn_app().await;
    let location = see_other(&post_form(&app, "/users", &commune_officer("xa@ngayhoi.test", PASSWORD)).await);
    let id = id_in(&location);
    app.login("xa@ngayhoi.test", PASSWORD).await;

    let body = page(&app, "/audit?entity=user", StatusCode::OK).await;
    let created = body.find("Tạo tài khoản xa@ngayhoi.test (Cấp xã)").expect(&body);
    assert!(body.find("xa@ngayhoi.test</a>").expect(&body) < created, "the officer's login is newer");
    assert!(created < body.rfind(">Đăng nhập</td>").expect(&body), "the admin's logins are older");
    let now = Utc::now().with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap());
    assert!(body.contains(&now.format("%d/%m/%Y").to_string()), "dates as dd/mm/yyyy");
    assert!(body.contains(&format!("href=\"/users/{id}\">#{id}</a>")), "{body}");

    let mine = page(&app, &format!("/audit?user={id}"), StatusCode::OK).await;
    assert!(mine.contains("1 sự kiện khớp bộ lọc") && mine.contains(">Đăng nhập</td>"), "{mine}");
    let tomorrow = (now + Duration::days(1)).format("%d/%m/%Y").to_string();
    let none = page(&app, &format!("/audit?from={tomorrow}"), StatusCode::OK).await;
    assert!(none.contains("Không có sự kiện nào khớp bộ lọc"), "{none}");
    let today = now.format("%d/%m/%Y").to_string();
    let until_today = page(&app, &format!("/audit?entity=user&to={today}"), StatusCode::OK).await;
    assert!(until_today.contains("Tạo tài khoản xa@ngayhoi.test"));

    let bad = page(&app, "/audit?from=31/02/2025&user=abc", StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(bad.contains("id=\"e-from\">Ngày này không có trên lịch") && bad.contains("value=\"31/02/2025\""), "{bad}");
    assert!(bad.contains("id=\"e-user\">Mã tài khoản là số nguyên"), "{bad}");
    let backwards = page(&app, "/audit?from=02/01/2025&to=01/01/2025", StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(backwards.contains("id=\"e-to\">Ngày kết thúc đang trước ngày bắt đầu."), "{backwards}");

    // A province officer reads the province's part.
    app.user_token("tinh@ngayhoi.test", "province", Some(PROVINCE_HCM), None).await;
    let province = browser_of(&app, "tinh@ngayhoi.test").await;
    let body = page(&province, "/audit?entity=user", StatusCode::OK).await;
    assert!(body.contains("href=\"/audit\" aria-current=\"page\"") && body.contains("Tạo tài khoản xa@ngayhoi.test"));
}

#[tokio::test]
async fn a_form_without_the_csrf_token_or_with_a_wrong_one_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let fields =
        [("name", "Khu phố 1"), ("kind", "residential_area"), ("province", PROVINCE_HCM), ("commune", COMMUNE_HCM)];
    let post = |fields: Vec<(&'static str, String)>| app.browser.post(app.url("/hosts")).form(&fields).send();
    let plain: Vec<(&str, String)> = fields.iter().map(|(name, value)| (*name, (*value).to_owned())).collect();

    let body = html(post(plain.clone()).await.unwrap(), StatusCode::FORBIDDEN).await;
    assert!(body.contains("Biểu mẫu đã hết hạn"), "{body}");
    let mut wrong = plain.clone();
    wrong.push(("authenticity_token", "khong-phai-ma-that".to_owned()));
    html(post(wrong).await.unwrap(), StatusCode::FORBIDDEN).await;
    // A real token, but of another browser.
    let other = browser_of(&app, ADMIN_EMAIL).await;
    let mut borrowed = plain.clone();
    borrowed.push(("authenticity_token", other.csrf_token.clone()));
    html(post(borrowed).await.unwrap(), StatusCode::FORBIDDEN).await;
    assert_eq!(app.get_json("/api/v1/hosts").await["total"], 0, "nothing was written");

    let user = commune_officer("xa@ngayhoi.test", PASSWORD);
    html(app.browser.post(app.url("/users")).form(&user).send().await.unwrap(), StatusCode::FORBIDDEN).await;
    assert_eq!(app.get_json("/api/v1/users").await["total"], 1);

    // With its token the same form goes through.
    see_other(&post_form(&app, "/hosts", &fields).await);
    assert_eq!(app.get_json("/api/v1/hosts").await["total"], 1);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_same_site_lax_for_the_whole_site_and_not_secure_over_http() {
    let app = spawn_app().await;
    let response = log_in(&app, &fresh_browser(), ADMIN_EMAIL).await;
    assert_eq!(see_other(&response), "/festivals");
    let (pair, attributes) = session_cookie(&response);
    assert!(pair.len() > "ngayhoi_session=".len() + 20, "{pair}");
    for wanted in ["httponly", "samesite=lax", "path=/"] {
        assert!(attributes.iter().any(|attribute| attribute == wanted), "{wanted} missing: {attributes:?}");
    }
    assert!(!attributes.iter().any(|attribute| attribute == "secure"), "{attributes:?}");
    let max_age: i64 = attributes
        .iter()
        .find_map(|attribute| attribute.strip_prefix("max-age="))
        .and_then(|seconds| seconds.parse().ok())
        .expect("max-age");
    assert!((11 * 3600..=12 * 3600).contains(&max_age), "a working day: {max_age}");
}

#[tokio::test]
async fn logging_out_through_the_form_makes_the_old_session_cookie_useless() {
    let app = spawn_app().await;
    let browser = fresh_browser();
    let (session, _) = session_cookie(&log_in(&app, &browser, ADMIN_EMAIL).await);
    let with_old_cookie = || app.client.get(app.url("/festivals")).header(COOKIE, &session).send();
    assert_eq!(with_old_cookie().await.unwrap().status(), StatusCode::OK);

    let festivals = browser.get(app.url("/festivals")).send().await.unwrap().text().await.unwrap();
    let token = csrf_token_in(&festivals);
    let response = browser.post(app.url("/logout")).form(&[("authenticity_token", token)]).send().await.unwrap();
    assert_eq!(see_other(&response), "/login");

    assert_eq!(see_other(&with_old_cookie().await.unwrap()), "/login?next=%2Ffestivals");
    assert_eq!(see_other(&browser.get(app.url("/users")).send().await.unwrap()), "/login?next=%2Fusers");
}
