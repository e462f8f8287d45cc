//! Export jobs as the queue runs them: a finished job's progress says how much of what it
//! was asked it did (one selected customer out of three ends at 1 / 1, not 0 / 3), and its
//! file takes the format's name and media type.

use custio_engine::jobs::{DataDir, ExportRequest};
use custio_engine::{Caller, Engine, ImportOptions, NoProgress};
use custio_store::{CustomerQuery, Job, JobState};

/// A store holding the customers of an IdoSell `file`, with its data directory.
struct Shop {
    engine: Engine,
    files: DataDir,
    _dir: tempfile::TempDir,
}

impl Shop {
    fn with(file: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(&custio_testdb::url(dir.path(), "c.db")).unwrap();
        let files = DataDir::create(dir.path().join("data")).unwrap();
        let options = ImportOptions::default();
        let input = Box::new(file.as_bytes());
        engine
            .import(input, "k.csv", "idosell", &options, &NoProgress)
            .unwrap();
        Self {
            engine,
            files,
            _dir: dir,
        }
    }

    /// Queues the export for `caller` and runs the queue dry.
    fn export(&self, request: ExportRequest, caller: &Caller) -> Job {
        let queued = self.engine.start_export(request, caller).unwrap();
        while self.engine.run_next_job(&self.files).unwrap().is_some() {}
        let job = self.engine.job(queued.id).unwrap();
        assert_eq!(job.state, JobState::Succeeded, "{:?}", job.error);
        job
    }
}

fn caller(user: i64, admin: bool) -> Caller {
    Caller {
        user,
        admin,
        actor: format!("web:user{user}"),
    }
}

#[test]
fn an_export_of_a_selection_ends_with_its_own_count_done() {
    let shop = Shop::with(
        "login;email;firstname;lastname;street;zipcode;city\n\
        jan;jan@example.pl;Jan;Nowak;Jasna 5;00-950;Warszawa\n\
        ewa;ewa@example.pl;Ewa;Lis;Długa 1;31-147;Kraków\n\
        ola;ola@example.pl;Ola;Kot;Polna 2;80-001;Gdańsk\n",
    );
    let ewa = shop
        .engine
        .find_customer("ewa")
        .unwrap()
        .unwrap()
        .id
        .unwrap();
    let request = ExportRequest {
        query: CustomerQuery {
            ids: vec![ewa],
            ..CustomerQuery::default()
        },
        ..ExportRequest::default()
    };
    let job = shop.export(request, &caller(2, false));
    assert_eq!((job.done, job.total), (1, Some(1)));
}

#[test]
fn an_xlsx_export_is_named_and_served_as_a_workbook() {
    let shop = Shop::with("login;email;firstname\njan;jan@example.pl;Jan\n");
    let admin = caller(1, true);
    let request = ExportRequest {
        dialect: "xlsx".into(),
        ..ExportRequest::default()
    };
    let job = shop.export(request, &admin);
    let file = shop
        .engine
        .download_export(job.id, &admin, &shop.files)
        .unwrap();
    assert_eq!(file.name, format!("custio-export-{}.xlsx", job.id));
    assert_eq!(
        file.media_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        std::fs::read(&file.path)
            .unwrap()
            .starts_with(b"PK\x03\x04")
    );
}
