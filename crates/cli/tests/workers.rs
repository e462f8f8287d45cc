//! Several processes on one queue: `custio worker`s share the jobs, a worker killed in the
//! middle of a job loses it to another after its lease, every job ends exactly once, and
//! the customers are exactly those of the files. Also: two processes that start at once
//! on an empty database both work (the schema is migrated once). Each runs on the
//! backend of the test run (SQLite, or PostgreSQL with `CUSTIO_TEST_DB`).

mod util;

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{HEADER, Workspace};

const FILES: usize = 4;
const ROWS: usize = 5000;

/// File `n`'s rows: customers `u{n*ROWS}` to `u{(n+1)*ROWS - 1}`.
fn file(n: usize) -> String {
    let mut text = String::from(HEADER);
    for i in n * ROWS..(n + 1) * ROWS {
        text.push_str(&format!(
            "\nu{i};u{i}@example.pl;Jan{i};Nowak{n};Jasna {i};00-950;Warszawa;;n"
        ));
    }
    text.push('\n');
    text
}

/// A `custio worker` of this workspace with a two-second lease.
fn worker(ws: &Workspace) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("custio"))
        .env_remove("CUSTIO_DB")
        .args([
            "--db",
            &ws.db,
            "worker",
            "--lease-seconds",
            "2",
            "--data-dir",
        ])
        .arg(ws.path("data"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The worker id a worker process claims jobs as.
fn worker_id(child: &Child) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    format!("{}:{}", host.trim(), child.id())
}

/// Stops a worker the way an operator does (SIGTERM) and checks that it ended cleanly.
fn stop(mut child: Child) {
    // SAFETY: kill only sends a signal to the child's pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().unwrap();
    assert!(status.success(), "a stopped worker exits 0: {status:?}");
}

fn jobs(ws: &Workspace) -> Vec<Value> {
    let list = ws.ok(0, &["jobs", "list", "--json"]).json();
    list.as_array().unwrap().clone()
}

#[test]
fn workers_share_the_queue_and_a_killed_workers_job_is_taken_over_once() {
    let ws = Workspace::new();
    for n in 0..FILES {
        let path = ws.write(&format!("f{n}.csv"), &file(n));
        ws.ok(
            0,
            &["import", path.to_str().unwrap(), "--format", "idosell"],
        );
    }
    for batch in 1..=FILES {
        let queued = ws.ok(0, &["batches", "commit", &batch.to_string(), "--detach"]);
        assert!(queued.stdout.starts_with("queued job"), "{}", queued.stdout);
    }
    // The first worker takes the first job and is killed while it runs it.
    let doomed = worker(&ws);
    let doomed_id = worker_id(&doomed);
    let started = Instant::now();
    let first = loop {
        let list = jobs(&ws);
        let running = list.iter().find(|j| j["state"] == "running").cloned();
        if let Some(job) = running {
            break job;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no job started"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut doomed = doomed;
    doomed.kill().unwrap();
    doomed.wait().unwrap();
    assert_eq!(first["worker"], doomed_id);
    let killed_job = first["id"].as_i64().unwrap();

    // Two more share the rest, and one of them takes the killed job over.
    let (a, b) = (worker(&ws), worker(&ws));
    let live: BTreeSet<String> = [worker_id(&a), worker_id(&b)].into();
    let started = Instant::now();
    let ended = loop {
        let list = jobs(&ws);
        if list
            .iter()
            .all(|j| j["state"] == "succeeded" || j["state"] == "failed")
        {
            break list;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "jobs still open: {list:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    stop(a);
    stop(b);

    assert_eq!(ended.len(), FILES);
    for job in &ended {
        assert_eq!(job["state"], "succeeded", "{job}");
        let worker = job["worker"].as_str().unwrap();
        assert!(live.contains(worker), "ended by a live worker: {job}");
        if job["id"] == killed_job {
            assert_eq!(job["attempts"], 2, "taken over once: {job}");
            let note = job["note"].as_str().unwrap();
            assert!(
                note.starts_with("resumed: its worker stopped while attempt 1 ran"),
                "{note}"
            );
        } else {
            assert_eq!(job["attempts"], 1, "run once: {job}");
        }
    }
    // Exactly the customers of the files, each whole.
    let customers = ws.ok(0, &["customers", "list", "--json"]).json();
    let customers = customers.as_array().unwrap();
    assert_eq!(customers.len(), FILES * ROWS);
    let logins: BTreeSet<String> = customers
        .iter()
        .map(|c| c["login"].as_str().unwrap().to_string())
        .collect();
    let expected: BTreeSet<String> = (0..FILES * ROWS).map(|i| format!("u{i}")).collect();
    assert_eq!(logins, expected);
    for c in customers {
        let i: usize = c["login"].as_str().unwrap()[1..].parse().unwrap();
        assert_eq!(c["first_name"], format!("Jan{i}"));
        assert_eq!(c["last_name"], format!("Nowak{}", i / ROWS));
    }
    for batch in 1..=FILES {
        let shown = ws
            .ok(0, &["batches", "show", &batch.to_string(), "--json"])
            .json();
        assert_eq!(shown["counts"]["imported"], ROWS, "{}", shown["counts"]);
    }
}

#[test]
fn two_processes_that_start_at_once_on_an_empty_database_both_work() {
    let ws = Workspace::new();
    let paths: Vec<_> = (0..2)
        .map(|n| ws.write(&format!("f{n}.csv"), &file(n)))
        .collect();
    let children: Vec<Child> = paths
        .iter()
        .map(|path| {
            Command::new(assert_cmd::cargo::cargo_bin("custio"))
                .env_remove("CUSTIO_DB")
                .args(["--db", &ws.db, "import"])
                .arg(path)
                .args(["--format", "idosell", "--commit", "--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let customers = ws.ok(0, &["customers", "list", "--json"]).json();
    assert_eq!(customers.as_array().unwrap().len(), 2 * ROWS);
    let shops = ws.ok(0, &["shops", "list", "--json"]).json();
    assert_eq!(
        shops.as_array().unwrap().len(),
        1,
        "one default shop: {shops}"
    );
}
