//! `/audit`: the audit log for admins and province officers.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::auth::audit;
use crate::auth::extract::CurrentUser;
use crate::auth::model::AuditFilter;
use crate::error::{AppResult, FieldErrors};
use crate::list::Paging;
use crate::web::extract::ApiQuery;
use crate::web::pages::{PageNumber, Pager, field_errors, form_date, render, render_invalid};

/// `/audit`, behind the login requirement of the parent router.
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/audit", get(audit_log))
}

/// `/audit` filters as typed: dates as dd/mm/yyyy, the user as an account number, `q` the
/// text searched for in the summaries and e-mails.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct AuditQuery {
    entity: Option<String>,
    user: Option<String>,
    from: Option<String>,
    to: Option<String>,
    q: Option<String>,
}

impl AuditQuery {
    /// Errors: 422 naming `user`, `from` or `to` when they cannot be read.
    fn filter(&self) -> AppResult<AuditFilter> {
        let mut errors = FieldErrors::default();
        let user = match self.user.as_deref().map(str::trim) {
            None | Some("") => None,
            // "The account number is a whole number, e.g. 12."
            Some(text) => errors.check("user", text.parse().map_err(|_| "Mã tài khoản là số nguyên, ví dụ 12.".into())),
        };
        let date = |text: &Option<String>, field: &str, errors: &mut FieldErrors| match text.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => errors.check(field, form_date(text)),
        };
        let from = date(&self.from, "from", &mut errors);
        let to = date(&self.to, "to", &mut errors);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            // "The end date comes before the start date."
            errors.add("to", "Ngày kết thúc đang trước ngày bắt đầu.");
        }
        errors.finish()?;
        let entity = self.entity.as_deref().map(str::trim).filter(|entity| !entity.is_empty()).map(str::to_owned);
        Ok(AuditFilter { entity, user, from, to, q: self.q.clone() })
    }
}

/// The audit log, newest first, for admins and province officers (the service refuses the
/// others with 403).
async fn audit_log(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<AuditQuery>,
    ApiQuery(number): ApiQuery<PageNumber>,
) -> AppResult<Response> {
    let paging = number.paging()?;
    match query.filter() {
        Ok(filter) => {
            let events = audit::list(&state.db, &current.actor, &filter, paging).await?;
            let pager = Pager::new("/audit", &query, paging, events.total)?;
            render(&state, "auth/audit.html", context! { query, events, pager })
        }
        Err(err) => {
            let errors = field_errors(err)?;
            // Who may not read the log hears so before any word about the filters.
            audit::list(&state.db, &current.actor, &AuditFilter::default(), Paging { page: 1, per_page: 1 }).await?;
            render_invalid(&state, "auth/audit.html", context! { query }, &errors)
        }
    }
}
