//! Client addresses behind proxies, and the address a per-address budget counts.
//!
//! `X-Forwarded-For` is a list every proxy appends to: the left part is whatever the client
//! wrote, only the right part was added by proxies we run. So the client is the right-most
//! address that is not one of our proxies (docs/decisions.md, "Client addresses"):
//! - with trusted proxies configured (CIDRs), the peer must itself be one of them; then the
//!   chain `X-Forwarded-For…, peer` is walked from the right, skipping trusted addresses;
//! - with a hop count `n` (every request passes `n` proxies we run), the client is the `n`-th
//!   address from the right of the chain;
//! - with neither, `X-Forwarded-For` is ignored and the peer is the client.

use std::net::IpAddr;
use std::str::FromStr;

/// An address block such as `10.0.0.0/8`, `fd00::/8` or a single address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let net: IpAddr = addr
            .parse()
            .map_err(|_| format!("\"{s}\" is not an address or CIDR block"))?;
        let net = net.to_canonical();
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("\"{s}\" has a bad prefix length (0-{max})"))?,
        };
        Ok(Self { net, prefix })
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.net, self.prefix)
    }
}

fn bits(ip: IpAddr) -> (u128, u32) {
    match ip {
        IpAddr::V4(v) => (u128::from(u32::from(v)), 32),
        IpAddr::V6(v) => (u128::from(v), 128),
    }
}

impl Cidr {
    /// Whether `ip` lies in the block.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        if ip.is_ipv4() != self.net.is_ipv4() {
            return false;
        }
        let ((a, width), (b, _)) = (bits(self.net), bits(ip));
        let host_bits = width - u32::from(self.prefix);
        host_bits >= width || (a >> host_bits) == (b >> host_bits)
    }
}

/// Which proxies in front of the server may set `X-Forwarded-For`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyTrust {
    /// Trusted proxy addresses.
    pub proxies: Vec<Cidr>,
    /// Proxies every request passes (used when `proxies` is empty).
    pub hops: usize,
}

impl ProxyTrust {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.proxies.iter().any(|c| c.contains(ip))
    }

    /// The client's address, from the connection's peer and the `X-Forwarded-For` values in
    /// the order they arrived.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let peer = peer.to_canonical();
        let chain = || {
            forwarded_for
                .iter()
                .flat_map(|v| v.split(','))
                .map(|a| parse_hop(a.trim()))
        };
        if !self.proxies.is_empty() {
            if !self.trusts(peer) {
                return peer;
            }
            let mut nearest = peer;
            for hop in chain().collect::<Vec<_>>().into_iter().rev() {
                match hop {
                    Some(ip) if self.trusts(ip) => nearest = ip,
                    Some(ip) => return ip,
                    // Garbage added by the hop we trust: that hop is the best we know.
                    None => return nearest,
                }
            }
            return nearest;
        }
        if self.hops == 0 {
            return peer;
        }
        let hops: Vec<Option<IpAddr>> = chain().collect();
        // The n-th from the right of `hops…, peer`: the (n-1)-th from the right of `hops`.
        match hops.len().checked_sub(self.hops) {
            Some(i) => hops[i].unwrap_or(peer),
            // Fewer entries than proxies: the left-most one our proxies wrote.
            None => hops.first().copied().flatten().unwrap_or(peer),
        }
    }
}

/// One `X-Forwarded-For` entry: an address, maybe with a port (`1.2.3.4:5678`, `[::1]:80`).
fn parse_hop(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    s.parse::<std::net::SocketAddr>()
        .ok()
        .map(|a| a.ip().to_canonical())
}

/// The address a per-address budget counts: IPv4 addresses whole, IPv6 addresses by their
/// /64 network, since one subscriber usually holds a whole /64.
pub fn budget_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v) => v.to_string(),
        IpAddr::V6(v) => {
            let s = v.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn cidrs(list: &[&str]) -> Vec<Cidr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn cidr_blocks() {
        let c: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(c.contains(ip("10.200.3.4")));
        assert!(!c.contains(ip("11.0.0.1")));
        assert!(c.contains(ip("::ffff:10.0.0.1")));
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let v6: Cidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("8.8.8.8")));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("nope".parse::<Cidr>().is_err());
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let t = ProxyTrust {
            proxies: cidrs(&["10.0.0.0/8", "127.0.0.1"]),
            hops: 0,
        };
        let peer = ip("127.0.0.1");
        assert_eq!(t.client(peer, &["6.6.6.6, 1.2.3.4"]), ip("1.2.3.4"));
        assert_eq!(
            t.client(peer, &["6.6.6.6", "1.2.3.4, 10.1.1.1"]),
            ip("1.2.3.4")
        );
        assert_eq!(t.client(peer, &[]), peer);
        assert_eq!(t.client(peer, &["junk, 10.0.0.9"]), ip("10.0.0.9"));
        assert_eq!(t.client(peer, &["10.0.0.7"]), ip("10.0.0.7"));
        // An untrusted peer's header is ignored.
        assert_eq!(t.client(ip("5.5.5.5"), &["1.2.3.4"]), ip("5.5.5.5"));
    }

    #[test]
    fn hop_counts() {
        let one = ProxyTrust {
            proxies: Vec::new(),
            hops: 1,
        };
        let peer = ip("10.0.0.1");
        assert_eq!(one.client(peer, &["6.6.6.6, 1.2.3.4"]), ip("1.2.3.4"));
        assert_eq!(one.client(peer, &[]), peer);
        assert_eq!(one.client(peer, &["1.2.3.4:5555"]), ip("1.2.3.4"));
        let two = ProxyTrust { hops: 2, ..one };
        assert_eq!(
            two.client(peer, &["6.6.6.6, 1.2.3.4, 9.9.9.9"]),
            ip("1.2.3.4")
        );
        let none = ProxyTrust::default();
        assert_eq!(none.client(peer, &["1.2.3.4"]), peer);
    }

    #[test]
    fn ipv6_budgets_count_per_64() {
        assert_eq!(budget_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(budget_key(ip("::ffff:1.2.3.4")), "1.2.3.4");
    }
}
