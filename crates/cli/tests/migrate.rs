//! `custio migrate` against the platforms' test shops (crates/testshops): the connection
//! check's answers, a migration of 10,000 customers from each platform with every fault
//! switched on along the way, "check and import" into a batch whose commit leaves exactly
//! the source's customers, a run again that updates them, a killed fetch resumed, and
//! "delete source".

mod util;

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use custio_sources::Platform;
use custio_testshops::{Server, prestashop, shoper, woocommerce};
use util::Workspace;

/// A running test shop, the flags that log in to it, and the ids a migration must end
/// with.
struct Source {
    server: Server,
    platform: Platform,
    flags: Vec<String>,
    expected: Box<dyn Fn() -> Expected>,
}

/// What a migration must end with: how many customers, and the e-mails of those still in
/// the shop (the ones deleted while it paged were read before they went).
struct Expected {
    count: usize,
    emails: BTreeSet<String>,
}

fn shop(platform: Platform, customers: u64) -> Source {
    let (server, flags, expected): (Server, Vec<String>, Box<dyn Fn() -> Expected>) = match platform
    {
        Platform::PrestaShop => {
            let options = prestashop::Options::default();
            let (server, shop) =
                prestashop::start(prestashop::Shop::generate(customers), options.clone());
            (
                server,
                vec!["--key".into(), options.key],
                expected(shop, |s| (s.expected_ids(), &s.customers), "id"),
            )
        }
        Platform::WooCommerce => {
            let options = woocommerce::Options::default();
            let (server, shop) =
                woocommerce::start(woocommerce::Shop::generate(customers), options.clone());
            let flags = vec![
                "--consumer-key".into(),
                options.consumer_key,
                "--consumer-secret".into(),
                options.consumer_secret,
            ];
            (
                server,
                flags,
                expected(shop, |s| (s.expected_ids(), &s.customers), "id"),
            )
        }
        Platform::Shoper => {
            // Shoper's bucket, leaking fast enough for a test.
            let options = shoper::Options {
                bandwidth: 400.0,
                ..shoper::Options::default()
            };
            let (server, shop) = shoper::start(shoper::Shop::generate(customers), options.clone());
            let flags = vec![
                "--login".into(),
                options.login,
                "--password".into(),
                options.password,
            ];
            (
                server,
                flags,
                expected(shop, |s| (s.expected_ids(), &s.users), "user_id"),
            )
        }
    };
    Source {
        server,
        platform,
        flags,
        expected,
    }
}

/// The expectation of a shop whose records `f` gives, with their ids under `id_key`.
fn expected<S: Send + 'static>(
    shop: Arc<Mutex<S>>,
    f: fn(&S) -> (Vec<u64>, &Vec<serde_json::Value>),
    id_key: &'static str,
) -> Box<dyn Fn() -> Expected> {
    Box::new(move || {
        let shop = shop.lock().unwrap();
        let (ids, records) = f(&shop);
        let ids: BTreeSet<u64> = ids.into_iter().collect();
        let emails = records
            .iter()
            .filter(|r| {
                let id = &r[id_key];
                let id = id
                    .as_u64()
                    .or_else(|| id.as_str().and_then(|s| s.parse().ok()));
                id.is_some_and(|id| ids.contains(&id))
            })
            .filter_map(|r| r["email"].as_str().map(str::to_lowercase))
            .collect();
        Expected {
            count: ids.len(),
            emails,
        }
    })
}

impl Source {
    /// `migrate SUBCOMMAND --platform P --url U <credentials> --allow-private-sources`.
    fn args(&self, subcommand: &str, ws: &Workspace, extra: &[&str]) -> Vec<String> {
        let mut args: Vec<String> = vec![
            "migrate".into(),
            subcommand.into(),
            "--platform".into(),
            self.platform.id().into(),
            "--url".into(),
            self.server.url.clone(),
            "--allow-private-sources".into(),
            "--data-dir".into(),
            ws.path("data").display().to_string(),
        ];
        args.extend(self.flags.iter().cloned());
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    }
}

fn run(ws: &Workspace, code: i32, args: &[String]) -> util::Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ws.ok(code, &args)
}

/// The e-mails of the stored customers (one per customer).
fn stored_emails(ws: &Workspace) -> Vec<String> {
    let list = ws.ok(0, &["customers", "list", "--json"]).json();
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["email"].as_str().unwrap_or_default().to_lowercase())
        .collect()
}

