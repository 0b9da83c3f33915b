//! Ids of up to 16 bytes as integers, and a small table of the ids seen, asked before a hash map.
//!
//! A unit column holds a few dozen distinct ids over many rows. Read as two little-endian words
//! and a length, an id is found with a multiply and a compare or two, instead of hashing and
//! comparing its bytes.

/// An id of up to 16 bytes: its bytes as a little-endian word (zero past the end), its length.
pub(crate) type ShortKey = (u128, u8);

/// The key of an id of up to 16 bytes.
pub(crate) fn short_key(id: &[u8]) -> Option<ShortKey> {
    let len = u8::try_from(id.len()).ok().filter(|&n| n <= 16)?;
    let mut word = [0u8; 16];
    word[..id.len()].copy_from_slice(id);
    Some((u128::from_le_bytes(word), len))
}

/// [`short_key`] of `data[a..b]`, reading 16 bytes at once when the buffer has them.
#[inline]
pub(crate) fn short_key_at(data: &[u8], a: usize, b: usize) -> Option<ShortKey> {
    let len = b.checked_sub(a)?;
    if len > 16 {
        return None;
    }
    match data.get(a..a + 16).and_then(|w| <[u8; 16]>::try_from(w).ok()) {
        Some(w) => {
            let mask = if len == 16 { u128::MAX } else { (1u128 << (8 * len)) - 1 };
            Some((u128::from_le_bytes(w) & mask, len as u8))
        }
        None => short_key(data.get(a..b)?),
    }
}

/// Entries of a [`RecentIds`] (a power of two).
const ENTRIES: usize = 256;

/// Entries looked at for one id: with a few dozen distinct ids, every one finds a place.
const PROBES: usize = 4;

/// An empty entry: no key is 255 bytes long.
const EMPTY: (ShortKey, u32) = ((0, u8::MAX), 0);

/// Short ids seen and their values, by a few bits of their word (open addressing, never
/// evicted, so a value once given stays true while the caller's numbering does not change).
/// Ids that find no free entry are simply not remembered.
#[derive(Clone)]
pub(crate) struct RecentIds {
    entries: Box<[(ShortKey, u32); ENTRIES]>,
}

impl Default for RecentIds {
    fn default() -> Self {
        RecentIds {
            entries: Box::new([EMPTY; ENTRIES]),
        }
    }
}

impl std::fmt::Debug for RecentIds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let used = self.entries.iter().filter(|e| e.0 != EMPTY.0).count();
        write!(f, "RecentIds({used} ids)")
    }
}

impl RecentIds {
    fn home(key: ShortKey) -> usize {
        let folded = (key.0 as u64) ^ ((key.0 >> 64) as u64) ^ u64::from(key.1);
        (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
    }

    /// The value of `key`, if remembered.
    #[inline(always)]
    pub(crate) fn get(&self, key: ShortKey) -> Option<u32> {
        let home = Self::home(key);
        for j in 0..PROBES {
            let (k, v) = self.entries.get((home + j) % ENTRIES)?;
            if *k == key {
                return Some(*v);
            }
            if *k == EMPTY.0 {
                return None;
            }
        }
        None
    }

    /// Remembers `key`'s value, if an entry near its home is free.
    pub(crate) fn remember(&mut self, key: ShortKey, value: u32) {
        let home = Self::home(key);
        for j in 0..PROBES {
            if let Some(entry) = self.entries.get_mut((home + j) % ENTRIES) {
                if entry.0 == key || entry.0 == EMPTY.0 {
                    *entry = (key, value);
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_ids_up_to_16_bytes() {
        assert_eq!(short_key(b""), Some((0, 0)));
        assert_eq!(short_key(b"ab"), Some((0x6261, 2)));
        assert_eq!(short_key(&[b'x'; 16]).map(|k| k.1), Some(16));
        assert_eq!(short_key(&[b'x'; 17]), None);
        // Read from a longer buffer: the bytes past the id do not count.
        let data = b"unit-07,rest of the line";
        assert_eq!(short_key_at(data, 0, 7), short_key(b"unit-07"));
        assert_eq!(short_key_at(data, 20, 24), short_key(b"line"));
        assert_eq!(short_key_at(data, 5, 4), None);
    }

    #[test]
    fn remembers_what_fits_and_never_answers_wrongly() {
        let mut recent = RecentIds::default();
        let ids: Vec<String> = (0..1000).map(|i| format!("unit-{i}")).collect();
        for (i, id) in ids.iter().enumerate() {
            recent.remember(short_key(id.as_bytes()).unwrap(), i as u32);
        }
        let found = ids
            .iter()
            .enumerate()
            .filter(|(i, id)| {
                let v = recent.get(short_key(id.as_bytes()).unwrap());
                assert!(v.is_none_or(|v| v == *i as u32), "{id}: {v:?}");
                v.is_some()
            })
            .count();
        // The table is full long before 1000 ids; the first ones are all there.
        assert!((200..=ENTRIES).contains(&found), "{found}");
        assert!((0..40).all(|i| recent.get(short_key(ids[i].as_bytes()).unwrap()) == Some(i as u32)));
        assert_eq!(recent.get(short_key(b"never seen").unwrap()), None);
    }
}
