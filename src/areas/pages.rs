//! HTML pages for hosts (`/hosts…`), and the province → commune selects that every page with a
//! place filter shares. Vietnamese, server-rendered, working without JavaScript.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use minijinja::context;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use super::model::{Host, HostChanges, HostFilter, HostKind, NewHost, Unit, UnitFilter};
use super::service;
use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::festivals::model::FestivalFilter;
use crate::festivals::service as festivals;
use crate::list::{MAX_PER_PAGE, Paging};
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{Flash, PageForm, PageNumber, Pager, field_errors, render, render_invalid, see_other};

/// `/hosts…`: the list, the creation form, each host's page with its edit form.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hosts", get(list_hosts).post(create_host))
        .route("/hosts/new", get(new_host))
        .route("/hosts/{id}", get(show_host).post(update_host))
        .route("/hosts/{id}/delete", post(delete_host))
}

/// The province and commune `<select>`s of filters and forms: every province, and the communes
/// of the chosen one. Choosing a province reloads the page to fill the communes, so no
/// JavaScript is needed.
#[derive(Debug, Serialize)]
pub struct UnitChoice {
    pub provinces: Vec<Unit>,
    pub communes: Vec<Unit>,
    pub province: Option<String>,
    pub commune: Option<String>,
}

impl UnitChoice {
    /// A commune alone brings its province along. Unknown codes, and a commune left over from
    /// another province after the province select changed, are dropped.
    pub async fn load(
        db: &impl ConnectionTrait,
        actor: &Actor,
        province: Option<&str>,
        commune: Option<&str>,
    ) -> AppResult<Self> {
        let (province, commune) = (non_blank(province), non_blank(commune));
        let provinces = units_under(db, actor, None).await?;
        let province = match (province, commune) {
            (Some(code), _) => provinces.iter().find(|unit| unit.code == code).map(|unit| unit.code.clone()),
            (None, Some(code)) => match service::get_unit(db, actor, code).await {
                Ok(unit) => unit.parent_code,
                Err(AppError::NotFound(_)) => None,
                Err(err) => return Err(err),
            },
            (None, None) => None,
        };
        let communes = match &province {
            Some(code) => units_under(db, actor, Some(code.clone())).await?,
            None => Vec::new(),
        };
        let commune = commune.and_then(|code| communes.iter().find(|unit| unit.code == code)).map(|u| u.code.clone());
        Ok(Self { provinces, communes, province, commune })
    }

    /// The chosen commune, else the chosen province: what a list filters on.
    pub fn unit(&self) -> Option<&str> {
        self.commune.as_deref().or(self.province.as_deref())
    }
}

/// Every unit under `parent` (the provinces when `None`); a province has at most 168 communes.
async fn units_under(db: &impl ConnectionTrait, actor: &Actor, parent: Option<String>) -> AppResult<Vec<Unit>> {
    let filter = UnitFilter { parent, q: None };
    Ok(service::list_units(db, actor, &filter, Paging { page: 1, per_page: MAX_PER_PAGE }).await?.items)
}

fn non_blank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

/// `/hosts` filters.
#[derive(Debug, Default, Deserialize, Serialize)]
struct HostQuery {
    province: Option<String>,
    commune: Option<String>,
    kind: Option<HostKind>,
    q: Option<String>,
}

async fn list_hosts(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<HostQuery>,
    ApiQuery(number): ApiQuery<PageNumber>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let paging = number.paging()?;
    let units =
        UnitChoice::load(&state.db, &current.actor, query.province.as_deref(), query.commune.as_deref()).await?;
    let filter = HostFilter { unit: units.unit().map(str::to_owned), kind: query.kind, q: query.q.clone() };
    let hosts = service::list_hosts(&state.db, &current.actor, &filter, paging).await?;
    let pager = Pager::new("/hosts", &query, paging, hosts.total)?;
    render(&state, "hosts/list.html", context! { query, units, hosts, pager, msg => flash.msg })
}

/// The host form as typed. GET fills it from the query after the province select reloads the
/// page (so nothing typed is lost); POST sends it.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct HostForm {
    name: String,
    kind: Option<HostKind>,
    province: String,
    commune: String,
}

