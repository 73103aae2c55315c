//! `GET /org/audit.csv` (an organisation's owners and admins) and
//! `GET /super-admin/audit.csv` (the super admin): every entry the log page's filters
//! select, newest first, streamed a batch at a time.

use axum::extract::{Query, State};
use axum::response::Response;

use super::model::AuditFilter;
use super::service::{self, Scope};
use crate::access::guard::{partner_for_request, super_admin_for_request};
use crate::access::permission::PartnerPermission;
use crate::csv;
use crate::error::AppError;
use crate::state::AppState;

const HEADER: [&str; 11] = [
    "at",
    "person",
    "action",
    "action_name",
    "entity_type",
    "entity_id",
    "workspace",
    "organization",
    "ip_address",
    "user_agent",
    "details",
];

pub async fn organisation(
    State(state): State<AppState>,
    Query(filter): Query<AuditFilter>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let scope = partner_for_request(&parts, PartnerPermission::AuditRead)
        .map(|ctx| Scope::Organisation(ctx.user.partner.id));
    download(state, scope, filter).await
}

pub async fn everything(
    State(state): State<AppState>,
    Query(filter): Query<AuditFilter>,
    request: axum::extract::Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let scope = super_admin_for_request(&state, &parts)
        .await
        .map(|_| Scope::Everything);
    download(state, scope, filter).await
}

async fn download(
    state: AppState,
    scope: Result<Scope, AppError>,
    filter: AuditFilter,
) -> Response {
    let (scope, mut query) = match scope.and_then(|s| Ok((s, filter.check()?))) {
        Ok(found) => found,
        Err(e) => return csv::refused(e),
    };
    if let Scope::Organisation(_) = scope {
        query.organisation = None;
    }
    let cond = service::condition(scope, &query);
    // Who may be named, read once for the whole download.
    let reader = match service::Reader::of(&state.db, scope).await {
        Ok(reader) => std::sync::Arc::new(reader),
        Err(e) => return csv::refused(e.into()),
    };
    let name = format!("audit-log-{}.csv", chrono::Utc::now().format("%Y%m%d-%H%M"));
    let db = state.db.clone();
    csv::stream(&name, csv::line(&HEADER), move |after| {
        let (db, cond, reader) = (db.clone(), cond.clone(), reader.clone());
        async move {
            let batch = service::batch(&db, cond, after, csv::BATCH).await?;
            let more = csv::more(batch.len(), batch.last().map(|r| (r.created_at, r.id)));
            let mut chunk = String::new();
            for r in service::describe(&db, batch, &reader).await? {
                let name = super::model::action_label(&r.action);
                chunk.push_str(&csv::line(&[
                    r.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    r.person.unwrap_or_default(),
                    r.action,
                    name,
                    r.entity_type,
                    r.entity_id.unwrap_or_default(),
                    r.workspace.unwrap_or_default(),
                    r.organisation.unwrap_or_default(),
                    r.ip.unwrap_or_default(),
                    r.user_agent.unwrap_or_default(),
                    r.details,
                ]));
            }
            Ok((chunk, more))
        }
    })
}
