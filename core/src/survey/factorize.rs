//! Codes for a column of ids: each distinct id numbered in order of first appearance (as
//! `pandas.factorize` numbers them), for the column-wise input of [`super::columns`].
//!
//! Bindings use it on string columns they can read as bytes (Arrow string arrays), which is
//! faster than building a string object per row.

use super::error::SurveyError;
use super::short_ids::{short_key, short_key_at, RecentIds, ShortKey};
use std::collections::HashMap;

/// A string column in Arrow's layout: value `i` is `data[offsets[start + i]..offsets[start + i
/// + 1]]`, missing when bit `start + i` of `validity` is 0 (no bitmap: none missing).
#[derive(Debug, Clone, Copy)]
pub struct ArrowStrings<'a, O> {
    /// Value boundaries (`i32` for Arrow `string`, `i64` for `large_string`).
    pub offsets: &'a [O],
    /// UTF-8 bytes of all values.
    pub data: &'a [u8],
    /// Validity bitmap, least significant bit first.
    pub validity: Option<&'a [u8]>,
    /// The array's first value in the buffers (Arrow's `offset`).
    pub start: usize,
    /// Number of values.
    pub len: usize,
}

/// Ids numbered in order of first appearance.
#[derive(Debug, Default)]
pub struct Factorizer<'a> {
    /// Short ids seen first (see [`RecentIds`]).
    recent: RecentIds,
    /// Ids of up to 16 bytes, by their key: compared as integers, not byte by byte.
    short: HashMap<ShortKey, i64, foldhash::fast::RandomState>,
    long: HashMap<&'a [u8], i64, foldhash::fast::RandomState>,
    names: Vec<String>,
}

impl<'a> Factorizer<'a> {
    /// No ids yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The code of `id` (a new one for an id not seen before); `None` when it is not UTF-8.
    pub fn code(&mut self, id: &'a [u8]) -> Option<i64> {
        match short_key(id) {
            Some(key) => self.short_code(key, id),
            None => self.long_code(id),
        }
    }

    #[inline(always)]
    fn short_code(&mut self, key: ShortKey, id: &[u8]) -> Option<i64> {
        if let Some(c) = self.recent.get(key) {
            return Some(i64::from(c));
        }
        let c = match self.short.get(&key) {
            Some(&c) => c,
            None => {
                let c = self.push(id)?;
                self.short.insert(key, c);
                c
            }
        };
        if let Ok(value) = u32::try_from(c) {
            self.recent.remember(key, value);
        }
        Some(c)
    }

    fn long_code(&mut self, id: &'a [u8]) -> Option<i64> {
        if let Some(&c) = self.long.get(id) {
            return Some(c);
        }
        let c = self.push(id)?;
        self.long.insert(id, c);
        Some(c)
    }

    /// A new id's code.
    fn push(&mut self, id: &[u8]) -> Option<i64> {
        let name = std::str::from_utf8(id).ok()?;
        let c = self.names.len() as i64;
        self.names.push(name.to_owned());
        Some(c)
    }

    /// Appends the codes of an Arrow string array (`-1` for a missing value) to `out`; `path`
    /// names the column in errors (bad boundaries, bytes that are not UTF-8).
    pub fn add_arrow<O: Copy + TryInto<usize>>(
        &mut self,
        column: ArrowStrings<'a, O>,
        first_row: u64,
        path: &str,
        out: &mut Vec<i64>,
    ) -> Result<(), SurveyError> {
        let bad = |k: usize, why: &str| SurveyError::InvalidInput {
            path: format!("row {}, column {path}", first_row + k as u64),
            message: why.to_owned(),
        };
        let bound = |i: usize| -> Option<usize> { column.offsets.get(i).and_then(|o| (*o).try_into().ok()) };
        // At most the values the boundaries hold (a length beyond them is an error below).
        out.reserve(column.len.min(column.offsets.len().saturating_sub(column.start)));
        let end = column.start.checked_add(column.len);
        if let (None, Some(offsets)) = (column.validity, end.and_then(|end| column.offsets.get(column.start..=end))) {
            // No missing values: each boundary converted once, as the end of one id and the
            // start of the next.
            let mut a = offsets.first().and_then(|o| (*o).try_into().ok());
            for (k, o) in offsets.iter().skip(1).enumerate() {
                let b: Option<usize> = (*o).try_into().ok();
                out.push(self.code_between(column.data, a, b).map_err(|why| bad(k, why))?);
                a = b;
            }
            return Ok(());
        }
        for k in 0..column.len {
            let Some(i) = column.start.checked_add(k) else {
                return Err(bad(k, "string boundaries out of range"));
            };
            let valid = column.validity.is_none_or(|bits| bits.get(i / 8).is_some_and(|b| b >> (i % 8) & 1 == 1));
            if !valid {
                out.push(-1);
                continue;
            }
            out.push(self.code_between(column.data, bound(i), i.checked_add(1).and_then(bound)).map_err(|why| bad(k, why))?);
        }
        Ok(())
    }

