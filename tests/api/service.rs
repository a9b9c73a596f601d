//! `/healthz`, error bodies and unknown paths.

use reqwest::StatusCode;

use crate::documents::{download, read_pdf};
use crate::helpers::{expect_json, expect_problem, spawn_app};

#[tokio::test]
async fn health_reports_ok_and_the_database_in_use() {
    let app = spawn_app().await;
    let body = expect_json(app.get("/healthz").await, StatusCode::OK).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], app.backend);
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn unknown_api_path_is_problem_json_404() {
    let app = spawn_app().await;
    let problem = expect_problem(app.get("/api/v1/nothing-here").await, StatusCode::NOT_FOUND).await;
    assert_eq!(problem["type"], "urn:ngayhoi:problem:not-found");
}

#[tokio::test]
async fn malformed_json_is_400_and_wrong_content_type_415() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/hosts"))
        .bearer_auth(app.token.as_deref().unwrap())
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::BAD_REQUEST).await;

    let response = app
        .client
        .post(app.url("/api/v1/hosts"))
        .bearer_auth(app.token.as_deref().unwrap())
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;

    let response = app
        .client
        .post(app.url("/api/v1/hosts"))
        .bearer_auth(app.token.as_deref().unwrap())
        .body("{}")
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
}

#[tokio::test]
async fn non_numeric_id_is_404_not_500() {
    let app = spawn_app().await;
    expect_problem(app.get("/api/v1/festivals/abc").await, StatusCode::NOT_FOUND).await;
    expect_problem(app.get("/api/v1/hosts/99999999999999").await, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn a_wrong_method_is_problem_json_405() {
    let app = spawn_app().await;
    let problem =
        expect_problem(app.put("/api/v1/hosts", &serde_json::json!({})).await, StatusCode::METHOD_NOT_ALLOWED).await;
    assert_eq!(problem["type"], "urn:ngayhoi:problem:method-not-allowed");
}

#[tokio::test]
async fn demo_data_loads_once_with_participants_an_open_festival_and_a_signed_decision() {
    let app = spawn_app().await;
    let summary = ngayhoi::demo::load(&app.db).await.expect("demo loads");
    let slug = summary.split("/f/").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("slug").to_owned();
    assert!(summary.contains("quyết định khen thưởng 01/QĐ-UBND"), "{summary}");
    ngayhoi::demo::load(&app.db).await.expect("a second run adds nothing");
    let festivals = app.get_json("/api/v1/festivals?year=2025&per_page=500").await;
    assert_eq!(festivals["total"], 20);
    let first = festivals["items"][0]["id"].as_i64().unwrap();
    let people = app.get_json(&format!("/api/v1/festivals/{first}/participants")).await;
    assert_eq!(people["total"], 8);
    let register = app.client.post(app.url(&format!("/api/v1/public/festivals/{slug}/registrations")));
    let receipt = register.json(&serde_json::json!({"full_name": "Khách Thử Nghiệm"})).send().await.unwrap();
    assert_eq!(expect_json(receipt, StatusCode::CREATED).await["status"], "confirmed");

    // Every commune's people's committee issues the invitations of its festivals.
    let issuers = app.get_json("/api/v1/issuers").await;
    assert_eq!(issuers["total"], 4);
    let of_issuer = |id: &serde_json::Value| issuers["items"].as_array().unwrap().iter().find(|i| i["id"] == *id);
    for festival in festivals["items"].as_array().unwrap() {
        let issuer = of_issuer(&festival["issuer_id"]).unwrap_or_else(|| panic!("no issuer: {festival}"));
        assert_eq!((&issuer["unit_code"], &issuer["symbol"]), (&festival["unit_code"], &serde_json::json!("UBND")));
    }
    let dir = tempfile::tempdir().unwrap();
    // The open festival of next year is still ahead: its invitations print, one page per guest.
    let open = app.get_json("/api/v1/festivals?per_page=500").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|festival| festival["slug"] == slug.as_str())
        .map(|festival| festival["id"].clone())
        .expect("the open festival");
    let file =
        download(&app, &format!("/api/v1/festivals/{open}/invitations.pdf"), dir.path(), "invitations.pdf").await;
    let (text, pages) = read_pdf(&file);
    assert_eq!(pages, 3);
    for expected in ["GIẤY MỜI", "Ủy ban nhân dân phường Tân Phú trân trọng kính mời:", "Nguyễn Thanh Bình"]
    {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }

    // Phường Tân Phú's decision: two collectives and two people, approved and signed, printable.
    let decisions = app.get_json("/api/v1/decisions").await;
    assert_eq!(decisions["total"], 1, "{decisions}");
    let decision = &decisions["items"][0];
    assert_eq!(
        (&decision["number"], &decision["state"]),
        (&serde_json::json!("01/QĐ-UBND"), &serde_json::json!("active"))
    );
    let recipients: Vec<&str> =
        decision["certificates"].as_array().unwrap().iter().map(|c| c["recipient"].as_str().unwrap()).collect();
    assert_eq!(recipients, ["Khu phố 3", "Tổ liên gia an toàn Khu phố 2", "Nguyễn Thị Hồng", "Trần Văn Minh"]);
    let nominations = app.get_json("/api/v1/nominations?state=approved").await;
    assert_eq!(nominations["total"], 4);
    let id = &decision["id"];
    let file =
        download(&app, &format!("/api/v1/decisions/{id}/certificates.pdf"), dir.path(), "certificates.pdf").await;
    let (text, pages) = read_pdf(&file);
    assert_eq!(pages, 4);
    for expected in ["CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TÂN PHÚ", "GIẤY KHEN", "Khu phố 3", "Trần Văn Minh"]
    {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    let file = download(&app, &format!("/api/v1/decisions/{id}.pdf"), dir.path(), "decision.pdf").await;
    let (text, _) = read_pdf(&file);
    assert!(text.contains("01/QĐ-UBND") && text.contains("Nguyễn Thị Hồng"), "{text}");
    assert!(text.contains("năm 2025"), "commended for the festivals' year: {text}");

    // Reported festivals carry their reports, and the 2025 summary counts them and the awards.
    let mut reported = 0;
    for festival in festivals["items"].as_array().unwrap().iter().filter(|festival| festival["status"] == "reported") {
        let report = app.get_json(&format!("/api/v1/festivals/{}/report", festival["id"])).await;
        assert!(report["attendance"].as_i64() > Some(0), "{report}");
        reported += 1;
    }
    assert!(reported > 0);
    let summary = app.get_json("/api/v1/reports/summary?year=2025&unit=27031").await;
    assert!(summary["attendance"].as_i64() > Some(0), "{summary}");
    assert_eq!(
        (summary["collectives_commended"].as_i64(), summary["individuals_commended"].as_i64()),
        (Some(2), Some(2))
    );
}
