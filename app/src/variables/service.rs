//! A workspace's own variables, reached through its `WorkspaceCtx`. Names are unique per
//! workspace (a unique index backs the check) and never a standard name.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::model::{Variable, VariableCategory, WorkspaceVariable, validate_variable};
use crate::access::context::WorkspaceCtx;
use crate::db::entity::workspace_variable;
use crate::error::{AddFieldError, AppError, FieldErrors};

pub async fn list<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
) -> Result<Vec<WorkspaceVariable>, AppError> {
    Ok(workspace_variable::Entity::find()
        .filter(workspace_variable::Column::WorkspaceId.eq(ctx.id()))
        .order_by_asc(workspace_variable::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|v| WorkspaceVariable {
            id: v.id,
            variable: Variable {
                name: v.name,
                description: v.description,
                default_value: v.default_value,
                is_required: v.is_required,
                category: VariableCategory::parse(&v.category).unwrap_or(VariableCategory::Custom),
            },
        })
        .collect())
}

/// Adds a variable (`id` None) or changes one; returns its id.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Option<Uuid>,
    variable: &Variable,
) -> Result<Uuid, AppError> {
    let existing = list(db, ctx).await?;
    let taken: Vec<&str> = existing
        .iter()
        .filter(|v| Some(v.id) != id)
        .map(|v| v.variable.name.as_str())
        .collect();
    let mut errors = FieldErrors::new();
    validate_variable(variable, &taken, "", &mut errors);
    if !VariableCategory::EDITABLE.contains(&variable.category) {
        errors.add("category", "Choose contact, business or custom.");
    }
    if let Some(e) = AppError::from_fields(errors) {
        return Err(e);
    }
    let now = Utc::now();
    let name = variable.name.trim().to_owned();
    match id {
        Some(id) => {
            let row = workspace_variable::Entity::find_by_id(id)
                .filter(workspace_variable::Column::WorkspaceId.eq(ctx.id()))
                .one(db)
                .await?
                .ok_or_else(|| AppError::not_found("Variable"))?;
            let mut active: workspace_variable::ActiveModel = row.into();
            active.name = Set(name);
            active.description = Set(variable.description.trim().to_owned());
            active.default_value = Set(variable.default_value.trim().to_owned());
            active.is_required = Set(variable.is_required);
            active.category = Set(variable.category.as_str().into());
            active.updated_at = Set(now);
            active.update(db).await?;
            Ok(id)
        }
        None => {
            let id = Uuid::now_v7();
            workspace_variable::ActiveModel {
                id: Set(id),
                workspace_id: Set(ctx.id()),
                name: Set(name),
                description: Set(variable.description.trim().to_owned()),
                default_value: Set(variable.default_value.trim().to_owned()),
                is_required: Set(variable.is_required),
                category: Set(variable.category.as_str().into()),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(db)
            .await?;
            Ok(id)
        }
    }
}

pub async fn delete<C: ConnectionTrait>(
    db: &C,
    ctx: &WorkspaceCtx,
    id: Uuid,
) -> Result<(), AppError> {
    let deleted = workspace_variable::Entity::delete_many()
        .filter(workspace_variable::Column::Id.eq(id))
        .filter(workspace_variable::Column::WorkspaceId.eq(ctx.id()))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::not_found("Variable"));
    }
    Ok(())
}
