//! `spawn_app()`, a small JSON client, and reading the HTML pages a browser gets.

use ngayhoi::app::App;
use ngayhoi::auth::model::{Actor, NewUser, Role};
use ngayhoi::config::Config;
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

#[derive(Clone)]
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// Sent as `Authorization: Bearer …`; `spawn_app` logs in as an admin.
    pub token: Option<String>,
    /// A browser: keeps cookies, logged in as the admin through the login page.
    pub browser: reqwest::Client,
    /// The form token of `browser`, for posting forms.
    pub csrf_token: String,
    /// The app's own database, for checking what is stored.
    pub db: sea_orm::DatabaseConnection,
    pub database_url: String,
    _data_dir: std::sync::Arc<tempfile::TempDir>,
}

/// The admin every test app starts with.
pub const ADMIN_EMAIL: &str = "admin@ngayhoi.test";
pub const PASSWORD: &str = "mật khẩu thử nghiệm 2025";

/// Starts the application on 127.0.0.1 with a database of its own.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// [`spawn_app`] with settings changed by `configure` (e.g. `public_rate_limit`).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let (database_url, backend) = match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => (fresh_postgres_schema(&base).await, "postgres"),
        _ => (format!("sqlite://{}/test.db?mode=rwc", data_dir.path().display()), "sqlite"),
    };
    let mut config = test_config(&database_url, data_dir.path());
    configure(&mut config);
    let app = App::build(config).await.expect("app starts");
    let admin = NewUser {
        email: ADMIN_EMAIL.into(),
        password: PASSWORD.into(),
        full_name: "Quản trị viên".into(),
        role: Role::Admin,
        unit_code: None,
        host_id: None,
    };
    let db = app.state().db.clone();
    ngayhoi::auth::service::create_user(&db, &Actor::system(), admin).await.expect("admin created");
    let address = format!("http://{}", app.address());
    tokio::spawn(app.run());
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let browser = fresh_browser();
    let mut test_app = TestApp {
        address,
        client,
        backend,
        token: None,
        browser,
        csrf_token: String::new(),
        db,
        database_url,
        _data_dir: std::sync::Arc::new(data_dir),
    };
    test_app.token = Some(test_app.login(ADMIN_EMAIL, PASSWORD).await);
    test_app.csrf_token = test_app.browser_login(ADMIN_EMAIL, PASSWORD).await;
    test_app
}

fn test_config(database_url: &str, data_dir: &std::path::Path) -> Config {
    let mut config = Config::defaults();
    config.database_url = Some(database_url.to_owned());
    config.bind_addr = "127.0.0.1:0".parse().expect("address");
    config.data_dir = data_dir.to_path_buf();
    config.log = "warn".into();
    config
}

/// A second app instance serving the same database as `app`, as when several stateless
/// instances share one PostgreSQL; same logins.
pub async fn second_instance(app: &TestApp, configure: impl FnOnce(&mut Config)) -> TestApp {
    let other = instance(app, configure).await;
    let address = format!("http://{}", other.address());
    tokio::spawn(other.run());
    app.at(address)
}

/// Another instance on the database of `app`, built but not running: the test runs it (and
/// stops it) itself.
pub async fn instance(app: &TestApp, configure: impl FnOnce(&mut Config)) -> App {
    let mut config = test_config(&app.database_url, app._data_dir.path());
    configure(&mut config);
    App::build(config).await.expect("instance starts")
}

/// A client that keeps cookies and does not follow redirects, like a browser tab under test.
pub fn fresh_browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("browser")
}

/// The same app seen through another browser, logged in as `email` through the login page.
pub async fn browser_of(app: &TestApp, email: &str) -> TestApp {
    let mut other = app.clone();
    other.browser = fresh_browser();
    other.csrf_token = other.browser_login(email, PASSWORD).await;
    other
}

/// The value of the hidden `authenticity_token` field of a page.
pub fn csrf_token_in(html: &str) -> String {
    let marker = "name=\"authenticity_token\" value=\"";
    let start = html.find(marker).map(|at| at + marker.len()).expect("a form with a CSRF token");
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .replace("&#x2f;", "/")
        .replace("&#x3d;", "=")
        .replace("&#x2b;", "+")
}

