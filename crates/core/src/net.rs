//! Which network addresses an outbound call may reach (SPEC §11): app callbacks and provider
//! calls go to public addresses only, unless an operator's development allow-list names the
//! host or its range. Pure: resolving names is the caller's business.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Is `ip` a public unicast address: not loopback, private, shared (CGNAT), link-local (the
/// cloud metadata service at 169.254.169.254 among them), unique-local, multicast,
/// unspecified, broadcast, documentation or benchmarking space? IPv4 addresses embedded in
/// IPv6 (mapped, 6to4, NAT64) are judged as the IPv4 address they carry.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated)
        || first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation
}

/// The IPv4 address an IPv6 address stands for: IPv4-mapped (`::ffff:a.b.c.d`),
/// IPv4-compatible (`::a.b.c.d`), 6to4 (`2002:AABB:CCDD::`) and NAT64 (`64:ff9b::a.b.c.d`).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    if s[..6] == [0, 0, 0, 0, 0, 0] && !(s[6] == 0 && s[7] <= 1) {
        return Some(tail());
    }
    if s[0] == 0x2002 {
        return Some(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        ));
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return Some(tail());
    }
    None
}

/// An entry of the development allow-list: a host name (exact, any case), an address, or an
/// address range in CIDR notation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Allowed {
    Host(String),
    Range(IpAddr, u8),
}

impl Allowed {
    pub fn parse(entry: &str) -> Result<Allowed, String> {
        let entry = entry.trim();
        let bad = || format!("{entry:?} is not a host name, an address or an address range");
        if let Some((net, bits)) = entry.split_once('/') {
            let net: IpAddr = net.parse().map_err(|_| bad())?;
            let max = if net.is_ipv4() { 32 } else { 128 };
            let bits: u8 = bits.parse().ok().filter(|b| *b <= max).ok_or_else(bad)?;
            return Ok(Allowed::Range(net, bits));
        }
        if let Ok(ip) = entry.trim_matches(['[', ']']).parse::<IpAddr>() {
            let bits = if ip.is_ipv4() { 32 } else { 128 };
            return Ok(Allowed::Range(ip, bits));
        }
        let host_ok = !entry.is_empty()
            && entry
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        host_ok
            .then(|| Allowed::Host(entry.to_ascii_lowercase()))
            .ok_or_else(bad)
    }

    pub fn names_host(&self, host: &str) -> bool {
        matches!(self, Allowed::Host(h) if h.eq_ignore_ascii_case(host))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let Allowed::Range(net, bits) = self else {
            return false;
        };
        match (net, ip) {
            (IpAddr::V4(n), IpAddr::V4(i)) => prefix_eq(&n.octets(), &i.octets(), *bits),
            (IpAddr::V6(n), IpAddr::V6(i)) => prefix_eq(&n.octets(), &i.octets(), *bits),
            _ => false,
        }
    }
}

fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
    let (bytes, rest) = (usize::from(bits / 8), bits % 8);
    a[..bytes] == b[..bytes] && (rest == 0 || (a[bytes] ^ b[bytes]) & (0xffu8 << (8 - rest)) == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        let private = [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.1",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "fc00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "2002:7f00:1::",
            "64:ff9b::a00:1",
            "::10.0.0.1",
            "2001:db8::1",
        ];
        for ip in private {
            assert!(!is_public(ip.parse().expect(ip)), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "2002:808:808::",
        ] {
            assert!(is_public(ip.parse().expect(ip)), "{ip}");
        }
    }

    #[test]
    fn allow_list_entries() {
        let range = Allowed::parse("10.0.0.0/8").expect("range");
        assert!(range.contains("10.9.8.7".parse().expect("ip")));
        assert!(!range.contains("11.0.0.1".parse().expect("ip")));
        let one = Allowed::parse("127.0.0.1").expect("one");
        assert!(one.contains("127.0.0.1".parse().expect("ip")));
        assert!(!one.contains("127.0.0.2".parse().expect("ip")));
        let v6 = Allowed::parse("[::1]").expect("v6");
        assert!(v6.contains("::1".parse().expect("ip")));
        let host = Allowed::parse("LocalHost").expect("host");
        assert!(host.names_host("localhost"));
        assert!(Allowed::parse("10.0.0.0/33").is_err());
        assert!(Allowed::parse("not a host").is_err());
        let odd = Allowed::parse("192.168.4.0/22").expect("odd");
        assert!(odd.contains("192.168.7.255".parse().expect("ip")));
        assert!(!odd.contains("192.168.8.0".parse().expect("ip")));
    }
}
