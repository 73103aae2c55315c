//! The campaign wizard's steps as plain forms: each saves its part of the settings
//! (a draft is saved at every step, so it can be left and resumed) and sends the browser
//! to the next step. Field errors come back named, like every form's.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::super::model::{Retry, VariableSource, Window, parse_clock},
    super::super::service,
    crate::access::guard::require_workspace,
    crate::access::permission::WorkspacePermission,
    crate::error::{AddFieldError, FieldErrors},
    crate::state::app_state,
};

/// What the server would take a list's column for, and the variable it would become.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnGuess {
    pub header: String,
    /// As `?map=` names it: `phone`, `first_name`, …, `var:{name}`, `skip`.
    pub guess: String,
    /// The variable the column becomes if mapped to one (empty when none can be made).
    pub variable: String,
}

/// The most columns a list may have.
pub const MAX_COLUMNS: usize = 500;

/// Step 2: what each column of a list about to be sent holds, guessed from its header (the
/// page's script shows them, changeable, before the upload).
#[server(input = server_fn::codec::Json, prefix = "/api", endpoint = "campaigns/columns")]
pub async fn guess_columns(
    slug: String,
    id: Uuid,
    headers: Vec<String>,
) -> Result<Vec<ColumnGuess>, AppError> {
    use super::super::import::{guess, variable_name};
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    service::find(&state.db, &ctx, id).await?;
    if headers.len() > MAX_COLUMNS {
        return Err(AppError::invalid(
            "headers",
            format!("A list has at most {MAX_COLUMNS} columns."),
        ));
    }
    Ok(headers
        .into_iter()
        .map(|header| {
            let header: String = header.chars().take(200).collect();
            ColumnGuess {
                guess: guess(&header).token(),
                variable: variable_name(&header),
                header,
            }
        })
        .collect())
}

/// One of the agent's placeholders on the variables step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariableForm {
    pub name: String,
    /// A column's variable name, or empty for none.
    #[serde(default)]
    pub column: String,
    #[serde(default)]
    pub default: String,
}

/// One day's calling window on the schedule step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayForm {
    pub day: u8,
    /// Present when the day is ticked.
    #[serde(default)]
    pub on: Option<String>,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
}

/// Where the wizard goes after step `step` of campaign `id`.
#[cfg(feature = "ssr")]
fn to_step(slug: &str, id: Uuid, step: i32) {
    leptos_axum::redirect(&format!("/w/{slug}/campaigns/{id}/edit?step={step}"));
}

/// Step 1: name, description, agent, zone and country; a new draft without `id`.
#[server(prefix = "/api", endpoint = "campaigns/details")]
pub async fn save_details(
    slug: String,
    id: Option<Uuid>,
    name: String,
    description: String,
    agent_id: String,
    time_zone: String,
    default_country: String,
) -> Result<Uuid, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    let agent_id = match agent_id.trim() {
        "" => None,
        text => Some(
            Uuid::parse_str(text)
                .map_err(|_| AppError::invalid("agent_id", "Choose an agent from the list."))?,
        ),
    };
    let mut settings = match id {
        Some(id) => service::settings_of(&service::find(&state.db, &ctx, id).await?),
        None => Default::default(),
    };
    settings.name = name;
    settings.description = description;
    settings.agent_id = agent_id;
    settings.time_zone = time_zone.trim().to_owned();
    settings.default_country = default_country.trim().to_uppercase();
    if settings.agent_id.is_none() {
        return Err(AppError::invalid(
            "agent_id",
            "Choose the agent that will make the calls.",
        ));
    }
    let id = match id {
        Some(id) => {
            service::save(&state.db, &ctx, id, &settings, Some(2)).await?;
            id
        }
        None => {
            let id = service::create(&state.db, &ctx, &settings).await?;
            service::save(&state.db, &ctx, id, &settings, Some(2)).await?;
            id
        }
    };
    to_step(&slug, id, 2);
    Ok(id)
}

