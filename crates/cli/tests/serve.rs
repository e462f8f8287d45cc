//! `custio serve` and `custio users` as processes: the printed address and setup link, and
//! a server killed in the middle of a job, whose job is resumed after the restart.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_custio");

struct Served {
    child: Child,
    url: String,
    lines: Vec<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `custio serve` on a free port; returns once it printed its address.
fn serve(dir: &Path) -> Served {
    serve_with(dir, &[])
}

/// [`serve`] with more flags.
fn serve_with(dir: &Path, flags: &[&str]) -> Served {
    let mut child = Command::new(BIN)
        .args(["--db", &format!("sqlite://{}", dir.join("c.db").display())])
        .args(["serve", "--bind", "127.0.0.1:0", "--workers", "1"])
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(flags)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(dir.join("serve.log")).unwrap())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    let url = loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "serve ended early: {lines:?}"
        );
        let line = line.trim().to_string();
        lines.push(line.clone());
        if let Some(url) = line.strip_prefix("custio is running: open ") {
            break url.to_string();
        }
    };
    // Read the rest (the setup link) without blocking the server.
    let mut rest = String::new();
    if lines.len() < 10 {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::spawn(move || while reader.read_line(&mut rest).unwrap_or(0) > 0 {});
    Served { child, url, lines }
}

