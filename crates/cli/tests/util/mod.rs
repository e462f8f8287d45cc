// Each test binary uses a different part of these helpers.
#![allow(dead_code)]

//! Helpers for the CLI tests: a fresh SQLite file per test and the `custio` binary.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A temporary directory holding one test's database and files.
pub struct Workspace {
    pub dir: tempfile::TempDir,
    /// The database every run uses (`custio_testdb`: a file here, or a PostgreSQL schema).
    pub db: String,
}

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

impl Workspace {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = custio_testdb::url(dir.path(), "custio.db");
        Self { dir, db }
    }

    /// A workspace on a SQLite file whatever the backend of the run (tests of what the file
    /// itself does).
    pub fn on_sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("custio.db").display());
        Self { dir, db }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, content).unwrap();
        path
    }

    /// Runs `custio --db <this workspace's db> ARGS`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_stdin(args, "")
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let out = Command::cargo_bin("custio")
            .unwrap()
            .env_remove("CUSTIO_DB")
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs and expects exit code `code`.
    pub fn ok(&self, code: i32, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(
            run.code, code,
            "custio {args:?}\nstdout: {}\nstderr: {}",
            run.stdout, run.stderr
        );
        run
    }

    /// The stored customer with this login, in its JSON form.
    pub fn customer(&self, key: &str) -> serde_json::Value {
        self.ok(0, &["customers", "show", key, "--json"]).json()
    }
}

pub fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(path)
        .display()
        .to_string()
}

/// A minimal IdoSell file: the header, then one `;`-joined row per item.
pub const HEADER: &str = "login;email;firstname;lastname;street;zipcode;city;phone;mailing";

pub fn idosell(rows: &[&str]) -> String {
    let mut s = String::from(HEADER);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.push('\n');
    s
}
