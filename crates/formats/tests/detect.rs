//! Dialect detection on the fixture files: every fixture with a header is recognised as
//! its platform's, files without one ask for the format, and nothing of the input is lost.

use std::io::Read;
use std::path::PathBuf;

use custio_formats::{ReadOptions, detect};

fn fixtures(platform: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(platform);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn name(path: &std::path::Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Fixtures that cannot be recognised, and why.
const UNDETECTABLE: &[(&str, &str)] = &[
    ("cloudcart/cp1251_semicolon.csv", "no header row"),
    ("cloudcart/duplicate_emails.csv", "no header row"),
    ("cloudcart/full_name_split.csv", "no header row"),
    ("cloudcart/invalid_and_empty_emails.csv", "no header row"),
    ("cloudcart/tab_no_header.csv", "no header row"),
    ("idosell/not_csv.png", "not a customer file"),
    ("iof/not_iof.xml", "XML of another kind"),
];

#[test]
fn every_fixture_with_a_header_is_recognised_as_its_platform() {
    for platform in ["idosell", "shoptet", "upgates", "iof", "cloudcart"] {
        for path in fixtures(platform) {
            let key = format!("{platform}/{}", name(&path));
            let bytes = std::fs::read(&path).unwrap();
            let result = detect(Box::new(bytes.as_slice()));
            match UNDETECTABLE.iter().find(|(f, _)| *f == key) {
                Some((_, why)) => {
                    let err = result
                        .err()
                        .unwrap_or_else(|| panic!("{key} ({why}) was detected"));
                    let err = err.to_string();
                    assert!(
                        err.contains("cannot tell") || err.contains("binary data"),
                        "{key}: {err}"
                    );
                }
                None => {
                    let (found, mut input) =
                        result.unwrap_or_else(|e| panic!("{key} not detected: {e}"));
                    assert_eq!(found.dialect.id(), platform, "{key}: {found:?}");
                    let mut again = Vec::new();
                    input.read_to_end(&mut again).unwrap();
                    assert_eq!(again, bytes, "{key}: detection consumed input");
                }
            }
        }
    }
}

#[test]
fn a_detected_cloudcart_file_reads_its_header_as_a_header() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/cloudcart/bom_header_pipe.csv");
    let (found, input) = detect(Box::new(std::fs::File::open(path).unwrap())).unwrap();
    assert_eq!(found.has_header, Some(true));
    let options = ReadOptions {
        has_header: found.has_header,
        ..ReadOptions::default()
    };
    let mut rows = found.dialect.open_reader(input, &options).unwrap();
    let first = rows.next_row().unwrap().unwrap();
    assert!(first.issues.is_empty(), "{:?}", first.issues);
    assert_eq!(first.cells[0], "ivan@example.bg");
}

#[test]
fn only_a_bounded_prefix_is_read() {
    struct Endless(u64);
    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            buf.fill(b'a');
            Ok(buf.len())
        }
    }
    // One endless line: detection gives up after its bound instead of reading on.
    let err = detect(Box::new(Endless(0))).err().unwrap();
    assert!(err.to_string().contains("cannot tell"), "{err}");
}
