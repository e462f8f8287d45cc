//! Login throttling: failed logins are counted per pair of account and client address,
//! never per account alone nor per address alone. After [`FREE_FAILURES`] failures, the
//! pair waits [`FIRST_DELAY`] before its next try, and each further failure doubles the
//! wait up to [`MAX_DELAY`]. So a stranger who guesses an admin's password slows down only
//! its own tries: the admin (from any other address) still logs in, and the users behind
//! the stranger's address (a shared proxy) log in to their own accounts.
//!
//! An IPv6 client counts by its /64 network, which one host usually holds whole.
//!
//! Each attempt counts as a failure from its start until it succeeds, so a burst of
//! parallel guesses is throttled as a sequence would be. The counts are kept in memory:
//! a restart forgives, which is enough to slow guessing down to a crawl (argon2 does the
//! rest). Which address a request comes from is the adapter's business (the socket's
//! peer, or a header of a trusted proxy).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use custio_store::User;

use crate::Engine;
use crate::accounts::{AccountError, MAX_USERNAME};

/// Failed logins a pair of account and address may have before it waits.
pub const FREE_FAILURES: u32 = 5;
/// The wait after [`FREE_FAILURES`] failures; it doubles with each further one.
pub const FIRST_DELAY: Duration = Duration::from_secs(30);
/// The longest wait.
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// A pair without an attempt for this long starts again from nothing.
const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);
/// The most pairs remembered; past it, the oldest tenth is forgotten (memory stays
/// bounded whatever names and addresses a flood of logins uses).
const MAX_PAIRS: usize = 100_000;

/// The failed logins of each pair of account name and client address.
#[derive(Debug, Default)]
pub(crate) struct LoginThrottle {
    pairs: Mutex<HashMap<(String, IpAddr), Failures>>,
}

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    /// When the last attempt started.
    last: Instant,
}

/// How long a pair waits after `failures` failed logins.
pub fn login_delay(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_FAILURES).min(16);
    FIRST_DELAY.saturating_mul(1 << doublings).min(MAX_DELAY)
}

/// The account part of a pair: the name as logins match it (trimmed, any case), cut to
/// what a user name can be.
fn account(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .chars()
        .take(MAX_USERNAME + 1)
        .collect()
}

/// The address part of a pair: an IPv4 address (also when written as IPv6), or the /64
/// network of an IPv6 address (one host usually holds a whole /64, and would otherwise
/// get five free tries from each of its addresses).
fn network(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        },
        v4 => v4,
    }
}

impl LoginThrottle {
    /// Starts an attempt of `name` from `client` at `now`: `Err(wait)` while the pair
    /// must wait, else the attempt counts as a failure until [`Self::forgive`].
    fn begin(&self, name: &str, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let key = (account(name), network(client));
        let mut pairs = self.pairs.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(f) = pairs.get(&key) {
            let ready = f.last + login_delay(f.count);
            if now < ready {
                return Err(ready - now);
            }
        } else if pairs.len() >= MAX_PAIRS {
            forget_oldest(&mut pairs);
        }
        let entry = pairs.entry(key).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now.saturating_duration_since(entry.last) >= FORGET_AFTER {
            entry.count = 0;
        }
        entry.count += 1;
        entry.last = now;
        Ok(())
    }

    /// Forgets the failures of a pair whose login succeeded.
    fn forgive(&self, name: &str, client: IpAddr) {
        let mut pairs = self.pairs.lock().unwrap_or_else(|p| p.into_inner());
        pairs.remove(&(account(name), network(client)));
    }
}

/// Forgets the tenth of the pairs whose last attempt is oldest.
fn forget_oldest(pairs: &mut HashMap<(String, IpAddr), Failures>) {
    let mut times: Vec<Instant> = pairs.values().map(|f| f.last).collect();
    let cut = times.len() / 10;
    let (_, &mut threshold, _) = times.select_nth_unstable(cut);
    pairs.retain(|_, f| f.last > threshold);
}

impl Engine {
    /// Logs `username` in with `password` from the client address `client`: the user, or
    /// [`AccountError::WrongLogin`] whichever was wrong, or [`AccountError::Throttled`]
    /// while this account and address pair must wait (see the module's documentation). A
    /// success forgets the pair's failures.
    pub fn log_in(
        &self,
        username: &str,
        password: &str,
        client: IpAddr,
    ) -> Result<User, AccountError> {
        self.log_in_at(username, password, client, Instant::now())
    }

