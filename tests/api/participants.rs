//! Participants entered by organizers: validation, duplicates, Vietnamese order, search,
//! check-in (API.md, *People*).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// A festival in Tân Phú; returns its id.
pub async fn festival_id(app: &TestApp) -> i64 {
    let host = app.create_host("Khu phố 3", COMMUNE_HCM).await;
    app.create_festival(host["id"].as_i64().unwrap()).await["id"].as_i64().unwrap()
}

pub async fn add(app: &TestApp, festival: i64, body: Value) -> Value {
    expect_json(app.post(&format!("/api/v1/festivals/{festival}/participants"), &body).await, StatusCode::CREATED).await
}

#[tokio::test]
async fn a_participant_is_stored_normalized_with_a_check_in_code() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let body = json!({
        "full_name": "  Nguye\u{302}\u{303}n  Thi\u{323}   Minh Khai ",
        "sex": "female",
        "role": "guest",
        "invited": true,
        "email": " Khai.Nguyen@Example.VN ",
        "phone": "+84 912.345.678",
        "cccd": "079 185 001 234",
        "organization": "Hội Liên hiệp Phụ nữ phường",
        "title": "Chủ tịch",
        "address": "12 đường Lũy Bán Bích",
    });
    let created = add(&app, festival, body).await;
    assert_eq!(created["full_name"], "Nguyễn Thị Minh Khai");
    assert_eq!(created["given_name"], "Khai");
    assert_eq!(created["email"], "khai.nguyen@example.vn");
    assert_eq!(created["phone"], "0912345678");
    assert_eq!(created["cccd"], "079185001234");
    assert_eq!(created["rsvp"], "pending");
    assert_eq!(created["registration"], Value::Null);
    assert_eq!(created["checked_in_at"], Value::Null);
    assert_eq!(created["warnings"], json!([]));
    assert_eq!(created["checkin_code"].as_str().unwrap().len(), 12);
    let id = created["id"].as_i64().unwrap();
    assert_eq!(app.get_json(&format!("/api/v1/participants/{id}")).await["full_name"], "Nguyễn Thị Minh Khai");

    // An explicit given name is kept (some ethnic names do not end with it).
    let ethnic = add(&app, festival, json!({"full_name": "H Hen Niê", "given_name": "Hen", "role": "performer"})).await;
    assert_eq!(ethnic["given_name"], "Hen");
}

#[tokio::test]
async fn each_bad_participant_field_is_named() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let body = json!({
        "full_name": " ",
        "role": "resident",
        "email": "khai@",
        "phone": "0612345678",
        "cccd": "12345",
        "title": "x".repeat(201),
    });
    let path = format!("/api/v1/festivals/{festival}/participants");
    let problem = expect_problem(app.post(&path, &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["full_name", "email", "phone", "cccd", "title"]);
    // A character the document fonts cannot print is refused at entry, naming the field.
    let emoji = json!({"full_name": "Lê Văn An", "role": "resident", "organization": "Hội 😀 phụ nữ"});
    let problem = expect_problem(app.post(&path, &emoji).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["organization"]);
    let unknown_role = json!({"full_name": "Lê Văn An", "role": "spectator"});
    let problem = expect_problem(app.post(&path, &unknown_role).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["role"]);
    // Landline 02x with 11 digits is accepted.
    let landline =
        add(&app, festival, json!({"full_name": "Lê Văn An", "role": "official", "phone": "(028) 3823 4567"}));
    assert_eq!(landline.await["phone"], "02838234567");
}

