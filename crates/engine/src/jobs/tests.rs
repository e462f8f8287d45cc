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

/// A staff user asking.
fn ola() -> crate::Caller {
    crate::Caller {
        user: 2,
        admin: false,
        actor: "web:ola".into(),
    }
}

struct Setup {
    engine: Engine,
    files: DataDir,
    _dir: tempfile::TempDir,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    Setup {
        engine: Engine::open(&custio_testdb::url(dir.path(), "custio.db")).unwrap(),
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

    /// Queues the check of `text`, uploaded, with the format detected.
    fn queue_check(&self, text: &str) -> Job {
        let upload = self.upload(text);
        let request = CheckRequest {
            upload,
            ..CheckRequest::default()
        };
        self.engine.start_check(request, "test").unwrap()
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

    s.queue_raw("reticulate", json!({}));
    let job = s.run_all();
    assert_eq!(job.state, JobState::Failed);
    assert_eq!(
        job.error.as_deref(),
        Some("no worker runs jobs of kind 'reticulate'")
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
    let JobSpec::Export {
        request,
        actor,
        owner,
    } = JobSpec::decode("export", &json!({ "request": {}, "actor": "web:ola" })).unwrap()
    else {
        panic!("an export");
    };
    assert_eq!(
        (request.dialect.as_str(), request.kind.as_str()),
        ("idosell", "full")
    );
    assert!(request.excel_safe);
    assert_eq!(actor, "web:ola");
    assert_eq!(owner, None, "an export queued before owners were kept");
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
            &ola()
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
            &ola()
        ),
        Err(EngineError::InvalidExport(
            ExportProblem::ViewWithoutColumns
        ))
    ));
    let queued = s
        .engine
        .start_export(ExportRequest::default(), &ola())
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
    // Claimed by a process of this machine that no longer exists (pid 0 never does).
    let dead = format!("{}:0", super::worker::host_name());
    let lease = custio_store::Lease {
        worker: &dead,
        seconds: 600,
    };
    assert_eq!(store.jobs().claim(&lease).unwrap().unwrap().id, commit.id);
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
        assert_eq!(
            store.jobs().claim(&lease).unwrap().unwrap().attempts,
            attempt
        );
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

/// A new user of `role`, as the caller it is in the panel.
fn user(s: &Setup, name: &str, role: custio_store::Role) -> crate::Caller {
    let user = s
        .engine
        .create_user(name, "long enough password", role, "cli:t")
        .unwrap();
    crate::Caller::of(&user, format!("web:{name}"))
}

/// Runs an export for `caller` through the queue; returns the job.
fn exported(s: &Setup, caller: &crate::Caller, hashes: bool) -> Job {
    s.engine
        .start_export(
            ExportRequest {
                with_password_hashes: hashes,
                confirm_password_hashes: hashes,
                ..ExportRequest::default()
            },
            caller,
        )
        .unwrap();
    let job = s.run_all();
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.error);
    job
}

#[test]
fn an_export_file_is_its_owners_and_the_admins_and_hashes_the_admins_only() {
    use crate::Denied;
    use custio_store::Role;
    let s = setup();
    let admin = user(&s, "admin", Role::Admin);
    let ola = user(&s, "ola", Role::Staff);
    let ewa = user(&s, "ewa", Role::Staff);

    // Staff may not export hashes at all.
    assert!(matches!(
        s.engine.start_export(
            ExportRequest {
                with_password_hashes: true,
                confirm_password_hashes: true,
                ..ExportRequest::default()
            },
            &ola
        ),
        Err(EngineError::Denied(Denied::PasswordHashes))
    ));

    // Ola's export: hers and the admins', not Ewa's.
    let job = exported(&s, &ola, false);
    assert_eq!(job.payload["owner"], ola.user);
    let file = s.engine.download_export(job.id, &ola, &s.files).unwrap();
    assert_eq!(file.name, format!("custio-export-{}.csv", job.id));
    assert!(s.engine.download_export(job.id, &admin, &s.files).is_ok());
    assert!(matches!(
        s.engine.download_export(job.id, &ewa, &s.files),
        Err(EngineError::Denied(Denied::OthersFile { job: j })) if j == job.id
    ));

    // The admin's export with hashes: no staff user may download it.
    let hashes = exported(&s, &admin, true);
    for staff in [&ola, &ewa] {
        assert!(matches!(
            s.engine.download_export(hashes.id, staff, &s.files),
            Err(EngineError::Denied(Denied::PasswordHashes))
        ));
    }
    assert!(
        s.engine
            .download_export(hashes.id, &admin, &s.files)
            .is_ok()
    );
    // An export queued before owners were kept is the admins'.
    let mut old = s.engine.job(job.id).unwrap();
    old.payload
        .as_object_mut()
        .unwrap()
        .remove("owner")
        .unwrap();
    assert!(Engine::export_access(&old, &admin).is_ok());
    assert!(Engine::export_access(&old, &ola).is_err());

    // Every download is audited (who, which job, which file); refused ones are not
    // downloads.
    let log: Vec<(String, String, String)> = s
        .engine
        .audit_log(100)
        .unwrap()
        .into_iter()
        .filter(|e| e.action.ends_with("_downloaded"))
        .map(|e| (e.actor, e.action, e.detail))
        .collect();
    let plain = |actor: &str| {
        (
            actor.to_string(),
            "export_downloaded".to_string(),
            format!("job {0}, file custio-export-{0}.csv", job.id),
        )
    };
    assert_eq!(
        log,
        [
            (
                "web:admin".to_string(),
                "export_with_password_hashes_downloaded".to_string(),
                format!("job {0}, file custio-export-{0}.csv", hashes.id),
            ),
            plain("web:admin"),
            plain("web:ola"),
        ]
    );
}

