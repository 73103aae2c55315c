//! What a request learns about its user's access, learnt once. A page asks several
//! server functions at once (the workspace frame, its switcher and the page's own data),
//! and each starts by checking the same role in the same workspace; the memo makes that
//! one lookup, and on a page, whose switcher lists every workspace the user can open
//! anyway, the list answers the check too. (The user's partner role comes with the
//! session.) It lives in the request's extensions (the session middleware puts a
//! fresh one in every request), so nothing is shared between requests and a role changed
//! by one request is seen by the next. Long-lived streams re-check without it.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;
use uuid::Uuid;

use super::service::Access;

/// One request's access lookups; clones share them.
#[derive(Clone, Default)]
pub struct AccessMemo(Arc<Tables>);

#[derive(Default)]
struct Tables {
    workspaces: Table<(Uuid, Uuid, String), Option<Access>>,
    lists: Table<(Uuid, Uuid), Arc<Vec<Access>>>,
}

impl AccessMemo {
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

    /// Every workspace the user can open, looked up by `find` the first time.
    pub async fn workspace_list<E>(
        &self,
        partner_id: Uuid,
        user_id: Uuid,
        find: impl AsyncFnOnce() -> Result<Vec<Access>, E>,
    ) -> Result<Arc<Vec<Access>>, E> {
        self.0
            .lists
            .get((partner_id, user_id), async || find().await.map(Arc::new))
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
        let table = Table::<&str, Option<u32>>::default();
        let asked = AtomicU32::new(0);
        let find = async || {
            asked.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(Some(7))
        };
        let (a, b) = tokio::join!(table.get("acme", find), table.get("acme", find));
        assert_eq!((a, b), (Ok(Some(7)), Ok(Some(7))));
        assert_eq!(asked.load(Ordering::SeqCst), 1, "two callers, one lookup");

        let other = table.get("globex", async || Ok::<_, ()>(None)).await;
        assert_eq!(other, Ok(None), "another key is looked up for itself");

        let failed = table.get("initech", async || Err("down")).await;
        assert_eq!(failed, Err("down"));
        let retried = table.get("initech", async || Ok::<_, &str>(None)).await;
        assert_eq!(retried, Ok(None), "a failure is not remembered");
    }
}
