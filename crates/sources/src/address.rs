//! Which addresses a connector may call. A shop's URL comes from a user, so without a
//! guard custio could be made to call the machine's own services (the database, a cloud
//! metadata endpoint): only http(s) URLs, and no private, loopback or link-local address
//! unless private sources are allowed (tests, a shop on the same network).
//!
//! The check runs on every address a name resolves to, inside the HTTP client's resolver,
//! so a name that resolves to a public address for the check and a private one for the
//! request cannot slip through.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use crate::error::{Result, SourceError};

/// Parses the shop's address: an http(s) URL with a host, a literal IP address only when
/// it is public or private sources are allowed. The path is kept (a shop installed in a
/// folder); a missing trailing slash is added so that API paths join under it.
pub fn shop_url(raw: &str, allow_private: bool) -> Result<Url> {
    let trimmed = raw.trim();
    let mut url = Url::parse(trimmed).map_err(|_| SourceError::BadUrl(trimmed.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(SourceError::BadUrl(trimmed.to_string()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Credentials belong in their own flags, never in an address that gets shown.
        return Err(SourceError::BadUrl(
            url.host_str().unwrap_or_default().to_string(),
        ));
    }
    let ip = match url.host() {
        Some(Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    };
    if let Some(ip) = ip.filter(|ip| !allow_private && !is_public(*ip)) {
        return Err(SourceError::PrivateAddress(ip.to_string()));
    }
    url.set_query(None);
    url.set_fragment(None);
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
                || (a == 198 && (b == 18 || b == 19)) // benchmarking
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80) // link-local
        }
    }
}

/// The error a refused name carries through the HTTP client, found again by
/// [`refused_address`].
#[derive(Debug)]
pub(crate) struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is a private address", self.0)
    }
}

impl std::error::Error for Refused {}

/// The address a failed request was refused for, if that is why it failed.
pub(crate) fn refused_address(error: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut source = Some(error);
    while let Some(e) = source {
        if let Some(refused) = e.downcast_ref::<Refused>() {
            return Some(refused.0.clone());
        }
        source = e.source();
    }
    None
}

/// The HTTP client's resolver: the system's, with private addresses refused.
pub(crate) struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            // The blocking client runs one request at a time on its own runtime: a blocking
            // lookup holds up nothing else.
            let found: Vec<SocketAddr> = (host.as_str(), 0).to_socket_addrs()?.collect();
            if let Some(private) = found.iter().find(|a| !allow_private && !is_public(a.ip())) {
                let refused = Refused(format!("{host} ({})", private.ip()));
                return Err(Box::new(refused) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_loopback_and_link_local_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "185.12.1.1", "2a00:1450:4001::1"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn a_shop_url_is_http_or_https_without_credentials_and_ends_with_a_slash() {
        let url = shop_url(" https://shop.example/prestashop ", false).unwrap();
        assert_eq!(url.as_str(), "https://shop.example/prestashop/");
        for bad in [
            "ftp://shop.example/",
            "file:///etc/passwd",
            "shop.example",
            "https://key@shop.example/",
        ] {
            assert!(
                matches!(shop_url(bad, false), Err(SourceError::BadUrl(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            shop_url("http://127.0.0.1:8080/", false),
            Err(SourceError::PrivateAddress(_))
        ));
        assert!(matches!(
            shop_url("http://[::1]/", false),
            Err(SourceError::PrivateAddress(_))
        ));
        assert!(shop_url("http://127.0.0.1:8080", true).is_ok());
    }
}