#[cfg(unix)]
#[test]
fn uploads_and_exports_are_private_files_in_private_directories() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let s = setup();
    for dir in [
        s.files.root().to_path_buf(),
        s.files.uploads(),
        s.files.exports(),
    ] {
        assert_eq!(mode(&dir), 0o700, "{}", dir.display());
    }
    let (name, _) = s.files.create_upload().unwrap();
    assert_eq!(mode(&s.files.upload_path(&name).unwrap()), 0o600);
    let admin = user(&s, "admin", custio_store::Role::Admin);
    let job = exported(&s, &admin, true);
    let file = s.engine.download_export(job.id, &admin, &s.files).unwrap();
    assert_eq!(mode(&file.path), 0o600);
    // Directories an older custio left open are closed.
    std::fs::set_permissions(s.files.uploads(), std::fs::Permissions::from_mode(0o755)).unwrap();
    DataDir::create(s.files.root()).unwrap();
    assert_eq!(mode(&s.files.uploads()), 0o700);
}

#[test]
fn the_sweep_deletes_old_uploads_and_exports_but_not_the_files_of_unfinished_jobs() {
    use std::time::{Duration, SystemTime};
    let s = setup();
    let day = Duration::from_secs(24 * 3600);
    let admin = user(&s, "admin", custio_store::Role::Admin);
    // A check that fails (no format fits) keeps its upload until the sweep.
    let failed = s.upload("a|b\n1|2\n");
    s.engine
        .start_check(
            CheckRequest {
                upload: failed.clone(),
                ..CheckRequest::default()
            },
            "t",
        )
        .unwrap();
    assert_eq!(s.run_all().state, JobState::Failed);
    let export = exported(&s, &admin, false);
    let export_path = s.engine.export_file(export.id, &s.files).unwrap().path;
    std::fs::write(s.files.exports().join("job-99.partial"), "half").unwrap();
    // A queued check's upload is in use, however old.
    let queued = s.upload(IDOSELL);
    s.engine
        .start_check(
            CheckRequest {
                upload: queued.clone(),
                ..CheckRequest::default()
            },
            "t",
        )
        .unwrap();

    // Nothing is older than a day yet.
    let swept = s.engine.sweep(&s.files, SystemTime::now() - day).unwrap();
    assert_eq!(swept, crate::Swept::default());
    assert!(s.files.upload_path(&failed).unwrap().exists());

    // A day on, everything old goes but the queued job's upload.
    let swept = s.engine.sweep(&s.files, SystemTime::now() + day).unwrap();
    assert_eq!(swept.files, 3, "{swept:?}");
    assert!(!s.files.upload_path(&failed).unwrap().exists());
    assert!(!export_path.exists());
    assert!(!s.files.exports().join("job-99.partial").exists());
    assert!(s.files.upload_path(&queued).unwrap().exists());
    assert!(matches!(
        s.engine.download_export(export.id, &admin, &s.files),
        Ok(f) if !f.path.exists()
    ));
}

#[test]
fn purging_a_batch_deletes_its_upload_and_the_sweep_purges_old_buffers() {
    use std::time::{Duration, SystemTime};
    let s = setup();
    let mut batches = Vec::new();
    for _ in 0..2 {
        let upload = s.upload(IDOSELL.replace("jan", "ewa").as_str());
        s.engine
            .start_check(
                CheckRequest {
                    upload: upload.clone(),
                    ..CheckRequest::default()
                },
                "t",
            )
            .unwrap();
        let batch = s.run_all().result.unwrap()["batch"].as_i64().unwrap();
        s.engine.start_commit(batch, None, "t").unwrap();
        s.run_all();
        batches.push((batch, upload));
    }
    let (first, first_upload) = &batches[0];
    assert!(s.engine.purge_batch(*first, &s.files).unwrap());
    assert!(!s.files.upload_path(first_upload).unwrap().exists());

    let (second, second_upload) = &batches[1];
    let swept = s
        .engine
        .sweep(&s.files, SystemTime::now() + Duration::from_secs(60))
        .unwrap();
    assert_eq!(swept.buffers, [*second]);
    assert!(!s.files.upload_path(second_upload).unwrap().exists());
    assert!(s.engine.batch(*second).unwrap().purged_at.is_some());
}

