//! The "Đề nghị khen thưởng" form: to which issuer, a collective (a host, a model, or a name)
//! or an individual (a festival's participant, or a name with a CCCD), the achievement and the
//! award. Choosing the issuer, the kind, the commune or the festival posts the form back with
//! `reload` to fill the other selects, so what was typed (a CCCD) never lands in an address.

use axum::extract::State;
use axum::response::Response;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::{chosen_id, empty_select, home_units};
use crate::app::AppState;
use crate::areas::model::{Host, HostFilter, UnitLevel};
use crate::areas::pages::UnitChoice;
use crate::areas::service as areas;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::commendation::model::{AwardForm, Issuer, MovementModel, NewNomination, NomineeKind, UnitFilter};
use crate::commendation::{issuers, models, nominations};
use crate::error::AppResult;
use crate::festivals::model::{Festival, FestivalFilter};
use crate::festivals::service as festivals;
use crate::list::{MAX_PER_PAGE, Paging};
use crate::participants::model::{Participant, ParticipantFilter};
use crate::participants::service as participants;
use crate::web::extract::ApiQuery;
use crate::web::pages::{PageForm, field_errors, render, render_invalid, see_other};

const TEMPLATE: &str = "commendation/proposal.html";

/// The proposal as typed. Selects are text, so that their empty "— Chọn —" option is not a
/// parse error. GET takes any of them from a link, e.g. `?kind=individual&festival_id=…`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct ProposalForm {
    issuer_id: String,
    kind: Option<NomineeKind>,
    /// For a province's issuer: the commune whose hosts, models and festivals are offered.
    commune: String,
    festival_id: String,
    host_id: String,
    model_id: String,
    participant_id: String,
    /// Blank: the host's, model's or participant's name.
    nominee_name: String,
    cccd: String,
    achievement: String,
    form: Option<AwardForm>,
    /// A checkbox: absent when not ticked.
    posthumous: bool,
    #[serde(skip_serializing)]
    reload: Option<String>,
}

/// What the selects offer for the choices made so far.
#[derive(Debug, Default, Serialize)]
struct Choices {
    issuers: Vec<Issuer>,
    /// The commune selects, for an issuer of a province.
    units: Option<UnitChoice>,
    /// Where the hosts, models and festivals below come from.
    commune: Option<String>,
    festivals: Vec<Festival>,
    hosts: Vec<Host>,
    models: Vec<MovementModel>,
    /// The chosen festival's people, in Vietnamese order.
    participants: Vec<Participant>,
}

impl ProposalForm {
    /// A new proposal: the only issuer preselected, a collective unless the link says
    /// otherwise, the officer's own commune for a province's issuer.
    fn for_new(mut self, actor: &Actor, issuers: &[Issuer]) -> Self {
        if let [only] = issuers {
            self.issuer_id = only.id.to_string();
        }
        self.kind = self.kind.or(Some(NomineeKind::Collective));
        if self.commune.is_empty() {
            self.commune = home_units(actor).1;
        }
        self
    }

    fn is(&self, kind: NomineeKind) -> bool {
        self.kind == Some(kind)
    }

