//! Splitting independent work over threads, with the same result on any number of them.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Maps `f` over `items` on up to `threads` threads, results in order. The items are cut into
/// chunks (at least `min_chunk` items, about four per thread) that each thread claims one at a
/// time when it is free: on a machine busy with other work, a thread that gets less time takes
/// fewer chunks. Each thread gets its own `state` from `init` (for caches and scratch that are
/// not shared; `f`'s results must not depend on it). Runs on this thread alone when `threads`
/// is 1, the work is small, or on WebAssembly.
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
    let min_chunk = min_chunk.max(1);
    let parts = threads.min(items.len() / min_chunk);
    if parts < 2 || cfg!(target_arch = "wasm32") {
        return serial();
    }
    let size = (items.len() / (parts * 4)).max(min_chunk);
    let chunks: Vec<&[T]> = items.chunks(size).collect();
    let next = AtomicUsize::new(0);
    // Each thread records the number of every chunk it claimed with its results.
    let run = || {
        let mut state = init();
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(chunk) = chunks.get(k) else {
                break;
            };
            done.push((k, chunk.iter().map(|t| f(&mut state, t)).collect()));
        }
        done
    };
    let finished: Option<Vec<(usize, Vec<R>)>> = std::thread::scope(|scope| {
        // A thread that cannot be spawned leaves its chunks to the others.
        let handles: Vec<_> = (1..parts)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, run).ok())
            .collect();
        let mut all = run();
        for h in handles {
            all.extend(h.join().ok()?);
        }
        Some(all)
    });
    match finished {
        Some(mut all) => {
            all.sort_unstable_by_key(|(k, _)| *k);
            all.into_iter().flat_map(|(_, r)| r).collect()
        }
        None => serial(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_in_order_on_any_number_of_threads() {
        let items: Vec<u64> = (0..1000).collect();
        let want: Vec<u64> = items.iter().map(|x| x * x).collect();
        for threads in [1, 2, 3, 8, 64] {
            for min_chunk in [1, 7, 1000, 5000] {
                let got = map_chunks(&items, threads, min_chunk, &|| 0u64, &|calls, x| {
                    *calls += 1;
                    x * x
                });
                assert_eq!(got, want, "threads {threads}, min_chunk {min_chunk}");
            }
        }
        assert!(map_chunks(&[] as &[u64], 4, 1, &|| (), &|_, x| *x).is_empty());
    }
}
