//! Who the client is and whether it reached us over HTTPS, when a reverse
//! proxy may stand in between. Only a peer listed as a trusted proxy is
//! believed about either (`X-Forwarded-For`, `X-Forwarded-Proto`);
//! anybody else could write those headers to dodge the login limit.

use std::net::IpAddr;

/// How a request reached the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transport {
    /// The client's address: the peer's, or the nearest untrusted one a
    /// trusted proxy forwarded.
    pub client: IpAddr,
    /// Served over HTTPS (configured, or said by a trusted proxy): cookies
    /// are then `Secure` and take the `__Host-` prefix.
    pub https: bool,
}

impl Transport {
    pub fn of(
        peer: IpAddr,
        forwarded_for: Option<&str>,
        forwarded_proto: Option<&str>,
        trusted: &[IpAddr],
        always_https: bool,
    ) -> Transport {
        let by_proxy = trusted.contains(&peer);
        let client = if by_proxy {
            // Right to left: the last address a trusted hop did not add
            // itself is the one that connected to our proxies.
            forwarded_for
                .into_iter()
                .flat_map(|h| h.rsplit(','))
                .filter_map(|a| a.trim().parse::<IpAddr>().ok())
                .find(|a| !trusted.contains(a))
                .unwrap_or(peer)
        } else {
            peer
        };
        let https = always_https
            || (by_proxy
                && forwarded_proto
                    .and_then(|p| p.split(',').next())
                    .is_some_and(|p| p.trim().eq_ignore_ascii_case("https")));
        Transport { client, https }
    }
}

/// `MUYI_TRUSTED_PROXIES`: addresses separated by commas or spaces.
pub fn parse_list(s: &str) -> Result<Vec<IpAddr>, String> {
    s.split([',', ' '])
        .filter(|a| !a.trim().is_empty())
        .map(|a| {
            a.trim()
                .parse()
                .map_err(|_| format!("不是 IP 地址：{a}（MUYI_TRUSTED_PROXIES）"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy() {
        let proxy = [ip("10.0.0.1")];
        let direct = Transport::of(
            ip("203.0.113.9"),
            Some("1.2.3.4"),
            Some("https"),
            &proxy,
            false,
        );
        assert_eq!(direct.client, ip("203.0.113.9"), "spoofed header ignored");
        assert!(!direct.https);
        let via = Transport::of(
            ip("10.0.0.1"),
            Some("1.2.3.4, 198.51.100.7"),
            Some("https"),
            &proxy,
            false,
        );
        assert_eq!(
            via.client,
            ip("198.51.100.7"),
            "the proxy's own peer, not a claimed one"
        );
        assert!(via.https);
        let chain = Transport::of(
            ip("10.0.0.1"),
            Some("198.51.100.7, 10.0.0.1"),
            None,
            &proxy,
            true,
        );
        assert_eq!(chain.client, ip("198.51.100.7"));
        assert!(chain.https, "configured HTTPS");
        assert_eq!(parse_list("10.0.0.1, ::1").unwrap().len(), 2);
        assert!(parse_list("proxy").is_err());
    }
}
