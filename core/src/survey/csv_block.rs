//! Reads a block of CSV records without quotes (most survey exports) by the fast path of
//! `csv_plain`, and the pieces of a block that threads read apart (see `csv_pipeline`): each
//! piece is added to its thread's state, and the threads' states are merged with their units
//! in the order of the file.
//!
//! If a piece rejected a row for a reason that depends on earlier rows (a group conflict, a
//! weight-sum overflow), or merging the threads' states fails for such a reason, the block is
//! read on one thread instead: the outcome never depends on the number of threads.

use super::aggregate::Aggregator;
use super::csv::{Columns, Tally};

fn newlines(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}

impl Aggregator {
    /// Adds the complete records at the start of `rest` (the first starts on `line`) when
    /// they have no quote. Returns the bytes consumed and the line breaks in them; `(0, 0)`
    /// leaves the block to the general splitter.
    pub(crate) fn add_block(&mut self, rest: &[u8], eof: bool, line: u64, cols: &Columns, tally: &mut Tally) -> (usize, u64) {
        // Complete records: up to the last line break, or everything at the end of the input.
        let end = if eof {
            rest.len()
        } else {
            match memchr::memrchr(b'\n', rest) {
                Some(i) => i + 1,
                None => return (0, 0),
            }
        };
        let block = &rest[..end];
        if block.is_empty() || cols.roles.is_none() || memchr::memchr(b'"', block).is_some() {
            return (0, 0);
        }
        let lines = self.add_plain_or_split(block, line, cols, tally);
        (block.len(), lines)
    }

    /// The plain fast path, then the general splitter from where it stopped (a lone `\r`).
    /// Consumes all of `block`; returns the line feeds in it.
    pub(crate) fn add_plain_or_split(&mut self, block: &[u8], line: u64, cols: &Columns, tally: &mut Tally) -> u64 {
        let (taken, feeds) = self.add_plain(block, line, cols, tally);
        if taken == block.len() {
            return feeds;
        }
        let rest = &block[taken..];
        self.add_records(rest, line + feeds, cols, tally);
        feeds + newlines(rest)
    }

    /// Adds a piece of a block (complete lines, the first counted as line 0) to this state,
    /// one of a thread's; `None` (nothing changed) when it has a quote.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn add_piece(&mut self, bytes: &[u8], cols: &Columns) -> Option<Piece> {
        if memchr::memchr(b'"', bytes).is_some() {
            return None;
        }
        let seen = self.units.len();
        let mut tally = Tally::default();
        let feeds = self.add_plain_or_split(bytes, 0, cols, &mut tally);
        let new_units: Vec<String> = self.units.get(seen..).unwrap_or_default().iter().map(|u| u.id.clone()).collect();
        Some(Piece { tally, feeds, new_units })
    }

    /// Merges the threads' states into this one, their units in the order the file first
    /// shows them (as reading on one thread would add them), and the pieces' tallies in file
    /// order; `None` (nothing changed) when the merged pieces could differ from reading on one
    /// thread.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn merge_pieces(&mut self, pieces: Vec<Piece>, states: Vec<Aggregator>, line: u64, tally: &mut Tally) -> Option<u64> {
        // A piece read apart from the rows before it cannot tell whether a group conflict or an
        // overflow would have come earlier (or for another reason).
        if pieces.iter().any(|p| p.tally.state_dependent) {
            return None;
        }
        let mut states = states.into_iter();
        let mut all = states.next()?;
        for state in states {
            all.merge(state).ok()?;
        }
        all.order_units(pieces.iter().flat_map(|p| p.new_units.iter().map(String::as_str)));
        let mut all_tally = Tally::default();
        let mut feeds = 0;
        for piece in pieces {
            let mut t = piece.tally;
            t.move_lines(line + feeds);
            all_tally.append(t);
            feeds += piece.feeds;
        }
        self.merge(all).ok()?;
        tally.append(all_tally);
        Some(feeds)
    }
}

/// What a thread read of one piece.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct Piece {
    /// The piece's rows, rejections on lines counted from 0.
    tally: Tally,
    /// Line feeds in the piece.
    feeds: u64,
    /// Units this piece showed its thread first, in order.
    new_units: Vec<String>,
}
