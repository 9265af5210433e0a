//! The client's address as the service counts it: the peer, or with trusted
//! proxies in front (`TRUSTED_PROXY_HOPS`) the address the outermost of them
//! saw, from `X-Forwarded-For`.

use std::net::IpAddr;

use actix_web::HttpRequest;

/// The address requests are counted by, as a rate-limit key. IPv6
/// addresses count by their /64, which is what one customer is usually given.
pub fn key(req: &HttpRequest, trusted_proxy_hops: usize) -> String {
    match client_ip(req, trusted_proxy_hops) {
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(ip) => format!("ip:{ip}"),
        None => "ip:unknown".to_owned(),
    }
}

/// The client's address: the peer, or the entry `trusted_proxy_hops` from
/// the right of `X-Forwarded-For`. An IPv4 address mapped into IPv6 is read
/// as the IPv4 address.
pub fn client_ip(req: &HttpRequest, trusted_proxy_hops: usize) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    let forwarded = (trusted_proxy_hops > 0)
        .then(|| {
            let header = req.headers().get("x-forwarded-for")?.to_str().ok()?;
            let hops: Vec<&str> = header.split(',').map(str::trim).collect();
            let index = hops.len().saturating_sub(trusted_proxy_hops);
            hops.get(index)?.parse::<IpAddr>().ok()
        })
        .flatten();
    forwarded.or(peer).map(|ip| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    })
}
