//! Jobs as the API shows them (API.md, *Mail*: `GET /api/v1/jobs/{id}`).

use chrono::{DateTime, FixedOffset};
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// A batch of invitations (giấy mời) as one PDF.
    PrintInvitations,
    /// A batch of certificates (giấy khen) as one PDF.
    PrintCertificates,
    /// Invitations e-mailed to a festival's guests; the mail workers send its messages.
    SendInvitations,
}

impl JobKind {
    /// Vietnamese name for pages.
    pub fn label(&self) -> &'static str {
        match self {
            Self::PrintInvitations => "In giấy mời",
            Self::PrintCertificates => "In giấy khen",
            Self::SendInvitations => "Gửi giấy mời qua email",
        }
    }
}

/// Jobs the job worker runs; sending jobs are done message by message by the mail workers.
pub const RUN_BY_WORKER: [JobKind; 2] = [JobKind::PrintInvitations, JobKind::PrintCertificates];

/// Where a job stands: queued → running → done | failed; queued or running → cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

impl JobState {
    /// Nothing more will happen to the job.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Done | Self::Failed | Self::Cancelled)
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::Queued => "Đang chờ",
            Self::Running => "Đang chạy",
            Self::Done => "Hoàn thành",
            Self::Failed => "Lỗi",
            Self::Cancelled => "Đã hủy",
        }
    }
}

/// A job and its progress: `done` of `total` items (pages, messages), of which `failed`
/// failed and `withheld` were held back (e.g. no e-mail address).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Job {
    pub id: i32,
    pub kind: JobKind,
    pub state: JobState,
    pub done: i32,
    pub total: i32,
    pub failed: i32,
    pub withheld: i32,
    /// Why the job failed (Vietnamese).
    pub error: Option<String>,
    pub festival_id: Option<i32>,
    pub decision_id: Option<i32>,
    /// `/api/v1/jobs/{id}/file` once a job that makes a file is done.
    pub download_url: Option<String>,
    pub created_at: DateTime<FixedOffset>,
    pub finished_at: Option<DateTime<FixedOffset>>,
}
