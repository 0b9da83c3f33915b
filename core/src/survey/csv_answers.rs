//! A run of answer columns read from the positions of its delimiters: one SIMD compare finds
//! every delimiter of 64 bytes, and each answer is then the byte before its delimiter. No
//! field's place depends on the field before it, so the answers are read independently.

use wide::u8x16;

/// The most answers read from one window: each takes at most two bytes (answer, delimiter).
const WINDOW_ITEMS: usize = 32;

/// Bit `i` set where `window[i]` is `delim`.
#[inline]
fn delimiter_mask(window: &[u8; 64], delim: u8) -> u64 {
    let splat = u8x16::splat(delim);
    let mut mask = 0;
    for (i, chunk) in window.chunks_exact(16).enumerate() {
        let lanes = u8x16::new(<[u8; 16]>::try_from(chunk).unwrap_or_default());
        mask |= u64::from(lanes.simd_eq(splat).to_bitmask()) << (16 * i);
    }
    mask
}

/// Reads the answers of `cells.len()` consecutive item columns starting at `p`, each empty or
/// one byte and each followed by `delim`, in as many windows of up to 32 as fit in `bytes`. The
/// slot of the byte before a delimiter is `slots[byte]`, where `slots[delim]` is the slot of
/// no answer (an empty field) and a byte that is no one-byte answer is `NO_SLOT`.
///
/// Returns the answers taken and the bytes they took. A window whose fields are not all of
/// that shape (or that does not fit) is not taken: it and the rest are left to the caller,
/// which reads them field by field.
pub(crate) fn read_answers(bytes: &[u8], p: usize, cells: &mut [u8], slots: &[u8; 256], delim: u8) -> (usize, usize) {
    let (mut taken, mut at) = (0, p);
    while taken < cells.len() {
        let Some(window) = bytes.get(at..at + 64).and_then(|w| <&[u8; 64]>::try_from(w).ok()) else {
            break;
        };
        let Some(read) = read_window(window, &mut cells[taken..], slots, delim) else {
            break;
        };
        taken += read.0;
        at += read.1;
    }
    (taken, at - p)
}

