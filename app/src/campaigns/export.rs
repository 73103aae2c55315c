//! Downloads of a campaign's results and lists, as CSV streamed a batch at a time (fields
//! quoted and spreadsheet formulas defused, as the calls export does):
//! `GET /w/{slug}/campaigns/{id}/recipients.csv` (everyone with where they stand, their
//! last outcome and call), `GET /w/{slug}/campaigns/{id}/rejects.csv` (the imported rows
//! not taken, with why) and `GET /w/{slug}/do-not-call.csv` (the lists the workspace
//! obeys).

use axum::extract::{Path, State};
use axum::response::Response;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::access::guard::workspace_for_request;
use crate::access::permission::WorkspacePermission;
use crate::csv::{self, file, line, refused};
use crate::db::entity::{campaign_recipient, campaign_reject};
use crate::error::AppError;
use crate::state::AppState;

/// The campaign `id` of workspace `slug`, for someone who may read its campaigns.
async fn campaign_for(
    state: &AppState,
    request: axum::extract::Request,
    slug: &str,
    id: Uuid,
) -> Result<crate::db::entity::campaign::Model, AppError> {
    let (parts, _) = request.into_parts();
    let ctx =
        workspace_for_request(state, &parts, slug, WorkspacePermission::CampaignsRead).await?;
    super::service::find(&state.db, &ctx, id).await
}

pub async fn recipients(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, Uuid)>,
    request: axum::extract::Request,
) -> Response {
    let campaign = match campaign_for(&state, request, &slug, id).await {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    let db = state.db.clone();
    let header = line(&[
        "row",
        "phone",
        "name",
        "status",
        "outcome",
        "attempts",
        "next_attempt_at",
        "note",
        "last_call_id",
    ]);
    csv::stream(
        &format!("campaign-{}-recipients.csv", id.simple()),
        header,
        move |after: Option<Uuid>| {
            let db = db.clone();
            async move {
                let mut select = campaign_recipient::Entity::find()
                    .filter(campaign_recipient::Column::CampaignId.eq(campaign.id));
                if let Some(last) = after {
                    select = select.filter(campaign_recipient::Column::Id.gt(last));
                }
                let batch = select
                    .order_by_asc(campaign_recipient::Column::Id)
                    .limit(csv::BATCH)
                    .all(&db)
                    .await?;
                let more = csv::more(batch.len(), batch.last().map(|r| r.id));
                let chunk: String = batch
                    .into_iter()
                    .map(|r| {
                        line(&[
                            r.row_number.map(|n| n.to_string()).unwrap_or_default(),
                            r.phone,
                            r.name.unwrap_or_default(),
                            r.status.as_str().to_owned(),
                            r.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default(),
                            r.attempts.to_string(),
                            r.next_attempt_at
                                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                                .unwrap_or_default(),
                            r.last_error.unwrap_or_default(),
                            r.conversation_id.map(|c| c.to_string()).unwrap_or_default(),
                        ])
                    })
                    .collect();
                Ok((chunk, more))
            }
        },
    )
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct SkippedQuery {
    #[serde(default)]
    pub group: String,
}

/// `GET /w/{slug}/campaigns/{id}/skipped.csv?group=do_not_call|no_window`: the queued
/// recipients the launch preview counts as skipped in that group, as it would count them
/// now.
pub async fn skipped(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, Uuid)>,
    axum::extract::Query(query): axum::extract::Query<SkippedQuery>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let sorted = async {
        let ctx = workspace_for_request(&state, &parts, &slug, WorkspacePermission::CampaignsRead)
            .await?;
        let row = super::service::find(&state.db, &ctx, id).await?;
        super::preview::sort(&state.db, &ctx, &row).await
    }
    .await;
    let sorted = match sorted {
        Ok(sorted) => sorted,
        Err(e) => return refused(e),
    };
    let (rows, why) = match query.group.as_str() {
        "do_not_call" => (sorted.do_not_call, "on a do-not-call list"),
        "no_window" => (sorted.no_window, "no calling window before the end"),
        other => {
            return refused(AppError::invalid(
                "group",
                format!("{other:?} is not a group of recipients: do_not_call or no_window."),
            ));
        }
    };
    let mut out = line(&["phone", "name", "why"]);
    for (phone, name) in rows {
        out.push_str(&line(&[phone, name.unwrap_or_default(), why.to_owned()]));
    }
    file(
        &format!("campaign-{}-{}.csv", id.simple(), query.group),
        out,
    )
}

/// `GET /w/{slug}/campaigns/{id}/template.csv`: a list to fill in: the columns the
/// import recognises, then one for each of the agent's placeholders the list should
/// fill, with an example row.
pub async fn template(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, Uuid)>,
    request: axum::extract::Request,
) -> Response {
    let campaign = match campaign_for(&state, request, &slug, id).await {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    let agent = match campaign.agent_id {
        Some(agent_id) => crate::db::entity::agent::Entity::find_by_id(agent_id)
            .filter(crate::db::entity::agent::Column::WorkspaceId.eq(campaign.workspace_id))
            .one(&state.db)
            .await
            .unwrap_or_default(),
        None => None,
    };
    let mut header: Vec<String> = ["phone", "first_name", "last_name", "email", "time_zone"]
        .map(str::to_owned)
        .to_vec();
    let mut example: Vec<String> = [
        "+14155550100",
        "Ada",
        "Lovelace",
        "ada@example.com",
        "America/Los_Angeles",
    ]
    .map(str::to_owned)
    .to_vec();
    if let Some(agent) = agent {
        let config = crate::agents::service::config_of(&agent);
        for name in super::api::test_call::placeholders(&config) {
            // Standard fields (first_name, email, …) have their columns already, and the
            // number fills phone_number.
            let own = matches!(
                super::import::guess(&name),
                super::import::ColumnUse::Variable(_)
            );
            if own && name != "phone_number" && !header.contains(&name) {
                header.push(name);
                example.push(String::new());
            }
        }
    }
    file(
        "campaign-list-template.csv",
        line(&header) + &line(&example),
    )
}

/// Which rows a download of rows not used holds: `invalid` (no number, or not a
/// number), `duplicate`, or all of them.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RejectsQuery {
    #[serde(default)]
    pub reason: Option<String>,
}

