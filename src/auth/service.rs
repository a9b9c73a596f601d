//! Rules for accounts: login with limits, and users created or changed only inside the
//! actor's scope with a role no higher than the actor's.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, Set, TransactionTrait};
use serde::Serialize;

use super::audit::{self, Action};
use super::model::{Actor, NewUser, Place, Role, Scope, User, UserChanges, UserFilter};
use super::search_keys::key_of;
use super::tokens::{self, TokenKind};
use super::{password, rate_limit, repo};
use crate::areas::model::UnitLevel;
use crate::areas::repo as areas_repo;
use crate::entities::user;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::list::{Page, Paging, search_key};
use crate::text::Line;
use crate::time::to_local;

/// A successful login: the token secret (shown once), its expiry and the user.
#[derive(Debug)]
pub struct Login {
    pub secret: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

/// Checks the password and issues a token of `kind`.
/// Errors: 401 with one message whether the e-mail is unknown, the password wrong or the
/// account disabled; 429 after `limit` failures in 15 minutes for the account or the address.
pub async fn login(
    db: &DatabaseConnection,
    limit: u32,
    email: &str,
    password: &str,
    client: IpAddr,
    kind: TokenKind,
) -> AppResult<Login> {
    let email = email.trim().to_lowercase();
    let keys = [format!("email:{email}"), format!("ip:{client}")];
    rate_limit::check(db, &keys, limit).await?;
    let account = repo::find_by_email(db, &email).await?;
    let phc = account.as_ref().map_or_else(|| password::decoy_hash().to_owned(), |user| user.password_hash.clone());
    let attempt = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || password::verify(&attempt, &phc))
        .await
        .map_err(|err| AppError::Internal(err.into()))?;
    let Some(account) = account.filter(|user| matches && !user.disabled) else {
        rate_limit::record_failure(db, &keys).await?;
        // "Wrong e-mail or password."
        return Err(AppError::Unauthorized("Email hoặc mật khẩu không đúng.".into()));
    };
    let txn = db.begin().await?;
    let (secret, expires_at) = tokens::issue(&txn, account.id, kind).await?;
    let actor = actor_of(&account);
    audit::record(&txn, &actor, Action::Login, "user", account.id, Some(&user_place(&account)), "Đăng nhập").await?;
    txn.commit().await?;
    Ok(Login { secret, expires_at, user: present(account) })
}

