//! A finished job's progress says how much of what it was asked to do it did: an export of
//! one selected customer out of three ends at 1 / 1, not 0 / 3.

use custio_engine::jobs::{DataDir, ExportRequest};
use custio_engine::{Caller, Engine, ImportOptions, NoProgress};
use custio_store::{CustomerQuery, JobState};

#[test]
fn an_export_of_a_selection_ends_with_its_own_count_done() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(&format!("sqlite://{}", dir.path().join("c.db").display())).unwrap();
    let files = DataDir::create(dir.path().join("data")).unwrap();
    let file = "login;email;firstname;lastname;street;zipcode;city\n\
        jan;jan@example.pl;Jan;Nowak;Jasna 5;00-950;Warszawa\n\
        ewa;ewa@example.pl;Ewa;Lis;Długa 1;31-147;Kraków\n\
        ola;ola@example.pl;Ola;Kot;Polna 2;80-001;Gdańsk\n";
    engine
        .import(
            Box::new(file.as_bytes()),
            "k.csv",
            "idosell",
            &ImportOptions::default(),
            &NoProgress,
        )
        .unwrap();
    let ewa = engine.find_customer("ewa").unwrap().unwrap().id.unwrap();
    let request = ExportRequest {
        query: CustomerQuery {
            ids: vec![ewa],
            ..CustomerQuery::default()
        },
        ..ExportRequest::default()
    };
    let ola = Caller {
        user: 2,
        admin: false,
        actor: "web:ola".into(),
    };
    let queued = engine.start_export(request, &ola).unwrap();
    while engine.run_next_job(&files).unwrap().is_some() {}
    let job = engine.job(queued.id).unwrap();
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.error);
    assert_eq!((job.done, job.total), (1, Some(1)));
}

#[test]
fn an_xlsx_export_is_named_and_served_as_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(&format!("sqlite://{}", dir.path().join("c.db").display())).unwrap();
    let files = DataDir::create(dir.path().join("data")).unwrap();
    let file = "login;email;firstname\njan;jan@example.pl;Jan\n";
    engine
        .import(
            Box::new(file.as_bytes()),
            "k.csv",
            "idosell",
            &ImportOptions::default(),
            &NoProgress,
        )
        .unwrap();
    let admin = Caller {
        user: 1,
        admin: true,
        actor: "web:admin".into(),
    };
    let request = ExportRequest {
        dialect: "xlsx".into(),
        ..ExportRequest::default()
    };
    let queued = engine.start_export(request, &admin).unwrap();
    while engine.run_next_job(&files).unwrap().is_some() {}
    let file = engine.download_export(queued.id, &admin, &files).unwrap();
    assert_eq!(file.name, format!("custio-export-{}.xlsx", queued.id));
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
