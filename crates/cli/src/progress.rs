//! A progress bar on standard error, only when it is a terminal.

use std::io::{IsTerminal, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use custio_engine::Progress;
use indicatif::{ProgressBar, ProgressStyle};

/// Draws rows/s and the ETA. When the engine cannot know the total (a check streams the
/// file), the total is estimated from how much of the input file was read so far.
pub struct Bar {
    bar: Option<ProgressBar>,
    input: Option<(u64, Arc<AtomicU64>)>,
}

impl Bar {
    pub fn new() -> Self {
        Self {
            bar: std::io::stderr().is_terminal().then(ProgressBar::hidden),
            input: None,
        }
    }

    /// A bar for reading `input`, a file of `size` bytes: returns the bar and the reader
    /// to hand to the engine, which counts what it reads.
    pub fn reading<'a>(size: Option<u64>, input: Box<dyn Read + 'a>) -> (Self, Box<dyn Read + 'a>) {
        let counter = Arc::new(AtomicU64::new(0));
        let bar = Self {
            input: size.map(|s| (s, counter.clone())),
            ..Self::new()
        };
        (
            bar,
            Box::new(Counted {
                inner: input,
                count: counter,
            }),
        )
    }

    fn style(&self, unit: &str, bounded: bool) {
        let Some(bar) = &self.bar else { return };
        let template = if bounded {
            format!("{{bar:30}} {{pos}}/{{len}} {unit} {{per_sec}} ETA {{eta}}")
        } else {
            format!("{{spinner}} {{pos}} {unit} {{per_sec}}")
        };
        bar.set_style(ProgressStyle::with_template(&template).expect("valid template"));
    }
}

struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Progress for Bar {
    fn start(&self, total: Option<u64>, unit: &'static str) {
        let Some(bar) = &self.bar else { return };
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        if let Some(t) = total {
            bar.set_length(t);
        }
        self.style(unit, total.is_some() || self.input.is_some());
        bar.set_position(0);
    }

    fn update(&self, done: u64) {
        let Some(bar) = &self.bar else { return };
        if let Some((size, read)) = &self.input {
            let read = read.load(Ordering::Relaxed);
            if read > 0 {
                bar.set_length(
                    (done as u128 * *size as u128 / read as u128).max(done as u128) as u64,
                );
            }
        }
        bar.set_position(done);
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
