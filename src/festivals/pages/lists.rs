//! The two table editors of a festival, the programme and the organizing committee: one form
//! row per line plus a few spare rows; fully blank rows are dropped before the service sees
//! the list, and its errors (`[2].title`) are shown on the row they came from.

use std::future::Future;

use axum::extract::State;
use axum::response::Response;
use minijinja::context;
use sea_orm::{ActiveEnum, DatabaseConnection};

use crate::app::AppState;
use crate::auth::extract::CurrentUser;
use crate::auth::model::Actor;
use crate::error::{AppResult, FieldErrors};
use crate::festivals::model::{CommitteeMember, CommitteeRole, ProgrammeItem, ProgrammePart};
use crate::festivals::{programme, service};
use crate::web::extract::{ApiPath, ApiQuery};
use crate::web::pages::{
    Flash, PageForm, Row, TableForm, errors_on_rows, field_errors, render, render_invalid, see_other,
};

/// Blank rows offered after the existing lines.
const SPARE_ROWS: usize = 3;

/// What differs between the programme and the committee editors.
pub(super) trait ListPage {
    type Item: Send;
    const TEMPLATE: &'static str;
    /// The page's path segment under `/festivals/{id}/`, also its `?msg=` code after saving.
    const NAME: &'static str;
    /// Input names of one row.
    const COLUMNS: &'static [&'static str];
    /// The text inputs: a row where all of them are blank is a spare row, not a line.
    const TYPED: &'static [&'static str];

    fn blank_row() -> Row;
    fn to_row(item: Self::Item) -> Row;
    /// The line a row describes; `Err((column, message))` for a value no select offers.
    fn from_row(row: &Row) -> Result<Self::Item, (&'static str, String)>;
    fn load(
        db: &DatabaseConnection,
        actor: &Actor,
        festival_id: i32,
    ) -> impl Future<Output = AppResult<Vec<Self::Item>>> + Send;
    fn save(
        db: &DatabaseConnection,
        actor: &Actor,
        festival_id: i32,
        items: Vec<Self::Item>,
    ) -> impl Future<Output = AppResult<Vec<Self::Item>>> + Send;
}

/// The editor with the stored lines and the spare rows. Errors: 409 once the festival is closed.
pub(super) async fn show<P: ListPage>(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(flash): ApiQuery<Flash>,
) -> AppResult<Response> {
    let festival = service::get(&state.db, &current.actor, id).await?;
    service::ensure_editable(festival.status)?;
    let rows = P::load(&state.db, &current.actor, id).await?.into_iter().map(P::to_row).collect();
    let form = TableForm { rows }.with_blank_rows(SPARE_ROWS, &P::blank_row());
    render(&state, P::TEMPLATE, context! { festival, form, msg => flash.msg })
}

pub(super) async fn save<P: ListPage>(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(id): ApiPath<i32>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    // "Save and add rows" comes back to the editor, which always ends with spare rows.
    let more_rows = pairs.iter().any(|(name, value)| name == "then" && value == "more");
    let form = TableForm::from_pairs(pairs, P::COLUMNS);
    let (places, items) = read_rows::<P>(&form);
    let saved = match items {
        Ok(items) => P::save(&state.db, &current.actor, id, items).await.map(drop),
        Err(err) => Err(err),
    };
    match saved {
        Ok(()) if more_rows => Ok(see_other(&format!("/festivals/{id}/{}?msg={}", P::NAME, P::NAME))),
        Ok(()) => Ok(see_other(&format!("/festivals/{id}?msg={}", P::NAME))),
        Err(err) => {
            let errors = errors_on_rows(field_errors(err)?, &places);
            let festival = service::get(&state.db, &current.actor, id).await?;
            render_invalid(&state, P::TEMPLATE, context! { festival, form }, &errors)
        }
    }
}

/// The filled rows' places in the form, and their lines; errors are named like the service's
/// (`[k].part`, `k` counting filled rows only) so one mapping puts every error on its row.
fn read_rows<P: ListPage>(form: &TableForm) -> (Vec<usize>, AppResult<Vec<P::Item>>) {
    let filled = form.filled(P::TYPED);
    let mut errors = FieldErrors::default();
    let items: Vec<P::Item> = filled
        .iter()
        .enumerate()
        .filter_map(|(k, (_, row))| {
            P::from_row(row).map_err(|(column, message)| errors.add(format!("[{k}].{column}"), message)).ok()
        })
        .collect();
    let places = filled.into_iter().map(|(place, _)| place).collect();
    (places, errors.finish().map(|()| items))
}

