//! The organizer's way through the pages in a real headless Chromium (WebDriver through
//! `chromedriver`, installed with `apt-get install chromium chromium-driver` by `.ci/run`):
//! log in, the dashboard and its drill-down, and a print job's progress bar followed live
//! until its file can be downloaded. Screenshots go to `target/screenshots/` (under
//! `CARGO_TARGET_DIR`) to be looked at.

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
    client.wait().for_element(Locator::Css("input[name=email]")).await.unwrap().send_keys(ADMIN_EMAIL).await.unwrap();
    client.find(Locator::Css("input[name=password]")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    client.find(Locator::Css("form button[type=submit]")).await.unwrap().click().await.unwrap();
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