/// Revokes the login `secret` of `actor`.
pub async fn logout(db: &DatabaseConnection, actor: &Actor, secret: &str) -> AppResult<()> {
    let txn = db.begin().await?;
    tokens::revoke(&txn, secret).await?;
    if let Some(id) = actor.user_id {
        audit::record(&txn, actor, Action::Logout, "user", id, None, "Đăng xuất").await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The actor holding a valid token with this secret, if any.
pub async fn actor_for(db: &impl ConnectionTrait, secret: &str) -> AppResult<Option<(Actor, User)>> {
    Ok(tokens::holder(db, secret).await?.map(|user| (actor_of(&user), present(user))))
}

/// The acting identity of a stored user.
pub fn actor_of(user: &user::Model) -> Actor {
    let province = user.province_code.clone().unwrap_or_default();
    let commune = user.unit_code.clone().unwrap_or_default();
    let scope = match (user.role, user.host_id) {
        (Role::Admin, _) => Scope::Country,
        (Role::Province, _) => Scope::Province(province),
        (Role::Commune, _) => Scope::Commune { province, commune },
        (Role::Host, host_id) => Scope::Host { province, commune, host_id: host_id.unwrap_or_default() },
    };
    Actor { user_id: Some(user.id), email: user.email.clone(), role: user.role, scope }
}

/// Where a user's scope is, for scope checks on the user itself.
fn user_place(user: &user::Model) -> Place {
    Place {
        province: user.province_code.clone().unwrap_or_default(),
        commune: match user.role {
            Role::Commune | Role::Host => user.unit_code.clone(),
            Role::Admin | Role::Province => None,
        },
        host_id: user.host_id,
    }
}

fn present(user: user::Model) -> User {
    User {
        id: user.id,
        email: user.email,
        full_name: user.full_name,
        role: user.role,
        unit_code: user.unit_code,
        host_id: user.host_id,
        disabled: user.disabled,
        created_at: to_local(user.created_at),
    }
}

/// The stored scope columns of a role.
struct ScopeColumns {
    unit_code: Option<String>,
    province_code: Option<String>,
    host_id: Option<i32>,
}

impl ScopeColumns {
    fn place(&self, role: Role) -> Place {
        Place {
            province: self.province_code.clone().unwrap_or_default(),
            commune: matches!(role, Role::Commune | Role::Host).then(|| self.unit_code.clone()).flatten(),
            host_id: self.host_id,
        }
    }
}

/// What a role's scope needs: nothing (admin), a province, a commune, or a host.
/// Field errors name `unit_code` or `host_id`.
async fn scope_columns(
    db: &impl ConnectionTrait,
    role: Role,
    unit_code: Option<&str>,
    host_id: Option<i32>,
    errors: &mut FieldErrors,
) -> AppResult<Option<ScopeColumns>> {
    let unit = match unit_code {
        Some(code) => areas_repo::find_unit(db, code.trim()).await?,
        None => None,
    };
    let columns = match role {
        Role::Admin => Ok(ScopeColumns { unit_code: None, province_code: None, host_id: None }),
        Role::Province => match unit {
            Some(unit) if unit.level == UnitLevel::Province => {
                Ok(ScopeColumns { province_code: Some(unit.code.clone()), unit_code: Some(unit.code), host_id: None })
            }
            // "A province user needs a province code."
            _ => Err(("unit_code", "Tài khoản cấp tỉnh cần mã tỉnh/thành phố hợp lệ.")),
        },
        Role::Commune => match unit {
            Some(unit) if unit.level == UnitLevel::Commune => {
                Ok(ScopeColumns { province_code: unit.parent_code.clone(), unit_code: Some(unit.code), host_id: None })
            }
            // "A commune user needs a commune code."
            _ => Err(("unit_code", "Tài khoản cấp xã cần mã xã/phường hợp lệ.")),
        },
        Role::Host => match host_id {
            Some(id) => match areas_repo::find_host(db, id).await? {
                Some(host) => Ok(ScopeColumns {
                    unit_code: Some(host.unit_code),
                    province_code: Some(host.province_code),
                    host_id: Some(host.id),
                }),
                None => Err(("host_id", "Đơn vị tổ chức không tồn tại.")), // "No such host."
            },
            // "A host user needs a host."
            None => Err(("host_id", "Tài khoản đơn vị cần chọn đơn vị tổ chức.")),
        },
    };
    Ok(columns.map_err(|(field, message)| errors.add(field, message)).ok())
}

fn parse_email(raw: &str) -> Result<String, String> {
    let email = raw.trim().to_lowercase();
    if email_address::EmailAddress::is_valid(&email) {
        Ok(email)
    } else {
        Err("Địa chỉ email không hợp lệ.".into()) // "Invalid e-mail address."
    }
}

async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|err| AppError::Internal(err.into()))?
        .map_err(AppError::Internal)
}

// "Another account uses this e-mail."
const EMAIL_TAKEN: &str = "Email này đã có tài khoản.";

/// Errors: 403 for a role above the actor's or a scope outside it; 409 naming `email` when
/// taken; 422 naming `email`, `password`, `full_name`, `unit_code` or `host_id`.
pub async fn create_user(db: &DatabaseConnection, actor: &Actor, input: NewUser) -> AppResult<User> {
    let mut errors = FieldErrors::default();
    let email = errors.check("email", parse_email(&input.email));
    let strong = errors.check("password", password::check_strength(&input.password));
    let full_name = errors.check("full_name", Line::<120>::parse(&input.full_name));
    let scope = scope_columns(db, input.role, input.unit_code.as_deref(), input.host_id, &mut errors).await?;
    let (Some(email), Some(()), Some(full_name), Some(scope)) = (email, strong, full_name, scope) else {
        return Err(errors.into());
    };
    let place = scope.place(input.role);
    if !actor.at_least(input.role) || !actor.covers(&place) {
        return Err(AppError::forbidden());
    }
    if repo::find_by_email(db, &email).await?.is_some() {
        return Err(AppError::conflict("email", EMAIL_TAKEN));
    }
    let password_hash = hash_password(input.password).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let created = user::ActiveModel {
        search_key: Set(key_of(full_name.as_str(), &email)),
        email: Set(email),
        full_name: Set(full_name.into_inner()),
        password_hash: Set(password_hash),
        role: Set(input.role),
        unit_code: Set(scope.unit_code),
        province_code: Set(scope.province_code),
        host_id: Set(scope.host_id),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| AppError::from_unique(err, "email", EMAIL_TAKEN))?;
    let summary = format!("Tạo tài khoản {} ({})", created.email, created.role.label());
    audit::record(&txn, actor, Action::Create, "user", created.id, Some(&place), summary).await?;
    txn.commit().await?;
    Ok(present(created))
}

/// Users inside the actor's scope matching `filter`.
pub async fn list_users(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: &UserFilter,
    paging: Paging,
) -> AppResult<Page<User>> {
    let search = search_key(filter.q.as_deref());
    Ok(repo::list(db, &actor.area(), search.as_deref(), paging).await?.map(present))
}