/// An IdoSell file of `rows` customers, some invalid, whose last line repeats the e-mail
/// of the first: a repeat many chunks away from its first.
fn many_customers(rows: usize) -> String {
    let mut text = String::from("login;email;firstname;lastname;street;zipcode;city;shop\n");
    for i in 0..rows {
        let email = if i % 97 == 5 {
            format!("user{i}@")
        } else {
            format!("user{i}@example.pl")
        };
        text.push_str(&format!(
            "u{i};{email};Anna;Nowak;Jasna 5;00-950;Warszawa;{}\n",
            1 + i % 3
        ));
    }
    text.push_str("again;user0@example.pl;Jan;Nowak;Jasna 5;00-950;Warszawa;9\n");
    text
}

/// A batch's rows as a user sees them (line, status, action, issues, label), and its
/// warnings.
fn seen(engine: &Engine, batch: i64) -> (Vec<String>, Vec<String>, custio_store::RowCounts) {
    let store = engine.store().batches();
    let rows = store
        .rows(batch, &custio_store::RowFilter::default(), None, 1_000_000)
        .unwrap()
        .iter()
        .map(|r| {
            let issues: Vec<String> = r.issues.iter().map(|i| format!("{i:?}")).collect();
            format!(
                "{} {:?} {:?} {} {issues:?}",
                r.line, r.status, r.action, r.label
            )
        })
        .collect();
    let batch = engine.batch(batch).unwrap();
    (rows, batch.warnings, store.counts(batch.id).unwrap())
}

/// The batch a check of `text` opens on an engine that shares no check.
fn checked_alone(text: &str) -> (Vec<String>, Vec<String>, custio_store::RowCounts) {
    let s = setup();
    s.queue_check(text);
    let job = s.run_all();
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.error);
    seen(&s.engine, job.result.unwrap()["batch"].as_i64().unwrap())
}

#[test]
fn a_check_shared_by_two_workers_stages_what_one_worker_stages() {
    // Eight chunks: the helper comes in while the first worker still has some to take.
    let rows = 8 * setup().engine.store().chunk_rows();
    let text = many_customers(rows);
    let alone = checked_alone(&text);
    let invalid = (0..rows).filter(|i| i % 97 == 5).count() as u64 + 1;
    assert_eq!(alone.2.invalid, invalid, "{:?}", alone.2);
    assert!(
        alone.1.iter().any(|w| w.contains("shop 9")),
        "{:?}",
        alone.1
    );

    let mut s = setup();
    s.engine = s.engine.with_shared_checks_from(Some(0));
    let check = s.queue_check(&text);
    // Two workers: the first takes the check, the second helps until it ends.
    let helped = thread::scope(|scope| {
        let lead = scope.spawn(|| s.engine.run_next_job(&s.files).unwrap());
        while s.engine.job(check.id).unwrap().state == JobState::Queued {
            thread::sleep(Duration::from_millis(1));
        }
        let mut helped = 0;
        while !s.engine.job(check.id).unwrap().state.is_final() {
            match s.engine.run_next_job(&s.files).unwrap() {
                Some(_) => helped += 1,
                None => thread::sleep(Duration::from_millis(5)),
            }
        }
        assert_eq!(lead.join().unwrap(), Some(check.id));
        helped
    });
    while s.engine.run_next_job(&s.files).unwrap().is_some() {}
    let job = s.engine.job(check.id).unwrap();
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.error);
    assert!(helped >= 1, "a helper ran");
    let helpers: Vec<Job> = s
        .engine
        .jobs(100)
        .unwrap()
        .into_iter()
        .filter(|j| j.kind == "help_check")
        .collect();
    assert!(
        helpers.iter().all(|j| j.state == JobState::Succeeded),
        "{helpers:?}"
    );
    let rows_helped: u64 = helpers
        .iter()
        .map(|j| j.result.as_ref().unwrap()["rows"].as_u64().unwrap())
        .sum();
    assert!(rows_helped > 0, "the helper checked rows: {helpers:?}");
    let shared = seen(&s.engine, job.result.unwrap()["batch"].as_i64().unwrap());
    assert_eq!(shared, alone);
}

#[test]
fn a_shared_check_whose_helper_stopped_is_checked_whole_by_the_worker_that_began_it() {
    let text = many_customers(3_000);
    let alone = checked_alone(&text);
    let mut s = setup();
    s.engine = s
        .engine
        .with_shared_checks_from(Some(0))
        .with_job_lease(Duration::from_secs(1));
    s.queue_check(&text);
    // A helper took the first chunk of the check's batch (the store's first) and died.
    assert!(s.engine.store().batches().list().unwrap().is_empty());
    assert_eq!(s.engine.store().batches().take_chunk(1).unwrap(), 0);
    let job = s.run_all();
    let job = if job.kind == "check" {
        job
    } else {
        s.engine.job(1).unwrap()
    };
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.error);
    let batch = job.result.unwrap()["batch"].as_i64().unwrap();
    assert_eq!(batch, 1);
    assert_eq!(seen(&s.engine, batch), alone);
}
