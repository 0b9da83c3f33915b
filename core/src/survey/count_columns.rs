//! The fast path of [`Aggregator::add_columns`]: a column-wise table counted column by column.
//!
//! Rows are first resolved to their unit's state (and weight) once. Then each answer column is
//! read once, start to end, into a small table of counters (units x answer slots, a few KiB,
//! in the fastest cache), items split between the machine's cores. Four copies of the table,
//! taken in turn by consecutive rows, keep rows of one unit with the same answer from waiting
//! on each other's increment. Unweighted, unfiltered items are counted two at a time, one
//! increment per row for both answers (see [`Task`]).
//!
//! This path only counts rows the row-by-row path would count: at the first sign of a row it
//! would reject (an answer off the scale, no unit, a bad weight, a group conflict, an overflow)
//! it gives up, and the caller adds the rows one by one, which reports the first bad row. The
//! state is the same either way (tested as a property in `core/tests/survey_columns.rs`).

use super::aggregate::{pow10, Aggregator, MAX_MANTISSA, MAX_WEIGHT_SCALE};
use super::columns::{weight_decimal, ResponseColumns};
use super::design::Compiled;

/// Rows counted by one table copy in turn (see the module notes).
const LANES: usize = 4;

/// The largest table of pair counters (states x slots x a row of [`pair_row`] slots) counted
/// in one go; larger designs count items one at a time.
const MAX_PAIR_TABLE: usize = 128 << 10;

/// Below this many answers a second thread costs more than it saves.
const MIN_ANSWERS_PER_THREAD: usize = 100_000;

/// Rows counted together by [`Aggregator::count_pair`], and counted again the slower way when
/// one of their answers needs more than its top 16 bits: a few KiB of answers, still in the
/// fastest cache then.
const BLOCK: usize = 128;

/// Bits below the top 16 of an `f64`: zero for the usual NaN and for every whole number of at
/// most five significant bits (all up to 31, and 32, 48, 64, ...), so those answers are found
/// by their top 16 bits in one table lookup. Others (a missing code 99, say) take the slower
/// lookup, and a block of rows holding one of them is counted answer by answer.
const LOW_BITS: u64 = (1 << 48) - 1;

/// Where an answer is counted, by the top 16 bits of its `f64` when the others are zero: its
/// slot ([`Compiled::slot`]), or `bad` (one past the slots) when it is off the scale.
struct SlotTable {
    table: Box<[u8; 1 << 16]>,
    bad: u8,
}

impl SlotTable {
    fn new(c: &Compiled) -> Self {
        let bad = (c.n_levels + 2) as u8;
        let mut table = Box::new([bad; 1 << 16]);
        let mut put = |v: f64, slot: u8| {
            let bits = v.to_bits();
            if bits & LOW_BITS == 0 {
                table[(bits >> 48) as usize] = slot;
            }
        };
        for (code, slot) in c.codes() {
            #[allow(clippy::cast_precision_loss)] // a code of up to 2^12 is exact
            let v = code as f64;
            put(v, slot);
            if code == 0 {
                put(-0.0, slot);
            }
        }
        put(f64::NAN, c.slot(None));
        put(-f64::NAN, c.slot(None));
        SlotTable { table, bad }
    }

    /// The same table with every slot shifted left by `shift` (a pair's first answer, at the
    /// start of its row of counters); `None` when a shifted slot does not fit a byte.
    fn shifted(&self, shift: u32) -> Option<SlotTable> {
        let bad = self.bad.checked_shl(shift).filter(|b| b >> shift == self.bad)?;
        let mut table = Box::new([0u8; 1 << 16]);
        for (to, &from) in table.iter_mut().zip(self.table.iter()) {
            // Every slot is at most `bad`.
            *to = from << shift;
        }
        Some(SlotTable { table, bad })
    }

    /// The slot of an answer, `bad` when it is off the scale.
    #[inline(always)]
    fn slot(&self, v: f64, c: &Compiled) -> u8 {
        if v.to_bits() & LOW_BITS == 0 {
            self.top(v)
        } else {
            self.other(v, c)
        }
    }

    /// The slot of an answer whose bits below the top 16 are zero.
    #[inline(always)]
    fn top(&self, v: f64) -> u8 {
        self.table[top_bits(v.to_bits())]
    }

