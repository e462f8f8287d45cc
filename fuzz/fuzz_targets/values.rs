//! Every field's value parser over arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    custio_formats::fuzzing::parse_as_every_field(&String::from_utf8_lossy(data));
});
