//! A progress bar on standard error, only when it is a terminal.

use std::io::IsTerminal;

use custio_engine::Progress;
use indicatif::{ProgressBar, ProgressStyle};

/// Draws rows/s and, when the total is known, the ETA.
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    pub fn new() -> Self {
        Self {
            bar: std::io::stderr().is_terminal().then(ProgressBar::hidden),
        }
    }
}

impl Progress for Bar {
    fn start(&self, total: Option<u64>, unit: &'static str) {
        let Some(bar) = &self.bar else { return };
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        let template = match total {
            Some(t) => {
                bar.set_length(t);
                format!("{{bar:30}} {{pos}}/{{len}} {unit} {{per_sec}} ETA {{eta}}")
            }
            None => format!("{{spinner}} {{pos}} {unit} {{per_sec}}"),
        };
        bar.set_style(ProgressStyle::with_template(&template).expect("valid template"));
        bar.set_position(0);
    }

    fn update(&self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
