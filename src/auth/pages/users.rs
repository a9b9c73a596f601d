//! `/users…`: the accounts of the officer's scope, creating and changing them, disabling.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use minijinja::{Value, context};
use sea_orm::{ConnectionTrait, Iterable};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::areas::model::{Host, HostFilter};
use crate::areas::pages::UnitChoice;
use crate::areas::service as areas;
use crate::auth::extract::CurrentUser;
use crate::auth::model::{Actor, NewUser, Role, Scope, User, UserChanges, UserFilter};
use crate::auth::service;
use crate::error::{AppError, AppResult, FieldError};
use crate::list::{MAX_PER_PAGE, Paging};
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{Flash, PageForm, PageNumber, Pager, field_errors, render, render_invalid, see_other};

/// `/users…`, behind the login requirement of the parent router.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list_users).post(create_user))
        .route("/users/new", get(new_user))
        .route("/users/{id}", get(show_user).post(update_user))
        .route("/users/{id}/status", post(change_status))
}

/// The role a new account gets unless another is chosen: the one just below the officer's
/// (an admin creates province officers, a province officer commune officers, …).
fn default_role(actor: &Actor) -> Role {
    Role::iter().filter(|role| role.rank() < actor.role.rank()).max_by_key(|role| role.rank()).unwrap_or(actor.role)
}

/// One `<option>` of the role select.
#[derive(Debug, Serialize)]
struct RoleOption {
    code: Role,
    label: &'static str,
}

/// The roles an officer may give: their own and the lower ones.
fn role_options(actor: &Actor) -> Vec<RoleOption> {
    Role::iter()
        .filter(|role| actor.at_least(*role))
        .map(|role| RoleOption { code: role, label: role.label() })
        .collect()
}

/// The accounts of the officer's scope, by e-mail, 50 a page; `?q=` finds a name or e-mail.
async fn list_users(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(filter): ApiQuery<UserFilter>,
    ApiQuery(number): ApiQuery<PageNumber>,
) -> AppResult<Response> {
    let paging = number.paging()?;
    let page = service::list_users(&state.db, &current.actor, &filter, paging).await?;
    let total = page.total;
    let users = service::with_scope_names(&state.db, page.items).await?;
    let pager = Pager::new("/users", &filter, paging, total)?;
    render(&state, "auth/users.html", context! { filter, users, total, pager })
}

/// The account form as typed. The password is never sent back to the browser. `reload` comes
/// from the button that shows the form again for another role, province or commune: the form
/// is posted (so a typed password never lands in an address or a log) and nothing is saved.
/// No `Debug`, so the password cannot reach a log by accident.
#[derive(Default, Deserialize, Serialize)]
#[serde(default)]
struct UserForm {
    email: String,
    full_name: String,
    #[serde(skip_serializing)]
    password: String,
    role: Option<Role>,
    province: String,
    commune: String,
    /// Text, so that the empty "— Chọn —" option is not a parse error.
    host_id: String,
    #[serde(skip_serializing)]
    reload: Option<String>,
}

/// What the scope selects offer: provinces and communes, and the hosts of the chosen commune
/// (only for the host role).
#[derive(Debug, Serialize)]
struct ScopeChoice {
    units: UnitChoice,
    hosts: Vec<Host>,
}

impl UserForm {
    /// The stored account, for its edit form.
    fn of(user: &User) -> Self {
        let unit = user.unit_code.clone().unwrap_or_default();
        let (province, commune) = match user.role {
            Role::Admin => (String::new(), String::new()),
            Role::Province => (unit, String::new()),
            // A commune alone brings its province along (`UnitChoice::load`).
            Role::Commune | Role::Host => (String::new(), unit),
        };
        Self {
            email: user.email.clone(),
            full_name: user.full_name.clone(),
            role: Some(user.role),
            province,
            commune,
            host_id: user.host_id.map(|id| id.to_string()).unwrap_or_default(),
            ..Self::default()
        }
    }

