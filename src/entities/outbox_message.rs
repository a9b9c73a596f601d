use sea_orm::entity::prelude::*;

use crate::mail::model::{MessageKind, MessageState};

/// One message of the outbox: who it goes to, where it stands, and what happened on each try.
/// The body and attachments are composed again at each try from the participant and festival.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The sending job it belongs to, for progress.
    pub job_id: Option<i32>,
    pub festival_id: i32,
    pub participant_id: i32,
    pub kind: MessageKind,
    /// Null when the participant has no e-mail (the message is withheld).
    pub to_address: Option<String>,
    pub subject: String,
    pub state: MessageState,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    /// `<outbox-{id}@{host}>`: the same on every try, so a repeat after a crash is recognizable.
    pub message_id: String,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
