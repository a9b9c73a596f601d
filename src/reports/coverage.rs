//! Coverage (API.md, *Reports*): for a year and a unit, how many hosts of each child unit
//! (provinces under the country, communes under a province, kinds of host under a commune)
//! have a festival in each state, or none yet. One aggregate query per view, so the country
//! with 100,000 hosts stays fast.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, Iterable, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::areas::model::{Area, HostKind, UnitLevel};
use crate::areas::repo::{hosts_in, unit_visible};
use crate::auth::model::{Actor, Scope};
use crate::entities::{admin_unit, festival, host};
use crate::error::{AppError, AppResult};
use crate::festivals::model::FestivalStatus;
use crate::participants::names::recipient_key;

/// `GET /api/v1/reports/coverage` query.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    pub year: i32,
    /// A province or commune code; default the caller's whole scope.
    pub unit: Option<String>,
    /// `xlsx` for a spreadsheet; default JSON.
    pub format: Option<String>,
}

/// The order of a report's rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowOrder {
    /// The catalogue order: units by code, kinds of host in their listed order.
    #[default]
    Code,
    /// By name in the Vietnamese collation.
    Name,
    /// Least covered first, the units to call first; ties by name. Rows without hosts, whose
    /// rate is no measure, come last.
    Rate,
}

/// Whether a report keeps the rows without hosts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmptyRows {
    #[default]
    Show,
    Hide,
}

/// Which rows of a report to show and in what order: the dashboard's options, which its
/// XLSX download follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RowOptions {
    /// Default `code`.
    #[serde(default)]
    #[param(inline)]
    pub sort: RowOrder,
    /// `hide` leaves out the units (or kinds) without hosts; default `show`.
    #[serde(default)]
    #[param(inline)]
    pub empty: EmptyRows,
}

/// Hosts by the state of their festival of the year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Counts {
    pub hosts: i64,
    pub planned: i64,
    pub approved: i64,
    pub held: i64,
    pub reported: i64,
    pub cancelled: i64,
    /// Hosts without a festival of the year.
    pub none: i64,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.hosts += other.hosts;
        self.planned += other.planned;
        self.approved += other.approved;
        self.held += other.held;
        self.reported += other.reported;
        self.cancelled += other.cancelled;
        self.none += other.none;
    }

    /// Hosts whose festival is in `status`.
    pub fn of(&self, status: FestivalStatus) -> i64 {
        match status {
            FestivalStatus::Planned => self.planned,
            FestivalStatus::Approved => self.approved,
            FestivalStatus::Held => self.held,
            FestivalStatus::Reported => self.reported,
            FestivalStatus::Cancelled => self.cancelled,
        }
    }

    /// Hosts with a festival that is going ahead (planned to reported), in per cent of all
    /// hosts; 0 without hosts.
    pub fn percent_with_festival(&self) -> f64 {
        if self.hosts == 0 { 0.0 } else { self.going() as f64 * 100.0 / self.hosts as f64 }
    }

    /// The same as a share from 0 to 1 (a spreadsheet's percentage); none without hosts, where
    /// it measures nothing.
    pub fn share_with_festival(&self) -> Option<f64> {
        (self.hosts > 0).then(|| self.going() as f64 / self.hosts as f64)
    }

    /// Hosts with a festival planned, approved, held or reported.
    fn going(&self) -> i64 {
        self.planned + self.approved + self.held + self.reported
    }
}

/// One child unit (or kind of host) of the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoverageRow {
    /// Unit code, or the host kind under a commune.
    pub code: String,
    pub name: String,
    #[serde(flatten)]
    pub counts: Counts,
    /// Units can be opened for their own rows (provinces and communes, not host kinds).
    pub drillable: bool,
}

/// The report of `unit` (null: the country) for `year`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Coverage {
    pub unit: Option<String>,
    pub unit_name: String,
    pub year: i32,
    pub totals: Counts,
    pub rows: Vec<CoverageRow>,
    /// The area counted, which names the spreadsheet.
    #[serde(skip)]
    pub area: Area,
}

