//! The API against its own OpenAPI document: schemathesis (PyPI; `scripts/test` installs
//! it) reads `/api/v1/openapi.json` from a running server and sends what the document
//! allows and what it forbids, to every operation, with an admin's bearer token. Every
//! check must hold: no server error, every status code and response body as documented,
//! every request the document allows accepted, every one it forbids refused.
//!
//! Bounded and repeatable: a fixed number of examples an operation and a fixed seed
//! (`CUSTIO_ST_EXAMPLES` and `CUSTIO_ST_SEED` change them, for a longer hunt). The one
//! check left out, and why, is in `tests/schemathesis.toml`.

mod util;

use std::process::Command;

use reqwest::StatusCode;
use util::{Api, spawn};

/// The schemathesis command line (`pip install schemathesis`).
const SCHEMATHESIS: &str = "st";

/// A checked batch for the run to find: one valid row and one with a bad e-mail. (A batch
/// waiting for a mapping would not do: which columns a mapping must name is the batch's
/// state, which no document can say, and an incomplete mapping is refused.)
const CLIENTS: &str = "login;email;firstname;lastname\n\
jan;jan@example.pl;Jan;Nowak\n\
ewa;ewa@;Ewa;Kowalska\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_as_its_openapi_document_says() {
    let installed = Command::new(SCHEMATHESIS).arg("--version").output();
    assert!(
        installed.is_ok_and(|o| o.status.success()),
        "schemathesis ({SCHEMATHESIS}) is missing: pip install schemathesis (bash scripts/test does)"
    );
    let app = spawn().await;
    let session = app.setup_admin().await;
    // Tokens the run may revoke (DELETE /tokens/{id} tries the small ids first); its own
    // comes after them.
    for _ in 0..5 {
        app.token(&session).await;
    }
    let api = Api {
        app: &app,
        token: app.token(&session).await,
    };
    // Data for the operations on batches, rows, jobs and customers to find.
    let job = api
        .check("dialect=idosell&filename=clients.csv", CLIENTS)
        .await;
    assert_eq!(job["state"], "succeeded", "{job}");
    api.json(
        api.post("/api/v1/customers")
            .json(&serde_json::json!({ "email": "ola@example.pl", "first_name": "Ola" })),
        StatusCode::CREATED,
    )
    .await;

    let examples = std::env::var("CUSTIO_ST_EXAMPLES").unwrap_or_else(|_| "30".into());
    let seed = std::env::var("CUSTIO_ST_SEED").unwrap_or_else(|_| "20261201".into());
    let work = tempfile::tempdir().unwrap();
    let document = app.at("/api/v1/openapi.json");
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemathesis.toml");
    let authorization = format!("Authorization: Bearer {}", api.token);
    let run = tokio::task::spawn_blocking(move || {
        Command::new(SCHEMATHESIS)
            .current_dir(work.path())
            .env("NO_COLOR", "1")
            .args([
                "--config-file",
                config,
                "run",
                &document,
                "-H",
                &authorization,
            ])
            .args(["--max-examples", &examples, "--seed", &seed])
            .args(["--request-timeout", "30"])
            .output()
            .expect("schemathesis runs")
    })
    .await
    .unwrap();
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "schemathesis found failures:\n{report}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(report.contains("passed"), "no test case ran:\n{report}");
}
