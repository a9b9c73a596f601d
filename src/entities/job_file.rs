use sea_orm::entity::prelude::*;

/// The file a job produced (the PDF of a batch print), to download once the job is done.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_files")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub job_id: i32,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

impl ActiveModelBehavior for ActiveModel {}
