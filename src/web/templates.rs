//! HTML and e-mail templates from `templates/`, embedded in the binary and parsed once at start.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use minijinja::{Environment, Value};
use rust_embed::RustEmbed;
use sea_orm::{ActiveEnum, Iterable};
use serde::Serialize;

use crate::areas::model::HostKind;
use crate::commendation::model::{AwardForm, DecisionState, ModelKind, NominationState, NomineeKind};
use crate::error::{AppError, AppResult};
use crate::festivals::model::{CommitteeRole, FestivalStatus, ProgrammePart};
use crate::jobs::model::{JobKind, JobState};
use crate::mail::model::MessageState;
use crate::participants::model::{ParticipantRole, Registration, Rsvp, Sex};
use crate::time;

#[derive(RustEmbed)]
#[folder = "templates/"]
struct TemplateFiles;

/// Every template, parsed; a syntax error stops the start, not a request.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Parses all of `templates/` and installs the filters and the label tables.
    pub fn load() -> anyhow::Result<Self> {
        let mut env = Environment::new();
        for path in TemplateFiles::iter() {
            let Some(file) = TemplateFiles::get(&path) else { continue };
            let source = String::from_utf8(file.data.into_owned())?;
            env.add_template_owned(path.to_string(), source)?;
        }
        env.add_filter("date", date_filter);
        env.add_filter("time", time_filter);
        env.add_filter("number", crate::text::thousands);
        env.add_filter("percent", percent_filter);
        env.add_global("labels", Value::from_serialize(label_tables()));
        env.add_global("version", env!("CARGO_PKG_VERSION"));
        // Print buttons tell from how many pages a batch runs in the background.
        env.add_global("job_threshold", crate::printing::JOB_THRESHOLD);
        Ok(Self { env })
    }

    /// Tells every page where mail goes when no SMTP server is set (`folder`, the `.eml`
    /// outbox), so that the send button and the sending job say the messages were not sent.
    pub fn with_mail_folder(mut self, folder: Option<&std::path::Path>) -> Self {
        if let Some(folder) = folder {
            self.env.add_global("mail_outbox_folder", folder.display().to_string());
        }
        self
    }

    /// Renders template `name` (path under `templates/`) with `context`.
    pub fn render(&self, name: &str, context: impl Serialize) -> AppResult<String> {
        self.env
            .get_template(name)
            .and_then(|template| template.render(context))
            .map_err(|err| AppError::Internal(anyhow::anyhow!("template {name}: {err:#}")))
    }

    /// Names of every template, for the test that renders them all.
    pub fn names(&self) -> Vec<String> {
        self.env.templates().map(|(name, _)| name.to_owned()).collect()
    }
}

/// One closed set of values: code → Vietnamese label, in the enum's order.
#[derive(Serialize)]
struct LabelTable {
    order: Vec<String>,
    names: BTreeMap<String, &'static str>,
}

fn table<E: ActiveEnum<Value = String> + Iterable>(label: fn(&E) -> &'static str) -> LabelTable {
    let pairs: Vec<(String, &'static str)> = E::iter().map(|e| (e.to_value(), label(&e))).collect();
    LabelTable { order: pairs.iter().map(|(code, _)| code.clone()).collect(), names: pairs.into_iter().collect() }
}

/// `labels.status.names[code]` gives the label, `labels.status.order` the codes for a `<select>`.
fn label_tables() -> BTreeMap<&'static str, LabelTable> {
    BTreeMap::from([
        ("status", table(FestivalStatus::label)),
        ("host_kind", table(HostKind::label)),
        ("part", table(ProgrammePart::label)),
        ("committee_role", table(CommitteeRole::label)),
        ("role", table(ParticipantRole::label)),
        ("sex", table(Sex::label)),
        ("registration", table(Registration::label)),
        ("rsvp", table(Rsvp::label)),
        ("model_kind", table(ModelKind::label)),
        ("nominee_kind", table(NomineeKind::label)),
        ("award_form", table(AwardForm::label)),
        ("nomination_state", table(NominationState::label)),
        ("decision_state", table(DecisionState::label)),
        ("job_kind", table(JobKind::label)),
        ("job_state", table(JobState::label)),
        ("message_state", table(MessageState::label)),
    ])
}

/// `{{ value | percent }}`: a share in per cent with one decimal and the Vietnamese decimal
/// comma, `80,0%`.
fn percent_filter(value: f64) -> String {
    format!("{value:.1}%").replace('.', ",")
}

/// `{{ value | date }}`: an RFC 3339 instant or a `YYYY-MM-DD` date as `dd/mm/yyyy` (Vietnam time).
fn date_filter(value: &str) -> String {
    if let Ok(instant) = DateTime::parse_from_rfc3339(value) {
        return instant.with_timezone(&time::VN_OFFSET).format("%d/%m/%Y").to_string();
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map(time::format_dmy).unwrap_or_else(|_| value.to_owned())
}

/// `{{ value | time }}`: an RFC 3339 instant as `HH:MM`, 24-hour, Vietnam time.
fn time_filter(value: &str) -> String {
    DateTime::parse_from_rfc3339(value)
        .map(|instant| instant.with_timezone(&time::VN_OFFSET).format("%H:%M").to_string())
        .unwrap_or_else(|_| value.to_owned())
}
