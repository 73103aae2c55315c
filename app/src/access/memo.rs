//! What a request learns about its user's access, learnt once. A page asks several
//! server functions at once (the workspace frame, the workspace switcher, the page's own
//! data), and each starts by checking the same role in the same workspace; the memo makes
//! that one lookup. It lives in the request's extensions (the session middleware puts a
//! fresh one in every request), so nothing is shared between requests and a role changed
//! by one request is seen by the next. Long-lived streams re-check without it.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::db::entity::workspace;
use crate::tenancy::model::{PartnerRole, WorkspaceRole};

/// A workspace as one user may open it: the row, their role, and whether the role comes
/// from the partner rather than a membership.
pub type Access = (workspace::Model, WorkspaceRole, bool);

/// One request's access lookups; clones share them.
#[derive(Clone, Default)]
pub struct AccessMemo(Arc<Tables>);

#[derive(Default)]
struct Tables {
    partner_roles: Table<(Uuid, Uuid), Option<PartnerRole>>,
    workspaces: Table<(Uuid, Uuid, String), Option<Access>>,
}

impl AccessMemo {
    /// The user's role in the partner, looked up by `find` the first time it is asked.
    pub async fn partner_role<E>(
        &self,
        partner_id: Uuid,
        user_id: Uuid,
        find: impl AsyncFnOnce() -> Result<Option<PartnerRole>, E>,
    ) -> Result<Option<PartnerRole>, E> {
        self.0.partner_roles.get((partner_id, user_id), find).await
    }

    /// The user's access to workspace `slug`, looked up by `find` the first time.
    pub async fn workspace<E>(
        &self,
        partner_id: Uuid,
        user_id: Uuid,
        slug: &str,
        find: impl AsyncFnOnce() -> Result<Option<Access>, E>,
    ) -> Result<Option<Access>, E> {
        self.0
            .workspaces
            .get((partner_id, user_id, slug.to_owned()), find)
            .await
    }
}

/// Values by key, each computed once; callers asking at the same time wait for the first.
/// A failed lookup is not kept: the next caller tries again.
struct Table<K, V>(Mutex<HashMap<K, Arc<OnceCell<V>>>>);

impl<K, V> Default for Table<K, V> {
    fn default() -> Self {
        Self(Mutex::new(HashMap::new()))
    }
}

impl<K: Eq + Hash, V: Clone> Table<K, V> {
    async fn get<E>(&self, key: K, find: impl AsyncFnOnce() -> Result<V, E>) -> Result<V, E> {
        let cell = {
            let mut cells = self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            cells.entry(key).or_default().clone()
        };
        cell.get_or_try_init(|| find()).await.cloned()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test]
    async fn asks_once_per_key_and_retries_after_a_failure() {
        let memo = AccessMemo::default();
        let asked = AtomicU32::new(0);
        let (partner, user, other) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let find = async || {
            asked.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(Some(PartnerRole::Admin))
        };
        let (a, b) = tokio::join!(
            memo.partner_role(partner, user, find),
            memo.partner_role(partner, user, find)
        );
        assert_eq!(
            (a, b),
            (Ok(Some(PartnerRole::Admin)), Ok(Some(PartnerRole::Admin)))
        );
        assert_eq!(asked.load(Ordering::SeqCst), 1, "two callers, one lookup");

        let none = memo
            .partner_role(partner, other, async || Ok::<_, ()>(None))
            .await;
        assert_eq!(none, Ok(None), "another user is looked up for themselves");

        let failed = memo
            .workspace(partner, user, "acme", async || Err("down"))
            .await;
        assert_eq!(failed, Err("down"));
        let retried = memo
            .workspace(partner, user, "acme", async || Ok::<_, &str>(None))
            .await;
        assert_eq!(retried, Ok(None), "a failure is not remembered");
    }
}