fn row(pairs: &[(&str, &str)]) -> Row {
    pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
}

/// A select's code as its enum; the message is for a tampered form, as no option sends it.
fn code<E: ActiveEnum<Value = String>>(row: &Row, column: &'static str) -> Result<E, (&'static str, String)> {
    let value = row.get(column).cloned().unwrap_or_default();
    // "Invalid value."
    E::try_from_value(&value).map_err(|_| (column, "Giá trị không hợp lệ.".to_owned()))
}

/// Text of `column`; blank → `None`.
fn optional(row: &Row, column: &str) -> Option<String> {
    row.get(column).filter(|text| !text.trim().is_empty()).cloned()
}

/// The programme: part, clock time, title, presenter.
pub(super) struct Programme;

impl ListPage for Programme {
    type Item = ProgrammeItem;
    const TEMPLATE: &'static str = "festivals/programme.html";
    const NAME: &'static str = "programme";
    const COLUMNS: &'static [&'static str] = &["part", "starts_at", "title", "presenter"];
    const TYPED: &'static [&'static str] = &["starts_at", "title", "presenter"];

    fn blank_row() -> Row {
        row(&[("part", "hoi"), ("starts_at", ""), ("title", ""), ("presenter", "")])
    }

    fn to_row(item: ProgrammeItem) -> Row {
        let part = item.part.to_value();
        let starts_at = item.starts_at.unwrap_or_default();
        let presenter = item.presenter.unwrap_or_default();
        row(&[("part", &part), ("starts_at", &starts_at), ("title", &item.title), ("presenter", &presenter)])
    }

    fn from_row(row: &Row) -> Result<ProgrammeItem, (&'static str, String)> {
        Ok(ProgrammeItem {
            part: code::<ProgrammePart>(row, "part")?,
            starts_at: optional(row, "starts_at"),
            title: row.get("title").cloned().unwrap_or_default(),
            presenter: optional(row, "presenter"),
        })
    }

    fn load(
        db: &DatabaseConnection,
        actor: &Actor,
        festival_id: i32,
    ) -> impl Future<Output = AppResult<Vec<ProgrammeItem>>> + Send {
        programme::get_programme(db, actor, festival_id)
    }

    fn save(
        db: &DatabaseConnection,
        actor: &Actor,
        festival_id: i32,
        items: Vec<ProgrammeItem>,
    ) -> impl Future<Output = AppResult<Vec<ProgrammeItem>>> + Send {
        programme::put_programme(db, actor, festival_id, items)
    }
}

/// The organizing committee: full name, role, position.
pub(super) struct Committee;

impl ListPage for Committee {
    type Item = CommitteeMember;
    const TEMPLATE: &'static str = "festivals/committee.html";
    const NAME: &'static str = "committee";
    const COLUMNS: &'static [&'static str] = &["full_name", "role", "title"];
    const TYPED: &'static [&'static str] = &["full_name", "title"];

    fn blank_row() -> Row {
        row(&[("full_name", ""), ("role", "member"), ("title", "")])
    }

    fn to_row(member: CommitteeMember) -> Row {
        let role = member.role.to_value();
        let title = member.title.unwrap_or_default();
        row(&[("full_name", &member.full_name), ("role", &role), ("title", &title)])
    }

    fn from_row(row: &Row) -> Result<CommitteeMember, (&'static str, String)> {
        Ok(CommitteeMember {
            full_name: row.get("full_name").cloned().unwrap_or_default(),
            role: code::<CommitteeRole>(row, "role")?,
            title: optional(row, "title"),
        })
    }

    fn load(
        db: &DatabaseConnection,
        actor: &Actor,
        festival_id: i32,
    ) -> impl Future<Output = AppResult<Vec<CommitteeMember>>> + Send {
        programme::get_committee(db, actor, festival_id)
    }

    fn save(
        db: &DatabaseConnection,
        actor: &Actor,
        festival_id: i32,
        members: Vec<CommitteeMember>,
    ) -> impl Future<Output = AppResult<Vec<CommitteeMember>>> + Send {
        programme::put_committee(db, actor, festival_id, members)
    }
}
