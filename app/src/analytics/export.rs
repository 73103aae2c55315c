//! `GET /w/{slug}/analytics.csv?days=&agent=`: the analytics page's figures as CSV, one
//! row per day and then one per agent, for workspace admins (`AnalyticsExport`).

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::access::guard::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::csv::{self, field};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Params {
    #[serde(default)]
    days: Option<String>,
    #[serde(default)]
    agent: Option<String>,
}

pub async fn handler(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(params): Query<Params>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    match figures(&state, &parts, &slug, params).await {
        Ok(text) => csv::file(&format!("analytics-{slug}.csv"), text),
        Err(e) => csv::refused(e),
    }
}

async fn figures(
    state: &AppState,
    parts: &axum::http::request::Parts,
    slug: &str,
    params: Params,
) -> Result<String, AppError> {
    let ctx =
        workspace_for_request(state, parts, slug, WorkspacePermission::AnalyticsExport).await?;
    let days = super::model::window(params.days.as_deref(), 30);
    let agent_id =
        match params
            .agent
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
        {
            None => None,
            Some(text) => Some(uuid::Uuid::parse_str(text).map_err(|_| {
                AppError::invalid("agent", "That is not an agent of this workspace.")
            })?),
        };
    let report = super::service::analytics(&state.db, ctx.id(), days, agent_id).await?;
    let mut out = String::from(
        "section,date_or_agent,provider,calls,answered,success_percent,seconds,billed_cents\r\n",
    );
    for d in &report.per_day {
        out.push_str(&format!(
            "day,{},,{},{},,{},{}\r\n",
            d.date, d.calls, d.answered, d.seconds, d.cents
        ));
    }
    for a in &report.agents {
        out.push_str(&format!(
            "agent,{},{},{},{},{},{},{}\r\n",
            field(&a.name),
            a.provider,
            a.totals.calls,
            a.totals.answered,
            a.totals.success_percent(),
            a.totals.seconds,
            a.totals.cents
        ));
    }
    Ok(out)
}