/// One window of 64 bytes from the start of a field: up to 32 answers, all or none.
#[inline]
fn read_window(fields: &[u8; 64], cells: &mut [u8], slots: &[u8; 256], delim: u8) -> Option<(usize, usize)> {
    let delims = delimiter_mask(fields, delim);
    // Byte `i` of `before` is the one before `fields[i]`; a delimiter before the first field
    // makes an empty first field read as every other empty one.
    let mut before = [delim; 65];
    before[1..].copy_from_slice(fields);
    let n = cells.len().min(WINDOW_ITEMS);
    if (delims.count_ones() as usize) < n {
        return None;
    }
    let mut rest = delims;
    // Slots are at most 65: a NO_SLOT (0xFF) among them sets the top bit.
    let mut any = 0u8;
    let mut read = |cell: &mut u8| {
        // The byte before the next delimiter: the answer, or the delimiter before when the
        // field is empty. (`rest` is not zero here: the count above.)
        let slot = slots[usize::from(before[rest.trailing_zeros() as usize])];
        rest &= rest.wrapping_sub(1);
        *cell = slot;
        any |= slot;
    };
    // A full window as straight-line code, a shorter one as a loop.
    match <&mut [u8; WINDOW_ITEMS]>::try_from(&mut cells[..n]) {
        Ok(full) => full.iter_mut().for_each(&mut read),
        Err(_) => cells[..n].iter_mut().for_each(&mut read),
    }
    // The last delimiter read ends the window's fields; every other byte before it must be an
    // answer read above: no two non-delimiters side by side.
    let Some(end) = (delims & !rest).checked_ilog2().map(|e| e as usize) else {
        return Some((0, 0));
    };
    let others = !delims & ((1u64 << end) - 1);
    if any & 0x80 != 0 || others & (others >> 1) != 0 {
        return None;
    }
    Some((n, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::design::NO_SLOT;
    use proptest::prelude::*;

    /// Answers 1-5 in slots 0-4, an empty field in slot 5.
    fn slots() -> [u8; 256] {
        let mut s = [NO_SLOT; 256];
        for (slot, b) in (b'1'..=b'5').enumerate() {
            s[usize::from(b)] = slot as u8;
        }
        s[usize::from(b',')] = 5;
        s
    }

    /// Field by field, the answers before the first field of another shape.
    fn by_field(bytes: &[u8], p: usize, n: usize, slots: &[u8; 256]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut at = p;
        while out.len() < n {
            match (bytes.get(at), bytes.get(at + 1)) {
                (Some(b','), _) => {
                    out.push(5);
                    at += 1;
                }
                (Some(&b), Some(b',')) if slots[usize::from(b)] != NO_SLOT => {
                    out.push(slots[usize::from(b)]);
                    at += 2;
                }
                _ => break,
            }
        }
        out
    }

    #[test]
    fn a_line_of_answers_and_blanks_is_read_by_position() {
        let line = b"u,1,,5,3,,,2,4,x\n".iter().chain([b' '; 64].iter()).copied().collect::<Vec<u8>>();
        let mut cells = [0u8; 8];
        assert_eq!(read_answers(&line, 2, &mut cells, &slots(), b','), (8, 13));
        assert_eq!(cells, [0, 5, 4, 2, 5, 5, 1, 3]);
    }

    #[test]
    fn forty_answers_take_a_full_window_and_a_short_one() {
        let answers = ["1", "", "5", "3", "", "2", "4", "4"];
        let fields: Vec<&str> = answers.iter().cycle().take(40).copied().collect();
        let line = format!("u,{},x\n{}", fields.join(","), ",".repeat(64));
        let mut cells = [0xEEu8; 40];
        let len: usize = fields.iter().map(|f| f.len() + 1).sum();
        assert_eq!(read_answers(line.as_bytes(), 2, &mut cells, &slots(), b','), (40, len));
        let want: Vec<u8> = fields.iter().map(|f| f.bytes().next().map_or(5, |b| b - b'1')).collect();
        assert_eq!(cells.to_vec(), want);
    }

    #[test]
    fn thirty_two_answers_need_thirty_two_delimiters_in_the_window() {
        // 31 answers and their delimiters, then a two-byte field whose delimiter is past the
        // 64 bytes: nothing is taken.
        let bytes = format!("{}22,{}", "1,".repeat(31), ",".repeat(64));
        let mut cells = [0u8; 32];
        assert_eq!(read_answers(bytes.as_bytes(), 0, &mut cells, &slots(), b','), (0, 0));
    }

    #[test]
    fn a_two_byte_field_or_a_line_break_leaves_the_window() {
        let slots = slots();
        for line in [&b"u,1,22,3,4,"[..], b"u,1,2\n3,4,", b"u,1,2,x,4,"] {
            let bytes: Vec<u8> = line.iter().chain([b','; 64].iter()).copied().collect();
            let mut cells = [9u8; 4];
            assert_eq!(read_answers(&bytes, 2, &mut cells, &slots, b',').0, 0, "{}", String::from_utf8_lossy(line));
        }
        // Fewer than 64 bytes from the first field: left to the caller.
        let mut cells = [0u8; 2];
        assert_eq!(read_answers(&[b','; 63], 0, &mut cells, &slots, b','), (0, 0));
        // At the very start, an empty field is read as empty.
        assert_eq!(read_answers(&[b','; 64], 0, &mut cells, &slots, b','), (2, 2));
        assert_eq!(cells, [5, 5]);
    }

    proptest! {
        /// Whatever it takes, it takes whole windows and reads as field by field would.
        #[test]
        fn windows_read_what_field_by_field_reads(
            bytes in prop::collection::vec(prop::sample::select(vec![b'1', b'3', b'5', b',', b',', b',', b'x', b'\n']), 0..200),
            p in 0usize..60,
            n in 0usize..70,
        ) {
            let slots = slots();
            let mut cells = vec![0xEEu8; n];
            let (taken, len) = read_answers(&bytes, p, &mut cells, &slots, b',');
            let want = by_field(&bytes, p, n, &slots);
            prop_assert!(taken <= want.len());
            prop_assert!(taken == n || taken % WINDOW_ITEMS == 0);
            prop_assert_eq!(&cells[..taken], &want[..taken]);
            // The bytes taken end after the last one's delimiter.
            let field_by_field_len: usize = want[..taken].iter().map(|&s| if s == 5 { 1 } else { 2 }).sum();
            prop_assert_eq!(len, field_by_field_len);
        }
    }
}
