//! Types of festivals, programmes, committees and plans.

use chrono::{DateTime, FixedOffset, NaiveDate};
use sea_orm::entity::prelude::StringLen;
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::areas::model::HostKind;
use crate::error::FieldError;
use crate::text::Line;

/// Where a festival stands. Allowed changes are in [`FestivalStatus::can_become`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum FestivalStatus {
    Planned,
    Approved,
    Held,
    Reported,
    Cancelled,
}

impl FestivalStatus {
    /// planned → approved → held → reported; planned or approved → cancelled. Nothing else.
    pub fn can_become(self, next: Self) -> bool {
        use FestivalStatus::*;
        matches!(
            (self, next),
            (Planned, Approved) | (Approved, Held) | (Held, Reported) | (Planned | Approved, Cancelled)
        )
    }

    /// Details can be edited until the festival is reported or cancelled.
    pub fn is_editable(self) -> bool {
        !matches!(self, Self::Reported | Self::Cancelled)
    }

    /// A report is recorded once the festival is held, and corrected once reported.
    pub fn takes_report(self) -> bool {
        matches!(self, Self::Held | Self::Reported)
    }

    /// Only a festival that never took place can be deleted.
    pub fn is_deletable(self) -> bool {
        matches!(self, Self::Planned | Self::Cancelled)
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::Planned => "Dự kiến",
            Self::Approved => "Đã duyệt",
            Self::Held => "Đã tổ chức",
            Self::Reported => "Đã báo cáo",
            Self::Cancelled => "Đã hủy",
        }
    }
}

/// The two parts of the programme (DOMAIN.md, *A festival*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(3))")]
pub enum ProgrammePart {
    /// Phần lễ: the ceremony.
    #[sea_orm(string_value = "le")]
    #[serde(rename = "le")]
    Ceremony,
    /// Phần hội: performances, sports, folk games.
    #[sea_orm(string_value = "hoi")]
    #[serde(rename = "hoi")]
    Festivities,
}

impl ProgrammePart {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Ceremony => "Phần lễ",
            Self::Festivities => "Phần hội",
        }
    }
}

/// Roles in the organizing committee (ban tổ chức).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum CommitteeRole {
    Head,
    Deputy,
    Member,
    Secretary,
}

impl CommitteeRole {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Head => "Trưởng ban",
            Self::Deputy => "Phó trưởng ban",
            Self::Member => "Thành viên",
            Self::Secretary => "Thư ký",
        }
    }
}

pub type FestivalTitle = Line<300>;
pub type Venue = Line<300>;

/// A festival year: 2000 to 2100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Year(i32);

impl Year {
    pub fn parse(year: i32) -> Result<Self, String> {
        if (2000..=2100).contains(&year) {
            Ok(Self(year))
        } else {
            Err("Năm phải từ 2000 đến 2100.".into()) // "The year must be 2000 to 2100."
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// A festival as the API shows it; times are RFC 3339 in Vietnam time (+07:00).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Festival {
    pub id: i32,
    pub host_id: i32,
    pub host_name: String,
    pub host_kind: HostKind,
    /// The host's commune.
    pub unit_code: String,
    pub unit_name: String,
    pub province_code: String,
    pub year: i32,
    pub title: String,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub venue: String,
    /// Seats for public registration; null = unlimited.
    pub capacity: Option<i32>,
    pub registration_open: bool,
    pub waitlist: bool,
    /// The issuer in whose name invitations are issued (`Số: NN/GM-{symbol}`); null until set.
    pub issuer_id: Option<i32>,
    pub status: FestivalStatus,
    /// Identifies the public page `/f/{slug}`.
    pub slug: String,
    pub budget_note: String,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    /// E.g. a date outside the window of the yearly plan.
    pub warnings: Vec<FieldError>,
}

/// `POST /api/v1/festivals` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewFestival {
    pub host_id: i32,
    pub year: i32,
    /// Default: "Ngày hội Toàn dân bảo vệ an ninh Tổ quốc năm {year}".
    pub title: Option<String>,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
    pub venue: String,
    /// Null or absent = unlimited.
    pub capacity: Option<u32>,
    /// Default false.
    pub registration_open: Option<bool>,
    /// Default true.
    pub waitlist: Option<bool>,
    pub budget_note: Option<String>,
}

/// `PATCH /api/v1/festivals/{id}` body; absent fields stay, `"capacity": null` = unlimited.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct FestivalChanges {
    pub year: Option<i32>,
    pub title: Option<String>,
    pub starts_at: Option<DateTime<FixedOffset>>,
    pub ends_at: Option<DateTime<FixedOffset>>,
    pub venue: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<u32>)]
    pub capacity: Option<Option<u32>>,
    pub registration_open: Option<bool>,
    pub waitlist: Option<bool>,
    pub budget_note: Option<String>,
    /// The issuer of the invitations (`GET /api/v1/issuers`); `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>)]
    pub issuer_id: Option<Option<i32>>,
}

/// Tells a field sent as `null` (`Some(None)`) from one left out (`None`, by `#[serde(default)]`).
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// `POST /api/v1/festivals/{id}/status` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StatusChange {
    pub status: FestivalStatus,
}

/// `GET /api/v1/festivals` filters.
#[derive(Debug, Default, Clone, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FestivalFilter {
    pub year: Option<i32>,
    /// A province code (all its communes) or a commune code.
    pub unit: Option<String>,
    pub status: Option<FestivalStatus>,
    pub host: Option<i32>,
    /// Part of the host's name, accent- and case-insensitive.
    pub q: Option<String>,
    /// Festivals starting on or after this day (Vietnam time).
    pub from: Option<NaiveDate>,
    /// Festivals starting on or before this day (Vietnam time).
    pub to: Option<NaiveDate>,
}

/// One line of the programme, in order. Used for both request and response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProgrammeItem {
    pub part: ProgrammePart,
    /// Local clock time `HH:MM`.
    pub starts_at: Option<String>,
    pub title: String,
    pub presenter: Option<String>,
}

/// One member of the organizing committee, in order. Used for both request and response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CommitteeMember {
    pub full_name: String,
    pub role: CommitteeRole,
    /// Position, e.g. "Trưởng Công an xã".
    pub title: Option<String>,
}

/// Whose window applies to a festival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanSource {
    /// The unit's own plan.
    Own,
    /// The province's plan (for a commune without its own).
    Province,
    /// No plan: 01/07 to 19/08.
    Default,
}

/// A unit's yearly plan, or the one that applies to it (`source`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Plan {
    pub unit_code: String,
    pub year: i32,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub notes: String,
    pub source: PlanSource,
}

/// `PUT /api/v1/plans/{unit_code}/{year}` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PlanInput {
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub notes: Option<String>,
}
