//! `/api/v1/festivals`: one per host per year, status path, programme and committee.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    COMMUNE_HANOI, COMMUNE_HCM, COMMUNE_HCM_2, PROVINCE_HCM, TestApp, error_fields, expect_json, expect_problem,
    festival_body, spawn_app,
};

async fn host_id(app: &TestApp, name: &str, unit: &str) -> i64 {
    app.create_host(name, unit).await["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_new_festival_is_planned_with_defaults_and_the_standard_programme() {
    let app = spawn_app().await;
    let host = host_id(&app, "Thôn Phú Mỹ", COMMUNE_HCM).await;
    let festival = app.create_festival(host).await;
    assert_eq!(festival["status"], "planned");
    assert_eq!(festival["title"], "Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm 2025");
    assert_eq!(festival["starts_at"], "2025-08-15T19:30:00+07:00");
    assert_eq!(festival["ends_at"], "2025-08-15T22:00:00+07:00");
    assert_eq!(festival["host_name"], "Thôn Phú Mỹ");
    assert_eq!(festival["unit_name"], "Phường Tân Phú");
    assert_eq!(festival["capacity"], Value::Null);
    assert_eq!(festival["registration_open"], false);
    assert_eq!(festival["waitlist"], true);
    assert_eq!(festival["warnings"], json!([]));
    assert!(festival["slug"].as_str().unwrap().starts_with("thon-phu-my-2025-"));

    let id = &festival["id"];
    assert_eq!(app.get_json(&format!("/api/v1/festivals/{id}")).await, festival);
    let programme = app.get_json(&format!("/api/v1/festivals/{id}/programme")).await;
    let programme = programme.as_array().unwrap();
    assert_eq!(programme.len(), 11);
    assert_eq!(programme[0], json!({"part": "le", "starts_at": null, "title": "Chào cờ", "presenter": null}));
    assert_eq!(programme[10]["part"], "hoi");
    assert_eq!(app.get_json(&format!("/api/v1/festivals/{id}/committee")).await, json!([]));
}

#[tokio::test]
async fn a_host_has_one_festival_per_year() {
    let app = spawn_app().await;
    let host = host_id(&app, "Tổ 5", COMMUNE_HCM).await;
    app.create_festival(host).await;
    let problem = expect_problem(app.post("/api/v1/festivals", &festival_body(host)).await, StatusCode::CONFLICT).await;
    assert_eq!(error_fields(&problem), ["year"]);
    let next_year = json!({
        "host_id": host, "year": 2026, "title": "Ngày hội điểm",
        "starts_at": "2026-08-19T07:30:00+07:00", "ends_at": "2026-08-19T11:00:00+07:00",
        "venue": "Sân văn hóa", "capacity": 300, "registration_open": true, "waitlist": false,
    });
    let festival = expect_json(app.post("/api/v1/festivals", &next_year).await, StatusCode::CREATED).await;
    assert_eq!(festival["title"], "Ngày hội điểm");
    assert_eq!(festival["capacity"], 300);
    assert_eq!(festival["registration_open"], true);
    assert_eq!(festival["waitlist"], false);
}

#[tokio::test]
async fn each_bad_festival_field_is_named() {
    let app = spawn_app().await;
    let host = host_id(&app, "Tổ 6", COMMUNE_HCM).await;
    let with = |change: Value| {
        let mut body = festival_body(host);
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    let cases = [
        (with(json!({"host_id": 999_999})), vec!["host_id"]),
        (
            with(
                json!({"year": 1999, "starts_at": "1999-08-15T19:30:00+07:00", "ends_at": "1999-08-15T22:00:00+07:00"}),
            ),
            vec!["year"],
        ),
        (with(json!({"year": 2026})), vec!["starts_at"]),
        (with(json!({"ends_at": "2025-08-15T19:00:00+07:00"})), vec!["ends_at"]),
        (with(json!({"venue": "   "})), vec!["venue"]),
        (with(json!({"title": "x".repeat(301)})), vec!["title"]),
        (with(json!({"capacity": 0})), vec!["capacity"]),
        (with(json!({"capacity": -3})), vec!["capacity"]),
        (with(json!({"starts_at": "15/08/2025 19:30"})), vec!["starts_at"]),
        (with(json!({"venue": "  ", "capacity": 0})), vec!["venue", "capacity"]),
        (with(json!({"host_id": 999_999, "venue": " "})), vec!["host_id", "venue"]),
    ];
    for (body, fields) in cases {
        let problem =
            expect_problem(app.post("/api/v1/festivals", &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), fields, "{body}");
    }
    let mut missing = festival_body(host);
    missing.as_object_mut().unwrap().remove("venue");
    let problem = expect_problem(app.post("/api/v1/festivals", &missing).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["venue"]);
    assert_eq!(app.get_json("/api/v1/festivals").await["total"], 0, "nothing was written");
}

#[tokio::test]
async fn a_festival_late_in_september_carries_a_window_warning() {
    let app = spawn_app().await;
    let host = host_id(&app, "Khu phố 7", COMMUNE_HCM).await;
    let mut body = festival_body(host);
    body["starts_at"] = json!("2025-09-02T08:00:00+07:00");
    body["ends_at"] = json!("2025-09-02T11:00:00+07:00");
    let festival = expect_json(app.post("/api/v1/festivals", &body).await, StatusCode::CREATED).await;
    assert_eq!(error_fields(&json!({"errors": festival["warnings"]})), ["starts_at"]);
    assert!(festival["warnings"][0]["message"].as_str().unwrap().contains("01/07/2025 – 19/08/2025"));
    let listed = app.get_json("/api/v1/festivals").await;
    assert_eq!(listed["items"][0]["warnings"], festival["warnings"]);
}

#[tokio::test]
async fn festivals_are_filtered_by_year_unit_and_status_and_ordered_by_start() {
    let app = spawn_app().await;
    let a = host_id(&app, "Tổ A", COMMUNE_HCM).await;
    let b = host_id(&app, "Tổ B", COMMUNE_HCM_2).await;
    let c = host_id(&app, "Tổ C", COMMUNE_HANOI).await;
    for (host, day) in [(a, 18), (b, 10), (c, 12)] {
        let mut body = festival_body(host);
        body["starts_at"] = json!(format!("2025-08-{day}T08:00:00+07:00"));
        body["ends_at"] = json!(format!("2025-08-{day}T11:00:00+07:00"));
        expect_json(app.post("/api/v1/festivals", &body).await, StatusCode::CREATED).await;
    }
    let mut later = festival_body(a);
    later["year"] = json!(2026);
    later["starts_at"] = json!("2026-08-01T08:00:00+07:00");
    later["ends_at"] = json!("2026-08-01T10:00:00+07:00");
    let later = expect_json(app.post("/api/v1/festivals", &later).await, StatusCode::CREATED).await;

    let names = |page: Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|f| f["host_name"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(names(app.get_json("/api/v1/festivals?year=2025").await), ["Tổ B", "Tổ C", "Tổ A"]);
    assert_eq!(
        names(app.get_json(&format!("/api/v1/festivals?year=2025&unit={PROVINCE_HCM}")).await),
        ["Tổ B", "Tổ A"]
    );
    assert_eq!(names(app.get_json(&format!("/api/v1/festivals?unit={COMMUNE_HCM}")).await), ["Tổ A", "Tổ A"]);
    assert_eq!(names(app.get_json("/api/v1/festivals?q=to%20c").await), ["Tổ C"]);
    app.post(&format!("/api/v1/festivals/{}/status", later["id"]), &json!({"status": "approved"})).await;
    assert_eq!(names(app.get_json("/api/v1/festivals?status=approved").await), ["Tổ A"]);
    assert_eq!(app.get_json("/api/v1/festivals?status=planned").await["total"], 3);
    let problem =
        expect_problem(app.get("/api/v1/festivals?status=done").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["status"]);
    let problem = expect_problem(app.get("/api/v1/festivals?year=20x5").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["year"]);
}

#[tokio::test]
async fn patch_changes_only_the_fields_sent_and_null_capacity_means_unlimited() {
    let app = spawn_app().await;
    let host = host_id(&app, "Ấp Bình", COMMUNE_HCM).await;
    let festival = app.create_festival(host).await;
    let path = format!("/api/v1/festivals/{}", festival["id"]);
    let patched =
        expect_json(app.patch(&path, &json!({"capacity": 120, "venue": "Sân trường"})).await, StatusCode::OK).await;
    assert_eq!(patched["capacity"], 120);
    assert_eq!(patched["venue"], "Sân trường");
    assert_eq!(patched["starts_at"], festival["starts_at"]);
    let unchanged = expect_json(app.patch(&path, &json!({"registration_open": true})).await, StatusCode::OK).await;
    assert_eq!(unchanged["capacity"], 120);
    let unlimited = expect_json(app.patch(&path, &json!({"capacity": null})).await, StatusCode::OK).await;
    assert_eq!(unlimited["capacity"], Value::Null);
    let problem = expect_problem(
        app.patch(&path, &json!({"ends_at": "2025-08-15T18:00:00+07:00"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["ends_at"]);
    expect_problem(app.patch("/api/v1/festivals/987654", &json!({})).await, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn status_follows_the_allowed_path_only() {
    let app = spawn_app().await;
    let host = host_id(&app, "Tổ 9", COMMUNE_HCM).await;
    let festival = app.create_festival(host).await;
    let status_path = format!("/api/v1/festivals/{}/status", festival["id"]);
    let set = |status: &'static str| {
        let app = &app;
        let status_path = status_path.clone();
        async move { app.post(&status_path, &json!({ "status": status })).await }
    };
    expect_problem(set("held").await, StatusCode::CONFLICT).await;
    expect_problem(set("reported").await, StatusCode::CONFLICT).await;
    for status in ["approved", "held", "reported"] {
        let body = expect_json(set(status).await, StatusCode::OK).await;
        assert_eq!(body["status"], status);
    }
    expect_problem(set("cancelled").await, StatusCode::CONFLICT).await;
    expect_problem(set("planned").await, StatusCode::CONFLICT).await;
    let problem = expect_problem(set("finished").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["status"]);
    // A reported festival is closed for editing and cannot be deleted.
    let path = format!("/api/v1/festivals/{}", festival["id"]);
    expect_problem(app.patch(&path, &json!({"venue": "Khác"})).await, StatusCode::CONFLICT).await;
    expect_problem(app.put(&format!("{path}/programme"), &json!([])).await, StatusCode::CONFLICT).await;
    expect_problem(app.delete(&path).await, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn approved_festivals_are_cancelled_not_deleted() {
    let app = spawn_app().await;
    let host = host_id(&app, "Tổ 10", COMMUNE_HCM).await;
    let festival = app.create_festival(host).await;
    let path = format!("/api/v1/festivals/{}", festival["id"]);
    expect_json(app.post(&format!("{path}/status"), &json!({"status": "approved"})).await, StatusCode::OK).await;
    expect_problem(app.delete(&path).await, StatusCode::CONFLICT).await;
    let cancelled =
        expect_json(app.post(&format!("{path}/status"), &json!({"status": "cancelled"})).await, StatusCode::OK).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(app.delete(&path).await.status(), StatusCode::NO_CONTENT);
    expect_problem(app.get(&path).await, StatusCode::NOT_FOUND).await;
    expect_problem(app.get(&format!("{path}/programme")).await, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn put_programme_replaces_the_list_and_a_bad_item_changes_nothing() {
    let app = spawn_app().await;
    let host = host_id(&app, "Tổ 11", COMMUNE_HCM).await;
    let festival = app.create_festival(host).await;
    let path = format!("/api/v1/festivals/{}/programme", festival["id"]);
    let items = json!([
        {"part": "le", "starts_at": "7:30", "title": " Chào  cờ ", "presenter": "Ông Nguyễn Văn An"},
        {"part": "hoi", "title": "Kéo co"},
    ]);
    let saved = expect_json(app.put(&path, &items).await, StatusCode::OK).await;
    assert_eq!(
        saved,
        json!([
            {"part": "le", "starts_at": "07:30", "title": "Chào cờ", "presenter": "Ông Nguyễn Văn An"},
            {"part": "hoi", "starts_at": null, "title": "Kéo co", "presenter": null},
        ])
    );
    assert_eq!(app.get_json(&path).await, saved);

    let bad = json!([
        {"part": "le", "starts_at": "25:00", "title": "Chào cờ"},
        {"part": "hoi", "title": ""},
    ]);
    let problem = expect_problem(app.put(&path, &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["[0].starts_at", "[1].title"]);
    let problem = expect_problem(
        app.put(&path, &json!([{"part": "tiec", "title": "x"}])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["[0].part"]);
    assert_eq!(app.get_json(&path).await, saved, "a refused PUT keeps the old programme");

    assert_eq!(expect_json(app.put(&path, &json!([])).await, StatusCode::OK).await, json!([]));
    assert_eq!(app.get_json(&path).await, json!([]));
}

#[tokio::test]
async fn put_committee_replaces_the_members_in_order() {
    let app = spawn_app().await;
    let host = host_id(&app, "Tổ 12", COMMUNE_HCM).await;
    let festival = app.create_festival(host).await;
    let path = format!("/api/v1/festivals/{}/committee", festival["id"]);
    let members = json!([
        {"full_name": "Trần Văn Bình", "role": "head", "title": "Bí thư Chi bộ"},
        {"full_name": "Lê Thị Hoa", "role": "secretary"},
        {"full_name": "Phạm Minh Đức", "role": "member", "title": "Công an khu vực"},
    ]);
    let saved = expect_json(app.put(&path, &members).await, StatusCode::OK).await;
    assert_eq!(saved[1], json!({"full_name": "Lê Thị Hoa", "role": "secretary", "title": null}));
    assert_eq!(app.get_json(&path).await, saved);
    let problem = expect_problem(
        app.put(&path, &json!([{"full_name": "", "role": "boss"}])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["[0].role"]);
    let problem = expect_problem(
        app.put(&path, &json!([{"full_name": " ", "role": "member"}])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["[0].full_name"]);
    assert_eq!(app.get_json(&path).await, saved);
}
