//! Codes for a column of ids: each distinct id numbered in order of first appearance (as
//! `pandas.factorize` numbers them), for the column-wise input of [`super::columns`].
//!
//! Bindings use it on string columns they can read as bytes (Arrow string arrays), which is
//! faster than building a string object per row.

use super::error::SurveyError;
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
    codes: HashMap<&'a [u8], i64, foldhash::fast::RandomState>,
    names: Vec<String>,
}

impl<'a> Factorizer<'a> {
    /// No ids yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The code of `id` (a new one for an id not seen before); `None` when it is not UTF-8.
    pub fn code(&mut self, id: &'a [u8]) -> Option<i64> {
        if let Some(&c) = self.codes.get(id) {
            return Some(c);
        }
        let name = std::str::from_utf8(id).ok()?;
        let c = self.names.len() as i64;
        self.names.push(name.to_owned());
        self.codes.insert(id, c);
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
        out.reserve(column.len);
        for k in 0..column.len {
            let i = column.start + k;
            let valid = column.validity.is_none_or(|bits| bits.get(i / 8).is_some_and(|b| b >> (i % 8) & 1 == 1));
            if !valid {
                out.push(-1);
                continue;
            }
            let id = match (bound(i), bound(i + 1)) {
                (Some(a), Some(b)) if a <= b => column.data.get(a..b),
                _ => None,
            }
            .ok_or_else(|| bad(k, "string boundaries out of range"))?;
            out.push(self.code(id).ok_or_else(|| bad(k, "the id is not UTF-8"))?);
        }
        Ok(())
    }

    /// The ids, by code.
    pub fn into_names(self) -> Vec<String> {
        self.names
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
