//! Commendation: issuers, models, nominations through review, decisions with gapless numbers,
//! certificates, revocation and public verification (API.md, *Commendation*).

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// The People's Committee of Phường Tân Phú.
pub async fn issuer(app: &TestApp) -> i64 {
    let body = json!({
        "name": "Ủy ban nhân dân phường Tân Phú", "parent_name": "Thành phố Hồ Chí Minh",
        "unit_code": COMMUNE_HCM, "symbol": "ubnd", "signer_name": "Nguyễn Văn Bình",
        "signer_title": "Chủ tịch", "authority": "TM.", "place_name": "Phường Tân Phú",
    });
    let created = expect_json(app.post("/api/v1/issuers", &body).await, StatusCode::CREATED).await;
    assert_eq!(created["symbol"], "UBND");
    created["id"].as_i64().unwrap()
}

pub async fn host(app: &TestApp, name: &str) -> i64 {
    app.create_host(name, COMMUNE_HCM).await["id"].as_i64().unwrap()
}

pub async fn nominate(app: &TestApp, body: Value) -> Value {
    expect_json(app.post("/api/v1/nominations", &body).await, StatusCode::CREATED).await
}

pub async fn act(app: &TestApp, id: i64, action: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/nominations/{id}/{action}"), &body).await
}

/// Takes a draft through submit (by `officer`), review and approve (by `reviewer`: whoever
/// submits cannot approve).
pub async fn approved(officer: &TestApp, reviewer: &TestApp, body: Value) -> i64 {
    let id = nominate(officer, body).await["id"].as_i64().unwrap();
    expect_json(act(officer, id, "submit", json!({})).await, StatusCode::OK).await;
    expect_json(act(reviewer, id, "review", json!({"votes_for": 7, "votes_against": 0})).await, StatusCode::OK).await;
    let done = expect_json(act(reviewer, id, "approve", json!({})).await, StatusCode::OK).await;
    assert_eq!(done["state"], "approved");
    backdate_approvals(reviewer).await;
    id
}

/// An officer of Tân Phú who proposes, and the admin who reviews.
pub async fn proposer(app: &TestApp) -> TestApp {
    app.with_token(Some(&app.user_token("canbo@ngayhoi.test", "commune", Some(COMMUNE_HCM), None).await))
}

pub async fn decide(app: &TestApp, issuer: i64, ids: &[i64], signed_on: &str) -> reqwest::Response {
    app.post("/api/v1/decisions", &json!({"issuer_id": issuer, "nomination_ids": ids, "signed_on": signed_on})).await
}

