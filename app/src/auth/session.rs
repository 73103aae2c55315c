//! Server-side sessions: an opaque cookie token whose hash names a `sessions` row, with an
//! idle and an absolute expiry, bound to the partner whose host created it.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::model::UserStatus;

use super::token;
use crate::audit::RequestMeta;
use crate::db::entity::{partner_member, session, user};
use crate::error::AppError;
use crate::tenancy::model::PartnerRole;

pub const COOKIE: &str = "g365_session";
/// The cookie's name over HTTPS: the `__Host-` prefix makes the browser refuse it unless it
/// is Secure, for this host only (no `Domain`) and for every path, so no sibling subdomain
/// (another partner's, say) can set or shadow it.
pub const SECURE_COOKIE: &str = "__Host-g365_session";

/// The session cookie's name on a deployment served over HTTPS (`secure`) or not.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure { SECURE_COOKIE } else { COOKIE }
}
/// A session unused for this long ends.
pub const IDLE_TIMEOUT: Duration = Duration::days(3);
/// No session lives longer than this, however busy.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::days(30);
/// Time allowed between the password and the second factor.
pub const MFA_PENDING_TIMEOUT: Duration = Duration::minutes(10);
/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// The signed-in person behind a request, put in the request's extensions by the server.
#[derive(Debug, Clone)]
pub struct CurrentSession {
    pub id: Uuid,
    pub user: Arc<user::Model>,
    /// The user's role in the partner the session is bound to, read with the session.
    pub partner_role: Option<PartnerRole>,
    /// Password accepted, second factor still owed: the session grants nothing else.
    pub mfa_pending: bool,
}

/// A session row with its user's role in the session's partner, read in one query.
#[derive(FromQueryResult)]
struct SessionWithRole {
    #[sea_orm(nested)]
    session: session::Model,
    partner_role: Option<PartnerRole>,
}

/// Starts a session and returns the token for the cookie.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    partner_id: Uuid,
    mfa_pending: bool,
    meta: &RequestMeta,
) -> Result<String, AppError> {
    let token = token::generate();
    let now = Utc::now();
    let lifetime = if mfa_pending {
        MFA_PENDING_TIMEOUT
    } else {
        ABSOLUTE_TIMEOUT
    };
    session::ActiveModel {
        id: Set(Uuid::now_v7()),
        token_hash: Set(token::hash(&token)),
        user_id: Set(user_id),
        partner_id: Set(Some(partner_id)),
        ip_address: Set(meta.ip.clone()),
        user_agent: Set(meta.user_agent.as_deref().map(|ua| truncate(ua, 500))),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + lifetime),
        revoked_at: Set(None),
        mfa_pending: Set(mfa_pending),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The live session a token names on this partner's host, with its user and their role
/// in the partner (one query), touching it when due. Expired, revoked, foreign-partner and
/// unknown tokens all answer `None`.
pub async fn lookup<C: ConnectionTrait>(
    db: &C,
    token: &str,
    partner_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<CurrentSession>, AppError> {
    use partner_member::Column as M;
    let role = Query::select()
        .column((partner_member::Entity, M::Role))
        .from(partner_member::Entity)
        .and_where(Expr::col((partner_member::Entity, M::PartnerId)).eq(partner_id))
        .and_where(
            Expr::col((partner_member::Entity, M::UserId))
                .equals((session::Entity, session::Column::UserId)),
        )
        .and_where(Expr::col((partner_member::Entity, M::RemovedAt)).is_null())
        .to_owned();
    // Columns of the two models are read with the prefixes `A_` and `B_`.
    let Some((
        SessionWithRole {
            session: row,
            partner_role,
        },
        Some(user),
    )) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token::hash(token)))
        .find_also_related(user::Entity)
        .expr_as(role, "A_partner_role")
        .into_model::<SessionWithRole, user::Model>()
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let live = row.revoked_at.is_none()
        && row.expires_at > now
        && row.last_seen_at + IDLE_TIMEOUT > now
        && row.partner_id == Some(partner_id)
        && user.deleted_at.is_none()
        && user.status == UserStatus::Active;
    if !live {
        return Ok(None);
    }
    if now - row.last_seen_at > TOUCH_EVERY {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::Id.eq(row.id))
            .exec(db)
            .await?;
    }
    Ok(Some(CurrentSession {
        id: row.id,
        user: Arc::new(user),
        partner_role,
        mfa_pending: row.mfa_pending,
    }))
}