    /// [`Engine::log_in`] at the time `now` (tests move the clock).
    pub(crate) fn log_in_at(
        &self,
        username: &str,
        password: &str,
        client: IpAddr,
        now: Instant,
    ) -> Result<User, AccountError> {
        self.logins
            .begin(username, client, now)
            .map_err(|wait| AccountError::Throttled { wait })?;
        let user = self.verify_login(username, password)?;
        self.logins.forgive(username, client);
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use custio_store::Role;

    const PASSWORD: &str = "admin-password-1";

    fn engine() -> Engine {
        let engine = Engine::new(custio_store::open(&custio_testdb::memory()).unwrap());
        engine
            .create_user("admin", PASSWORD, Role::Admin, "cli:t")
            .unwrap();
        engine
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_wait_doubles_after_five_failures_up_to_the_cap() {
        let waits: Vec<u64> = (0..12).map(|n| login_delay(n).as_secs()).collect();
        assert_eq!(
            waits,
            [0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900],
            "free, then 30 s doubling, at most 15 min"
        );
        assert_eq!(login_delay(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn a_stranger_slows_down_only_its_own_pair() {
        let engine = engine();
        let stranger = ip("203.0.113.9");
        let t0 = Instant::now();
        for _ in 0..FREE_FAILURES {
            assert!(matches!(
                engine.log_in_at("admin", "guess", stranger, t0),
                Err(AccountError::WrongLogin)
            ));
        }
        // The stranger waits, even with the right password (it cannot tell).
        assert!(matches!(
            engine.log_in_at("ADMIN ", PASSWORD, stranger, t0),
            Err(AccountError::Throttled { wait }) if wait == FIRST_DELAY
        ));
        // The admin from another address logs in, and so does another account from the
        // stranger's address (a shared proxy).
        assert!(
            engine
                .log_in_at("admin", PASSWORD, ip("198.51.100.1"), t0)
                .is_ok()
        );
        engine
            .create_user("ola", "ola-password-1", Role::Staff, "cli:t")
            .unwrap();
        assert!(
            engine
                .log_in_at("ola", "ola-password-1", stranger, t0)
                .is_ok()
        );

        // After the wait one more guess, then twice as long.
        let t1 = t0 + FIRST_DELAY;
        assert!(matches!(
            engine.log_in_at("admin", "guess", stranger, t1),
            Err(AccountError::WrongLogin)
        ));
        assert!(matches!(
            engine.log_in_at("admin", "guess", stranger, t1 + Duration::from_secs(59)),
            Err(AccountError::Throttled { wait }) if wait == Duration::from_secs(1)
        ));
        let t2 = t1 + 2 * FIRST_DELAY;
        // A success forgets the pair's failures.
        assert!(engine.log_in_at("admin", PASSWORD, stranger, t2).is_ok());
        assert!(matches!(
            engine.log_in_at("admin", "guess", stranger, t2),
            Err(AccountError::WrongLogin)
        ));
    }

    #[test]
    fn an_ipv6_host_is_its_64_network() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..FREE_FAILURES {
            let ip = ip(&format!("2001:db8:1:2::{:x}", i + 1));
            throttle.begin("admin", ip, t0).unwrap();
        }
        assert!(
            throttle
                .begin("admin", ip("2001:db8:1:2:ffff::9"), t0)
                .is_err()
        );
        assert!(throttle.begin("admin", ip("2001:db8:1:3::1"), t0).is_ok());
        assert_eq!(network(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
    }

    #[test]
    fn memory_stays_bounded_and_old_pairs_are_forgotten() {
        let throttle = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..MAX_PAIRS as u32 + 10 {
            let t = t0 + Duration::from_millis(u64::from(i));
            throttle
                .begin(&format!("user{i}"), ip("192.0.2.1"), t)
                .unwrap();
        }
        let len = throttle.pairs.lock().unwrap().len();
        assert!(len <= MAX_PAIRS, "{len}");
        // A pair quiet for a day starts again.
        let late = t0 + FORGET_AFTER + Duration::from_secs(3600);
        for _ in 0..10 {
            let _ = throttle.begin("quiet", ip("192.0.2.2"), t0);
        }
        assert!(throttle.begin("quiet", ip("192.0.2.2"), late).is_ok());
        assert_eq!(
            throttle.pairs.lock().unwrap()[&("quiet".to_string(), ip("192.0.2.2"))].count,
            1
        );
    }
}
