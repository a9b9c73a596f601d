//! The browser side of logins: the session cookie, the login requirement of back-office
//! pages, and CSRF protection of every form (axum_csrf: an HMAC of a per-browser secret kept
//! in a private cookie, checked on every POST).

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderName, Method, Uri, header};
use axum::middleware::Next;
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum_csrf::CsrfToken;
use chrono::{DateTime, Utc};
use cookie::{Cookie, SameSite};

use crate::app::AppState;
use crate::auth::extract::{CurrentUser, SESSION_COOKIE};
use crate::auth::model::User;
use crate::error::AppError;
use crate::web::pages::see_other;

/// Name of the hidden form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "authenticity_token";

/// Largest form body read for the CSRF check, in bytes.
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;
/// Largest file upload form (spreadsheet imports), in bytes; the app's body limit is the same.
const MAX_UPLOAD_BYTES: usize = crate::app::MAX_BODY_BYTES;

/// What every page of one request shows besides its own data: the form token and who is
/// logged in. Set by [`csrf_guard`] and [`require_login`], read by `pages::render`.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    pub csrf_token: String,
    pub user: Option<User>,
}

tokio::task_local! {
    static FRAME: std::cell::RefCell<Frame>;
}

/// The current request's frame (empty outside a page request).
pub fn frame() -> Frame {
    FRAME.try_with(|frame| frame.borrow().clone()).unwrap_or_default()
}

/// Middleware for every page: POSTs must carry the form token of this browser (403
/// otherwise); responses set the token's cookie, and pages can put the token in their forms.
pub async fn csrf_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let Ok(token) = CsrfToken::from_request_parts(&mut parts, &state).await else {
        return AppError::Internal(anyhow::anyhow!("CSRF configuration missing")).into_response();
    };
    let body = if parts.method == Method::POST {
        let boundary = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|content_type| multer::parse_boundary(content_type).ok());
        let limit = if boundary.is_some() { MAX_UPLOAD_BYTES } else { MAX_FORM_BYTES };
        let Ok(bytes) = to_bytes(body, limit).await else {
            return AppError::Malformed("Biểu mẫu quá lớn.".into()).into_response(); // "Form too large."
        };
        let sent = match boundary {
            Some(boundary) => multipart_field(bytes.clone(), boundary, CSRF_FIELD).await,
            None => {
                form_urlencoded::parse(&bytes).find(|(name, _)| name == CSRF_FIELD).map(|(_, value)| value.into_owned())
            }
        };
        if sent.is_none_or(|value| token.verify(&value).is_err()) {
            // "The form has expired; reload the page and try again."
            return AppError::Forbidden("Biểu mẫu đã hết hạn; hãy tải lại trang rồi thử lại.".into()).into_response();
        }
        Body::from(bytes)
    } else {
        body
    };
    let frame = Frame { csrf_token: token.authenticity_token().unwrap_or_default(), user: None };
    let response = FRAME.scope(frame.into(), next.run(Request::from_parts(parts, body))).await;
    (token, response).into_response()
}

/// The text of the field `name` of a multipart/form-data body, read up to that field (forms
/// put the CSRF token before their file inputs).
async fn multipart_field(body: axum::body::Bytes, boundary: String, name: &str) -> Option<String> {
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

/// Middleware for the back-office pages: without a valid session, 303 to the login page,
/// which comes back here afterwards.
pub async fn require_login(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match CurrentUser::from_request_parts(&mut parts, &state).await {
        Ok(current) => {
            let _ = FRAME.try_with(|frame| frame.borrow_mut().user = Some(current.user.clone()));
            next.run(Request::from_parts(parts, body)).await
        }
        Err(AppError::Unauthorized(_)) => see_other(&login_path(&parts.uri)),
        Err(err) => err.into_response(),
    }
}

fn login_path(uri: &Uri) -> String {
    let back = uri.path_and_query().map_or("/", |path| path.as_str());
    let query: String = form_urlencoded::Serializer::new(String::new()).append_pair("next", back).finish();
    format!("/login?{query}")
}

/// A local path to return to after login; anything else (another host) goes to `/`.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => path,
        _ => "/",
    }
}

/// The session cookie holding a login token: HttpOnly, SameSite=Lax, Secure over https.
pub fn session_cookie(secret: String, expires_at: DateTime<Utc>, secure: bool) -> Cookie<'static> {
    let max_age = (expires_at - Utc::now()).num_seconds().max(0);
    Cookie::build((SESSION_COOKIE, secret))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age))
        .build()
}

/// A `Set-Cookie` header for a response.
pub fn set_cookie(cookie: &Cookie<'_>) -> AppendHeaders<[(HeaderName, String); 1]> {
    AppendHeaders([(header::SET_COOKIE, cookie.to_string())])
}

/// A cookie that makes the browser forget the session.
pub fn expired_session_cookie() -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, "")).path("/").http_only(true).max_age(cookie::time::Duration::ZERO).build()
}
