//! The line shape of most survey exports, counted straight from its bytes: a few leading
//! columns (the unit, perhaps a group, columns not read), then every item's column in design
//! order to the end of the line, each answer empty or one byte.
//!
//! One pass of SIMD compares over the line finds its delimiters, its end and the bytes that are
//! one-byte answers; the line is checked as a whole from these masks. Its answers are then
//! gathered into one byte per item, 16 items to a vector, without a step per field: with no
//! empty field before it, item `k`'s answer is byte `2k` of the answers; after `j` empty
//! fields, byte `2k - j`. So the even bytes from `j` bytes before the answers, taken at once
//! (`u8x16::narrow_i16x8`), give every item after the `j`-th empty field. Each answer byte is
//! then counted for its unit in byte lanes ([`PendingCounts`]), added to the state's counts
//! every 255 lines of a unit and at the end of the block. The unit is found by its field as
//! written (and its group's), read as two words and looked up in a small table of those seen.
//!
//! Any other line is left to the fast path of `csv_plain`, which reads exactly what the general
//! splitter reads: so does this one (a property below).

use super::aggregate::Aggregator;
use super::csv::{Role, Tally};
use super::short_ids::short_key_at;
use wide::{i16x8, u8x16};

/// The longest line taken, in 16-byte chunks (its masks fit a `u128`).
const CHUNKS: usize = 8;

/// At most this many ranges of bytes are one-byte answers (e.g. `1`-`5` and a missing code
/// `9`); a scale with more is left to the other paths.
const RANGES: usize = 2;

/// Vectors of 16 answers a line's items take at most.
const GROUPS: usize = 4;

/// The most items of the shape.
const MAX_ITEMS: usize = 16 * GROUPS;

/// Lane `i` of group `g` is `16 * g + i`: the item of each lane.
const LANES: [[u8; 16]; GROUPS] = {
    let mut out = [[0u8; 16]; GROUPS];
    let mut i = 0;
    while i < MAX_ITEMS {
        out[i / 16][i % 16] = i as u8;
        i += 1;
    }
    out
};

/// A header of the common shape, for one design and delimiter.
#[derive(Debug, Clone)]
pub(crate) struct CommonShape {
    /// The parts of the columns before the answers: the unit, a group, columns not read.
    lead: Vec<Role>,
    /// The item columns after them: items `0..items` of the design, in order, to the end.
    items: usize,
    /// Byte ranges (inclusive) of the one-byte answers.
    answers: [(u8, u8); RANGES],
    /// Each one-byte answer and its slot.
    values: Vec<(u8, u8)>,
    /// The slot of an empty field.
    missing: u8,
    delimiter: u8,
}

impl CommonShape {
    /// The shape of a header's columns (`roles`), when it is the common one and its one-byte
    /// answers (the bytes with a slot in `before_delimiter`, other than the delimiter) form at
    /// most [`RANGES`] ranges, none of them a line break.
    pub(crate) fn of(roles: &[Role], before_delimiter: &[u8; 256], delimiter: u8) -> Option<Self> {
        let lead = roles.iter().take_while(|r| matches!(r, Role::Unit | Role::Group | Role::Ignored)).count();
        let items = roles.len() - lead;
        let in_order = roles[lead..].iter().enumerate().all(|(k, r)| *r == Role::Item(k));
        // `evens` takes the low byte of each 16-bit lane: the first of its two bytes only on a
        // little-endian machine.
        if cfg!(target_endian = "big") || lead == 0 || items == 0 || items > MAX_ITEMS || !in_order || !roles[..lead].contains(&Role::Unit) {
            return None;
        }
        let values: Vec<(u8, u8)> = (0..=255u8)
            .filter(|&b| b != delimiter && before_delimiter[usize::from(b)] != super::design::NO_SLOT)
            .map(|b| (b, before_delimiter[usize::from(b)]))
            .collect();
        // The same bytes as ranges of consecutive bytes.
        let mut ranges: Vec<(u8, u8)> = Vec::new();
        for &(b, _) in &values {
            match ranges.last_mut() {
                Some(range) if range.1.checked_add(1) == Some(b) => range.1 = b,
                _ => ranges.push((b, b)),
            }
        }
        if ranges.len() > RANGES || values.iter().any(|&(b, _)| matches!(b, b'\n' | b'\r')) {
            return None;
        }
        // With one range the second repeats it (an empty range would still match some byte).
        let answers = [*ranges.first()?, *ranges.last()?];
        Some(CommonShape {
            lead: roles[..lead].to_vec(),
            items,
            answers,
            values,
            missing: before_delimiter[usize::from(delimiter)],
            delimiter,
        })
    }

