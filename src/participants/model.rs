//! Types of participants (API.md, *People*).

use chrono::{DateTime, FixedOffset};
use sea_orm::entity::prelude::StringLen;
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(6))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// "Nam" (male) or "Nữ" (female).
    pub fn label(&self) -> &'static str {
        match self {
            Self::Male => "Nam",
            Self::Female => "Nữ",
        }
    }

    /// Takes the code or the Vietnamese word ("Nam", "Nữ"), case- and accent-insensitively.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match crate::text::fold(raw).as_str() {
            "male" | "nam" | "m" => Ok(Self::Male),
            "female" | "nu" | "f" => Ok(Self::Female),
            _ => Err("Giới tính là “Nam” hoặc “Nữ”.".into()), // "Sex is "Nam" or "Nữ"."
        }
    }
}

/// Why a person takes part (API.md, *People*).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ParticipantRole {
    /// Người dân: a resident of the area.
    #[default]
    Resident,
    /// Khách mời: an invited guest.
    Guest,
    /// Đại biểu: an official (leaders of the commune, police, mass organizations).
    Official,
    /// Biểu diễn: a performer.
    Performer,
    /// Tình nguyện viên: a volunteer.
    Volunteer,
}

impl ParticipantRole {
    pub const ALL: [Self; 5] = [Self::Resident, Self::Guest, Self::Official, Self::Performer, Self::Volunteer];

    pub fn label(&self) -> &'static str {
        match self {
            Self::Resident => "Người dân",
            Self::Guest => "Khách mời",
            Self::Official => "Đại biểu",
            Self::Performer => "Biểu diễn",
            Self::Volunteer => "Tình nguyện viên",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Resident => "resident",
            Self::Guest => "guest",
            Self::Official => "official",
            Self::Performer => "performer",
            Self::Volunteer => "volunteer",
        }
    }

    /// Takes the code or the Vietnamese label, case- and accent-insensitively (spreadsheets).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let folded = crate::text::fold(raw);
        Self::ALL
            .into_iter()
            .find(|role| folded == role.code() || folded == crate::text::fold(role.label()))
            .ok_or_else(
                // "Role is one of: Người dân, Khách mời, Đại biểu, Biểu diễn, Tình nguyện viên."
                || "Vai trò là một trong: Người dân, Khách mời, Đại biểu, Biểu diễn, Tình nguyện viên.".into(),
            )
    }
}

/// A public registrant's seat: confirmed, or waiting for one to free up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(12))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Registration {
    Confirmed,
    Waitlisted,
}

impl Registration {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Confirmed => "Đã có chỗ",
            Self::Waitlisted => "Danh sách chờ",
        }
    }
}

/// The answer to an invitation or registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Rsvp {
    Pending,
    Accepted,
    Declined,
}

impl Rsvp {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Pending => "Chưa trả lời",
            Self::Accepted => "Sẽ tham dự",
            Self::Declined => "Không tham dự",
        }
    }
}

/// A participant as the API shows it; times RFC 3339 in Vietnam time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Participant {
    pub id: i32,
    pub festival_id: i32,
    pub full_name: String,
    pub given_name: String,
    pub sex: Option<Sex>,
    pub role: ParticipantRole,
    pub title: Option<String>,
    pub organization: Option<String>,
    pub email: Option<String>,
    /// National form, e.g. `0912345678`.
    pub phone: Option<String>,
    /// Citizen identity number, 12 digits.
    pub cccd: Option<String>,
    pub address: Option<String>,
    pub invited: bool,
    /// Public registrants only: a seat, or a place on the waitlist.
    pub registration: Option<Registration>,
    pub rsvp: Rsvp,
    /// Printed in the invitation's QR code and typed at the entrance.
    pub checkin_code: String,
    pub checked_in_at: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    /// Soft checks, e.g. a CCCD whose birth year is impossible.
    pub warnings: Vec<FieldError>,
}

/// `POST /api/v1/festivals/{id}/participants` body. Text is cleaned (NFC, trimmed).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewParticipant {
    pub full_name: String,
    /// Default: the last word of `full_name`.
    pub given_name: Option<String>,
    pub sex: Option<Sex>,
    pub role: ParticipantRole,
    /// Default false.
    pub invited: Option<bool>,
    pub email: Option<String>,
    /// Mobile (10 digits, 03/05/07/08/09) or landline (11 digits, 02x); `+84`, spaces and dots allowed.
    pub phone: Option<String>,
    pub cccd: Option<String>,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub address: Option<String>,
}

/// `PATCH /api/v1/participants/{id}` body: absent fields stay; an empty string clears a field.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ParticipantChanges {
    pub full_name: Option<String>,
    pub given_name: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "crate::festivals::model::nullable")]
    #[schema(value_type = Option<Sex>)]
    pub sex: Option<Option<Sex>>,
    pub role: Option<ParticipantRole>,
    pub invited: Option<bool>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub cccd: Option<String>,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub address: Option<String>,
}

/// How a participant list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantSort {
    /// Vietnamese order: given name, then middle, then family name.
    #[default]
    Name,
    /// Newest first.
    Created,
}

/// `GET /api/v1/festivals/{id}/participants` filters.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ParticipantFilter {
    pub sort: Option<ParticipantSort>,
    pub role: Option<ParticipantRole>,
    /// Part of the name, phone, e-mail or CCCD; accent- and case-insensitive.
    pub q: Option<String>,
    pub registration: Option<Registration>,
    pub rsvp: Option<Rsvp>,
    pub invited: Option<bool>,
}

/// How many people stand where; shown live on the festival page.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ParticipantCounts {
    pub total: u64,
    pub invited: u64,
    pub confirmed: u64,
    pub waitlisted: u64,
    pub accepted: u64,
    pub declined: u64,
    pub checked_in: u64,
    /// Invited people without an e-mail address: their e-mailed invitation is withheld.
    pub invited_without_email: u64,
    /// Seats for public registration; null = unlimited.
    pub capacity: Option<i32>,
}

/// `POST /api/v1/public/festivals/{slug}/registrations` body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewRegistration {
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// A field people never see; bots fill it in, and their registration is dropped.
    #[serde(default)]
    pub website: Option<String>,
}

/// The answer to a public registration.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegistrationReceipt {
    pub status: Registration,
    /// Absolute link of the RSVP page (from `BASE_URL`), to decline later.
    pub rsvp_url: String,
    pub checkin_code: String,
    /// 1-based place on the waitlist, when waitlisted.
    pub waitlist_position: Option<u64>,
}

/// `POST /api/v1/rsvp/{token}` body.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
pub struct RsvpAnswer {
    pub response: RsvpResponse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RsvpResponse {
    Accept,
    Decline,
}

/// What the RSVP page and API show the invited person: their own name and the festival, nothing else.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RsvpView {
    pub full_name: String,
    pub festival_title: String,
    pub festival_slug: String,
    pub host_name: String,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub venue: String,
    pub rsvp: Rsvp,
    pub registration: Option<Registration>,
    /// 1-based place on the waitlist, when waitlisted.
    pub waitlist_position: Option<u64>,
    pub checkin_code: String,
    /// Set when answers can no longer change: the festival was cancelled or is over.
    pub closed_reason: Option<&'static str>,
}

/// `POST /api/v1/festivals/{id}/checkins` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CheckinRequest {
    /// The check-in code from the invitation's QR, or typed; spaces, dashes and case do not matter.
    pub code: String,
}
