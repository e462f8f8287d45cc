//! The hostile-file corpus (`tests/fixtures/hostile/`, and the big files made here) through
//! the server's two upload paths, the API (`POST /api/v1/imports`) and the panel's import
//! form, on a store holding 200 customers: every check ends, failed with a bounded
//! message or checked with its rows' issues; committing what was checked changes no
//! customer (no file of the corpus holds a valid row); the server answers throughout.

mod util;

use std::collections::BTreeMap;
use std::path::PathBuf;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION};
use serde_json::{Value, json};
use util::{Api, Session, TestApp, spawn};

/// The corpus: its files, and the big ones that are made rather than kept.
fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    let columns: Vec<String> = (0..200_000).map(|i| format!("c{i}")).collect();
    files.push((
        "made_200000_columns.csv".into(),
        format!("{}\n", columns.join(";")).into_bytes(),
    ));
    files.push((
        "made_100000_deep.xml".into(),
        format!(
            "<clients>\n<client login=\"user1\" email=\"user1@example.pl\">{}",
            "<a>".repeat(100_000)
        )
        .into_bytes(),
    ));
    files.push((
        "made_3_mib_cell.csv".into(),
        format!(
            "login;email;firstname\nuser1;user1@example.pl;{}\n",
            "A".repeat(3 * 1024 * 1024)
        )
        .into_bytes(),
    ));
    files
}

/// The dialect a user would choose for a file of that name.
fn dialect(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("xml") => "iof",
        Some("xlsx") => "xlsx",
        _ => "idosell",
    }
}

/// Every stored customer by login.
async fn customers(api: &Api<'_>) -> BTreeMap<String, Value> {
    let list = api
        .json(
            api.get("/api/v1/customers?limit=500&sort=id"),
            StatusCode::OK,
        )
        .await;
    let list = list["customers"].as_array().expect("a list").clone();
    assert_eq!(list.len(), 200, "the store holds its 200 customers");
    list.into_iter()
        .map(|c| (c["login"].as_str().unwrap().to_string(), c))
        .collect()
}

/// Checks that a check job ended as it should: failed, or its batch failed, with a
/// bounded reason; or its batch checked, and then committed.
async fn ended_well(api: &Api<'_>, name: &str, job: &Value) {
    let reason = match job["state"].as_str() {
        Some("failed") => job["error"].clone(),
        Some("succeeded") => {
            let id = job["result"]["batch"].as_i64().expect("a batch");
            let batch = api
                .json(api.get(&format!("/api/v1/batches/{id}")), StatusCode::OK)
                .await;
            if batch["status"] == "checked" {
                let commit = api
                    .json(
                        api.post(&format!("/api/v1/batches/{id}/commit"))
                            .json(&json!({})),
                        StatusCode::ACCEPTED,
                    )
                    .await;
                let commit = api.wait_job(commit["id"].as_i64().unwrap()).await;
                assert_eq!(commit["state"], "succeeded", "{name}: {commit}");
            }
            batch["error"].clone()
        }
        _ => panic!("{name}: the check did not end: {job}"),
    };
    let failed = job["state"] == "failed" || job["result"]["status"] == "failed";
    if failed {
        let reason = reason.as_str().unwrap_or_default();
        assert!(!reason.is_empty(), "{name}: failed without a reason: {job}");
        assert!(
            reason.len() < 5_000,
            "{name}: a reason of {} bytes",
            reason.len()
        );
        assert!(!reason.contains("panicked"), "{name}: {reason}");
    }
    if name.starts_with("zip_bomb.xlsx") {
        assert!(
            failed && reason.as_str().is_some_and(|e| e.contains("a zip bomb")),
            "{name}: unpacked? {job}"
        );
    }
}

/// Uploads a file through the panel's import form; returns the check job's id.
async fn panel_upload(app: &TestApp, session: &Session, name: &str, bytes: &[u8]) -> i64 {
    let boundary = "custio-hostile-boundary";
    let mut body = Vec::new();
    for (field, value) in [("csrf", session.csrf.as_str()), ("dialect", dialect(name))] {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
            )
            .into_bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    let response = app
        .client
        .post(app.at("/import"))
        .header(COOKIE, format!("custio_session={}", session.cookie))
        .header(
            CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{name}");
    let location = response.headers()[LOCATION].to_str().unwrap().to_string();
    location
        .strip_prefix("/jobs/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{name}: redirected to {location}"))
}

#[tokio::test]
async fn the_hostile_corpus_through_the_api_and_the_panel_changes_no_customer() {
    let app = spawn().await;
    let session = app.setup_admin().await;
    let api = Api {
        app: &app,
        token: app.token(&session).await,
    };
    let mut base = String::from("login;email;firstname;lastname;street;zipcode;city;phone\n");
    for i in 0..200 {
        base.push_str(&format!(
            "user{i};user{i}@example.pl;Jan{i};Kowalski;Polna {i};00-001;Warszawa;+48500100{i:03}\n"
        ));
    }
    let job = api.check("dialect=idosell&filename=base.csv", base).await;
    ended_well(&api, "base.csv", &job).await;
    let before = customers(&api).await;

    for (name, bytes) in corpus() {
        let chosen = format!("dialect={}&filename={name}", dialect(&name));
        for query in [chosen.as_str(), "filename=detected"] {
            let job = api.check(query, bytes.clone()).await;
            ended_well(&api, &format!("{name} ({query})"), &job).await;
        }
        let id = panel_upload(&app, &session, &name, &bytes).await;
        let job = api.wait_job(id).await;
        ended_well(&api, &format!("{name} (panel)"), &job).await;
    }

    let after = customers(&api).await;
    let changed: Vec<&String> = after
        .iter()
        .filter(|(login, c)| before.get(*login) != Some(*c))
        .map(|(login, _)| login)
        .collect();
    assert!(changed.is_empty(), "changed: {changed:?}");
    // The server still serves the panel.
    let page = app
        .client
        .get(app.at("/customers"))
        .header(COOKIE, format!("custio_session={}", session.cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
}
