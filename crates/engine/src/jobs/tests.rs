use std::sync::Arc;
use std::thread;
use std::time::Duration;

use custio_store::{BatchStatus, JobState, MappingProfile, NewBatch, NewJob};
use serde_json::json;

use super::*;
use crate::{EngineError, ImportOptions};

const IDOSELL: &str = "login;email;firstname;lastname;street;zipcode;city\n\
jan;jan@example.pl;Jan;Nowak;Jasna 5;00-950;Warszawa\n\
ewa;ewa@;Ewa;Kowalska;Długa 1;31-147;Kraków\n";

const FOREIGN: &str = "Imię;Nazwisko;E-mail;Rozmiar buta\nJan;Nowak;jan@example.pl;42\n";

struct Setup {
    engine: Engine,
    files: DataDir,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    Setup {
        engine: Engine::open(&format!(
            "sqlite://{}",
            dir.path().join("custio.db").display()
        ))
        .unwrap(),
        files: DataDir::create(dir.path().join("data")).unwrap(),
        _dir: dir,
    }
}

impl Setup {
    fn upload(&self, text: &str) -> String {
        let name = DataDir::new_upload_name();
        std::fs::write(self.files.upload_path(&name).unwrap(), text).unwrap();
        name
    }

    /// Runs the queue dry; returns the last job run.
    fn run_all(&self) -> Job {
        let mut last = None;
        while let Some(id) = self.engine.run_next_job(&self.files).unwrap() {
            last = Some(id);
        }
        self.engine.job(last.expect("a job ran")).unwrap()
    }

    fn queue_raw(&self, kind: &str, payload: serde_json::Value) -> i64 {
        self.engine
            .store()
            .jobs()
            .create(&NewJob {
                kind: kind.into(),
                payload,
                created_by: "test".into(),
            })
            .unwrap()
    }
}

#[test]
fn a_payload_that_does_not_decode_fails_its_job_with_the_reason() {
    let s = setup();
    let id = s.queue_raw("check", json!({ "source": "a.csv", "dialect": "idosell" }));
    let job = s.run_all();
    assert_eq!(job.id, id);
    assert_eq!(job.state, JobState::Failed);
    let error = job.error.unwrap();
    assert!(
        error.starts_with("the job's payload does not read: ") && error.contains("upload"),
        "{error}"
    );

    let id = s.queue_raw("commit", json!({ "batch": "seven" }));
    let job = s.run_all();
    assert_eq!((job.id, job.state), (id, JobState::Failed));
    assert!(
        job.error
            .unwrap()
            .starts_with("the job's payload does not read")
    );

    s.queue_raw("migrate", json!({}));
    let job = s.run_all();
    assert_eq!(job.state, JobState::Failed);
    assert_eq!(
        job.error.as_deref(),
        Some("no worker runs jobs of kind 'migrate'")
    );
    assert!(matches!(
        JobSpec::decode("export", &json!({ "request": {} })),
        Err(JobError::Payload(_))
    ));
}

#[test]
fn specs_are_stored_as_kind_and_payload_and_read_back() {
    let spec = JobSpec::Commit {
        batch: 4,
        lines: Some(vec![2, 3]),
    };
    let new = spec.to_new_job("web:ola");
    assert_eq!(new.kind, "commit");
    assert_eq!(new.payload, json!({ "batch": 4, "lines": [2, 3] }));
    assert!(matches!(
        JobSpec::decode(&new.kind, &new.payload).unwrap(),
        JobSpec::Commit { batch: 4, lines: Some(l) } if l == [2, 3]
    ));
    // The payload of a check queued before specs existed: dialect `auto` is detection.
    let old = json!({
        "upload": "up-abc", "source": "a.csv", "dialect": "auto",
        "options": { "encoding": null, "mappings": [], "on_existing": "update" },
        "replaces": null
    });
    let JobSpec::Check {
        upload, dialect, ..
    } = JobSpec::decode("check", &old).unwrap()
    else {
        panic!("a check");
    };
    assert_eq!(
        (upload.as_str(), dialect),
        ("up-abc", DialectChoice::Detect)
    );
    let check = JobSpec::Check {
        upload: "up-x".into(),
        source: "x.csv".into(),
        dialect: DialectChoice::Named("shoptet".into()),
        options: ImportOptions::default(),
        replaces: Some(1),
    };
    let new = check.to_new_job("t");
    assert_eq!(new.payload["dialect"], "shoptet");
    assert_eq!(new.payload["replaces"], 1);
    // Export requests keep their defaults when a field is left out.
    let JobSpec::Export { request, actor } =
        JobSpec::decode("export", &json!({ "request": {}, "actor": "web:ola" })).unwrap()
    else {
        panic!("an export");
    };
    assert_eq!(
        (request.dialect.as_str(), request.kind.as_str()),
        ("idosell", "full")
    );
    assert!(request.excel_safe);
    assert_eq!(actor, "web:ola");
}

