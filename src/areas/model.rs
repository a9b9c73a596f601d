//! Types of places and hosts.

use chrono::{DateTime, FixedOffset};
use sea_orm::entity::prelude::StringLen;
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::entities::{admin_unit, host};
use crate::text::Line;
use crate::time::to_local;

/// Level of an administrative unit since 1 July 2025: two levels of local government.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(10))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// Tỉnh or thành phố trung ương (34).
    Province,
    /// Xã, phường or đặc khu (3,321).
    Commune,
}

/// What kind of body holds a festival (DOMAIN.md, *A festival*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum HostKind {
    /// Khu dân cư: thôn, làng, ấp, bản, buôn, tổ dân phố, khu phố…
    ResidentialArea,
    Agency,
    Enterprise,
    School,
    Other,
}

impl HostKind {
    /// Vietnamese label for pages.
    pub fn label(&self) -> &'static str {
        match self {
            Self::ResidentialArea => "Khu dân cư",
            Self::Agency => "Cơ quan, đơn vị",
            Self::Enterprise => "Doanh nghiệp",
            Self::School => "Trường học",
            Self::Other => "Khác",
        }
    }
}

/// A province or commune as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unit {
    /// Official code, e.g. `79` (a province) or `27031` (a commune).
    pub code: String,
    pub name: String,
    /// As the official list writes it: `tỉnh`, `thành phố trung ương`, `xã`, `phường`, `đặc khu`.
    pub kind: String,
    pub level: UnitLevel,
    /// The province of a commune; null for a province.
    pub parent_code: Option<String>,
}

impl From<admin_unit::Model> for Unit {
    fn from(unit: admin_unit::Model) -> Self {
        Self { code: unit.code, name: unit.name, kind: unit.kind, level: unit.level, parent_code: unit.parent_code }
    }
}

/// `GET /api/v1/units` filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitFilter {
    /// Children of this unit; without it and without `q`, the provinces.
    pub parent: Option<String>,
    /// Part of the name, accent- and case-insensitive ("tan phu" finds "Tân Phú").
    pub q: Option<String>,
}

/// A host name: 1 to 200 characters.
pub type HostName = Line<200>;

/// A host as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Host {
    pub id: i32,
    pub name: String,
    pub kind: HostKind,
    /// The commune the host is in.
    pub unit_code: String,
    pub unit_name: String,
    pub province_code: String,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

impl Host {
    pub fn new(host: host::Model, unit_name: String) -> Self {
        Self {
            id: host.id,
            name: host.name,
            kind: host.kind,
            unit_code: host.unit_code,
            unit_name,
            province_code: host.province_code,
            created_at: to_local(host.created_at),
            updated_at: to_local(host.updated_at),
        }
    }
}

/// `POST /api/v1/hosts` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewHost {
    pub name: String,
    pub kind: HostKind,
    /// Code of the commune (xã, phường, đặc khu) the host is in.
    pub unit_code: String,
}

/// `PATCH /api/v1/hosts/{id}` body; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct HostChanges {
    pub name: Option<String>,
    pub kind: Option<HostKind>,
    pub unit_code: Option<String>,
}

/// `GET /api/v1/hosts` filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HostFilter {
    /// A commune code, or a province code for all its communes.
    pub unit: Option<String>,
    pub kind: Option<HostKind>,
    /// Part of the name, accent- and case-insensitive.
    pub q: Option<String>,
}

/// Where a list looks: the whole country, one province, one commune or one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Area {
    Country,
    Province(String),
    Commune(String),
    Host(i32),
}