/// A new schema in the PostgreSQL database of `base`, and a URL whose connections use it.
async fn fresh_postgres_schema(base: &str) -> String {
    let schema = format!("t_{}", uuid_like());
    let db = Database::connect(base).await.expect("PostgreSQL at TEST_DATABASE_URL");
    db.execute_unprepared(&format!("CREATE SCHEMA {schema}")).await.expect("create schema");
    db.close().await.ok();
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}options=-c%20search_path%3D{schema}")
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    format!("{nanos:x}{:08x}", rand_u32())
}

fn rand_u32() -> u32 {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    RandomState::new().build_hasher().finish() as u32
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The same app, sending `token` (or none) instead.
    pub fn with_token(&self, token: Option<&str>) -> TestApp {
        TestApp { token: token.map(str::to_owned), ..self.clone() }
    }

    /// Another instance serving the same database at `address` (e.g. `http://127.0.0.1:9000`).
    pub fn at(&self, address: String) -> TestApp {
        TestApp { address, ..self.clone() }
    }

    /// Logs `browser` in through the login page; returns its form token.
    pub async fn browser_login(&self, email: &str, password: &str) -> String {
        let page = self.browser.get(self.url("/login")).send().await.expect("login page").text().await.expect("html");
        let token = csrf_token_in(&page);
        let form = [("email", email), ("password", password), ("next", "/festivals"), ("authenticity_token", &token)];
        let response = self.browser.post(self.url("/login")).form(&form).send().await.expect("login");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", response.text().await.unwrap_or_default());
        token
    }

    /// Logs in through the API and returns the bearer token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let body = json!({"email": email, "password": password});
        let response = self.client.post(self.url("/api/v1/auth/login")).json(&body).send().await.expect("login");
        expect_json(response, StatusCode::OK).await["token"].as_str().expect("token").to_owned()
    }

    /// Creates a user (as this app's current user) and returns the new user's token.
    pub async fn user_token(&self, email: &str, role: &str, unit_code: Option<&str>, host_id: Option<i64>) -> String {
        let body = json!({
            "email": email, "password": PASSWORD, "full_name": "Cán bộ thử nghiệm",
            "role": role, "unit_code": unit_code, "host_id": host_id,
        });
        expect_json(self.post("/api/v1/users", &body).await, StatusCode::CREATED).await;
        self.login(email, PASSWORD).await
    }

    pub async fn request(&self, method: Method, path: &str, body: Option<&Value>) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.request(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Response {
        self.request(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.request(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path, None).await
    }

    /// GET expecting 200 and JSON.
    pub async fn get_json(&self, path: &str) -> Value {
        expect_json(self.get(path).await, StatusCode::OK).await
    }

    /// Creates a host in `unit_code` and returns it.
    pub async fn create_host(&self, name: &str, unit_code: &str) -> Value {
        let body = json!({"name": name, "kind": "residential_area", "unit_code": unit_code});
        expect_json(self.post("/api/v1/hosts", &body).await, StatusCode::CREATED).await
    }

    /// Creates the host's festival of 2025 on 15/08/2025 19:30–22:00 and returns it.
    pub async fn create_festival(&self, host_id: i64) -> Value {
        let body = festival_body(host_id);
        expect_json(self.post("/api/v1/festivals", &body).await, StatusCode::CREATED).await
    }
}

/// A valid festival request for 15/08/2025, 19:30–22:00 Vietnam time.
pub fn festival_body(host_id: i64) -> Value {
    json!({
        "host_id": host_id,
        "year": 2025,
        "starts_at": "2025-08-15T19:30:00+07:00",
        "ends_at": "2025-08-15T22:00:00+07:00",
        "venue": "Nhà văn hóa thôn",
    })
}

/// Asserts the status and returns the JSON body (printing it on a mismatch).
pub async fn expect_json(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(actual, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("not JSON ({err}): {text}"))
}

/// Asserts a problem+json answer with `status` and returns its body.
pub async fn expect_problem(response: Response, status: StatusCode) -> Value {
    let content_type = response.headers().get("content-type").cloned();
    let body = expect_json(response, status).await;
    assert_eq!(content_type.as_ref().and_then(|v| v.to_str().ok()), Some("application/problem+json"), "{body}");
    assert_eq!(body["status"], status.as_u16(), "{body}");
    body
}

/// The field names of a problem's `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["field"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// Moves every approval of the app's nominations to 01/01/2025, as if they had been approved
/// then: a decision may not be signed before its approvals, and tests sign on fixed dates.
pub async fn backdate_approvals(app: &TestApp) {
    use ngayhoi::entities::nomination;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let new_year_2025 = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").unwrap().to_utc();
    nomination::Entity::update_many()
        .col_expr(nomination::Column::DecidedAt, Expr::value(new_year_2025))
        .filter(nomination::Column::DecidedAt.is_not_null())
        .exec(&app.db)
        .await
        .expect("approvals backdated");
}

/// `i` spelled digit by digit in Vietnamese ("Một Hai" for 12): unique names without digits,
/// which person names may not contain.
pub fn spelled(i: usize) -> String {
    const DIGITS: [&str; 10] = ["Không", "Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín"];
    i.to_string().bytes().map(|digit| DIGITS[usize::from(digit - b'0')]).collect::<Vec<_>>().join(" ")
}

/// Commune codes used by the tests (from the 2025 map): two in Ho Chi Minh City (79), one in Hanoi (01).
pub const COMMUNE_HCM: &str = "27031"; // Phường Tân Phú
pub const COMMUNE_HCM_2: &str = "26506"; // Phường Vũng Tàu
pub const COMMUNE_HANOI: &str = "00070"; // Phường Hoàn Kiếm
pub const PROVINCE_HCM: &str = "79";

// Pages: HTML as a browser gets it, and forms posted as a browser posts them.

/// GET expecting `status` and HTML; returns the body with entities decoded, for reading.
pub async fn page(app: &TestApp, path: &str, status: StatusCode) -> String {
    decoded(&raw_page(app, path, status).await)
}

pub async fn raw_page(app: &TestApp, path: &str, status: StatusCode) -> String {
    raw_html(app.browser.get(app.url(path)).send().await.expect("request sent"), status).await
}

/// Expects `status` and HTML; returns the body with entities decoded, for reading.
pub async fn html(response: Response, status: StatusCode) -> String {
    decoded(&raw_html(response, status).await)
}

/// The entities minijinja's escaping writes (it escapes `/` too), back to text.
pub fn decoded(html: &str) -> String {
    [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#x27;", "'"), ("&#x2f;", "/"), ("&amp;", "&")]
        .iter()
        .fold(html.to_owned(), |text, (entity, character)| text.replace(entity, character))
}

pub async fn raw_html(response: Response, status: StatusCode) -> String {
    let actual = response.status();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let body = response.text().await.expect("body");
    assert_eq!(actual, status, "unexpected status; body: {body}");
    assert!(content_type.starts_with("text/html"), "{content_type}: {body}");
    body
}

/// POSTs `fields` urlencoded with the form token, as a browser posts a form.
pub async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> Response {
    let mut fields = fields.to_vec();
    fields.push(("authenticity_token", &app.csrf_token));
    app.browser.post(app.url(path)).form(&fields).send().await.expect("request sent")
}

/// Asserts a 303 and returns where it points.
pub fn see_other(response: &Response) -> String {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().expect("location").to_owned()
}

/// The template a page was rendered from (`<body data-page="…">`).
pub fn template_of(body: &str) -> String {
    let start = body.find("data-page=\"").expect("data-page") + "data-page=\"".len();
    body[start..].split('"').next().unwrap_or_default().to_owned()
}

/// Polls job `id` until it ends (at most a minute) and returns it.
pub async fn wait_for_job(app: &TestApp, id: &Value) -> Value {
    let path = format!("/api/v1/jobs/{id}");
    for _ in 0..600 {
        let job = app.get_json(&path).await;
        if ["done", "failed", "cancelled"].contains(&job["state"].as_str().unwrap_or_default()) {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("job {id} did not end within a minute");
}

/// A print job of the invitations of `festival` that another instance is working on (state
/// running, its lease `lease_seconds` from now: negative for one whose instance died).
pub async fn running_job(app: &TestApp, festival: i64, lease_seconds: i64) -> i64 {
    use ngayhoi::entities::job;
    use ngayhoi::jobs::model::{JobKind, JobState};
    use sea_orm::{ActiveModelTrait, Set};
    let now = chrono::Utc::now();
    let row = job::ActiveModel {
        kind: Set(JobKind::PrintInvitations),
        state: Set(JobState::Running),
        festival_id: Set(Some(i32::try_from(festival).unwrap())),
        decision_id: Set(None),
        params: Set(json!({"print": "invitations", "festival_id": festival}).to_string()),
        total: Set(1),
        done: Set(0),
        failed: Set(0),
        withheld: Set(0),
        error: Set(None),
        lease_until: Set(Some(now + chrono::Duration::seconds(lease_seconds))),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    };
    i64::from(row.insert(&app.db).await.expect("job inserted").id)
}
