//! Building and running the application: state, router, listener.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::http::Uri;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_csrf::CsrfConfig;
use sea_orm::DatabaseConnection;
use serde::Serialize;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Config;
use crate::documents::pdf::Fonts;
use crate::error::AppError;
use crate::jobs::worker::{self, Wakeup};
use crate::participants::queue::RegistrationQueue;
use crate::web::pages::{error_page, html_errors};
use crate::web::rate_limit::PublicRateLimit;
use crate::web::session::{csrf_guard, require_login};
use crate::web::templates::Templates;
use crate::{areas, auth, commendation, database, festivals, jobs, mail, participants, printing, reports, web};

/// Largest request body accepted, in bytes (imports of 10,000 rows stay well under it).
pub const MAX_BODY_BYTES: usize = 20 * 1024 * 1024;

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub templates: Arc<Templates>,
    /// CSRF protection of the HTML forms (axum_csrf), keyed by a secret shared by all instances.
    pub csrf: CsrfConfig,
    /// `PUBLIC_RATE_LIMIT` per address; `None` when switched off.
    pub public_rate_limit: Option<Arc<PublicRateLimit>>,
    /// Seats public registrations in batches (group commit).
    pub registrations: RegistrationQueue,
    /// The document fonts, parsed once for PDF embedding.
    pub fonts: Arc<Fonts>,
    /// Wakes this instance's job worker.
    pub jobs: Wakeup,
    /// Wakes this instance's mail worker.
    pub mail: Wakeup,
    /// `MAIL_FROM`, checked at start.
    pub mail_from: lettre::message::Mailbox,
}

impl FromRef<AppState> for CsrfConfig {
    fn from_ref(state: &AppState) -> Self {
        state.csrf.clone()
    }
}

impl AppState {
    /// Checks the document fonts, connects and migrates the database, loads the
    /// administrative map and keys older accounts and audit events for search (first start
    /// only), and parses the templates.
    pub async fn init(config: Config) -> anyhow::Result<Self> {
        crate::documents::fonts::check_vietnamese()?;
        std::fs::create_dir_all(&config.data_dir)?;
        let db = database::connect(&config.database_url()).await?;
        areas::seed::load_admin_units(&db).await?;
        auth::search_keys::fill(&db).await?;
        let mail_folder = config.smtp_url.is_none().then(|| config.data_dir.join("outbox"));
        let templates = Templates::load()?.with_mail_folder(mail_folder.as_deref());
        let key = database::shared_secret(&db, "csrf_cookie_key").await?;
        let secure = config.base_url.as_deref().is_some_and(|url| url.starts_with("https://"));
        let csrf = CsrfConfig::default()
            .with_key(Some(axum_csrf::Key::try_from(key.as_slice())?))
            .with_cookie_name("ngayhoi_csrf")
            .with_cookie_same_site(axum_csrf::SameSite::Strict)
            .with_secure(secure);
        let public_rate_limit = PublicRateLimit::new(config.public_rate_limit).map(Arc::new);
        let registrations = RegistrationQueue::start(db.clone());
        let fonts = Arc::new(Fonts::load()?);
        let mail_from =
            config.mail_from.parse().map_err(|err| anyhow::anyhow!("MAIL_FROM {:?}: {err}", config.mail_from))?;
        Ok(Self {
            db,
            config: Arc::new(config),
            templates: Arc::new(templates),
            csrf,
            public_rate_limit,
            registrations,
            fonts,
            jobs: Wakeup::default(),
            mail: Wakeup::default(),
            mail_from,
        })
    }

    /// Public base address for links, without a trailing slash.
    pub fn base_url(&self) -> String {
        self.config.base_url(self.config.bind_addr)
    }
}

/// A built application, listening but not yet serving.
pub struct App {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl App {
    /// Binds `BIND_ADDR` (port 0 picks a free port; `BASE_URL` then defaults to the real one)
    /// and prepares the state.
    pub async fn build(mut config: Config) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(config.bind_addr).await?;
        config.bind_addr = listener.local_addr()?;
        let state = AppState::init(config).await?;
        let router = router(state.clone());
        Ok(Self { listener, router, state })
    }

    pub fn address(&self) -> SocketAddr {
        self.state.config.bind_addr
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Starts the workers and serves until Ctrl-C or SIGTERM.
    pub async fn run(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Starts the workers and serves until `shutdown` completes; then finishes the requests
    /// in progress and stops the mail worker ([`mail::worker::MailWorker::stop`]). Errors: a
    /// mail setting that does not work (before anything is served).
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let mail = mail::worker::start(self.state.clone()).map_err(std::io::Error::other)?;
        worker::start(self.state.clone());
        tracing::info!(address = %self.address(), base_url = %self.state.base_url(), "serving");
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown)
            .await?;
        if let Some(mail) = mail {
            mail.stop().await;
        }
        Ok(())
    }
}