    async fn choices(&self, state: &AppState, actor: &Actor, issuers: Vec<Issuer>) -> AppResult<Choices> {
        let db = &state.db;
        let Some(issuer) = chosen_id(&self.issuer_id).and_then(|id| issuers.iter().find(|issuer| issuer.id == id))
        else {
            return Ok(Choices { issuers, ..Choices::default() });
        };
        let unit = areas::find_unit(db, &issuer.unit_code).await?;
        let (units, commune) = match unit.level {
            UnitLevel::Commune => (None, Some(unit.code)),
            UnitLevel::Province => {
                let units = UnitChoice::load(db, actor, Some(&unit.code), Some(&self.commune)).await?;
                let commune = units.commune.clone();
                (Some(units), commune)
            }
        };
        let all = Paging { page: 1, per_page: MAX_PER_PAGE };
        let mut choices = Choices { issuers, units, commune: commune.clone(), ..Choices::default() };
        let Some(commune) = commune else { return Ok(choices) };
        let filter = FestivalFilter { unit: Some(commune.clone()), ..FestivalFilter::default() };
        choices.festivals = festivals::list(db, actor, &filter, all).await?.items;
        if self.is(NomineeKind::Collective) {
            let filter = HostFilter { unit: Some(commune.clone()), ..HostFilter::default() };
            choices.hosts = areas::list_hosts(db, actor, &filter, all).await?.items;
            let filter = UnitFilter { unit: Some(commune.clone()), q: None };
            choices.models = models::list(db, actor, &filter).await?;
        }
        let festival = chosen_id(&self.festival_id).filter(|id| choices.festivals.iter().any(|f| f.id == *id));
        if let (Some(festival), true) = (festival, self.is(NomineeKind::Individual)) {
            let by_name = ParticipantFilter::default();
            choices.participants = participants::list(db, actor, festival, &by_name, all).await?.items;
        }
        Ok(choices)
    }

    /// The proposal as the API's body: only the references the chosen kind uses.
    fn to_new(&self, issuer_id: i32) -> NewNomination {
        let collective = self.is(NomineeKind::Collective);
        let individual = self.is(NomineeKind::Individual);
        NewNomination {
            festival_id: chosen_id(&self.festival_id),
            issuer_id,
            kind: self.kind,
            nominee_name: Some(self.nominee_name.clone()),
            participant_id: chosen_id(&self.participant_id).filter(|_| individual),
            host_id: chosen_id(&self.host_id).filter(|_| collective),
            model_id: chosen_id(&self.model_id).filter(|_| collective),
            cccd: Some(self.cccd.clone()).filter(|_| individual),
            achievement: self.achievement.clone(),
            form: self.form,
            posthumous: Some(self.posthumous),
        }
    }
}

async fn form_page(state: &AppState, actor: &Actor, form: ProposalForm, issuers: Vec<Issuer>) -> AppResult<Value> {
    let choices = form.choices(state, actor, issuers).await?;
    Ok(context! { form, choices })
}

/// The form, with what a link chose (`?issuer_id=`, `?kind=&commune=&model_id=`, …).
pub(super) async fn new(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiQuery(form): ApiQuery<ProposalForm>,
) -> AppResult<Response> {
    let issuers = issuers::list(&state.db, &current.actor, &UnitFilter::default()).await?;
    let form = form.for_new(&current.actor, &issuers);
    render(&state, TEMPLATE, form_page(&state, &current.actor, form, issuers).await?)
}

/// Saves the draft and opens its page, which shows any warning (e.g. proposed twice this
/// year); with `reload`, only shows the form again for the choices just made.
pub(super) async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    PageForm(form): PageForm<ProposalForm>,
) -> AppResult<Response> {
    let issuers = issuers::list(&state.db, &current.actor, &UnitFilter::default()).await?;
    if form.reload.is_some() {
        return render(&state, TEMPLATE, form_page(&state, &current.actor, form, issuers).await?);
    }
    let issuer_id = chosen_id(&form.issuer_id);
    let input = form.to_new(issuer_id.unwrap_or_default());
    let created = match (nominations::create(&state.db, &current.actor, input).await, issuer_id) {
        // "Choose the body that grants the award."
        (Err(err), None) => Err(empty_select(err, "issuer_id", "Hãy chọn cơ quan khen thưởng.")),
        (result, _) => result,
    };
    match created {
        Ok(nomination) => Ok(see_other(&format!("/nominations/{}?msg=created", nomination.id))),
        Err(err) => {
            let errors = field_errors(err)?;
            render_invalid(&state, TEMPLATE, form_page(&state, &current.actor, form, issuers).await?, &errors)
        }
    }
}
