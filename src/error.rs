//! The one error type of the service. Services and repositories return it; the HTTP layer
//! (`web::problem`) turns it into `application/problem+json` (RFC 9457) or an HTML error page.

use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;

/// A problem with one input field; `field` is the API field name (`venue`, `[2].title`),
/// `message` is Vietnamese text for the user; `row` is the spreadsheet line of an import
/// (header = line 1), absent otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { row: None, field: field.into(), message: message.into() }
    }

    /// The same problem, placed on line `row` of an imported sheet.
    pub fn at_row(self, row: usize) -> Self {
        Self { row: Some(row), ..self }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Well-formed input with invalid values (HTTP 422).
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Input that cannot be parsed at all, e.g. broken JSON (HTTP 400).
    #[error("malformed request: {0}")]
    Malformed(String),
    /// A body in a format the endpoint does not take (HTTP 415).
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// Not logged in, or the login has expired (HTTP 401).
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// Logged in, but not allowed to do this (HTTP 403).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Too many attempts; try again after the given number of seconds (HTTP 429).
    #[error("rate limited for {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// The path exists but not with this method (HTTP 405).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// No such resource; the text names what was looked for, in Vietnamese (HTTP 404).
    #[error("not found: {0}")]
    NotFound(String),
    /// A duplicate or a change the current state forbids (HTTP 409).
    #[error("conflict: {detail}")]
    Conflict { detail: String, errors: Vec<FieldError> },
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A single invalid field (HTTP 422).
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }

    /// A conflict blamed on one field (HTTP 409).
    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Conflict { detail: message.clone(), errors: vec![FieldError::new(field, message)] }
    }

    /// A conflict that no single field caused, e.g. a forbidden status change (HTTP 409).
    pub fn state_conflict(detail: impl Into<String>) -> Self {
        Self::Conflict { detail: detail.into(), errors: Vec::new() }
    }

    /// Outside the user's scope or above their role (HTTP 403).
    pub fn forbidden() -> Self {
        // "You do not have the right to do this."
        Self::Forbidden("Bạn không có quyền thực hiện thao tác này.".into())
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }

    /// Maps a unique-constraint violation to a conflict on `field`; other errors pass through.
    /// Services check for duplicates first for a friendly message; this covers the race.
    pub fn from_unique(err: DbErr, field: &str, message: &str) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::conflict(field, message),
            _ => Self::Database(err),
        }
    }
}

/// Collects field errors so one response lists every bad field, not only the first.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Keeps the value, or records the error under `field` and gives `None`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|message| self.add(field, message)).ok()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors recorded so far.
    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }

    /// `Ok(())` when nothing was recorded, else [`AppError::Invalid`] with every error.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Invalid(self.0)) }
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors.0)
    }
}

pub type AppResult<T> = Result<T, AppError>;