/// Declares the bearer token scheme that every operation but login requires.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("Token from POST /api/v1/auth/login (valid 24 hours)."))
            .build();
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

#[derive(OpenApi)]
#[openapi(
    modifiers(&BearerAuth),
    // Types used only as path or query parameters, which utoipa-axum does not collect.
    components(schemas(
        crate::commendation::model::NominationAction,
        crate::participants::transfer::ExportFormat,
        crate::participants::model::ParticipantSort
    )),
    security(("bearer" = [])),
    info(
        title = "ngayhoi",
        description = "Kế hoạch Ngày hội Toàn dân bảo vệ an ninh Tổ quốc — planning the All-People Security Festival."
    ),
    tags(
        (name = "accounts", description = "Tài khoản, đăng nhập, nhật ký (accounts, login, audit log)"),
        (name = "places", description = "Đơn vị hành chính và đơn vị tổ chức (units and hosts)"),
        (name = "festivals", description = "Ngày hội, chương trình, ban tổ chức, kế hoạch năm (festivals and plans)"),
        (name = "commendation", description = "Khen thưởng: cơ quan, mô hình, đề nghị, quyết định, xác minh (commendation)"),
        (name = "people", description = "Người tham dự, đăng ký, trả lời, điểm danh (participants, registration, RSVP, check-in)"),
        (name = "documents", description = "Giấy mời, quyết định, giấy khen in PDF (invitations, decisions, certificates)"),
        (name = "jobs", description = "Tác vụ chạy nền và tiến độ (background jobs and progress)"),
        (name = "mail", description = "Gửi giấy mời qua email, nhật ký thư (e-mailing invitations, the mail log)"),
        (name = "reports", description = "Báo cáo: độ phủ ngày hội theo địa bàn (reports: coverage by area)")
    )
)]
struct ApiDoc;

/// The whole HTTP surface: API with its OpenAPI document, pages, static files.
pub fn router(state: AppState) -> Router {
    let (api, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest(
            "/api/v1",
            auth::routes::public_router()
                .merge(auth::routes::router())
                .merge(areas::routes::router())
                .merge(festivals::routes::router())
                .merge(participants::routes::router())
                .merge(participants::routes::public_router())
                .merge(commendation::routes::router())
                .merge(commendation::routes::public_router())
                .merge(jobs::routes::router())
                .merge(printing::routes::router())
                .merge(mail::routes::router())
                .merge(reports::routes::router()),
        )
        .split_for_parts();
    let back_office = areas::pages::router()
        .merge(festivals::pages::router())
        .merge(participants::pages::router())
        .merge(auth::pages::router())
        .merge(commendation::pages::router())
        .merge(printing::pages::router())
        .merge(jobs::pages::router())
        .merge(mail::pages::router())
        .merge(reports::pages::router())
        .route_layer(from_fn_with_state(state.clone(), require_login));
    let pages = back_office
        .merge(participants::pages::public_router())
        .merge(commendation::pages::public_router())
        .merge(auth::pages::public_router())
        .layer(from_fn_with_state(state.clone(), csrf_guard))
        // Outside the form-token check: mail providers post one-click unsubscribes (RFC 8058)
        // without cookies, and the link's random message ID is the key.
        .merge(mail::pages::unsubscribe_router())
        .layer(from_fn_with_state(state.clone(), html_errors));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/static/{*path}", get(web::assets::serve))
        .merge(api)
        .merge(
            SwaggerUi::new("/api/docs")
                .url("/api/openapi.json", openapi)
                // Swagger UI would otherwise send the document's address to validator.swagger.io.
                .config(utoipa_swagger_ui::Config::from("/api/openapi.json").validator_url("none")),
        )
        .merge(pages)
        .fallback(not_found)
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // axum's own extractors (multipart uploads) stop at 2 MB unless told otherwise.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// `GET /healthz` body.
#[derive(Serialize, ToSchema)]
struct Health {
    status: &'static str,
    database: &'static str,
    version: &'static str,
}

/// Answers 200 only when the database answers.
async fn healthz(State(state): State<AppState>) -> Result<axum::Json<Health>, AppError> {
    state.db.ping().await?;
    Ok(axum::Json(Health {
        status: "ok",
        database: database::backend_name(&state.db),
        version: env!("CARGO_PKG_VERSION"),
    }))
}

/// Unknown paths: problem+json under `/api`, an HTML page elsewhere.
async fn not_found(State(state): State<AppState>, uri: Uri) -> Response {
    // "This address does not exist."
    let error = AppError::not_found(format!("Không có trang {}.", uri.path()));
    if uri.path().starts_with("/api/") {
        return error.into_response();
    }
    let problem = web::problem::Problem::from_error(error);
    error_page(&state, problem.status_code(), &problem)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
