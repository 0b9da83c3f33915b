//! Splitting independent work over threads, with the same result on any number of them.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Maps `f` over `items` on up to `threads` threads, results in order. The items are cut into
/// chunks (at least `min_chunk` items, about four per thread) that each thread claims one at a
/// time when it is free: on a machine busy with other work, a thread that gets less time takes
/// fewer chunks. The threads are this one and a pool's kept between calls (see [`pool`]); a
/// call made while another uses the pool, or in a process forked from one that made it, starts
/// threads of its own instead. Each thread gets its own `state` from `init` (for caches and
/// scratch that are not shared; `f`'s results must not depend on it). Runs on this thread alone
/// when `threads` is 1, the work is small, or on WebAssembly.
pub(crate) fn map_chunks<T: Sync, S: Send, R: Send>(
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
    match on_workers(parts, &run) {
        Some(threads) => {
            let mut all: Vec<(usize, Vec<R>)> = threads.into_iter().flatten().collect();
            all.sort_unstable_by_key(|(k, _)| *k);
            all.into_iter().flat_map(|(_, r)| r).collect()
        }
        None => serial(),
    }
}

/// The number of cores this process may use, asked once (on Linux the answer reads cgroup
/// files, tens of microseconds a call).
pub(crate) fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get))
}

/// Threads kept between calls: a fresh thread costs about 60 µs, a sizeable part of a
/// millisecond's work. One fewer than the cores, as the calling thread works too (an idle
/// worker spins a while before it sleeps, and would take a core from the caller). `None`
/// when the machine gives no threads, and in a child process made by `fork()` (Python's
/// multiprocessing, Dask and Spark workers), which has none of the pool's threads: waiting
/// for them would never end.
#[cfg(not(target_arch = "wasm32"))]
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<(u32, rayon::ThreadPool)>> = OnceLock::new();
    let (pid, pool) = POOL
        .get_or_init(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(cores().saturating_sub(1).max(1))
                .thread_name(|k| format!("par-index-{k}"))
                .build()
                .ok()
                .map(|pool| (std::process::id(), pool))
        })
        .as_ref()?;
    (*pid == std::process::id()).then_some(pool)
}

/// Calls using the pool now. The pool serves one call at a time: a call waits for all the
/// parts it gave the pool, and a part queued behind another call's long work (a Monte Carlo
/// run, say) would keep a short call waiting for it.
#[cfg(not(target_arch = "wasm32"))]
static POOL_CALLS: AtomicUsize = AtomicUsize::new(0);

/// The pool for this call, if no other call is using it; the pool is free again when the
/// returned turn is dropped.
#[cfg(not(target_arch = "wasm32"))]
fn pool_turn() -> Option<(&'static rayon::ThreadPool, PoolTurn)> {
    let pool = pool()?;
    if POOL_CALLS.fetch_add(1, Ordering::AcqRel) > 0 {
        POOL_CALLS.fetch_sub(1, Ordering::AcqRel);
        return None;
    }
    Some((pool, PoolTurn))
}

#[cfg(not(target_arch = "wasm32"))]
struct PoolTurn;

#[cfg(not(target_arch = "wasm32"))]
impl Drop for PoolTurn {
    fn drop(&mut self) {
        POOL_CALLS.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Runs `run` on this thread and `parts - 1` others: the pool's when it is free, else threads
/// started for this call. All their results, or `None` if a started thread did not finish
/// (the caller then works serially).
#[cfg(not(target_arch = "wasm32"))]
fn on_workers<R: Send>(parts: usize, run: &(dyn Fn() -> R + Sync)) -> Option<Vec<R>> {
    let (mine, others) = alongside(parts.saturating_sub(1), run, run);
    let mut all = vec![mine];
    all.extend(others?);
    Some(all)
}

/// Runs `main` on this thread while `helper` runs on up to `helpers` others: the pool's when
/// it is free, else threads started for this call (a thread that cannot be started is left
/// out). `main` may hold what cannot cross threads (a caller's reader); it must not wait for a
/// helper to start, as a helper may start only once `main` is done. Returns `main`'s result
/// and the helpers' results, or `None` for these if a started thread did not finish.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn alongside<M, R: Send>(
    helpers: usize,
    main: impl FnOnce() -> M,
    helper: &(dyn Fn() -> R + Sync),
) -> (M, Option<Vec<R>>) {
    let mut others: Vec<Option<R>> = (0..helpers).map(|_| None).collect();
    let mut started = vec![true; helpers];
    let mine = match pool_turn() {
        Some((pool, _turn)) => pool.in_place_scope(|scope| {
            for slot in &mut others {
                scope.spawn(move |_| *slot = Some(helper()));
            }
            main()
        }),
        None => std::thread::scope(|scope| {
            let mut threads = Vec::with_capacity(others.len());
            for (slot, started) in others.iter_mut().zip(&mut started) {
                // A thread that cannot be started leaves its work to the others.
                match std::thread::Builder::new().spawn_scoped(scope, move || *slot = Some(helper())) {
                    Ok(thread) => threads.push(thread),
                    Err(_) => *started = false,
                }
            }
            let mine = main();
            for thread in threads {
                // Joined here, so a helper that panicked leaves its slot empty (then the
                // caller works serially) instead of the scope panicking.
                let _ = thread.join();
            }
            mine
        }),
    };
    let others = others.into_iter().zip(started).filter(|(_, started)| *started).map(|(slot, _)| slot).collect();
    (mine, others)
}

#[cfg(target_arch = "wasm32")]
fn on_workers<R>(_parts: usize, _run: &(dyn Fn() -> R + Sync)) -> Option<Vec<R>> {
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// While one call's parts are busy (here: waiting for this test), a second call from
    /// another thread runs on threads of its own rather than queueing behind them.
    #[test]
    fn a_call_does_not_wait_behind_another_calls_work() {
        use std::sync::mpsc::channel;
        use std::time::Duration;
        let (go, wait) = channel::<()>();
        let (busy, started) = channel::<()>();
        let wait = std::sync::Mutex::new(wait);
        let busy = std::sync::Mutex::new(busy);
        std::thread::scope(|s| {
            let long = s.spawn(|| {
                map_chunks(&[0u64; 4], 4, 1, &|| (), &|_, _| {
                    if let Ok(busy) = busy.lock() {
                        let _ = busy.send(());
                    }
                    // Each part waits for the word of the test (or gives up after a while).
                    wait.lock().map(|w| w.recv_timeout(Duration::from_secs(20)).is_ok()).unwrap_or(false)
                })
            });
            started.recv().unwrap();
            let items: Vec<u64> = (0..1000).collect();
            let doubled = map_chunks(&items, 4, 1, &|| (), &|_, x| x * 2);
            assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
            for _ in 0..4 {
                go.send(()).unwrap();
            }
            // Had the second call waited for the first, the first would have given up waiting.
            assert_eq!(long.join().unwrap(), vec![true; 4]);
        });
    }

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
