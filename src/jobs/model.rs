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

impl Job {
    /// Items dealt with: done, failed or held back; a mailing ends at 100 % with some not sent.
    pub fn handled(&self) -> i32 {
        self.done + self.failed + self.withheld
    }

    /// [`Job::handled`] of `total` in whole percent; a job of nothing is at 100 % once done.
    pub fn percent(&self) -> i32 {
        match self.total {
            0 if self.state == JobState::Done => 100,
            0 => 0,
            total => i32::try_from(i64::from(self.handled()) * 100 / i64::from(total)).unwrap_or(100),
        }
    }
}

/// What a job is about, for the way back to it.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum About {
    /// The festival of `host_name` in `year`.
    Festival { id: i32, host_name: String, year: i32 },
    /// The decision numbered `number`.
    Decision { id: i32, number: String },
}

/// A job as the pages show it: what it is about, and its progress worked out once.
#[derive(Debug, Clone, Serialize)]
pub struct JobListing {
    #[serde(flatten)]
    pub job: Job,
    pub about: Option<About>,
    /// [`Job::handled`].
    pub handled: i32,
    /// [`Job::percent`].
    pub percent: i32,
}

impl JobListing {
    /// `job` about `about`, its progress worked out.
    pub fn new(job: Job, about: Option<About>) -> Self {
        Self { handled: job.handled(), percent: job.percent(), job, about }
    }
}
