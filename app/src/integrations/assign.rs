//! Which integration each workspace of an organisation uses for each provider: assigning,
//! the defaults a new workspace gets, and the table of assignments.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::model::{Provider, WorkspaceAssignments};
use super::service::find;
use crate::db::entity::{partner_integration, workspace, workspace_integration_assignment};
use crate::error::AppError;

/// Points a workspace of the organisation at an integration for its provider, replacing
/// any previous choice.
pub async fn assign<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    workspace_id: Uuid,
    integration_id: Uuid,
    assigned_by: Option<Uuid>,
) -> Result<Provider, AppError> {
    let integration = find(db, partner_id, integration_id).await?;
    let provider = integration.provider;
    let ws = workspace::Entity::find_by_id(workspace_id)
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .filter(workspace::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Workspace"))?;
    workspace_integration_assignment::Entity::delete_many()
        .filter(workspace_integration_assignment::Column::WorkspaceId.eq(ws.id))
        .filter(workspace_integration_assignment::Column::Provider.eq(integration.provider))
        .exec(db)
        .await?;
    insert_assignment(db, ws.id, &integration, assigned_by).await?;
    Ok(provider)
}

/// Every live workspace of the organisation with its assignments, by name.
pub async fn assignments<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
) -> Result<Vec<WorkspaceAssignments>, AppError> {
    let workspaces = workspace::Entity::find()
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .filter(workspace::Column::DeletedAt.is_null())
        .order_by_asc(workspace::Column::Name)
        .all(db)
        .await?;
    let rows = workspace_integration_assignment::Entity::find()
        .filter(
            workspace_integration_assignment::Column::WorkspaceId
                .is_in(workspaces.iter().map(|w| w.id)),
        )
        .all(db)
        .await?;
    Ok(workspaces
        .into_iter()
        .map(|w| WorkspaceAssignments {
            assigned: rows
                .iter()
                .filter(|a| a.workspace_id == w.id)
                .map(|a| (a.provider, a.partner_integration_id))
                .collect(),
            workspace_id: w.id,
            workspace_name: w.name,
        })
        .collect())
}

/// Gives a new workspace the organisation's default integration of every provider.
pub async fn assign_defaults<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    workspace_id: Uuid,
) -> Result<(), AppError> {
    let defaults = partner_integration::Entity::find()
        .filter(partner_integration::Column::PartnerId.eq(partner_id))
        .filter(partner_integration::Column::IsDefault.eq(true))
        .filter(partner_integration::Column::IsActive.eq(true))
        .all(db)
        .await?;
    for integration in defaults {
        insert_assignment(db, workspace_id, &integration, None).await?;
    }
    Ok(())
}

/// Assigns `integration` to every live workspace of the partner without one for its
/// provider.
pub(super) async fn assign_to_unassigned<C: ConnectionTrait>(
    db: &C,
    partner_id: Uuid,
    integration: &partner_integration::Model,
) -> Result<(), AppError> {
    let assigned: Vec<Uuid> = workspace_integration_assignment::Entity::find()
        .filter(workspace_integration_assignment::Column::Provider.eq(integration.provider))
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.workspace_id)
        .collect();
    let workspaces = workspace::Entity::find()
        .filter(workspace::Column::PartnerId.eq(partner_id))
        .filter(workspace::Column::DeletedAt.is_null())
        .filter(workspace::Column::Id.is_not_in(assigned))
        .all(db)
        .await?;
    for ws in workspaces {
        insert_assignment(db, ws.id, integration, None).await?;
    }
    Ok(())
}

async fn insert_assignment<C: ConnectionTrait>(
    db: &C,
    workspace_id: Uuid,
    integration: &partner_integration::Model,
    assigned_by: Option<Uuid>,
) -> Result<(), AppError> {
    let now = Utc::now();
    workspace_integration_assignment::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(workspace_id),
        provider: Set(integration.provider),
        partner_integration_id: Set(integration.id),
        assigned_by: Set(assigned_by),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}