    /// A new account's form: a role the officer may give, and the officer's own place when
    /// the query names none, so a commune officer starts in their commune.
    fn for_new(mut self, actor: &Actor) -> Self {
        self.role = self.role.filter(|role| actor.at_least(*role)).or(Some(default_role(actor)));
        if self.province.trim().is_empty() && self.commune.trim().is_empty() {
            match &actor.scope {
                Scope::Country => {}
                Scope::Province(province) => self.province = province.clone(),
                Scope::Commune { province, commune } => {
                    (self.province, self.commune) = (province.clone(), commune.clone());
                }
                Scope::Host { province, commune, host_id } => {
                    (self.province, self.commune) = (province.clone(), commune.clone());
                    self.host_id = host_id.to_string();
                }
            }
        }
        self
    }

    async fn choices(&self, db: &impl ConnectionTrait, actor: &Actor) -> AppResult<ScopeChoice> {
        let units = UnitChoice::load(db, actor, Some(&self.province), Some(&self.commune)).await?;
        let hosts = match (self.role, &units.commune) {
            (Some(Role::Host), Some(commune)) => {
                let filter = HostFilter { unit: Some(commune.clone()), ..HostFilter::default() };
                let all = Paging { page: 1, per_page: MAX_PER_PAGE };
                areas::list_hosts(db, actor, &filter, all).await?.items
            }
            _ => Vec::new(),
        };
        Ok(ScopeChoice { units, hosts })
    }

    /// Errors: 422 naming `role` when none was chosen (only a hand-made request lacks it).
    fn role(&self) -> AppResult<Role> {
        // "Choose the role."
        self.role.ok_or_else(|| AppError::invalid("role", "Hãy chọn vai trò."))
    }

    /// The unit code and host the role needs, as `choice` offers them: a commune left over
    /// from another province, or a host from another commune, is not taken. Errors: the
    /// field error to show when the needed select is still empty.
    fn scope(&self, role: Role, choice: &ScopeChoice) -> Result<(Option<String>, Option<i32>), FieldError> {
        let host = self.host_id.trim().parse::<i32>().ok().filter(|id| choice.hosts.iter().any(|host| host.id == *id));
        match role {
            Role::Admin => Ok((None, None)),
            Role::Province => match &choice.units.province {
                Some(province) => Ok((Some(province.clone()), None)),
                // "Choose the province or city."
                None => Err(FieldError::new("unit_code", "Hãy chọn tỉnh/thành phố.")),
            },
            Role::Commune => match &choice.units.commune {
                Some(commune) => Ok((Some(commune.clone()), None)),
                // "Choose the commune, ward or special zone."
                None => Err(FieldError::new("unit_code", "Hãy chọn xã, phường, đặc khu.")),
            },
            Role::Host => match host {
                Some(id) => Ok((None, Some(id))),
                // "Choose the host."
                None => Err(FieldError::new("host_id", "Hãy chọn đơn vị tổ chức.")),
            },
        }
    }
}

/// What the account form needs besides the account: what was typed, the selects' options.
fn form_context(actor: &Actor, form: &UserForm, choice: ScopeChoice) -> Value {
    context! { form, choice, roles => role_options(actor) }
}

async fn new_user(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(form): ApiQuery<UserForm>,
) -> AppResult<Response> {
    let form = form.for_new(&current.actor);
    let choice = form.choices(&state.db, &current.actor).await?;
    render(&state, "auth/user.html", form_context(&current.actor, &form, choice))
}