fn custio(dir: &Path, args: &[&str], stdin: &str) -> (bool, String) {
    let mut child = Command::new(BIN)
        .args(["--db", &format!("sqlite://{}", dir.join("c.db").display())])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that reads no password closes its input early.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn cookie(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_string()
}

/// Logs in through the login form and creates an API token.
async fn token(client: &reqwest::Client, url: &str, user: &str, password: &str) -> String {
    let page = client.get(format!("{url}/login")).send().await.unwrap();
    let pre = cookie(&page, "custio_pre");
    let login = client
        .post(format!("{url}/login"))
        .header(COOKIE, format!("custio_pre={pre}"))
        .form(&[
            ("csrf", pre.as_str()),
            ("username", user),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let session = format!("custio_session={}", cookie(&login, "custio_session"));
    let me: Value = client
        .get(format!("{url}/api/v1/me"))
        .header(COOKIE, &session)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let created: Value = client
        .post(format!("{url}/api/v1/tokens"))
        .header(COOKIE, &session)
        .header("x-csrf-token", me["csrf_token"].as_str().unwrap())
        .json(&serde_json::json!({ "name": "restart test" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    created["token"].as_str().unwrap().to_string()
}

async fn job(client: &reqwest::Client, url: &str, token: &str, id: i64) -> Value {
    client
        .get(format!("{url}/api/v1/jobs/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Waits for a job to end (a resumed 150,000-row check may take minutes on a busy machine).
async fn wait(client: &reqwest::Client, url: &str, token: &str, id: i64) -> Value {
    let started = Instant::now();
    loop {
        let j = job(client, url, token, id).await;
        if j["state"] != "queued" && j["state"] != "running" {
            return j;
        }
        assert!(started.elapsed() < Duration::from_secs(300), "{j}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A client that shows redirects instead of following them.
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Adds the administrator `admin` with `password`.
fn add_admin(dir: &Path, password: &str) {
    let (ok, out) = custio(
        dir,
        &["users", "add", "admin", "--admin"],
        &format!("{password}\n"),
    );
    assert!(ok, "{out}");
}

#[test]
fn a_fresh_store_prints_the_address_and_a_one_time_setup_link() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve(dir.path());
    assert!(
        served.url.starts_with("http://127.0.0.1:"),
        "{:?}",
        served.lines
    );
    std::thread::sleep(Duration::from_millis(200));
    drop(served);
    // The link is printed after the address; read it from a second start (still no admin).
    let mut child = Command::new(BIN)
        .args([
            "--db",
            &format!("sqlite://{}", dir.path().join("c.db").display()),
        ])
        .args(["serve", "--bind", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut text = String::new();
    while !text.contains("setup?token=") {
        assert!(reader.read_line(&mut text).unwrap() > 0, "{text}");
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(text.contains("/setup?token="), "{text}");
    // Once an admin exists, no link.
    let (ok, out) = custio(
        dir.path(),
        &["users", "add", "boss", "--admin"],
        "a-long-password\n",
    );
    assert!(ok, "{out}");
    let served = serve(dir.path());
    assert!(
        !served.lines.iter().any(|l| l.contains("setup?token=")),
        "{:?}",
        served.lines
    );
}

#[test]
fn users_add_list_and_passwd() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = custio(dir.path(), &["users", "add", "ola"], "short\n");
    assert!(!ok && out.contains("at least 8"), "{out}");
    let (ok, out) = custio(dir.path(), &["users", "add", "ola"], "ola-password\n");
    assert!(ok, "{out}");
    let (ok, out) = custio(dir.path(), &["users", "add", "OLA"], "ola-password\n");
    assert!(!ok && out.contains("taken"), "{out}");
    let (ok, out) = custio(dir.path(), &["users", "list", "--json"], "");
    assert!(ok, "{out}");
    let users: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(users[0]["username"], "ola");
    assert_eq!(users[0]["role"], "staff");
    assert!(users[0].get("password_hash").is_none());
    let (ok, out) = custio(
        dir.path(),
        &["users", "passwd", "ola"],
        "another-password\n",
    );
    assert!(ok, "{out}");
    let (ok, out) = custio(
        dir.path(),
        &["users", "passwd", "nobody"],
        "another-password\n",
    );
    assert!(!ok, "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_interrupted_by_a_killed_server_is_resumed_after_the_restart() {
    let dir = tempfile::tempdir().unwrap();
    add_admin(dir.path(), "admin-password");
    // A file big enough that its check takes a while.
    let mut file = String::from("login;email;firstname;lastname;street;zipcode;city\n");
    for i in 0..150_000 {
        file.push_str(&format!(
            "u{i};u{i}@example.pl;Jan;Nowak{i};Jasna {i};00-950;Warszawa\n"
        ));
    }
    let client = http();

    let mut served = serve(dir.path());
    let url = served.url.clone();
    let token = token(&client, &url, "admin", "admin-password").await;
    let queued: Value = client
        .post(format!(
            "{url}/api/v1/imports?dialect=idosell&filename=big.csv"
        ))
        .bearer_auth(&token)
        .body(file)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = queued["id"].as_i64().unwrap();
    // Wait until the job has made progress, then kill the server hard.
    let started = Instant::now();
    loop {
        let j = job(&client, &url, &token, id).await;
        assert_ne!(
            j["state"], "succeeded",
            "the job ended before the kill; make the file bigger"
        );
        if j["state"] == "running" && j["done"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{j}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    served.child.kill().unwrap();
    served.child.wait().unwrap();
    drop(served);

    // The restart says what it did with the job, and the job finishes.
    let served = serve(dir.path());
    assert!(
        served
            .lines
            .iter()
            .any(|l| l.contains(&format!("job {id} (check) resumed"))),
        "{:?}",
        served.lines
    );
    let url = served.url.clone();
    let done = wait(&client, &url, &token, id).await;
    assert_eq!(done["state"], "succeeded", "{done}");
    assert_eq!(done["attempts"], 2);
    assert!(done["note"].as_str().unwrap().contains("resumed"), "{done}");
    assert_eq!(done["result"]["counts"]["rows"], 150_000);
    // The half-read batch of the first attempt is failed with the reason, not left checking.
    let batches: Value = client
        .get(format!("{url}/api/v1/batches"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let batches = batches.as_array().unwrap();
    assert_eq!(batches.len(), 2);
    assert_eq!(batches[1]["status"], "failed");
    assert!(
        batches[1]["error"]
            .as_str()
            .unwrap()
            .contains("server stopped")
    );
    assert!(batches.iter().all(|b| b["status"] != "checking"));
}

/// `serve --max-upload-mb` and `--trusted-proxy-header`, the modes of the files a server
/// and the command line write, and `batches purge` deleting a batch's upload.
#[tokio::test(flavor = "multi_thread")]
async fn serve_takes_its_limits_and_keeps_its_files_private() {
    let dir = tempfile::tempdir().unwrap();
    add_admin(dir.path(), "admin-password");
    let (ok, out) = custio(
        dir.path(),
        &["serve", "--trusted-proxy-header", "not a header"],
        "",
    );
    assert!(!ok && out.contains("is not an HTTP header name"), "{out}");

    let served = serve_with(
        dir.path(),
        &[
            "--max-upload-mb",
            "1",
            "--trusted-proxy-header",
            "X-Forwarded-For",
        ],
    );
    let url = served.url.clone();
    let client = http();
    let token = token(&client, &url, "admin", "admin-password").await;
    let upload = |body: String| {
        client
            .post(format!("{url}/api/v1/imports?dialect=idosell"))
            .bearer_auth(&token)
            .body(body)
            .send()
    };
    let big = "login;email\n".to_string() + &"jan;jan@example.pl\n".repeat(120_000);
    let refused = upload(big).await.unwrap();
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let queued = upload("login;email\njan;jan@example.pl\n".into())
        .await
        .unwrap();
    assert_eq!(queued.status(), StatusCode::ACCEPTED);
    let id = queued.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let checked = wait(&client, &url, &token, id).await;
    assert_eq!(checked["state"], "succeeded", "{checked}");
    let batch = checked["result"]["batch"].as_i64().unwrap();

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        for file in ["c.db", "c.db-wal", "c.db-shm"] {
            assert_eq!(mode(&dir.path().join(file)), 0o600, "{file}");
        }
        let data = dir.path().join("data");
        for sub in ["", "uploads", "exports"] {
            assert_eq!(mode(&data.join(sub)), 0o700, "data/{sub}");
        }
        for entry in std::fs::read_dir(data.join("uploads")).unwrap() {
            assert_eq!(mode(&entry.unwrap().path()), 0o600);
        }
        // What the command line writes holds personal data too.
        let out_file = dir.path().join("customers.csv");
        let (ok, out) = custio(
            dir.path(),
            &["export", "-o", out_file.to_str().unwrap()],
            "",
        );
        assert!(ok, "{out}");
        assert_eq!(mode(&out_file), 0o600);
    }
    drop(served);

    // A checked file's upload went with the check (the buffer holds its rows); purging
    // the committed batch still works.
    let (ok, out) = custio(dir.path(), &["batches", "commit", &batch.to_string()], "");
    assert!(ok, "{out}");
    let uploads = dir.path().join("data").join("uploads");
    assert_eq!(std::fs::read_dir(&uploads).unwrap().count(), 0);
    let data_dir = dir.path().join("data");
    let (ok, out) = custio(
        dir.path(),
        &[
            "batches",
            "purge",
            &batch.to_string(),
            "--data-dir",
            data_dir.to_str().unwrap(),
        ],
        "",
    );
    assert!(ok, "{out}");
    assert_eq!(std::fs::read_dir(&uploads).unwrap().count(), 0);
}

/// Every file under `dir`, read whole (the database, its WAL, uploads, exports, the log).
fn every_file(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            every_file(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path.display().to_string(), bytes));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_password_or_token_is_left_in_the_logs_or_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let admin = "Adm1n-Secret-Value";
    add_admin(dir.path(), admin);
    let served = serve(dir.path());
    let url = served.url.clone();
    let client = http();
    // A wrong guess at the login form, then the real login and an API token.
    let page = client.get(format!("{url}/login")).send().await.unwrap();
    let pre = cookie(&page, "custio_pre");
    let guess = "Wr0ng-Guess-Value";
    client
        .post(format!("{url}/login"))
        .header(COOKIE, format!("custio_pre={pre}"))
        .form(&[
            ("csrf", pre.as_str()),
            ("username", "admin"),
            ("password", guess),
        ])
        .send()
        .await
        .unwrap();
    let token = token(&client, &url, "admin", admin).await;
    // A customer file with a plain password, checked and imported.
    let plain = "Pl41n-Customer-Pass";
    let queued: Value = client
        .post(format!(
            "{url}/api/v1/imports?dialect=idosell&filename=k.csv"
        ))
        .bearer_auth(&token)
        .body(format!(
            "login;email;firstname;password\njan;jan@example.pl;Jan;{plain}\n"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let checked = wait(&client, &url, &token, queued["id"].as_i64().unwrap()).await;
    let batch = checked["result"]["batch"].as_i64().unwrap();
    let commit: Value = client
        .post(format!("{url}/api/v1/batches/{batch}/commit"))
        .bearer_auth(&token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let committed = wait(&client, &url, &token, commit["id"].as_i64().unwrap()).await;
    assert_eq!(committed["state"], "succeeded", "{committed}");
    drop(served);

    let mut files = Vec::new();
    every_file(dir.path(), &mut files);
    assert!(files.iter().any(|(name, _)| name.ends_with("serve.log")));
    for secret in [admin, guess, plain, token.as_str()] {
        for (name, bytes) in &files {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "'{secret}' is in {name}"
            );
        }
    }
}
