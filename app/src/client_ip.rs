//! Which address a request came from, when proxies stand between the client and us.
//!
//! `X-Forwarded-For` is a list each proxy appends to, so only its right-hand end was written
//! by someone we trust; whatever lies left of the first untrusted hop was written by the
//! client and is ignored. The address is the right-most entry that is not a trusted proxy
//! (`TRUSTED_PROXIES`), or, with `TRUST_PROXY=true` alone, the entry the one proxy in front
//! of us appended. Rotating the header therefore changes nothing a client can use to reset a
//! per-address limit.

use std::net::IpAddr;

/// An address range in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`, or one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = addr
            .parse()
            .map_err(|_| format!("{text:?} is not an address or CIDR range"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{text:?} has a prefix length outside 0–{max}"))?,
        };
        Ok(Self { network, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (canonical(self.network), ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address written as IPv6 (`::ffff:1.2.3.4`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Whom the server believes about forwarded addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ProxyTrust {
    /// Nobody: the address is the connection's peer (the default).
    #[default]
    None,
    /// One proxy, whatever its address (`TRUST_PROXY=true`): its own entry is believed.
    OneHop,
    /// Proxies whose addresses fall in these ranges (`TRUSTED_PROXIES`), any number deep.
    Ranges(Vec<Cidr>),
}

impl ProxyTrust {
    fn trusts(&self, ip: IpAddr) -> bool {
        match self {
            Self::None => false,
            Self::OneHop => true,
            Self::Ranges(ranges) => ranges.iter().any(|r| r.contains(ip)),
        }
    }
}

/// The client's address: `peer` is the connection's, `forwarded` the `X-Forwarded-For`
/// header values in the order received.
pub fn client_ip<'a>(
    peer: Option<IpAddr>,
    forwarded: impl IntoIterator<Item = &'a str>,
    trust: &ProxyTrust,
) -> Option<IpAddr> {
    let peer = peer.map(canonical);
    if *trust == ProxyTrust::None {
        return peer;
    }
    // A peer we do not trust wrote the header itself: ignore it. (Without a peer address,
    // as in tests driving the router directly, the one configured hop is taken as present.)
    if let (Some(p), ProxyTrust::Ranges(_)) = (peer, trust)
        && !trust.trusts(p)
    {
        return peer;
    }
    let hops: Vec<&str> = forwarded
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>().map(canonical) else {
            // A malformed entry ends what can be believed; the last good hop stands.
            return client;
        };
        client = Some(ip);
        // One hop: its entry is the client. Ranges: a trusted proxy's entry is a further hop.
        let another_proxy = matches!(trust, ProxyTrust::Ranges(_)) && trust.trusts(ip);
        if !another_proxy {
            return client;
        }
    }
    client
}

/// Parses `TRUSTED_PROXIES`: CIDR ranges separated by commas or spaces.
pub fn parse_ranges(text: &str) -> Result<Vec<Cidr>, String> {
    text.split([',', ' '])
        .filter(|p| !p.trim().is_empty())
        .map(Cidr::parse)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_contain_their_addresses_only() {
        let r = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(r.contains(ip("10.200.1.1")));
        assert!(!r.contains(ip("11.0.0.1")));
        assert!(r.contains(ip("::ffff:10.0.0.1")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(
            Cidr::parse("2001:db8::/32")
                .unwrap()
                .contains(ip("2001:db8::1"))
        );
        assert!(Cidr::parse("127.0.0.1").unwrap().contains(ip("127.0.0.1")));
        assert!(Cidr::parse("10.0.0.0/33").is_err());
        assert!(Cidr::parse("proxy.local").is_err());
        assert_eq!(parse_ranges("10.0.0.0/8, 192.168.0.0/16").unwrap().len(), 2);
    }

    #[test]
    fn without_trust_the_peer_is_the_client() {
        let got = client_ip(Some(ip("203.0.113.9")), ["1.2.3.4"], &ProxyTrust::None);
        assert_eq!(got, Some(ip("203.0.113.9")));
    }

    #[test]
    fn one_trusted_hop_believes_only_the_entry_its_proxy_appended() {
        let trust = ProxyTrust::OneHop;
        let peer = Some(ip("10.0.0.2"));
        // The client wrote "6.6.6.6"; the proxy appended the real address.
        assert_eq!(
            client_ip(peer, ["6.6.6.6, 198.51.100.7"], &trust),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            client_ip(peer, ["6.6.6.6", "198.51.100.7"], &trust),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(client_ip(peer, [], &trust), peer);
        assert_eq!(client_ip(peer, ["garbage"], &trust), peer);
    }

    #[test]
    fn trusted_ranges_are_skipped_from_the_right() {
        let trust = ProxyTrust::Ranges(parse_ranges("10.0.0.0/8").unwrap());
        let peer = Some(ip("10.0.0.2"));
        assert_eq!(
            client_ip(peer, ["6.6.6.6, 198.51.100.7, 10.1.1.1"], &trust),
            Some(ip("198.51.100.7"))
        );
        // A peer outside the ranges is the client, whatever it claims.
        assert_eq!(
            client_ip(Some(ip("198.51.100.7")), ["1.1.1.1"], &trust),
            Some(ip("198.51.100.7"))
        );
        // Every hop trusted: the left-most is as far as we can see.
        assert_eq!(
            client_ip(peer, ["10.9.9.9, 10.1.1.1"], &trust),
            Some(ip("10.9.9.9"))
        );
    }

    #[test]
    fn rotating_the_left_of_the_header_never_changes_the_address() {
        let trust = ProxyTrust::OneHop;
        let peer = Some(ip("10.0.0.2"));
        let seen: std::collections::HashSet<_> = (0..50)
            .map(|i| {
                let header = format!("192.0.2.{i}, 198.51.100.7");
                client_ip(peer, [header.as_str()], &trust)
            })
            .collect();
        assert_eq!(seen.len(), 1);
    }
}
