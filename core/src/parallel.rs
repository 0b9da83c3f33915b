//! Splitting independent work over threads, with the same result on any number of them.

/// Maps `f` over `items` on up to `threads` threads (contiguous chunks, results in order).
/// Each thread gets its own `state` from `init` (for caches that are not shared). Runs on this
/// thread alone when `threads` is 1, the work is small, or a thread cannot be spawned
/// (WebAssembly).
pub(crate) fn map_chunks<T: Sync, S, R: Send>(
    items: &[T],
    threads: usize,
    min_chunk: usize,
    init: &(dyn Fn() -> S + Sync),
    f: &(dyn Fn(&mut S, &T) -> R + Sync),
) -> Vec<R> {
    let serial = || {
        let mut state = init();
        items.iter().map(|t| f(&mut state, t)).collect::<Vec<R>>()
    };
    let parts = threads.min(items.len() / min_chunk.max(1));
    if parts < 2 || cfg!(target_arch = "wasm32") {
        return serial();
    }
    let size = items.len().div_ceil(parts);
    let chunks: Vec<&[T]> = items.chunks(size).collect();
    let run = |chunk: &[T]| {
        let mut state = init();
        chunk.iter().map(|t| f(&mut state, t)).collect::<Vec<R>>()
    };
    let done: Option<Vec<Vec<R>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks[1..]
            .iter()
            .map(|&c| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || run(c))
                    .ok()
            })
            .collect();
        let mut out = vec![run(chunks[0])];
        for h in handles {
            out.push(h?.join().ok()?);
        }
        Some(out)
    });
    match done {
        Some(parts) => parts.into_iter().flatten().collect(),
        None => serial(),
    }
}
