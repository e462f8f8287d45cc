//! The HTTP policy every connector shares: one request at a time, a timeout on each,
//! retries with exponential backoff and jitter on 429, 5xx, timeouts and dropped
//! connections, `Retry-After` honoured (in seconds or as a date), and an optional pacer
//! that a platform feeds from its rate-limit headers (Shoper's leaky bucket).
//!
//! Connectors see a [`Reply`] for every answer that is not worth retrying (2xx, and the
//! 4xx that say something about the credentials or the request), and a [`SourceError`]
//! when the retries ran out.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::blocking::{Client, RequestBuilder};
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::address::{GuardedResolver, refused_address};
use crate::error::{Result, SourceError};

/// How hard a connector tries.
#[derive(Clone, Debug)]
pub struct HttpPolicy {
    /// The longest a request may take, connection to last byte.
    pub timeout: Duration,
    /// The longest a connection may take to open.
    pub connect_timeout: Duration,
    /// Attempts of one request before giving up (the first included).
    pub attempts: u32,
    /// The wait before the first retry; each next one doubles, with jitter.
    pub first_backoff: Duration,
    /// The longest wait between two attempts (a longer `Retry-After` is cut to it).
    pub max_backoff: Duration,
    /// Whether private and loopback addresses may be called (tests, a shop on the LAN).
    pub allow_private: bool,
}

impl Default for HttpPolicy {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(15),
            attempts: 8,
            first_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            allow_private: false,
        }
    }
}

/// Paces requests from what the shop says of its limits.
pub trait Pacer: Send {
    /// Waits, if need be, before the next request goes out.
    fn before(&mut self);
    /// Reads the limit headers of an answer.
    fn after(&mut self, headers: &HeaderMap);
}

/// An answer the connector reads.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as text, for error messages (cut, lossy).
    pub fn text(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let text = text.trim();
        match text.char_indices().nth(300) {
            Some((at, _)) => format!("{}…", &text[..at]),
            None => text.to_string(),
        }
    }

    /// A header's value, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON of type `T`.
    pub fn json<T: serde::de::DeserializeOwned>(&self, what: &str) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| SourceError::BadResponse {
            what: what.to_string(),
            detail: e.to_string(),
        })
    }
}

/// Why one attempt failed.
enum Failure {
    /// Worth another attempt, after at least `wait` when the shop said so.
    Again {
        limited: bool,
        /// Whether the shop answered at all (a 5xx), or the request got no answer.
        answered: bool,
        wait: Option<Duration>,
        detail: String,
    },
    /// Not worth another attempt.
    Final(SourceError),
}

/// A client with the policy applied.
pub struct Http {
    client: Client,
    policy: HttpPolicy,
    pacer: Option<Box<dyn Pacer>>,
    /// Recognises the 5xx answers that no retry will change (a disabled API).
    lasting: fn(&Reply) -> bool,
}

impl Http {
    pub fn new(policy: HttpPolicy) -> Result<Self> {
        let client = Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(policy.connect_timeout)
            .dns_resolver(std::sync::Arc::new(GuardedResolver {
                allow_private: policy.allow_private,
            }))
            // A redirect could lead anywhere: the shop's address is what the user gave.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("custio/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SourceError::Unreachable(e.to_string()))?;
        Ok(Self {
            client,
            policy,
            pacer: None,
            lasting: |_| false,
        })
    }

    /// Takes the 5xx answers `lasting` recognises as final instead of retrying them.
    pub fn with_lasting(mut self, lasting: fn(&Reply) -> bool) -> Self {
        self.lasting = lasting;
        self
    }

    /// Paces every attempt with `pacer`.
    pub fn with_pacer(mut self, pacer: Box<dyn Pacer>) -> Self {
        self.pacer = Some(pacer);
        self
    }

    /// Sends the request `build` makes (once per attempt), retrying what is worth it.
    pub fn send(&mut self, build: &dyn Fn(&Client) -> RequestBuilder) -> Result<Reply> {
        let policy = self.policy.clone();
        let backoff = ExponentialBuilder::default()
            .with_min_delay(policy.first_backoff)
            .with_max_delay(policy.max_backoff)
            .with_max_times(policy.attempts.saturating_sub(1) as usize)
            .with_jitter();
        let mut delays = backoff.build();
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            match self.attempt(build) {
                Ok(reply) => return Ok(reply),
                Err(Failure::Final(e)) => return Err(e),
                Err(Failure::Again {
                    limited,
                    answered,
                    wait,
                    detail,
                }) => match delays.next() {
                    // The shop's own word on when to come back wins over the backoff.
                    Some(delay) => std::thread::sleep(
                        wait.map_or(delay, |w| w.max(delay)).min(policy.max_backoff),
                    ),
                    None if limited => return Err(SourceError::RateLimited(attempts)),
                    None if !answered => return Err(SourceError::Unreachable(detail)),
                    None => return Err(SourceError::Unavailable { attempts, detail }),
                },
            }
        }
    }

    fn attempt(&mut self, build: &dyn Fn(&Client) -> RequestBuilder) -> Result<Reply, Failure> {
        if let Some(pacer) = self.pacer.as_mut() {
            pacer.before();
        }
        let response = build(&self.client).send().map_err(request_failure)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if let Some(pacer) = self.pacer.as_mut() {
            pacer.after(&headers);
        }
        let body = response.bytes().map_err(request_failure)?.to_vec();
        let reply = Reply {
            status,
            headers,
            body,
        };
        match status {
            429 => Err(Failure::Again {
                limited: true,
                answered: true,
                wait: retry_after(&reply.headers),
                detail: format!("429 {}", reply.text()),
            }),
            500..=599 if !(self.lasting)(&reply) => Err(Failure::Again {
                limited: false,
                answered: true,
                wait: retry_after(&reply.headers),
                detail: format!("{status} {}", reply.text()),
            }),
            _ => Ok(reply),
        }
    }
}

/// What a request that got no answer means.
fn request_failure(e: reqwest::Error) -> Failure {
    if let Some(address) = refused_address(&e) {
        return Failure::Final(SourceError::PrivateAddress(address));
    }
    let chain = error_chain(&e);
    // rustls names its certificate and handshake failures; nothing else does.
    if chain.contains("certificate") || chain.contains("HandshakeFailure") {
        return Failure::Final(SourceError::Tls(chain));
    }
    if e.is_builder() {
        return Failure::Final(SourceError::BadUrl(chain));
    }
    Failure::Again {
        limited: false,
        answered: false,
        wait: None,
        detail: chain,
    }
}

/// An error and its causes on one line, for a message.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.signed_duration_since(chrono::Utc::now()).to_std().ok()?;
    Some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("0.5"));
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(500)));
        let later = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }
}
