//! Plumbing shared by the HTML pages: rendering, form bodies, redirects after a form, paging
//! links, and turning any problem+json answer of a page handler into a Vietnamese HTML error page.

use std::collections::BTreeMap;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use minijinja::Value;
use minijinja::value::merge_maps;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::error::{AppError, AppResult, FieldError};
use crate::list::{PageParams, Paging};
use crate::time::{parse_dmy, parse_hhmm};
use crate::web::session;

/// Renders `template` as a full page.
pub fn render(state: &AppState, template: &str, context: impl Serialize) -> AppResult<Response> {
    Ok(Html(render_page(state, template, Value::from_serialize(context))?).into_response())
}

/// Renders a form again with its errors (HTTP 422), keyed by field name for the template.
pub fn render_invalid(state: &AppState, template: &str, context: Value, errors: &[FieldError]) -> AppResult<Response> {
    let errors: BTreeMap<&str, &str> = errors.iter().map(|e| (e.field.as_str(), e.message.as_str())).collect();
    let context = minijinja::context! { errors, ..context };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render_page(state, template, context)?)).into_response())
}

/// Every page gets `page` (its template name, which the layout puts on `<body data-page>` for
/// styling and for the test that checks every template is rendered), an empty `errors` map,
/// so that templates can look fields up without checking first, the CSRF token for its forms
/// (`csrf_field`, `csrf_token`) and the logged-in user (`current_user`, absent on public pages).
fn render_page(state: &AppState, template: &str, context: Value) -> AppResult<String> {
    let defaults = minijinja::context! { errors => BTreeMap::<String, String>::new() };
    let frame = session::frame();
    let fixed = minijinja::context! {
        page => template,
        csrf_field => session::CSRF_FIELD,
        csrf_token => frame.csrf_token,
        current_user => frame.user,
    };
    // Later maps win.
    let context = merge_maps([defaults, context, fixed]);
    state.templates.render(template, context)
}

/// The field errors of input a service refused, to show next to the fields: 422s, and 409s
/// blamed on a field (a duplicate name, a second festival in a year). Any other error goes on
/// to the error page.
pub fn field_errors(error: AppError) -> AppResult<Vec<FieldError>> {
    match error {
        AppError::Invalid(errors) => Ok(errors),
        AppError::Conflict { errors, .. } if !errors.is_empty() => Ok(errors),
        other => Err(other),
    }
}

/// The message of a refusal a page shows in place of the action's result, with its status:
/// not allowed (403, e.g. the submitter approving) or not possible now (409). Errors: any
/// other error, which goes on to the error page.
pub fn refusal(error: AppError) -> AppResult<(StatusCode, String)> {
    match error {
        AppError::Forbidden(message) => Ok((StatusCode::FORBIDDEN, message)),
        AppError::Conflict { detail, .. } => Ok((StatusCode::CONFLICT, detail)),
        other => Err(other),
    }
}

/// `template` again after a refused form: with the messages next to the fields (422, and 409s
/// blamed on a field), or with the [`refusal`] on top (`refusal`, answered with its status).
/// `page` builds the context once the error is known to be one a page shows.
pub async fn render_refused(
    state: &AppState,
    template: &str,
    error: AppError,
    page: impl Future<Output = AppResult<Value>>,
) -> AppResult<Response> {
    match field_errors(error) {
        Ok(errors) => render_invalid(state, template, page.await?, &errors),
        Err(error) => {
            let (status, message) = refusal(error)?;
            let html = render(state, template, minijinja::context! { refusal => message, ..page.await? })?;
            Ok((status, html).into_response())
        }
    }
}

/// 303 See Other after a successful form post, so a reload does not post again.
pub fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}

/// An `application/x-www-form-urlencoded` body, as browsers post forms. Fields the page
/// parses itself (dates, times) should be `String`s, so a typo becomes a field error on the
/// form; a value no form offers (an unknown status code) is a 422 error page.
#[derive(Debug)]
pub struct PageForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PageForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let body =
            Bytes::from_request(req, state).await.map_err(|rejection| AppError::Malformed(rejection.body_text()))?;
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(&body));
        serde_path_to_error::deserialize(deserializer).map(PageForm).map_err(|err| {
            // "Invalid value."
            AppError::invalid(err.path().to_string(), "Giá trị không hợp lệ.")
        })
    }
}