    /// The slots of two answers; one test of both for the usual case.
    #[inline(always)]
    fn slots(&self, x: f64, y: f64, c: &Compiled) -> (u8, u8) {
        let (a, b) = (x.to_bits(), y.to_bits());
        if (a | b) & LOW_BITS == 0 {
            (self.top(x), self.top(y))
        } else {
            (self.slot(x, c), self.slot(y, c))
        }
    }

    /// Other NaNs, and whole codes above 2^12 or with more significant bits (a missing code
    /// 99, say).
    #[cold]
    fn other(&self, v: f64, c: &Compiled) -> u8 {
        c.float_slot(v).unwrap_or(self.bad)
    }
}

/// Per row: its counter offset (lane and state), and its weight mantissa at the common scale
/// (empty without weights). Weight sums are kept in 64 bits: a table whose units' weight
/// totals (or totals of squares) do not fit is added row by row.
struct Rows {
    offset: Vec<u32>,
    state: Vec<u32>,
    weight: Vec<i64>,
    /// Counters per lane.
    lane: usize,
    /// Per row, the first of its state's pair counters (empty when items are not paired).
    pair: Vec<u32>,
}

/// Work for one thread at a time: an item, or two items counted together. Unweighted and
/// unfiltered items go in pairs: one counter per state and pair of answers takes a row's two
/// answers in one increment (the increments, not the reads, bound this loop), and the pair
/// counts are split into the two items' counts after.
#[derive(Clone, Copy)]
enum Task {
    One(usize),
    Two(usize, usize),
}

/// A thread's scratch counters, zero between tasks.
struct Scratch {
    lanes: Vec<u32>,
    pairs: Vec<u32>,
}

/// One item's counts: per state, `levels + 2` counters; per state and level, weight sums.
struct ItemCounts {
    counts: Vec<u64>,
    wsum: Vec<i128>,
    w2sum: Vec<i128>,
}

impl Aggregator {
    /// A new state holding exactly the rows of `cols` (lengths already checked), or `None`
    /// when a row would be rejected or the table is too large to count this way.
    pub(crate) fn count_columns(&self, cols: &ResponseColumns<'_>) -> Option<Aggregator> {
        let mut fresh = self.empty_like();
        let rows = fresh.resolve_rows(cols)?;
        let c = &fresh.compiled;
        let (n_items, n_levels, stride) = (c.n_items, c.n_levels, c.n_levels + 2);
        let n_states = fresh.units.len();
        if n_states == 0 {
            return Some(fresh);
        }
        let table = SlotTable::new(c);
        let block = stride + 1;
        let pair_cells = block * pair_row(stride);
        let pair_table = n_states.checked_mul(pair_cells * 4);
        let paired = !self.options.weighted && pair_table.is_some_and(|bytes| bytes <= MAX_PAIR_TABLE);
        let tasks = tasks(c, paired);
        // (Not worth its 64 KiB for less than a block of rows.)
        let first = if paired && cols.units.len() >= BLOCK { table.shifted(pair_row(stride).trailing_zeros()) } else { None };
        let mut rows = rows;
        if paired {
            rows.pair = rows.state.iter().map(|&s| (s as usize * pair_cells) as u32).collect();
        }
        let threads = crate::parallel::cores().min((cols.units.len().saturating_mul(n_items) / MIN_ANSWERS_PER_THREAD).max(1));
        // Per state, a counter for each slot and one for answers off the scale.
        let size = n_states * (stride + 1);
        let scratch = || Scratch {
            lanes: vec![0u32; LANES * size],
            pairs: vec![0u32; if paired { n_states * pair_cells } else { 0 }],
        };
        let counted: Option<Vec<Vec<(usize, ItemCounts)>>> = crate::parallel::map_chunks(&tasks, threads, 1, &scratch, &|scratch, &task| match task {
            Task::One(i) => Some(vec![(i, fresh.count_item(i, cols, &rows, &table, &mut scratch.lanes)?)]),
            Task::Two(i, j) => {
                let [a, b] = fresh.count_pair([i, j], cols, &rows, &table, first.as_ref(), &mut scratch.pairs)?;
                Some(vec![(i, a), (j, b)])
            }
        })
        .into_iter()
        .collect();
        // Each item's counts go to its place (a filtered item may sit between a pair's two).
        for (i, item) in counted?.into_iter().flatten() {
            for (s, unit) in fresh.units.iter_mut().enumerate() {
                unit.counts[i * stride..(i + 1) * stride]
                    .copy_from_slice(&item.counts[s * stride..(s + 1) * stride]);
                if !item.wsum.is_empty() {
                    let (a, b) = (i * n_levels, s * n_levels);
                    unit.wsum[a..a + n_levels].copy_from_slice(&item.wsum[b..b + n_levels]);
                    unit.w2sum[a..a + n_levels].copy_from_slice(&item.w2sum[b..b + n_levels]);
                }
            }
        }
        Some(fresh)
    }