#[tokio::test]
async fn an_impossible_cccd_is_a_warning_not_a_refusal() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    // 003 is no province code; century digit 4 means born in the 2100s.
    let created =
        add(&app, festival, json!({"full_name": "Trần Văn Bình", "role": "resident", "cccd": "003485001234"})).await;
    let fields: Vec<&str> =
        created["warnings"].as_array().unwrap().iter().map(|w| w["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["cccd", "cccd"], "{created}");
    let female_card_male_form = add(
        &app,
        festival,
        json!({"full_name": "Trần Văn Cường", "role": "resident", "sex": "male", "cccd": "079185001299"}),
    )
    .await;
    assert_eq!(female_card_male_form["warnings"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_same_person_twice_in_a_festival_is_a_conflict_naming_the_other() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let first = add(
        &app,
        festival,
        json!({"full_name": "Phạm Thị Hoa", "role": "resident", "phone": "0912345678", "cccd": "079185001234"}),
    )
    .await;
    let path = format!("/api/v1/festivals/{festival}/participants");
    let same_cccd = json!({"full_name": "Phạm Thị Huệ", "role": "resident", "cccd": "079185001234"});
    let problem = expect_problem(app.post(&path, &same_cccd).await, StatusCode::CONFLICT).await;
    assert_eq!(error_fields(&problem), ["cccd"]);
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains(&first["id"].to_string()), "{problem}");
    let same_name_phone = json!({"full_name": "PHẠM THỊ HOA", "role": "guest", "phone": "+84912345678"});
    let problem = expect_problem(app.post(&path, &same_name_phone).await, StatusCode::CONFLICT).await;
    assert_eq!(error_fields(&problem), ["phone"]);
    assert!(problem["detail"].as_str().unwrap().contains("Phạm Thị Hoa"), "{problem}");
    // The same name typed without accents is the same person.
    let unaccented = json!({"full_name": "Pham Thi Hoa", "role": "resident", "phone": "0912345678"});
    expect_problem(app.post(&path, &unaccented).await, StatusCode::CONFLICT).await;
    // A family sharing one phone is fine: another name, same phone.
    add(&app, festival, json!({"full_name": "Phạm Văn Hùng", "role": "resident", "phone": "0912345678"})).await;
    // The same person may take part in another festival.
    let other_host = app.create_host("Khu phố 4", COMMUNE_HCM).await;
    let other = app.create_festival(other_host["id"].as_i64().unwrap()).await["id"].as_i64().unwrap();
    add(&app, other, json!({"full_name": "Phạm Thị Hoa", "role": "resident", "cccd": "079185001234"})).await;
}

#[tokio::test]
async fn sort_by_name_is_vietnamese_order_and_search_ignores_accents() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let expected = [
        "Trần An",
        "Lê Văn An",
        "Nguyễn Văn An",
        "Võ Anh",
        "Phạm Thị Ánh",
        "Hoàng Ân",
        "Lý Bình",
        "Đỗ Dũng",
        "Bùi Đức",
        "Trịnh Em",
        "Mai Hà",
        "Phan Hạ",
    ];
    for name in expected.iter().rev() {
        add(&app, festival, json!({"full_name": name, "role": "resident"})).await;
    }
    let listed = app.get_json(&format!("/api/v1/festivals/{festival}/participants?sort=name")).await;
    let names: Vec<&str> =
        listed["items"].as_array().unwrap().iter().map(|p| p["full_name"].as_str().unwrap()).collect();
    assert_eq!(names, expected);
    assert_eq!(listed["total"], 12);
    // Paging keeps the order.
    let second = app.get_json(&format!("/api/v1/festivals/{festival}/participants?sort=name&page=2&per_page=5")).await;
    assert_eq!(second["items"][0]["full_name"], "Hoàng Ân");

    let found = app.get_json(&format!("/api/v1/festivals/{festival}/participants?q=duc")).await;
    assert_eq!(found["items"][0]["full_name"], "Bùi Đức");
    assert_eq!(found["total"], 1);
    let found = app.get_json(&format!("/api/v1/festivals/{festival}/participants?q=AN%20nguyen")).await;
    assert_eq!(found["total"], 1);
    let none = app.get_json(&format!("/api/v1/festivals/{festival}/participants?role=guest")).await;
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn patch_changes_only_what_is_sent_and_delete_removes() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let created =
        add(&app, festival, json!({"full_name": "Lê Văn Tám", "role": "resident", "phone": "0912345678"})).await;
    let id = created["id"].as_i64().unwrap();
    let path = format!("/api/v1/participants/{id}");
    let body = json!({"full_name": "Lê Văn Tâm", "role": "volunteer", "phone": ""});
    let updated = expect_json(app.patch(&path, &body).await, StatusCode::OK).await;
    assert_eq!(updated["full_name"], "Lê Văn Tâm");
    assert_eq!(updated["given_name"], "Tâm");
    assert_eq!(updated["role"], "volunteer");
    assert_eq!(updated["phone"], Value::Null);
    assert_eq!(updated["checkin_code"], created["checkin_code"]);
    let bad = expect_problem(app.patch(&path, &json!({"email": "tam@"})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&bad), ["email"]);
    assert_eq!(app.delete(&path).await.status(), StatusCode::NO_CONTENT);
    expect_problem(app.get(&path).await, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn check_in_works_once_and_the_second_time_tells_the_first() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let guest = add(&app, festival, json!({"full_name": "Đặng Văn Lâm", "role": "official", "invited": true})).await;
    let code = guest["checkin_code"].as_str().unwrap();
    let path = format!("/api/v1/festivals/{festival}/checkins");
    // Typed in lower case with a dash, or scanned as the invitation's link: the same code.
    let typed = format!("{}-{}", code[..6].to_lowercase(), &code[6..]);
    let checked = expect_json(app.post(&path, &json!({"code": typed})).await, StatusCode::OK).await;
    assert!(checked["checked_in_at"].as_str().unwrap().ends_with("+07:00"), "{checked}");
    let scanned = format!("{}/verify/{code}", app.address);
    let again = expect_problem(app.post(&path, &json!({"code": scanned})).await, StatusCode::CONFLICT).await;
    assert!(again["detail"].as_str().unwrap().contains("đã điểm danh lúc"), "{again}");
    expect_problem(app.post(&path, &json!({"code": "ZZZZZZZZZZZZ"})).await, StatusCode::NOT_FOUND).await;
    // A check-in by mistake can be taken back, once.
    let undo = format!("/api/v1/participants/{}/checkin", guest["id"]);
    let undone = expect_json(app.delete(&undo).await, StatusCode::OK).await;
    assert_eq!(undone["checked_in_at"], Value::Null);
    expect_problem(app.delete(&undo).await, StatusCode::CONFLICT).await;
    expect_json(app.post(&path, &json!({"code": code})).await, StatusCode::OK).await;
    let counts = app.get_json(&format!("/api/v1/festivals/{festival}/participants/counts")).await;
    assert_eq!(counts["checked_in"], 1);
    assert_eq!(counts["invited"], 1);
    assert_eq!(counts["total"], 1);
}

#[tokio::test]
async fn a_code_of_another_festival_does_not_check_in_here() {
    let app = spawn_app().await;
    let festival = festival_id(&app).await;
    let other_host = app.create_host("Khu phố 9", COMMUNE_HCM).await;
    let other = app.create_festival(other_host["id"].as_i64().unwrap()).await["id"].as_i64().unwrap();
    let guest = add(&app, other, json!({"full_name": "Đặng Văn Lâm", "role": "guest"})).await;
    let body = json!({"code": guest["checkin_code"]});
    expect_problem(app.post(&format!("/api/v1/festivals/{festival}/checkins"), &body).await, StatusCode::NOT_FOUND)
        .await;
}
