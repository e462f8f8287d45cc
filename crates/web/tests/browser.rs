//! The whole path as a user, in headless Chromium driven through Debian's chromedriver
//! (`/usr/bin/chromedriver`; `scripts/test` installs it): set up the admin, log in, upload
//! an IdoSell file with an unknown column and a bad row, map the column, fix the row in
//! place, import, see the imported list, export the view, log out. Screenshots of the main
//! pages go to `docs/screenshots/`.

mod util;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use util::*;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn browser(profile: &std::path::Path) -> (Driver, Client) {
    assert!(
        std::path::Path::new(CHROMEDRIVER).exists(),
        "{CHROMEDRIVER} is missing: install Debian's chromium and chromium-driver (bash scripts/test does)"
    );
    let port = free_port();
    let driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let mut last = None;
    for _ in 0..50 {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return (driver, client),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver did not start: {last:?}");
}

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

async fn css(client: &Client, selector: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(selector))
        .await
        .unwrap_or_else(|e| panic!("no {selector}: {e}"))
}

async fn text(client: &Client, selector: &str) -> String {
    css(client, selector).await.text().await.unwrap()
}

async fn fill(client: &Client, selector: &str, value: &str) {
    let field = css(client, selector).await;
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

/// Waits for the job page to finish and opens what the job produced.
async fn finish_job(client: &Client) {
    css(client, "#job").await;
    css(client, "#open-result").await.click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_walks_the_whole_import_and_export_path() {
    let app = spawn().await;
    let files = tempfile::tempdir().unwrap();
    let upload = files.path().join("idosell-clients.csv");
    std::fs::write(&upload, IDOSELL_WITH_UNKNOWN_AND_BAD_ROW).unwrap();
    let (_driver, c) = browser(&files.path().join("profile")).await;

    // Set up the admin through the one-time link.
    c.goto(app.setup_link.as_deref().unwrap()).await.unwrap();
    fill(&c, "#username", ADMIN).await;
    fill(&c, "#password", PASSWORD).await;
    fill(&c, "#password2", PASSWORD).await;
    shot(&c, "setup").await;
    css(&c, "#create-admin").await.click().await.unwrap();
    css(&c, "#customers").await;

    // Log out and in again.
    css(&c, "#logout").await.click().await.unwrap();
    css(&c, "#login").await;
    shot(&c, "login").await;
    fill(&c, "#username", ADMIN).await;
    fill(&c, "#password", PASSWORD).await;
    css(&c, "#login").await.click().await.unwrap();
    css(&c, "#customers").await;

    // Upload an IdoSell file with an unknown column and a bad row.
    c.goto(&app.at("/import")).await.unwrap();
    css(&c, "#file")
        .await
        .send_keys(upload.to_str().unwrap())
        .await
        .unwrap();
    css(&c, "#dialect")
        .await
        .select_by_value("idosell")
        .await
        .unwrap();
    shot(&c, "import").await;
    css(&c, "#check").await.click().await.unwrap();
    finish_job(&c).await;

    // The unknown column asks for a mapping.
    let select = css(&c, "#map-7").await;
    shot(&c, "mapping").await;
    select.select_by_value("note").await.unwrap();
    css(&c, "#apply-mapping").await.click().await.unwrap();
    finish_job(&c).await;

    // The not-imported list: the bad row is invalid, its error in the last column.
    assert!(text(&c, "#line-3 .row-status").await.contains("invalid"));
    assert!(!text(&c, "#line-3 .row-errors").await.is_empty());
    shot(&c, "not-imported").await;

    // Fix it in place: re-validated at once, without leaving the page.
    css(&c, "#line-3 details.edit summary")
        .await
        .click()
        .await
        .unwrap();
    // Choosing a column shows that column's own value, never the previous one's.
    for (column, cell) in [("city", "Kraków"), ("email", "ewa@")] {
        css(&c, "#line-3 .edit-field")
            .await
            .select_by_value(column)
            .await
            .unwrap();
        let shown = css(&c, "#line-3 .edit-value")
            .await
            .prop("value")
            .await
            .unwrap();
        assert_eq!(shown.as_deref(), Some(cell), "{column}");
    }
    fill(&c, "#line-3 .edit-value", "ewa@example.pl").await;
    css(&c, "#line-3 .save-edit").await.click().await.unwrap();
    let mut fixed = false;
    for _ in 0..100 {
        if text(&c, "#line-3 .row-status").await.contains("valid")
            && !text(&c, "#line-3 .row-status").await.contains("invalid")
        {
            fixed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(fixed, "the row did not become valid");
    assert_eq!(text(&c, "#line-3 .row-errors").await, "");

    // Import the selection: the confirmation with "don't ask me again", then the job.
    css(&c, "#import-selected").await.click().await.unwrap();
    css(&c, "#confirm-rows").await;
    shot(&c, "confirm-import").await;
    css(&c, "#dont-ask").await.click().await.unwrap();
    css(&c, "#confirm-import").await.click().await.unwrap();
    finish_job(&c).await;

    // The imported list, with the notified column.
    css(&c, "#tab-imported").await.click().await.unwrap();
    let imported = css(&c, "#imported").await;
    let rows = imported.find_all(Locator::Css("tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert!(
        text(&c, "#imported tbody tr td.notified")
            .await
            .contains("not yet")
    );
    shot(&c, "imported").await;

    // The customers list.
    c.goto(&app.at("/customers")).await.unwrap();
    let list = css(&c, "#customers").await.text().await.unwrap();
    assert!(
        list.contains("ewa@example.pl") && list.contains("jan@example.pl"),
        "{list}"
    );
    shot(&c, "customers").await;

    // Export the current view and read the file the way the browser downloads it.
    c.goto(&app.at("/export")).await.unwrap();
    css(&c, "#preset-view").await.click().await.unwrap();
    shot(&c, "export").await;
    css(&c, "#start-export").await.click().await.unwrap();
    css(&c, "#job").await;
    let link = css(&c, "#open-result").await;
    let href = link.attr("href").await.unwrap().unwrap();
    shot(&c, "export-done").await;
    let file = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);",
            vec![json!(href)],
        )
        .await
        .unwrap();
    let file = file.as_str().unwrap();
    assert!(
        file.starts_with("login;email;firstname;lastname;city;date_of_registration"),
        "{file}"
    );
    assert!(
        file.contains("ewa;ewa@example.pl;Ewa;Kowalska;Kraków"),
        "{file}"
    );

    // The job queue, the import log, and the panel in Polish.
    c.goto(&app.at("/jobs")).await.unwrap();
    css(&c, "#jobs").await;
    shot(&c, "jobs").await;
    c.goto(&app.at("/batches")).await.unwrap();
    css(&c, "#batches").await;
    shot(&c, "import-log").await;
    css(&c, ".langs a[href^='/lang/pl']")
        .await
        .click()
        .await
        .unwrap();
    assert!(text(&c, "h1").await.contains("Lista importów"));
    shot(&c, "import-log-pl").await;
    css(&c, ".langs a[href^='/lang/en']")
        .await
        .click()
        .await
        .unwrap();

    // Log out: the panel is closed again.
    css(&c, "#logout").await.click().await.unwrap();
    css(&c, "#login").await;
    c.goto(&app.at("/customers")).await.unwrap();
    css(&c, "#login").await;
    c.close().await.unwrap();
}
