//! `/api/v1/hosts`: residential areas, agencies, enterprises and schools under a commune.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{
    COMMUNE_HANOI, COMMUNE_HCM, COMMUNE_HCM_2, PROVINCE_HCM, error_fields, expect_json, expect_problem, spawn_app,
};

#[tokio::test]
async fn creating_a_host_normalizes_its_name() {
    let app = spawn_app().await;
    // NFD input with stray spaces, as some keyboards send it.
    let body = json!({"name": "  Tổ dân phố  \u{110}o\u{302}\u{300}ng Ta\u{302}m ", "kind": "residential_area", "unit_code": COMMUNE_HCM});
    let host = expect_json(app.post("/api/v1/hosts", &body).await, StatusCode::CREATED).await;
    assert_eq!(host["name"], "Tổ dân phố Đồng Tâm");
    assert_eq!(host["unit_code"], COMMUNE_HCM);
    assert_eq!(host["unit_name"], "Phường Tân Phú");
    assert_eq!(host["province_code"], PROVINCE_HCM);
    assert_eq!(host["kind"], "residential_area");
    let fetched = app.get_json(&format!("/api/v1/hosts/{}", host["id"])).await;
    assert_eq!(fetched, host);
}

#[tokio::test]
async fn host_name_is_unique_within_a_commune_ignoring_case_and_accents() {
    let app = spawn_app().await;
    app.create_host("Thôn Đông", COMMUNE_HCM).await;
    let duplicate = json!({"name": "THON DONG", "kind": "school", "unit_code": COMMUNE_HCM});
    let problem = expect_problem(app.post("/api/v1/hosts", &duplicate).await, StatusCode::CONFLICT).await;
    assert_eq!(error_fields(&problem), ["name"]);
    // The same name in another commune is fine.
    app.create_host("Thôn Đông", COMMUNE_HCM_2).await;
}

#[tokio::test]
async fn each_bad_host_field_is_named() {
    let app = spawn_app().await;
    let cases = [
        (json!({"name": " ", "kind": "school", "unit_code": COMMUNE_HCM}), vec!["name"]),
        (json!({"name": "x".repeat(201), "kind": "school", "unit_code": COMMUNE_HCM}), vec!["name"]),
        (json!({"name": "Trường A", "kind": "school", "unit_code": PROVINCE_HCM}), vec!["unit_code"]),
        (json!({"name": "Trường A", "kind": "school", "unit_code": "99999"}), vec!["unit_code"]),
        (json!({"name": "", "kind": "school", "unit_code": "99999"}), vec!["name", "unit_code"]),
        (json!({"name": "Trường A", "kind": "castle", "unit_code": COMMUNE_HCM}), vec!["kind"]),
        (json!({"name": "Trường A", "unit_code": COMMUNE_HCM}), vec!["kind"]),
        (json!({"name": 5, "kind": "school", "unit_code": COMMUNE_HCM}), vec!["name"]),
    ];
    for (body, fields) in cases {
        let problem = expect_problem(app.post("/api/v1/hosts", &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), fields, "{body}");
        assert!(problem["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn hosts_are_listed_by_commune_or_province() {
    let app = spawn_app().await;
    app.create_host("Khu phố 1", COMMUNE_HCM).await;
    app.create_host("Khu phố 2", COMMUNE_HCM).await;
    app.create_host("Khu phố 3", COMMUNE_HCM_2).await;
    app.create_host("Tổ dân phố 4", COMMUNE_HANOI).await;
    assert_eq!(app.get_json(&format!("/api/v1/hosts?unit={COMMUNE_HCM}")).await["total"], 2);
    assert_eq!(app.get_json(&format!("/api/v1/hosts?unit={PROVINCE_HCM}")).await["total"], 3);
    assert_eq!(app.get_json("/api/v1/hosts").await["total"], 4);
    let found = app.get_json("/api/v1/hosts?q=khu%20pho").await;
    assert_eq!(found["total"], 3);
    assert_eq!(found["items"][0]["name"], "Khu phố 1");
    let problem = expect_problem(app.get("/api/v1/hosts?unit=nowhere").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["unit"]);
}

#[tokio::test]
async fn patching_a_host_changes_only_what_is_sent() {
    let app = spawn_app().await;
    let host = app.create_host("Ấp 3", COMMUNE_HCM).await;
    let path = format!("/api/v1/hosts/{}", host["id"]);
    let patched = expect_json(app.patch(&path, &json!({"kind": "agency"})).await, StatusCode::OK).await;
    assert_eq!(patched["kind"], "agency");
    assert_eq!(patched["name"], "Ấp 3");
    let moved = expect_json(app.patch(&path, &json!({"unit_code": COMMUNE_HANOI})).await, StatusCode::OK).await;
    assert_eq!(moved["province_code"], "01");
    let problem = expect_problem(app.patch(&path, &json!({"name": ""})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["name"]);
    app.create_host("Ấp 4", COMMUNE_HANOI).await;
    let problem = expect_problem(app.patch(&path, &json!({"name": "ấp 4"})).await, StatusCode::CONFLICT).await;
    assert_eq!(error_fields(&problem), ["name"]);
    expect_problem(app.patch("/api/v1/hosts/424242", &json!({})).await, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn a_host_with_festivals_cannot_be_deleted() {
    let app = spawn_app().await;
    let host = app.create_host("Bản Mường", COMMUNE_HCM).await;
    let festival = app.create_festival(host["id"].as_i64().unwrap()).await;
    let path = format!("/api/v1/hosts/{}", host["id"]);
    expect_problem(app.delete(&path).await, StatusCode::CONFLICT).await;
    assert_eq!(app.delete(&format!("/api/v1/festivals/{}", festival["id"])).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.delete(&path).await.status(), StatusCode::NO_CONTENT);
    expect_problem(app.get(&path).await, StatusCode::NOT_FOUND).await;
    expect_problem(app.delete(&path).await, StatusCode::NOT_FOUND).await;
}