async fn create_user(
    State(state): State<AppState>,
    current: CurrentUser,
    PageForm(form): PageForm<UserForm>,
) -> AppResult<Response> {
    if form.reload.is_some() {
        let form = form.for_new(&current.actor);
        let choice = form.choices(&state.db, &current.actor).await?;
        return render(&state, "auth/user.html", form_context(&current.actor, &form, choice));
    }
    let choice = form.choices(&state.db, &current.actor).await?;
    let created = async {
        let role = form.role()?;
        // An empty select still goes to the service, so every other mistake shows at once;
        // the select's own message then replaces the service's.
        let (scope, missing) = match form.scope(role, &choice) {
            Ok(scope) => (scope, None),
            Err(missing) => ((None, None), Some(missing)),
        };
        let input = NewUser {
            email: form.email.clone(),
            password: form.password.clone(),
            full_name: form.full_name.clone(),
            role,
            unit_code: scope.0,
            host_id: scope.1,
        };
        match (service::create_user(&state.db, &current.actor, input).await, missing) {
            (Err(AppError::Invalid(errors)), Some(missing)) => Err(AppError::Invalid(replace_error(errors, missing))),
            (result, _) => result,
        }
    };
    match created.await {
        Ok(user) => Ok(see_other(&format!("/users/{}?msg=user_created", user.id))),
        Err(err) => {
            let errors = field_errors(err)?;
            render_invalid(&state, "auth/user.html", form_context(&current.actor, &form, choice), &errors)
        }
    }
}

/// `errors` with the one on `better.field` replaced by `better` (added when absent).
fn replace_error(mut errors: Vec<FieldError>, better: FieldError) -> Vec<FieldError> {
    match errors.iter_mut().find(|error| error.field == better.field) {
        Some(error) => *error = better,
        None => errors.push(better),
    }
    errors
}

/// The account page: details, the edit form and the disable/enable button.
async fn show_user(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let user = service::get_user(&state.db, &current.actor, id).await?;
    let form = UserForm::of(&user);
    let context = user_page(&state, &current, user, &form).await?;
    render(&state, "auth/user.html", context! { notice => flash.msg, ..context })
}

async fn user_page(state: &AppState, current: &CurrentUser, user: User, form: &UserForm) -> AppResult<Value> {
    let choice = form.choices(&state.db, &current.actor).await?;
    let editable = current.actor.at_least(user.role);
    let is_self = current.actor.user_id == Some(user.id);
    let user = service::with_scope_names(&state.db, vec![user])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a named user went missing")))?;
    let audit_visible = current.actor.at_least(Role::Province);
    Ok(context! { user, editable, is_self, audit_visible, ..form_context(&current.actor, form, choice) })
}

async fn update_user(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(form): PageForm<UserForm>,
) -> AppResult<Response> {
    if form.reload.is_some() {
        let user = service::get_user(&state.db, &current.actor, id).await?;
        return render(&state, "auth/user.html", user_page(&state, &current, user, &form).await?);
    }
    let saved = async {
        let choice = form.choices(&state.db, &current.actor).await?;
        let role = form.role()?;
        // Unlike creation, an empty select cannot go to the service: it would keep the old
        // unit or host instead of complaining.
        let (unit_code, host_id) = form.scope(role, &choice).map_err(|error| AppError::Invalid(vec![error]))?;
        let changes = UserChanges {
            full_name: Some(form.full_name.clone()),
            role: Some(role),
            unit_code,
            host_id,
            disabled: None,
            password: Some(form.password.clone()).filter(|password| !password.is_empty()),
        };
        service::update_user(&state.db, &current.actor, id, changes).await
    };
    match saved.await {
        Ok(user) => Ok(see_other(&format!("/users/{}?msg=user_updated", user.id))),
        Err(err) => {
            let errors = field_errors(err)?;
            let user = service::get_user(&state.db, &current.actor, id).await?;
            render_invalid(&state, "auth/user.html", user_page(&state, &current, user, &form).await?, &errors)
        }
    }
}

/// The disable/enable buttons' form.
#[derive(Debug, Deserialize)]
struct StatusForm {
    disabled: bool,
}

/// Disabling ends every login of the account at once (the service revokes its tokens).
async fn change_status(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(form): PageForm<StatusForm>,
) -> AppResult<Response> {
    let changes = UserChanges { disabled: Some(form.disabled), ..UserChanges::default() };
    service::update_user(&state.db, &current.actor, id, changes).await?;
    let msg = if form.disabled { "user_disabled" } else { "user_enabled" };
    Ok(see_other(&format!("/users/{id}?msg={msg}")))
}