/// A user as the pages show one: with the role's label and the names of the scope's unit (the
/// province of a province user, the commune of a commune or host user) and host.
#[derive(Debug, Clone, Serialize)]
pub struct UserListing {
    #[serde(flatten)]
    pub user: User,
    pub role_label: &'static str,
    pub unit_name: Option<String>,
    pub host_name: Option<String>,
}

/// `users` with the names of their units and hosts, looked up in two queries for the lot.
pub async fn with_scope_names(db: &impl ConnectionTrait, users: Vec<User>) -> AppResult<Vec<UserListing>> {
    let units = areas_repo::unit_names(db, users.iter().filter_map(|user| user.unit_code.clone())).await?;
    let host_ids = users.iter().filter_map(|user| user.host_id);
    let hosts = areas_repo::host_names(db, host_ids).await?;
    Ok(users
        .into_iter()
        .map(|user| UserListing {
            role_label: user.role.label(),
            unit_name: user.unit_code.as_ref().and_then(|code| units.get(code).cloned()),
            host_name: user.host_id.and_then(|id| hosts.get(&id).cloned()),
            user,
        })
        .collect())
}

/// Errors: 404 when unknown or outside the actor's scope.
async fn find_visible(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<user::Model> {
    repo::find(db, id)
        .await?
        .filter(|user| actor.covers(&user_place(user)))
        // "No account number …"
        .ok_or_else(|| AppError::not_found(format!("Không tìm thấy tài khoản số {id}.")))
}

/// Errors: 404 when unknown or outside the actor's scope.
pub async fn get_user(db: &impl ConnectionTrait, actor: &Actor, id: i32) -> AppResult<User> {
    find_visible(db, actor, id).await.map(present)
}

/// Changes role, scope, name, password or the disabled flag. Disabling or a new password
/// ends the user's logins. Errors: 404 outside the scope; 403 for a user or role above the
/// actor's, or a new scope outside it; 409 when disabling oneself; 422 per field.
pub async fn update_user(db: &DatabaseConnection, actor: &Actor, id: i32, changes: UserChanges) -> AppResult<User> {
    let current = find_visible(db, actor, id).await?;
    let role = changes.role.unwrap_or(current.role);
    if !actor.at_least(current.role) || !actor.at_least(role) {
        return Err(AppError::forbidden());
    }
    if changes.disabled == Some(true) && actor.user_id == Some(id) {
        // "You cannot disable your own account."
        return Err(AppError::state_conflict("Không thể tự khóa tài khoản của chính mình."));
    }
    let mut errors = FieldErrors::default();
    let full_name = match &changes.full_name {
        Some(raw) => errors.check("full_name", Line::<120>::parse(raw)).map(Line::into_inner),
        None => Some(current.full_name.clone()),
    };
    let rescoped = changes.role.is_some() || changes.unit_code.is_some() || changes.host_id.is_some();
    let unit_code = changes.unit_code.clone().or_else(|| current.unit_code.clone());
    let host_id = changes.host_id.or(current.host_id);
    let scope = scope_columns(db, role, unit_code.as_deref(), host_id, &mut errors).await?;
    if let Some(password) = &changes.password {
        errors.check("password", password::check_strength(password));
    }
    let (Some(full_name), Some(scope), true) = (full_name, scope, errors.is_empty()) else {
        return Err(errors.into());
    };
    let place = scope.place(role);
    if rescoped && !actor.covers(&place) {
        return Err(AppError::forbidden());
    }
    let password_hash = match changes.password {
        Some(password) => Some(hash_password(password).await?),
        None => None,
    };
    let ends_logins = password_hash.is_some() || changes.disabled == Some(true);
    let key = key_of(&full_name, &current.email);
    let txn = db.begin().await?;
    let mut active: user::ActiveModel = current.into();
    active.full_name = Set(full_name);
    active.search_key = Set(key);
    active.role = Set(role);
    active.unit_code = Set(scope.unit_code);
    active.province_code = Set(scope.province_code);
    active.host_id = Set(scope.host_id);
    if let Some(disabled) = changes.disabled {
        active.disabled = Set(disabled);
    }
    if let Some(hash) = password_hash {
        active.password_hash = Set(hash);
    }
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    if ends_logins {
        tokens::revoke_all(&txn, id).await?;
    }
    let summary = format!("Cập nhật tài khoản {}", updated.email);
    audit::record(&txn, actor, Action::Update, "user", id, Some(&place), summary).await?;
    txn.commit().await?;
    Ok(present(updated))
}