    /// Creates a state for each unit (in order of first row), counts its respondents and
    /// weights, and gives each row its counters.
    fn resolve_rows(&mut self, cols: &ResponseColumns<'_>) -> Option<Rows> {
        let n = cols.units.len();
        let stride = self.compiled.n_levels + 2;
        // Counts must fit the u32 counters.
        u32::try_from(n).ok()?;
        let mut state_of_code: Vec<u32> = vec![u32::MAX; cols.unit_names.len()];
        // Per state: the group code of its first row (-1 for none).
        let mut group_of_state: Vec<i64> = Vec::new();
        let mut rows = Rows {
            offset: Vec::new(),
            state: Vec::with_capacity(n),
            weight: Vec::new(),
            lane: 0,
            pair: Vec::new(),
        };
        let group_name = |g: i64| {
            usize::try_from(g)
                .ok()
                .and_then(|g| cols.group_names.get(g))
                .map(String::as_str)
        };
        for k in 0..n {
            let code = usize::try_from(cols.units[k]).ok()?;
            let g = cols.groups.map_or(-1, |gs| gs[k]);
            let g = if group_name(g).is_some() { g } else { -1 };
            let mut state = *state_of_code.get(code)?;
            if state == u32::MAX {
                let name = cols.unit_names.get(code)?;
                if name.is_empty() {
                    return None;
                }
                // Two codes may name one unit.
                let s = match self.unit_index(name) {
                    Some(s) => s,
                    None => {
                        group_of_state.push(g);
                        self.push_unit(name, group_name(g))
                    }
                };
                state = u32::try_from(s).ok()?;
                state_of_code[code] = state;
            }
            let s = state as usize;
            if group_of_state[s] != g && group_name(group_of_state[s]) != group_name(g) {
                return None;
            }
            self.units[s].respondents += 1;
            rows.state.push(state);
        }
        // Counter offsets (lane, then state) must fit u32 indices.
        let block = stride + 1;
        let lane = self.units.len() * block;
        u32::try_from(LANES * lane).ok()?;
        rows.lane = lane;
        rows.offset = rows
            .state
            .iter()
            .enumerate()
            .map(|(k, &s)| ((k % LANES) * lane + s as usize * block) as u32)
            .collect();
        if self.options.weighted {
            self.resolve_weights(cols, &mut rows)?;
        }
        Some(rows)
    }

    /// Each row's weight as a mantissa at the largest scale seen (and its square); the units'
    /// totals, which bound every sum, within a decimal's mantissa.
    fn resolve_weights(&mut self, cols: &ResponseColumns<'_>, rows: &mut Rows) -> Option<()> {
        let weights = cols.weights?;
        let mut exact = Vec::with_capacity(weights.len());
        let mut scale = 0;
        for &w in weights {
            let d = weight_decimal(w)?.normalize();
            if d <= rust_decimal::Decimal::ZERO || d.scale() > MAX_WEIGHT_SCALE {
                return None;
            }
            scale = scale.max(d.scale());
            exact.push(d);
        }
        rows.weight.reserve(exact.len());
        for (d, &s) in exact.iter().zip(&rows.state) {
            let m = d.mantissa().checked_mul(pow10(scale - d.scale()))?;
            let m2 = m.checked_mul(m)?;
            let unit = &mut self.units[s as usize];
            unit.weight_sum = unit.weight_sum.checked_add(m).filter(|v| *v <= MAX_MANTISSA)?;
            unit.weight_sq_sum = unit.weight_sq_sum.checked_add(m2).filter(|v| *v <= MAX_MANTISSA)?;
            rows.weight.push(i64::try_from(m).ok()?);
        }
        // Every sum is bounded by its unit's totals: when those fit 64 bits, so do the sums.
        if self.units.iter().any(|u| i64::try_from(u.weight_sq_sum).is_err() || i64::try_from(u.weight_sum).is_err()) {
            return None;
        }
        self.wscale = scale;
        Some(())
    }

