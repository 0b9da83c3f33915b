//! Reads one block of CSV records on several threads: the block is cut at line breaks, each
//! piece is aggregated into its own state, and the states are merged in file order.
//!
//! Only a block without any quote is cut (then every line break ends a record). If a piece
//! rejected a row for a reason that depends on earlier rows (a group conflict, a weight-sum
//! overflow), or merging the pieces fails for such a reason, the block is left to the
//! row-by-row path: the outcome never depends on the number of threads.

use super::aggregate::Aggregator;
use super::csv::{Columns, Tally};
use super::csv_split::{Next, Splitter};

/// Below this many bytes per piece a thread costs more than it saves.
const MIN_PIECE: usize = 256 << 10;

impl Aggregator {
    /// Adds the records of `bytes` (complete records; the line of the first is `line`).
    fn add_records(&mut self, bytes: &[u8], line: u64, cols: &Columns, tally: &mut Tally) {
        let mut split = Splitter::new_at(cols.delimiter, line);
        while let Next::Record(record) = split.next(bytes, true) {
            self.add_record(&record, cols, tally);
        }
    }

    /// Adds the complete records at the start of `rest` (whose first record starts on `line`)
    /// on up to `threads` threads. Returns the bytes consumed and the line breaks in them;
    /// `(0, 0)` when the block is left to the caller (too small, quoted fields, no thread, or a
    /// merge that would differ from reading row by row).
    pub(crate) fn add_block_parallel(
        &mut self,
        rest: &[u8],
        eof: bool,
        line: u64,
        cols: &Columns,
        threads: usize,
        tally: &mut Tally,
    ) -> (usize, u64) {
        // Complete records: up to the last line break, or everything at the end of the input.
        let end = if eof {
            rest.len()
        } else {
            match rest.iter().rposition(|&b| b == b'\n') {
                Some(i) => i + 1,
                None => return (0, 0),
            }
        };
        let block = &rest[..end];
        let parts = threads.min(block.len() / MIN_PIECE);
        if parts < 2 || block.contains(&b'"') {
            return (0, 0);
        }
        let newlines = |b: &[u8]| b.iter().filter(|&&c| c == b'\n').count() as u64;
        // Pieces end just after a line break near equal shares of the block.
        let mut pieces: Vec<(&[u8], u64)> = Vec::with_capacity(parts);
        let (mut start, mut start_line) = (0, line);
        for k in 1..=parts {
            let target = block.len() * k / parts;
            let cut = if k == parts {
                block.len()
            } else {
                match block[target.max(start)..].iter().position(|&b| b == b'\n') {
                    Some(i) => target.max(start) + i + 1,
                    None => block.len(),
                }
            };
            if cut > start {
                pieces.push((&block[start..cut], start_line));
                start_line += newlines(&block[start..cut]);
                start = cut;
            }
        }
        let states: Option<Vec<(Aggregator, Tally)>> = std::thread::scope(|scope| {
            let handles: Vec<_> = pieces[1..]
                .iter()
                .map(|&(bytes, first)| {
                    let mut agg = self.empty_like();
                    std::thread::Builder::new()
                        .spawn_scoped(scope, move || {
                            let mut t = Tally::default();
                            agg.add_records(bytes, first, cols, &mut t);
                            (agg, t)
                        })
                        .ok()
                })
                .collect();
            let spawned = handles.iter().all(Option::is_some);
            let mut out = Vec::with_capacity(pieces.len());
            if spawned {
                let mut agg = self.empty_like();
                let mut t = Tally::default();
                agg.add_records(pieces[0].0, pieces[0].1, cols, &mut t);
                out.push((agg, t));
            }
            for h in handles.into_iter().flatten() {
                out.push(h.join().ok()?);
            }
            spawned.then_some(out)
        });
        // A piece read apart from the rows before it cannot tell whether a group conflict or an
        // overflow would have come earlier (or for another reason): such blocks go row by row.
        let Some(states) = states.filter(|s| !s.iter().any(|(_, t)| t.state_dependent)) else {
            return (0, 0);
        };
        let mut it = states.into_iter();
        let Some((mut all, mut all_tally)) = it.next() else {
            return (0, 0);
        };
        for (agg, t) in it {
            if all.merge(agg).is_err() {
                return (0, 0);
            }
            all_tally.append(t);
        }
        if self.merge(all).is_err() {
            return (0, 0);
        }
        tally.append(all_tally);
        (end, start_line - line)
    }
}
