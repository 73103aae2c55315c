//! Agent server functions. Each starts from `require_workspace` with the permission the
//! action needs (viewers read, members create and edit, admins delete and repair
//! webhooks). `create_agent` and `update_agent` take a whole draft as JSON, for API
//! callers; the wizard page posts to itself instead (`wizard_post`). The agent page's
//! actions are plain forms: each answers with a redirect to the page that shows its
//! outcome.

use leptos::prelude::*;
use server_fn::codec::{GetUrl, Json};
use uuid::Uuid;

use super::model::{
    AgentDetail, AgentDraft, AgentFormOptions, AgentSummary, CallMeOutcome, SyncOutcome,
    TestCallStart, TestCallState, WebhookCheck,
};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::model::SyncStatus,
    super::save,
    super::service,
    crate::access::guard::{require_workspace, require_workspace_unmetered},
    crate::access::permission::WorkspacePermission,
    crate::auth::rate_limit,
    crate::components::toast::flash,
    crate::state::app_state,
};

#[server(input = GetUrl, prefix = "/api", endpoint = "agents/list")]
pub async fn list_agents(slug: String) -> Result<Vec<AgentSummary>, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::AgentsRead).await?;
    let state = app_state()?;
    service::list(&state.db, &ctx).await
}

#[server(input = GetUrl, prefix = "/api", endpoint = "agents/get")]
pub async fn get_agent(slug: String, id: Uuid) -> Result<AgentDetail, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::AgentsRead).await?;
    let state = app_state()?;
    service::detail(&state, &ctx, id).await
}

/// Voices, documents and variables for the agent form.
#[server(input = GetUrl, prefix = "/api", endpoint = "agents/options")]
pub async fn load_agent_form(slug: String) -> Result<AgentFormOptions, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::AgentsWrite).await?;
    let state = app_state()?;
    service::form_options(&state, &ctx).await
}

/// Creates an agent and syncs it; returns its id.
#[server(input = Json, prefix = "/api", endpoint = "agents/create")]
pub async fn create_agent(slug: String, draft: AgentDraft) -> Result<Uuid, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::AgentsWrite).await?;
    let state = app_state()?;
    save::create(&state, &ctx, &draft).await
}

#[server(input = Json, prefix = "/api", endpoint = "agents/update")]
pub async fn update_agent(slug: String, id: Uuid, draft: AgentDraft) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::AgentsWrite).await?;
    let state = app_state()?;
    save::update(&state, &ctx, id, &draft).await
}

#[server(prefix = "/api", endpoint = "agents/delete")]
pub async fn delete_agent(slug: String, id: Uuid) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::AgentsDelete).await?;
    let state = app_state()?;
    save::delete(&state, &ctx, id).await?;
    flash("Agent deleted.");
    leptos_axum::redirect(&format!("/w/{slug}/agents"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "agents/duplicate")]
pub async fn duplicate_agent(slug: String, id: Uuid) -> Result<Uuid, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::AgentsWrite).await?;
    let state = app_state()?;
    let copy = save::duplicate(&state, &ctx, id).await?;
    flash("Duplicated. This is the copy.");
    leptos_axum::redirect(&format!("/w/{slug}/agents/{copy}"));
    Ok(copy)
}

#[server(prefix = "/api", endpoint = "agents/resync")]
pub async fn resync_agent(slug: String, id: Uuid) -> Result<SyncOutcome, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::AgentsWrite).await?;
    let state = app_state()?;
    let outcome = super::sync::sync(&state, &ctx, id).await?;
    // A failure is shown by the page's provider card, in the provider's words.
    if outcome.status == SyncStatus::Synced {
        flash("Synced with the provider.");
    }
    leptos_axum::redirect(&format!("/w/{slug}/agents/{id}"));
    Ok(outcome)
}

#[server(prefix = "/api", endpoint = "agents/active")]
pub async fn set_agent_active(slug: String, id: Uuid, active: bool) -> Result<(), AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::AgentsWrite).await?;
    let state = app_state()?;
    save::set_active(&state.db, &ctx, id, active).await?;
    flash(if active {
        "Agent activated."
    } else {
        "Agent deactivated: it takes no calls until it is activated again."
    });
    leptos_axum::redirect(&format!("/w/{slug}/agents/{id}"));
    Ok(())
}

