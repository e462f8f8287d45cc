//! Looking at a header line before parsing: where it ends and which separator it uses.
//! Format detection and the CSV readers answer these the same way.

/// Where the first line ends (the `\n` outside quotes), if it does within `bytes`.
pub(crate) fn first_line_end(bytes: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// The separator among `candidates` that occurs most often outside quotes in `line`; ties
/// go to the first listed, and `default` wins when none occurs.
pub(crate) fn header_separator(line: &[u8], candidates: &[u8], default: u8) -> u8 {
    let mut counts = vec![0usize; candidates.len()];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if let (false, Some(i)) = (quoted, candidates.iter().position(|&c| c == b)) {
            counts[i] += 1;
        }
    }
    let mut best: Option<usize> = None;
    for i in 0..candidates.len() {
        if counts[i] > 0 && best.is_none_or(|b| counts[i] > counts[b]) {
            best = Some(i);
        }
    }
    best.map_or(default, |i| candidates[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_hide_separators_and_line_ends() {
        assert_eq!(first_line_end(b"a;\"b\nc\";d\ne"), Some(9));
        assert_eq!(first_line_end(b"a;b"), None);
        assert_eq!(header_separator(b"a,b,\"c;d\"", b";,", b';'), b',');
        assert_eq!(
            header_separator(b"a,b;c", b";,", b';'),
            b';',
            "a tie goes to the first listed"
        );
        assert_eq!(header_separator(b"abc", b";,", b','), b',');
    }
}
