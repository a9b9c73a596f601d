use sea_orm::entity::prelude::*;

use crate::participants::model::{ParticipantRole, Registration, Rsvp, Sex};

/// A person taking part in one festival: resident, guest, official, performer or volunteer.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub festival_id: i32,
    pub full_name: String,
    pub given_name: String,
    /// ICU "vi" sort key of given, middle, family name (`participants::names`).
    pub name_sort_key: Vec<u8>,
    /// Full name without case or accents, for the duplicate check with `phone`.
    pub name_key: String,
    /// Folded name, phone, e-mail and CCCD for accent-insensitive search.
    pub search_key: String,
    pub sex: Option<Sex>,
    pub role: ParticipantRole,
    pub title: Option<String>,
    pub organization: Option<String>,
    pub email: Option<String>,
    /// National form, e.g. `0912345678`.
    pub phone: Option<String>,
    pub cccd: Option<String>,
    pub address: Option<String>,
    pub invited: bool,
    pub registered_at: Option<DateTimeUtc>,
    pub registration: Option<Registration>,
    pub rsvp: Rsvp,
    pub rsvp_token_hash: Option<String>,
    #[sea_orm(unique)]
    pub checkin_code: String,
    pub checked_in_at: Option<DateTimeUtc>,
    /// `07/GM-UBND`, given at the first print or mailing of the invitation, kept for reprints.
    pub invitation_number: Option<String>,
    /// The date printed on the invitation.
    pub invitation_issued_on: Option<Date>,
    /// The RSVP token printed on the invitation, so that a reprint carries a working link.
    pub invitation_token: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "festival_id", to = "id")]
    pub festival: BelongsTo<super::festival::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
