//! Login, logout, users within scope and rank, failed-login limits, the audit log.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{
    ADMIN_EMAIL, COMMUNE_HANOI, COMMUNE_HCM, COMMUNE_HCM_2, PASSWORD, PROVINCE_HCM, TestApp, error_fields, expect_json,
    expect_problem, spawn_app,
};

async fn login_response(app: &TestApp, email: &str, password: &str, ip: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", ip)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn column_values(app: &TestApp, sql: &str) -> Vec<String> {
    let rows = app.db.query_all_raw(Statement::from_string(app.db.get_database_backend(), sql)).await.unwrap();
    rows.iter().map(|row| row.try_get_by_index::<String>(0).unwrap()).collect()
}

#[tokio::test]
async fn login_gives_an_expiring_token_and_logout_revokes_it() {
    let app = spawn_app().await;
    let body =
        expect_json(login_response(&app, " ADMIN@ngayhoi.test ", PASSWORD, "10.0.0.1").await, StatusCode::OK).await;
    let token = body["token"].as_str().unwrap();
    assert_eq!(body["user"]["email"], ADMIN_EMAIL);
    assert_eq!(body["user"]["role"], "admin");
    assert!(body["user"].get("password_hash").is_none());
    let expires = chrono::DateTime::parse_from_rfc3339(body["expires_at"].as_str().unwrap()).unwrap();
    let hours = (expires.to_utc() - chrono::Utc::now()).num_minutes() as f64 / 60.0;
    assert!((23.9..=24.0).contains(&hours), "{hours}");

    let user = app.with_token(Some(token));
    assert_eq!(user.get_json("/api/v1/auth/me").await["email"], ADMIN_EMAIL);
    assert_eq!(user.post("/api/v1/auth/logout", &json!({})).await.status(), StatusCode::NO_CONTENT);
    expect_problem(user.get("/api/v1/auth/me").await, StatusCode::UNAUTHORIZED).await;
    let anonymous = app.with_token(None).get("/api/v1/auth/me").await;
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    expect_problem(anonymous, StatusCode::UNAUTHORIZED).await;
    let revoked = "SELECT token_hash FROM auth_tokens WHERE revoked_at IS NOT NULL";
    assert_eq!(column_values(&app, revoked).await.len(), 1);
    app.login(ADMIN_EMAIL, PASSWORD).await;
    assert!(column_values(&app, revoked).await.is_empty(), "a new login clears the user's dead tokens");
    expect_problem(app.with_token(Some("not-a-token")).get("/api/v1/festivals").await, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn passwords_and_tokens_are_stored_only_as_hashes() {
    let app = spawn_app().await;
    let hashes = column_values(&app, "SELECT password_hash FROM users").await;
    assert!(hashes.iter().all(|hash| hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")), "{hashes:?}");
    assert!(hashes.iter().all(|hash| !hash.contains(PASSWORD)));
    let token = app.token.clone().unwrap();
    let stored = column_values(&app, "SELECT token_hash FROM auth_tokens").await;
    assert!(!stored.is_empty());
    assert!(stored.iter().all(|hash| hash.len() == 64 && *hash != token));
    let users = app.get_json("/api/v1/users").await;
    assert!(!users.to_string().contains("argon2"), "{users}");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong = expect_problem(
        login_response(&app, ADMIN_EMAIL, "sai mật khẩu rồi", "10.0.0.2").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let unknown = expect_problem(
        login_response(&app, "nobody@ngayhoi.test", PASSWORD, "10.0.0.3").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(wrong, unknown);
}

#[tokio::test]
async fn failed_logins_are_limited_per_account() {
    let app = spawn_app().await;
    for attempt in 0..10 {
        let ip = format!("10.1.0.{attempt}");
        expect_problem(login_response(&app, ADMIN_EMAIL, "sai mật khẩu rồi", &ip).await, StatusCode::UNAUTHORIZED)
            .await;
    }
    let response = login_response(&app, ADMIN_EMAIL, PASSWORD, "10.1.1.1").await;
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    expect_problem(response, StatusCode::TOO_MANY_REQUESTS).await;
    // Other accounts are not locked out.
    let commune = app.user_token("xa@ngayhoi.test", "commune", Some(COMMUNE_HCM), None).await;
    assert!(!commune.is_empty());
}

#[tokio::test]
async fn failed_logins_are_limited_per_address() {
    let app = spawn_app().await;
    for attempt in 0..10 {
        let email = format!("guess{attempt}@ngayhoi.test");
        expect_problem(login_response(&app, &email, "sai mật khẩu rồi", "10.2.0.9").await, StatusCode::UNAUTHORIZED)
            .await;
    }
    expect_problem(login_response(&app, ADMIN_EMAIL, PASSWORD, "10.2.0.9").await, StatusCode::TOO_MANY_REQUESTS).await;
    expect_json(login_response(&app, ADMIN_EMAIL, PASSWORD, "10.2.0.10").await, StatusCode::OK).await;
}

#[tokio::test]
async fn users_are_created_only_inside_the_scope_with_no_higher_role() {
    let app = spawn_app().await;
    let province =
        app.with_token(Some(&app.user_token("tinh@ngayhoi.test", "province", Some(PROVINCE_HCM), None).await));
    let new_user = |email: &str, role: &str, unit: Option<&str>, host: Option<i64>| json!({"email": email, "password": PASSWORD, "full_name": "Nguyễn Văn A", "role": role, "unit_code": unit, "host_id": host});
    expect_json(
        province.post("/api/v1/users", &new_user("xa1@ngayhoi.test", "commune", Some(COMMUNE_HCM), None)).await,
        StatusCode::CREATED,
    )
    .await;
    expect_problem(
        province.post("/api/v1/users", &new_user("xa2@ngayhoi.test", "commune", Some(COMMUNE_HANOI), None)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    expect_problem(
        province.post("/api/v1/users", &new_user("qt@ngayhoi.test", "admin", None, None)).await,
        StatusCode::FORBIDDEN,
    )
    .await;

    let commune = app.with_token(Some(&app.login("xa1@ngayhoi.test", PASSWORD).await));
    expect_problem(
        commune.post("/api/v1/users", &new_user("t2@ngayhoi.test", "province", Some(PROVINCE_HCM), None)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let own_host = app.create_host("Khu phố 5", COMMUNE_HCM).await["id"].as_i64().unwrap();
    let other_host = app.create_host("Khu phố 6", COMMUNE_HCM_2).await["id"].as_i64().unwrap();
    let host_user = expect_json(
        commune.post("/api/v1/users", &new_user("kp5@ngayhoi.test", "host", None, Some(own_host))).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(host_user["unit_code"], COMMUNE_HCM);
    expect_problem(
        commune.post("/api/v1/users", &new_user("kp6@ngayhoi.test", "host", None, Some(other_host))).await,
        StatusCode::FORBIDDEN,
    )
    .await;

    let problem = expect_problem(
        province.post("/api/v1/users", &new_user("XA1@ngayhoi.test", "commune", Some(COMMUNE_HCM), None)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(error_fields(&problem), ["email"]);
    let problem = expect_problem(
        province.post("/api/v1/users", &json!({"email": "not-an-email", "password": "short", "full_name": " ", "role": "commune", "unit_code": PROVINCE_HCM})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["email", "password", "full_name", "unit_code"]);

    let emails = |page: Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(
        emails(province.get_json("/api/v1/users").await),
        ["kp5@ngayhoi.test", "tinh@ngayhoi.test", "xa1@ngayhoi.test"]
    );
    assert_eq!(emails(commune.get_json("/api/v1/users").await), ["kp5@ngayhoi.test", "xa1@ngayhoi.test"]);
    assert_eq!(app.get_json("/api/v1/users").await["total"], 4);
}

#[tokio::test]
async fn disabling_a_user_ends_their_logins_and_rescoping_moves_them() {
    let app = spawn_app().await;
    let token = app.user_token("xa@ngayhoi.test", "commune", Some(COMMUNE_HCM), None).await;
    let user = app.with_token(Some(&token));
    let me = user.get_json("/api/v1/auth/me").await;
    let path = format!("/api/v1/users/{}", me["id"]);
    let moved = expect_json(app.patch(&path, &json!({"unit_code": COMMUNE_HANOI})).await, StatusCode::OK).await;
    assert_eq!(moved["unit_code"], COMMUNE_HANOI);
    let problem =
        expect_problem(app.patch(&path, &json!({"role": "province"})).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["unit_code"]);
    expect_json(app.patch(&path, &json!({"disabled": true})).await, StatusCode::OK).await;
    expect_problem(user.get("/api/v1/auth/me").await, StatusCode::UNAUTHORIZED).await;
    expect_problem(login_response(&app, "xa@ngayhoi.test", PASSWORD, "10.3.0.1").await, StatusCode::UNAUTHORIZED).await;
    // Nobody locks themselves out by mistake.
    let admin_id = app.get_json("/api/v1/auth/me").await["id"].clone();
    expect_problem(
        app.patch(&format!("/api/v1/users/{admin_id}"), &json!({"disabled": true})).await,
        StatusCode::CONFLICT,
    )
    .await;
}

#[tokio::test]
async fn the_audit_log_records_who_did_what_and_each_level_sees_its_part() {
    let app = spawn_app().await;
    let province =
        app.with_token(Some(&app.user_token("tinh@ngayhoi.test", "province", Some(PROVINCE_HCM), None).await));
    province.post("/api/v1/users", &json!({"email": "xa@ngayhoi.test", "password": PASSWORD, "full_name": "Lê Văn B", "role": "commune", "unit_code": COMMUNE_HCM})).await;
    app.user_token("hn@ngayhoi.test", "commune", Some(COMMUNE_HANOI), None).await;

    let all = app.get_json("/api/v1/audit?entity=user&per_page=100").await;
    let actions: Vec<(String, String)> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["user_email"].as_str().unwrap().to_owned(), e["action"].as_str().unwrap().to_owned()))
        .collect();
    assert!(actions.contains(&("tinh@ngayhoi.test".into(), "create".into())), "{actions:?}");
    assert!(actions.contains(&(ADMIN_EMAIL.into(), "login".into())), "{actions:?}");

    let seen_by_province = province.get_json("/api/v1/audit?per_page=100").await;
    let items = seen_by_province["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|e| !e["summary"].as_str().unwrap().contains("hn@ngayhoi.test")), "{items:?}");
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today + chrono::Duration::days(2);
    assert_eq!(app.get_json(&format!("/api/v1/audit?from={tomorrow}")).await["total"], 0);
    assert!(app.get_json(&format!("/api/v1/audit?to={tomorrow}")).await["total"].as_u64().unwrap() > 0);

    let commune = app.with_token(Some(&app.login("xa@ngayhoi.test", PASSWORD).await));
    expect_problem(commune.get("/api/v1/audit").await, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn create_user_command_makes_the_first_admin() {
    let app = spawn_app().await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ngayhoi"))
        .args([
            "create-user",
            "--email",
            "boss@ngayhoi.test",
            "--password",
            PASSWORD,
            "--role",
            "admin",
            "--name",
            "Trần Thị C",
        ])
        .env("DATABASE_URL", &app.database_url)
        .env("DATA_DIR", std::env::temp_dir())
        .env("LOG", "warn")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let token = app.login("boss@ngayhoi.test", PASSWORD).await;
    assert_eq!(app.with_token(Some(&token)).get_json("/api/v1/auth/me").await["full_name"], "Trần Thị C");

    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_ngayhoi"))
        .args(["create-user", "--email", "x@ngayhoi.test", "--password", "short", "--role", "commune", "--unit", "79"])
        .env("DATA_DIR", std::env::temp_dir())
        .env("DATABASE_URL", &app.database_url)
        .env("LOG", "warn")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("password") && stderr.contains("unit_code"), "{stderr}");
}

#[tokio::test]
async fn passwords_never_reach_the_log_even_at_trace_level() {
    let app = spawn_app().await;
    let address = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let server = std::process::Command::new(env!("CARGO_BIN_EXE_ngayhoi"))
        .arg("serve")
        .env("DATABASE_URL", &app.database_url)
        .env("BIND_ADDR", address.to_string())
        .env("DATA_DIR", data_dir.path())
        .env("LOG", "trace")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let second = app.with_token(None).at(format!("http://{address}"));
    for _ in 0..100 {
        if second.client.get(second.url("/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let wrong = "mật khẩu sai để thử nhật ký";
    expect_problem(login_response(&second, ADMIN_EMAIL, wrong, "10.9.0.1").await, StatusCode::UNAUTHORIZED).await;
    let token = second.login(ADMIN_EMAIL, PASSWORD).await;
    second.with_token(Some(&token)).get_json("/api/v1/auth/me").await;

    let mut server = server;
    server.kill().unwrap();
    let output = server.wait_with_output().unwrap();
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(log.contains("/api/v1/auth/login"), "the requests were logged: {log}");
    for secret in [PASSWORD, wrong, &token] {
        assert!(!log.contains(secret), "{secret:?} appears in the log");
    }
}