    /// Bits of a line's first `16 * CHUNKS` bytes from `pos`: delimiters, one-byte answers,
    /// and the position of its first line break (`\n` or `\r`). `None` when the line is longer
    /// or the bytes end first. Read 32 bytes at a time, so that lines of about the same length
    /// take the same branches.
    #[inline]
    fn masks(&self, bytes: &[u8], pos: usize) -> Option<(u128, u128, usize)> {
        let window: &[u8; 16 * CHUNKS] = bytes.get(pos..pos + 16 * CHUNKS)?.try_into().ok()?;
        let delim = u8x16::splat(self.delimiter);
        let (lf, cr) = (u8x16::splat(b'\n'), u8x16::splat(b'\r'));
        let [(lo0, hi0), (lo1, hi1)] = self.answers;
        let (lo0, hi0, lo1, hi1) = (u8x16::splat(lo0), u8x16::splat(hi0), u8x16::splat(lo1), u8x16::splat(hi1));
        let two_ranges = self.answers[0] != self.answers[1];
        let (mut delims, mut answers) = (0u128, 0u128);
        for step in 0..CHUNKS / 2 {
            let (mut d, mut a, mut breaks) = (0u32, 0u32, 0u32);
            for c in 0..2 {
                let chunk = load(window, 32 * step + 16 * c);
                let mut ok = chunk.max(lo0).min(hi0).simd_eq(chunk);
                if two_ranges {
                    ok |= chunk.max(lo1).min(hi1).simd_eq(chunk);
                }
                d |= chunk.simd_eq(delim).to_bitmask() << (16 * c);
                a |= ok.to_bitmask() << (16 * c);
                breaks |= (chunk.simd_eq(lf) | chunk.simd_eq(cr)).to_bitmask() << (16 * c);
            }
            delims |= u128::from(d) << (32 * step);
            answers |= u128::from(a) << (32 * step);
            if breaks != 0 {
                return Some((delims, answers, 32 * step + breaks.trailing_zeros() as usize));
            }
        }
        None
    }

    /// Bytes `at`, `at + 2`, ..., `at + 126` in lanes: 16 items to a vector.
    #[inline]
    fn evens(bytes: &[u8], at: usize) -> Option<[u8x16; GROUPS]> {
        let window: &[u8; 32 * GROUPS] = bytes.get(at..at + 32 * GROUPS)?.try_into().ok()?;
        let low = i16x8::splat(0xFF);
        let half = |i: usize| bytemuck::cast::<u8x16, i16x8>(load(window, 16 * i)) & low;
        Some(std::array::from_fn(|g| u8x16::narrow_i16x8(half(2 * g), half(2 * g + 1))))
    }