impl Coverage {
    /// The report with its rows as `options` ask. The totals stay those of the whole unit:
    /// the rows left out have no hosts.
    pub fn arranged(mut self, options: RowOptions) -> Coverage {
        if options.empty == EmptyRows::Hide {
            self.rows.retain(|row| row.counts.hosts > 0);
        }
        // The whole name compared as one, like a collective's name in a list of awards.
        let name_key = |row: &CoverageRow| recipient_key(&row.name, false);
        match options.sort {
            RowOrder::Code => {}
            RowOrder::Name => self.rows.sort_by_cached_key(name_key),
            RowOrder::Rate => {
                self.rows.sort_by_cached_key(name_key);
                // Stable: equal rates stay in name order.
                self.rows.sort_by(|a, b| {
                    (a.counts.hosts == 0)
                        .cmp(&(b.counts.hosts == 0))
                        .then(a.counts.percent_with_festival().total_cmp(&b.counts.percent_with_festival()))
                });
            }
        }
        self
    }
}

/// The unit a report is about.
enum Level {
    Country,
    Province(admin_unit::Model),
    Commune(admin_unit::Model),
}

/// The unit asked for, or the actor's own. Errors: 404 unknown; 403 outside the scope.
async fn level(db: &impl ConnectionTrait, actor: &Actor, unit: Option<&str>) -> AppResult<Level> {
    let code = match (unit, &actor.scope) {
        (Some(code), _) => code.to_owned(),
        (None, Scope::Country) => return Ok(Level::Country),
        (None, Scope::Province(code)) => code.clone(),
        (None, Scope::Commune { commune, .. } | Scope::Host { commune, .. }) => commune.clone(),
    };
    // "No unit with code …"
    let found = admin_unit::Entity::find_by_id(code.as_str())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Không có đơn vị hành chính mã {code}.")))?;
    let sees_all_of_it = match (&actor.scope, found.level) {
        (Scope::Country, _) => true,
        // A province officer sees their province and its communes.
        (Scope::Province(_), _) => unit_visible(&actor.scope, &found),
        // A commune officer sees their commune; the province above is not theirs to count.
        (Scope::Commune { commune, .. } | Scope::Host { commune, .. }, _) => found.code == *commune,
    };
    if !sees_all_of_it {
        // "This report is outside your area."
        return Err(AppError::Forbidden("Báo cáo này nằm ngoài địa bàn của bạn.".into()));
    }
    Ok(match found.level {
        UnitLevel::Province => Level::Province(found),
        UnitLevel::Commune => Level::Commune(found),
    })
}

/// `SUM(CASE WHEN festivals.status = '…' THEN 1 ELSE 0 END)`.
fn count_status(status: FestivalStatus) -> Expr {
    Expr::case(Expr::col((festival::Entity, festival::Column::Status)).eq(status.to_value()), 1).finally(0).sum()
}

/// The aggregate: hosts of `area` (and of the actor's) grouped by `group`, each joined to
/// its festival of `year` if it has one.
fn aggregate(group: host::Column, year: i32, areas: [&Area; 2]) -> SelectStatement {
    let mut query = Query::select();
    query
        .expr_as(Expr::col((host::Entity, group)), Alias::new("code"))
        .expr_as(Expr::col((host::Entity, host::Column::Id)).count(), Alias::new("hosts"))
        .expr_as(
            Expr::case(Expr::col((festival::Entity, festival::Column::Id)).is_null(), 1).finally(0).sum(),
            Alias::new("none"),
        )
        .from(host::Entity)
        .left_join(
            festival::Entity,
            Expr::col((festival::Entity, festival::Column::HostId))
                .equals((host::Entity, host::Column::Id))
                .and(Expr::col((festival::Entity, festival::Column::Year)).eq(year)),
        )
        // Both the actor's area and the unit asked for (repeated conditions are joined by AND).
        .cond_where(hosts_in(areas[0]))
        .cond_where(hosts_in(areas[1]))
        .group_by_col((host::Entity, group));
    for status in FestivalStatus::iter() {
        query.expr_as(count_status(status), Alias::new(status.to_value()));
    }
    query
}

