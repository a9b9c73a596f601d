//! Guest schedule conflicts (API.md, *Reports*): the same leader — an official or guest,
//! recognized by CCCD, e-mail or phone across festivals — invited to two festivals that
//! overlap or start less than a travel gap after the other ends.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, FixedOffset};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::areas::model::Area;
use crate::areas::repo::hosts_in;
use crate::areas::service::area_of;
use crate::auth::model::Actor;
use crate::entities::{festival, host, participant};
use crate::error::{AppError, AppResult};
use crate::participants::model::ParticipantRole;
use crate::time::to_local;

/// `GET /api/v1/conflicts` query.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConflictQuery {
    pub year: i32,
    /// A province or commune code; default the caller's whole scope.
    pub unit: Option<String>,
    /// Least time between the end of one festival and the start of the next, in minutes
    /// (default 60).
    pub gap_minutes: Option<u32>,
}

/// One festival a person is invited to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Engagement {
    pub festival_id: i32,
    pub participant_id: i32,
    pub host_name: String,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: DateTime<FixedOffset>,
}

/// A person with festivals too close to each other, all of their festivals of the year in
/// order of start.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Conflict {
    pub person: String,
    pub festivals: Vec<Engagement>,
}

/// Index of the set `i` belongs to, shortening the path on the way (union-find).
fn root(parents: &mut [usize], mut i: usize) -> usize {
    while parents[i] != i {
        parents[i] = parents[parents[i]];
        i = parents[i];
    }
    i
}

/// People invited to festivals of `year` in the area (officials and guests) whose festivals
/// overlap or are less than `gap_minutes` apart; the other festival may lie anywhere in the
/// actor's scope (a commune's guest double-booked by the next commune is the commune's
/// concern too). Errors: 403 a unit outside the scope; 422 an unknown unit.
pub async fn conflicts(db: &impl ConnectionTrait, actor: &Actor, query: &ConflictQuery) -> AppResult<Vec<Conflict>> {
    let area = area_of(db, actor, query.unit.as_deref(), "unit").await?;
    let gap = Duration::minutes(i64::from(query.gap_minutes.unwrap_or(60)));
    if gap > Duration::days(1) {
        // "At most 1,440 minutes."
        return Err(AppError::invalid("gap_minutes", "Tối đa 1.440 phút."));
    }
    // Leaders first, then only their festivals: the country has 100,000 festivals, and the
    // dashboard asks on every visit.
    let mut people = leaders(db, query.year, &area, Condition::all()).await?;
    let in_area = people.len();
    if query.unit.is_some() {
        // The same people at festivals elsewhere in the scope, found by what identifies them.
        let known = |key: fn(&participant::Model) -> Option<String>| {
            let mut keys: Vec<String> = people.iter().filter_map(key).collect();
            keys.sort_unstable();
            keys.dedup();
            keys
        };
        let (cccds, emails, phones) = (
            known(|person| person.cccd.clone()),
            known(|person| person.email.clone()),
            known(|person| person.phone.clone()),
        );
        let mut elsewhere = Vec::new();
        for (column, keys) in [
            (participant::Column::Cccd, cccds),
            (participant::Column::Email, emails),
            (participant::Column::Phone, phones),
        ] {
            for chunk in keys.chunks(500) {
                let same = Condition::all().add(column.is_in(chunk.iter().cloned()));
                elsewhere.extend(leaders(db, query.year, &actor.area(), same).await?);
            }
        }
        let mut seen: HashSet<i32> = people.iter().map(|person| person.id).collect();
        people.extend(elsewhere.into_iter().filter(|person| seen.insert(person.id)));
    }
    let mut festival_ids: Vec<i32> = people.iter().map(|person| person.festival_id).collect();
    festival_ids.sort_unstable();
    festival_ids.dedup();
    let mut festivals: HashMap<i32, (festival::Model, host::Model)> = HashMap::new();
    for chunk in festival_ids.chunks(1000) {
        let rows = festival::Entity::find()
            .find_also_related(host::Entity)
            .filter(festival::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        festivals.extend(rows.into_iter().filter_map(|(festival, host)| Some((festival.id, (festival, host?)))));
    }
    // Participants sharing any of CCCD, e-mail or phone are one person.
    let mut parents: Vec<usize> = (0..people.len()).collect();
    let mut first_with: HashMap<String, usize> = HashMap::new();
    for (i, person) in people.iter().enumerate() {
        let keys = [
            person.cccd.as_ref().map(|cccd| format!("cccd:{cccd}")),
            person.email.as_ref().map(|email| format!("email:{}", email.to_lowercase())),
            person.phone.as_ref().map(|phone| format!("phone:{phone}")),
        ];
        for key in keys.into_iter().flatten() {
            let other = *first_with.entry(key).or_insert(i);
            let (a, b) = (root(&mut parents, i), root(&mut parents, other));
            parents[a] = b;
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..people.len() {
        let group = root(&mut parents, i);
        groups.entry(group).or_default().push(i);
    }
    let mut found = Vec::new();
    // Only people with a festival in the area asked about (the first `in_area`).
    for members in groups.into_values().filter(|members| members.len() > 1 && members.iter().any(|i| *i < in_area)) {
        let mut engagements: Vec<Engagement> = members
            .iter()
            .filter_map(|i| {
                let person = &people[*i];
                let (festival, host) = festivals.get(&person.festival_id)?;
                Some(Engagement {
                    festival_id: festival.id,
                    participant_id: person.id,
                    host_name: host.name.clone(),
                    starts_at: to_local(festival.starts_at),
                    ends_at: to_local(festival.ends_at),
                })
            })
            .collect();
        engagements.sort_by_key(|engagement| (engagement.starts_at, engagement.festival_id));
        engagements.dedup_by_key(|engagement| engagement.festival_id);
        let clash = engagements.windows(2).any(|pair| pair[1].starts_at < pair[0].ends_at + gap);
        if clash {
            found.push(Conflict { person: people[members[0]].full_name.clone(), festivals: engagements });
        }
    }
    found.sort_by_key(|conflict| conflict.festivals[0].starts_at);
    Ok(found)
}

/// Officials and guests of festivals of `year` in `area` matching `condition`.
async fn leaders(
    db: &impl ConnectionTrait,
    year: i32,
    area: &Area,
    condition: Condition,
) -> AppResult<Vec<participant::Model>> {
    let in_area = festival::Entity::find()
        .inner_join(host::Entity)
        .filter(festival::Column::Year.eq(year))
        .filter(hosts_in(area))
        .select_only()
        .column(festival::Column::Id)
        .into_query();
    Ok(participant::Entity::find()
        .filter(participant::Column::FestivalId.in_subquery(in_area))
        .filter(participant::Column::Role.is_in([ParticipantRole::Official, ParticipantRole::Guest]))
        .filter(condition)
        .all(db)
        .await?)
}