    /// Each item's answer byte (for an empty field the byte that ends it: the delimiter, or
    /// the line break of an empty last field) of a checked line whose answers start at `p`:
    /// the even bytes from `p`, then after each empty field the even bytes from one byte
    /// earlier, for the items after it.
    #[inline]
    fn gather(&self, bytes: &[u8], p: usize) -> Option<[u8x16; GROUPS]> {
        let delim = u8x16::splat(self.delimiter);
        let items = if self.items == MAX_ITEMS { u64::MAX } else { (1u64 << self.items) - 1 };
        let mut out = Self::evens(bytes, p)?;
        let mut shift = 0;
        let mut from = 0u32;
        loop {
            let mut empty = 0u64;
            for (g, v) in out.iter().enumerate() {
                empty |= u64::from(v.simd_eq(delim).to_bitmask()) << (16 * g);
            }
            let empty = empty & items & u64::MAX.checked_shl(from).unwrap_or(0);
            if empty == 0 {
                return Some(out);
            }
            // Field `k` is empty: the items after it are one byte earlier.
            from = empty.trailing_zeros() + 1;
            shift += 1;
            let next = Self::evens(bytes, p.checked_sub(shift)?)?;
            let from_lane = u8x16::splat(u8::try_from(from).ok()?);
            for ((v, n), lanes) in out.iter_mut().zip(next).zip(LANES) {
                let lanes = u8x16::new(lanes);
                let after = lanes.max(from_lane).simd_eq(lanes);
                *v = after.bitselect(n, *v);
            }
        }
    }
}

/// Sixteen bytes of `window` from `at` (a constant offset once inlined).
#[inline(always)]
fn load<const N: usize>(window: &[u8; N], at: usize) -> u8x16 {
    u8x16::new(window.get(at..at + 16).and_then(|w| <[u8; 16]>::try_from(w).ok()).unwrap_or_default())
}

/// Counts of a block's common lines, by answer byte, in byte lanes: per unit, per one-byte
/// answer, one vector per 16 items. Added to the units' counts before a lane can overflow
/// (every 255 lines of a unit) and at the end of the block. Only units the block counts get
/// lanes, so a state of many units costs four bytes a unit here.
pub(crate) struct PendingCounts {
    /// Per unit state: its place in `units`, `u32::MAX` for none yet.
    place: Vec<u32>,
    /// Per place: the unit's state and its lines in `lanes`.
    units: Vec<(usize, u8)>,
    /// Per place and one-byte answer, a vector per 16 items.
    lanes: Vec<[u8x16; GROUPS]>,
    per_unit: usize,
    /// Unit and group fields as written, and their place, asked before
    /// [`counts_as_known`](Aggregator::counts_as_known): by a few bits of the unit's.
    seen: Vec<Seen>,
    /// Lines this path took and declined: it stops trying where it rarely fits.
    taken: u64,
    declined: u64,
}

/// A field of up to 16 bytes as written: its bytes as two little-endian words (zero past its
/// end) and its length.
type Written = (u64, u64, u8);

/// The field of `data[a..b]` as written, when it has at most 16 bytes and the buffer has 16
/// from `a` (read at once).
#[inline(always)]
fn written(data: &[u8], a: usize, b: usize) -> Option<Written> {
    let len = b.checked_sub(a).filter(|&n| n <= 16)?;
    let w: &[u8; 16] = data.get(a..a + 16)?.try_into().ok()?;
    let word = |i: usize| w.get(8 * i..8 * i + 8).and_then(|s| <[u8; 8]>::try_from(s).ok()).map_or(0, u64::from_le_bytes);
    // The low `n` bytes of a word.
    let mask = |n: usize| if n == 0 { 0 } else { u64::MAX >> (64 - 8 * n.min(8)) };
    Some((word(0) & mask(len), word(1) & mask(len.saturating_sub(8)), len as u8))
}

/// Entries of [`PendingCounts::seen`] (a power of two).
const SEEN: usize = 256;

/// Entries looked at for one unit: with a few dozen units, every one finds a place (those
/// that find none are asked of `counts_as_known` each time).
const PROBES: usize = 4;

/// A unit field and group field as written (no group: zeros) and the unit's place.
#[derive(Clone, Copy)]
struct Seen {
    unit: Written,
    group: Written,
    place: u32,
}

/// An empty entry: no field is 255 bytes long.
const UNSEEN: Seen = Seen { unit: (0, 0, u8::MAX), group: (0, 0, 0), place: 0 };

