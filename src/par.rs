//! Every thread the audit starts is started here, in one of three shapes, so that where the work
//! runs in parallel can be read in one file and a thread that fails (panics) is always turned into
//! an error the caller names, never a crash (`tests/house.rs` checks that no other file starts one).
//!
//! - [`beside`]: run one job on another thread while the caller's thread does its own part (a
//!   parser feeding its consumer, the Accounts sheet beside the other sheets);
//! - [`each`]: one thread per item, results in item order (the per-account files);
//! - [`background`]: a thread whose result is collected later, or never (the SHA-256 of a file
//!   read by another thread, freeing a large value).

/// A thread that panicked (a bug): the caller turns it into an error naming what failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Panicked;

/// Runs `side` on another thread and `here` on this one; returns both results once both are done.
pub(crate) fn beside<A: Send, B>(
    side: impl FnOnce() -> A + Send,
    here: impl FnOnce() -> B,
) -> (Result<A, Panicked>, B) {
    std::thread::scope(|scope| {
        let handle = scope.spawn(side);
        let mine = here();
        (handle.join().map_err(|_| Panicked), mine)
    })
}

/// Runs `f` on every item, each on its own thread; the results come back in the items' order.
pub(crate) fn each<T: Send, R: Send>(
    items: Vec<T>,
    f: impl Fn(T) -> R + Sync,
) -> Vec<Result<R, Panicked>> {
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .into_iter()
            .map(|item| scope.spawn(move || f(item)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| Panicked))
            .collect()
    })
}

/// A job running on its own thread, to be collected with [`Background::finish`].
pub(crate) struct Background<T>(std::thread::JoinHandle<T>);

impl<T> Background<T> {
    /// Waits for the job and returns its result.
    pub(crate) fn finish(self) -> Result<T, Panicked> {
        self.0.join().map_err(|_| Panicked)
    }
}

/// Starts `f` on its own thread; dropping the handle lets it finish unobserved.
pub(crate) fn background<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Background<T> {
    Background(std::thread::spawn(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_and_a_panic_is_an_error() {
        let out = each(vec![3, 1, 2], |n| n * 10);
        assert_eq!(out, vec![Ok(30), Ok(10), Ok(20)]);
        let (side, here) = beside(|| 1 + 1, || "here");
        assert_eq!((side, here), (Ok(2), "here"));
        // (The panics print their message; the test passes when they come back as errors.)
        let (failed, _) = beside(|| -> u8 { panic!("a bug") }, || ());
        let bg = background(|| -> u8 { panic!("a bug") }).finish();
        assert_eq!(failed, Err(Panicked));
        assert_eq!(bg, Err(Panicked));
        assert_eq!(background(|| 7).finish(), Ok(7));
    }
}
