//! The counting floor of the SIPAS benchmark file (`benches/peers/generate.py`'s layout:
//! `unit-NN,weight,q1..q33`, answers `1`-`5` or empty).
//!
//! The last speed target is "within 3x of the time to read the same bytes once". This
//! measures, interleaved in one run, how close the least possible work comes to that:
//!
//! - **read**: `std::fs::read` and a SIMD line count (the baseline of `examples/rust/sipas_csv.rs`);
//! - **par-index**: the library's CSV reader on the file, then `finish` (Wilson intervals), as the
//!   example times it; and the reader alone;
//! - **floor, scalar / SIMD**: the file read, then each answer counted per unit and item on both
//!   threads, with **no checks at all**: the unit from its two digits, no header, no scale, no
//!   quotes, unchecked memory reads. The SIMD kernel is the library's own design (gather of the
//!   answers' even bytes, byte-lane counts) with its checks removed.
//!
//! The file is first checked to have that layout (the kernels' reads are then in bounds). The
//! floors' counts are compared with the library's levels for every unit and item; a
//! difference fails the run (exit 1), so a floor cannot be fast by counting something else.
//!
//! Usage: `cargo run --release -- FILE [REPEATS]` (best of REPEATS, default 50).

use par_index::survey::{aggregate_csv, CiMethod, CiOptions, CsvOptions, SurveyDesign};
use std::fs::File;
use std::io::{BufReader, Read};
use std::time::{Duration, Instant};
use wide::{i16x8, u8x16};

const ITEMS: usize = 33;
/// Units `unit-00` to `unit-99`.
const UNITS: usize = 100;
/// Answer slots: 0 for empty, then [`slot`] for `1`-`5`.
const SLOTS: usize = 8;
/// Bytes past the file's end the unchecked loads may touch.
const PAD: usize = 256;

type Counts = Vec<u32>;

/// The slot of an answer byte `1`-`5` (1 to 5; an empty answer is slot 0).
#[inline(always)]
fn slot(answer: u8) -> usize {
    usize::from(answer & 7)
}

/// What is timed, in turn: a short name, and the peer and task of its `RESULT` line.
const TIMED: [(&str, &str, &str); 5] = [
    ("read", "read-bytes-once (Rust, count-floor run)", "std::fs::read, count lines (memchr)"),
    ("par-index", "par-index (Rust, count-floor run)", "CSV file, full results, Wilson CI"),
    ("par-index-reader", "par-index reader (Rust, count-floor run)", "CSV file, counts only (no finish)"),
    ("floor-scalar", "count floor, scalar (Rust, unchecked)", "read, count answers per unit and item, 2 threads, no checks"),
    ("floor-simd", "count floor, SIMD (Rust, unchecked)", "read, the library's gather and lane counts, 2 threads, no checks"),
];

fn counts() -> Counts {
    vec![0; UNITS * ITEMS * SLOTS]
}

/// The unit's index from the last two digits of `unit-NN` at `pos`; the position after its
/// comma.
///
/// # Safety
/// `pos + 8 <= b`'s buffer length.
#[inline(always)]
unsafe fn unit_at(b: *const u8, pos: usize) -> (usize, usize) {
    let u = usize::from(b.add(pos + 5).read().wrapping_sub(b'0')) * 10 + usize::from(b.add(pos + 6).read().wrapping_sub(b'0'));
    (u % UNITS, pos + 8)
}

/// Counts the lines of `bytes[start..end]` one answer at a time.
fn scalar(bytes: &[u8], mut pos: usize, end: usize, counts: &mut Counts) {
    assert!(end + PAD <= bytes.len() && counts.len() == UNITS * ITEMS * SLOTS);
    let (b, c) = (bytes.as_ptr(), counts.as_mut_ptr());
    // SAFETY: every read is within a line of at most PAD bytes from a position below `end`, and
    // `bytes` has PAD bytes after `end`; each count index is below UNITS * ITEMS * SLOTS.
    unsafe {
        while pos < end {
            let (u, mut p) = unit_at(b, pos);
            while b.add(p).read() != b',' {
                p += 1;
            }
            p += 1;
            let base = c.add(u * ITEMS * SLOTS);
            for k in 0..ITEMS {
                let x = b.add(p).read();
                if x == b',' || x == b'\n' {
                    *base.add(k * SLOTS) += 1;
                    p += 1;
                } else {
                    *base.add(k * SLOTS + slot(x)) += 1;
                    p += 2;
                }
            }
            pos = p;
        }
    }
}