/// A date typed as dd/mm/yyyy; the message says how to write it.
pub fn form_date(text: &str) -> Result<NaiveDate, String> {
    match text.trim() {
        "" => Err("Bắt buộc nhập.".into()), // "Required."
        text => parse_dmy(text).ok_or_else(|| {
            let shaped = text.split(['/', '-', '.']).map(|part| part.parse::<u32>().is_ok()).collect::<Vec<_>>();
            if shaped == [true, true, true] {
                // "This date does not exist (check day and month)."
                "Ngày này không có trên lịch; hãy kiểm tra ngày và tháng.".into()
            } else {
                // "Write the date as dd/mm/yyyy, e.g. 19/08/2026."
                "Ngày viết dạng dd/mm/yyyy, ví dụ 19/08/2026.".into()
            }
        }),
    }
}

/// A clock time typed as HH:MM (24-hour), as (hour, minute).
pub fn form_time(text: &str) -> Result<(u32, u32), String> {
    match text.trim() {
        "" => Err("Bắt buộc nhập.".into()),
        // "Write the time as HH:MM, 24-hour (e.g. 07:30)."
        text => parse_hhmm(text).ok_or_else(|| "Giờ viết dạng HH:MM, 24 giờ (ví dụ 07:30).".into()),
    }
}

/// `?msg=` after a redirect: a code the layout turns into a Vietnamese confirmation.
#[derive(Debug, Default, Deserialize)]
pub struct Flash {
    pub msg: Option<String>,
}

/// `?page=` of a list page; pages always show 50 rows.
#[derive(Debug, Default, Deserialize)]
pub struct PageNumber {
    pub page: Option<u64>,
}

impl PageNumber {
    /// Errors: 422 naming `page` when it is 0.
    pub fn paging(&self) -> AppResult<Paging> {
        PageParams { page: self.page, per_page: None }.paging()
    }
}

/// Where a list page stands and the links to its neighbours, keeping the filters.
#[derive(Debug, Serialize)]
pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Page 1 with the same filters, from any later page.
    pub first: Option<String>,
    /// A page after the last one of a list that has rows: the page is empty, the list is not.
    pub past_end: bool,
}

impl Pager {
    /// `filters` is the page's query (without `page`), serialized back into the links.
    pub fn new(path: &str, filters: &impl Serialize, paging: Paging, total: u64) -> AppResult<Self> {
        let query = serde_urlencoded::to_string(filters).map_err(|err| AppError::Internal(err.into()))?;
        let link = |page: u64| {
            let separator = if query.is_empty() { "" } else { "&" };
            format!("{path}?{query}{separator}page={page}")
        };
        let pages = total.div_ceil(paging.per_page).max(1);
        Ok(Self {
            page: paging.page,
            pages,
            total,
            prev: (paging.page > 1).then(|| link(paging.page.min(pages + 1) - 1)),
            next: (paging.page < pages).then(|| link(paging.page + 1)),
            first: (paging.page > 1).then(|| link(1)),
            past_end: paging.page > pages && total > 0,
        })
    }
}

/// One row of a table form, by input name.
pub type Row = BTreeMap<String, String>;

/// A form with one row per item (the programme, the committee): each input name repeats once
/// per row, in order, so the n-th value of every column belongs to row n.
#[derive(Debug, Default, Serialize)]
pub struct TableForm {
    pub rows: Vec<Row>,
}

impl TableForm {
    /// Groups posted `pairs` into rows of `columns`; other names are ignored.
    pub fn from_pairs(pairs: Vec<(String, String)>, columns: &[&str]) -> Self {
        let mut rows: Vec<Row> = Vec::new();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (name, value) in pairs {
            if !columns.contains(&name.as_str()) {
                continue;
            }
            let index = seen.entry(name.clone()).or_default();
            if rows.len() <= *index {
                rows.push(columns.iter().map(|column| ((*column).to_owned(), String::new())).collect());
            }
            rows[*index].insert(name, value);
            *index += 1;
        }
        Self { rows }
    }

