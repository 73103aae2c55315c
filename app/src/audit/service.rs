//! Reading the audit log: an organisation's entries (or, for the super admin, everyone's),
//! filtered, a page at a time or in batches for an export, with the names of who did it
//! and where.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

use super::model::{AuditPage, AuditQuery, AuditRow, Choice, PAGE_SIZE, action_label};
use crate::db::entity::{audit_log, partner, user, workspace};
use crate::error::AppError;

/// Whose entries are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One organisation's (its admins' view).
    Organisation(Uuid),
    /// Every organisation's, and entries of none (the super admin's view).
    Everything,
}

/// Whose entries are read, and (for an organisation) the people it may see named: those
/// who are or were of it. Read once per page or download.
#[derive(Debug, Clone)]
pub struct Reader {
    pub scope: Scope,
    ours: Option<HashSet<Uuid>>,
}

impl Reader {
    pub async fn of<C: ConnectionTrait>(db: &C, scope: Scope) -> Result<Self, sea_orm::DbErr> {
        let ours = match scope {
            Scope::Organisation(partner_id) => Some(ever_of(db, partner_id).await?),
            Scope::Everything => None,
        };
        Ok(Self { scope, ours })
    }

    /// Whether `user` may be named to this reader.
    fn may_name(&self, user: &Uuid) -> bool {
        self.ours.as_ref().is_none_or(|ours| ours.contains(user))
    }
}

/// People and actions offered by the filters at most.
const CHOICES: u64 = 500;

/// The entries `scope` and `query` select.
pub fn condition(scope: Scope, query: &AuditQuery) -> Condition {
    use audit_log::Column as C;
    let mut cond = Condition::all();
    match scope {
        Scope::Organisation(id) => cond = cond.add(C::PartnerId.eq(id)),
        Scope::Everything => {
            if let Some(id) = query.organisation {
                cond = cond.add(C::PartnerId.eq(id));
            }
        }
    }
    if let Some(person) = query.person {
        cond = cond.add(C::UserId.eq(person));
    }
    if let Some(action) = &query.action {
        cond = cond.add(C::Action.eq(action.as_str()));
    }
    if let Some(from) = query.from {
        cond = cond.add(C::CreatedAt.gte(from.and_time(chrono::NaiveTime::MIN).and_utc()));
    }
    if let Some(to) = query.to.and_then(|d| d.succ_opt()) {
        cond = cond.add(C::CreatedAt.lt(to.and_time(chrono::NaiveTime::MIN).and_utc()));
    }
    cond
}

