//! A test call from a campaign: its agent calls one number with values a person chose for
//! the agent's `{{placeholders}}` (prefilled from the list's first recipient), so the
//! greeting and the prompt can be heard as a recipient would hear them before anyone on
//! the list is called. It is the agents' "call me" (credit admitted first; Sandbox
//! simulated and stored; VAPI and Retell placed from the shared number), not an attempt:
//! nobody on the list is touched.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::super::dialer::call_variables;
use crate::access::context::WorkspaceCtx;
use crate::agents::model::{AgentConfig, CallMeOutcome};
use crate::db::entity::{agent, campaign, campaign_recipient};
use crate::error::{AddFieldError, AppError, FieldErrors};
use crate::state::AppState;

/// The longest value a test call takes for one placeholder.
const MAX_VALUE: usize = 500;

/// The agent's placeholders, in the order its greeting then its prompt name them.
pub fn placeholders(config: &AgentConfig) -> Vec<String> {
    let mut names = crate::variables::model::placeholders(&config.first_message);
    for name in crate::variables::model::placeholders(&config.system_prompt) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// What a recipient would hear: the campaign's agent's configuration, its placeholders, the
/// list's first recipient and the values a call to them would carry. None without an agent.
pub struct Sample {
    pub config: AgentConfig,
    pub placeholders: Vec<String>,
    pub first: Option<campaign_recipient::Model>,
    pub values: Vec<(String, String)>,
}

pub async fn sample<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    row: &campaign::Model,
) -> Result<Option<Sample>, AppError> {
    let Some(agent_id) = row.agent_id else {
        return Ok(None);
    };
    let Some(agent) = agent::Entity::find_by_id(agent_id)
        .filter(agent::Column::WorkspaceId.eq(ctx.id()))
        .filter(agent::Column::DeletedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let config = crate::agents::service::config_of(&agent);
    let first = campaign_recipient::Entity::find()
        .filter(campaign_recipient::Column::CampaignId.eq(row.id))
        .order_by_asc(campaign_recipient::Column::RowNumber)
        .one(db)
        .await?;
    let defaults = crate::agents::service::variable_defaults(db, ctx.id(), &config).await?;
    let values = match &first {
        Some(r) => call_variables(&defaults, row, r),
        None => defaults,
    };
    Ok(Some(Sample {
        placeholders: placeholders(&config),
        config,
        first,
        values,
    }))
}

/// The placeholders a test call form offers, each with the first recipient's value.
pub async fn form_values<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    row: &campaign::Model,
) -> Result<Vec<(String, String)>, AppError> {
    let Some(sample) = sample(db, ctx, row).await? else {
        return Ok(vec![]);
    };
    Ok(sample
        .placeholders
        .into_iter()
        .map(|name| {
            let value = sample
                .values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            (name, value)
        })
        .collect())
}

/// Has the campaign's agent call `number` with `chosen` values (placeholder, value); a
/// placeholder left empty takes the campaign's default for it, then the agent's.
pub async fn place(
    state: &AppState,
    ctx: &WorkspaceCtx,
    id: Uuid,
    number: &str,
    name: &str,
    chosen: Vec<(String, String)>,
) -> Result<CallMeOutcome, AppError> {
    let row = super::super::service::find(&state.db, ctx, id).await?;
    if let Some(problem) = super::super::lifecycle::agent_problem(&state.db, &row).await? {
        return Err(AppError::Conflict(problem));
    }
    let Some(agent_id) = row.agent_id else {
        return Err(AppError::conflict(
            "Choose the agent that will make the calls.",
        ));
    };
    let offered = form_values(&state.db, ctx, &row).await?;
    let mut errors = FieldErrors::default();
    let mut values = vec![];
    for (i, (placeholder, value)) in chosen.into_iter().enumerate() {
        let value = value.trim().to_owned();
        if !offered.iter().any(|(n, _)| *n == placeholder) {
            errors.add(
                format!("values.{i}.value"),
                format!("The agent has no {{{{{placeholder}}}}} to fill."),
            );
        } else if value.chars().count() > MAX_VALUE {
            errors.add(
                format!("values.{i}.value"),
                format!("Keep {{{{{placeholder}}}}} to {MAX_VALUE} characters or fewer."),
            );
        } else if !value.is_empty() {
            values.push((placeholder, value));
        }
    }
    if let Some(e) = AppError::from_fields(errors) {
        return Err(e);
    }
    for source in super::super::service::settings_of(&row).variables {
        if !source.default.is_empty() && !values.iter().any(|(n, _)| *n == source.name) {
            values.push((source.name, source.default));
        }
    }
    crate::agents::test_calls::call_me(state, ctx, agent_id, number, name, &values).await
}
