//! Unsubscribing (RFC 2369 `List-Unsubscribe`, RFC 8058 one-click): every e-mail names a page
//! of its own, `/unsubscribe/{Message-ID}`. Opening it changes nothing (mail scanners open
//! links); a POST — the page's button, or the mail provider's one-click request — puts the
//! address on the do-not-send list and withholds what is still waiting for it. The random
//! Message-ID is the only key: nobody needs to log in, and nobody can guess another's.

use std::collections::BTreeSet;

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, TransactionTrait,
};
use serde::Serialize;

use super::model::MessageState;
use super::service::refresh_job;
use crate::entities::{mail_suppression, outbox_message};
use crate::error::{AppError, AppResult};

/// Why an unsubscribed address is on the do-not-send list: "The recipient asked to receive
/// no more mail."
pub const UNSUBSCRIBED: &str = "Người nhận đã yêu cầu không nhận thư nữa.";

/// `{base_url}/unsubscribe/{message_id}`, the Message-ID without its angle brackets (its `@`
/// is allowed in a path, RFC 3986 §3.3).
pub fn link(base_url: &str, message_id: &str) -> String {
    format!("{base_url}/unsubscribe/{}", message_id.trim_matches(['<', '>']))
}

/// What the unsubscribe page shows.
#[derive(Debug, Serialize)]
pub struct Unsubscription {
    /// The address, partly hidden (`k•••@example.vn`): the link may have been forwarded.
    pub address: String,
    /// Whether the address is on the do-not-send list already.
    pub done: bool,
}

/// The address the message `message_id` (without angle brackets) went to. Errors: 404 when
/// no message has that ID or it had no address.
pub async fn find(db: &impl ConnectionTrait, message_id: &str) -> AppResult<Unsubscription> {
    let address = address_of(db, message_id).await?;
    let done = mail_suppression::Entity::find_by_id(address.to_lowercase()).one(db).await?.is_some();
    Ok(Unsubscription { address: hidden(&address), done })
}

/// Puts the address of message `message_id` on the do-not-send list and withholds its messages
/// still waiting to be sent (the one being sent at this moment, if any, still goes). Doing it
/// again changes nothing. Errors: 404 as [`find`].
pub async fn unsubscribe(db: &DatabaseConnection, message_id: &str) -> AppResult<Unsubscription> {
    let txn = db.begin().await?;
    let address = address_of(&txn, message_id).await?;
    suppress(&txn, &address, UNSUBSCRIBED).await?;
    let waiting = Condition::all()
        .add(outbox_message::Column::ToAddress.eq(address.clone()))
        .add(outbox_message::Column::State.is_in([MessageState::Queued, MessageState::Retrying]));
    let jobs: BTreeSet<i32> = outbox_message::Entity::find()
        .filter(waiting.clone())
        .all(&txn)
        .await?
        .into_iter()
        .filter_map(|message| message.job_id)
        .collect();
    outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::State, Expr::value(MessageState::Withheld))
        .col_expr(outbox_message::Column::LastError, Expr::value(UNSUBSCRIBED))
        .col_expr(outbox_message::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(waiting)
        .exec(&txn)
        .await?;
    // A job whose last waiting message this was ends now.
    for job in jobs {
        refresh_job(&txn, job).await?;
    }
    txn.commit().await?;
    Ok(Unsubscription { address: hidden(&address), done: true })
}

/// Puts `address` on the do-not-send list (once; the first reason stays).
pub async fn suppress(db: &impl ConnectionTrait, address: &str, reason: &str) -> Result<(), DbErr> {
    let entry = mail_suppression::ActiveModel {
        email: sea_orm::Set(address.to_lowercase()),
        reason: sea_orm::Set(reason.chars().take(200).collect()),
        created_at: sea_orm::Set(Utc::now()),
    };
    mail_suppression::Entity::insert(entry)
        .on_conflict_do_nothing_on([mail_suppression::Column::Email])
        .exec_without_returning(db)
        .await?;
    Ok(())
}

async fn address_of(db: &impl ConnectionTrait, message_id: &str) -> AppResult<String> {
    let message = outbox_message::Entity::find()
        .filter(outbox_message::Column::MessageId.eq(format!("<{message_id}>")))
        .one(db)
        .await?;
    // "This unsubscribe link is not valid."
    message
        .and_then(|message| message.to_address)
        .ok_or_else(|| AppError::not_found("Liên kết hủy nhận thư không hợp lệ."))
}

/// `khach@example.vn` as `k•••@example.vn`.
fn hidden(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => format!("{}•••@{domain}", local.chars().next().unwrap_or('•')),
        None => "•••".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{hidden, link};

    #[test]
    fn links_name_the_message_and_addresses_show_only_their_first_letter() {
        assert_eq!(
            link("https://ngayhoi.vn", "<ngayhoi-abc@tanphu.gov.vn>"),
            "https://ngayhoi.vn/unsubscribe/ngayhoi-abc@tanphu.gov.vn"
        );
        assert_eq!(hidden("khach@example.vn"), "k•••@example.vn");
        assert_eq!(hidden("đ@x.vn"), "đ•••@x.vn");
    }
}