#[tokio::test]
async fn issuers_are_validated_and_kept_within_scope() {
    let app = spawn_app().await;
    let bad = json!({"name": "", "unit_code": "99999", "symbol": "QĐ-X", "signer_name": "", "signer_title": "Chủ tịch",
                     "authority": "TM.", "place_name": "Phường Tân Phú"});
    let problem = expect_problem(app.post("/api/v1/issuers", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["unit_code", "name", "symbol", "signer_name"]);
    let id = issuer(&app).await;
    let other_commune =
        app.with_token(Some(&app.user_token("hanoi@ngayhoi.test", "commune", Some(COMMUNE_HANOI), None).await));
    expect_problem(other_commune.get(&format!("/api/v1/issuers/{id}")).await, StatusCode::NOT_FOUND).await;
    let body = json!({"name": "Công an phường Tân Phú", "unit_code": COMMUNE_HCM, "symbol": "CAP",
                      "signer_name": "Lê Văn Cường", "signer_title": "Trưởng Công an", "authority": "", "place_name": "Phường Tân Phú"});
    expect_problem(other_commune.post("/api/v1/issuers", &body).await, StatusCode::FORBIDDEN).await;
    // A host officer proposes to the commune's issuer but cannot change it.
    let host_id = host(&app, "Khu phố 5").await;
    let host_officer = app.with_token(Some(&app.user_token("kp5@ngayhoi.test", "host", None, Some(host_id)).await));
    let listed = host_officer.get_json("/api/v1/issuers").await;
    assert_eq!((listed["items"].as_array().unwrap().len(), listed["total"].as_u64()), (1, Some(1)));
    let patch = host_officer.patch(&format!("/api/v1/issuers/{id}"), &json!({"signer_name": "X"})).await;
    expect_problem(patch, StatusCode::FORBIDDEN).await;
    let patched =
        expect_json(app.patch(&format!("/api/v1/issuers/{id}"), &json!({"authority": "KT."})).await, StatusCode::OK)
            .await;
    assert_eq!(patched["authority"], "KT.");
}

#[tokio::test]
async fn models_are_named_once_per_host_and_kept_while_nominated() {
    let app = spawn_app().await;
    let host_id = host(&app, "Khu phố 1").await;
    let body = json!({"name": "Tổ liên gia an toàn", "host_id": host_id, "kind": "tu_quan", "founded_year": 2019, "members": 24});
    let model = expect_json(app.post("/api/v1/models", &body).await, StatusCode::CREATED).await;
    assert_eq!(model["host_name"], "Khu phố 1");
    let again = json!({"name": "TỔ LIÊN GIA AN TOÀN", "host_id": host_id, "kind": "tu_phong"});
    expect_problem(app.post("/api/v1/models", &again).await, StatusCode::CONFLICT).await;
    let bad =
        json!({"name": "Camera an ninh", "host_id": host_id, "kind": "tu_bao_ve", "founded_year": 1900, "members": 0});
    let problem = expect_problem(app.post("/api/v1/models", &bad).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["founded_year", "members"]);
    let listed = app.get_json(&format!("/api/v1/models?unit={COMMUNE_HCM}")).await;
    assert_eq!(listed["total"], 1);
    let issuer = issuer(&app).await;
    let model_id = model["id"].as_i64().unwrap();
    let nomination =
        nominate(&app, json!({"issuer_id": issuer, "model_id": model_id, "achievement": "Giữ vững an ninh trật tự"}))
            .await;
    assert_eq!(
        (nomination["kind"].as_str(), nomination["nominee_name"].as_str()),
        (Some("collective"), Some("Tổ liên gia an toàn"))
    );
    expect_problem(app.delete(&format!("/api/v1/models/{model_id}")).await, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn a_nomination_goes_through_review_and_the_submitter_cannot_approve_it() {
    let app = spawn_app().await;
    let issuer = issuer(&app).await;
    let officer = proposer(&app).await;
    let host_id = host(&app, "Khu phố 2").await;
    let body = json!({"issuer_id": issuer, "host_id": host_id,
                      "achievement": "Đã có thành tích xuất sắc trong phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2025"});
    let created = nominate(&officer, body).await;
    assert_eq!((created["state"].as_str(), created["form"].as_str()), (Some("draft"), Some("giay_khen")));
    let id = created["id"].as_i64().unwrap();
    // Approving a draft skips steps: refused.
    expect_problem(act(&app, id, "approve", json!({})).await, StatusCode::CONFLICT).await;
    expect_json(act(&officer, id, "submit", Value::Null).await, StatusCode::OK).await;
    expect_problem(act(&app, id, "return", json!({})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let returned =
        expect_json(act(&app, id, "return", json!({"reason": "Bổ sung số liệu"})).await, StatusCode::OK).await;
    assert_eq!(
        (returned["state"].as_str(), returned["return_reason"].as_str()),
        (Some("draft"), Some("Bổ sung số liệu"))
    );
    let edited =
        officer.patch(&format!("/api/v1/nominations/{id}"), &json!({"achievement": "Số liệu đã bổ sung"})).await;
    expect_json(edited, StatusCode::OK).await;
    expect_json(act(&officer, id, "submit", json!({})).await, StatusCode::OK).await;
    expect_problem(
        officer.patch(&format!("/api/v1/nominations/{id}"), &json!({"achievement": "x"})).await,
        StatusCode::CONFLICT,
    )
    .await;
    let bad_vote = act(&app, id, "review", json!({"votes_for": -1})).await;
    assert_eq!(
        error_fields(&expect_problem(bad_vote, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["votes_for", "votes_against"]
    );
    // The proposer, a commune officer over the issuer, may review but not approve what they submitted.
    let reviewed = expect_json(
        act(&officer, id, "review", json!({"votes_for": 5, "votes_against": 1, "note": "Nhất trí"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reviewed["votes_for"], 5);
    expect_problem(act(&officer, id, "approve", json!({})).await, StatusCode::FORBIDDEN).await;
    let approved = expect_json(act(&app, id, "approve", json!({})).await, StatusCode::OK).await;
    assert_eq!(approved["state"], "approved");
    assert_eq!(approved["return_reason"], "Bổ sung số liệu", "the history stays");
    expect_problem(act(&app, id, "frobnicate", json!({})).await, StatusCode::CONFLICT).await;
    expect_problem(act(&app, id, "reject", json!({"reason": "x"})).await, StatusCode::CONFLICT).await;
    let audit = app.get_json("/api/v1/audit?entity=nomination&per_page=500").await;
    let steps = audit["items"].as_array().unwrap().iter().filter(|e| e["action"] == "status").count();
    assert_eq!(steps, 5, "submit, return, submit, review, approve: {audit}");
}

#[tokio::test]
async fn a_collective_outside_the_issuers_commune_is_refused() {
    let app = spawn_app().await;
    let issuer = issuer(&app).await;
    let far = app.create_host("Tổ dân phố Hàng Bạc", COMMUNE_HANOI).await["id"].as_i64().unwrap();
    let body = json!({"issuer_id": issuer, "host_id": far, "achievement": "Tốt"});
    let problem = expect_problem(app.post("/api/v1/nominations", &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["host_id"]);
    let unknown = json!({"issuer_id": 9999, "kind": "individual", "nominee_name": "Lê Văn A", "achievement": "Tốt"});
    let problem =
        expect_problem(app.post("/api/v1/nominations", &unknown).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["issuer_id"]);
}

#[tokio::test]
async fn the_medal_needs_a_cccd_and_is_given_once_per_person() {
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    let issuer = issuer(&app).await;
    let medal = |cccd: Option<&str>| {
        json!({"issuer_id": issuer, "kind": "individual", "nominee_name": "Trần Văn Hùng",
        "form": "ky_niem_chuong", "cccd": cccd, "achievement": "Nhiều năm tham gia phong trào"})
    };
    let problem =
        expect_problem(app.post("/api/v1/nominations", &medal(None)).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["cccd"]);
    let id = approved(&officer, &app, medal(Some("079085001234"))).await;
    // A second proposal before any decision is only flagged as twice this year.
    let twice = nominate(&officer, medal(Some("079 085 001 234"))).await;
    assert_eq!(twice["warnings"][0]["field"], "nominee_name", "{twice}");
    expect_json(decide(&app, issuer, &[id], "2026-08-19").await, StatusCode::CREATED).await;
    let problem =
        expect_problem(app.post("/api/v1/nominations", &medal(Some("079085001234"))).await, StatusCode::CONFLICT).await;
    assert_eq!(error_fields(&problem), ["cccd"]);
    // Deciding the earlier second proposal is refused too.
    let second = twice["id"].as_i64().unwrap();
    expect_json(act(&officer, second, "submit", json!({})).await, StatusCode::OK).await;
    expect_json(act(&app, second, "review", json!({"votes_for": 3, "votes_against": 0})).await, StatusCode::OK).await;
    expect_json(act(&app, second, "approve", json!({})).await, StatusCode::OK).await;
    backdate_approvals(&app).await;
    expect_problem(decide(&app, issuer, &[second], "2026-08-20").await, StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn decisions_are_numbered_per_issuer_and_year_with_certificates() {
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    let issuer = issuer(&app).await;
    let host_id = host(&app, "Khu phố 3").await;
    let collective =
        approved(&officer, &app, json!({"issuer_id": issuer, "host_id": host_id, "achievement": "Xuất sắc"})).await;
    let person = approved(
        &officer,
        &app,
        json!({"issuer_id": issuer, "kind": "individual", "nominee_name": "Võ Thị Sáu",
        "achievement": "Xuất sắc", "posthumous": true}),
    )
    .await;
    let first = expect_json(decide(&app, issuer, &[person, collective], "2025-08-15").await, StatusCode::CREATED).await;
    assert_eq!(
        (first["number"].as_str(), first["sequence"].as_i64(), first["year"].as_i64()),
        (Some("01/QĐ-UBND"), Some(1), Some(2025))
    );
    let certificates = first["certificates"].as_array().unwrap();
    // Collectives first, then individuals; register numbers 1 and 2.
    assert_eq!(certificates[0]["recipient"], "Khu phố 3");
    assert_eq!(certificates[1]["recipient"], "Võ Thị Sáu");
    assert_eq!(certificates[1]["posthumous"], true);
    assert_eq!(
        (certificates[0]["register_number"].as_i64(), certificates[1]["register_number"].as_i64()),
        (Some(1), Some(2))
    );
    let code = certificates[0]["verify_code"].as_str().unwrap();
    assert!(code.len() >= 20 && code.chars().all(|c| c.is_ascii_alphanumeric()), "{code}");
    // Already decided, not approved, unknown, in the future: each named.
    let draft = nominate(
        &officer,
        json!({"issuer_id": issuer, "kind": "individual", "nominee_name": "Lê Lợi", "achievement": "Tốt"}),
    )
    .await;
    let body =
        json!({"issuer_id": issuer, "nomination_ids": [collective, draft["id"], 9999], "signed_on": "2099-01-01"});
    let problem = expect_problem(app.post("/api/v1/decisions", &body).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["signed_on", "nomination_ids[0]", "nomination_ids[1]", "nomination_ids[2]"]);
    // The next decision of 2025 is 02; the first of 2026 is 01 again.
    let third = approved(
        &officer,
        &app,
        json!({"issuer_id": issuer, "kind": "individual", "nominee_name": "Lý Tự Trọng", "achievement": "Tốt"}),
    )
    .await;
    let second = expect_json(decide(&app, issuer, &[third], "2025-12-31").await, StatusCode::CREATED).await;
    assert_eq!(second["number"], "02/QĐ-UBND");
    assert_eq!(second["certificates"][0]["register_number"], 3);
    let fourth = approved(
        &officer,
        &app,
        json!({"issuer_id": issuer, "kind": "individual", "nominee_name": "Kim Đồng", "achievement": "Tốt"}),
    )
    .await;
    let next_year = expect_json(decide(&app, issuer, &[fourth], "2026-01-02").await, StatusCode::CREATED).await;
    assert_eq!(next_year["number"], "01/QĐ-UBND");
    let listed = app.get_json(&format!("/api/v1/decisions?issuer={issuer}&year=2025")).await;
    assert_eq!(listed["total"], 2);
    assert_eq!(listed["items"][1]["certificates"].as_array().unwrap().len(), 2, "{listed}");
    let paged = app.get_json(&format!("/api/v1/decisions?issuer={issuer}&per_page=1&page=2")).await;
    assert_eq!((paged["total"].as_u64(), paged["items"].as_array().unwrap().len()), (Some(3), 1));
    let found = app.get_json("/api/v1/decisions?q=vo%20thi%20sau").await;
    assert_eq!(found["items"][0]["number"], "01/QĐ-UBND");
}

#[tokio::test]
async fn concurrent_decisions_on_two_instances_get_distinct_gapless_numbers() {
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    let other = second_instance(&app, |_| {}).await;
    let issuer = issuer(&app).await;
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(
            approved(
                &officer,
                &app,
                json!({"issuer_id": issuer, "kind": "individual",
            "nominee_name": format!("Người được khen {i}"), "achievement": "Tốt"}),
            )
            .await,
        );
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (i, id) in ids.into_iter().enumerate() {
        let instance = if i % 2 == 0 { app.clone() } else { other.clone() };
        tasks.spawn(async move {
            let decision = expect_json(decide(&instance, issuer, &[id], "2026-08-19").await, StatusCode::CREATED).await;
            (decision["sequence"].as_i64().unwrap(), decision["certificates"][0]["register_number"].as_i64().unwrap())
        });
    }
    let mut results = tasks.join_all().await;
    results.sort_unstable();
    let sequences: Vec<i64> = results.iter().map(|(sequence, _)| *sequence).collect();
    let mut registers: Vec<i64> = results.iter().map(|(_, register)| *register).collect();
    registers.sort_unstable();
    assert_eq!(sequences, (1..=12).collect::<Vec<_>>());
    assert_eq!(registers, (1..=12).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_revoked_decision_invalidates_its_certificates_and_keeps_its_number() {
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    let issuer = issuer(&app).await;
    let body = |name: &str| {
        json!({"issuer_id": issuer, "kind": "individual", "nominee_name": name, "cccd": "079085009999",
                                   "achievement": "Tốt"})
    };
    let first = approved(&officer, &app, body("Phan Văn Trị")).await;
    let decision = expect_json(decide(&app, issuer, &[first], "2026-08-19").await, StatusCode::CREATED).await;
    let code = decision["certificates"][0]["verify_code"].as_str().unwrap().to_owned();
    let public = app.with_token(None);
    let valid = public.get_json(&format!("/api/v1/verify/{}", code.to_lowercase())).await;
    assert_eq!((valid["valid"].as_bool(), valid["kind"].as_str()), (Some(true), Some("certificate")));
    assert_eq!(
        (valid["recipient"].as_str(), valid["decision_number"].as_str()),
        (Some("Phan Văn Trị"), Some("01/QĐ-UBND"))
    );
    assert_eq!(valid["issued_on"], "2026-08-19");
    let text = valid.to_string();
    assert!(!text.contains("079085009999") && !text.contains("cccd"), "nothing personal: {text}");

    let path = format!("/api/v1/decisions/{}/revoke", decision["id"]);
    expect_problem(app.post(&path, &json!({"reason": " "})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let revoked = expect_json(app.post(&path, &json!({"reason": "Sai đối tượng"})).await, StatusCode::OK).await;
    assert_eq!(revoked["state"], "revoked");
    expect_problem(app.post(&path, &json!({"reason": "Lần nữa"})).await, StatusCode::CONFLICT).await;
    let invalid = public.get_json(&format!("/api/v1/verify/{code}")).await;
    assert_eq!((invalid["valid"].as_bool(), invalid["revoked_reason"].as_str()), (Some(false), Some("Sai đối tượng")));
    // Numbers are not reused.
    let second = approved(&officer, &app, body("Phan Văn Đạt")).await;
    let next = expect_json(decide(&app, issuer, &[second], "2026-08-20").await, StatusCode::CREATED).await;
    assert_eq!(
        (next["number"].as_str(), next["certificates"][0]["register_number"].as_i64()),
        (Some("02/QĐ-UBND"), Some(2))
    );
    expect_problem(public.get("/api/v1/verify/KHONGCOMA0000000").await, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn an_invitation_code_verifies_as_an_invitation() {
    let app = spawn_app().await;
    let festival = crate::participants::festival_id(&app).await;
    let guest = crate::participants::add(
        &app,
        festival,
        json!({"full_name": "Đinh Bộ Lĩnh", "role": "official",
        "invited": true, "phone": "0912345678"}),
    )
    .await;
    let checked =
        app.with_token(None).get_json(&format!("/api/v1/verify/{}", guest["checkin_code"].as_str().unwrap())).await;
    assert_eq!(
        (checked["kind"].as_str(), checked["recipient"].as_str(), checked["valid"].as_bool()),
        (Some("invitation"), Some("Đinh Bộ Lĩnh"), Some(true))
    );
    // Every festival has the yearly title: the host and date tell which one.
    assert!(checked["festival"].as_str().unwrap().ends_with("(Khu phố 3, 15/08/2025)"), "{checked}");
    assert!(!checked.to_string().contains("0912345678"));
}

#[tokio::test]
async fn the_register_lists_certificates_in_vietnamese_order_and_exports() {
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    let issuer = issuer(&app).await;
    let mut ids = Vec::new();
    for name in ["Đỗ Văn Đức", "Nguyễn Thị Ánh", "Trần Văn An"] {
        ids.push(
            approved(
                &officer,
                &app,
                json!({"issuer_id": issuer, "kind": "individual", "nominee_name": name, "achievement": "Tốt"}),
            )
            .await,
        );
    }
    expect_json(decide(&app, issuer, &ids, "2026-08-19").await, StatusCode::CREATED).await;
    let register = app.get_json(&format!("/api/v1/issuers/{issuer}/register?year=2026")).await;
    let names: Vec<&str> =
        register["items"].as_array().unwrap().iter().map(|e| e["recipient"].as_str().unwrap()).collect();
    assert_eq!(names, ["Trần Văn An", "Nguyễn Thị Ánh", "Đỗ Văn Đức"]);
    let found = app.get_json(&format!("/api/v1/issuers/{issuer}/register?year=2026&q=duc")).await;
    assert_eq!(found["total"], 1);
    let response = app.get(&format!("/api/v1/issuers/{issuer}/register?year=2026&format=xlsx")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"));
    let audit = app.get_json("/api/v1/audit?entity=issuer").await;
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["action"] == "export"), "{audit}");
}

#[tokio::test]
async fn a_nomination_the_council_voted_down_cannot_be_approved() {
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    let issuer = issuer(&app).await;
    let body = json!({"issuer_id": issuer, "kind": "individual", "nominee_name": "Lê Văn Tám", "achievement": "Tốt"});
    let id = nominate(&officer, body).await["id"].as_i64().unwrap();
    expect_json(act(&officer, id, "submit", json!({})).await, StatusCode::OK).await;
    expect_json(act(&app, id, "review", json!({"votes_for": 2, "votes_against": 7})).await, StatusCode::OK).await;
    let refused = expect_problem(act(&app, id, "approve", json!({})).await, StatusCode::CONFLICT).await;
    assert!(refused["detail"].as_str().unwrap().contains("không tán thành"), "{refused}");
    expect_json(act(&app, id, "reject", json!({"reason": "Hội đồng không tán thành"})).await, StatusCode::OK).await;
}

#[tokio::test]
async fn decision_dates_follow_the_approvals_and_the_numbers() {
    let app = spawn_app().await;
    let officer = proposer(&app).await;
    let issuer = issuer(&app).await;
    let person = |name: &str, cccd: &str| {
        json!({"issuer_id": issuer, "kind": "individual", "nominee_name": name,
        "cccd": cccd, "form": "ky_niem_chuong", "achievement": "Nhiều năm tham gia phong trào"})
    };
    // The same person twice in one decision still gets the medal once.
    let first = approved(&officer, &app, person("Trần Văn Hùng", "079085001234")).await;
    let again = approved(&officer, &app, person("Trần Văn Hùng", "079085001234")).await;
    let problem =
        expect_problem(decide(&app, issuer, &[first, again], "2026-08-19").await, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    assert_eq!(error_fields(&problem), ["nomination_ids[1]"]);
    expect_json(decide(&app, issuer, &[first], "2026-08-19").await, StatusCode::CREATED).await;
    // 02 cannot be dated before 01.
    let other = approved(&officer, &app, person("Lê Thị Hoa", "079185001234")).await;
    let problem =
        expect_problem(decide(&app, issuer, &[other], "2026-08-01").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["signed_on"]);
    // A decision is not signed before the approval it confirms (approved today, not backdated).
    let body = json!({"issuer_id": issuer, "kind": "individual", "nominee_name": "Võ Văn Kiệt", "achievement": "Tốt"});
    let id = nominate(&officer, body).await["id"].as_i64().unwrap();
    expect_json(act(&officer, id, "submit", json!({})).await, StatusCode::OK).await;
    expect_json(act(&app, id, "review", json!({"votes_for": 5, "votes_against": 0})).await, StatusCode::OK).await;
    expect_json(act(&app, id, "approve", json!({})).await, StatusCode::OK).await;
    let problem =
        expect_problem(decide(&app, issuer, &[id], "2026-08-20").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["signed_on"]);
}
