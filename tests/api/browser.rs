//! The organizer's way through the pages in a real headless Chromium (WebDriver through
//! `chromedriver`, installed with `apt-get install chromium chromium-driver` by `.ci/run`):
//! log in, the dashboard and its drill-down, a print job's progress bar followed live until
//! its file can be downloaded; a host and its festival created through the forms (the
//! province and commune selects reloading the page) and counted on the dashboard; the
//! programme edited; a resident registering on the public page; a guest checked in by code;
//! participants imported from an XLSX file, and a file with a bad row refused whole; a person
//! and a collective nominated by a commune officer, voted, approved and decided by another
//! officer at the council's table, their certificates downloaded and read with `pdftotext`.
//! Every step waits for what the next page shows, never for a fixed time. Screenshots go to
//! `target/screenshots/` (under `CARGO_TARGET_DIR`) to be looked at.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use reqwest::StatusCode;
use serde_json::json;

use crate::commendation::issuer;
use crate::documents::festival_with_issuer;
use crate::helpers::*;

/// A `chromedriver` on a free port, stopped when dropped.
struct Driver {
    process: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

async fn driver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // Held by a `Driver` at once, so that it is stopped however the test ends.
    let driver = Driver {
        process: Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (apt-get install chromium-driver)"),
        port,
    };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return driver;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start");
}

async fn browser(driver: &Driver) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({"args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--window-size=1366,768"]}),
    );
    ClientBuilder::native()
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session")
}

