//! `AppError` → `application/problem+json` (RFC 9457), the error body of every API response.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::SqlErr;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, FieldError};

/// The error body of every API response (API.md, *Service*).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URN naming the kind of problem, e.g. `urn:ngayhoi:problem:validation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short Vietnamese summary.
    pub title: String,
    pub status: u16,
    /// Vietnamese explanation for the user.
    pub detail: String,
    /// One entry per bad field; empty when no single field is to blame.
    pub errors: Vec<FieldError>,
    /// Seconds to wait, sent as the `Retry-After` header of a 429.
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    /// Status and body for `error`; server faults are logged here, once, with their cause.
    pub fn from_error(error: AppError) -> Self {
        let mut retry_after = None;
        let (status, kind, title, detail, errors) = match error {
            // "Invalid data" / "Please correct the fields listed."
            AppError::Invalid(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Dữ liệu không hợp lệ",
                "Vui lòng sửa các trường được nêu.".to_owned(),
                errors,
            ),
            // "Malformed request"
            AppError::Malformed(detail) => {
                (StatusCode::BAD_REQUEST, "malformed", "Yêu cầu sai định dạng", detail, vec![])
            }
            // "Unsupported content type"
            AppError::UnsupportedMediaType(detail) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Kiểu nội dung không được hỗ trợ",
                detail,
                vec![],
            ),
            // "Login required"
            AppError::Unauthorized(detail) => {
                (StatusCode::UNAUTHORIZED, "unauthorized", "Cần đăng nhập", detail, vec![])
            }
            // "Not allowed"
            AppError::Forbidden(detail) => (StatusCode::FORBIDDEN, "forbidden", "Không có quyền", detail, vec![]),
            // "Too many attempts"
            AppError::RateLimited { retry_after_secs } => {
                retry_after = Some(retry_after_secs);
                let wait = if retry_after_secs < 60 {
                    format!("{retry_after_secs} giây") // "N seconds"
                } else {
                    format!("{} phút", retry_after_secs.div_ceil(60)) // "N minutes"
                };
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate-limited",
                    "Quá nhiều lần thử",
                    // "Too many attempts in a short time; wait about … and try again."
                    format!("Quá nhiều lần thử trong thời gian ngắn; vui lòng đợi khoảng {wait} rồi thử lại."),
                    vec![],
                )
            }
            // "Method not allowed" / "This address does not take that kind of request."
            AppError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Phương thức không được hỗ trợ",
                "Địa chỉ này không nhận loại yêu cầu này.".to_owned(),
                vec![],
            ),
            // "Not found"
            AppError::NotFound(what) => (StatusCode::NOT_FOUND, "not-found", "Không tìm thấy", what, vec![]),
            // "Conflicting data"
            AppError::Conflict { detail, errors } => {
                (StatusCode::CONFLICT, "conflict", "Xung đột dữ liệu", detail, errors)
            }
            // A race that slipped past the service's own duplicate check is still a conflict.
            AppError::Database(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => (
                StatusCode::CONFLICT,
                "conflict",
                "Xung đột dữ liệu",
                "Dữ liệu đã tồn tại.".to_owned(), // "The record already exists."
                vec![],
            ),
            AppError::Database(err) => server_fault(&err),
            AppError::Internal(err) => server_fault(&*err),
        };
        Self {
            kind: format!("urn:ngayhoi:problem:{kind}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            errors,
            retry_after,
        }
    }

    /// One line for a terminal: the title, the detail and each field error.
    pub fn describe(&self) -> String {
        let fields: Vec<String> = self.errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        format!("{} — {} {}", self.title, self.detail, fields.join("; "))
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

fn server_fault(err: &dyn std::error::Error) -> (StatusCode, &'static str, &'static str, String, Vec<FieldError>) {
    tracing::error!(error = %err, "request failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Lỗi hệ thống",                                             // "System error"
        "Đã có lỗi phía máy chủ; vui lòng thử lại sau.".to_owned(), // "Server error; try again later."
        vec![],
    )
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let retry_after = self.retry_after;
        let mut response = (status, axum::Json(self)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        Problem::from_error(self).into_response()
    }
}