/// Asserts the store holds exactly the customers `expected` describes.
fn assert_holds(ws: &Workspace, expected: &Expected, what: &str, batch: &str) {
    let stored = stored_emails(ws);
    let unique: BTreeSet<String> = stored.iter().cloned().collect();
    assert_eq!(stored.len(), unique.len(), "{what}: nobody twice");
    assert!(
        stored.len() == expected.count && expected.emails.is_subset(&unique),
        "{what}: {} stored, {} expected, {} of the shop's e-mails missing; errors: {}",
        stored.len(),
        expected.count,
        expected.emails.difference(&unique).count(),
        ws.run(&["batches", "errors", batch])
            .stdout
            .chars()
            .take(1500)
            .collect::<String>()
    );
}

fn data(ws: &Workspace) -> String {
    ws.path("data").display().to_string()
}

#[test]
fn the_connection_check_says_correct_or_incorrect_and_why() {
    let ws = Workspace::new();
    for platform in Platform::ALL {
        let source = shop(platform, 20);
        let ok = run(&ws, 0, &source.args("check", &ws, &[]));
        assert!(
            ok.stdout.starts_with("connection correct"),
            "{platform}: {}",
            ok.stdout
        );

        let mut wrong = source.args("check", &ws, &[]);
        let last = wrong.len() - 1;
        wrong[last] = "wrong-secret-0123456789-0123456789".into();
        let refused = run(&ws, 1, &wrong);
        assert!(
            refused
                .stdout
                .starts_with("connection incorrect: the shop refused the credentials"),
            "{platform}: {}",
            refused.stdout
        );

        let private: Vec<String> = source
            .args("check", &ws, &[])
            .into_iter()
            .filter(|a| a != "--allow-private-sources")
            .collect();
        let refused = run(&ws, 1, &private);
        assert!(
            refused.stdout.contains("private or loopback address"),
            "{platform}: {}",
            refused.stdout
        );
    }
    // A missing secret is a usage error that names the flag.
    let usage = ws.ok(
        2,
        &[
            "migrate",
            "check",
            "--platform",
            "prestashop",
            "--url",
            "https://shop.example/",
        ],
    );
    assert!(usage.stderr.contains("--key"), "{}", usage.stderr);
}

#[test]
fn a_migration_of_ten_thousand_customers_from_each_platform_imports_exactly_them() {
    for platform in Platform::ALL {
        let ws = Workspace::new();
        let source = shop(platform, 10_000);
        // Every fault, each met somewhere along the way (together fewer than one
        // request's attempts, which they may all fall on).
        let faults = &source.server.faults;
        faults.too_many.store(2, Ordering::SeqCst);
        faults.failures.store(2, Ordering::SeqCst);
        faults.drops.store(1, Ordering::SeqCst);
        faults.change_while_paging.store(3, Ordering::SeqCst);
        faults.delay_ms.store(1, Ordering::SeqCst);
        let started = run(
            &ws,
            0,
            &source.args("start", &ws, &["--shops", "1", "--json"]),
        )
        .json();
        assert_eq!(started["status"], "verifying", "{platform}: {started}");
        let id = started["id"].as_i64().unwrap().to_string();
        for counter in [
            &faults.too_many,
            &faults.failures,
            &faults.drops,
            &faults.change_while_paging,
        ] {
            assert_eq!(
                counter.load(Ordering::SeqCst),
                0,
                "{platform}: every fault was met"
            );
        }
        let expected = (source.expected)();
        assert_eq!(
            started["customers"].as_u64(),
            Some(expected.count as u64),
            "{platform}"
        );
        assert!(
            std::path::Path::new(&data(&ws))
                .join("migrations")
                .join(started["file"].as_str().unwrap())
                .exists()
        );

        let batch = ws
            .ok(0, &["migrate", "import", &id, "--data-dir", &data(&ws)])
            .stdout
            .trim()
            .to_string();
        ws.ok(0, &["batches", "commit", &batch]);
        assert_holds(&ws, &expected, platform.name(), &batch);

        // Run again (once: every platform goes the same way from here): the same
        // customers are updated, none is added.
        if platform != Platform::PrestaShop {
            continue;
        }
        let again = run(&ws, 0, &source.args("start", &ws, &["--json"])).json();
        let id = again["id"].as_i64().unwrap().to_string();
        let batch = ws
            .ok(0, &["migrate", "import", &id, "--data-dir", &data(&ws)])
            .stdout
            .trim()
            .to_string();
        ws.ok(0, &["batches", "commit", &batch]);
        assert_holds(&ws, &expected, &format!("{platform}, run again"), &batch);
    }
}

