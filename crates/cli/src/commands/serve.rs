//! `custio serve`: the web panel, the REST API and the job workers in one process.

use custio_web::{Config, Server};

use crate::Outcome;
use crate::args::ServeArgs;

pub fn run(db: &str, args: ServeArgs) -> anyhow::Result<Outcome> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let server = Server::bind(Config {
            bind: args.bind,
            db: db.to_string(),
            data_dir: args.data_dir.clone(),
            workers: args.workers,
            public_url: args.public_url.clone(),
            retention_days: args.retention_days,
            max_upload: args.max_upload_mb << 20,
            trusted_proxy_header: args.trusted_proxy_header.clone(),
            job_lease: std::time::Duration::from_secs(args.jobs.lease_seconds),
            share_checks_from: Some(args.jobs.share_checks_from_mb << 20),
            allow_private_sources: args.jobs.allow_private_sources,
        })
        .await?;
        for line in &server.recovered {
            outln!("recovered {line}");
        }
        outln!("custio is running: open {}", server.url);
        if let Some(link) = &server.setup_link {
            outln!(
                "first start: create the administrator at {link}\n(the link works once; restarting custio makes a new one until an admin exists)"
            );
        }
        std::io::Write::flush(&mut std::io::stdout())?;
        server.run(shutdown()).await
    })?;
    Ok(Outcome::Done)
}

/// Ends when the process is asked to stop (Ctrl-C, SIGTERM).
pub(crate) async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
