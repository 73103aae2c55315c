//! A short-lived, per-process cache of host → partner, so pages do not look up the partner
//! on every request. Domain and partner changes invalidate it here; other processes catch
//! up within the TTL.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DbErr};

use super::service::{HostRules, resolve_partner};
use crate::db::entity::partner;

/// How long a resolved host is trusted.
pub const TTL: Duration = Duration::from_secs(30);

type Entry = (Instant, Option<Arc<partner::Model>>);

#[derive(Debug, Clone, Default)]
pub struct PartnerCache {
    entries: Arc<RwLock<HashMap<String, Entry>>>,
}

impl PartnerCache {
    /// The partner serving `host`, from the cache while fresh, else from the database.
    pub async fn resolve<C: ConnectionTrait>(
        &self,
        db: &C,
        host: &str,
        rules: &HostRules,
    ) -> Result<Option<Arc<partner::Model>>, DbErr> {
        let key = host.trim().to_ascii_lowercase();
        if let Ok(entries) = self.entries.read()
            && let Some((at, found)) = entries.get(&key)
            && at.elapsed() < TTL
        {
            return Ok(found.clone());
        }
        let found = resolve_partner(db, &key, rules).await?.map(Arc::new);
        if let Ok(mut entries) = self.entries.write() {
            // Hosts are client-chosen: bound the map so junk Host headers cannot grow it.
            if entries.len() >= 10_000 {
                entries.clear();
            }
            entries.insert(key, (Instant::now(), found.clone()));
        }
        Ok(found)
    }

    /// Forgets every host: call after a domain, slug or partner changes.
    pub fn invalidate(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }
}