#[inline(always)]
fn load(b: *const u8, at: usize) -> u8x16 {
    // SAFETY: the callers keep `at + 16` within the padded buffer.
    u8x16::new(unsafe { b.add(at).cast::<[u8; 16]>().read_unaligned() })
}

/// Bytes `at`, `at + 2`, ... in lanes, 16 items to a vector (as `csv_common::CommonShape::evens`).
#[inline(always)]
fn evens(b: *const u8, at: usize) -> [u8x16; 3] {
    let low = i16x8::splat(0xFF);
    let half = |i: usize| bytemuck::cast::<u8x16, i16x8>(load(b, at + 16 * i)) & low;
    std::array::from_fn(|g| u8x16::narrow_i16x8(half(2 * g), half(2 * g + 1)))
}

const LANES: [[u8; 16]; 3] = {
    let mut out = [[0u8; 16]; 3];
    let mut i = 0;
    while i < 48 {
        out[i / 16][i % 16] = i as u8;
        i += 1;
    }
    out
};

/// Counts the lines of `bytes[start..end]` as the library's common-line path does, unchecked.
fn simd(bytes: &[u8], mut pos: usize, end: usize, counts: &mut Counts) {
    assert!(end + PAD <= bytes.len() && counts.len() == UNITS * ITEMS * SLOTS);
    let b = bytes.as_ptr();
    let levels: [u8x16; 5] = std::array::from_fn(|l| u8x16::splat(b'1' + l as u8));
    let (comma, lf) = (u8x16::splat(b','), u8x16::splat(b'\n'));
    let items: u64 = (1 << ITEMS) - 1;
    let mut lanes = vec![[[u8x16::splat(0); 3]; 5]; UNITS];
    let mut lines = [0u8; UNITS];
    let flush = |u: usize, lanes: &mut [[u8x16; 3]; 5], counts: &mut Counts| {
        for (l, vectors) in lanes.iter_mut().enumerate() {
            for (g, v) in vectors.iter_mut().enumerate() {
                for (i, &n) in v.to_array().iter().enumerate().take(ITEMS.saturating_sub(16 * g)) {
                    counts[(u * ITEMS + 16 * g + i) * SLOTS + slot(b'1' + l as u8)] += u32::from(n);
                }
                *v = u8x16::splat(0);
            }
        }
    };
    while pos < end {
        // SAFETY: as in `scalar`.
        let (u, mut p) = unsafe { unit_at(b, pos) };
        // SAFETY: as in `scalar`.
        while unsafe { b.add(p).read() } != b',' {
            p += 1;
        }
        p += 1;
        // After each empty field, the items after it are one byte earlier.
        let mut out = evens(b, p);
        let (mut shift, mut from) = (0, 0u32);
        loop {
            let mut empty = 0u64;
            for (g, v) in out.iter().enumerate() {
                empty |= u64::from((v.simd_eq(comma) | v.simd_eq(lf)).to_bitmask()) << (16 * g);
            }
            let empty = empty & items & u64::MAX.checked_shl(from).unwrap_or(0);
            if empty == 0 {
                break;
            }
            from = empty.trailing_zeros() + 1;
            shift += 1;
            let next = evens(b, p - shift);
            let from_lane = u8x16::splat(from as u8);
            for ((v, n), l) in out.iter_mut().zip(next).zip(LANES) {
                let l = u8x16::new(l);
                *v = l.max(from_lane).simd_eq(l).bitselect(n, *v);
            }
        }
        let unit = &mut lanes[u];
        for (l, level) in levels.iter().enumerate() {
            for (acc, a) in unit[l].iter_mut().zip(out) {
                *acc -= a.simd_eq(*level);
            }
        }
        lines[u] += 1;
        if lines[u] == 255 {
            lines[u] = 0;
            flush(u, unit, counts);
        }
        pos = p + 2 * ITEMS - shift;
    }
    for (u, unit) in lanes.iter_mut().enumerate() {
        flush(u, unit, counts);
    }
}