#[test]
fn check_commit_and_export_run_through_the_queue() {
    let s = setup();
    let upload = s.upload(IDOSELL);
    let queued = s
        .engine
        .start_check(
            CheckRequest {
                upload,
                source: Some("klienci.csv".into()),
                ..CheckRequest::default()
            },
            "web:ola",
        )
        .unwrap();
    assert_eq!(
        (queued.kind.as_str(), queued.state),
        ("check", JobState::Queued)
    );
    assert_eq!(queued.created_by, "web:ola");
    let job = s.run_all();
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.error);
    let result = job.result.unwrap();
    let batch = result["batch"].as_i64().unwrap();
    assert_eq!(result["status"], "checked");
    assert_eq!(result["counts"]["invalid"], 1);
    assert_eq!(
        s.engine.batch(batch).unwrap().dialect,
        "idosell",
        "detected"
    );

    s.engine.start_commit(batch, None, "web:ola").unwrap();
    let job = s.run_all();
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.error);
    assert_eq!(job.result.unwrap()["counts"]["imported"], 1);
    assert_eq!(job.total, Some(1), "progress was recorded");

    assert!(matches!(
        s.engine.start_export(
            ExportRequest {
                with_password_hashes: true,
                ..ExportRequest::default()
            },
            "web:ola"
        ),
        Err(EngineError::InvalidExport(
            ExportProblem::HashesNotConfirmed
        ))
    ));
    assert!(matches!(
        s.engine.start_export(
            ExportRequest {
                kind: "view".into(),
                ..ExportRequest::default()
            },
            "web:ola"
        ),
        Err(EngineError::InvalidExport(
            ExportProblem::ViewWithoutColumns
        ))
    ));
    let queued = s
        .engine
        .start_export(ExportRequest::default(), "web:ola")
        .unwrap();
    assert!(matches!(
        s.engine.export_file(queued.id, &s.files),
        Err(EngineError::NotAllowed(_))
    ));
    let job = s.run_all();
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.error);
    assert_eq!(job.result.as_ref().unwrap()["customers"], 1);
    let file = s.engine.export_file(job.id, &s.files).unwrap();
    assert_eq!(file.name, format!("custio-export-{}.csv", job.id));
    let written = std::fs::read_to_string(&file.path).unwrap();
    assert!(written.contains("jan@example.pl"), "{written}");
}

#[test]
fn an_undetected_format_fails_the_check_with_a_pointer_to_the_form() {
    let s = setup();
    let upload = s.upload("a|b\n1|2\n");
    s.engine
        .start_check(
            CheckRequest {
                upload,
                ..CheckRequest::default()
            },
            "t",
        )
        .unwrap();
    let job = s.run_all();
    assert_eq!(job.state, JobState::Failed);
    assert!(
        job.error
            .unwrap()
            .ends_with("; choose the format on the import page"),
    );
    s.queue_raw(
        "check",
        json!({ "upload": "../custio.db", "source": "x", "dialect": "csv", "options": {
            "encoding": null, "mappings": [], "on_existing": "update" } }),
    );
    assert_eq!(
        s.run_all().error.as_deref(),
        Some("the upload name is not valid")
    );
}

fn polish_profile(dialect: &str, target: &str) -> MappingProfile {
    MappingProfile {
        name: "sklep".into(),
        dialect: dialect.into(),
        columns: vec![
            ("Imię".into(), "first_name".into()),
            ("Nazwisko".into(), "last_name".into()),
            ("E-mail".into(), "email".into()),
            ("Rozmiar buta".into(), target.into()),
        ],
        ignored: Vec::new(),
    }
}

#[test]
fn an_import_resolves_its_profile_with_the_format_check() {
    let s = setup();
    s.engine
        .save_mapping_profile(&polish_profile("csv", "note"))
        .unwrap();
    let request = |dialect: DialectChoice, profile: &str| CheckRequest {
        upload: s.upload(FOREIGN),
        dialect,
        profile: Some(profile.into()),
        ..CheckRequest::default()
    };
    // A profile of another format is refused, as on the command line.
    assert!(matches!(
        s.engine.start_check(
            request(DialectChoice::Named("idosell".into()), "sklep"),
            "t"
        ),
        Err(EngineError::InvalidMapping(_))
    ));
    assert!(matches!(
        s.engine
            .start_check(request(DialectChoice::Detect, "nope"), "t"),
        Err(EngineError::MappingProfileNotFound(_))
    ));
    // Without a format, the profile names it.
    let queued = s
        .engine
        .start_check(request(DialectChoice::Detect, "sklep"), "t")
        .unwrap();
    assert_eq!(queued.payload["dialect"], "csv");
    let job = s.run_all();
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.error);
    assert_eq!(job.result.unwrap()["counts"]["new"], 1);
}

