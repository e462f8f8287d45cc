//! What the fuzz targets (`fuzz/`) run, shared with the test that replays their corpus
//! and every crash they found (`tests/fuzz_corpus.rs`), so that a finding stays fixed
//! without a fuzzer in CI.

use std::io::Cursor;

use custio_model::{Field, FieldType};

use crate::{ReadOptions, dialects};

/// Rows read before giving up on a file: a fuzz input is small, the bound keeps a run short.
const ROWS: usize = 1_000;

/// Reads `data` with every dialect's reader, as far as it goes.
pub fn read_with_every_dialect(data: &[u8]) {
    for dialect in dialects() {
        let input = Box::new(Cursor::new(data.to_vec()));
        let Ok(mut reader) = dialect.open_reader(input, &ReadOptions::default()) else {
            continue;
        };
        for _ in 0..ROWS {
            match reader.next_row() {
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            }
        }
    }
}

/// Parses `text` as a value of every field (but passwords, which are hashed: slow, and
/// never a parse failure).
pub fn parse_as_every_field(text: &str) {
    for field in Field::FIXED
        .iter()
        .filter(|f| f.ty() != FieldType::Password)
    {
        let _ = field.parse_value(text);
    }
}