    /// Counts one item's column into `lanes` (all zero on entry and on return).
    fn count_item(
        &self,
        i: usize,
        cols: &ResponseColumns<'_>,
        rows: &Rows,
        table: &SlotTable,
        lanes: &mut [u32],
    ) -> Option<ItemCounts> {
        let c = &self.compiled;
        let (n_levels, stride) = (c.n_levels, c.n_levels + 2);
        let answers = cols.answers[i];
        let filter = c.filters[i].map(|(f, bits)| (cols.answers[f], bits));
        // Only respondents whose filter answer is an allowed level are asked the item.
        let asked = |k: usize| {
            filter.is_none_or(|(source, bits)| {
                let f = usize::from(table.slot(source[k], c));
                f < n_levels && bits & (1u64 << f) != 0
            })
        };
        let not_asked = (n_levels + 1) as u8;
        let block = stride + 1;
        let slot_of = |k: usize, v: f64| {
            let slot = table.slot(v, c);
            if filter.is_some() && slot != table.bad && !asked(k) {
                not_asked
            } else {
                slot
            }
        };
        // Weight sums (and of squares): per state, `block` cells (the levels' are kept).
        let weighted = self.options.weighted;
        let mut sums = vec![[0i64; 2]; if weighted { rows.lane } else { 0 }];
        if weighted {
            for (k, (&v, &offset)) in answers.iter().zip(&rows.offset).enumerate() {
                let slot = usize::from(slot_of(k, v));
                let offset = offset as usize + slot;
                if let Some(n) = lanes.get_mut(offset) {
                    *n += 1;
                }
                // Bounded by the unit totals checked in `resolve_weights`.
                if let (Some(s), Some(&w)) = (sums.get_mut(offset - (k % LANES) * rows.lane), rows.weight.get(k)) {
                    s[0] += w;
                    s[1] += w * w;
                }
            }
        } else if filter.is_none() {
            for (&v, &offset) in answers.iter().zip(&rows.offset) {
                let slot = table.slot(v, c);
                if let Some(n) = lanes.get_mut(offset as usize + usize::from(slot)) {
                    *n += 1;
                }
            }
        } else {
            for (k, (&v, &offset)) in answers.iter().zip(&rows.offset).enumerate() {
                let slot = slot_of(k, v);
                if let Some(n) = lanes.get_mut(offset as usize + usize::from(slot)) {
                    *n += 1;
                }
            }
        }
        // Per state, `stride` counters and one of answers off the scale.
        let size = lanes.len() / LANES;
        let n_states = size / block;
        let mut counts = vec![0u64; n_states * stride];
        let mut bad = 0u64;
        for lane in lanes.chunks_exact_mut(size) {
            for (s, cells) in lane.chunks_exact_mut(block).enumerate() {
                for (total, n) in counts[s * stride..(s + 1) * stride].iter_mut().zip(cells.iter()) {
                    *total += u64::from(*n);
                }
                bad += u64::from(cells[stride]);
                cells.fill(0);
            }
        }
        if bad > 0 {
            return None;
        }
        let keep = |part: usize| -> Vec<i128> {
            sums.chunks_exact(block).flat_map(|cells| cells[..n_levels].iter().map(move |s| i128::from(s[part]))).collect()
        };
        let (wsum, w2sum) = (keep(0), keep(1));
        Some(ItemCounts { counts, wsum, w2sum })
    }