/// The latest year with a festival in the actor's scope (none planned past next year), for
/// a dashboard opened without a year.
pub async fn latest_year(db: &impl ConnectionTrait, actor: &Actor, next_year: i32) -> AppResult<Option<i32>> {
    let query = Query::select()
        .expr(Expr::col((festival::Entity, festival::Column::Year)).max())
        .from(festival::Entity)
        .inner_join(
            host::Entity,
            Expr::col((host::Entity, host::Column::Id)).equals((festival::Entity, festival::Column::HostId)),
        )
        .cond_where(hosts_in(&actor.area()))
        .and_where(Expr::col((festival::Entity, festival::Column::Year)).lte(next_year))
        .to_owned();
    let row = db.query_one(&query).await?;
    Ok(match row {
        Some(row) => row.try_get_by_index::<Option<i32>>(0)?,
        None => None,
    })
}

/// The coverage report. Errors: 404 unknown unit; 403 a unit outside the scope.
pub async fn coverage(db: &impl ConnectionTrait, actor: &Actor, year: i32, unit: Option<&str>) -> AppResult<Coverage> {
    let level = level(db, actor, unit).await?;
    let (group, area, children, unit_name, code) = match &level {
        Level::Country => {
            (host::Column::ProvinceCode, Area::Country, children(db, None).await?, "Toàn quốc".to_owned(), None)
        }
        Level::Province(unit) => (
            host::Column::UnitCode,
            Area::Province(unit.code.clone()),
            children(db, Some(&unit.code)).await?,
            unit.name.clone(),
            Some(unit.code.clone()),
        ),
        Level::Commune(unit) => (
            host::Column::Kind,
            Area::Commune(unit.code.clone()),
            HostKind::iter().map(|kind| (kind.to_value(), kind.label().to_owned())).collect(),
            unit.name.clone(),
            Some(unit.code.clone()),
        ),
    };
    let found = db.query_all(&aggregate(group, year, [&actor.area(), &area])).await?;
    let mut rows: Vec<CoverageRow> = children
        .into_iter()
        .map(|(code, name)| CoverageRow {
            code,
            name,
            counts: Counts::default(),
            drillable: !matches!(level, Level::Commune(_)),
        })
        .collect();
    for result in found {
        let code: String = result.try_get("", "code")?;
        let get = |column: &str| -> AppResult<i64> { Ok(result.try_get::<Option<i64>>("", column)?.unwrap_or(0)) };
        let counts = Counts {
            hosts: get("hosts")?,
            planned: get("planned")?,
            approved: get("approved")?,
            held: get("held")?,
            reported: get("reported")?,
            cancelled: get("cancelled")?,
            none: get("none")?,
        };
        if let Some(row) = rows.iter_mut().find(|row| row.code == code) {
            row.counts = counts;
        }
    }
    let mut totals = Counts::default();
    for row in &rows {
        totals.add(&row.counts);
    }
    Ok(Coverage { unit: code, unit_name, year, totals, rows, area })
}

/// The units under `parent` (the provinces for `None`), as (code, name) in code order.
async fn children(db: &impl ConnectionTrait, parent: Option<&str>) -> AppResult<Vec<(String, String)>> {
    let query = admin_unit::Entity::find().order_by_asc(admin_unit::Column::Code);
    let query = match parent {
        Some(code) => query.filter(admin_unit::Column::ParentCode.eq(code)),
        None => query.filter(admin_unit::Column::ParentCode.is_null()),
    };
    Ok(query.all(db).await?.into_iter().map(|unit| (unit.code, unit.name)).collect())
}