#[server(input = GetUrl, prefix = "/api", endpoint = "agents/webhook-status")]
pub async fn webhook_status(slug: String) -> Result<Vec<WebhookCheck>, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::AgentsRead).await?;
    let state = app_state()?;
    super::webhook_check::webhook_status(&state, &ctx).await
}

/// Queues a resync of the agents whose webhook address at the provider is wrong (all with
/// `force`); answers at once with them, syncing.
#[server(prefix = "/api", endpoint = "agents/fix-webhooks")]
pub async fn fix_webhooks(slug: String, force: bool) -> Result<Vec<SyncOutcome>, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::IntegrationsManage).await?;
    let state = app_state()?;
    let outcomes = super::webhook_check::fix_webhooks(&state, &ctx, force).await?;
    flash(&if outcomes.is_empty() {
        "Every webhook was already right.".to_owned()
    } else {
        let names: Vec<&str> = outcomes.iter().map(|o| o.name.as_str()).collect();
        format!(
            "Resyncing {}: each agent shows its provider's answer when it comes.",
            names.join(", ")
        )
    });
    leptos_axum::redirect(&format!("/w/{slug}/agents"));
    Ok(outcomes)
}

/// Starts a browser test call (Sandbox: simulated and stored at once).
#[server(prefix = "/api", endpoint = "agents/test-call")]
pub async fn start_test_call(slug: String, id: Uuid) -> Result<TestCallStart, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::ConversationsCreate).await?;
    let state = app_state()?;
    rate_limit::take_both(
        &state.db,
        (rate_limit::TEST_CALLS_PER_USER, &ctx.user_id().to_string()),
        (rate_limit::TEST_CALLS_PER_WORKSPACE, &ctx.id().to_string()),
    )
    .await?;
    let start = super::test_calls::start_test_call(&state, &ctx, id).await?;
    // The page plays a Sandbox conversation back; a browser call's script reads the JSON.
    if let TestCallStart::Sandbox {
        conversation_id, ..
    } = &start
    {
        leptos_axum::redirect(&format!(
            "/w/{slug}/agents/{id}?test_call={conversation_id}#test-call"
        ));
    }
    Ok(start)
}

/// Asks the provider where a browser test call stands and stores it. The page calls this
/// when the provider has created the call and again when it ends. Starting the call passed
/// the paywall; recording how it went is never refused by it.
#[server(prefix = "/api", endpoint = "agents/test-call-update")]
pub async fn update_test_call(
    slug: String,
    id: Uuid,
    call_id: String,
) -> Result<TestCallState, AppError> {
    let ctx = require_workspace_unmetered(&slug, WorkspacePermission::ConversationsCreate).await?;
    let state = app_state()?;
    super::test_calls::test_call_update(&state, &ctx, id, &call_id).await
}

/// Has the agent call the given number ("call me").
#[server(prefix = "/api", endpoint = "agents/call-me")]
pub async fn call_me(
    slug: String,
    id: Uuid,
    number: String,
    name: String,
) -> Result<CallMeOutcome, AppError> {
    let ctx = require_workspace(&slug, WorkspacePermission::ConversationsCreate).await?;
    let state = app_state()?;
    rate_limit::take_both(
        &state.db,
        (rate_limit::CALL_ME_PER_USER, &ctx.user_id().to_string()),
        (rate_limit::CALL_ME_PER_WORKSPACE, &ctx.id().to_string()),
    )
    .await?;
    let outcome = super::test_calls::call_me(&state, &ctx, id, &number, &name, &[]).await?;
    let page = format!("/w/{slug}/agents/{id}");
    match &outcome {
        CallMeOutcome::Simulated {
            conversation_id, ..
        } => leptos_axum::redirect(&format!("{page}?call_me={conversation_id}#call-me")),
        CallMeOutcome::Placed { call_id, from, to } => {
            flash(&format!(
                "Calling {to} from {from}. The call ({call_id}) appears in the call log when it ends."
            ));
            leptos_axum::redirect(&format!("{page}#call-me"));
        }
    }
    Ok(outcome)
}