    /// Counts two unfiltered items' columns together, unweighted, into `pairs` (all zero on
    /// entry and on return): per state, one counter for each pair of slots (`bad` included).
    fn count_pair(
        &self,
        items: [usize; 2],
        cols: &ResponseColumns<'_>,
        rows: &Rows,
        table: &SlotTable,
        first: Option<&SlotTable>,
        pairs: &mut [u32],
    ) -> Option<[ItemCounts; 2]> {
        let c = &self.compiled;
        let stride = c.n_levels + 2;
        let block = stride + 1;
        let row = pair_row(stride);
        let shift = row.trailing_zeros();
        let (xs, ys) = (cols.answers[items[0]], cols.answers[items[1]]);
        let add = |pairs: &mut [u32], offset: u32, (x, y): (u8, u8)| {
            let cell = offset as usize + (usize::from(x) << shift) + usize::from(y);
            if let Some(n) = pairs.get_mut(cell) {
                *n += 1;
            }
        };
        // A block of rows at a time, one lookup per answer (the first answer's slot already
        // shifted to its row), the same pass checking that no answer needs more than its top
        // 16 bits; a block where one does is counted again the slower way.
        let (x_blocks, y_blocks, pair_blocks) = (xs.chunks_exact(BLOCK), ys.chunks_exact(BLOCK), rows.pair.chunks_exact(BLOCK));
        let rest = (x_blocks.remainder(), y_blocks.remainder(), pair_blocks.remainder());
        for ((x, y), offset) in x_blocks.zip(y_blocks).zip(pair_blocks) {
            let usual = first.is_some_and(|first| count_usual_block([&first.table, &table.table], [x, y], offset, pairs));
            if !usual {
                for ((&a, &b), &offset) in x.iter().zip(y).zip(offset) {
                    add(pairs, offset, table.slots(a, b, c));
                }
            }
        }
        for ((&a, &b), &offset) in rest.0.iter().zip(rest.1).zip(rest.2) {
            add(pairs, offset, table.slots(a, b, c));
        }
        let n_states = pairs.len() / (block * row);
        let mut counts = [vec![0u64; n_states * stride], vec![0u64; n_states * stride]];
        // Row x of a state's cells holds the first answer x; column y the second answer y. Sums
        // without a branch per cell (most cells are zero or not, at random).
        let mut bad = 0u32;
        for (s, cells) in pairs.chunks_exact_mut(block * row).enumerate() {
            let [first, second] = &mut counts;
            let (first, second) = (&mut first[s * stride..(s + 1) * stride], &mut second[s * stride..(s + 1) * stride]);
            for (x, cells) in cells.chunks_exact(row).enumerate() {
                let (good, off_scale) = cells.split_at(stride);
                bad |= off_scale[0];
                if let Some(total) = first.get_mut(x) {
                    *total += good.iter().map(|&n| u64::from(n)).sum::<u64>();
                    for (total, &n) in second.iter_mut().zip(good) {
                        *total += u64::from(n);
                    }
                } else {
                    bad |= good.iter().fold(0, |acc, &n| acc | n);
                }
            }
            cells.fill(0);
        }
        if bad != 0 {
            return None;
        }
        Some(counts.map(|counts| ItemCounts {
            counts,
            wsum: Vec::new(),
            w2sum: Vec::new(),
        }))
    }
}

/// Counts a block of rows in pairs (see [`Aggregator::count_pair`]) by the top 16 bits of
/// their answers: `tables` give the first answer's slot shifted to its row and the second's
/// slot. `false`, with the block's counts taken back, when an answer needs its other bits too
/// (then the caller counts the block the slower way); answers are read once either way in the
/// usual case. Kept apart so that the hot loop has the registers to itself.
#[inline(never)]
fn count_usual_block(tables: [&[u8; 1 << 16]; 2], [x, y]: [&[f64]; 2], offset: &[u32], pairs: &mut [u32]) -> bool {
    let cell = |a: u64, b: u64, offset: u32| offset as usize + usize::from(tables[0][top_bits(a)]) + usize::from(tables[1][top_bits(b)]);
    let mut low = 0;
    for ((&a, &b), &offset) in x.iter().zip(y).zip(offset) {
        let (a, b) = (a.to_bits(), b.to_bits());
        low |= a | b;
        if let Some(n) = pairs.get_mut(cell(a, b, offset)) {
            *n += 1;
        }
    }
    if low & LOW_BITS == 0 {
        return true;
    }
    for ((&a, &b), &offset) in x.iter().zip(y).zip(offset) {
        if let Some(n) = pairs.get_mut(cell(a.to_bits(), b.to_bits(), offset)) {
            // Added just above: no wrap.
            *n = n.wrapping_sub(1);
        }
    }
    false
}

