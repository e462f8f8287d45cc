//! Several processes on one queue: `custio worker`s share the jobs, a worker killed in the
//! middle of a job loses it to another after its lease, every job ends exactly once, and
//! the customers are exactly those of the files. Also: two processes that start at once
//! on an empty database both work (the schema is migrated once). Each runs on the
//! backend of the test run (SQLite, or PostgreSQL with `CUSTIO_TEST_DB`).

mod util;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
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

/// A worker that serves its figures; returns it and the address it printed.
fn worker_with_metrics(ws: &Workspace) -> (Child, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("custio"))
        .env_remove("CUSTIO_DB")
        .args(["--db", &ws.db, "worker", "--lease-seconds", "2"])
        .args(["--metrics", "127.0.0.1:0", "--data-dir"])
        .arg(ws.path("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = lines
        .find_map(|line| {
            line.unwrap()
                .strip_prefix("metrics at http://")
                .and_then(|rest| rest.strip_suffix("/api/v1/metrics"))
                .map(String::from)
        })
        .expect("the worker prints where its metrics are");
    // The rest of its output is not read: let it go nowhere rather than fill the pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
}

/// `GET /api/v1/metrics` of a worker: the text of the figures.
fn metrics(addr: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .write_all(b"GET /api/v1/metrics HTTP/1.0\r\nHost: custio\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.contains(" 200 OK"), "{answer}");
    answer
}

/// The value of one sample of the figures.
fn sample(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in\n{text}"))
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
    let ((a, a_metrics), (b, b_metrics)) = (worker_with_metrics(&ws), worker_with_metrics(&ws));
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
    // What each worker's figures say: the queue as a whole, and between them the four
    // jobs run and the one passed lease found.
    let (a_text, b_text) = (metrics(&a_metrics), metrics(&b_metrics));
    for text in [&a_text, &b_text] {
        assert_eq!(
            sample(text, "custio_jobs{kind=\"commit\",state=\"succeeded\"}"),
            FILES as u64
        );
        assert_eq!(sample(text, "custio_job_restarts_total"), 1);
        assert_eq!(sample(text, "custio_job_leases_expired"), 0);
        assert_eq!(
            sample(text, "custio_job_duration_seconds_count{kind=\"commit\"}"),
            FILES as u64
        );
    }
    let of = |text: &str, name: &str, child: &Child| {
        sample(text, &format!("{name}{{worker=\"{}\"}}", worker_id(child)))
    };
    assert_eq!(
        of(&a_text, "custio_worker_jobs_run_total", &a)
            + of(&b_text, "custio_worker_jobs_run_total", &b),
        FILES as u64
    );
    assert_eq!(
        of(&a_text, "custio_worker_lease_expiries_total", &a)
            + of(&b_text, "custio_worker_lease_expiries_total", &b),
        1
    );
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
fn two_workers_share_a_big_check_and_stage_what_one_process_stages() {
    let ws = Workspace::new();
    // Three hundred thousand rows (the first worker is still at them when the second
    // looks at the queue, even on a machine busy with other tests: with a third of that,
    // a busy CI run once saw the first worker finish before the second began), and a last
    // row repeating the first one's e-mail: a repeat that the two workers' chunks only
    // show together.
    let mut text = String::from(HEADER);
    for i in 0..300_000 {
        text.push_str(&format!(
            "\nu{i};u{i}@example.pl;Jan{i};Nowak;Jasna {i};00-950;Warszawa;;n"
        ));
    }
    text.push_str("\nagain;u0@example.pl;Jan;Nowak;Jasna 1;00-950;Warszawa;;n\n");
    let path = ws.write("big.csv", &text);
    let path = path.to_str().unwrap();
    // The reference: the same file checked by one process, in the foreground (exit code
    // 3: a row did not pass).
    ws.ok(3, &["import", path, "--format", "idosell"]);
    let queued = ws.ok(
        0,
        &[
            "import",
            path,
            "--format",
            "idosell",
            "--detach",
            "--data-dir",
        ]
        .into_iter()
        .chain([ws.path("data").to_str().unwrap()])
        .collect::<Vec<_>>(),
    );
    assert!(queued.stdout.starts_with("queued job"), "{}", queued.stdout);
    let sharing = |ws: &Workspace| {
        Command::new(assert_cmd::cargo::cargo_bin("custio"))
            .env_remove("CUSTIO_DB")
            .args(["--db", &ws.db, "worker", "--share-checks-from-mb", "0"])
            .arg("--data-dir")
            .arg(ws.path("data"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (a, b) = (sharing(&ws), sharing(&ws));
    let started = Instant::now();
    let ended = loop {
        let list = jobs(&ws);
        let open = list
            .iter()
            .any(|j| j["state"] == "queued" || j["state"] == "running");
        if !open && list.iter().any(|j| j["kind"] == "check") {
            break list;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "jobs still open: {list:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    stop(a);
    stop(b);
    for job in &ended {
        assert_eq!(job["state"], "succeeded", "{job}");
    }
    let helped: u64 = ended
        .iter()
        .filter(|j| j["kind"] == "help_check")
        .map(|j| j["result"]["rows"].as_u64().unwrap())
        .sum();
    assert!(helped > 0, "a second worker checked rows: {ended:?}");
    let shown = |batch: &str| ws.ok(0, &["batches", "show", batch, "--json"]).json();
    let (alone, shared) = (shown("1"), shown("2"));
    assert_eq!(alone["counts"]["invalid"], 1, "{}", alone["counts"]);
    assert_eq!(shared["counts"], alone["counts"]);
    assert_eq!(shared["rows"], alone["rows"]);
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

#[test]
fn a_database_password_is_never_printed() {
    // Nothing listens on port 1: the connection fails and says so, without the password.
    let out = Command::new(assert_cmd::cargo::cargo_bin("custio"))
        .env_remove("CUSTIO_DB")
        .args([
            "--db",
            "postgres://ola:s3cret-pw@127.0.0.1:1/custio?password=other-pw",
        ])
        .args(["customers", "list"])
        .output()
        .unwrap();
    let run = util::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("opening the database postgres://ola@127.0.0.1:1/custio"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("s3cret-pw") && !run.stderr.contains("other-pw"),
        "{}",
        run.stderr
    );
}
