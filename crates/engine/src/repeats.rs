//! Logins and e-mails a file repeats, found in fixed memory: while a check stages its rows,
//! a Bloom filter takes every key hash of a valid row and keeps the few it may have seen
//! before (its suspects); after the file, one pass over the buffer looks at the rows with a
//! suspect hash only, and their real keys decide.

/// Bits of the filter: 8 MiB, whatever the size of the file.
const BITS: u64 = 1 << 26;

/// A Bloom filter of key hashes and the hashes it may have seen twice.
pub(crate) struct KeyFilter {
    bits: Vec<u64>,
    suspects: Vec<i64>,
}

impl KeyFilter {
    pub fn new() -> Self {
        Self {
            bits: vec![0; (BITS / 64) as usize],
            suspects: Vec::new(),
        }
    }

    /// Takes a key hash; a hash whose three bits were all set already is a suspect.
    pub fn add(&mut self, hash: i64) {
        let h = hash as u64;
        let step = h.rotate_left(32) | 1;
        let mut seen = true;
        for i in 0..3u64 {
            let bit = h.wrapping_add(i.wrapping_mul(step)) % BITS;
            let (word, mask) = ((bit / 64) as usize, 1u64 << (bit % 64));
            seen &= self.bits[word] & mask != 0;
            self.bits[word] |= mask;
        }
        if seen {
            self.suspects.push(hash);
        }
    }

    /// The hashes that may repeat (each once).
    pub fn suspects(mut self) -> Vec<i64> {
        self.suspects.sort_unstable();
        self.suspects.dedup();
        self.suspects
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_hash_is_always_a_suspect_and_others_rarely() {
        let mut filter = KeyFilter::new();
        for i in 0..200_000i64 {
            filter.add(crate::rules::key_hash(&format!("user{i}@example.pl")));
        }
        filter.add(crate::rules::key_hash("user7@example.pl"));
        let suspects = filter.suspects();
        assert!(suspects.contains(&crate::rules::key_hash("user7@example.pl")));
        assert!(suspects.len() < 100, "{} suspects", suspects.len());
    }
}