    /// The code of the id `data[a..b]`; why not, when the boundaries are out of range or the
    /// bytes are not UTF-8.
    #[inline(always)]
    fn code_between(&mut self, data: &'a [u8], a: Option<usize>, b: Option<usize>) -> Result<i64, &'static str> {
        let (a, b) = match (a, b) {
            (Some(a), Some(b)) if a <= b && b <= data.len() => (a, b),
            _ => return Err("string boundaries out of range"),
        };
        let code = match short_key_at(data, a, b) {
            Some(key) => self.short_code(key, &data[a..b]),
            None => self.long_code(&data[a..b]),
        };
        code.ok_or("the id is not UTF-8")
    }

    /// The ids, by code.
    pub fn into_names(self) -> Vec<String> {
        self.names
    }
}

/// Rows below which a piece of a column is not worth a thread (see [`factorize_arrow`]).
const MIN_PIECE_ROWS: usize = 8 << 10;

/// The codes (`-1` for a missing value) and ids of one string column held in several Arrow
/// arrays, read one after another as a single column; `path` names the column in errors.
/// Exactly what one [`Factorizer`] reading the arrays in order gives, errors included (the
/// first bad row's), on all cores for a long column: each thread numbers the ids of its own
/// rows, and the numberings are then joined in row order.
pub fn factorize_arrow<O>(column: &[ArrowStrings<'_, O>], path: &str) -> Result<(Vec<i64>, Vec<String>), SurveyError>
where
    O: Copy + TryInto<usize> + Sync,
{
    factorize_in_pieces(column, path, crate::parallel::cores(), MIN_PIECE_ROWS)
}

/// One factorizer reading the arrays in order, the first row numbered `first_row`.
fn factorize_in_order<O>(column: &[ArrowStrings<'_, O>], first_row: u64, path: &str) -> Result<(Vec<i64>, Vec<String>), SurveyError>
where
    O: Copy + TryInto<usize>,
{
    let mut ids = Factorizer::new();
    let mut codes = Vec::new();
    let mut row = first_row;
    for array in column {
        ids.add_arrow(*array, row, path, &mut codes)?;
        row += array.len as u64;
    }
    Ok((codes, ids.into_names()))
}

/// [`factorize_arrow`] on up to `threads` threads, in pieces of at least `min_piece` rows.
fn factorize_in_pieces<O>(
    column: &[ArrowStrings<'_, O>],
    path: &str,
    threads: usize,
    min_piece: usize,
) -> Result<(Vec<i64>, Vec<String>), SurveyError>
where
    O: Copy + TryInto<usize> + Sync,
{
    // Arrays whose boundaries are not all there are read in order, which reports the first
    // row without them.
    let complete = |a: &ArrowStrings<'_, O>| a.start.checked_add(a.len).is_some_and(|end| end < a.offsets.len());
    if !column.iter().all(complete) {
        return factorize_in_order(column, 0, path);
    }
    let rows: usize = column.iter().map(|a| a.len).sum();
    let min_piece = min_piece.max(1);
    let threads = threads.min(rows / min_piece).max(1);
    // Pieces of about a quarter of a thread's share, each with the number of its first row.
    let size = (rows / (threads * 4)).max(min_piece);
    let mut pieces = Vec::new();
    let mut first = 0u64;
    for array in column {
        let mut done = 0;
        while done < array.len {
            let len = size.min(array.len - done);
            pieces.push((ArrowStrings { start: array.start + done, len, ..*array }, first));
            first += len as u64;
            done += len;
        }
    }
    let numbered = crate::parallel::map_chunks(&pieces, threads, 1, &|| (), &|_, (piece, first)| {
        factorize_in_order(std::slice::from_ref(piece), *first, path)
    });
    // The first error in row order, as reading in order would stop at it.
    let numbered: Vec<(Vec<i64>, Vec<String>)> = numbered.into_iter().collect::<Result<_, SurveyError>>()?;
    let mut all = Factorizer::new();
    let mut codes = Vec::with_capacity(rows);
    for (piece_codes, names) in &numbered {
        // A piece's code k is its k-th new id; in the whole column, that id's code (the ids
        // are UTF-8 already: `code` cannot fail on them).
        let whole: Vec<i64> = names.iter().map(|name| all.code(name.as_bytes()).unwrap_or(-1)).collect();
        codes.extend(piece_codes.iter().map(|&c| usize::try_from(c).ok().and_then(|c| whole.get(c)).map_or(-1, |&w| w)));
    }
    Ok((codes, all.into_names()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Arrow's buffers of a string column: the ids' bytes, their boundaries, and a validity
    /// bitmap with the bit of each null row unset.
    fn arrow_buffers<O: TryFrom<usize>>(ids: &[Vec<u8>], nulls: &[bool]) -> (Vec<u8>, Vec<O>, Vec<u8>)
    where
        O::Error: std::fmt::Debug,
    {
        let mut data = Vec::new();
        let mut offsets = vec![O::try_from(0).unwrap()];
        for id in ids {
            data.extend_from_slice(id);
            offsets.push(O::try_from(data.len()).unwrap());
        }
        let bits = nulls.chunks(8).map(|c| c.iter().enumerate().fold(0u8, |b, (i, &n)| b | (u8::from(!n) << i))).collect();
        (data, offsets, bits)
    }

    proptest! {
        /// Codes are those of numbering each distinct id at its first appearance, for ids of any
        /// length (short ones compared as words) and validity bitmaps.
        #[test]
        fn codes_number_ids_by_first_appearance(
            ids in prop::collection::vec(prop::collection::vec(prop::sample::select(vec![b'a', b'b', 0u8, 0xC3, 0xA9]), 0..20), 0..60),
            nulls in prop::collection::vec(any::<bool>(), 60),
            with_bitmap in any::<bool>(),
        ) {
            // Without a bitmap, no value is missing.
            let nulls: Vec<bool> = nulls.iter().map(|&n| n && with_bitmap).collect();
            let (data, offsets, bits) = arrow_buffers::<i64>(&ids, &nulls);
            let mut f = Factorizer::new();
            let mut codes = Vec::new();
            let validity = with_bitmap.then_some(bits.as_slice());
            let column = ArrowStrings { offsets: &offsets, data: &data, validity, start: 0, len: ids.len() };
            let got = f.add_arrow(column, 0, "unit", &mut codes);
            let mut seen: Vec<&[u8]> = Vec::new();
            let mut want = Vec::new();
            for (k, id) in ids.iter().enumerate() {
                if nulls[k] {
                    want.push(-1);
                } else if let Some(c) = seen.iter().position(|s| s == id) {
                    want.push(c as i64);
                } else {
                    if std::str::from_utf8(id).is_err() {
                        prop_assert!(got.is_err());
                        return Ok(());
                    }
                    seen.push(id);
                    want.push(seen.len() as i64 - 1);
                }
            }
            prop_assert!(got.is_ok());
            prop_assert_eq!(codes, want);
            let names: Vec<Vec<u8>> = f.into_names().into_iter().map(String::into_bytes).collect();
            prop_assert_eq!(names, seen.iter().map(|s| s.to_vec()).collect::<Vec<_>>());
        }
    }

    proptest! {
        /// A column in several arrays, numbered in pieces on threads, gets the codes, ids and
        /// first error of one factorizer reading the arrays in order.
        #[test]
        fn pieces_on_threads_equal_one_factorizer_in_order(
            ids in prop::collection::vec(prop::collection::vec(prop::sample::select(vec![b'a', b'b', b'c', 0xC3, 0xA9]), 0..20), 0..80),
            nulls in prop::collection::vec(any::<bool>(), 80),
            with_bitmap in any::<bool>(),
            cuts in prop::collection::vec(0usize..80, 0..4),
            threads in prop::sample::select(vec![1usize, 2, 3, 8]),
            min_piece in 1usize..9,
        ) {
            let (data, offsets, bits) = arrow_buffers::<i32>(&ids, &nulls);
            let validity = with_bitmap.then_some(bits.as_slice());
            // Arrays over the same buffers, one after another (as Arrow chunks may share them).
            let mut bounds: Vec<usize> = cuts.iter().map(|&c| c.min(ids.len())).collect();
            bounds.extend([0, ids.len()]);
            bounds.sort_unstable();
            let arrays: Vec<ArrowStrings<'_, i32>> = bounds
                .windows(2)
                .map(|w| ArrowStrings { offsets: &offsets, data: &data, validity, start: w[0], len: w[1] - w[0] })
                .collect();
            let mut one = Factorizer::new();
            let mut want = Vec::new();
            let mut row = 0;
            let mut sequential = Ok(());
            for a in &arrays {
                sequential = sequential.and_then(|()| one.add_arrow(*a, row, "unit", &mut want));
                row += a.len as u64;
            }
            let got = factorize_in_pieces(&arrays, "unit", threads, min_piece);
            match (got, sequential) {
                (Ok((codes, names)), Ok(())) => {
                    prop_assert_eq!(codes, want);
                    prop_assert_eq!(names, one.into_names());
                }
                (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                (a, b) => prop_assert!(false, "pieces {:?}, in order {:?}", a.map(|_| ()), b),
            }
        }
    }

    #[test]
    fn codes_in_order_of_first_appearance_with_nulls_and_an_offset() {
        // "x", "", "yy", null, "x", "yy" in the buffers; the array starts at the second value.
        let offsets: [i64; 7] = [0, 1, 1, 3, 3, 4, 6];
        let data = b"xyyxyy";
        let validity = [0b0011_0111u8];
        let mut f = Factorizer::new();
        let mut codes = Vec::new();
        let column = ArrowStrings { offsets: &offsets, data, validity: Some(&validity), start: 1, len: 5 };
        f.add_arrow(column, 0, "unit", &mut codes).unwrap();
        assert_eq!(codes, vec![0, 1, -1, 2, 1]);
        assert_eq!(f.into_names(), vec!["", "yy", "x"]);
    }

    #[test]
    fn short_and_long_ids_with_nul_bytes_and_ids_at_the_buffer_end() {
        // "a", "a\0", 16 and 17 bytes, "a" again, the 16-byte id again at the very end (read
        // without 16 bytes after it).
        let ids: [&[u8]; 6] = [b"a", b"a\0", b"0123456789abcdef", b"0123456789abcdefg", b"a", b"0123456789abcdef"];
        let mut data = Vec::new();
        let mut offsets = vec![0i64];
        for id in ids {
            data.extend_from_slice(id);
            offsets.push(data.len() as i64);
        }
        let mut f = Factorizer::new();
        let mut codes = Vec::new();
        let column = ArrowStrings { offsets: &offsets, data: &data, validity: None, start: 0, len: 6 };
        f.add_arrow(column, 0, "unit", &mut codes).unwrap();
        assert_eq!(codes, vec![0, 1, 2, 3, 0, 2]);
        assert_eq!(f.code(b"0123456789abcdefg"), Some(3));
        assert_eq!(f.code(b"a\0"), Some(1));
        assert_eq!(f.into_names().len(), 4);
    }

    #[test]
    fn lengths_beyond_the_boundaries_are_errors_not_panics() {
        let want = |row: u64| SurveyError::InvalidInput { path: format!("row {row}, column unit"), message: "string boundaries out of range".into() }.to_string();
        let offsets: [i32; 2] = [0, 1];
        for (start, len, row) in [(0, usize::MAX, 1), (usize::MAX, 2, 0), (usize::MAX - 1, 3, 0), (1, 1, 0)] {
            let column = [ArrowStrings { offsets: &offsets, data: b"a", validity: None, start, len }];
            assert_eq!(factorize_arrow(&column, "unit").unwrap_err().to_string(), want(row), "start {start}, len {len}");
        }
        // Arrays before the bad one are read; the row counts on from them.
        let column = [
            ArrowStrings { offsets: &offsets, data: b"a", validity: None, start: 0, len: 1 },
            ArrowStrings { offsets: &offsets, data: b"a", validity: None, start: 0, len: 3 },
        ];
        assert_eq!(factorize_arrow(&column, "unit").unwrap_err().to_string(), want(2));
    }

    #[test]
    fn bad_boundaries_and_bytes_are_errors_naming_the_row() {
        let mut f = Factorizer::new();
        let mut codes = Vec::new();
        let offsets: [i32; 3] = [0, 2, 1];
        let column = ArrowStrings { offsets: &offsets, data: b"ab", validity: None, start: 0, len: 2 };
        let e = f.add_arrow(column, 10, "unit", &mut codes).unwrap_err();
        assert_eq!(e.to_string(), SurveyError::InvalidInput { path: "row 11, column unit".into(), message: "string boundaries out of range".into() }.to_string());
        let offsets: [i32; 2] = [0, 1];
        let column = ArrowStrings { offsets: &offsets, data: b"\xff", validity: None, start: 0, len: 2 };
        let e = f.add_arrow(column, 0, "unit", &mut Vec::new()).unwrap_err();
        assert!(e.to_string().contains("row 0, column unit"), "{e}");
        assert!(e.to_string().contains("not UTF-8"), "{e}");
    }
}
