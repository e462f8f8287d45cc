//! Pacing for Shoper's leaky bucket. Every answer says where the shop's counter stands
//! (`X-Shop-Api-Calls`), how far it may go (`X-Shop-Api-Limit`, 10 by default) and how many
//! calls it forgets a second (`X-Shop-Api-Bandwidth`, 2 by default); a call past the limit
//! is refused with 429. Before each request the pacer works out where the counter is now
//! (the last count heard, less what leaked since) and waits until one more call keeps it
//! at least [`MARGIN`] below the limit.
//!
//! The shop's counter is the truth: other applications of the same shop share the bucket,
//! so counting only our own calls (a local rate limiter) would not do; see
//! `docs/decisions.md`.

use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;

use crate::http::Pacer;

/// Calls left free below the limit: room for another application's call, and for the
/// counter being rounded.
pub const MARGIN: f64 = 1.0;

/// The longest wait the pacer asks for, whatever a shop says of its bandwidth.
const LONGEST: Duration = Duration::from_secs(60);

/// Shoper's documented bandwidth, used when an answer carries a limit but no bandwidth.
const DEFAULT_BANDWIDTH: f64 = 2.0;

/// The bucket as the last answer described it.
#[derive(Clone, Copy, Debug)]
struct Heard {
    calls: f64,
    limit: f64,
    bandwidth: f64,
    at: Instant,
}

/// A [`Pacer`] fed by Shoper's `X-Shop-Api-*` headers.
#[derive(Debug, Default)]
pub struct BucketPacer {
    heard: Option<Heard>,
}

impl BucketPacer {
    pub fn new() -> Self {
        Self::default()
    }

    /// How long to wait at `now` before the next call; none before the first answer.
    fn wait(&self, now: Instant) -> Option<Duration> {
        let heard = self.heard?;
        let leaked = heard.bandwidth * now.saturating_duration_since(heard.at).as_secs_f64();
        let calls = (heard.calls - leaked).max(0.0);
        // A bucket of one call has no room for a margin.
        let allowed = (heard.limit - MARGIN).max(1.0);
        let over = calls + 1.0 - allowed;
        if over <= 0.0 {
            return None;
        }
        if heard.bandwidth <= 0.0 {
            // A bucket that says it never leaks: a second, as Shoper's own library waits.
            return Some(Duration::from_secs(1));
        }
        Some(Duration::from_secs_f64(
            (over / heard.bandwidth).min(LONGEST.as_secs_f64()),
        ))
    }

    /// Reads the headers of an answer received at `now`.
    fn heard(&mut self, headers: &HeaderMap, now: Instant) {
        let number = |name: &str| -> Option<f64> {
            headers
                .get(name)?
                .to_str()
                .ok()?
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
        };
        let (Some(calls), Some(limit)) = (number("x-shop-api-calls"), number("x-shop-api-limit"))
        else {
            // An answer without the headers (a proxy's error page) says nothing new.
            return;
        };
        let bandwidth = number("x-shop-api-bandwidth")
            .or(self.heard.map(|h| h.bandwidth))
            .unwrap_or(DEFAULT_BANDWIDTH);
        self.heard = Some(Heard {
            calls,
            limit,
            bandwidth,
            at: now,
        });
    }
}

impl Pacer for BucketPacer {
    fn before(&mut self) {
        if let Some(wait) = self.wait(Instant::now()) {
            std::thread::sleep(wait);
        }
    }

    fn after(&mut self, headers: &HeaderMap) {
        self.heard(headers, Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(calls: &str, limit: &str, bandwidth: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-shop-api-calls", HeaderValue::from_str(calls).unwrap());
        headers.insert("x-shop-api-limit", HeaderValue::from_str(limit).unwrap());
        if let Some(b) = bandwidth {
            headers.insert("x-shop-api-bandwidth", HeaderValue::from_str(b).unwrap());
        }
        headers
    }

    #[test]
    fn no_wait_before_the_first_answer_or_while_there_is_room() {
        let now = Instant::now();
        let mut pacer = BucketPacer::new();
        assert_eq!(pacer.wait(now), None);
        pacer.heard(&headers("7", "10", Some("2")), now);
        // 7 + 1 = 8 ≤ 10 - 1.
        assert_eq!(pacer.wait(now), None);
        pacer.heard(&headers("8", "10", Some("2")), now);
        assert_eq!(pacer.wait(now), None);
    }

    #[test]
    fn a_full_bucket_waits_for_the_leak() {
        let now = Instant::now();
        let mut pacer = BucketPacer::new();
        pacer.heard(&headers("9", "10", Some("2")), now);
        // 9 + 1 = 10 > 9: one call must leak, half a second at 2 a second.
        assert_eq!(pacer.wait(now), Some(Duration::from_millis(500)));
        // A quarter of a second later, half a call has leaked.
        let later = now + Duration::from_millis(250);
        assert_eq!(pacer.wait(later), Some(Duration::from_millis(250)));
        assert_eq!(pacer.wait(now + Duration::from_millis(500)), None);
        // A 429's count (the limit itself) waits for two calls to leak.
        pacer.heard(&headers("10", "10", Some("20")), now);
        assert_eq!(pacer.wait(now), Some(Duration::from_millis(100)));
    }

    #[test]
    fn answers_without_the_headers_change_nothing_and_the_bandwidth_is_remembered() {
        let now = Instant::now();
        let mut pacer = BucketPacer::new();
        pacer.heard(&headers("9", "10", Some("4")), now);
        pacer.heard(&HeaderMap::new(), now);
        assert_eq!(pacer.wait(now), Some(Duration::from_millis(250)));
        pacer.heard(&headers("9", "10", None), now);
        assert_eq!(pacer.wait(now), Some(Duration::from_millis(250)));
        let mut fresh = BucketPacer::new();
        fresh.heard(&headers("9", "10", None), now);
        assert_eq!(fresh.wait(now), Some(Duration::from_millis(500)));
    }

    #[test]
    fn odd_limits_do_not_stall() {
        let now = Instant::now();
        let mut pacer = BucketPacer::new();
        pacer.heard(&headers("0", "1", Some("2")), now);
        assert_eq!(pacer.wait(now), None);
        pacer.heard(&headers("1", "1", Some("0")), now);
        assert_eq!(pacer.wait(now), Some(Duration::from_secs(1)));
        pacer.heard(&headers("garbage", "10", Some("2")), now);
        assert_eq!(pacer.wait(now), Some(Duration::from_secs(1)));
        pacer.heard(&headers("1000", "10", Some("0.000001")), now);
        assert_eq!(pacer.wait(now), Some(LONGEST));
    }
}