/// Whether session `session_id` is still live (not revoked, not expired, idle or
/// absolute, and its user still active): for long-lived requests that outlast the check
/// made when they opened.
pub async fn is_live<C: ConnectionTrait>(
    db: &C,
    session_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let Some((row, Some(user))) = session::Entity::find_by_id(session_id)
        .find_also_related(user::Entity)
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    Ok(row.revoked_at.is_none()
        && !row.mfa_pending
        && row.expires_at > now
        && row.last_seen_at + IDLE_TIMEOUT > now
        && user.deleted_at.is_none()
        && user.status == UserStatus::Active)
}

/// Ends one session.
pub async fn revoke<C: ConnectionTrait>(db: &C, session_id: Uuid) -> Result<(), AppError> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of a user except `keep` (the one making the change, if any).
pub async fn revoke_all<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    keep: Option<Uuid>,
) -> Result<u64, AppError> {
    let mut query = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        query = query.filter(session::Column::Id.ne(keep));
    }
    Ok(query.exec(db).await?.rows_affected)
}

/// Deletes sessions that ended (expired or revoked) more than a week ago; returns how
/// many. The week keeps recent ones for "where am I signed in" and investigations.
pub async fn purge_ended<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, AppError> {
    use sea_orm::Condition;
    let cutoff = now - Duration::days(7);
    Ok(session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::ExpiresAt.lt(cutoff))
                .add(session::Column::RevokedAt.lt(cutoff))
                .add(session::Column::LastSeenAt.lt(cutoff - IDLE_TIMEOUT)),
        )
        .exec(db)
        .await?
        .rows_affected)
}

/// The periodic job that runs [`purge_ended`].
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PurgeSessions;

impl crate::jobs::Job for PurgeSessions {
    const KIND: &'static str = "sessions.purge";

    async fn run(self, cx: crate::jobs::Context) -> Result<(), crate::jobs::JobError> {
        let gone = purge_ended(&cx.state.db, Utc::now()).await?;
        if gone > 0 {
            tracing::info!(sessions = gone, "ended sessions forgotten");
        }
        Ok(())
    }
}

/// The `Set-Cookie` value that stores a session token.
pub fn cookie(token: &str, secure: bool) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        cookie_name(secure),
        ABSOLUTE_TIMEOUT.num_seconds(),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// The value of cookie `name` in a request's headers.
pub fn request_cookie<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Adds a `Set-Cookie` header to the response being built (server functions and pages).
pub fn send_cookie(value: &str) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(value) = http::HeaderValue::from_str(value)
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The session token in a `Cookie` header, if any: over HTTPS only the `__Host-` cookie
/// counts, so a cookie planted by another subdomain is never read.
pub fn token_from_cookie_header(header: &str, secure: bool) -> Option<&str> {
    let wanted = cookie_name(secure);
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_on_https() {
        let plain = cookie("abc", false);
        assert!(plain.starts_with("g365_session=abc; Path=/; HttpOnly; SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        assert!(cookie("abc", true).ends_with("; Secure"));
        assert!(cookie("abc", true).starts_with("__Host-g365_session=abc; Path=/;"));
        assert!(!cookie("abc", true).contains("Domain"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        assert_eq!(
            token_from_cookie_header("g365_theme=dark; g365_session=tok", false),
            Some("tok")
        );
        assert_eq!(token_from_cookie_header("g365_session=", false), None);
        assert_eq!(token_from_cookie_header("other=1", false), None);
        // Over HTTPS a plain cookie (which a sibling subdomain could set) is ignored.
        assert_eq!(token_from_cookie_header("g365_session=tok", true), None);
        assert_eq!(
            token_from_cookie_header("g365_session=evil; __Host-g365_session=tok", true),
            Some("tok")
        );
    }
}
