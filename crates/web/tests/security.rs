//! The web defences of issue 8 over real HTTP against the real app: who may download an
//! export file (and the audit log of every download), login throttling per account and
//! client address (with and without a trusted proxy header), the upload limit, the
//! retention sweep of uploads and exports, private files, and CSRF tokens kept out of
//! URLs. `docs/security.md` names each test beside the threat it shows defended.

mod util;

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE};
use serde_json::{Value, json};
use util::*;

async fn admin_api(app: &TestApp) -> (Session, Api<'_>) {
    let session = app.setup_admin().await;
    let token = app.token(&session).await;
    (session, Api { app, token })
}

/// A staff user added by the admin, logged in; its session and API client.
async fn staff<'a>(app: &'a TestApp, admin: &Api<'_>, name: &str) -> (Session, Api<'a>) {
    admin
        .json(
            admin
                .post("/api/v1/users")
                .json(&json!({ "username": name, "password": "staff-password-1" })),
            StatusCode::CREATED,
        )
        .await;
    let session = app.login(name, "staff-password-1").await.unwrap();
    let token = app.token(&session).await;
    (session, Api { app, token })
}

/// Queues an export and waits for it; returns the finished job.
async fn export(api: &Api<'_>, body: Value) -> Value {
    let job = api
        .json(
            api.post("/api/v1/exports").json(&body),
            StatusCode::ACCEPTED,
        )
        .await;
    let job = api.wait_job(job["id"].as_i64().unwrap()).await;
    assert_eq!(job["state"], "succeeded", "{job}");
    job
}

