//! The mail pages: the festival page's "Gửi giấy mời qua email" button, and a festival's mail
//! log (`/festivals/{id}/messages`) with its resend buttons. Vietnamese, server-rendered,
//! working without JavaScript; they call the same service functions as the API.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::model::{MailMessage, MessageFilter, MessageState, SendInvitations};
use super::routes::domain;
use super::{service, unsubscribe};
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::error::AppResult;
use crate::festivals::pages::{FESTIVAL_PAGE, festival_page};
use crate::festivals::service as festivals;
use crate::list::Paging;
use crate::participants::service as participants;
use crate::web::client_ip::ClientIp;
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{PageForm, PageNumber, Pager, render, render_refused, see_other};

/// The back-office mail pages; they need a login.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/festivals/{id}/invitations/email", post(send_invitations))
        .route("/festivals/{id}/messages", get(show_log))
        .route("/festivals/{id}/messages/resend-failed", post(resend_failed))
        .route("/messages/{id}/resend", post(resend))
}

/// The unsubscribe page, which anyone holding an e-mail's link may open and post
/// ([`super::unsubscribe`]); no form token, as mail providers post it without cookies.
pub fn unsubscribe_router() -> Router<AppState> {
    Router::new().route("/unsubscribe/{message}", get(show_unsubscribe).post(unsubscribe))
}

const TEMPLATE: &str = "mail/log.html";

const UNSUBSCRIBE: &str = "mail/unsubscribe.html";

/// What unsubscribing would do, and a button to do it.
async fn show_unsubscribe(state: State<AppState>, ip: ClientIp, message: ApiPath<String>) -> AppResult<Response> {
    unsubscribe_page(state, ip, message, false).await
}

/// Unsubscribes: the page's button, or a one-click `List-Unsubscribe=One-Click` POST (RFC
/// 8058); the body is not needed.
async fn unsubscribe(state: State<AppState>, ip: ClientIp, message: ApiPath<String>) -> AppResult<Response> {
    unsubscribe_page(state, ip, message, true).await
}

/// The unsubscribe page of `message`, after unsubscribing when `now`. Rate-limited per
/// address (`PUBLIC_RATE_LIMIT` a minute) like the other public pages.
async fn unsubscribe_page(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(message): ApiPath<String>,
    now: bool,
) -> AppResult<Response> {
    if let Some(limit) = &state.public_rate_limit {
        limit.check(ip)?;
    }
    let unsubscription = if now {
        unsubscribe::unsubscribe(&state.db, &message).await?
    } else {
        unsubscribe::find(&state.db, &message).await?
    };
    render(&state, UNSUBSCRIBE, context! { unsubscription, message })
}

/// The send button's form: the ticked "Gửi lại cho người đã nhận" box sends `resend=true`.
#[derive(Debug, Deserialize)]
struct SendForm {
    #[serde(default)]
    resend: bool,
}

/// Queues the invitations of every invited guest and opens the sending job's page; a refusal
/// (no issuer, nobody invited, a cancelled festival) comes back on the festival's page.
async fn send_invitations(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(form): PageForm<SendForm>,
) -> AppResult<Response> {
    let input = SendInvitations { participant_ids: None, resend: form.resend };
    match service::send_invitations(&state.db, &current.actor, id, input, &domain(&state)).await {
        Ok(accepted) => {
            state.mail.wake();
            Ok(see_other(&format!("/jobs/{}?msg=queued", accepted.job_id)))
        }
        Err(err) => render_refused(&state, FESTIVAL_PAGE, err, festival_page(&state, &current.actor, id)).await,
    }
}

/// `/festivals/{id}/messages` filters: the state, and the recipient searched for.
#[derive(Debug, Default, Deserialize, Serialize)]
struct LogQuery {
    state: Option<MessageState>,
    q: Option<String>,
}

/// `?msg=resent` and `?requeued=` after a redirect to the log.
#[derive(Debug, Default, Deserialize)]
struct LogNotice {
    msg: Option<String>,
    /// How many failed messages a "resend all" queued again.
    requeued: Option<u64>,
}

/// A message of the log with the name of its recipient.
#[derive(Debug, Serialize)]
struct LogRow {
    #[serde(flatten)]
    message: MailMessage,
    name: Option<String>,
}

/// The context of the log of festival `id`: the festival, the messages of `query` on page
/// `paging`, newest first, and how many messages stand in each state. Errors: 404.
async fn log_page(state: &AppState, actor: &Actor, id: i32, query: LogQuery, paging: Paging) -> AppResult<Value> {
    let (festival, host) = festivals::find(&state.db, actor, id).await?;
    let filter = MessageFilter { state: query.state, festival: Some(id), job: None, q: query.q.clone() };
    let page = service::list(&state.db, actor, &filter, paging).await?;
    let ids: Vec<i32> = page.items.iter().map(|message| message.participant_id).collect();
    let names = participants::names_of(&state.db, &ids).await?;
    // Not `messages`: the layout's name for its notices.
    let rows: Vec<LogRow> = page
        .items
        .into_iter()
        .map(|message| LogRow { name: names.get(&message.participant_id).cloned(), message })
        .collect();
    let counts = service::state_counts_of(&state.db, id).await?;
    let failed = counts.iter().find(|(counted, _)| *counted == MessageState::Failed).map_or(0, |(_, count)| *count);
    let pager = Pager::new(&format!("/festivals/{id}/messages"), &query, paging, page.total)?;
    Ok(context! {
        festival => context! { id, title => festival.title, host_name => host.name },
        query, rows, counts, failed, pager,
    })
}

/// The mail log of a festival, 50 messages a page, filtered by state and recipient.
async fn show_log(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(query): ApiQuery<LogQuery>,
    ApiQuery(number): ApiQuery<PageNumber>,
    ApiQuery(notice): ApiQuery<LogNotice>,
) -> AppResult<Response> {
    let page = log_page(&state, &current.actor, id, query, number.paging()?).await?;
    render(&state, TEMPLATE, context! { notice => notice.msg, requeued => notice.requeued, ..page })
}

/// Sends one message again and goes back to its festival's log; a refusal (still on its way,
/// still no address) comes back on the log.
async fn resend(State(state): State<AppState>, current: CurrentUser, ApiPath(id): ApiPath<i32>) -> AppResult<Response> {
    match service::resend(&state.db, &current.actor, id, &domain(&state)).await {
        Ok(message) => {
            state.mail.wake();
            Ok(see_other(&format!("/festivals/{}/messages?msg=resent", message.festival_id)))
        }
        Err(err) => {
            let festival_id = service::get(&state.db, &current.actor, id).await?.festival_id;
            let page = log_page(&state, &current.actor, festival_id, LogQuery::default(), Paging::default());
            render_refused(&state, TEMPLATE, err, page).await
        }
    }
}

/// Queues every failed message of the festival again and says how many on the log.
async fn resend_failed(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    let requeued = service::resend_failed(&state.db, &current.actor, id).await?;
    state.mail.wake();
    Ok(see_other(&format!("/festivals/{id}/messages?requeued={requeued}")))
}
