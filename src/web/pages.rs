//! Plumbing shared by the HTML pages: rendering, redirects after a form, and turning any
//! problem+json answer of a page handler into a Vietnamese HTML error page.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::app::AppState;
use crate::error::{AppResult, FieldError};

/// Renders `template` as a full page.
pub fn render(state: &AppState, template: &str, context: impl Serialize) -> AppResult<Response> {
    Ok(Html(state.templates.render(template, context)?).into_response())
}

/// Renders a form again with its errors (HTTP 422), keyed by field name for the template.
pub fn render_invalid(
    state: &AppState,
    template: &str,
    context: minijinja::Value,
    errors: &[FieldError],
) -> AppResult<Response> {
    let errors: std::collections::BTreeMap<&str, &str> =
        errors.iter().map(|e| (e.field.as_str(), e.message.as_str())).collect();
    let context = minijinja::context! { errors, ..context };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(state.templates.render(template, context)?)).into_response())
}

/// 303 See Other after a successful form post, so a reload does not post again.
pub fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}

/// Middleware for the page router: a problem+json response becomes `error.html` with the same
/// status, so a person never sees raw JSON.
pub async fn html_errors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"));
    if !is_problem {
        return response;
    }
    let status = response.status();
    let body = to_bytes(response.into_body(), 64 * 1024).await.unwrap_or_default();
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(problem) => error_page(&state, status, &problem),
        Err(_) => (status, Body::from(body)).into_response(),
    }
}

/// `error.html` with `status` and a problem body (`title`, `detail`, `errors`).
pub fn error_page(state: &AppState, status: StatusCode, problem: &impl Serialize) -> Response {
    match state.templates.render("error.html", minijinja::context! { problem, status => status.as_u16() }) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => err.into_response(),
    }
}
