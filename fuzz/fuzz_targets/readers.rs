//! Every dialect's reader over arbitrary bytes: a clear error or rows, never a panic, and
//! never more memory than the bounds allow.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    custio_formats::fuzzing::read_with_every_dialect(data);
});
