//! Mail as the API shows it (API.md, *Mail*).

use chrono::{DateTime, FixedOffset};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A guest's invitation, with its PDF and calendar file.
    Invitation,
}

/// Where a message stands: queued → sending → sent; sending → retrying (a temporary failure)
/// → sending; → failed (permanent, or out of tries); withheld (no address, or a suppressed
/// one); cancelled before it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum MessageState {
    Queued,
    Sending,
    Sent,
    Retrying,
    Failed,
    Withheld,
    Cancelled,
}

impl MessageState {
    /// Nothing more will happen to the message unless someone resends it.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Sent | Self::Failed | Self::Withheld | Self::Cancelled)
    }

    /// Vietnamese name for pages.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Queued => "Chờ gửi",
            Self::Sending => "Đang gửi",
            Self::Sent => "Đã gửi",
            Self::Retrying => "Sẽ gửi lại",
            Self::Failed => "Không gửi được",
            Self::Withheld => "Không gửi",
            Self::Cancelled => "Đã hủy",
        }
    }
}

/// A message of the log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailMessage {
    pub id: i32,
    pub participant_id: i32,
    pub festival_id: i32,
    pub job_id: Option<i32>,
    /// Null when the participant has no e-mail.
    pub to: Option<String>,
    pub subject: String,
    pub state: MessageState,
    pub attempts: i32,
    /// Why the last try failed, or why the message is withheld (Vietnamese or the server's words).
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<FixedOffset>>,
    pub next_attempt_at: Option<DateTime<FixedOffset>>,
}

/// `POST /api/v1/festivals/{id}/invitations/send` body (kept as the job's parameters).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct SendInvitations {
    /// Only these participants (each must be invited); default every invited participant.
    pub participant_ids: Option<Vec<i32>>,
    /// Send again to those who already have an invitation queued or sent.
    #[serde(default)]
    pub resend: bool,
}

/// `202` answer of a send: the job that follows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SendAccepted {
    pub job_id: i32,
    /// Messages queued.
    pub total: i32,
    /// Participants without a usable address.
    pub withheld: i32,
}

/// `GET /api/v1/messages` filters.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageFilter {
    pub state: Option<MessageState>,
    pub festival: Option<i32>,
    pub job: Option<i32>,
    /// Part of the recipient's name, e-mail, phone or CCCD, accent- and case-insensitive.
    pub q: Option<String>,
}