/// Whether every line after the header has the layout the kernels assume, so that their
/// unchecked reads stay in bounds: `unit-NN`, a field without quotes, then 33 fields each empty
/// or one of `1`-`5`, ending in a line feed, all within PAD bytes.
fn check_layout(bytes: &[u8]) -> Result<(), String> {
    let body = match memchr::memchr(b'\n', bytes) {
        Some(i) => &bytes[i + 1..],
        None => return Err("no header line".into()),
    };
    if !body.is_empty() && body.last() != Some(&b'\n') {
        return Err("the last line has no line feed".into());
    }
    for (row, line) in body.split(|&b| b == b'\n').enumerate().take_while(|(_, l)| !l.is_empty()) {
        let bad = |why: &str| Err(format!("line {}: {why} (this floor reads only generate.py's layout)", row + 2));
        let fields: Vec<&[u8]> = line.split(|&b| b == b',').collect();
        if line.len() + 1 > PAD || fields.len() != 2 + ITEMS {
            return bad("not 35 fields within 256 bytes");
        }
        if fields[0].len() != 7 || !fields[0].starts_with(b"unit-") || !fields[0][5..].iter().all(u8::is_ascii_digit) {
            return bad("the unit is not unit-NN");
        }
        if fields[1].contains(&b'"') || fields[2..].iter().any(|f| !matches!(f, [] | [b'1'..=b'5'])) {
            return bad("an answer is not empty or 1-5");
        }
    }
    Ok(())
}

type Kernel = fn(&[u8], usize, usize, &mut Counts);

/// The file read (padded), then `kernel` on its two halves at once; the counts merged.
fn read_and_count(path: &str, kernel: Kernel) -> std::io::Result<Counts> {
    let file = File::open(path)?;
    let len = usize::try_from(file.metadata()?.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(len + PAD);
    { file }.read_to_end(&mut bytes)?;
    let end = bytes.len();
    bytes.resize(end + PAD, 0);
    let start = memchr::memchr(b'\n', &bytes[..end]).map_or(end, |i| i + 1);
    let half = start + (end - start) / 2;
    let mid = memchr::memchr(b'\n', &bytes[half..end]).map_or(end, |i| half + i + 1);
    let (mut first, mut second) = (counts(), counts());
    std::thread::scope(|s| {
        s.spawn(|| kernel(&bytes, mid, end, &mut second));
        kernel(&bytes, start, mid, &mut first);
    });
    for (a, b) in first.iter_mut().zip(&second) {
        *a += b;
    }
    Ok(first)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: count-floor FILE [REPEATS]")?;
    let repeats: usize = args.get(2).map_or(Ok(50), |s| s.parse())?;
    let design = SurveyDesign::from_json(include_str!("../../../core/data/survey-designs/sipas-national-2022.json"))?;
    let options = CsvOptions::new("unit");
    let ci = CiOptions { method: CiMethod::Wilson, level: 0.95 };
    check_layout(&std::fs::read(path)?)?;
    let mut best = [Duration::MAX; TIMED.len()];
    let mut last = None;
    let mut floors: [Counts; 2] = [Vec::new(), Vec::new()];
    for _ in 0..repeats {
        for (i, best) in best.iter_mut().enumerate() {
            let start = Instant::now();
            match i {
                0 => {
                    let bytes = std::fs::read(path)?;
                    std::hint::black_box(memchr::memchr_iter(b'\n', &bytes).count());
                }
                1 | 2 => {
                    let (state, _) = aggregate_csv(BufReader::with_capacity(1 << 20, File::open(path)?), &design, &options)?;
                    if i == 1 {
                        last = Some(state.finish(&ci)?);
                    }
                }
                _ => floors[i - 3] = read_and_count(path, if i == 3 { scalar } else { simd })?,
            }
            *best = (*best).min(start.elapsed());
        }
    }
    let result = last.ok_or("no repeats")?;
    // The floors must have counted what the library counted.
    for (name, floor) in ["scalar", "SIMD"].iter().zip(&floors) {
        for unit in &result.units {
            let u: usize = unit.unit.strip_prefix("unit-").ok_or("unit ids are not unit-NN")?.parse()?;
            for (k, item) in unit.items.iter().enumerate() {
                let floor_levels: Vec<u64> = (1..=5u8).map(|l| u64::from(floor[(u * ITEMS + k) * SLOTS + slot(b'0' + l)])).collect();
                if floor_levels != item.levels {
                    return Err(format!("the {name} floor counted {floor_levels:?} for {} {}, the library {:?}", unit.unit, item.item, item.levels).into());
                }
            }
        }
    }
    let rows = result.all.respondents;
    let read = best[0].as_secs_f64();
    for ((name, _, _), t) in TIMED.iter().zip(best) {
        println!("{name:>17}: {:.6} s, {:.2}x the read", t.as_secs_f64(), t.as_secs_f64() / read);
    }
    for ((_, peer, task), t) in TIMED.iter().zip(best) {
        println!("RESULT {{\"peer\": \"{peer}\", \"task\": \"{task}\", \"rows\": {rows}, \"seconds\": {:.9}, \"repeats\": {repeats}}}", t.as_secs_f64());
    }
    Ok(())
}