fn seen_slot(unit: Written) -> usize {
    ((unit.0 ^ unit.1.rotate_left(29) ^ u64::from(unit.2)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize % SEEN
}

impl PendingCounts {
    pub(crate) fn new(shape: &CommonShape) -> Self {
        PendingCounts {
            place: Vec::new(),
            units: Vec::new(),
            lanes: Vec::new(),
            per_unit: shape.values.len(),
            seen: vec![UNSEEN; SEEN],
            taken: 0,
            declined: 0,
        }
    }

    /// The place of unit `state`, given one if it has none.
    fn place_of(&mut self, state: usize) -> Option<usize> {
        if self.place.len() <= state {
            self.place.resize(state + 1, u32::MAX);
        }
        let place = self.place.get_mut(state)?;
        if *place == u32::MAX {
            *place = u32::try_from(self.units.len()).ok()?;
            self.units.push((state, 0));
            self.lanes.resize(self.units.len() * self.per_unit, [u8x16::splat(0); GROUPS]);
        }
        usize::try_from(*place).ok()
    }

    /// Whether to offer lines at all: not once far more were declined than taken (lines
    /// longer than the masks, a design whose answers seldom take one byte).
    pub(crate) fn worth_trying(&self) -> bool {
        self.declined <= self.taken + 64
    }

    pub(crate) fn record(&mut self, taken: bool) {
        if taken {
            self.taken += 1;
        } else {
            self.declined += 1;
        }
    }
}

impl Aggregator {
    /// Adds the pending counts at `place` to its unit's counts and clears them.
    fn flush_place(&mut self, pending: &mut PendingCounts, shape: &CommonShape, place: usize) {
        let stride = self.compiled.n_levels + 2;
        let Some((state, lines)) = pending.units.get_mut(place) else {
            return;
        };
        let (Some(unit), Some(lanes)) = (
            self.units.get_mut(*state),
            pending.lanes.get_mut(place * pending.per_unit..(place + 1) * pending.per_unit),
        ) else {
            return;
        };
        let mut answered = [0u64; MAX_ITEMS];
        for (vectors, &(_, slot)) in lanes.iter().zip(&shape.values) {
            for (g, vector) in vectors.iter().enumerate() {
                for (lane, &n) in vector.to_array().iter().enumerate().take(shape.items.saturating_sub(16 * g)) {
                    let k = 16 * g + lane;
                    if let (Some(c), Some(a)) = (unit.counts.get_mut(k * stride + usize::from(slot)), answered.get_mut(k)) {
                        *c += u64::from(n);
                        *a += u64::from(n);
                    }
                }
            }
        }
        // The rest of the lines left the item empty.
        for (k, &a) in answered.iter().enumerate().take(shape.items) {
            if let Some(c) = unit.counts.get_mut(k * stride + usize::from(shape.missing)) {
                *c += u64::from(*lines).saturating_sub(a);
            }
        }
        unit.respondents += u64::from(*lines);
        lanes.fill([u8x16::splat(0); GROUPS]);
        *lines = 0;
    }

    /// The place in `pending` of the unit of a line whose unit field is `bytes[unit.0..unit.1]`
    /// (and group field `group`), when [`counts_as_known`](Aggregator::counts_as_known) allows
    /// counting it: as [`PendingCounts::seen`] remembers it, else asked and remembered.
    #[inline(always)]
    fn place_of_unit(&mut self, bytes: &[u8], unit: (usize, usize), group: Option<(usize, usize)>, pending: &mut PendingCounts) -> Option<usize> {
        let written_unit = written(bytes, unit.0, unit.1);
        let written_group = match group {
            Some((a, b)) => written(bytes, a, b),
            None => Some((0, 0, 0)),
        };
        // The entries from the unit's home on: the first that is its own or empty.
        let mut free = None;
        if let (Some(u), Some(g)) = (written_unit, written_group) {
            let home = seen_slot(u);
            for k in home..home + PROBES {
                let seen = pending.seen.get(k % SEEN)?;
                if seen.unit == u && seen.group == g {
                    return usize::try_from(seen.place).ok();
                }
                if seen.unit == UNSEEN.unit {
                    free = Some(k % SEEN);
                    break;
                }
            }
        }
        let group_bytes = group.and_then(|(a, b)| bytes.get(a..b));
        let state = self.counts_as_known(bytes.get(unit.0..unit.1)?, short_key_at(bytes, unit.0, unit.1), group_bytes)?;
        let place = pending.place_of(state)?;
        if let (Some(unit), Some(group), Some(seen)) = (written_unit, written_group, free.and_then(|k| pending.seen.get_mut(k))) {
            *seen = Seen { unit, group, place: u32::try_from(place).ok()? };
        }
        Some(place)
    }

    /// Adds every unit's pending counts to its counts.
    pub(crate) fn flush_pending(&mut self, mut pending: PendingCounts, shape: &CommonShape) {
        for place in 0..pending.units.len() {
            self.flush_place(&mut pending, shape, place);
        }
    }

    /// Counts the line at `pos` when it has the common shape, every answer on the scale or
    /// empty, and its unit is known with its group (as
    /// [`counts_as_known`](Aggregator::counts_as_known) allows). Returns where the next line
    /// starts; `None` (nothing done) for any other line.
    #[inline]
    pub(crate) fn add_common_line(
        &mut self,
        bytes: &[u8],
        pos: usize,
        shape: &CommonShape,
        pending: &mut PendingCounts,
        tally: &mut Tally,
    ) -> Option<usize> {
        let (delims, answers, end) = shape.masks(bytes, pos)?;
        let in_line = (1u128 << end) - 1;
        let mut delims = delims & in_line;
        // The leading fields: each ends at the next delimiter.
        let (mut unit, mut group) = ((0, 0), None);
        let mut start = 0;
        for role in &shape.lead {
            if delims == 0 {
                return None;
            }
            let sep = delims.trailing_zeros() as usize;
            delims &= delims - 1;
            match role {
                Role::Unit => unit = (pos + start, pos + sep),
                Role::Group => group = Some((pos + start, pos + sep)),
                _ => {}
            }
            start = sep + 1;
        }
        // The answers, from `start` to the line break: every byte a delimiter or a one-byte
        // answer, no two answers side by side, and one field per item.
        let region = in_line & !((1u128 << start) - 1);
        let on_scale = answers & region;
        if !(delims | answers) & region != 0 || on_scale & (on_scale >> 1) != 0 || delims.count_ones() as usize + 1 != shape.items {
            return None;
        }
        let next = match (bytes.get(pos + end), bytes.get(pos + end + 1)) {
            (Some(b'\n'), _) => pos + end + 1,
            (Some(b'\r'), Some(b'\n')) => pos + end + 2,
            _ => return None,
        };
        let answers = shape.gather(bytes, pos + start)?;
        let place = self.place_of_unit(bytes, unit, group, pending)?;
        let per_unit = pending.per_unit;
        if let Some(lanes) = pending.lanes.get_mut(place * per_unit..(place + 1) * per_unit) {
            for (&(byte, _), counts) in shape.values.iter().zip(lanes) {
                let byte = u8x16::splat(byte);
                for (c, a) in counts.iter_mut().zip(answers) {
                    // A match is all ones, -1: subtracting it counts one.
                    *c -= a.simd_eq(byte);
                }
            }
        }
        if let Some((_, lines)) = pending.units.get_mut(place) {
            *lines += 1;
            if *lines == u8::MAX {
                self.flush_place(pending, shape, place);
            }
        }
        tally.rows_read += 1;
        tally.rows_used += 1;
        Some(next)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::survey::csv::Columns;
    use crate::survey::csv_split::{Next, Splitter};
    use crate::survey::{AggregateOptions, CsvOptions, SurveyDesign};
    use proptest::prelude::*;

    /// A state and the columns of `header`: items q1..q`items` on the scale 1-5, missing code 9
    /// and not-applicable code 0 when `codes`, a group column `g` when the header has one.
    fn setup(header: &str, items: usize, codes: bool) -> (Aggregator, Columns) {
        setup_with(header, items, codes, b',')
    }

    fn setup_with(header: &str, items: usize, codes: bool, delimiter: u8) -> (Aggregator, Columns) {
        let list: Vec<String> = (1..=items).map(|k| format!(r#"{{"code": "q{k}", "element": "e"}}"#)).collect();
        let codes = if codes { r#", "missing_codes": [9], "not_applicable_codes": [0]"# } else { "" };
        let design =
            SurveyDesign::from_json(&format!(r#"{{"elements": [{{"code": "e"}}], "items": [{}]{codes}}}"#, list.join(", "))).unwrap();
        let options = CsvOptions {
            group_column: header.split(char::from(delimiter)).any(|c| c == "g").then(|| "g".into()),
            delimiter,
            ..CsvOptions::new("unit")
        };
        let mut split = Splitter::new(delimiter);
        let line = format!("{header}\n");
        let Next::Record(record) = split.next(line.as_bytes(), true) else { panic!("no header") };
        let agg = Aggregator::new(&design, AggregateOptions { weighted: false }).unwrap();
        let (cols, _) = Columns::from_header(&record, &design, &agg.compiled, &options).unwrap();
        (agg, cols)
    }

    fn header(lead: &str, items: usize) -> String {
        let qs: Vec<String> = (1..=items).map(|k| format!("q{k}")).collect();
        format!("{lead},{}", qs.join(","))
    }

    #[test]
    fn which_headers_have_the_common_shape() {
        let shape = |lead: &str, items: usize, codes: bool| setup(&header(lead, items), items, codes).1.common.is_some();
        assert!(shape("unit", 33, false));
        assert!(shape("unit,g,note", 19, true));
        assert!(shape("note,unit", 64, false));
        // More than 64 items; no unit before the answers; an item column before the unit.
        assert!(!shape("unit", 65, false));
        let (_, cols) = setup("q1,unit,q2", 2, false);
        assert!(cols.common.is_none());
        let (_, cols) = setup("q2,q1,unit", 2, false);
        assert!(cols.common.is_none());
        // Items out of design order.
        let (_, cols) = setup("unit,q2,q1", 2, false);
        assert!(cols.common.is_none());
    }

    #[test]
    fn one_byte_answers_in_at_most_two_ranges() {
        let slots = |codes: &[u8]| {
            let mut s = [super::super::design::NO_SLOT; 256];
            for (i, &c) in codes.iter().enumerate() {
                s[usize::from(c)] = i as u8;
            }
            s[usize::from(b',')] = 9;
            s
        };
        let roles = [Role::Unit, Role::Item(0)];
        let one = CommonShape::of(&roles, &slots(b"12345"), b',').unwrap();
        assert_eq!(one.answers, [(b'1', b'5'), (b'1', b'5')]);
        assert_eq!(one.values.len(), 5);
        let two = CommonShape::of(&roles, &slots(b"0123459"), b',').unwrap();
        assert_eq!(two.answers, [(b'0', b'5'), (b'9', b'9')]);
        assert!(CommonShape::of(&roles, &slots(b"1357"), b',').is_none());
        // No one-byte answer at all (a scale of two-digit codes).
        assert!(CommonShape::of(&roles, &slots(b""), b',').is_none());
    }

    #[test]
    fn six_hundred_lines_of_each_of_two_units_are_counted_exactly() {
        // More than 255 lines of each unit in one block: their byte lanes are added to their
        // counts before they overflow. Line i answers q1 with 1 + i % 5, leaves q2 empty every
        // third line, and answers q3 with 5 (unit A) or 0, not applicable (unit B).
        let (mut agg, cols) = setup(&header("unit", 3), 3, true);
        assert!(cols.common.is_some());
        let mut bytes = Vec::new();
        for i in 0..1200 {
            let q2 = if i / 2 % 3 == 0 { String::new() } else { "4".into() };
            let (unit, q3) = if i % 2 == 0 { ("A", 5) } else { ("B", 0) };
            bytes.extend_from_slice(format!("{unit},{},{q2},{q3}\n", 1 + i / 2 % 5).as_bytes());
        }
        let mut t = Tally::default();
        assert_eq!(agg.add_plain_or_split(&bytes, 2, &cols, &mut t), 1200);
        assert_eq!((t.rows_read, t.rows_used), (1200, 1200));
        for (u, q3) in agg.units.iter().zip([[0, 0, 0, 0, 600, 0, 0], [0, 0, 0, 0, 0, 0, 600]]) {
            assert_eq!(u.respondents, 600);
            // Per item: levels 1-5, missing, not applicable.
            assert_eq!(u.counts[0..7], [120, 120, 120, 120, 120, 0, 0]);
            assert_eq!(u.counts[7..14], [0, 0, 0, 400, 0, 200, 0]);
            assert_eq!(u.counts[14..21], q3);
        }
    }

    /// More units than [`PendingCounts::seen`] holds, ids of 3 to 22 bytes (those over 16 are
    /// never remembered; many share their first 8 or 16 bytes), each unit in one of two
    /// groups: every line still counted for its own unit, as the general splitter counts it,
    /// and a line of a unit in another group left to it.
    #[test]
    fn many_units_of_ids_short_and_long_are_counted_as_the_general_splitter_counts() {
        let (mut general, cols) = setup(&header("unit,g", 2), 2, false);
        assert!(cols.common.is_some());
        let mut fast = general.clone();
        let line = |i: usize, u: usize, group: &str| format!("{}{u:03},{group},{},{}\n", "x".repeat(u % 20), 1 + i % 5, 1 + u % 5);
        let group = |u: usize| if u % 2 == 0 { "a" } else { "b" };
        // The units made known first, then lines of them in another order.
        let known: String = (0..600).map(|u| line(0, u, group(u))).collect();
        let mut lines = String::new();
        for i in 0..6000usize {
            let u = i * 7 % 600;
            // Now and then a line of another group, of a unit with a 13-byte id.
            lines.push_str(&line(i, u, if i % 500 == 250 { "c" } else { group(u) }));
        }
        let (mut t1, mut t2) = (Tally::default(), Tally::default());
        for (block, first) in [(&known, 2), (&lines, 602)] {
            general.add_records(block.as_bytes(), first, &cols, &mut t1);
            fast.add_plain_or_split(block.as_bytes(), first, &cols, &mut t2);
        }
        assert_eq!(fast.units.len(), 600);
        assert!(general == fast);
        assert_eq!((t2.rows_read, t2.rows_used), (6600, 6588));
        assert_eq!(t1.rejections, t2.rejections);
    }

    #[test]
    fn a_line_of_a_known_unit_is_taken_and_any_other_left_untouched() {
        let (mut agg, cols) = setup(&header("unit,g", 3), 3, true);
        let shape = cols.common.clone().unwrap();
        let mut t = Tally::default();
        let long = format!("{},,1,2,3\n", "Y".repeat(130));
        agg.add_plain_or_split(format!("A,,1,2,3\n{long}").as_bytes(), 2, &cols, &mut t);
        assert_eq!(agg.units.len(), 2);
        let before = agg.clone();
        // The masks read 128 bytes from the line, the answers 128 from their first byte.
        let padded = |line: &str| format!("{line}{}", " ".repeat(256)).into_bytes();
        let mut pending = PendingCounts::new(&shape);
        for line in [
            "B,,1,2,3\n",    // a unit not seen yet
            "A,g,1,2,3\n",   // another group than the unit's
            "A,,1,22,3\n",   // a two-byte answer
            "A,,1,7,3\n",    // off the scale
            "A,,1,2\n",      // a field too few
            "A,,1,2,3,4\n",  // a field too many
            "A,,1,2,3\r5\n", // a lone `\r`
        ] {
            assert_eq!(agg.add_common_line(&padded(line), 0, &shape, &mut pending, &mut t), None, "{line:?}");
        }
        // A known unit, on a line longer than the masks.
        assert_eq!(agg.add_common_line(&padded(&long), 0, &shape, &mut pending, &mut t), None);
        agg.flush_pending(pending, &shape);
        assert!(agg == before);
        let mut pending = PendingCounts::new(&shape);
        assert_eq!(agg.add_common_line(&padded("A,,,9,0\r\n"), 0, &shape, &mut pending, &mut t), Some(9));
        assert_eq!(agg.add_common_line(&padded("A,,5,,\n"), 0, &shape, &mut pending, &mut t), Some(7));
        agg.flush_pending(pending, &shape);
        let u = &agg.units[0];
        assert_eq!(u.respondents, 3);
        assert_eq!(u.counts[0..7], [1, 0, 0, 0, 1, 1, 0]);
        assert_eq!(u.counts[7..14], [0, 1, 0, 0, 0, 2, 0]);
        assert_eq!(u.counts[14..21], [0, 0, 1, 0, 0, 1, 1]);
    }

    /// Lines of the header `unit,g,note,q1..` with `items` items and this delimiter: mostly
    /// one-byte answers and blanks, sometimes an odd cell, a field too many or too few, a line
    /// break of another kind.
    fn body(items: usize, delim: char) -> impl Strategy<Value = Vec<u8>> {
        let answer = prop_oneof![
            30 => prop::sample::select(vec!["1", "4", "5", "9", "0"]),
            6 => Just(""),
            1 => prop::sample::select(vec!["7", "x", "44", " 4", "\r", "-1", ",", ";"]),
        ];
        let unit = prop_oneof![10 => prop::sample::select(vec!["A", "B", "unit-17"]), 1 => prop::sample::select(vec![" A", "", "C\r"])];
        let group = prop_oneof![10 => prop::sample::select(vec!["", "g"]), 1 => prop::sample::select(vec!["h", " g"])];
        let note = prop::sample::select(vec!["", "n", "a longer note of some 40 bytes or so...."]);
        let answers = prop_oneof![
            20 => prop::collection::vec(answer.clone(), items..=items),
            1 => prop::collection::vec(answer, items.saturating_sub(2)..items + 3),
        ];
        let end = prop_oneof![20 => Just("\n"), 3 => Just("\r\n"), 1 => Just("\r"), 1 => Just("\n\n")];
        let line = (unit, group, note, answers, end);
        prop::collection::vec(line, 0..60).prop_map(move |lines| {
            let mut out = Vec::new();
            let d = delim.to_string();
            for (unit, group, note, answers, end) in lines {
                let fields = [unit, group, note].into_iter().chain(answers).collect::<Vec<_>>();
                out.extend_from_slice(format!("{}{end}", fields.join(&d)).as_bytes());
            }
            out
        })
    }

    fn blocks() -> impl Strategy<Value = (usize, char, Vec<u8>, Vec<u8>)> {
        (prop::sample::select(vec![1usize, 16, 19, 33]), prop::sample::select(vec![',', ';']))
            .prop_flat_map(|(items, delim)| (Just(items), Just(delim), body(items, delim), body(items, delim)))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Lines of the common shape counted from their bytes, and every other line, give what
        /// the general splitter gives: same state, rows, rejections, line numbers and line
        /// feeds, over two blocks (the second starting with units the first made known).
        #[test]
        fn common_lines_equal_the_general_splitter((items, delim, first, second) in blocks(), codes in any::<bool>()) {
            let lead = format!("unit{delim}g{delim}note");
            let qs: Vec<String> = (1..=items).map(|k| format!("q{k}")).collect();
            let header = format!("{lead}{delim}{}", qs.join(&delim.to_string()));
            let (mut general, cols) = setup_with(&header, items, codes, delim as u8);
            prop_assert!(cols.common.is_some());
            let mut fast = general.clone();
            let (mut t1, mut t2) = (Tally::default(), Tally::default());
            let mut line = 2;
            for block in [&first, &second] {
                general.add_records(block, line, &cols, &mut t1);
                let feeds = fast.add_plain_or_split(block, line, &cols, &mut t2);
                prop_assert_eq!(feeds, block.iter().filter(|&&b| b == b'\n').count() as u64);
                line += feeds;
            }
            prop_assert!(general == fast);
            prop_assert_eq!((t1.rows_read, t1.rows_used, t1.state_dependent), (t2.rows_read, t2.rows_used, t2.state_dependent));
            prop_assert_eq!(t1.rejections, t2.rejections);
        }
    }
}
