//! Long computations (parsing a file, grading a cohort) inside async
//! workflows: run where they do not stall the async workers that serve
//! everyone else's requests.

/// Runs `f` with the current worker handed over to other tasks for its
/// duration (`block_in_place`) on a multi-threaded runtime; elsewhere (a
/// single-threaded test runtime, no runtime) it simply runs.
pub fn run<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// `f` over `items` on every core, results in order: the items are cut
/// into one run per core (a few thousand rows are not worth a thread).
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 || items.len() < 4096 {
        return items.iter().map(f).collect();
    }
    let size = items.len().div_ceil(cores);
    std::thread::scope(|s| {
        let f = &f;
        let runs: Vec<_> = items
            .chunks(size)
            .map(|run| s.spawn(move || run.iter().map(f).collect::<Vec<R>>()))
            .collect();
        runs.into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}
