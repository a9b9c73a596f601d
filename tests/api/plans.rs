//! `/api/v1/plans/{unit}/{year}`: the festival window, commune over province over default.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{COMMUNE_HCM, PROVINCE_HCM, error_fields, expect_json, expect_problem, spawn_app};

#[tokio::test]
async fn without_plans_the_window_is_first_july_to_nineteenth_august() {
    let app = spawn_app().await;
    let plan = app.get_json(&format!("/api/v1/plans/{COMMUNE_HCM}/2025")).await;
    assert_eq!(plan["window_start"], "2025-07-01");
    assert_eq!(plan["window_end"], "2025-08-19");
    assert_eq!(plan["source"], "default");
}

#[tokio::test]
async fn the_commune_plan_wins_over_the_province_plan() {
    let app = spawn_app().await;
    let host = app.create_host("Tổ dân phố 1", COMMUNE_HCM).await;
    let festival = app.create_festival(host["id"].as_i64().unwrap()).await; // 15/08/2025
    let festival_path = format!("/api/v1/festivals/{}", festival["id"]);
    assert_eq!(festival["warnings"], json!([]));

    let province_plan =
        json!({"window_start": "2025-07-15", "window_end": "2025-08-10", "notes": "Kế hoạch số 12/KH-UBND"});
    let saved =
        expect_json(app.put(&format!("/api/v1/plans/{PROVINCE_HCM}/2025"), &province_plan).await, StatusCode::OK).await;
    assert_eq!(saved["source"], "own");
    let inherited = app.get_json(&format!("/api/v1/plans/{COMMUNE_HCM}/2025")).await;
    assert_eq!((&inherited["window_end"], &inherited["source"]), (&json!("2025-08-10"), &json!("province")));
    let warned = app.get_json(&festival_path).await;
    assert_eq!(error_fields(&json!({"errors": warned["warnings"]})), ["starts_at"]);

    let commune_plan = json!({"window_start": "2025-08-01", "window_end": "2025-08-31"});
    expect_json(app.put(&format!("/api/v1/plans/{COMMUNE_HCM}/2025"), &commune_plan).await, StatusCode::OK).await;
    assert_eq!(app.get_json(&festival_path).await["warnings"], json!([]));
    assert_eq!(app.get_json(&format!("/api/v1/plans/{COMMUNE_HCM}/2025")).await["source"], "own");

    // PUT again replaces.
    let narrower = json!({"window_start": "2025-08-01", "window_end": "2025-08-05"});
    expect_json(app.put(&format!("/api/v1/plans/{COMMUNE_HCM}/2025"), &narrower).await, StatusCode::OK).await;
    assert_eq!(app.get_json(&format!("/api/v1/plans/{COMMUNE_HCM}/2025")).await["window_end"], "2025-08-05");
    assert_eq!(app.get_json(&festival_path).await["warnings"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bad_plans_are_refused_field_by_field() {
    let app = spawn_app().await;
    let path = format!("/api/v1/plans/{COMMUNE_HCM}/2025");
    let cases = [
        (json!({"window_start": "2025-08-20", "window_end": "2025-08-01"}), vec!["window_end"]),
        (json!({"window_start": "2024-08-20", "window_end": "2026-08-01"}), vec!["window_start", "window_end"]),
        (json!({"window_start": "20/07/2025", "window_end": "2025-08-01"}), vec!["window_start"]),
        (json!({"window_start": "2025-07-01"}), vec!["window_end"]),
    ];
    for (body, fields) in cases {
        let problem = expect_problem(app.put(&path, &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), fields, "{body}");
    }
    let problem =
        expect_problem(app.get(&format!("/api/v1/plans/{COMMUNE_HCM}/1990")).await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert_eq!(error_fields(&problem), ["year"]);
    expect_problem(app.get("/api/v1/plans/00000/2025").await, StatusCode::NOT_FOUND).await;
}
