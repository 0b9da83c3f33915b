//! Reading the next block of a CSV file while other threads add the rows already read, so that
//! reading the bytes and counting them overlap: this thread reads the block a chunk at a time
//! and hands on each chunk's complete lines as a piece; the first free thread adds it, each
//! thread to a state of its own (pieces taken in file order), and the states are merged as
//! `csv_block` merges those of a block read whole.
//!
//! The outcome is that of reading the block whole on one thread: when a piece has a quote (a
//! record may then span lines), a thread did not finish, or the pieces could differ from
//! reading row by row (see [`merge_pieces`](Aggregator::merge_pieces)), nothing of the
//! threads' work is kept and the block goes to the serial paths.

use super::aggregate::Aggregator;
use super::csv::{Blocks, Columns, Tally};
use super::csv_block::Piece;
use super::csv_split::Splitter;
use super::error::SurveyError;
use std::io::Read;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

/// The pieces read so far, shared by the reading thread and the threads adding them.
#[derive(Default)]
struct Queue {
    pieces: Vec<Arc<Vec<u8>>>,
    /// Pieces taken by a thread (the first `claimed`).
    claimed: usize,
    /// The reading is over: no piece will come.
    done: bool,
    /// A piece has a quote: the block goes to the serial paths, no piece is taken any more.
    quoted: bool,
}

#[derive(Default)]
struct Shared {
    queue: Mutex<Queue>,
    more: Condvar,
}

/// What a thread added: its state and the pieces it took (by number; `None` for a quote).
type Added = (Aggregator, Vec<(usize, Option<Piece>)>);

impl Shared {
    /// The queue (as it is, if a thread panicked holding it: no piece is ever lost).
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn push(&self, piece: Vec<u8>) {
        self.lock().pieces.push(Arc::new(piece));
        self.more.notify_one();
    }

    fn finish(&self) {
        self.lock().done = true;
        self.more.notify_all();
    }

    fn quoted(&self) -> bool {
        self.lock().quoted
    }