/// The top 16 bits of an answer's `f64` bits: its place in a [`SlotTable`].
#[inline(always)]
fn top_bits(bits: u64) -> usize {
    usize::from((bits >> 48) as u16)
}

/// The width of a state's row of pair counters: a power of two (a shift, not a multiply, per
/// increment), at least the slots and one for answers off the scale.
fn pair_row(stride: usize) -> usize {
    (stride + 1).next_power_of_two()
}

/// The items in design order, consecutive unfiltered items in pairs when `paired`.
fn tasks(c: &Compiled, paired: bool) -> Vec<Task> {
    let mut tasks = Vec::with_capacity(c.n_items);
    let mut open: Option<usize> = None;
    for i in 0..c.n_items {
        if !paired || c.filters[i].is_some() {
            tasks.push(Task::One(i));
            continue;
        }
        match open.take() {
            Some(first) => tasks.push(Task::Two(first, i)),
            None => open = Some(i),
        }
    }
    tasks.extend(open.map(Task::One));
    tasks
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::survey::{AggregateOptions, SurveyDesign};
    use proptest::prelude::*;

    /// A filtered item between two that are counted as a pair (unweighted).
    fn design() -> SurveyDesign {
        SurveyDesign::from_json(
            r#"{"elements": [{"code": "e"}],
                "items": [{"code": "q1", "element": "e"},
                          {"code": "q3", "element": "e", "filter": "q1", "filter_levels": [4, 5]},
                          {"code": "q2", "element": "e"}],
                "missing_codes": [9, 99], "not_applicable_codes": [0]}"#,
        )
        .unwrap()
    }

    /// Good answers; with `rare`, some found the slow way (another NaN, 99) or unusual (-0, 0,
    /// 9); with `odd`, sometimes an answer off the scale (7, 2.5, infinity, -1, 2^60). Without
    /// `rare`, whole blocks of rows take the usual path.
    fn answer(odd: u32, rare: u32) -> impl Strategy<Value = f64> {
        prop_oneof![
            40 => (1u8..=5).prop_map(f64::from),
            6 => Just(f64::NAN),
            rare => prop::sample::select(vec![f64::from_bits(0x7FF8_0000_0000_0001), -0.0, 0.0, 9.0, 99.0]),
            odd => prop::sample::select(vec![7.0, 2.5, f64::INFINITY, -1.0, 1_152_921_504_606_846_976.0]),
        ]
    }

    fn weight(odd: u32) -> impl Strategy<Value = f64> {
        prop_oneof![
            40 => (100u32..500).prop_map(|w| f64::from(w) / 100.0),
            1 => Just(0.1),
            odd => prop::sample::select(vec![0.0, -1.0, f64::NAN, 1e-20, 3.0e9, 1e20, 0.123_456_789_012_345]),
        ]
    }

    #[derive(Debug, Clone)]
    struct Table {
        units: Vec<i64>,
        unit_names: Vec<String>,
        groups: Vec<i64>,
        group_names: Vec<String>,
        weights: Vec<f64>,
        answers: Vec<Vec<f64>>,
    }

    /// Units 0 and 3 are both "A"; groups 0 and 2 both "g". With `odd`, sometimes a row with
    /// no unit (code -1, 9, or unit 2, whose name is empty) or a conflicting group.
    fn table() -> impl Strategy<Value = Table> {
        (prop_oneof![Just(0u32), Just(1u32)], prop_oneof![Just(0u32), Just(2u32)]).prop_flat_map(|(odd, rare)| {
            let row = (
                prop_oneof![40 => prop::sample::select(vec![0i64, 1, 3]), odd => prop::sample::select(vec![-1i64, 2, 9])],
                prop_oneof![40 => Just(0i64), odd => prop::sample::select(vec![-1i64, 1, 2])],
                weight(odd),
                prop::collection::vec(answer(odd, rare), 3),
            );
            // Up to three blocks of rows (and a part of one).
            (prop::collection::vec(row, 0..3 * BLOCK + 40), any::<bool>()).prop_map(|(rows, group_by_unit)| {
                let mut t = Table {
                    units: Vec::new(),
                    unit_names: vec!["A".into(), "B".into(), String::new(), "A".into()],
                    groups: Vec::new(),
                    group_names: vec!["g".into(), "h".into(), "g".into()],
                    weights: Vec::new(),
                    answers: vec![Vec::new(); 3],
                };
                for (u, g, w, a) in rows {
                    t.units.push(u);
                    // Groups by unit (A in g, B in h), or as drawn.
                    t.groups.push(if group_by_unit { [0, 1, 1, 2][u.clamp(0, 3) as usize] } else { g });
                    t.weights.push(w);
                    for (col, v) in t.answers.iter_mut().zip(a) {
                        col.push(v);
                    }
                }
                t
            })
        })
    }

    fn columns(t: &Table) -> (Vec<&[f64]>, ResponseColumns<'_>) {
        let answers: Vec<&[f64]> = t.answers.iter().map(Vec::as_slice).collect();
        let cols = ResponseColumns {
            units: &t.units,
            unit_names: &t.unit_names,
            groups: Some(&t.groups),
            group_names: &t.group_names,
            weights: Some(&t.weights),
            answers: &[],
            first_row: 1,
        };
        (answers, cols)
    }

    /// Cases where the column path had to be taken (the property is not vacuous).
    static COUNTED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Counting column by column (with its row-by-row fallback) gives the state and error of
        /// adding the rows one by one, into an empty state or one holding rows already; and on a
        /// table of good rows (whose weight sums fit 64 bits) the column path is the one taken.
        #[test]
        fn column_counting_equals_row_by_row(t in table(), before in table(), weighted in any::<bool>()) {
            let mut base = Aggregator::new(&design(), AggregateOptions { weighted }).unwrap();
            let (answers0, cols0) = columns(&before);
            let _ = base.add_columns_in_order(&ResponseColumns { answers: &answers0, ..cols0 });
            let (answers, cols) = columns(&t);
            let cols = ResponseColumns { answers: &answers, ..cols };
            let mut fast = base.clone();
            let mut slow = base.clone();
            let a = fast.add_columns(&cols).map_err(|e| e.to_string());
            let b = slow.add_columns_in_order(&cols).map_err(|e| e.to_string());
            prop_assert_eq!(&a, &b);
            prop_assert!(fast == slow);
            if b.is_ok() && (!weighted || t.weights.iter().all(|w| *w < 1e6)) {
                COUNTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let mut fresh = Aggregator::new(&design(), AggregateOptions { weighted }).unwrap();
                let mut reference = fresh.clone();
                reference.add_columns_in_order(&cols).unwrap();
                let counted = fresh.count_columns(&cols);
                prop_assert!(counted.is_some(), "good rows were not counted by columns");
                fresh.merge(counted.unwrap()).unwrap();
                prop_assert!(fresh == reference);
            }
        }
    }

    /// The first answer's table holds each slot shifted to its row, as long as the largest
    /// (`bad`) fits a byte: scales of up to 13 levels (64 is the most a design has).
    #[test]
    fn shifted_slots_are_the_slots_moved_to_their_row_while_they_fit_a_byte() {
        for n_levels in 1..=64usize {
            let stride = n_levels + 2;
            let bad = stride as u8;
            let mut table = Box::new([bad; 1 << 16]);
            for (k, slot) in table.iter_mut().enumerate().take(4 * stride) {
                *slot = (k % (stride + 1)) as u8;
            }
            let plain = SlotTable { table, bad };
            let shift = pair_row(stride).trailing_zeros();
            match plain.shifted(shift) {
                Some(first) => {
                    assert!(n_levels <= 13, "{n_levels} levels");
                    assert_eq!(usize::from(first.bad), usize::from(bad) << shift);
                    assert!(first.table.iter().zip(plain.table.iter()).all(|(&f, &p)| usize::from(f) == usize::from(p) << shift));
                }
                None => assert!(n_levels > 13 && usize::from(bad) << shift > 255, "{n_levels} levels"),
            }
        }
    }

    #[test]
    fn the_column_path_is_exercised() {
        column_counting_equals_row_by_row();
        assert!(COUNTED.load(std::sync::atomic::Ordering::Relaxed) > 500);
    }
}
