//! The client's address as the service counts it: the peer, or with trusted
//! proxies in front (`TRUSTED_PROXY_HOPS`) the address the outermost of them
//! saw, from `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};

use actix_web::HttpRequest;

/// The address requests are counted by, as a rate-limit key. IPv6
/// addresses count by their /64, which is what one customer is usually given.
pub fn key(req: &HttpRequest, trusted_proxy_hops: usize) -> String {
    key_of(client_ip(req, trusted_proxy_hops))
}

/// [`key`] for an address already read.
pub fn key_of(ip: Option<IpAddr>) -> String {
    match ip {
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(ip) => format!("ip:{ip}"),
        None => "ip:unknown".to_owned(),
    }
}

/// The client's address: the peer, or the entry `trusted_proxy_hops` from
/// the right of `X-Forwarded-For` (every line of the header, in order, as one
/// list; ports and IPv6 brackets taken off). An IPv4 address mapped into IPv6
/// is read as the IPv4 address.
pub fn client_ip(req: &HttpRequest, trusted_proxy_hops: usize) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    let forwarded = (trusted_proxy_hops > 0)
        .then(|| {
            let hops: Vec<&str> = req
                .headers()
                .get_all("x-forwarded-for")
                .filter_map(|line| line.to_str().ok())
                .flat_map(|line| line.split(','))
                .map(str::trim)
                .filter(|entry| !entry.is_empty())
                .collect();
            let index = hops.len().saturating_sub(trusted_proxy_hops);
            address_of(hops.get(index)?)
        })
        .flatten();
    forwarded.or(peer).map(|ip| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    })
}

/// An `X-Forwarded-For` entry's address: `192.0.2.1`, `192.0.2.1:4711`,
/// `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn address_of(entry: &str) -> Option<IpAddr> {
    if let Ok(socket) = entry.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    let bare = entry.strip_prefix('[').and_then(|e| e.strip_suffix(']')).unwrap_or(entry);
    bare.parse::<IpAddr>().ok()
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn behind(hops: usize, lines: &[&str]) -> Option<IpAddr> {
        let mut req = TestRequest::default().peer_addr("10.0.0.9:5000".parse().unwrap());
        for line in lines {
            req = req.append_header(("X-Forwarded-For", *line));
        }
        client_ip(&req.to_http_request(), hops)
    }

    #[test]
    fn every_line_of_x_forwarded_for_is_read_in_order_and_counted_from_the_right() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(behind(1, &["203.0.113.7, 198.51.100.2"]), ip("198.51.100.2"));
        assert_eq!(behind(2, &["203.0.113.7", "198.51.100.2"]), ip("203.0.113.7"), "two lines are one list");
        assert_eq!(behind(1, &["203.0.113.7", "198.51.100.2, 192.0.2.44"]), ip("192.0.2.44"));
        assert_eq!(behind(0, &["203.0.113.7"]), ip("10.0.0.9"), "no trusted proxy: the header is ignored");
    }

    #[test]
    fn ports_and_brackets_are_taken_off_forwarded_addresses() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(behind(1, &["203.0.113.7:4711"]), ip("203.0.113.7"));
        assert_eq!(behind(1, &["[2001:db8::1]:4711"]), ip("2001:db8::1"));
        assert_eq!(behind(1, &["[2001:db8::1]"]), ip("2001:db8::1"));
        assert_eq!(behind(1, &["2001:db8::1"]), ip("2001:db8::1"));
        assert_eq!(behind(1, &["::ffff:192.0.2.5"]), ip("192.0.2.5"));
        assert_eq!(behind(1, &["not an address"]), ip("10.0.0.9"), "unreadable: the peer");
    }
}
