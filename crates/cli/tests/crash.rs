//! A commit killed (SIGKILL) at any point leaves a store that passes SQLite's integrity
//! check, with no row half applied: every customer written belongs to a row marked
//! imported, and the journal accounts for each of them. Committing again finishes the
//! batch without a duplicate.

mod util;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use util::{HEADER, Workspace};

const ROWS: usize = 3000;
const KILLS: usize = 100;

fn file() -> String {
    let mut text = String::from(HEADER);
    for i in 0..ROWS {
        text.push_str(&format!(
            "\nu{i};u{i}@example.pl;Jan;Nowak;Jasna {i};00-950;Warszawa;;n"
        ));
    }
    text.push('\n');
    text
}

/// (customers, rows marked imported, customers the journal records as inserted).
fn state(db: &Path) -> (i64, i64, i64) {
    // Opening the store is what a restart does.
    let engine = custio_engine::Engine::open(&format!("sqlite://{}", db.display())).unwrap();
    assert_eq!(engine.store_problems().unwrap(), Vec::<String>::new());
    drop(engine);
    let conn = rusqlite::Connection::open(db).unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    let orphans = count(
        "SELECT COUNT(*) FROM customers c LEFT JOIN staged_rows s
         ON s.batch_id = c.batch AND s.line = c.line
         WHERE s.line IS NULL OR s.status <> 3",
    );
    assert_eq!(orphans, 0, "a customer without its imported row");
    (
        count("SELECT COUNT(*) FROM customers"),
        count("SELECT COUNT(*) FROM staged_rows WHERE batch_id = 1 AND status = 3"),
        count(
            "SELECT COALESCE(SUM(COALESCE(last_id, customer_id) - customer_id + 1), 0) FROM journal WHERE op = 0",
        ),
    )
}

#[test]
fn a_commit_killed_anywhere_leaves_no_row_half_applied() {
    // Copies of the checked store's file are what each kill starts from.
    let ws = Workspace::on_sqlite();
    let input = ws.write("in.csv", &file());
    ws.ok(0, &["import", input.to_str().unwrap()]);
    let checked = ws.path("custio.db");
    let bin = assert_cmd::cargo::cargo_bin("custio");
    // How long an uninterrupted commit takes, to spread the kills over it.
    let whole = ws.path("whole.db");
    std::fs::copy(&checked, &whole).unwrap();
    let started = Instant::now();
    let done = Command::new(&bin)
        .args([
            "--db",
            &format!("sqlite://{}", whole.display()),
            "batches",
            "commit",
            "1",
        ])
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let span = started.elapsed().as_micros() as u64;
    assert_eq!(state(&whole), (ROWS as i64, ROWS as i64, ROWS as i64));

    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut partial = 0;
    for kill in 0..KILLS {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let db = ws.path(&format!("kill{kill}.db"));
        std::fs::copy(&checked, &db).unwrap();
        let url = format!("sqlite://{}", db.display());
        let mut child = Command::new(&bin)
            .args(["--db", &url, "batches", "commit", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(seed % span));
        child.kill().unwrap();
        child.wait().unwrap();
        let (customers, imported, journalled) = state(&db);
        assert_eq!(
            customers, imported,
            "kill {kill}: customers match imported rows"
        );
        assert_eq!(
            customers, journalled,
            "kill {kill}: every customer journalled"
        );
        if customers > 0 && customers < ROWS as i64 {
            partial += 1;
        }
        let again = Command::new(&bin)
            .args(["--db", &url, "batches", "commit", "1"])
            .output()
            .unwrap();
        assert!(
            again.status.success(),
            "kill {kill}: {}",
            String::from_utf8_lossy(&again.stderr)
        );
        assert_eq!(
            state(&db),
            (ROWS as i64, ROWS as i64, ROWS as i64),
            "kill {kill}"
        );
        std::fs::remove_file(&db).ok();
    }
    assert!(partial > 0, "some kills landed in the middle of the commit");
}
