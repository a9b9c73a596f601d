//! `/healthz`, error bodies and unknown paths.

use reqwest::StatusCode;

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
async fn demo_data_loads_once_with_participants_and_an_open_festival() {
    let app = spawn_app().await;
    let summary = ngayhoi::demo::load(&app.db).await.expect("demo loads");
    let slug = summary.split("/f/").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("slug").to_owned();
    ngayhoi::demo::load(&app.db).await.expect("a second run adds nothing");
    let festivals = app.get_json("/api/v1/festivals?year=2025&per_page=500").await;
    assert_eq!(festivals["total"], 20);
    let first = festivals["items"][0]["id"].as_i64().unwrap();
    let people = app.get_json(&format!("/api/v1/festivals/{first}/participants")).await;
    assert_eq!(people["total"], 8);
    let register = app.client.post(app.url(&format!("/api/v1/public/festivals/{slug}/registrations")));
    let receipt = register.json(&serde_json::json!({"full_name": "Khách Thử Nghiệm"})).send().await.unwrap();
    assert_eq!(expect_json(receipt, StatusCode::CREATED).await["status"], "confirmed");
}