    /// The next piece in file order and its number, leaving at least `leave` pieces for the
    /// other threads; waiting for one while the reading goes on if `wait`; `None` when there
    /// is none to take.
    fn claim(&self, leave: usize, wait: bool) -> Option<(usize, Arc<Vec<u8>>)> {
        let mut q = self.lock();
        loop {
            if q.quoted {
                return None;
            }
            if q.pieces.len() > q.claimed + leave {
                let piece = q.pieces.get(q.claimed).cloned()?;
                q.claimed += 1;
                return Some((q.claimed - 1, piece));
            }
            if q.done || !wait {
                return None;
            }
            q = self.more.wait(q).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Adds piece `k` to a thread's state.
    fn add(&self, (agg, added): &mut Added, (k, bytes): (usize, Arc<Vec<u8>>), cols: &Columns) {
        let piece = agg.add_piece(&bytes, cols);
        if piece.is_none() {
            self.lock().quoted = true;
            self.more.notify_all();
        }
        added.push((k, piece));
    }

    /// Adds the pieces this thread takes, to the state of `mine` (until none is left to take).
    fn add_pieces(&self, mut mine: Added, cols: &Columns) -> Added {
        while let Some(piece) = self.claim(0, true) {
            self.add(&mut mine, piece, cols);
        }
        mine
    }
}

/// Reads chunks until `input.block` bytes are read, the input ends or a piece has a quote,
/// handing on the complete lines of `carry` and then of each chunk (with the line cut at its
/// end) as pieces. Returns the bytes of the last, unfinished line (none at the end of the
/// input, where it is the last piece). While more than one piece waits, this thread adds one
/// to `mine` between reads: on a machine whose other cores are busy, the reading thread may
/// be the only one that runs.
fn read_pieces<R: Read>(input: &mut Blocks<R>, mut carry: Vec<u8>, line: u64, shared: &Shared, mine: &mut Added, cols: &Columns) -> Result<Vec<u8>, SurveyError> {
    let mut read = 0;
    loop {
        if let Some(cut) = memchr::memrchr(b'\n', &carry) {
            let rest = carry.get(cut + 1..).unwrap_or_default().to_vec();
            carry.truncate(cut + 1);
            shared.push(std::mem::replace(&mut carry, rest));
        }
        if input.eof || read >= input.block || shared.quoted() {
            break;
        }
        if let Some(piece) = shared.claim(1, false) {
            shared.add(mine, piece, cols);
        }
        let mut next = spare_buffer(carry.len() + input.chunk);
        next.extend_from_slice(&carry);
        read += input.read_into(&mut next, input.chunk, line)?;
        carry = next;
    }
    if input.eof && !carry.is_empty() {
        shared.push(std::mem::take(&mut carry));
    }
    Ok(carry)
}

/// Buffers for pieces, kept between calls: a fresh one costs a page fault for each 4 KiB as it
/// is first written (about 0.7 ms for 3 MB on the machine of `BENCHMARKS.md`, more than
/// reading the bytes), and the allocator returns freed pieces to the system. Only ever tried,
/// never waited for: a process forked while another thread held it (Python's multiprocessing)
/// would wait forever.
static SPARE: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

/// The most bytes [`SPARE`] keeps: about one block's pieces.
const SPARE_BYTES: usize = 5 << 20;

/// An empty buffer with room for `bytes`, a spare one when there is one.
fn spare_buffer(bytes: usize) -> Vec<u8> {
    let mut buffer = SPARE.try_lock().ok().and_then(|mut spare| spare.pop()).unwrap_or_default();
    buffer.clear();
    buffer.reserve(bytes);
    buffer
}

/// Keeps the buffers of `pieces` (those no thread holds any more) for the next block or call.
fn give_back(pieces: Vec<Arc<Vec<u8>>>) {
    let Ok(mut spare) = SPARE.try_lock() else {
        return;
    };
    let mut kept: usize = spare.iter().map(Vec::capacity).sum();
    for buffer in pieces.into_iter().filter_map(|piece| Arc::try_unwrap(piece).ok()) {
        if kept + buffer.capacity() <= SPARE_BYTES {
            kept += buffer.capacity();
            spare.push(buffer);
        }
    }
}

impl Aggregator {
    /// Reads the next block of `input` while other threads add its complete lines (see the
    /// module's comment), from the splitter's position on; leaves the splitter at the block's
    /// unfinished last line. Reads at least a chunk, or to the end. Returns whether the
    /// threads' work was kept (else the block was read on this thread).
    pub(crate) fn read_while_adding<R: Read>(
        &mut self,
        input: &mut Blocks<R>,
        split: &mut Splitter,
        cols: &Columns,
        threads: usize,
        tally: &mut Tally,
    ) -> Result<bool, SurveyError> {
        let carry = input.buf.split_off(split.pos);
        input.buf.clear();
        split.pos = 0;
        let shared = Shared::default();
        let this = &*self;
        let helper = || shared.add_pieces((this.empty_like(), Vec::new()), cols);
        let ((read, mine), helpers) = crate::parallel::alongside(
            threads.saturating_sub(1),
            || {
                let mut mine = (this.empty_like(), Vec::new());
                let read = read_pieces(input, carry, split.line, &shared, &mut mine, cols);
                shared.finish();
                (read, shared.add_pieces(mine, cols))
            },
            &helper,
        );
        let carry = read?;
        let pieces = shared.queue.into_inner().unwrap_or_else(PoisonError::into_inner).pieces;
        if let Some(feeds) = helpers.and_then(|helpers| self.merge_added(pieces.len(), mine, helpers, split.line, tally)) {
            give_back(pieces);
            input.buf = carry;
            split.line += feeds;
            return Ok(true);
        }
        // The block whole, on this thread.
        input.buf = Vec::with_capacity(pieces.iter().map(|p| p.len()).sum::<usize>() + carry.len());
        for piece in &pieces {
            input.buf.extend_from_slice(piece);
        }
        input.buf.extend_from_slice(&carry);
        give_back(pieces);
        let (taken, lines) = self.add_block(&input.buf, input.eof, split.line, cols, tally);
        split.pos = taken;
        split.line += lines;
        Ok(false)
    }

    /// Merges what the threads added when every one of the `count` pieces was added without
    /// a quote; the line feeds in them, or `None` (nothing changed).
    fn merge_added(&mut self, count: usize, mine: Added, helpers: Vec<Added>, line: u64, tally: &mut Tally) -> Option<u64> {
        let mut states = Vec::with_capacity(helpers.len() + 1);
        let mut pieces: Vec<(usize, Option<Piece>)> = Vec::with_capacity(count);
        for (state, added) in std::iter::once(mine).chain(helpers) {
            states.push(state);
            pieces.extend(added);
        }
        pieces.sort_unstable_by_key(|(k, _)| *k);
        if pieces.len() != count || pieces.iter().enumerate().any(|(i, (k, _))| i != *k) {
            return None;
        }
        let pieces = pieces.into_iter().map(|(_, piece)| piece).collect::<Option<Vec<Piece>>>()?;
        self.merge_pieces(pieces, states, line, tally)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::survey::{AggregateOptions, CsvOptions, RowReport, SurveyDesign};
    use proptest::prelude::*;

    fn design() -> SurveyDesign {
        SurveyDesign::from_json(
            r#"{"elements": [{"code": "e"}],
                "items": [{"code": "q1", "element": "e"}, {"code": "q2", "element": "e"}, {"code": "q3", "element": "e"}],
                "missing_codes": [9]}"#,
        )
        .unwrap()
    }

    /// Reads `text` on `threads` threads in blocks of `block` bytes read `chunk` at a time.
    fn read(text: &[u8], threads: usize, chunk: usize, block: usize) -> (Aggregator, RowReport) {
        let mut agg = Aggregator::new(&design(), AggregateOptions { weighted: false }).unwrap();
        let options = CsvOptions {
            group_column: Some("g".to_owned()),
            threads: Some(threads),
            ..CsvOptions::new("unit")
        };
        let report = agg.add_csv_in(Blocks::sized(text, chunk, block), &options).unwrap();
        (agg, report)
    }

    /// A line of the file: mostly plain rows of a few units, and now and then what sends a
    /// piece or a block elsewhere: a quote, a lone `\r`, a row with a field too many, a unit
    /// in another group (a conflict), an answer off the scale, an empty line.
    fn line() -> impl Strategy<Value = String> {
        let answer = prop::sample::select(vec!["1", "2", "3", "4", "5", "", "9"]);
        let plain = (0..6u8, prop::collection::vec(answer, 3), prop::bool::ANY).prop_map(|(u, a, crlf)| {
            let group = if u % 2 == 0 { "even" } else { "odd" };
            format!("u{u},{group},{},{},{}{}", a[0], a[1], a[2], if crlf { "\r\n" } else { "\n" })
        });
        prop_oneof![
            40 => plain,
            1 => Just("\"u1\",odd,1,2,3\n".to_owned()),
            1 => Just("u2,even,1,2\r3\n".to_owned()),
            1 => Just("u3,odd,1,2,3,4\n".to_owned()),
            1 => Just("u0,odd,1,2,3\n".to_owned()),
            1 => Just("u4,even,1,7,3\n".to_owned()),
            1 => Just("\n".to_owned()),
        ]
    }

    /// Whether reading the rows of `text` (after its header) as one block, `chunk` bytes at a
    /// time on two threads, kept the threads' work; and the rows it added.
    fn kept(text: &str, chunk: usize) -> (bool, u64) {
        use crate::survey::csv_split::{Next, Splitter};
        let mut agg = Aggregator::new(&design(), AggregateOptions { weighted: false }).unwrap();
        let mut input = Blocks::sized(text.as_bytes(), chunk, 1 << 20);
        let mut split = Splitter::new(b',');
        input.refill(0, 1, 64).unwrap();
        let Next::Record(header) = split.next(&input.buf, input.eof) else { panic!("no header") };
        let (cols, _) = Columns::from_header(&header, &agg.design, &agg.compiled, &CsvOptions::new("unit")).unwrap();
        let mut tally = Tally::default();
        let kept = agg.read_while_adding(&mut input, &mut split, &cols, 2, &mut tally).unwrap();
        (kept, tally.rows_read)
    }

    #[test]
    fn pieces_without_quotes_are_kept_and_a_quote_sends_the_block_to_one_thread() {
        let rows: String = (0..2000).map(|r| format!("u{},{},,{}\n", r % 7, r % 5 + 1, r % 3 + 1)).collect();
        let text = format!("unit,q1,q2,q3\n{rows}");
        // 64 bytes of header and rows read first, then pieces of about 1000 bytes.
        assert_eq!(kept(&text, 1000), (true, 2000));
        let quoted = text.replacen("u3,", "\"u3\",", 1);
        // The block is then the general splitter's, which has read no row of it yet.
        assert_eq!(kept(&quoted, 1000), (false, 0));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Read while threads add its pieces, in chunks and blocks of any size, a file gives
        /// exactly what reading it on one thread gives: the state (its units in the order of
        /// the file), the rows, the rejections and their lines.
        #[test]
        fn reading_while_adding_equals_reading_on_one_thread(
            lines in prop::collection::vec(line(), 0..300),
            last_newline in prop::bool::ANY,
            threads in 2usize..4,
            chunk in 1usize..400,
            block in 1usize..3000,
        ) {
            let mut text = String::from("unit,g,q1,q2,q3\n");
            text.push_str(&lines.concat());
            if !last_newline && text.ends_with('\n') {
                text.pop();
            }
            let (serial, serial_report) = read(text.as_bytes(), 1, 256 << 10, 4 << 20);
            let (parallel, report) = read(text.as_bytes(), threads, chunk, block);
            prop_assert_eq!(report, serial_report);
            prop_assert_eq!(parallel.to_state_json(), serial.to_state_json());
            prop_assert!(parallel == serial);
        }
    }
}
