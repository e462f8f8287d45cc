//! Local HTTP servers that behave like the customer APIs custio migrates from, built from
//! `shared/reference/source-apis.md` (section 5): real TCP on 127.0.0.1, the platform's
//! authentication, paging, headers and error bodies, its quirks, and [`Faults`] that a
//! test switches on to see the client cope: 429 bursts, 500s, slow answers, dropped
//! connections, records changing while paging.
//!
//! Each platform is a module with a [`Shop`] of customers and its options; the shop's
//! state is shared with the test, which can read or change it while the server runs.

pub mod prestashop;
mod server;
pub mod shoper;
pub mod woocommerce;

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

pub use server::{Answer, Asked, Server};

/// Faults a test switches on; each counter is used up by the requests that meet it.
#[derive(Debug, Default)]
pub struct Faults {
    /// The next N requests answer 429 with `Retry-After: 1`.
    pub too_many: AtomicU32,
    /// The next N requests answer 500.
    pub failures: AtomicU32,
    /// The next N connections are closed after the request is read, without an answer.
    pub drops: AtomicU32,
    /// Every answer waits this many milliseconds (latency, or a timeout when long).
    pub delay_ms: AtomicU64,
    /// After each of the next N full pages of customers: one customer already served is
    /// deleted, a new one is created, and one not yet served changes its e-mail.
    pub change_while_paging: AtomicU32,
}

impl Faults {
    /// Takes one from `counter` if it is not zero.
    pub(crate) fn take(counter: &AtomicU32) -> bool {
        counter
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }

    pub(crate) fn delay(&self) -> Duration {
        Duration::from_millis(self.delay_ms.load(Ordering::SeqCst))
    }
}

/// Deterministic test data: a customer's names and places from its number.
pub mod names {
    pub const FIRST: &[&str] = &[
        "Anna",
        "Jan",
        "Zuzana",
        "Петър",
        "Łukasz",
        "Marie",
        "Ondřej",
        "Kinga",
    ];
    pub const LAST: &[&str] = &[
        "Nowak",
        "Dvořák",
        "Kowalska",
        "Иванов",
        "Šťastný",
        "Wójcik",
        "Novotná",
        "Zieliński",
    ];
    pub const CITIES: &[&str] = &["Kraków", "Brno", "Sofia", "Łódź", "Praha", "Poznań"];
}
