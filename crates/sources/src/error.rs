//! What can go wrong talking to a shop's API. Each variant has a stable code that crosses
//! the layers; the panel and the CLI render it in the reader's language.

use thiserror::Error;

/// A failure of a connector, named so that the user knows what to do about it.
#[derive(Debug, Error)]
pub enum SourceError {
    /// The shop's address is not an http(s) URL with a host.
    #[error("the shop's address {0:?} is not an http(s) URL")]
    BadUrl(String),
    /// The shop's address resolves to a private, loopback or link-local address, which
    /// custio does not call unless private sources are allowed.
    #[error(
        "{0} is a private or loopback address; custio calls it only when private sources are allowed"
    )]
    PrivateAddress(String),
    /// No connection could be made (DNS, refused, timed out, dropped every time).
    #[error("the shop cannot be reached: {0}")]
    Unreachable(String),
    /// The TLS handshake failed: an expired, self-signed or mismatched certificate.
    #[error("the shop's HTTPS certificate is not accepted: {0}")]
    Tls(String),
    /// The shop answered, but not as this platform's API does.
    #[error("the address does not answer as a {platform} shop: {detail}")]
    NotThisPlatform {
        platform: &'static str,
        detail: String,
    },
    /// The shop refused the credentials (a wrong key, login or password).
    #[error("the shop refused the credentials: {0}")]
    CredentialsRejected(String),
    /// The credentials did not reach the shop: a server or proxy in front of it stripped
    /// the Authorization header (try the query-string fallback).
    #[error("the credentials did not reach the shop (a server in front of it removed them): {0}")]
    CredentialsNotReceived(String),
    /// The credentials work but may not read customers (or their addresses).
    #[error("the key may not read {0}")]
    NoReadPermission(String),
    /// The shop kept answering "too many requests" after every retry.
    #[error("the shop kept limiting the requests after {0} attempts")]
    RateLimited(u32),
    /// The shop kept failing (5xx, timeouts, dropped connections) after every retry.
    #[error("the shop kept failing after {attempts} attempts: {detail}")]
    Unavailable { attempts: u32, detail: String },
    /// The shop answered a request custio makes with an error it cannot recover from.
    #[error("the shop answered {status}: {detail}")]
    Refused { status: u16, detail: String },
    /// A response that cannot be read as the platform documents it.
    #[error("the shop's answer to {what} cannot be read: {detail}")]
    BadResponse { what: String, detail: String },
}

impl SourceError {
    /// The stable code of the failure, for translations and the API.
    pub fn code(&self) -> &'static str {
        match self {
            SourceError::BadUrl(_) => "bad_url",
            SourceError::PrivateAddress(_) => "private_address",
            SourceError::Unreachable(_) => "unreachable",
            SourceError::Tls(_) => "tls",
            SourceError::NotThisPlatform { .. } => "not_this_platform",
            SourceError::CredentialsRejected(_) => "credentials_rejected",
            SourceError::CredentialsNotReceived(_) => "credentials_not_received",
            SourceError::NoReadPermission(_) => "no_read_permission",
            SourceError::RateLimited(_) => "rate_limited",
            SourceError::Unavailable { .. } => "unavailable",
            SourceError::Refused { .. } => "refused",
            SourceError::BadResponse { .. } => "bad_response",
        }
    }

    /// Whether a later attempt may succeed without the user changing anything.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            SourceError::Unreachable(_)
                | SourceError::RateLimited(_)
                | SourceError::Unavailable { .. }
        )
    }
}

pub type Result<T, E = SourceError> = std::result::Result<T, E>;