    /// Appends `count` copies of `blank`, room for new items.
    pub fn with_blank_rows(mut self, count: usize, blank: &Row) -> Self {
        self.rows.extend(std::iter::repeat_n(blank.clone(), count));
        self
    }

    /// The rows with something typed in one of `columns`, each with its place in the form;
    /// fully blank rows (the spare ones) are left out.
    pub fn filled(&self, columns: &[&str]) -> Vec<(usize, &Row)> {
        let typed = |row: &Row| columns.iter().any(|column| row.get(*column).is_some_and(|v| !v.trim().is_empty()));
        self.rows.iter().enumerate().filter(|(_, row)| typed(row)).collect()
    }
}

/// Points a service's row errors (`[k].title`, where `k` counts only the rows sent) at the
/// form rows they came from: `places[k]` is that row's place in the form.
pub fn errors_on_rows(errors: Vec<FieldError>, places: &[usize]) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|error| {
            let moved = error
                .field
                .strip_prefix('[')
                .and_then(|rest| rest.split_once(']'))
                .and_then(|(index, column)| Some((places.get(index.parse::<usize>().ok()?)?, column)))
                .map(|(place, column)| format!("[{place}]{column}"));
            FieldError { field: moved.unwrap_or(error.field), ..error }
        })
        .collect()
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
    // The page keeps what tells a browser how to go on (when to retry, how to log in).
    let kept: Vec<_> = [header::RETRY_AFTER, header::WWW_AUTHENTICATE]
        .into_iter()
        .filter_map(|name| response.headers().get(&name).cloned().map(|value| (name, value)))
        .collect();
    let body = to_bytes(response.into_body(), 64 * 1024).await.unwrap_or_default();
    let mut page = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(problem) => error_page(&state, status, &problem),
        Err(_) => (status, Body::from(body)).into_response(),
    };
    page.headers_mut().extend(kept);
    page
}

/// `error.html` with `status` and a problem body (`title`, `detail`, `errors`).
pub fn error_page(state: &AppState, status: StatusCode, problem: &impl Serialize) -> Response {
    let context = minijinja::context! { problem, status => status.as_u16() };
    match render_page(state, "error.html", context) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => err.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn table_rows_keep_their_places_and_errors_follow_them() {
        let form = TableForm::from_pairs(
            pairs(&[("title", "A"), ("note", ""), ("title", " "), ("note", ""), ("title", "C"), ("note", "x")]),
            &["title", "note"],
        );
        assert_eq!(form.rows.len(), 3);
        let places: Vec<usize> = form.filled(&["title", "note"]).into_iter().map(|(place, _)| place).collect();
        assert_eq!(places, [0, 2]);
        let errors = errors_on_rows(vec![FieldError::new("[1].title", "x"), FieldError::new("items", "y")], &places);
        assert_eq!(errors[0].field, "[2].title");
        assert_eq!(errors[1].field, "items");
    }

    #[test]
    fn pager_links_keep_filters() {
        #[derive(Serialize)]
        struct Filters {
            q: Option<&'static str>,
            year: Option<i32>,
        }
        let filters = Filters { q: Some("tổ 1"), year: None };
        let pager = Pager::new("/hosts", &filters, Paging { page: 2, per_page: 50 }, 120).unwrap();
        assert_eq!(pager.pages, 3);
        assert_eq!(pager.prev.as_deref(), Some("/hosts?q=t%E1%BB%95+1&page=1"));
        assert_eq!(pager.next.as_deref(), Some("/hosts?q=t%E1%BB%95+1&page=3"));
        assert_eq!(pager.first.as_deref(), Some("/hosts?q=t%E1%BB%95+1&page=1"));
        assert!(!pager.past_end);
        let empty = Pager::new("/hosts", &(), Paging::default(), 0).unwrap();
        assert_eq!((empty.pages, empty.prev, empty.next, empty.first, empty.past_end), (1, None, None, None, false));
        let beyond = Pager::new("/hosts", &filters, Paging { page: 4, per_page: 50 }, 120).unwrap();
        assert!(beyond.past_end);
        assert_eq!(beyond.first.as_deref(), Some("/hosts?q=t%E1%BB%95+1&page=1"));
    }
}
