//! Creating and editing a festival: choosing the host (province → commune → host, by plain
//! GET reloads), then the form with dates as dd/mm/yyyy and times as HH:MM.

use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Datelike, FixedOffset};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::areas::model::{Host, HostFilter};
use crate::areas::pages::UnitChoice;
use crate::areas::service as areas;
use crate::auth::extract::CurrentUser;
use crate::commendation::issuers;
use crate::commendation::model::{Issuer, UnitFilter};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::festivals::model::{Festival, FestivalChanges, NewFestival};
use crate::festivals::service;
use crate::list::{MAX_PER_PAGE, Paging};
use crate::time::{format_dmy, from_local, to_local};
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{PageForm, field_errors, form_date, form_time, render, render_invalid, see_other};

/// The festival form as typed. Dates and times stay text until [`FestivalForm::schedule`]
/// reads them, so a typo comes back as a message next to the field with the text kept.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct FestivalForm {
    /// Only on the creation form (hidden).
    host_id: Option<i32>,
    title: String,
    /// dd/mm/yyyy
    date: String,
    /// HH:MM
    start_time: String,
    /// HH:MM
    end_time: String,
    /// dd/mm/yyyy; blank for a festival on one day.
    end_date: String,
    venue: String,
    /// Blank = unlimited.
    capacity: String,
    /// Checkboxes: absent when not ticked.
    registration_open: bool,
    waitlist: bool,
    budget_note: String,
    /// The issuer of the invitations, on the edit form only; blank = none.
    issuer_id: String,
}

/// The form's dates, times and capacity as the API types.
struct Schedule {
    year: i32,
    starts_at: DateTime<FixedOffset>,
    ends_at: DateTime<FixedOffset>,
    capacity: Option<u32>,
}

impl FestivalForm {
    fn of(festival: &Festival) -> Self {
        let (start, end) = (festival.starts_at, festival.ends_at);
        Self {
            host_id: None,
            title: festival.title.clone(),
            date: format_dmy(start.date_naive()),
            start_time: start.format("%H:%M").to_string(),
            end_time: end.format("%H:%M").to_string(),
            end_date: if end.date_naive() == start.date_naive() { String::new() } else { format_dmy(end.date_naive()) },
            venue: festival.venue.clone(),
            capacity: festival.capacity.map(|seats| seats.to_string()).unwrap_or_default(),
            registration_open: festival.registration_open,
            waitlist: festival.waitlist,
            budget_note: festival.budget_note.clone(),
            issuer_id: festival.issuer_id.map(|id| id.to_string()).unwrap_or_default(),
        }
    }

    /// Errors: 422 naming the form's own inputs (`date`, `start_time`, `end_time`, `end_date`,
    /// `capacity`) when they cannot be read. The festival's year is the year of its date.
    fn schedule(&self) -> AppResult<Schedule> {
        let mut errors = FieldErrors::default();
        let date = errors.check("date", form_date(&self.date));
        let end_date = match self.end_date.trim() {
            "" => date,
            text => errors.check("end_date", form_date(text)),
        };
        let start = errors.check("start_time", form_time(&self.start_time));
        let end = errors.check("end_time", form_time(&self.end_time));
        let capacity = errors.check("capacity", read_capacity(&self.capacity));
        let (
            Some(date),
            Some(end_date),
            Some((start_hour, start_minute)),
            Some((end_hour, end_minute)),
            Some(capacity),
        ) = (date, end_date, start, end, capacity)
        else {
            return Err(errors.into());
        };
        let at = |date, hour, minute| {
            from_local(date, hour, minute)
                .map(to_local)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no local time {date} {hour}:{minute}")))
        };
        Ok(Schedule {
            year: date.year(),
            starts_at: at(date, start_hour, start_minute)?,
            ends_at: at(end_date, end_hour, end_minute)?,
            capacity,
        })
    }

    fn to_new(&self, host_id: i32) -> AppResult<NewFestival> {
        let schedule = self.schedule()?;
        Ok(NewFestival {
            host_id,
            year: schedule.year,
            title: Some(self.title.clone()),
            starts_at: schedule.starts_at,
            ends_at: schedule.ends_at,
            venue: self.venue.clone(),
            capacity: schedule.capacity,
            registration_open: Some(self.registration_open),
            waitlist: Some(self.waitlist),
            budget_note: Some(self.budget_note.clone()),
        })
    }

    fn to_changes(&self) -> AppResult<FestivalChanges> {
        let schedule = self.schedule()?;
        Ok(FestivalChanges {
            // A festival belongs to its year (title, public link): moving the date to another
            // year is refused by the service, as in the API, not silently re-filed.
            year: None,
            title: Some(self.title.clone()),
            starts_at: Some(schedule.starts_at),
            ends_at: Some(schedule.ends_at),
            venue: Some(self.venue.clone()),
            capacity: Some(schedule.capacity),
            registration_open: Some(self.registration_open),
            waitlist: Some(self.waitlist),
            budget_note: Some(self.budget_note.clone()),
            issuer_id: Some(match self.issuer_id.trim() {
                "" => None,
                // "Choose a body from the list."
                text => Some(
                    text.parse().map_err(|_| AppError::invalid("issuer_id", "Hãy chọn cơ quan trong danh sách."))?,
                ),
            }),
        })
    }
}

