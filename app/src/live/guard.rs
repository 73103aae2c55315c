//! What keeps a live stream honest after it opened: it is checked again every
//! `Config::live_recheck` (30 s; the session still live, the person still allowed what the
//! stream needed), so signing out, a password reset or removal from the workspace ends it
//! within that time; and one person holds at most [`MAX_STREAMS_PER_USER`] streams in a
//! process, so open tabs cannot pile up connections without bound.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use chrono::Utc;
use uuid::Uuid;

use crate::access::context::WorkspaceCtx;
use crate::access::permission::WorkspacePermission;
use crate::error::AppError;
use crate::state::AppState;

/// Streams one person may hold open in one process.
pub const MAX_STREAMS_PER_USER: usize = 8;

static OPEN: LazyLock<Mutex<HashMap<Uuid, usize>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// One open stream of a person; dropping it (the stream ended or the client left) frees
/// the place.
#[derive(Debug)]
pub struct StreamPlace {
    user_id: Uuid,
}

impl StreamPlace {
    /// Takes a place for `user_id`, or 429 when they hold the most already.
    pub fn take(user_id: Uuid) -> Result<Self, AppError> {
        let mut open = OPEN.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(user_id).or_default();
        if *count >= MAX_STREAMS_PER_USER {
            return Err(AppError::RateLimited {
                message: format!(
                    "You have {MAX_STREAMS_PER_USER} live pages open already. Close one and reload."
                ),
                retry_after_seconds: 30,
            });
        }
        *count += 1;
        Ok(Self { user_id })
    }
}

impl Drop for StreamPlace {
    fn drop(&mut self) {
        let mut open = OPEN.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.user_id) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.user_id);
            }
        }
    }
}

/// Who opened a stream, to check again later.
#[derive(Debug, Clone)]
pub struct Viewer {
    session_id: Uuid,
    user_id: Uuid,
    partner_id: Uuid,
    slug: String,
    permission: WorkspacePermission,
}

impl Viewer {
    pub fn of(ctx: &WorkspaceCtx, permission: WorkspacePermission) -> Self {
        Self {
            permission,
            session_id: ctx.user.session_id,
            user_id: ctx.user_id(),
            partner_id: ctx.user.partner.id,
            slug: ctx.workspace.slug.clone(),
        }
    }

    /// Whether the stream may go on: its session is live and its person still has the
    /// permission it was opened with. A failing database reads as "no": the page reconnects and is
    /// authorized afresh.
    pub async fn may_go_on(&self, state: &AppState) -> bool {
        let live = crate::auth::session::is_live(&state.db, self.session_id, Utc::now())
            .await
            .unwrap_or(false);
        if !live {
            return false;
        }
        let Ok(partner_role) =
            crate::access::service::partner_role(&state.db, self.partner_id, self.user_id).await
        else {
            return false;
        };
        matches!(
            crate::access::service::workspace_access(
                &state.db,
                self.partner_id,
                self.user_id,
                &self.slug,
                partner_role,
            )
            .await,
            Ok(Some(access)) if access.role.can(self.permission)
        )
    }
}