pub async fn rejects(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, Uuid)>,
    axum::extract::Query(query): axum::extract::Query<RejectsQuery>,
    request: axum::extract::Request,
) -> Response {
    use super::import::Reject;
    let reasons: Vec<&str> = match query.reason.as_deref().unwrap_or_default() {
        "" => vec![],
        "invalid" => vec![
            Reject::InvalidNumber.as_str(),
            Reject::MissingPhone.as_str(),
        ],
        "duplicate" => vec![Reject::Duplicate.as_str()],
        other => {
            return refused(AppError::invalid(
                "reason",
                format!("{other:?} is not a group of rows: invalid or duplicate."),
            ));
        }
    };
    let campaign = match campaign_for(&state, request, &slug, id).await {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    let mut select =
        campaign_reject::Entity::find().filter(campaign_reject::Column::CampaignId.eq(campaign.id));
    if !reasons.is_empty() {
        select = select.filter(campaign_reject::Column::Reason.is_in(reasons));
    }
    // Rows not taken are at most the list's size, read in one go.
    let rows = match select
        .order_by_asc(campaign_reject::Column::RowNumber)
        .all(&state.db)
        .await
    {
        Ok(rows) => rows,
        Err(e) => return refused(e.into()),
    };
    let mut out = line(&["row", "phone", "reason", "detail"]);
    for r in rows {
        out.push_str(&line(&[
            r.row_number.to_string(),
            r.phone,
            r.reason,
            r.detail,
        ]));
    }
    file(&format!("campaign-{}-rejects.csv", id.simple()), out)
}

pub async fn do_not_call(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let ctx = match workspace_for_request(&state, &parts, &slug, WorkspacePermission::CampaignsRead)
        .await
    {
        Ok(ctx) => ctx,
        Err(e) => return refused(e),
    };
    let entries = match super::dnc::entries_for(&state.db, &ctx, None).await {
        Ok(list) => list.entries,
        Err(e) => return refused(e),
    };
    do_not_call_file(&format!("do-not-call-{slug}.csv"), entries)
}

/// A do-not-call list as a CSV download named `name`.
pub fn do_not_call_file(name: &str, entries: Vec<super::model::DncEntry>) -> Response {
    let mut out = line(&["phone", "list", "source", "reason", "added_at"]);
    for e in entries {
        let list = if e.organisation {
            "organisation"
        } else {
            "workspace"
        };
        out.push_str(&line(&[
            e.phone,
            list.to_owned(),
            e.source.as_str().to_owned(),
            e.reason.unwrap_or_default(),
            e.created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ]));
    }
    file(name, out)
}