/// Blank = unlimited; the service checks the range.
fn read_capacity(text: &str) -> Result<Option<u32>, String> {
    match text.trim() {
        "" => Ok(None),
        // "A whole number of seats; leave empty for unlimited."
        digits => digits.parse().map(Some).map_err(|_| "Nhập số chỗ là số nguyên; để trống nếu không giới hạn.".into()),
    }
}

/// `/festivals/new` query: the host once chosen, or the place being narrowed down.
#[derive(Debug, Default, Deserialize)]
pub(super) struct NewQuery {
    host_id: Option<i32>,
    province: Option<String>,
    commune: Option<String>,
}

/// With a host: the empty form. Without one (or with a host outside the commune just chosen):
/// the host picker.
pub(super) async fn new(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(query): ApiQuery<NewQuery>,
) -> AppResult<Response> {
    let host = match query.host_id {
        Some(id) => match areas::get_host(&state.db, &current.actor, id).await {
            Ok(host) => Some(host),
            Err(AppError::NotFound(_)) => None,
            Err(err) => return Err(err),
        },
        None => None,
    };
    let host = host.filter(|host| query.commune.as_ref().is_none_or(|commune| *commune == host.unit_code));
    if let Some(host) = host {
        // A full festival takes a waitlist unless the organizer says otherwise (API default).
        let form = FestivalForm { host_id: Some(host.id), waitlist: true, ..FestivalForm::default() };
        return render(&state, "festivals/form.html", form_page(host, form, None, Vec::new()));
    }
    let units =
        UnitChoice::load(&state.db, &current.actor, query.province.as_deref(), query.commune.as_deref()).await?;
    let hosts = match &units.commune {
        Some(commune) => {
            let filter = HostFilter { unit: Some(commune.clone()), ..HostFilter::default() };
            areas::list_hosts(&state.db, &current.actor, &filter, Paging { page: 1, per_page: MAX_PER_PAGE })
                .await?
                .items
        }
        None => Vec::new(),
    };
    render(&state, "festivals/pick_host.html", context! { units, hosts })
}

/// The form page's context; `festival` is the one being edited, if any, with the issuers
/// that may sign its invitations (of the host's commune or province).
fn form_page(host: Host, form: FestivalForm, festival: Option<Festival>, issuers: Vec<Issuer>) -> Value {
    context! { host, form, festival, issuers }
}

/// The issuers of `host`'s commune and province that the actor sees.
async fn issuers_for(state: &AppState, current: &CurrentUser, host: &Host) -> AppResult<Vec<Issuer>> {
    let all = issuers::list(&state.db, &current.actor, &UnitFilter::default()).await?;
    Ok(all
        .into_iter()
        .filter(|issuer| issuer.unit_code == host.unit_code || issuer.unit_code == host.province_code)
        .collect())
}

pub(super) async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    PageForm(form): PageForm<FestivalForm>,
) -> AppResult<Response> {
    // "Choose the host first."
    let host_id = form.host_id.ok_or_else(|| AppError::invalid("host_id", "Hãy chọn đơn vị tổ chức trước."))?;
    let host = areas::get_host(&state.db, &current.actor, host_id).await?;
    match async { service::create(&state.db, &current.actor, form.to_new(host.id)?).await }.await {
        Ok(festival) => Ok(see_other(&format!("/festivals/{}?msg=created", festival.id))),
        Err(err) => {
            render_invalid(&state, "festivals/form.html", form_page(host, form, None, Vec::new()), &field_errors(err)?)
        }
    }
}

pub(super) async fn edit(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> AppResult<Response> {
    let festival = service::get(&state.db, &current.actor, id).await?;
    service::ensure_editable(festival.status)?;
    let host = areas::get_host(&state.db, &current.actor, festival.host_id).await?;
    let form = FestivalForm::of(&festival);
    let issuers = issuers_for(&state, &current, &host).await?;
    render(&state, "festivals/form.html", form_page(host, form, Some(festival), issuers))
}

pub(super) async fn update(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(form): PageForm<FestivalForm>,
) -> AppResult<Response> {
    match async { service::update(&state.db, &current.actor, id, form.to_changes()?).await }.await {
        Ok(festival) => Ok(see_other(&format!("/festivals/{}?msg=updated", festival.id))),
        Err(err) => {
            let errors = field_errors(err)?;
            let festival = service::get(&state.db, &current.actor, id).await?;
            let host = areas::get_host(&state.db, &current.actor, festival.host_id).await?;
            let issuers = issuers_for(&state, &current, &host).await?;
            render_invalid(&state, "festivals/form.html", form_page(host, form, Some(festival), issuers), &errors)
        }
    }
}
