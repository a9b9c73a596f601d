//! Roles, scopes, the acting user and the account types of the API.

use chrono::{DateTime, FixedOffset, NaiveDate};
use sea_orm::entity::prelude::StringLen;
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::areas::model::{Area, UnitLevel};
use crate::entities::{admin_unit, host};
use crate::error::{AppError, AppResult};

/// An officer's level. A user may create or change users of their own rank or lower only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(20))", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, everywhere.
    Admin,
    /// One province (tỉnh / thành phố) and everything in it.
    Province,
    /// One commune (xã / phường / đặc khu), e.g. the commune police.
    Commune,
    /// One host: a residential area, agency, enterprise or school.
    Host,
}

impl Role {
    /// Higher is more powerful: admin 4, province 3, commune 2, host 1.
    pub fn rank(self) -> u8 {
        match self {
            Self::Admin => 4,
            Self::Province => 3,
            Self::Commune => 2,
            Self::Host => 1,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::Admin => "Quản trị hệ thống",
            Self::Province => "Cấp tỉnh",
            Self::Commune => "Cấp xã",
            Self::Host => "Đơn vị tổ chức",
        }
    }
}

/// The subtree of the administrative map a user works in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Country,
    Province(String),
    Commune { province: String, commune: String },
    Host { province: String, commune: String, host_id: i32 },
}

/// Where something is: its province, and its commune and host when it has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub province: String,
    pub commune: Option<String>,
    pub host_id: Option<i32>,
}

impl Place {
    /// A host's place: its province, commune and itself.
    pub fn of_host(host: &host::Model) -> Self {
        Self { province: host.province_code.clone(), commune: Some(host.unit_code.clone()), host_id: Some(host.id) }
    }

    /// A province's or commune's place.
    pub fn of_unit(unit: &admin_unit::Model) -> Self {
        match (unit.level, &unit.parent_code) {
            (UnitLevel::Commune, Some(province)) => {
                Self { province: province.clone(), commune: Some(unit.code.clone()), host_id: None }
            }
            _ => Self { province: unit.code.clone(), commune: None, host_id: None },
        }
    }
}

/// Who is acting: a logged-in user, or the system itself (command line, demo loader).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub email: String,
    pub role: Role,
    pub scope: Scope,
}

impl Actor {
    /// The service acting on its own behalf, with an admin's reach.
    pub fn system() -> Self {
        Self { user_id: None, email: "system".into(), role: Role::Admin, scope: Scope::Country }
    }

    /// The one answer to "may this user act on this place?": is `place` inside the scope?
    pub fn covers(&self, place: &Place) -> bool {
        match &self.scope {
            Scope::Country => true,
            Scope::Province(code) => place.province == *code,
            Scope::Commune { commune, .. } => place.commune.as_ref() == Some(commune),
            Scope::Host { host_id, .. } => place.host_id == Some(*host_id),
        }
    }

    /// Whether the actor works inside `place` (a province or commune): a commune or host
    /// officer works within their commune and their province; a province officer within the
    /// province. Officers may address bodies above them, e.g. propose to the commune's issuer.
    pub fn works_within(&self, place: &Place) -> bool {
        let (province, commune) = match &self.scope {
            Scope::Country => return false,
            Scope::Province(province) => (province, None),
            Scope::Commune { province, commune } | Scope::Host { province, commune, .. } => (province, Some(commune)),
        };
        place.province == *province
            && match &place.commune {
                None => true,
                Some(place_commune) => Some(place_commune) == commune,
            }
    }

    /// The scope as a list filter, applied in SQL.
    pub fn area(&self) -> Area {
        match &self.scope {
            Scope::Country => Area::Country,
            Scope::Province(code) => Area::Province(code.clone()),
            Scope::Commune { commune, .. } => Area::Commune(commune.clone()),
            Scope::Host { host_id, .. } => Area::Host(*host_id),
        }
    }

    /// Whether the role is `role` or more powerful.
    pub fn at_least(&self, role: Role) -> bool {
        self.role.rank() >= role.rank()
    }

    /// For reading: something outside the scope is answered as not found (`missing`), so its
    /// existence does not leak.
    pub fn ensure_sees(&self, place: &Place, missing: impl FnOnce() -> AppError) -> AppResult<()> {
        if self.covers(place) { Ok(()) } else { Err(missing()) }
    }

    /// For acting: a place outside the scope is forbidden (403).
    pub fn ensure_covers(&self, place: &Place) -> AppResult<()> {
        if self.covers(place) { Ok(()) } else { Err(AppError::forbidden()) }
    }

    /// Errors: 403 when the role is below `role`.
    pub fn ensure_role(&self, role: Role) -> AppResult<()> {
        if self.at_least(role) { Ok(()) } else { Err(AppError::forbidden()) }
    }
}

/// An account as the API shows it (never the password hash).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: i32,
    pub email: String,
    pub full_name: String,
    pub role: Role,
    /// Province or commune of the scope (a host user's commune); null for admins.
    pub unit_code: Option<String>,
    pub host_id: Option<i32>,
    pub disabled: bool,
    pub created_at: DateTime<FixedOffset>,
}

/// `POST /api/v1/users` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewUser {
    pub email: String,
    /// At least 10 characters.
    pub password: String,
    pub full_name: String,
    pub role: Role,
    /// A province code for `province`, a commune code for `commune`.
    pub unit_code: Option<String>,
    /// The host of a `host` user.
    pub host_id: Option<i32>,
}

/// `PATCH /api/v1/users/{id}` body; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct UserChanges {
    pub full_name: Option<String>,
    pub role: Option<Role>,
    pub unit_code: Option<String>,
    pub host_id: Option<i32>,
    pub disabled: Option<bool>,
    /// A new password, at least 10 characters.
    pub password: Option<String>,
}

/// `POST /api/v1/auth/login` body.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `POST /api/v1/auth/login` answer: send `Authorization: Bearer {token}` with API calls.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoginResponse {
    pub token: String,
    pub expires_at: DateTime<FixedOffset>,
    pub user: User,
}

/// One audit log entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEvent {
    pub id: i32,
    pub at: DateTime<FixedOffset>,
    pub user_id: Option<i32>,
    pub user_email: String,
    /// `create`, `update`, `delete`, `status`, `export`, `login`, `logout`.
    pub action: String,
    /// `host`, `festival`, `plan`, `programme`, `committee`, `user`, …
    pub entity: String,
    pub entity_id: String,
    pub unit_code: Option<String>,
    pub summary: String,
}

/// `GET /api/v1/users` filters.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// Part of the name or e-mail, accent- and case-insensitive.
    pub q: Option<String>,
}

/// `GET /api/v1/audit` filters; `from` and `to` are inclusive local dates.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    pub entity: Option<String>,
    /// A user id.
    pub user: Option<i32>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Part of the summary or the e-mail of who did it, accent- and case-insensitive.
    pub q: Option<String>,
}
