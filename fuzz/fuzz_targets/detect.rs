//! Format detection over arbitrary first bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = custio_formats::detect_prefix(data);
});