impl HostForm {
    fn of(host: &Host) -> Self {
        Self {
            name: host.name.clone(),
            kind: Some(host.kind),
            province: host.province_code.clone(),
            commune: host.unit_code.clone(),
        }
    }

    /// Nothing in the query: show the stored host.
    fn is_blank(&self) -> bool {
        self.name.is_empty() && self.kind.is_none() && self.province.is_empty() && self.commune.is_empty()
    }

    /// Kind and commune as the API wants them. Errors: 422 naming `kind` or `unit_code` when
    /// not chosen (the service's "unknown code" would puzzle someone who picked nothing).
    fn chosen(&self) -> AppResult<(HostKind, String)> {
        let mut errors = FieldErrors::default();
        // "Choose the kind of host."
        let kind = errors.check("kind", self.kind.ok_or_else(|| "Hãy chọn loại đơn vị.".to_owned()));
        let commune = errors.check(
            "unit_code",
            // "Choose the commune, ward or special zone."
            non_blank(Some(&self.commune)).map(str::to_owned).ok_or_else(|| "Hãy chọn xã, phường, đặc khu.".to_owned()),
        );
        match (kind, commune) {
            (Some(kind), Some(commune)) => Ok((kind, commune)),
            _ => Err(errors.into()),
        }
    }

    async fn units(&self, db: &impl ConnectionTrait, actor: &Actor) -> AppResult<UnitChoice> {
        UnitChoice::load(db, actor, Some(&self.province), Some(&self.commune)).await
    }
}

async fn new_host(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(form): ApiQuery<HostForm>,
) -> AppResult<Response> {
    let units = form.units(&state.db, &current.actor).await?;
    render(&state, "hosts/new.html", context! { form, units })
}

async fn create_host(
    State(state): State<AppState>,
    current: CurrentUser,
    PageForm(form): PageForm<HostForm>,
) -> AppResult<Response> {
    let created = async {
        let (kind, unit_code) = form.chosen()?;
        service::create_host(&state.db, &current.actor, NewHost { name: form.name.clone(), kind, unit_code }).await
    };
    match created.await {
        Ok(host) => Ok(see_other(&format!("/hosts/{}?msg=host_created", host.id))),
        Err(err) => {
            let errors = field_errors(err)?;
            let units = form.units(&state.db, &current.actor).await?;
            render_invalid(&state, "hosts/new.html", context! { form, units }, &errors)
        }
    }
}

/// The host page: details, its festivals, the edit form and, while it has no festival, delete.
async fn show_host(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(form): ApiQuery<HostForm>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let host = service::get_host(&state.db, &current.actor, id).await?;
    let form = if form.is_blank() { HostForm::of(&host) } else { form };
    let context = host_page(&state, &current, host, &form).await?;
    render(&state, "hosts/show.html", context! { msg => flash.msg, ..context })
}

async fn host_page(
    state: &AppState,
    current: &CurrentUser,
    host: Host,
    form: &HostForm,
) -> AppResult<minijinja::Value> {
    let filter = FestivalFilter { host: Some(host.id), ..FestivalFilter::default() };
    let festivals = festivals::list(&state.db, &current.actor, &filter, Paging::default()).await?;
    let units = form.units(&state.db, &current.actor).await?;
    Ok(context! { host, festivals, form, units })
}

async fn update_host(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(form): PageForm<HostForm>,
) -> AppResult<Response> {
    let updated = async {
        let (kind, unit_code) = form.chosen()?;
        let changes = HostChanges { name: Some(form.name.clone()), kind: Some(kind), unit_code: Some(unit_code) };
        service::update_host(&state.db, &current.actor, id, changes).await
    };
    match updated.await {
        Ok(host) => Ok(see_other(&format!("/hosts/{}?msg=host_updated", host.id))),
        Err(err) => {
            let errors = field_errors(err)?;
            let host = service::get_host(&state.db, &current.actor, id).await?;
            render_invalid(&state, "hosts/show.html", host_page(&state, &current, host, &form).await?, &errors)
        }
    }
}

async fn delete_host(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    service::delete_host(&state.db, &current.actor, id).await?;
    Ok(see_other("/hosts?msg=host_deleted"))
}