/// The status of a panel page for a session, and its text.
async fn page(app: &TestApp, session: &Session, path: &str) -> (StatusCode, String) {
    let response = app
        .client
        .get(app.at(path))
        .header(COOKIE, format!("custio_session={}", session.cookie))
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_staff_user_cannot_download_an_admins_export_with_password_hashes() {
    let app = spawn().await;
    let (_, admin) = admin_api(&app).await;
    admin
        .json(
            admin.post("/api/v1/customers").json(&json!({
                "login": "jan", "email": "jan@example.pl", "first_name": "Jan",
            })),
            StatusCode::CREATED,
        )
        .await;
    let (ola_session, ola) = staff(&app, &admin, "ola").await;
    let (_, ewa) = staff(&app, &admin, "ewa").await;

    // The admin's export with password hashes.
    let hashes = export(
        &admin,
        json!({ "with_password_hashes": true, "confirm_password_hashes": true }),
    )
    .await;
    let id = hashes["id"].as_i64().unwrap();
    let download = format!("/api/v1/jobs/{id}/download");
    assert_eq!(hashes["result"]["download"], download.as_str());

    // Staff gets 403 over the API and on the panel, and no link to it.
    let err = ola.json(ola.get(&download), StatusCode::FORBIDDEN).await;
    assert_eq!(err["error"]["code"], "forbidden");
    let (status, html) = page(&app, &ola_session, &format!("/jobs/{id}/download")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!html.contains("jan@example.pl"));
    let job = ola
        .json(ola.get(&format!("/api/v1/jobs/{id}")), StatusCode::OK)
        .await;
    assert!(job["result"].get("download").is_none(), "{job}");
    let (_, html) = page(&app, &ola_session, &format!("/jobs/{id}")).await;
    assert!(!html.contains(&format!("/jobs/{id}/download")), "{html}");
    let (_, html) = page(&app, &ola_session, "/jobs").await;
    assert!(!html.contains(&format!("/jobs/{id}/download")), "{html}");

    // The admin downloads it.
    let file = admin.get(&download).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert!(file.text().await.unwrap().contains("jan@example.pl"));

    // Ola's own export is hers and the admins', not Ewa's.
    let own = export(&ola, json!({ "kind": "view", "columns": ["email"] })).await;
    let own_id = own["id"].as_i64().unwrap();
    let own_download = format!("/api/v1/jobs/{own_id}/download");
    let file = ola.get(&own_download).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert!(file.text().await.unwrap().contains("jan@example.pl"));
    let (status, _) = page(&app, &ola_session, &format!("/jobs/{own_id}/download")).await;
    assert_eq!(status, StatusCode::OK);
    let err = ewa
        .json(ewa.get(&own_download), StatusCode::FORBIDDEN)
        .await;
    assert_eq!(err["error"]["code"], "forbidden");
    assert_eq!(
        admin.get(&own_download).send().await.unwrap().status(),
        StatusCode::OK
    );

    // Every download is in the audit log: who, which job, which file. Refusals are not
    // downloads.
    let audit = admin.json(admin.get("/api/v1/audit"), StatusCode::OK).await;
    let downloads: Vec<(String, String, String)> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().ends_with("_downloaded"))
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_string(),
                e["action"].as_str().unwrap().to_string(),
                e["detail"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let entry = |actor: &str, action: &str, job: i64| {
        (
            actor.to_string(),
            action.to_string(),
            format!("job {job}, file custio-export-{job}.csv"),
        )
    };
    assert_eq!(
        downloads,
        [
            entry("api:admin:token1", "export_downloaded", own_id),
            entry("web:ola", "export_downloaded", own_id),
            entry("api:ola:token2", "export_downloaded", own_id),
            entry(
                "api:admin:token1",
                "export_with_password_hashes_downloaded",
                id
            ),
        ]
    );
    // The audit page shows them in words.
    let admin_session = app.login(ADMIN, PASSWORD).await.unwrap();
    let (_, html) = page(&app, &admin_session, "/audit").await;
    assert!(
        html.contains("export with password hashes downloaded"),
        "{html}"
    );
    assert!(html.contains(&format!("job {id}, file custio-export-{id}.csv")));
}

#[tokio::test]
async fn a_download_of_rejected_rows_is_audited() {
    let app = spawn().await;
    let (_, api) = admin_api(&app).await;
    let job = api
        .check("dialect=idosell&filename=a.csv", "login;email\njan;jan@\n")
        .await;
    let batch = job["result"]["batch"].as_i64().unwrap();
    let file = api
        .get(&format!("/api/v1/batches/{batch}/rejected"))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    let audit = api.json(api.get("/api/v1/audit"), StatusCode::OK).await;
    assert_eq!(audit[0]["action"], "rejected_downloaded");
    assert_eq!(audit[0]["detail"], format!("batch {batch}"));
    assert_eq!(audit[0]["actor"], "api:admin:token1");
}

/// A client whose connections come from `ip` (any address of 127.0.0.0/8 is this
/// machine's loopback).
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

/// Logs in with the login form from `client`, with extra headers; the status (303: in).
async fn login_status(
    app: &TestApp,
    client: &reqwest::Client,
    user: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> StatusCode {
    let page = client.get(app.at("/login")).send().await.unwrap();
    let pre = cookie_value(&set_cookie(&page, "custio_pre").unwrap());
    let mut request = client
        .post(app.at("/login"))
        .header(COOKIE, format!("custio_pre={pre}"))
        .form(&[
            ("csrf", pre.as_str()),
            ("username", user),
            ("password", password),
        ]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap().status()
}

#[tokio::test]
async fn a_stranger_cannot_lock_out_the_admin_or_the_users_of_its_address() {
    let app = spawn().await;
    let (_, admin) = admin_api(&app).await;
    admin
        .json(
            admin
                .post("/api/v1/users")
                .json(&json!({ "username": "ola", "password": "staff-password-1" })),
            StatusCode::CREATED,
        )
        .await;
    let stranger = client_from("127.0.0.2");
    let office = client_from("127.0.0.3");
    for _ in 0..5 {
        assert_eq!(
            login_status(&app, &stranger, ADMIN, "a guess", &[]).await,
            StatusCode::UNAUTHORIZED
        );
    }
    // The stranger waits now, even with the right password ...
    assert_eq!(
        login_status(&app, &stranger, ADMIN, PASSWORD, &[]).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // ... and a forged proxy header changes nothing: no proxy is trusted by default.
    assert_eq!(
        login_status(
            &app,
            &stranger,
            ADMIN,
            PASSWORD,
            &[("x-forwarded-for", "198.51.100.7")]
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The admin from another address logs in; so does another user from the stranger's
    // address (the users behind one proxy are not locked out together).
    assert_eq!(
        login_status(&app, &office, ADMIN, PASSWORD, &[]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        login_status(&app, &stranger, "ola", "staff-password-1", &[]).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let app = spawn_with(|c| c.trusted_proxy_header = Some("X-Forwarded-For".into())).await;
    app.setup_admin().await;
    let proxy = client();
    // Two people behind the same proxy (one socket address): the header tells them apart.
    // The last address counts (the one the proxy appended), whatever the client wrote
    // before it.
    let stranger = |forged: &'static str| [("x-forwarded-for", forged)];
    for i in 0..5 {
        let forged: &'static str = ["1.1.1.1, 203.0.113.7", "203.0.113.7"][i % 2];
        assert_eq!(
            login_status(&app, &proxy, ADMIN, "a guess", &stranger(forged)).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login_status(
            &app,
            &proxy,
            ADMIN,
            PASSWORD,
            &stranger("198.51.100.9, 203.0.113.7")
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login_status(
            &app,
            &proxy,
            ADMIN,
            PASSWORD,
            &[("x-forwarded-for", "203.0.113.8")]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    // A request without the header is the proxy's own address.
    assert_eq!(
        login_status(&app, &proxy, ADMIN, PASSWORD, &[]).await,
        StatusCode::SEE_OTHER
    );
}

/// The names of the files in a directory.
fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_with_413_and_leaves_no_file() {
    let app = spawn_with(|c| c.max_upload = 1024 * 1024).await;
    let (session, api) = admin_api(&app).await;
    let uploads = app.dir.path().join("data").join("uploads");
    let big = format!(
        "login;email\n{}",
        "jan;jan@example.pl\n".repeat(3 * 1024 * 1024 / 19)
    );

    // Over the API, with its length announced ...
    let err = api
        .json(
            api.post("/api/v1/imports?dialect=idosell")
                .body(big.clone()),
            StatusCode::PAYLOAD_TOO_LARGE,
        )
        .await;
    assert_eq!(err["error"]["code"], "too_large");
    assert_eq!(err["error"]["details"]["limit_mb"], 1);
    // ... and streamed without a length: refused while it streams in.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = big
        .as_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let response = api
        .post("/api/v1/imports?dialect=idosell")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(files_in(&uploads).is_empty(), "{:?}", files_in(&uploads));

    // The panel's form says so in the reader's language: announced far too large, or
    // found too large while its file streams in.
    let medium = big[..1536 * 1024].to_string();
    for file in [&big, &medium] {
        let (content_type, body) = multipart(
            &[("csrf", &session.csrf), ("dialect", "idosell")],
            ("big.csv", file),
        );
        let response = app
            .client
            .post(app.at("/import"))
            .header(
                COOKIE,
                format!("custio_session={}; custio_lang=pl", session.cookie),
            )
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let html = response.text().await.unwrap();
        assert!(
            html.contains("Plik jest większy niż 1 MB, które przyjmuje ten serwer."),
            "{html}"
        );
        assert!(files_in(&uploads).is_empty(), "{:?}", files_in(&uploads));
    }
    let jobs = api.json(api.get("/api/v1/jobs"), StatusCode::OK).await;
    assert_eq!(jobs, json!([]), "no check was queued");

    // A file under the limit is taken.
    api.json(
        api.post("/api/v1/imports?dialect=idosell")
            .body("login;email\njan;jan@example.pl\n"),
        StatusCode::ACCEPTED,
    )
    .await;
}

/// Forms and JSON bodies are capped at 16 MiB; uploads only by their own limit.
#[tokio::test]
async fn an_upload_under_the_limit_may_be_larger_than_a_form() {
    let app = spawn_with(|c| c.max_upload = 40 * 1024 * 1024).await;
    let (session, api) = admin_api(&app).await;
    let uploads = app.dir.path().join("data").join("uploads");
    // 20 MiB of noise: taken, and its check fails at once (no format fits).
    let big = "\0".repeat(20 * 1024 * 1024);
    api.json(
        api.post("/api/v1/imports").body(big.clone()),
        StatusCode::ACCEPTED,
    )
    .await;
    let (content_type, body) = multipart(&[("csrf", &session.csrf)], ("big.csv", &big));
    let response = app
        .client
        .post(app.at("/import"))
        .header(COOKIE, format!("custio_session={}", session.cookie))
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(files_in(&uploads).len(), 2);
    // An empty file is refused and not kept.
    api.json(
        api.post("/api/v1/imports?dialect=idosell"),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(files_in(&uploads).len(), 2);
}

#[tokio::test]
async fn the_retention_sweep_deletes_a_failed_checks_upload_and_old_exports() {
    let app = spawn().await;
    let (_, api) = admin_api(&app).await;
    let data = app.dir.path().join("data");
    // A file no format fits: its check fails, and its upload stays for now.
    let job = api.check("filename=noise.csv", "a|b\n1|2\n").await;
    assert_eq!(job["state"], "failed", "{job}");
    assert_eq!(files_in(&data.join("uploads")).len(), 1);
    let export = export(&api, json!({})).await;
    let download = format!("/api/v1/jobs/{}/download", export["id"]);
    assert_eq!(files_in(&data.join("exports")).len(), 1);

    // The sweep the server runs daily, with its threshold moved: nothing is a day old
    // yet; a day later both files go.
    let state = app.state.clone();
    let sweep = |before: SystemTime| {
        let state = state.clone();
        async move {
            tokio::task::spawn_blocking(move || state.engine.sweep(&state.files, before))
                .await
                .unwrap()
                .unwrap()
        }
    };
    let day = Duration::from_secs(24 * 3600);
    assert_eq!(sweep(SystemTime::now() - day).await.files, 0);
    assert_eq!(sweep(SystemTime::now() + day).await.files, 2);
    assert!(files_in(&data.join("uploads")).is_empty());
    assert!(files_in(&data.join("exports")).is_empty());
    let gone = api.json(api.get(&download), StatusCode::NOT_FOUND).await;
    assert_eq!(gone["error"]["code"], "not_found");
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_uploads_and_exports_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let app = spawn().await;
    let (_, api) = admin_api(&app).await;
    // A file that waits for a mapping: its upload is kept until then.
    api.check(
        "dialect=idosell&filename=a.csv",
        "login;email;shoe_size\njan;jan@example.pl;42\n",
    )
    .await;
    export(
        &api,
        json!({ "with_password_hashes": true, "confirm_password_hashes": true }),
    )
    .await;
    let root = app.dir.path();
    // A SQLite store's files (a PostgreSQL server keeps its own, as its administrator set).
    if !custio_testdb::is_postgres() {
        for db in ["custio.db", "custio.db-wal", "custio.db-shm"] {
            assert_eq!(mode(&root.join(db)), 0o600, "{db}");
        }
    }
    let data = root.join("data");
    for dir in ["", "uploads", "exports"] {
        assert_eq!(mode(&data.join(dir)), 0o700, "data/{dir}");
        if dir.is_empty() {
            continue;
        }
        let names = files_in(&data.join(dir));
        assert!(!names.is_empty(), "{dir}");
        for name in names {
            assert_eq!(mode(&data.join(dir).join(&name)), 0o600, "{dir}/{name}");
        }
    }
}

/// The values of an attribute (`href`, `action`, ...) in a page.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let marker = format!(" {attribute}=\"");
    html.match_indices(&marker)
        .filter_map(|(i, _)| {
            let rest = &html[i + marker.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[tokio::test]
async fn no_panel_url_or_form_action_carries_the_csrf_token() {
    let app = spawn().await;
    let (session, api) = admin_api(&app).await;
    let job = api
        .check(
            "dialect=idosell&filename=a.csv",
            IDOSELL_WITH_UNKNOWN_AND_BAD_ROW,
        )
        .await;
    let batch = job["result"]["batch"].as_i64().unwrap();
    let export = export(&api, json!({})).await;
    let pages = [
        "/customers".to_string(),
        "/import".into(),
        "/jobs".into(),
        format!("/jobs/{}", job["id"]),
        format!("/jobs/{}", export["id"]),
        "/batches".into(),
        format!("/batches/{batch}"),
        "/export".into(),
        "/shops".into(),
        "/profiles".into(),
        "/users".into(),
        "/audit".into(),
    ];
    let mut actions = 0;
    for path in &pages {
        let (status, html) = page(&app, &session, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        for attribute in ["href", "src", "action", "formaction"] {
            for value in attribute_values(&html, attribute) {
                assert!(
                    !value.contains(&session.csrf) && !value.contains("csrf="),
                    "{path}: {attribute}=\"{value}\""
                );
                actions += usize::from(attribute == "action");
            }
        }
        // The token is in the forms' hidden fields (and the meta tag the script reads).
        assert!(html.contains(&format!("name=\"csrf\" value=\"{}\"", session.csrf)));
    }
    assert!(actions > 10, "{actions} form actions checked");
    let (_, html) = page(&app, &session, "/import").await;
    assert!(
        html.contains("<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\""),
        "{html}"
    );
}
