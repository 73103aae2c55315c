//! Users and super admins on an explicit connection or transaction.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::model::{Email, UserStatus, password_problems};
use super::password;
use crate::db::entity::{super_admin, user};
use crate::error::{AppError, FieldErrors};
use crate::phone::E164;

/// What creating a user needs; the password is checked against the policy.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
}

/// Creates a user, refusing a bad email, a weak password or an address already taken.
pub async fn create_user<C: ConnectionTrait>(
    db: &C,
    new: NewUser<'_>,
) -> Result<user::Model, AppError> {
    let mut fields = FieldErrors::new();
    let email = Email::parse(new.email)
        .map_err(|m| fields.insert("email".into(), vec![m]))
        .ok();
    let problems = password_problems(new.password);
    if !problems.is_empty() {
        fields.insert(
            "password".into(),
            problems.into_iter().map(str::to_owned).collect(),
        );
    }
    for (field, value) in [("first_name", new.first_name), ("last_name", new.last_name)] {
        if value.is_some_and(|v| v.chars().count() > 100) {
            fields.insert(field.into(), vec!["Use at most 100 characters.".into()]);
        }
    }
    if let Some(err) = AppError::from_fields(fields) {
        return Err(err);
    }
    let Some(email) = email else {
        return Err(AppError::invalid("email", "Enter an email address."));
    };
    if find_by_email(db, &email).await?.is_some() {
        return Err(AppError::invalid(
            "email",
            "An account with this email already exists.",
        ));
    }
    let now = Utc::now();
    let hash = password::hash(new.password.to_owned()).await?;
    Ok(user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.as_str().to_owned()),
        password_hash: Set(hash),
        first_name: Set(new.first_name.map(str::to_owned)),
        last_name: Set(new.last_name.map(str::to_owned)),
        avatar_url: Set(None),
        phone_number: Set(None),
        status: Set(UserStatus::Active),
        last_login_at: Set(None),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

pub async fn find_by_email<C: ConnectionTrait>(
    db: &C,
    email: &Email,
) -> Result<Option<user::Model>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?)
}

/// Makes a user a super admin; doing it twice is harmless.
pub async fn grant_super_admin<C: ConnectionTrait>(db: &C, user_id: Uuid) -> Result<(), AppError> {
    if super_admin::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_none()
    {
        super_admin::ActiveModel {
            user_id: Set(user_id),
            created_at: Set(Utc::now()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

pub async fn is_super_admin<C: ConnectionTrait>(db: &C, user_id: Uuid) -> Result<bool, AppError> {
    Ok(super_admin::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_some())
}

/// What the profile form sends; empty strings clear optional fields.
#[derive(Debug, Clone)]
pub struct Profile<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub avatar_url: &'a str,
    pub phone_number: &'a str,
}

/// Updates a user's profile, refusing each bad field with its own message.
pub async fn update_profile<C: ConnectionTrait>(
    db: &C,
    user: user::Model,
    profile: Profile<'_>,
) -> Result<user::Model, AppError> {
    use sea_orm::IntoActiveModel;

    let mut fields = FieldErrors::new();
    let first = profile.first_name.trim();
    let last = profile.last_name.trim();
    if first.is_empty() {
        fields.insert("first_name".into(), vec!["Enter your first name.".into()]);
    }
    for (name, value) in [("first_name", first), ("last_name", last)] {
        if value.chars().count() > 100 {
            fields.insert(name.into(), vec!["Use at most 100 characters.".into()]);
        }
    }
    let avatar = profile.avatar_url.trim();
    let avatar = if avatar.is_empty() {
        None
    } else if avatar.len() > 2000 || crate::tenancy::model::safe_image_url(avatar).is_none() {
        fields.insert(
            "avatar_url".into(),
            vec!["Use an https:// (or http://) image address.".into()],
        );
        None
    } else {
        Some(avatar.to_owned())
    };
    let typed = profile.phone_number.trim();
    let phone = if typed.is_empty() {
        None
    } else if let Some(number) = E164::from_typed(typed) {
        Some(String::from(number))
    } else {
        fields.insert(
            "phone_number".into(),
            vec!["Use international format with country code, like +14155550123.".into()],
        );
        None
    };
    if let Some(err) = AppError::from_fields(fields) {
        return Err(err);
    }
    let mut active = user.into_active_model();
    active.first_name = Set(Some(first.to_owned()));
    active.last_name = Set(Some(last.to_owned()).filter(|l| !l.is_empty()));
    active.avatar_url = Set(avatar);
    active.phone_number = Set(phone);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}
