//! The DNS check behind custom domains: the TXT records at a name, asked of the system's
//! resolver or the one `DNS_RESOLVER` names (tests run a loopback server). A fresh
//! resolver each time, so a record just created is not hidden by a cached "no such name".

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::Resolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::{RData, RecordType};

/// The texts of every TXT record at `name`; empty when there is none. `Err` says why the
/// question could not be answered (no server, a timeout).
pub async fn txt_records(server: Option<SocketAddr>, name: &str) -> Result<Vec<String>, String> {
    let mut opts = ResolverOpts::default();
    opts.timeout = Duration::from_secs(3);
    opts.attempts = 1;
    opts.cache_size = 0;
    let builder = match server {
        Some(addr) => {
            let mut udp = ConnectionConfig::udp();
            udp.port = addr.port();
            let mut tcp = ConnectionConfig::tcp();
            tcp.port = addr.port();
            let config = ResolverConfig::from_name_servers(vec![NameServerConfig::new(
                addr.ip(),
                true,
                vec![udp, tcp],
            )]);
            Resolver::builder_with_config(config, TokioRuntimeProvider::default())
        }
        None => Resolver::builder_tokio().map_err(|e| format!("no DNS resolver ({e})"))?,
    };
    let resolver = builder
        .with_options(opts)
        .build()
        .map_err(|e| format!("no DNS resolver ({e})"))?;
    let fqdn = format!("{}.", name.trim_end_matches('.'));
    match resolver.lookup(fqdn.as_str(), RecordType::TXT).await {
        Ok(found) => Ok(found
            .answers()
            .iter()
            .filter_map(|record| match &record.data {
                RData::TXT(txt) => Some(
                    txt.txt_data
                        .iter()
                        .map(|part| String::from_utf8_lossy(part).into_owned())
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect()),
        Err(e) if e.is_no_records_found() || e.is_nx_domain() => Ok(Vec::new()),
        Err(e) => Err(format!("the DNS question was not answered ({e})")),
    }
}