#[test]
fn a_mapping_is_validated_and_saved_as_a_profile_only_when_valid() {
    let s = setup();
    let upload = s.upload(&IDOSELL.replace("city\n", "city;shoe_size\n"));
    s.engine
        .start_check(
            CheckRequest {
                upload,
                dialect: DialectChoice::Named("idosell".into()),
                ..CheckRequest::default()
            },
            "t",
        )
        .unwrap();
    let batch = s.run_all().result.unwrap()["batch"].as_i64().unwrap();
    assert_eq!(
        s.engine.batch(batch).unwrap().status,
        BatchStatus::NeedsMapping
    );

    let map = |target: &str| vec![("shoe_size".to_string(), target.to_string())];
    assert!(matches!(
        s.engine.start_mapping(batch, Vec::new(), None, "t"),
        Err(EngineError::UnmappedColumn { column, .. }) if column == "shoe_size"
    ));
    assert!(matches!(
        s.engine
            .start_mapping(batch, map("shoe_size_eu"), Some("shoes"), "t"),
        Err(EngineError::InvalidMapping(_))
    ));
    assert!(matches!(
        s.engine
            .start_mapping(batch, map("shoe_size_eu"), None, "t"),
        Err(EngineError::InvalidMapping(_))
    ));
    assert!(
        s.engine.mapping_profiles().unwrap().is_empty(),
        "nothing saved"
    );

    s.engine
        .start_mapping(batch, map("note"), Some(" shoes "), "t")
        .unwrap();
    let saved = s.engine.mapping_profile("shoes").unwrap();
    assert_eq!(saved.dialect, "idosell");
    assert_eq!(saved.columns, map("note"));
    let job = s.run_all();
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.error);
    let new = job.result.unwrap()["batch"].as_i64().unwrap();
    let old = s.engine.batch(batch).unwrap();
    assert_eq!(old.status, BatchStatus::Failed);
    assert!(old.error.unwrap().contains(&format!("batch {new}")));
    assert!(matches!(
        s.engine.start_mapping(new, map("note"), None, "t"),
        Err(EngineError::NotAllowed(_))
    ));
}

#[test]
fn recover_resumes_jobs_left_running_and_fails_them_after_three_starts() {
    let s = setup();
    let store = s.engine.store();
    let half_read = store
        .batches()
        .create(&NewBatch {
            source: "big.csv".into(),
            dialect: "idosell".into(),
            options: json!({}),
        })
        .unwrap();
    let commit = s
        .engine
        .enqueue(
            &JobSpec::Commit {
                batch: 1,
                lines: None,
            },
            "t",
        )
        .unwrap();
    assert_eq!(store.jobs().claim().unwrap().unwrap().id, commit.id);
    let recovered = s.engine.recover_jobs().unwrap();
    assert_eq!(recovered.len(), 1);
    assert_eq!(
        recovered[0].to_string(),
        format!(
            "job {} (commit) resumed: the server stopped while attempt 1 ran; rows already imported stay imported, the rest continues",
            commit.id
        )
    );
    let job = s.engine.job(commit.id).unwrap();
    assert_eq!(job.state, JobState::Queued);
    assert!(job.note.unwrap().starts_with("resumed"));
    let batch = s.engine.batch(half_read).unwrap();
    assert_eq!(batch.status, BatchStatus::Failed);
    assert!(batch.error.unwrap().contains("server stopped"));

    // Two more starts, each interrupted: the third restart gives up.
    for attempt in 2..=MAX_ATTEMPTS {
        assert_eq!(store.jobs().claim().unwrap().unwrap().attempts, attempt);
        let recovered = s.engine.recover_jobs().unwrap();
        if attempt < MAX_ATTEMPTS {
            assert!(matches!(recovered[0].outcome, RecoveredAs::Resumed { .. }));
        } else {
            assert_eq!(
                recovered[0].outcome,
                RecoveredAs::Failed {
                    reason:
                        "the server stopped while this job ran, 3 times; it is not started again"
                            .into()
                }
            );
        }
    }
    let job = s.engine.job(commit.id).unwrap();
    assert_eq!(job.state, JobState::Failed);
    assert!(
        s.engine.recover_jobs().unwrap().is_empty(),
        "none left running"
    );
}

#[test]
fn a_signal_wakes_a_worker_and_stops_it() {
    let signal = JobSignal::new();
    signal.notify();
    let started = std::time::Instant::now();
    assert!(
        signal.wait(Duration::from_secs(30)),
        "a permit ends the wait"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        signal.wait(Duration::from_millis(10)),
        "a timeout is not a stop"
    );

    let s = Arc::new(setup());
    let signal = Arc::new(JobSignal::new());
    let worker = {
        let (s, signal) = (s.clone(), signal.clone());
        thread::spawn(move || s.engine.work(&s.files, &signal, Duration::from_secs(60)))
    };
    let upload = s.upload(IDOSELL);
    let job = s
        .engine
        .start_check(
            CheckRequest {
                upload,
                ..CheckRequest::default()
            },
            "t",
        )
        .unwrap();
    signal.notify();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !s.engine.job(job.id).unwrap().state.is_final() {
        assert!(
            std::time::Instant::now() < deadline,
            "the woken worker ran the job"
        );
        thread::sleep(Duration::from_millis(20));
    }
    signal.stop();
    worker.join().unwrap();
    assert!(!signal.wait(Duration::from_secs(30)));
}