#[test]
fn a_fetch_killed_half_way_goes_on_from_its_checkpoint_and_ends_the_same() {
    let ws = Workspace::new();
    let source = shop(Platform::PrestaShop, 3_000);
    source.server.faults.delay_ms.store(40, Ordering::SeqCst);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("custio"))
        .args(["--db", &ws.db])
        .args(source.args("start", &ws, &[]))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once a few pages are in.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let status = ws.run(&["migrate", "status", "1", "--json"]);
        if status.code == 0 && status.json()["pages"].as_u64().unwrap_or(0) >= 3 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the fetch never got going"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let stopped = ws.ok(0, &["migrate", "status", "1", "--json"]).json();
    assert_eq!(stopped["status"], "fetching");
    source.server.faults.delay_ms.store(0, Ordering::SeqCst);

    let resumed = ws
        .ok(
            0,
            &[
                "migrate",
                "resume",
                "1",
                "--json",
                "--allow-private-sources",
                "--data-dir",
                &data(&ws),
            ],
        )
        .json();
    assert_eq!(resumed["status"], "verifying");
    let batch = ws
        .ok(0, &["migrate", "import", "1", "--data-dir", &data(&ws)])
        .stdout
        .trim()
        .to_string();
    ws.ok(0, &["batches", "commit", &batch]);
    assert_holds(&ws, &(source.expected)(), "resumed", &batch);
}

#[test]
fn deleting_the_source_erases_its_credentials_and_keeps_the_file() {
    let ws = Workspace::new();
    let source = shop(Platform::WooCommerce, 150);
    let started = run(&ws, 0, &source.args("start", &ws, &["--json"])).json();
    let id = started["id"].as_i64().unwrap().to_string();
    assert_eq!(started["has_credentials"], true);
    let deleted = ws.ok(0, &["migrate", "delete-source", &id]);
    assert!(deleted.stdout.contains("credentials erased"));
    let status = ws.ok(0, &["migrate", "status", &id, "--json"]).json();
    assert_eq!(status["status"], "deleted");
    assert_eq!(status["has_credentials"], false);
    // Nothing more is fetched; what was fetched can still be imported.
    ws.ok(1, &["migrate", "resume", &id, "--data-dir", &data(&ws)]);
    let batch = ws
        .ok(0, &["migrate", "import", &id, "--data-dir", &data(&ws)])
        .stdout
        .trim()
        .to_string();
    assert!(batch.parse::<i64>().is_ok(), "{batch}");
    let list = ws.ok(0, &["migrate", "list", "--json"]).json();
    assert_eq!(list[0]["id"].to_string(), id);
    // The secret is nowhere in what custio shows.
    let shown =
        ws.ok(0, &["migrate", "list"]).stdout + &ws.ok(0, &["migrate", "status", &id]).stdout;
    assert!(!shown.contains(&woocommerce::Options::default().consumer_secret));
}

#[test]
fn a_detached_migration_is_fetched_by_a_worker() {
    let ws = Workspace::new();
    let source = shop(Platform::Shoper, 400);
    let queued = run(&ws, 0, &source.args("start", &ws, &["--detach", "--json"])).json();
    assert_eq!(queued["status"], "queued");
    let id = queued["id"].as_i64().unwrap().to_string();
    let job = queued["job"].as_i64().unwrap().to_string();
    let mut worker = std::process::Command::new(assert_cmd::cargo::cargo_bin("custio"))
        .env_remove("CUSTIO_DB")
        .args([
            "--db",
            &ws.db,
            "worker",
            "--allow-private-sources",
            "--data-dir",
            &data(&ws),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let status = loop {
        let status = ws.ok(0, &["migrate", "status", &id, "--json"]).json();
        if status["status"] == "verifying" || status["status"] == "failed" {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the worker never finished: {status}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    worker.kill().unwrap();
    worker.wait().unwrap();
    assert_eq!(status["status"], "verifying", "{status}");
    assert_eq!(
        status["customers"].as_u64(),
        Some((source.expected)().count as u64)
    );
    let shown = ws.ok(0, &["jobs", "show", &job, "--json"]).json();
    assert_eq!(shown["kind"], "migrate");
    assert_eq!(shown["state"], "succeeded");
    assert_eq!(shown["result"]["customers"], status["customers"]);
}