/// Page `page` (from 1) of the entries, newest first.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    scope: Scope,
    query: &AuditQuery,
    page: u32,
) -> Result<AuditPage, AppError> {
    let page = page.max(1);
    let cond = condition(scope, query);
    let total = audit_log::Entity::find()
        .filter(cond.clone())
        .count(db)
        .await?;
    let rows = audit_log::Entity::find()
        .filter(cond)
        .order_by_desc(audit_log::Column::CreatedAt)
        .order_by_desc(audit_log::Column::Id)
        .offset(u64::from(page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    let everything = scope == Scope::Everything;
    let reader = Reader::of(db, scope).await?;
    Ok(AuditPage {
        rows: describe(db, rows, &reader).await?,
        total,
        page,
        people: people(db, &reader).await?,
        actions: actions(db, scope).await?,
        organisations: if everything {
            organisations(db).await?
        } else {
            Vec::new()
        },
    })
}

/// Up to `limit` entries after `after` (newest first), for an export.
pub async fn batch<C: ConnectionTrait>(
    db: &C,
    cond: Condition,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> Result<Vec<audit_log::Model>, sea_orm::DbErr> {
    use audit_log::Column as C;
    let mut select = audit_log::Entity::find().filter(cond);
    if let Some((at, id)) = after {
        select = select.filter(
            Condition::any()
                .add(C::CreatedAt.lt(at))
                .add(Condition::all().add(C::CreatedAt.eq(at)).add(C::Id.lt(id))),
        );
    }
    select
        .order_by_desc(C::CreatedAt)
        .order_by_desc(C::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The entries as the log shows them: who by name, the workspace (and, for everything,
/// the organisation) by name, and what changed in words. An organisation's log names only
/// people who are or were of the organisation: someone else's account (a refused sign-in
/// with their address, say) is "another account", so the log tells nobody who has one.
pub async fn describe<C: ConnectionTrait>(
    db: &C,
    rows: Vec<audit_log::Model>,
    reader: &Reader,
) -> Result<Vec<AuditRow>, sea_orm::DbErr> {
    let everything = reader.scope == Scope::Everything;
    let ids = |pick: fn(&audit_log::Model) -> Option<Uuid>| -> Vec<Uuid> {
        rows.iter()
            .filter_map(pick)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect()
    };
    let mut asked = ids(|r| r.user_id);
    asked.retain(|id| reader.may_name(id));
    let people: HashMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(asked))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, person_label(&u)))
        .collect();
    let workspaces: HashMap<Uuid, String> = workspace::Entity::find()
        .filter(workspace::Column::Id.is_in(ids(|r| r.workspace_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w.name))
        .collect();
    let organisations: HashMap<Uuid, String> = if everything {
        partner::Entity::find()
            .filter(partner::Column::Id.is_in(ids(|r| r.partner_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect()
    } else {
        HashMap::new()
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            // Someone not of this organisation (in its log only through, say, a refused
            // sign-in with their address): neither who, nor which account, nor why.
            let stranger = r
                .user_id
                .is_some_and(|id| !everything && !people.contains_key(&id));
            AuditRow {
                id: r.id,
                at: r.created_at,
                person: r.user_id.map(|id| {
                    people
                        .get(&id)
                        .cloned()
                        .unwrap_or_else(|| "Another account (not of this organization)".into())
                }),
                details: if stranger {
                    String::new()
                } else {
                    details(
                        r.old_values.as_ref(),
                        r.new_values.as_ref(),
                        r.metadata.as_ref(),
                    )
                },
                action: r.action,
                entity_type: r.entity_type,
                entity_id: if stranger { None } else { r.entity_id },
                workspace: r.workspace_id.and_then(|id| workspaces.get(&id).cloned()),
                organisation: r.partner_id.and_then(|id| organisations.get(&id).cloned()),
                ip: r.ip_address,
                user_agent: r.user_agent,
            }
        })
        .collect())
}

/// Everyone who is or was on the organisation's team or in one of its workspaces.
async fn ever_of<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
) -> Result<HashSet<Uuid>, sea_orm::DbErr> {
    use crate::db::entity::{partner_member, workspace_member};
    let team = partner_member::Entity::find()
        .filter(partner_member::Column::PartnerId.eq(partner_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id);
    let places = workspace_member::Entity::find()
        .inner_join(workspace::Entity)
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id);
    Ok(team.chain(places).collect())
}

fn person_label(u: &user::Model) -> String {
    let name = u.display_name();
    if name == u.email {
        name
    } else {
        format!("{name} <{}>", u.email)
    }
}

/// What changed, in words: every key whose value differs ("role: member → admin"), what
/// was set or removed, then what was noted beside it; at most 500 characters.
pub fn details(old: Option<&Value>, new: Option<&Value>, metadata: Option<&Value>) -> String {
    let mut parts = Vec::new();
    match (old, new) {
        (Some(Value::Object(old)), Some(Value::Object(new))) => {
            let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                match (old.get(key), new.get(key)) {
                    (Some(a), Some(b)) if a != b => {
                        parts.push(format!("{key}: {} → {}", plain(a), plain(b)));
                    }
                    (Some(a), None) => parts.push(format!("{key}: {} → none", plain(a))),
                    (None, Some(b)) => parts.push(format!("{key}: {}", plain(b))),
                    _ => {}
                }
            }
        }
        (Some(old), Some(new)) if old != new => {
            parts.push(format!("{} → {}", plain(old), plain(new)));
        }
        (None, Some(Value::Object(new))) => {
            parts.extend(new.iter().map(|(k, v)| format!("{k}: {}", plain(v))));
        }
        (None, Some(new)) => parts.push(plain(new)),
        (Some(Value::Object(old)), None) => {
            parts.extend(old.iter().map(|(k, v)| format!("{k} was {}", plain(v))));
        }
        _ => {}
    }
    if let Some(Value::Object(noted)) = metadata {
        parts.extend(noted.iter().map(|(k, v)| format!("{k}: {}", plain(v))));
    }
    let text = parts.join("; ");
    if text.chars().count() > 500 {
        let mut cut: String = text.chars().take(499).collect();
        cut.push('…');
        cut
    } else {
        text
    }
}

/// A value as words: strings without quotes, nothing as "none", the rest as JSON.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "none".into(),
        other => other.to_string(),
    }
}

fn scope_condition(scope: Scope) -> Condition {
    match scope {
        Scope::Organisation(id) => Condition::all().add(audit_log::Column::PartnerId.eq(id)),
        Scope::Everything => Condition::all(),
    }
}

/// Everyone who appears in the scope's log, by name.
async fn people<C: ConnectionTrait>(db: &C, reader: &Reader) -> Result<Vec<Choice>, AppError> {
    let ids: Vec<Uuid> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::UserId)
        .distinct()
        .filter(scope_condition(reader.scope))
        .filter(audit_log::Column::UserId.is_not_null())
        .limit(CHOICES)
        .into_tuple::<Option<Uuid>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .filter(|id| reader.may_name(id))
        .collect();
    let mut people: Vec<Choice> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .iter()
        .map(|u| Choice {
            value: u.id.to_string(),
            label: person_label(u),
        })
        .collect();
    people.sort_by_key(|c| c.label.to_lowercase());
    Ok(people)
}

/// Every action written in the scope's log, by its name.
async fn actions<C: ConnectionTrait>(db: &C, scope: Scope) -> Result<Vec<Choice>, AppError> {
    let mut actions: Vec<Choice> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Action)
        .distinct()
        .filter(scope_condition(scope))
        .limit(CHOICES)
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .map(|a| Choice {
            label: action_label(&a),
            value: a,
        })
        .collect();
    actions.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(actions)
}

async fn organisations<C: ConnectionTrait>(db: &C) -> Result<Vec<Choice>, AppError> {
    Ok(partner::Entity::find()
        .order_by_asc(partner::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: p.name,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::details;
    use serde_json::json;

    #[test]
    fn changes_read_as_words() {
        assert_eq!(
            details(
                Some(&json!({"role": "member", "name": "Ada"})),
                Some(&json!({"role": "admin", "name": "Ada"})),
                Some(&json!({"sessions_ended": 2})),
            ),
            "role: member → admin; sessions_ended: 2"
        );
        assert_eq!(details(None, Some(&json!({"rate": 15})), None), "rate: 15");
        assert_eq!(details(None, None, None), "");
        assert_eq!(details(Some(&json!(1)), Some(&json!(2)), None), "1 → 2");
    }
}
