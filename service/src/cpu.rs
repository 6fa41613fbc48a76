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
