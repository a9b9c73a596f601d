//! The authorization matrix: every non-public API operation, enumerated from the OpenAPI
//! document so that a new route without an entry here fails the test, is checked three ways:
//! 401 without a token, refused (403/404) or filtered for an officer of another commune, and
//! 2xx for an officer in scope.

use std::collections::BTreeMap;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    COMMUNE_HCM, COMMUNE_HCM_2, PASSWORD, PROVINCE_HCM, TestApp, backdate_approvals, browser_of, expect_json, page,
    post_form, running_job, spawn_app, spelled, wait_for_job,
};

/// Operations anyone may call.
const PUBLIC: &[&str] = &[
    "POST /api/v1/auth/login",
    "POST /api/v1/public/festivals/{slug}/registrations",
    "GET /api/v1/rsvp/{token}",
    "POST /api/v1/rsvp/{token}",
    "GET /api/v1/verify/{code}",
    // Multipart: its scope is checked in `import::an_import_into_another_communes_festival_is_refused`.
    "POST /api/v1/festivals/{id}/participants/import",
];

/// How the officer of the other commune must be answered.
#[derive(Clone, Copy)]
enum Outsider {
    /// 403 or 404.
    Refused,
    /// 200, without the in-scope officer's data (a list filtered by scope).
    Filtered,
    /// The operation acts on the caller only (who am I, log out): nothing of others to see.
    SelfOnly,
}

/// Who is in scope for an operation: the commune officer, or (for the audit log) the province.
#[derive(Clone, Copy, PartialEq)]
enum Insider {
    Commune,
    Province,
}

struct World {
    app: TestApp,
    commune_token: String,
    other_commune_token: String,
    province_token: String,
    other_province_token: String,
    commune_user_id: i64,
    marker: String,
}

async fn world() -> World {
    let app = spawn_app().await;
    let commune_token = app.user_token("xa-a@ngayhoi.test", "commune", Some(COMMUNE_HCM), None).await;
    let other_commune_token = app.user_token("xa-b@ngayhoi.test", "commune", Some(COMMUNE_HCM_2), None).await;
    let province_token = app.user_token("tinh@ngayhoi.test", "province", Some(PROVINCE_HCM), None).await;
    let other_province_token = app.user_token("hanoi@ngayhoi.test", "province", Some("01"), None).await;
    let commune_user_id =
        app.with_token(Some(&commune_token)).get_json("/api/v1/auth/me").await["id"].as_i64().unwrap();
    World {
        app,
        commune_token,
        other_commune_token,
        province_token,
        other_province_token,
        commune_user_id,
        marker: "xa-a@ngayhoi.test".into(),
    }
}

