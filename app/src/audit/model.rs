//! The audit log as its pages and exports show it, and its filters as they travel in the
//! page's address.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AddFieldError, AppError, FieldErrors};

/// Entries on one page.
pub const PAGE_SIZE: u64 = 50;

/// The filters as they travel in the address (`?person=…&action=…&from=…&to=…`); empty
/// means "any". `organisation` is the super admin's only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// A person's id.
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub action: String,
    /// First day, `YYYY-MM-DD` (UTC).
    #[serde(default)]
    pub from: String,
    /// Last day, `YYYY-MM-DD` (UTC), included.
    #[serde(default)]
    pub to: String,
    /// An organisation's id.
    #[serde(default)]
    pub organisation: String,
}

/// A filter whose every part is known to be meaningful.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub person: Option<Uuid>,
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    /// Up to the end of this day.
    pub to: Option<NaiveDate>,
    pub organisation: Option<Uuid>,
}

impl AuditFilter {
    /// Checks every part, naming the field that is wrong.
    pub fn check(&self) -> Result<AuditQuery, AppError> {
        let mut fields = FieldErrors::new();
        let id = |text: &str| Uuid::parse_str(text).ok();
        let person = fields.choice("person", &self.person, id, |_| {
            "Choose someone from the list.".into()
        });
        let organisation = fields.choice("organisation", &self.organisation, id, |_| {
            "Choose an organization from the list.".into()
        });
        let action = fields.choice(
            "action",
            &self.action,
            |a| {
                (a.len() <= 64
                    && a.bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'.'))
                .then(|| a.to_owned())
            },
            |_| "Choose an action from the list.".into(),
        );
        let mut day = |field: &str, text: &str| {
            fields.choice(
                field,
                text,
                |t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok(),
                |_| "Use a date like 2026-11-24.".into(),
            )
        };
        let from = day("from", &self.from);
        let to = day("to", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            fields.add("to", "The last day comes before the first.");
        }
        if let Some(error) = AppError::from_fields(fields) {
            return Err(error);
        }
        Ok(AuditQuery {
            person,
            action,
            from,
            to,
            organisation,
        })
    }

    /// The address query for these filters on `page` (pages count from 1), without `?`.
    pub fn to_query(&self, page: u32) -> String {
        crate::text::query_of(
            &[
                ("person", &self.person),
                ("action", &self.action),
                ("from", &self.from),
                ("to", &self.to),
                ("organisation", &self.organisation),
            ],
            page,
        )
    }

    /// The filters of an address's query.
    pub fn from_query(query: &leptos_router::params::ParamsMap) -> Self {
        let get = |key: &str| query.get(key).unwrap_or_default();
        Self {
            person: get("person"),
            action: get("action"),
            from: get("from"),
            to: get("to"),
            organisation: get("organisation"),
        }
    }
}

/// One entry as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// Name and address of who did it; none for actions without a known person (a
    /// sign-in with an unknown address).
    pub person: Option<String>,
    pub action: String,
    /// What the action touched: its kind and id.
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub workspace: Option<String>,
    /// The organisation it happened in (the super admin's view).
    pub organisation: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// What changed ("role: member → admin"), and anything noted with it.
    pub details: String,
}

/// A choice of a filter's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A page of the log, newest first, with what its filters can choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// Entries the filters select, on every page.
    pub total: u64,
    pub page: u32,
    pub people: Vec<Choice>,
    pub actions: Vec<Choice>,
    /// Organisations (the super admin's view only; empty otherwise).
    pub organisations: Vec<Choice>,
}

impl AuditPage {
    pub fn pages(&self) -> u32 {
        u32::try_from(self.total.div_ceil(PAGE_SIZE)).unwrap_or(u32::MAX)
    }
}

/// What an action is called on the page ("Signed in" for `user.login`); actions without
/// a name of their own read as their words ("campaign launched").
pub fn action_label(action: &str) -> String {
    let known = match action {
        "user.login" => "Signed in",
        "user.login_failed" => "Sign-in refused",
        "user.logout" => "Signed out",
        "user.signed_up" => "Signed up",
        "user.email_confirmed" => "Confirmed their email",
        "user.password_reset" => "Reset their password",
        "user.password_changed" => "Changed their password",
        "user.mfa_enabled" => "Turned on two-factor sign-in",
        "user.mfa_disabled" => "Turned off two-factor sign-in",
        "account.new_recovery_codes" => "Made new recovery codes",
        "agent.created" => "Created an agent",
        "agent.updated" => "Changed an agent",
        "agent.deleted" => "Deleted an agent",
        "knowledge_document.created" => "Added a document",
        "knowledge_document.updated" => "Changed a document",
        "knowledge_document.deleted" => "Deleted a document",
        "member.role_changed" => "Changed a member's role",
        "member.removed" => "Removed a member",
        "team.role_changed" => "Changed a team member's role",
        "team.removed" => "Removed someone from the team",
        "invitation.cancelled" => "Cancelled an invitation",
        "invitation.resent" => "Sent an invitation again",
        "credits.adjusted" => "Adjusted credit",
        "workspace.created" => "Created a workspace",
        "workspace.rate_changed" => "Changed a workspace's rate",
        other => {
            let words = other.replace(['.', '_'], " ");
            let mut chars = words.chars();
            return match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            };
        }
    };
    known.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_checked_by_field() {
        let bad = AuditFilter {
            person: "someone".into(),
            action: "DROP TABLE".into(),
            from: "yesterday".into(),
            ..Default::default()
        };
        let AppError::Validation { fields, .. } = bad.check().unwrap_err() else {
            panic!("a validation error");
        };
        let named: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(named, ["action", "from", "person"]);

        let backwards = AuditFilter {
            from: "2026-12-02".into(),
            to: "2026-12-01".into(),
            ..Default::default()
        };
        assert!(backwards.check().is_err());
        let fine = AuditFilter {
            action: "user.login".into(),
            from: "2026-12-01".into(),
            ..Default::default()
        };
        assert_eq!(fine.check().unwrap().action.as_deref(), Some("user.login"));
        assert_eq!(fine.to_query(2), "action=user.login&from=2026-12-01&page=2");
    }

    #[test]
    fn actions_read_as_words() {
        assert_eq!(action_label("user.login"), "Signed in");
        assert_eq!(action_label("campaign.launched"), "Campaign launched");
    }
}