/// Saves what the browser shows as `target/screenshots/{name}.png`.
async fn screenshot(client: &Client, name: &str) {
    let folder = std::path::Path::new(&std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
        .join("screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    let png = client.screenshot().await.expect("a screenshot");
    std::fs::write(folder.join(format!("{name}.png")), png).unwrap();
}

/// Logs the admin in on the login form the browser shows: any back-office page sends it there
/// first, and back to that page afterwards.
async fn log_in(client: &Client) {
    log_in_as(client, ADMIN_EMAIL).await;
}

/// [`log_in`] as the account `email` (created with the tests' password).
async fn log_in_as(client: &Client, email: &str) {
    client.wait().for_element(Locator::Css("input[name=email]")).await.unwrap().send_keys(email).await.unwrap();
    client.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    client.find(Locator::Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
}

/// Waits until the browser shows a page rendered from `template` (the layout names it on
/// `<body data-page>`).
async fn wait_for_page(client: &Client, template: &str) {
    let page = format!("body[data-page='{template}']");
    client.wait().for_element(Locator::Css(&page)).await.unwrap_or_else(|err| panic!("{template}: {err}"));
}

/// Types `text` into the empty or emptied field `css`, as a person would.
async fn fill(client: &Client, css: &str, text: &str) {
    let field = client.find(Locator::Css(css)).await.unwrap_or_else(|err| panic!("{css}: {err}"));
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Chooses `value` in the select `name`; a select that reloads the page (province, commune)
/// is waited for until the new page shows the choice made.
async fn choose(client: &Client, name: &str, value: &str) {
    let select = client.find(Locator::Css(&format!("select[name={name}]"))).await.unwrap();
    // Read before choosing: a reload leaves this element behind.
    let reloads = select.attr("data-autosubmit").await.unwrap().is_some();
    select.select_by_value(value).await.unwrap();
    if reloads {
        let chosen = format!("select[name={name}] option[value='{value}'][selected]");
        client.wait().for_element(Locator::Css(&chosen)).await.unwrap_or_else(|err| panic!("{chosen}: {err}"));
    }
}

/// Scrolls the first element matching `css` to the top of the window, for a screenshot of a
/// part of the page below the first screen.
async fn scroll_to(client: &Client, css: &str) {
    client.execute("document.querySelector(arguments[0]).scrollIntoView()", vec![json!(css)]).await.unwrap();
}

/// The text of the first element matching `css`.
async fn text_of(client: &Client, css: &str) -> String {
    client.find(Locator::Css(css)).await.unwrap_or_else(|err| panic!("{css}: {err}")).text().await.unwrap()
}

/// Waits (at most a minute) until the page contains `text`.
async fn wait_for_text(client: &Client, text: &str) -> String {
    for _ in 0..600 {
        let source = client.source().await.unwrap();
        if source.contains(text) {
            return source;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{text:?} never appeared: {}", client.source().await.unwrap());
}

#[tokio::test]
async fn an_organizer_logs_in_reads_the_dashboard_and_follows_a_print_job_to_its_file() {
    let app = spawn_app().await;
    let festival = festival_with_issuer(&app, issuer(&app).await).await;
    let mut csv = String::from("Họ và tên,Vai trò,Mời\n");
    for i in 0..300 {
        csv.push_str(&format!("Khách {},Khách mời,x\n", spelled(i)));
    }
    let imported = crate::import::upload(&app, festival, "khach.csv", csv.into_bytes()).await;
    assert_eq!(expect_json(imported, StatusCode::OK).await["imported"], 300);

    let driver = driver().await;
    let client = browser(&driver).await;
    client.goto(&app.url("/reports/coverage")).await.unwrap();
    // Sent to the login form first; back to the dashboard after it.
    log_in(&client).await;
    let dashboard = wait_for_text(&client, "Tổng quan ngày hội năm").await;
    assert!(dashboard.contains("Thành phố Hồ Chí Minh"), "{dashboard}");
    screenshot(&client, "dashboard").await;
    client.find(Locator::LinkText("Thành phố Hồ Chí Minh")).await.unwrap().click().await.unwrap();
    wait_for_text(&client, "Phường Tân Phú").await;
    screenshot(&client, "dashboard-province").await;

    // A print job: its page follows the progress live and offers the file at the end.
    let job = expect_json(
        app.post(&format!("/api/v1/festivals/{festival}/invitations/print"), &json!({})).await,
        StatusCode::ACCEPTED,
    )
    .await;
    client.goto(&app.url(&format!("/jobs/{}", job["id"]))).await.unwrap();
    wait_for_text(&client, "Tiến độ").await;
    screenshot(&client, "job-running").await;
    let done = wait_for_text(&client, "Tải tệp PDF").await;
    assert!(done.contains("300 / 300"), "{done}");
    let bar = client.find(Locator::Css("progress.job-bar")).await.unwrap();
    assert_eq!(bar.attr("value").await.unwrap().as_deref(), Some("300"));
    screenshot(&client, "job-done").await;

    // The bar moves with the events stream, without reloading: a job another instance works
    // on (lease ahead) gets progress written into the database while the page is open.
    let running = running_job(&app, festival, 3600).await;
    client.goto(&app.url(&format!("/jobs/{running}"))).await.unwrap();
    wait_for_text(&client, "Tiến độ").await;
    let before = client.find(Locator::Css("progress.job-bar")).await.unwrap();
    assert_eq!(before.attr("value").await.unwrap().as_deref(), Some("0"));
    {
        use ngayhoi::entities::job;
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        job::Entity::update_many()
            .col_expr(job::Column::Done, Expr::value(1))
            .filter(job::Column::Id.eq(i32::try_from(running).unwrap()))
            .exec(&app.db)
            .await
            .unwrap();
    }
    for _ in 0..100 {
        let value = client.find(Locator::Css("progress.job-bar")).await.unwrap().attr("value").await.unwrap();
        if value.as_deref() == Some("1") {
            screenshot(&client, "job-live").await;
            client.close().await.unwrap();
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the progress bar did not follow the job: {}", client.source().await.unwrap());
}

#[tokio::test]
async fn an_organizer_creates_a_host_and_its_festival_through_the_forms_and_the_dashboard_counts_it() {
    let app = spawn_app().await;
    let driver = driver().await;
    let client = browser(&driver).await;
    let dashboard = format!("/reports/coverage?year=2027&unit={COMMUNE_HCM}");
    client.goto(&app.url(&dashboard)).await.unwrap();
    log_in(&client).await;
    wait_for_page(&client, "reports/coverage.html").await;
    assert_eq!(
        text_of(&client, ".page-head .lead").await,
        "Phường Tân Phú: 0 đơn vị tổ chức, 0,0% đã có ngày hội (không tính ngày hội đã hủy)"
    );
    screenshot(&client, "coverage-before").await;

    // The host: the province, then the commune, each choice reloading the form.
    client.goto(&app.url("/hosts/new")).await.unwrap();
    wait_for_page(&client, "hosts/new.html").await;
    choose(&client, "province", PROVINCE_HCM).await;
    choose(&client, "commune", COMMUNE_HCM).await;
    fill(&client, "#f-name", "Khu phố Hòa Bình").await;
    client.find(Locator::Css("form button.btn-primary[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_page(&client, "hosts/show.html").await;
    assert_eq!(text_of(&client, ".notice-success").await, "Đã thêm đơn vị tổ chức.");
    let host: i64 = client.current_url().await.unwrap().path().rsplit('/').next().unwrap().parse().unwrap();
    screenshot(&client, "host-created").await;
    let stored = app.get_json(&format!("/api/v1/hosts/{host}")).await;
    assert_eq!((stored["name"].as_str(), stored["unit_code"].as_str()), (Some("Khu phố Hòa Bình"), Some(COMMUNE_HCM)));
    // A host without a festival counts, as not covered yet.
    client.goto(&app.url(&dashboard)).await.unwrap();
    assert!(text_of(&client, ".page-head .lead").await.starts_with("Phường Tân Phú: 1 đơn vị tổ chức, 0,0% đã có"));

    // The festival: the host picked the same way, then the form.
    client.goto(&app.url("/festivals/new")).await.unwrap();
    wait_for_page(&client, "festivals/pick_host.html").await;
    choose(&client, "province", PROVINCE_HCM).await;
    choose(&client, "commune", COMMUNE_HCM).await;
    choose(&client, "host_id", &host.to_string()).await;
    client.find(Locator::Css("form button.btn-primary[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_page(&client, "festivals/form.html").await;
    for (field, value) in [
        ("#f-date", "19/08/2027"),
        ("#f-start_time", "14:00"),
        ("#f-end_time", "17:00"),
        ("#f-venue", "Nhà văn hóa khu phố Hòa Bình"),
        ("#f-capacity", "150"),
    ] {
        fill(&client, field, value).await;
    }
    client.find(Locator::Css("input[name=registration_open]")).await.unwrap().click().await.unwrap();
    screenshot(&client, "festival-form").await;
    client.find(Locator::Css("form button.btn-primary[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_page(&client, "festivals/show.html").await;
    assert!(text_of(&client, ".notice-success").await.starts_with("Đã tạo ngày hội."));
    let facts = text_of(&client, "dl.facts").await;
    for expected in ["19/08/2027", "14:00 – 17:00", "Nhà văn hóa khu phố Hòa Bình", "150 chỗ", "Phường Tân Phú"]
    {
        assert!(facts.contains(expected), "{expected:?} missing from {facts}");
    }
    screenshot(&client, "festival-created").await;
    let listed = app.get_json("/api/v1/festivals?year=2027").await;
    let festival = &listed["items"][0];
    assert_eq!(listed["total"], 1, "{listed}");
    assert_eq!(
        (festival["host_id"].as_i64(), festival["starts_at"].as_str(), festival["registration_open"].as_bool()),
        (Some(host), Some("2027-08-19T14:00:00+07:00"), Some(true))
    );

    // The dashboard counts it.
    client.goto(&app.url(&dashboard)).await.unwrap();
    assert_eq!(
        text_of(&client, ".page-head .lead").await,
        "Phường Tân Phú: 1 đơn vị tổ chức, 100,0% đã có ngày hội (không tính ngày hội đã hủy)"
    );
    let legend = text_of(&client, "ul.legend").await;
    assert!(legend.contains("Dự kiến: 1") && legend.contains("Chưa có ngày hội: 0"), "{legend}");
    screenshot(&client, "coverage-after").await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn an_organizer_edits_the_programme_row_by_row() {
    let app = spawn_app().await;
    let festival = crate::documents::future_festival(&app, "Khu phố Đông Hòa").await;
    let driver = driver().await;
    let client = browser(&driver).await;
    client.goto(&app.url(&format!("/festivals/{festival}/programme"))).await.unwrap();
    log_in(&client).await;
    wait_for_page(&client, "festivals/programme.html").await;
    // The standard programme is filled in: eleven lines, then three spare rows.
    assert_eq!(
        client.find(Locator::Css("#title-0")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some("Chào cờ")
    );
    assert_eq!(client.find_all(Locator::Css("input[name=title]")).await.unwrap().len(), 14);
    // A time and who leads the first line; the fourth line emptied, so dropped.
    fill(&client, "#starts_at-0", "14:00").await;
    fill(&client, "#presenter-0", "Ban tổ chức").await;
    fill(&client, "#title-3", "").await;
    client.find(Locator::Css("button[name=then][value=more]")).await.unwrap().click().await.unwrap();
    // Saved, back on the editor with spare rows after the ten lines.
    let saved = "Đã lưu chương trình.";
    client.wait().for_element(Locator::Css(".notice-success")).await.unwrap();
    assert_eq!(text_of(&client, ".notice-success").await, saved);
    assert_eq!(client.find_all(Locator::Css("input[name=title]")).await.unwrap().len(), 13);
    // A new line of the festivities in the first spare row.
    client.find(Locator::Css("#part-10")).await.unwrap().select_by_value("hoi").await.unwrap();
    fill(&client, "#starts_at-10", "16:30").await;
    fill(&client, "#title-10", "Hội thi nấu cơm").await;
    fill(&client, "#presenter-10", "Chi hội Phụ nữ").await;
    screenshot(&client, "programme-editor").await;
    client.find(Locator::Css("form button.btn-primary[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_page(&client, "festivals/show.html").await;
    assert_eq!(text_of(&client, ".notice-success").await, saved);
    assert_eq!(text_of(&client, ".programme li .timeline-time").await, "14:00");
    assert_eq!(text_of(&client, ".programme li .timeline-text").await, "Chào cờ — Ban tổ chức");
    let shown = text_of(&client, ".programme").await;
    assert!(shown.contains("Hội thi nấu cơm — Chi hội Phụ nữ") && !shown.contains("Thảo luận"), "{shown}");
    screenshot(&client, "programme-saved").await;
    let programme = app.get_json(&format!("/api/v1/festivals/{festival}/programme")).await;
    let lines: Vec<String> = programme
        .as_array()
        .unwrap()
        .iter()
        .map(|item| format!("{} {} {}", item["part"], item["starts_at"], item["title"].as_str().unwrap()))
        .collect();
    assert_eq!(lines.len(), 11, "{lines:?}");
    assert_eq!(lines[0], "\"le\" \"14:00\" Chào cờ");
    assert_eq!(lines[10], "\"hoi\" \"16:30\" Hội thi nấu cơm");
    assert!(!lines.iter().any(|line| line.contains("Thảo luận")), "{lines:?}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_resident_registers_on_the_public_page_and_gets_a_seat_and_a_code() {
    let app = spawn_app().await;
    let (festival, slug) = crate::registration::open_festival(&app, Some(1), true).await;
    let driver = driver().await;
    let client = browser(&driver).await;
    // No login: the public page is for everyone.
    client.goto(&app.url(&format!("/f/{slug}"))).await.unwrap();
    wait_for_page(&client, "festivals/public.html").await;
    assert_eq!(text_of(&client, ".seats").await, "Còn 1 chỗ.");
    fill(&client, "#f-full_name", "Nguyễn Thị Lan").await;
    fill(&client, "#f-phone", "0912 345 678").await;
    screenshot(&client, "public-registration-form").await;
    client.find(Locator::Css("form button.btn-primary[type=submit]")).await.unwrap().click().await.unwrap();
    // On to the person's own page: the seat and the check-in code.
    wait_for_page(&client, "participants/rsvp.html").await;
    assert_eq!(text_of(&client, "#receipt-title").await, "Đăng ký thành công — bạn đã có chỗ");
    let code = text_of(&client, "p.code").await.replace(' ', "");
    screenshot(&client, "public-registration-done").await;
    let stored = app.get_json(&format!("/api/v1/festivals/{festival}/participants")).await;
    let person = &stored["items"][0];
    assert_eq!(stored["total"], 1, "{stored}");
    assert_eq!(
        (person["full_name"].as_str(), person["phone"].as_str(), person["registration"].as_str()),
        (Some("Nguyễn Thị Lan"), Some("0912345678"), Some("confirmed"))
    );
    assert_eq!(person["checkin_code"].as_str(), Some(code.as_str()));
    // The only seat is taken: the next visitor is told so.
    client.goto(&app.url(&format!("/f/{slug}"))).await.unwrap();
    assert!(text_of(&client, ".seats").await.starts_with("Đã hết chỗ"));
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_guest_is_checked_in_by_the_code_typed_at_the_door_once() {
    let app = spawn_app().await;
    let festival = crate::documents::future_festival(&app, "Khu phố Đông Hòa").await;
    let guest = crate::participants::add(
        &app,
        festival,
        json!({"full_name": "Trần Thị Hoa", "role": "official", "title": "Phó Chủ tịch UBND phường"}),
    )
    .await;
    crate::participants::add(&app, festival, json!({"full_name": "Lê Văn Tư", "role": "resident"})).await;
    let code = guest["checkin_code"].as_str().unwrap();
    // Typed as read off a phone: lower case, in groups of four.
    let typed = format!("{} {} {}", &code[..4], &code[4..8], &code[8..]).to_lowercase();
    let driver = driver().await;
    let client = browser(&driver).await;
    client.goto(&app.url(&format!("/festivals/{festival}/checkin"))).await.unwrap();
    log_in(&client).await;
    wait_for_page(&client, "participants/checkin.html").await;
    assert_eq!(text_of(&client, ".checkin-count").await, "0 / 2 đã điểm danh");
    fill(&client, "#f-code", &typed).await;
    client.find(Locator::Css("form[data-checkin] button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css(".banner-ok")).await.unwrap();
    let banner = text_of(&client, ".banner-ok").await;
    assert!(banner.contains("Đã điểm danh: Trần Thị Hoa") && banner.contains("Đại biểu"), "{banner}");
    assert_eq!(text_of(&client, ".checkin-count").await, "1 / 2 đã điểm danh");
    screenshot(&client, "checkin-done").await;
    let stored = app.get_json(&format!("/api/v1/participants/{}", guest["id"])).await;
    assert!(stored["checked_in_at"].is_string(), "{stored}");
    // The same code again: refused, saying when she came.
    fill(&client, "#f-code", code).await;
    client.find(Locator::Css("form[data-checkin] button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css(".banner-fail")).await.unwrap();
    let refusal = text_of(&client, ".banner-fail").await;
    assert!(refusal.contains("Trần Thị Hoa đã điểm danh lúc"), "{refusal}");
    assert_eq!(text_of(&client, ".checkin-count").await, "1 / 2 đã điểm danh");
    screenshot(&client, "checkin-again").await;
    client.close().await.unwrap();
}

/// Writes `rows` under `headings` as the one sheet of an XLSX workbook `dir/name`, as an
/// organizer saves it from Excel, and returns its path; empty cells are left out, as Excel
/// leaves them.
fn xlsx_file(dir: &std::path::Path, name: &str, headings: &[&str], rows: &[&[&str]]) -> String {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, heading) in headings.iter().enumerate() {
        sheet.write_string(0, u16::try_from(col).unwrap(), *heading).unwrap();
    }
    for (row, cells) in rows.iter().enumerate() {
        for (col, cell) in cells.iter().enumerate().filter(|(_, cell)| !cell.is_empty()) {
            sheet.write_string(u32::try_from(row + 1).unwrap(), u16::try_from(col).unwrap(), *cell).unwrap();
        }
    }
    let path = dir.join(name);
    book.save(&path).unwrap();
    path.to_string_lossy().into_owned()
}

/// Picks `file` (an absolute path) in the page's file input and sends the form, as choosing
/// it in the file dialog and pressing the button does.
async fn upload_file(client: &Client, file: &str) {
    client.find(Locator::Css("input[type=file]")).await.unwrap().send_keys(file).await.unwrap();
    client.find(Locator::Css("form button.btn-primary[type=submit]")).await.unwrap().click().await.unwrap();
}

/// The text of each cell of each row of the table body `css` (e.g. `table tbody`), top to
/// bottom.
async fn table_rows(client: &Client, css: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for row in client.find_all(Locator::Css(&format!("{css} tr"))).await.unwrap() {
        let mut cells = Vec::new();
        for cell in row.find_all(Locator::Css("td")).await.unwrap() {
            cells.push(cell.text().await.unwrap());
        }
        rows.push(cells);
    }
    rows
}

/// The names the participant list shows, top to bottom.
async fn listed_names(client: &Client) -> Vec<String> {
    let mut names = Vec::new();
    for link in client.find_all(Locator::Css("table tbody td.cell-main > a")).await.unwrap() {
        names.push(link.text().await.unwrap());
    }
    names
}

/// The id at the end of the address the browser shows (`/nominations/12?msg=…` gives 12).
async fn id_in_address(client: &Client) -> i64 {
    let url = client.current_url().await.unwrap();
    url.path().rsplit('/').next().unwrap().parse().unwrap_or_else(|_| panic!("no id in {url}"))
}

/// GETs `url` with the browser's session cookie, as following the link in the browser does.
async fn fetch_with_session(client: &Client, url: &str) -> reqwest::Response {
    use ngayhoi::auth::extract::SESSION_COOKIE;
    let session = client.get_named_cookie(SESSION_COOKIE).await.expect("a logged-in browser");
    reqwest::Client::new()
        .get(url)
        .header(reqwest::header::COOKIE, format!("{SESSION_COOKIE}={}", session.value()))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_organizer_imports_participants_from_an_xlsx_file_and_a_file_with_a_bad_row_adds_nobody() {
    let app = spawn_app().await;
    let festival = crate::documents::future_festival(&app, "Khu phố Đông Hòa").await;
    let dir = tempfile::tempdir().unwrap();
    let headings = ["STT", "Họ và tên", "Vai trò", "Chức vụ", "Số điện thoại"];
    // Typed in another order than the list's: it sorts by given name, the Vietnamese way
    // (Ánh, Dũng, Đức), which code point order (Dũng, Ánh, Đức) would not give.
    let good = xlsx_file(
        dir.path(),
        "danh-sach.xlsx",
        &headings,
        &[
            &["1", "Lê Minh Đức", "Đại biểu", "Chủ tịch UBND phường", "0912 345 678"],
            &["2", "Trần Quốc Dũng", "Người dân", "", "0987 654 321"],
            &["3", "Phạm Thị Ngọc Ánh", "Khách mời", "", ""],
        ],
    );
    let driver = driver().await;
    let client = browser(&driver).await;
    client.goto(&app.url(&format!("/festivals/{festival}/participants/import"))).await.unwrap();
    log_in(&client).await;
    wait_for_page(&client, "participants/import.html").await;
    assert_eq!(text_of(&client, "h1").await, "Nhập người tham dự từ tệp");
    screenshot(&client, "import-form").await;
    upload_file(&client, &good).await;

    // Back on the list, with the count and the people in Vietnamese order.
    wait_for_page(&client, "participants/list.html").await;
    assert_eq!(text_of(&client, ".notice-success").await, "Đã nhập 3 người tham dự.");
    assert!(text_of(&client, ".page-head .lead").await.ends_with("· 3 người"));
    assert_eq!(listed_names(&client).await, ["Phạm Thị Ngọc Ánh", "Trần Quốc Dũng", "Lê Minh Đức"]);
    let rows = table_rows(&client, "table tbody").await;
    let shown: Vec<(&str, &str)> = rows.iter().map(|cells| (cells[1].as_str(), cells[2].as_str())).collect();
    assert_eq!(shown, [("Khách mời", "—"), ("Người dân", "0987654321"), ("Đại biểu", "0912345678")]);
    assert!(rows[2][0].contains("Chủ tịch UBND phường"), "{rows:?}");
    screenshot(&client, "import-done").await;
    scroll_to(&client, "table").await;
    screenshot(&client, "import-done-list").await;
    let stored = app.get_json(&format!("/api/v1/festivals/{festival}/participants?q=duc")).await;
    assert_eq!(stored["total"], 1, "{stored}");
    assert_eq!(
        (stored["items"][0]["full_name"].as_str(), stored["items"][0]["role"].as_str()),
        (Some("Lê Minh Đức"), Some("official"))
    );

    // A file with one bad phone number on its third line: refused, naming the line and the
    // column, and its good first row is not added either.
    let bad = xlsx_file(
        dir.path(),
        "co-loi.xlsx",
        &headings,
        &[
            &["1", "Hoàng Văn Thụ", "Người dân", "", "0903 111 222"],
            &["2", "Võ Thị Sáu", "Người dân", "", "0612 345 678"],
        ],
    );
    client.find(Locator::LinkText("Nhập từ tệp")).await.unwrap().click().await.unwrap();
    wait_for_page(&client, "participants/import.html").await;
    upload_file(&client, &bad).await;
    client.wait().for_element(Locator::Css(".notice-error")).await.unwrap();
    assert_eq!(text_of(&client, "#problems-title").await, "Chưa nhập người nào");
    let problems = table_rows(&client, "table tbody").await;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0][0].as_str(), problems[0][1].as_str()), ("3", "Số điện thoại"));
    assert!(problems[0][2].contains("10 chữ số"), "{problems:?}");
    screenshot(&client, "import-refused").await;
    client.find(Locator::LinkText("Người tham dự")).await.unwrap().click().await.unwrap();
    wait_for_page(&client, "participants/list.html").await;
    assert_eq!(listed_names(&client).await, ["Phạm Thị Ngọc Ánh", "Trần Quốc Dũng", "Lê Minh Đức"]);
    let stored = app.get_json(&format!("/api/v1/festivals/{festival}/participants")).await;
    assert_eq!(stored["total"], 3, "nothing of the refused file is stored: {stored}");
    client.close().await.unwrap();
}

#[tokio::test]
async fn an_officers_nominations_are_approved_by_another_and_their_certificates_print_their_names() {
    let app = spawn_app().await;
    // Made through the API, as the flow does not test them: the awarding body, the host to
    // commend, and the commune officer who proposes (whoever submits may not approve, so the
    // admin approves).
    let issuer = crate::commendation::issuer(&app).await;
    let host = crate::commendation::host(&app, "Khu phố Đông Hòa").await;
    crate::commendation::proposer(&app).await;
    let driver = driver().await;
    let client = browser(&driver).await;

    // An individual: choosing the kind reloads the form with a person's fields.
    client.goto(&app.url("/nominations/new")).await.unwrap();
    log_in_as(&client, "canbo@ngayhoi.test").await;
    wait_for_page(&client, "commendation/proposal.html").await;
    let chosen_issuer = client.find(Locator::Css("select[name=issuer_id] option[selected]")).await.unwrap();
    assert_eq!(chosen_issuer.attr("value").await.unwrap(), Some(issuer.to_string()), "the only issuer is chosen");
    choose(&client, "kind", "individual").await;
    let person = "Nguyễn Thị Ánh Tuyết";
    fill(&client, "#f-nominee_name", person).await;
    fill(&client, "#f-cccd", "079185001234").await;
    choose(&client, "form", "giay_khen").await;
    fill(&client, "#f-achievement", "Đã có thành tích xuất sắc trong phát hiện, tố giác tội phạm tại khu phố Đông Hòa")
        .await;
    screenshot(&client, "nomination-form").await;
    client.find(Locator::Css("form button.btn-primary[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_page(&client, "commendation/nomination.html").await;
    assert!(text_of(&client, ".notice-success").await.starts_with("Đã lưu đề nghị ở dạng nháp."));
    assert_eq!(text_of(&client, "h1").await, person);
    let person_nomination = id_in_address(&client).await;
    client.find(Locator::Css("form[action$='/submit'] button")).await.unwrap().click().await.unwrap();
    wait_for_text(&client, "Đã gửi đề nghị tới cơ quan khen thưởng.").await;
    assert!(text_of(&client, ".eyebrow").await.contains("Đã gửi"));
    screenshot(&client, "nomination-submitted").await;

    // A collective: the host chosen, its name left to go on the certificate.
    client.goto(&app.url("/nominations/new")).await.unwrap();
    wait_for_page(&client, "commendation/proposal.html").await;
    choose(&client, "host_id", &host.to_string()).await;
    fill(&client, "#f-achievement", "Giữ vững an ninh trật tự trên địa bàn khu phố").await;
    client.find(Locator::Css("form button.btn-primary[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_page(&client, "commendation/nomination.html").await;
    let collective = "Khu phố Đông Hòa";
    assert_eq!(text_of(&client, "h1").await, collective);
    let collective_nomination = id_in_address(&client).await;
    client.find(Locator::Css("form[action$='/submit'] button")).await.unwrap().click().await.unwrap();
    wait_for_text(&client, "Đã gửi đề nghị tới cơ quan khen thưởng.").await;

    // The admin, at the council's table: the vote, the approval, then the decision.
    client.find(Locator::Css("form.usermenu button[type=submit]")).await.unwrap().click().await.unwrap();
    wait_for_page(&client, "auth/login.html").await;
    let council = format!("/issuers/{issuer}/council");
    client.goto(&app.url(&council)).await.unwrap();
    log_in(&client).await;
    wait_for_page(&client, "commendation/council.html").await;
    let rows = table_rows(&client, "table tbody").await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|cells| cells[3] == "Đã gửi"), "{rows:?}");
    screenshot(&client, "council-submitted").await;
    let check_both = async || {
        for id in [person_nomination, collective_nomination] {
            client.find(Locator::Css(&format!("#row-{id}"))).await.unwrap().click().await.unwrap();
        }
    };
    check_both().await;
    fill(&client, "#f-votes_for", "7").await;
    fill(&client, "#f-votes_against", "0").await;
    fill(&client, "#f-note", "Nhất trí đề nghị khen thưởng").await;
    client.find(Locator::Css("button[formaction$='/review']")).await.unwrap().click().await.unwrap();
    let voted = wait_for_text(&client, "Đã ghi biểu quyết cho 2 đề nghị").await;
    assert!(voted.contains(person) && voted.contains(collective), "{voted}");
    let rows = table_rows(&client, "table tbody").await;
    assert!(rows.iter().all(|cells| cells[3] == "Hội đồng đã xét" && cells[4] == "7 tán thành, 0 không"), "{rows:?}");
    check_both().await;
    client.find(Locator::Css("button[formaction$='/approve']")).await.unwrap().click().await.unwrap();
    wait_for_text(&client, "Đã duyệt 2 đề nghị").await;
    assert!(!client.source().await.unwrap().contains("notice-error"), "nobody refused");
    let rows = table_rows(&client, "table tbody").await;
    assert!(rows.iter().all(|cells| cells[3] == "Đã duyệt"), "{rows:?}");
    screenshot(&client, "council-approved").await;
    // Signed today, the form's date.
    check_both().await;
    client.find(Locator::Css("button[formaction$='/decide']")).await.unwrap().click().await.unwrap();
    wait_for_page(&client, "commendation/decision.html").await;
    assert!(text_of(&client, ".notice-success").await.starts_with("Đã ra quyết định 01/QĐ-UBND."));
    assert_eq!(text_of(&client, "h1").await, "Quyết định số 01/QĐ-UBND");
    screenshot(&client, "decision").await;
    scroll_to(&client, "#recipients-title").await;
    screenshot(&client, "decision-recipients").await;
    let decision = id_in_address(&client).await;
    let stored = app.get_json(&format!("/api/v1/decisions/{decision}")).await;
    assert_eq!((stored["number"].as_str(), stored["state"].as_str()), (Some("01/QĐ-UBND"), Some("active")));
    for id in [person_nomination, collective_nomination] {
        let nomination = app.get_json(&format!("/api/v1/nominations/{id}")).await;
        assert_eq!((&nomination["state"], &nomination["decision_id"]), (&json!("approved"), &json!(decision)));
    }

    // Each recipient's certificate, fetched as the browser follows its link, prints the name.
    let recipients = "section[aria-labelledby=recipients-title] tbody";
    let rows = client.find_all(Locator::Css(&format!("{recipients} tr"))).await.unwrap();
    assert_eq!(rows.len(), 2);
    let dir = tempfile::tempdir().unwrap();
    let mut printed = Vec::new();
    for row in rows {
        let recipient = row.find(Locator::Css("td.cell-main")).await.unwrap().text().await.unwrap();
        let link = row.find(Locator::LinkText("Giấy khen (PDF)")).await.unwrap();
        let url = link.prop("href").await.unwrap().expect("a link");
        assert!(url.contains("/api/v1/certificates/") && url.ends_with(".pdf"), "{url}");
        // Only a logged-in browser gets it.
        assert_eq!(reqwest::get(&url).await.unwrap().status(), StatusCode::UNAUTHORIZED);
        let response = fetch_with_session(&client, &url).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{url}");
        let file = dir.path().join(format!("giay-khen-{}.pdf", printed.len()));
        std::fs::write(&file, &bytes).unwrap();
        let (text, pages) = crate::documents::read_pdf(&file.to_string_lossy());
        assert_eq!(pages, 1, "{text}");
        for expected in ["GIẤY KHEN", recipient.as_str(), "Quyết định số 01/QĐ-UBND"] {
            assert!(text.contains(expected), "{expected:?} missing from the certificate of {recipient}: {text}");
        }
        printed.push(recipient);
    }
    printed.sort();
    assert_eq!(printed, [collective, person]);
    client.close().await.unwrap();
}

/// The texts of the options of the select `css`, or the placeholder of the input `css`, that
/// its box is too narrow to show whole.
async fn cut_off_texts(client: &Client, css: &str) -> Vec<String> {
    let script = "var field = document.querySelector(arguments[0]);
        var style = getComputedStyle(field);
        var context = document.createElement('canvas').getContext('2d');
        context.font = style.font;
        var room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        var texts = field instanceof HTMLSelectElement
            ? Array.prototype.map.call(field.options, function (option) { return option.text; })
            : [field.placeholder];
        return texts.filter(function (text) { return context.measureText(text).width > room; });";
    let cut = client.execute(script, vec![json!(css)]).await.unwrap();
    serde_json::from_value(cut).unwrap()
}

/// Whether the page loaded when `mark_page` ran is still the one shown, and no form of it
/// has been submitted since.
async fn same_page_unsubmitted(client: &Client) -> bool {
    let still = client.execute("return window.markedPage === true && !window.pageSubmitted", vec![]).await.unwrap();
    still == json!(true)
}

async fn mark_page(client: &Client) {
    let script = "window.markedPage = true;
        document.addEventListener('submit', function () { window.pageSubmitted = true; });";
    client.execute(script, vec![]).await.unwrap();
}

async fn focused_name(client: &Client) -> String {
    let name = client.execute("return document.activeElement.name || ''", vec![]).await.unwrap();
    name.as_str().unwrap().to_owned()
}

const ARROW_DOWN: &str = "\u{E015}";
const ARROW_UP: &str = "\u{E013}";
const ENTER: &str = "\u{E007}";

#[tokio::test]
async fn a_keyboard_moves_through_a_reloading_select_and_the_page_reloads_only_on_enter() {
    let app = spawn_app().await;
    let host = app.create_host("Tổ dân phố Tân Thành Đông Bắc số 12", COMMUNE_HCM).await["id"].as_i64().unwrap();
    app.create_festival(host).await;
    let driver = driver().await;
    let client = browser(&driver).await;
    let calendar = format!("/reports/calendar?year=2025&month=8&unit={COMMUNE_HCM}");
    client.goto(&app.url(&calendar)).await.unwrap();
    log_in(&client).await;
    wait_for_page(&client, "reports/calendar.html").await;

    // Limited to a commune, the calendar names it; the legend gives the grid's colours; a
    // festival cut short in the grid has all of it in its hover text.
    assert_eq!(text_of(&client, "h1").await, "Lịch ngày hội tháng 8/2025 — Phường Tân Phú");
    assert_eq!(
        client.title().await.unwrap(),
        "Lịch ngày hội tháng 8/2025 — Phường Tân Phú · Ngày hội Toàn dân bảo vệ an ninh Tổ quốc"
    );
    let legend = text_of(&client, "ul.month-legend").await;
    assert_eq!(
        legend.split_whitespace().collect::<Vec<_>>().join(" "),
        "Dự kiến Đã duyệt Đã tổ chức Đã báo cáo Đã hủy"
    );
    let cell = client.find(Locator::Css(".month-day[data-date='2025-08-15'] a.month-festival")).await.unwrap();
    assert_eq!(
        cell.attr("title").await.unwrap().as_deref(),
        Some("Tổ dân phố Tân Thành Đông Bắc số 12 · 19:30–22:00 ngày 15/08/2025 · Dự kiến")
    );
    let back = client.find(Locator::Css(".field-actions a.btn")).await.unwrap().prop("href").await.unwrap().unwrap();
    assert_eq!(back, app.url(&format!("/reports/coverage?year=2025&unit={COMMUNE_HCM}")));
    screenshot(&client, "calendar-unit").await;
    scroll_to(&client, ".month-day[data-date='2025-08-04']").await;
    screenshot(&client, "calendar-unit-grid").await;

    // Arrow keys step through the months without leaving the page or the select.
    mark_page(&client).await;
    let month = client.find(Locator::Css("select[name=month]")).await.unwrap();
    month.send_keys(ARROW_DOWN).await.unwrap();
    month.send_keys(ARROW_DOWN).await.unwrap();
    month.send_keys(ARROW_DOWN).await.unwrap();
    month.send_keys(ARROW_UP).await.unwrap();
    assert!(same_page_unsubmitted(&client).await, "the page reloaded on an arrow key");
    assert_eq!(focused_name(&client).await, "month");
    assert_eq!(month.prop("value").await.unwrap().as_deref(), Some("10"));
    assert_eq!(client.current_url().await.unwrap().as_str(), app.url(&calendar));
    // Enter shows the month chosen, for the same commune.
    month.send_keys(ENTER).await.unwrap();
    wait_for_text(&client, "Lịch ngày hội tháng 10/2025 — Phường Tân Phú").await;
    let url = client.current_url().await.unwrap();
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert!(query.contains(&("month".into(), "10".into())) && query.contains(&("unit".into(), COMMUNE_HCM.into())));
    screenshot(&client, "calendar-keyboard").await;
    // A pointer's choice still reloads at once.
    choose(&client, "month", "8").await;
    wait_for_text(&client, "Lịch ngày hội tháng 8/2025 — Phường Tân Phú").await;

    // The festival list's status filter: the keyboard then the "Lọc" button.
    client.goto(&app.url("/festivals")).await.unwrap();
    wait_for_page(&client, "festivals/list.html").await;
    mark_page(&client).await;
    let status = client.find(Locator::Css("select[name=status]")).await.unwrap();
    status.send_keys(ARROW_DOWN).await.unwrap();
    status.send_keys(ARROW_DOWN).await.unwrap();
    assert!(same_page_unsubmitted(&client).await, "the page reloaded on an arrow key");
    assert_eq!(status.prop("value").await.unwrap().as_deref(), Some("approved"));
    client.find(Locator::Css("form.filters button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("select[name=status] option[value=approved][selected]")).await.unwrap();
    assert!(client.current_url().await.unwrap().as_str().contains("status=approved"));

    // At 1366 px the long option of the dashboard's sort and the mail log's placeholder show whole.
    client.goto(&app.url(&format!("/reports/coverage?year=2025&unit={COMMUNE_HCM}"))).await.unwrap();
    wait_for_page(&client, "reports/coverage.html").await;
    assert_eq!(cut_off_texts(&client, "select[name=sort]").await, Vec::<String>::new());
    assert_eq!(cut_off_texts(&client, "select[name=year]").await, Vec::<String>::new());
    screenshot(&client, "coverage-filters").await;
    let mailed = crate::mail_pages::festival_with_guests(&app).await;
    wait_for_job(&app, &crate::mail_pages::send_from_page(&app, mailed, &[]).await).await;
    client.goto(&app.url(&format!("/festivals/{mailed}/messages"))).await.unwrap();
    wait_for_page(&client, "mail/log.html").await;
    assert_eq!(cut_off_texts(&client, "input[name=q]").await, Vec::<String>::new());
    screenshot(&client, "mail-log-filters").await;
    client.close().await.unwrap();
}