/// Fresh resources in the commune for one operation (deletes and status changes use them up).
async fn fixture(world: &World, n: usize) -> BTreeMap<&'static str, String> {
    let insider = world.app.with_token(Some(&world.commune_token));
    let host = expect_json(
        insider
            .post(
                "/api/v1/hosts",
                &json!({"name": format!("Tổ ma trận {n}"), "kind": "residential_area", "unit_code": COMMUNE_HCM}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let host_id = host["id"].as_i64().unwrap();
    let bare_host = expect_json(
        insider
            .post(
                "/api/v1/hosts",
                &json!({"name": format!("Tổ trống {n}"), "kind": "school", "unit_code": COMMUNE_HCM}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let festival = expect_json(
        insider
            .post(
                "/api/v1/festivals",
                // Ahead, so that its invitations may still be issued.
                &json!({"host_id": host_id, "year": 2027, "starts_at": "2027-08-15T19:30:00+07:00",
                        "ends_at": "2027-08-15T22:00:00+07:00", "venue": "Nhà văn hóa"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let participant = expect_json(
        insider
            .post(
                &format!("/api/v1/festivals/{}/participants", festival["id"]),
                &json!({"full_name": format!("Người Ma Trận {}", spelled(n)), "role": "guest", "invited": true,
                        "email": format!("matran{n}@example.vn")}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let checked = expect_json(
        insider
            .post(
                &format!("/api/v1/festivals/{}/participants", festival["id"]),
                &json!({"full_name": format!("Người Đã Đến {}", spelled(n)), "role": "resident"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let code = json!({"code": checked["checkin_code"]});
    expect_json(insider.post(&format!("/api/v1/festivals/{}/checkins", festival["id"]), &code).await, StatusCode::OK)
        .await;
    let issuer = expect_json(
        insider
            .post(
                "/api/v1/issuers",
                &json!({"name": "Ủy ban nhân dân phường Tân Phú", "unit_code": COMMUNE_HCM, "symbol": format!("UBND{n}"),
                        "signer_name": "Nguyễn Văn Bình", "signer_title": "Chủ tịch", "authority": "TM.",
                        "place_name": "Phường Tân Phú"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .to_string();
    let model = expect_json(
        insider.post("/api/v1/models", &json!({"name": "Tổ tự quản", "host_id": host_id, "kind": "tu_quan"})).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .to_string();
    let nomination = |name: &str| {
        json!({"issuer_id": issuer.parse::<i64>().unwrap(), "kind": "individual", "nominee_name": name,
               "achievement": "Tích cực tham gia phong trào"})
    };
    let draft = expect_json(insider.post("/api/v1/nominations", &nomination("Lê Văn Một")).await, StatusCode::CREATED)
        .await["id"]
        .to_string();
    // Approved by the admin: whoever submits cannot approve.
    let mut approved = Vec::new();
    for name in ["Lê Văn Hai", "Lê Văn Ba"] {
        let id =
            expect_json(insider.post("/api/v1/nominations", &nomination(name)).await, StatusCode::CREATED).await["id"]
                .to_string();
        for (who, action, body) in [
            (&insider, "submit", json!({})),
            (&world.app, "review", json!({"votes_for": 5, "votes_against": 0})),
            (&world.app, "approve", json!({})),
        ] {
            expect_json(who.post(&format!("/api/v1/nominations/{id}/{action}"), &body).await, StatusCode::OK).await;
        }
        approved.push(id);
    }
    backdate_approvals(&world.app).await;
    let decision = expect_json(
        insider
            .post(
                "/api/v1/decisions",
                &json!({"issuer_id": issuer.parse::<i64>().unwrap(), "nomination_ids": [approved[0].parse::<i64>().unwrap()],
                        "signed_on": "2026-08-19"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let certificate = decision["certificates"][0]["id"].to_string();
    let decision = decision["id"].to_string();
    // Invitations in the issuer's name: one print job done, one under way on "another instance".
    let festival_path = format!("/api/v1/festivals/{}", festival["id"]);
    let issuer_id = json!({"issuer_id": issuer.parse::<i64>().unwrap()});
    expect_json(insider.patch(&festival_path, &issuer_id).await, StatusCode::OK).await;
    let job = expect_json(
        insider.post(&format!("{festival_path}/invitations/print"), &json!({})).await,
        StatusCode::ACCEPTED,
    )
    .await;
    let job = wait_for_job(&insider, &job["id"]).await;
    assert_eq!(job["state"], "done", "{job}");
    let running = running_job(&world.app, festival["id"].as_i64().unwrap(), 3600).await;
    // The invitation e-mailed (to the outbox folder: no SMTP server here).
    let sending =
        expect_json(insider.post(&format!("{festival_path}/invitations/send"), &json!({})).await, StatusCode::ACCEPTED)
            .await;
    assert_eq!(wait_for_job(&insider, &sending["job_id"]).await["state"], "done");
    let message =
        insider.get_json(&format!("/api/v1/messages?festival={}", festival["id"])).await["items"][0]["id"].to_string();
    // A festival held and reported, for its report.
    let reported_host = expect_json(
        insider
            .post(
                "/api/v1/hosts",
                &json!({"name": format!("Tổ báo cáo {n}"), "kind": "school", "unit_code": COMMUNE_HCM}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let reported = insider.create_festival(reported_host).await["id"].as_i64().unwrap();
    for status in ["approved", "held"] {
        let path = format!("/api/v1/festivals/{reported}/status");
        expect_json(insider.post(&path, &json!({"status": status})).await, StatusCode::OK).await;
    }
    let report = json!({"attendance": 60});
    expect_json(insider.put(&format!("/api/v1/festivals/{reported}/report"), &report).await, StatusCode::OK).await;
    BTreeMap::from([
        ("issuer", issuer),
        ("model", model),
        ("nomination", draft),
        ("approved", approved[1].clone()),
        ("decision", decision),
        ("certificate", certificate),
        ("job", job["id"].to_string()),
        ("running_job", running.to_string()),
        ("message", message),
        ("reported", reported.to_string()),
        ("participant", participant["id"].to_string()),
        ("checked", checked["id"].to_string()),
        ("code", participant["checkin_code"].as_str().unwrap().to_owned()),
        ("host", host_id.to_string()),
        ("bare_host", bare_host["id"].to_string()),
        ("festival", festival["id"].to_string()),
        ("user", world.commune_user_id.to_string()),
        ("n", n.to_string()),
    ])
}

/// The concrete request for an operation, or `None` when this table lacks it.
fn request_for(
    operation: &str,
    ids: &BTreeMap<&'static str, String>,
) -> Option<(String, Option<Value>, Outsider, Insider)> {
    let (host, bare_host, festival, user, n) =
        (&ids["host"], &ids["bare_host"], &ids["festival"], &ids["user"], &ids["n"]);
    let festival_path = format!("/api/v1/festivals/{festival}");
    let participant_path = format!("/api/v1/participants/{}", ids["participant"]);
    Some(match operation {
        "GET /api/v1/units" => {
            (format!("/api/v1/units?parent={COMMUNE_HCM}"), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/units/{code}" => {
            (format!("/api/v1/units/{COMMUNE_HCM}"), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/hosts" => (format!("/api/v1/hosts?unit={COMMUNE_HCM}"), None, Outsider::Refused, Insider::Commune),
        "POST /api/v1/hosts" => (
            "/api/v1/hosts".into(),
            Some(json!({"name": format!("Khu mới {n}"), "kind": "agency", "unit_code": COMMUNE_HCM})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/hosts/{id}" => (format!("/api/v1/hosts/{host}"), None, Outsider::Refused, Insider::Commune),
        "PATCH /api/v1/hosts/{id}" => {
            (format!("/api/v1/hosts/{host}"), Some(json!({"kind": "school"})), Outsider::Refused, Insider::Commune)
        }
        "DELETE /api/v1/hosts/{id}" => {
            (format!("/api/v1/hosts/{bare_host}"), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/festivals" => {
            (format!("/api/v1/festivals?unit={COMMUNE_HCM}"), None, Outsider::Refused, Insider::Commune)
        }
        "POST /api/v1/festivals" => (
            "/api/v1/festivals".into(),
            Some(
                json!({"host_id": bare_host.parse::<i64>().unwrap(), "year": 2026, "starts_at": "2026-08-01T08:00:00+07:00",
                        "ends_at": "2026-08-01T11:00:00+07:00", "venue": "Sân trường"}),
            ),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/festivals/{id}" => (festival_path, None, Outsider::Refused, Insider::Commune),
        "PATCH /api/v1/festivals/{id}" => {
            (festival_path, Some(json!({"venue": "Hội trường"})), Outsider::Refused, Insider::Commune)
        }
        "DELETE /api/v1/festivals/{id}" => (festival_path, None, Outsider::Refused, Insider::Commune),
        "POST /api/v1/festivals/{id}/status" => (
            format!("{festival_path}/status"),
            Some(json!({"status": "approved"})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/festivals/{id}/programme" => {
            (format!("{festival_path}/programme"), None, Outsider::Refused, Insider::Commune)
        }
        "PUT /api/v1/festivals/{id}/programme" => (
            format!("{festival_path}/programme"),
            Some(json!([{"part": "le", "title": "Chào cờ"}])),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/festivals/{id}/committee" => {
            (format!("{festival_path}/committee"), None, Outsider::Refused, Insider::Commune)
        }
        "PUT /api/v1/festivals/{id}/committee" => (
            format!("{festival_path}/committee"),
            Some(json!([{"full_name": "Trần Văn Bình", "role": "head"}])),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/plans/{unit_code}/{year}" => {
            (format!("/api/v1/plans/{COMMUNE_HCM}/2025"), None, Outsider::Refused, Insider::Commune)
        }
        "PUT /api/v1/plans/{unit_code}/{year}" => (
            format!("/api/v1/plans/{COMMUNE_HCM}/2025"),
            Some(json!({"window_start": "2025-07-10", "window_end": "2025-08-25"})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "POST /api/v1/users" => (
            "/api/v1/users".into(),
            Some(json!({"email": format!("kp{n}@ngayhoi.test"), "password": PASSWORD, "full_name": "Đỗ Văn D",
                        "role": "host", "host_id": host.parse::<i64>().unwrap()})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/users" => ("/api/v1/users".into(), None, Outsider::Filtered, Insider::Commune),
        "GET /api/v1/users/{id}" => (format!("/api/v1/users/{user}"), None, Outsider::Refused, Insider::Commune),
        "PATCH /api/v1/users/{id}" => (
            format!("/api/v1/users/{user}"),
            Some(json!({"full_name": "Lê Văn An"})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "POST /api/v1/festivals/{id}/participants" => (
            format!("{festival_path}/participants"),
            Some(json!({"full_name": format!("Người Thêm {}", spelled(n.parse().unwrap())), "role": "resident"})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/festivals/{id}/participants" => {
            (format!("{festival_path}/participants"), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/festivals/{id}/participants/counts" => {
            (format!("{festival_path}/participants/counts"), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/festivals/{id}/participants/export" => {
            (format!("{festival_path}/participants/export?format=csv"), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/participants/import-template.xlsx" => {
            ("/api/v1/participants/import-template.xlsx".into(), None, Outsider::Filtered, Insider::Commune)
        }
        "GET /api/v1/participants/{id}" => (participant_path, None, Outsider::Refused, Insider::Commune),
        "PATCH /api/v1/participants/{id}" => {
            (participant_path, Some(json!({"title": "Trưởng ban"})), Outsider::Refused, Insider::Commune)
        }
        "DELETE /api/v1/participants/{id}" => (participant_path, None, Outsider::Refused, Insider::Commune),
        "POST /api/v1/participants/{id}/rsvp-link" => {
            (format!("{participant_path}/rsvp-link"), None, Outsider::Refused, Insider::Commune)
        }
        "DELETE /api/v1/participants/{id}/checkin" => {
            (format!("/api/v1/participants/{}/checkin", ids["checked"]), None, Outsider::Refused, Insider::Commune)
        }
        "POST /api/v1/festivals/{id}/checkins" => (
            format!("{festival_path}/checkins"),
            Some(json!({"code": ids["code"]})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "POST /api/v1/issuers" => (
            "/api/v1/issuers".into(),
            Some(json!({"name": format!("Công an phường {n}"), "unit_code": COMMUNE_HCM, "symbol": format!("CAP{n}"),
                        "signer_name": "Lê Văn Cường", "signer_title": "Trưởng Công an", "authority": "",
                        "place_name": "Phường Tân Phú"})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/issuers" => ("/api/v1/issuers".into(), None, Outsider::Filtered, Insider::Commune),
        "GET /api/v1/issuers/{id}" => {
            (format!("/api/v1/issuers/{}", ids["issuer"]), None, Outsider::Refused, Insider::Commune)
        }
        "PATCH /api/v1/issuers/{id}" => (
            format!("/api/v1/issuers/{}", ids["issuer"]),
            Some(json!({"signer_title": "Phó Chủ tịch"})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/issuers/{id}/register" => {
            (format!("/api/v1/issuers/{}/register?year=2026", ids["issuer"]), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/issuers/{id}/blank-sample.pdf" => {
            (format!("/api/v1/issuers/{}/blank-sample.pdf", ids["issuer"]), None, Outsider::Refused, Insider::Commune)
        }
        "POST /api/v1/models" => (
            "/api/v1/models".into(),
            Some(
                json!({"name": format!("Camera an ninh {n}"), "host_id": host.parse::<i64>().unwrap(), "kind": "tu_phong"}),
            ),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/models" => {
            (format!("/api/v1/models?unit={COMMUNE_HCM}"), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/models/{id}" => {
            (format!("/api/v1/models/{}", ids["model"]), None, Outsider::Refused, Insider::Commune)
        }
        "PATCH /api/v1/models/{id}" => (
            format!("/api/v1/models/{}", ids["model"]),
            Some(json!({"members": 12})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "DELETE /api/v1/models/{id}" => {
            (format!("/api/v1/models/{}", ids["model"]), None, Outsider::Refused, Insider::Commune)
        }
        "POST /api/v1/nominations" => (
            "/api/v1/nominations".into(),
            Some(json!({"issuer_id": ids["issuer"].parse::<i64>().unwrap(), "host_id": host.parse::<i64>().unwrap(),
                        "achievement": "Giữ vững an ninh"})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/nominations" => ("/api/v1/nominations".into(), None, Outsider::Filtered, Insider::Commune),
        "GET /api/v1/nominations/{id}" => {
            (format!("/api/v1/nominations/{}", ids["nomination"]), None, Outsider::Refused, Insider::Commune)
        }
        "PATCH /api/v1/nominations/{id}" => (
            format!("/api/v1/nominations/{}", ids["nomination"]),
            Some(json!({"achievement": "Thành tích đã bổ sung"})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "POST /api/v1/nominations/{id}/{action}" => {
            (format!("/api/v1/nominations/{}/submit", ids["nomination"]), None, Outsider::Refused, Insider::Commune)
        }
        "POST /api/v1/decisions" => (
            "/api/v1/decisions".into(),
            Some(json!({"issuer_id": ids["issuer"].parse::<i64>().unwrap(),
                        "nomination_ids": [ids["approved"].parse::<i64>().unwrap()], "signed_on": "2026-08-20"})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/decisions" => ("/api/v1/decisions".into(), None, Outsider::Filtered, Insider::Commune),
        "GET /api/v1/decisions/{id}" => {
            (format!("/api/v1/decisions/{}", ids["decision"]), None, Outsider::Refused, Insider::Commune)
        }
        "POST /api/v1/decisions/{id}/revoke" => (
            format!("/api/v1/decisions/{}/revoke", ids["decision"]),
            Some(json!({"reason": "Nhầm người"})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/certificates/{file}" => {
            (format!("/api/v1/certificates/{}.pdf", ids["certificate"]), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/decisions/{id}/certificates.pdf" => (
            format!("/api/v1/decisions/{}/certificates.pdf", ids["decision"]),
            None,
            Outsider::Refused,
            Insider::Commune,
        ),
        "POST /api/v1/decisions/{id}/certificates/print" => (
            format!("/api/v1/decisions/{}/certificates/print", ids["decision"]),
            Some(json!({"blank": true})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/participants/{id}/invitation.pdf" => {
            (format!("{participant_path}/invitation.pdf"), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/festivals/{id}/invitations.pdf" => {
            (format!("{festival_path}/invitations.pdf"), None, Outsider::Refused, Insider::Commune)
        }
        "POST /api/v1/festivals/{id}/invitations/print" => {
            (format!("{festival_path}/invitations/print"), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/jobs/{id}" => (format!("/api/v1/jobs/{}", ids["job"]), None, Outsider::Refused, Insider::Commune),
        "GET /api/v1/jobs/{id}/events" => {
            (format!("/api/v1/jobs/{}/events", ids["job"]), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/jobs/{id}/file" => {
            (format!("/api/v1/jobs/{}/file", ids["job"]), None, Outsider::Refused, Insider::Commune)
        }
        "POST /api/v1/jobs/{id}/cancel" => {
            (format!("/api/v1/jobs/{}/cancel", ids["running_job"]), None, Outsider::Refused, Insider::Commune)
        }
        "POST /api/v1/festivals/{id}/invitations/send" => (
            format!("{festival_path}/invitations/send"),
            Some(json!({"resend": true})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/messages" => ("/api/v1/messages".into(), None, Outsider::Filtered, Insider::Commune),
        "POST /api/v1/messages/{id}/resend" => {
            (format!("/api/v1/messages/{}/resend", ids["message"]), None, Outsider::Refused, Insider::Commune)
        }
        "POST /api/v1/festivals/{id}/messages/resend-failed" => {
            (format!("{festival_path}/messages/resend-failed"), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/reports/summary" => {
            (format!("/api/v1/reports/summary?year=2025&unit={COMMUNE_HCM}"), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/festivals/{id}/report" => {
            (format!("/api/v1/festivals/{}/report", ids["reported"]), None, Outsider::Refused, Insider::Commune)
        }
        "PUT /api/v1/festivals/{id}/report" => (
            format!("/api/v1/festivals/{}/report", ids["reported"]),
            Some(json!({"attendance": 80})),
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/conflicts" => {
            (format!("/api/v1/conflicts?year=2025&unit={COMMUNE_HCM}"), None, Outsider::Refused, Insider::Commune)
        }
        "GET /api/v1/calendar" => (
            format!("/api/v1/calendar?from=2025-08-01&to=2025-08-31&unit={COMMUNE_HCM}"),
            None,
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/reports/coverage" => (
            format!("/api/v1/reports/coverage?year=2025&unit={COMMUNE_HCM}"),
            None,
            Outsider::Refused,
            Insider::Commune,
        ),
        "GET /api/v1/audit" => ("/api/v1/audit?per_page=500".into(), None, Outsider::Filtered, Insider::Province),
        "GET /api/v1/auth/me" => ("/api/v1/auth/me".into(), None, Outsider::SelfOnly, Insider::Commune),
        "POST /api/v1/auth/logout" => ("/api/v1/auth/logout".into(), None, Outsider::SelfOnly, Insider::Commune),
        _ => return None,
    })
}

async fn send(
    app: &TestApp,
    token: Option<&str>,
    method: &Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, String) {
    let response = app.with_token(token).request(method.clone(), path, body).await;
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn every_route_refuses_strangers_and_other_communes_and_serves_its_own() {
    let world = world().await;
    let doc = world.app.get_json("/api/openapi.json").await;
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let placeholder: BTreeMap<&'static str, String> = [
        "issuer",
        "model",
        "nomination",
        "approved",
        "decision",
        "certificate",
        "job",
        "running_job",
        "message",
        "reported",
        "participant",
        "checked",
        "code",
        "host",
        "bare_host",
        "festival",
        "user",
        "n",
    ]
    .into_iter()
    .map(|key| (key, "1".to_owned()))
    .collect();
    let missing: Vec<&String> = operations
        .iter()
        .filter(|op| !PUBLIC.contains(&op.as_str()) && request_for(op, &placeholder).is_none())
        .collect();
    assert!(missing.is_empty(), "operations without an authorization case: {missing:?}");

    let mut checked = 0;
    for (n, operation) in operations.iter().filter(|op| !PUBLIC.contains(&op.as_str())).enumerate() {
        let ids = fixture(&world, n).await;
        let (path, body, outsider, insider) = request_for(operation, &ids).unwrap();
        let method: Method = operation.split(' ').next().unwrap().parse().unwrap();
        let (insider_token, outsider_token) = match insider {
            Insider::Commune => (world.commune_token.clone(), world.other_commune_token.clone()),
            Insider::Province => (world.province_token.clone(), world.other_province_token.clone()),
        };

        let (status, text) = send(&world.app, None, &method, &path, body.as_ref()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{operation} without a token: {text}");

        if !matches!(outsider, Outsider::SelfOnly) {
            let (status, text) = send(&world.app, Some(&outsider_token), &method, &path, body.as_ref()).await;
            if matches!(outsider, Outsider::Refused) {
                let refused = status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND;
                assert!(refused, "{operation} by another commune: {status} {text}");
            } else {
                assert_eq!(status, StatusCode::OK, "{operation} by another commune: {text}");
                assert!(!text.contains(&world.marker), "{operation} leaked to another commune: {text}");
            }
        }

        // Logging out ends the token it is sent with: use a fresh one for it.
        let insider_token = if *operation == "POST /api/v1/auth/logout" {
            world.app.login("xa-a@ngayhoi.test", PASSWORD).await
        } else {
            insider_token
        };
        let (status, text) = send(&world.app, Some(&insider_token), &method, &path, body.as_ref()).await;
        assert!(status.is_success(), "{operation} by the officer in scope: {status} {text}");
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} operations checked");
    println!("authorization matrix: {checked} operations checked");
}

#[tokio::test]
async fn the_province_sees_both_communes_and_each_commune_only_its_own() {
    let world = world().await;
    let a = world.app.with_token(Some(&world.commune_token));
    let b = world.app.with_token(Some(&world.other_commune_token));
    let province = world.app.with_token(Some(&world.province_token));
    for (officer, name, unit) in [(&a, "Tổ dân phố A", COMMUNE_HCM), (&b, "Tổ dân phố B", COMMUNE_HCM_2)] {
        let host = expect_json(
            officer.post("/api/v1/hosts", &json!({"name": name, "kind": "residential_area", "unit_code": unit})).await,
            StatusCode::CREATED,
        )
        .await;
        officer.create_festival(host["id"].as_i64().unwrap()).await;
    }
    let names = |page: Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|f| f["host_name"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(names(a.get_json("/api/v1/festivals").await), ["Tổ dân phố A"]);
    assert_eq!(names(b.get_json("/api/v1/festivals").await), ["Tổ dân phố B"]);
    let mut both = names(province.get_json("/api/v1/festivals").await);
    both.sort();
    assert_eq!(both, ["Tổ dân phố A", "Tổ dân phố B"]);
    assert_eq!(a.get_json("/api/v1/hosts").await["total"], 1);
    assert_eq!(province.get_json("/api/v1/hosts").await["total"], 2);
    // A commune officer asking for the whole province gets their own commune only.
    assert_eq!(names(a.get_json(&format!("/api/v1/festivals?unit={PROVINCE_HCM}")).await), ["Tổ dân phố A"]);
    let hanoi = world.app.with_token(Some(&world.other_province_token));
    assert_eq!(hanoi.get_json("/api/v1/festivals").await["total"], 0);
    assert_eq!(hanoi.get(&format!("/api/v1/festivals?unit={PROVINCE_HCM}")).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_host_officer_works_on_their_own_festival_but_cannot_approve_it() {
    let world = world().await;
    let a = world.app.with_token(Some(&world.commune_token));
    let host = a.create_host("Khu phố Hoa Mai", COMMUNE_HCM).await;
    let host_id = host["id"].as_i64().unwrap();
    let host_officer =
        world.app.with_token(Some(&a.user_token("hoamai@ngayhoi.test", "host", None, Some(host_id)).await));
    let festival = host_officer.create_festival(host_id).await;
    let path = format!("/api/v1/festivals/{}", festival["id"]);
    expect_json(
        host_officer.put(&format!("{path}/committee"), &json!([{"full_name": "Vũ Thị E", "role": "head"}])).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        host_officer.post(&format!("{path}/status"), &json!({"status": "approved"})).await.status(),
        StatusCode::FORBIDDEN
    );
    expect_json(a.post(&format!("{path}/status"), &json!({"status": "approved"})).await, StatusCode::OK).await;
    expect_json(host_officer.post(&format!("{path}/status"), &json!({"status": "held"})).await, StatusCode::OK).await;
    assert_eq!(
        host_officer
            .post("/api/v1/hosts", &json!({"name": "Khác", "kind": "school", "unit_code": COMMUNE_HCM}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let other = a.create_host("Khu phố Hoa Lan", COMMUNE_HCM).await;
    assert_eq!(host_officer.get(&format!("/api/v1/hosts/{}", other["id"])).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_show_each_commune_only_its_own() {
    let world = world().await;
    let a = world.app.with_token(Some(&world.commune_token));
    let host = a.create_host("Tổ dân phố Hoa Sen", COMMUNE_HCM).await;
    let festival = a.create_festival(host["id"].as_i64().unwrap()).await;
    let own = browser_of(&world.app, "xa-a@ngayhoi.test").await;
    let other = browser_of(&world.app, "xa-b@ngayhoi.test").await;
    assert!(page(&own, "/festivals", StatusCode::OK).await.contains("Tổ dân phố Hoa Sen"));
    assert!(!page(&other, "/festivals", StatusCode::OK).await.contains("Tổ dân phố Hoa Sen"));
    let path = format!("/festivals/{}", festival["id"]);
    assert!(page(&own, &path, StatusCode::OK).await.contains("Tổ dân phố Hoa Sen"));
    page(&other, &path, StatusCode::NOT_FOUND).await;
    page(&other, &format!("/hosts/{}", host["id"]), StatusCode::NOT_FOUND).await;
    // A forged form from the other commune's officer changes nothing.
    let refused = post_form(&other, &format!("{path}/status"), &[("status", "approved")]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert_eq!(a.get_json(&format!("/api/v1{path}")).await["status"], "planned");
}

#[tokio::test]
async fn the_job_list_shows_each_officer_the_jobs_of_their_scope_only() {
    let world = world().await;
    let ids = fixture(&world, 1).await;
    let insider = world.app.with_token(Some(&world.commune_token));
    let printing = insider.post(&format!("/api/v1/decisions/{}/certificates/print", ids["decision"]), &json!({})).await;
    let certificates = expect_json(printing, StatusCode::ACCEPTED).await["id"].to_string();
    // Printed, sending, running: the fixture's festival jobs, and the decision's.
    let sending =
        world.app.get_json(&format!("/api/v1/messages?festival={}", ids["festival"])).await["items"][0]["job_id"]
            .to_string();
    let jobs = [&ids["job"], &ids["running_job"], &sending, &certificates];
    let listed = |body: &str| jobs.iter().filter(|id| body.contains(&format!("href=\"/jobs/{id}\""))).count();
    for email in ["xa-a@ngayhoi.test", "tinh@ngayhoi.test"] {
        let body = page(&browser_of(&world.app, email).await, "/jobs", StatusCode::OK).await;
        assert_eq!(listed(&body), 4, "{email}: {body}");
        assert!(body.contains(&format!("href=\"/decisions/{}\"", ids["decision"])), "{email}: {body}");
    }
    for email in ["xa-b@ngayhoi.test", "hanoi@ngayhoi.test"] {
        let body = page(&browser_of(&world.app, email).await, "/jobs", StatusCode::OK).await;
        assert!(body.contains("Chưa có tác vụ in hay gửi thư nào"), "{email}: {body}");
    }
    // A host's officer sees their festival's jobs, not the commune's decision.
    world.app.user_token("to-a@ngayhoi.test", "host", None, Some(ids["host"].parse().unwrap())).await;
    let body = page(&browser_of(&world.app, "to-a@ngayhoi.test").await, "/jobs", StatusCode::OK).await;
    assert_eq!(listed(&body), 3, "{body}");
    assert!(!body.contains(&format!("href=\"/jobs/{certificates}\"")), "{body}");
}

#[tokio::test]
async fn a_commune_officer_reads_but_cannot_set_the_province_plan() {
    let world = world().await;
    let a = world.app.with_token(Some(&world.commune_token));
    let window = json!({"window_start": "2025-07-10", "window_end": "2025-08-20"});
    assert_eq!(a.get_json(&format!("/api/v1/units/{PROVINCE_HCM}")).await["code"], PROVINCE_HCM);
    assert_eq!(a.get_json(&format!("/api/v1/plans/{PROVINCE_HCM}/2025")).await["source"], "default");
    assert_eq!(a.put(&format!("/api/v1/plans/{PROVINCE_HCM}/2025"), &window).await.status(), StatusCode::FORBIDDEN);
    let province = world.app.with_token(Some(&world.province_token));
    expect_json(province.put(&format!("/api/v1/plans/{PROVINCE_HCM}/2025"), &window).await, StatusCode::OK).await;
    assert_eq!(a.get_json(&format!("/api/v1/plans/{COMMUNE_HCM}/2025")).await["source"], "province");
}