/// Step 3: each placeholder's column and default.
#[server(prefix = "/api", endpoint = "campaigns/variables")]
pub async fn save_variables(
    slug: String,
    id: Uuid,
    #[server(default)] variables: Vec<VariableForm>,
) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    let mut settings = service::settings_of(&service::find(&state.db, &ctx, id).await?);
    settings.variables = variables
        .into_iter()
        .filter(|v| !v.name.trim().is_empty())
        .map(|v| VariableSource {
            name: v.name.trim().to_owned(),
            column: Some(v.column.trim().to_owned()).filter(|c| !c.is_empty()),
            default: v.default.trim().to_owned(),
        })
        .collect();
    service::save(&state.db, &ctx, id, &settings, Some(4)).await?;
    to_step(&slug, id, 4);
    Ok(())
}

mod schedule {
    #![allow(clippy::too_many_arguments)]
    use super::*;

    /// Step 4: when, in which windows, how many at once, and the retries. Times are the
    /// campaign's own zone's (`YYYY-MM-DDTHH:MM`, as a date-time field sends them).
    #[server(prefix = "/api", endpoint = "campaigns/schedule")]
    pub async fn save_schedule(
        slug: String,
        id: Uuid,
        start: String,
        #[server(default)] starts_at: String,
        #[server(default)] ends_at: String,
        #[server(default)] days: Vec<DayForm>,
        concurrency: String,
        no_answer_attempts: String,
        no_answer_delay: String,
        busy_attempts: String,
        busy_delay: String,
        voicemail_attempts: String,
        voicemail_delay: String,
    ) -> Result<(), AppError> {
        let ctx = require_workspace(&slug, WorkspacePermission::CampaignsWrite).await?;
        let state = app_state()?;
        let mut settings = service::settings_of(&service::find(&state.db, &ctx, id).await?);
        let mut errors = FieldErrors::new();
        let tz =
            super::super::super::window::parse_zone(&settings.time_zone).unwrap_or(chrono_tz::UTC);
        let local = |field: &str, text: &str, errors: &mut FieldErrors| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
                .iter()
                .find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok())
                .and_then(|t| {
                    use chrono::TimeZone;
                    tz.from_local_datetime(&t).earliest()
                })
                .map(|t| t.with_timezone(&chrono::Utc));
            if parsed.is_none() {
                errors.add(field, "Give a date and time, like 2027-03-01 09:00.");
            }
            parsed
        };
        settings.starts_at = match start.as_str() {
            "at" => {
                let at = local("starts_at", &starts_at, &mut errors);
                if at.is_none() && starts_at.trim().is_empty() {
                    errors.add("starts_at", "Choose when to start.");
                }
                at
            }
            _ => None,
        };
        settings.ends_at = local("ends_at", &ends_at, &mut errors);
        let mut windows = vec![];
        for d in days.iter().filter(|d| d.on.is_some()) {
            match (parse_clock(&d.start), parse_clock(&d.end)) {
                (Some(start), Some(end)) => windows.push(Window {
                    day: d.day,
                    start,
                    end,
                }),
                _ => errors.add(
                    format!("windows.{}", d.day),
                    "Give the window's start and end, like 09:00 and 17:00.",
                ),
            }
        }
        settings.windows = windows;
        let number = |field: &str, text: &str, errors: &mut FieldErrors| -> u32 {
            match text.trim().parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    errors.add(field, "Enter a whole number.");
                    0
                }
            }
        };
        settings.concurrency =
            u16::try_from(number("concurrency", &concurrency, &mut errors)).unwrap_or(0);
        let retry = |attempts: &str, delay: &str, field: &str, errors: &mut FieldErrors| Retry {
            attempts: u8::try_from(number(&format!("retry.{field}.attempts"), attempts, errors))
                .unwrap_or(0),
            delay_minutes: number(&format!("retry.{field}.delay_minutes"), delay, errors),
        };
        settings.retry.no_answer = retry(
            &no_answer_attempts,
            &no_answer_delay,
            "no_answer",
            &mut errors,
        );
        settings.retry.busy = retry(&busy_attempts, &busy_delay, "busy", &mut errors);
        settings.retry.voicemail = retry(
            &voicemail_attempts,
            &voicemail_delay,
            "voicemail",
            &mut errors,
        );
        if let Some(e) = AppError::from_fields(errors) {
            return Err(e);
        }
        service::save(&state.db, &ctx, id, &settings, Some(5)).await?;
        to_step(&slug, id, 5);
        Ok(())
    }
}
pub use schedule::*;

