//! The `custio` binary: a thin layer of commands over the engine. Errors become reports
//! here, at the edge, and every failure maps to the exit codes of DESIGN.md.

/// `println!` that returns the error instead of panicking: a closed pipe (`custio ... | head`)
/// must end the command quietly.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)?;
    }};
}

/// `print!` without the panic, as [`outln`].
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout(), $($arg)*)?;
    }};
}

mod args;
mod commands;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use crate::args::Cli;

/// mimalloc: the import pipeline allocates many small values on one thread and frees
/// them on the other, where it is about twice as fast as the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes of the command line contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 0: done.
    Done,
    /// 3: done, but rows were rejected.
    Rejected,
    /// 1: the answer is "no", already told on standard output (a connection check).
    Refused,
}

/// A usage mistake found after parsing (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

fn main() -> ExitCode {
    private_files();
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Rejected) => ExitCode::from(3),
        Ok(Outcome::Refused) => ExitCode::FAILURE,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            if err.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Every file custio writes holds personal data (the database, uploads, exports, rejected
/// rows, converted files): whatever the user's umask, they are created readable by their
/// owner only (0600, directories 0700). The store and the data directory set these modes
/// themselves too; the umask also covers SQLite's temporary files and `-o` outputs.
fn private_files() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file mode mask; no thread runs yet.
    unsafe {
        libc::umask(0o077);
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
