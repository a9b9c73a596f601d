use sea_orm::entity::prelude::*;

use crate::jobs::model::{JobKind, JobState};

/// A long piece of work done in the background (a batch print, a mailing), with its progress.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: JobKind,
    pub state: JobState,
    pub festival_id: Option<i32>,
    pub decision_id: Option<i32>,
    /// What was asked, JSON.
    pub params: String,
    pub total: i32,
    pub done: i32,
    pub failed: i32,
    pub withheld: i32,
    pub error: Option<String>,
    /// While running: the instance working on it renews this; once past, another takes over.
    pub lease_until: Option<DateTimeUtc>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