/// What the wizard shows, for a new campaign (no `id`) or a draft or paused one.
#[server(input = server_fn::codec::GetUrl, prefix = "/api", endpoint = "campaigns/wizard")]
pub async fn wizard_data(
    slug: String,
    id: Option<Uuid>,
) -> Result<super::super::model::WizardData, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::CampaignsWrite).await?;
    let state = app_state()?;
    wizard::build(&state, &ctx, id).await
}

#[cfg(feature = "ssr")]
mod wizard {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    use uuid::Uuid;

    use super::super::super::model::{AgentChoice, ColumnInfo, RejectRow, WizardData};
    use super::super::super::service;
    use crate::access::context::WorkspaceCtx;
    use crate::agents::model::{AgentProvider, Direction, SyncStatus};
    use crate::db::entity::{agent, campaign_reject};
    use crate::error::AppError;
    use crate::state::AppState;

    pub async fn build(
        state: &AppState,
        ctx: &WorkspaceCtx,
        id: Option<Uuid>,
    ) -> Result<WizardData, AppError> {
        let db = &state.db;
        let agents = agent::Entity::find()
            .filter(agent::Column::WorkspaceId.eq(ctx.id()))
            .filter(agent::Column::DeletedAt.is_null())
            .order_by_asc(agent::Column::Name)
            .all(db)
            .await?;
        let choices = agents
            .iter()
            .map(|a| AgentChoice {
                id: a.id,
                name: a.name.clone(),
                provider: a.provider.label().to_owned(),
                problem: if !a.is_active {
                    Some("switched off".into())
                } else if a.direction == Direction::Inbound && !a.allow_outbound {
                    Some("takes calls only".into())
                } else if a.provider != AgentProvider::Sandbox
                    && a.sync_status != SyncStatus::Synced
                {
                    Some("not synced".into())
                } else {
                    None
                },
            })
            .collect();
        let mut data = WizardData {
            detail: None,
            agents: choices,
            columns: vec![],
            placeholders: vec![],
            preview_recipient: None,
            preview_greeting: String::new(),
            preview_prompt: String::new(),
            rejects: vec![],
            launch: None,
            default_time_zone: crate::tenancy::service::time_zone_of(&ctx.workspace)
                .unwrap_or_else(|| "America/New_York".into()),
        };
        let Some(id) = id else {
            return Ok(data);
        };
        let row = service::find(db, ctx, id).await?;
        data.detail = Some(service::detail(db, ctx, id).await?);
        data.columns = row
            .columns
            .as_array()
            .map(|cols| {
                cols.iter()
                    .map(|c| ColumnInfo {
                        header: c["header"].as_str().unwrap_or_default().to_owned(),
                        variable: serde_json::from_value::<super::super::super::import::ColumnUse>(
                            c["use"].clone(),
                        )
                        .ok()
                        .and_then(|u| u.field().map(str::to_owned)),
                    })
                    .collect()
            })
            .unwrap_or_default();
        data.rejects = campaign_reject::Entity::find()
            .filter(campaign_reject::Column::CampaignId.eq(id))
            .order_by_asc(campaign_reject::Column::RowNumber)
            .limit(20)
            .all(db)
            .await?
            .into_iter()
            .map(|r| RejectRow {
                row: r.row_number,
                phone: r.phone,
                reason: r.reason,
                detail: r.detail,
            })
            .collect();
        if let Some(sample) = super::super::test_call::sample(db, ctx, &row).await? {
            data.placeholders = sample.placeholders;
            data.preview_recipient = sample.first.map(|r| match r.name {
                Some(name) => format!("{name} ({})", r.phone),
                None => r.phone,
            });
            let fill = |text: &str| crate::providers::sandbox::fill(text, &sample.values);
            data.preview_greeting = fill(&sample.config.first_message);
            data.preview_prompt = fill(&sample.config.system_prompt);
        }
        data.launch = Some(service::preview(state, ctx, id).await?);
        Ok(data)
    }
}
