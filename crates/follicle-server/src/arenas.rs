//! How much memory the allocator keeps after bursts of work: glibc's malloc gives each busy thread an arena
//! of its own (up to 8 per core) and keeps what those arenas freed for reuse, so a node's resident memory
//! climbed with each burst of documents drawn on the blocking threads (probe s9: 339, 423, 451, 462 MB over
//! four bursts of 16 stencil PDFs). [`bound`] caps the arenas at [`ARENAS`] before the server's threads
//! start (146–175 MB over the same bursts, docs/BENCHMARKS.md). Linux with glibc only; elsewhere it does
//! nothing. A `MALLOC_ARENA_MAX` set in the environment is the operator's choice and is kept.

/// The arenas a node's allocator may use when `MALLOC_ARENA_MAX` is not set.
pub const ARENAS: i32 = 2;

/// What [`bound`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arenas {
    /// Capped at this many arenas.
    Bounded(i32),
    /// `MALLOC_ARENA_MAX` was set: glibc read it at start-up.
    FromEnvironment(String),
    /// Not glibc (or the allocator refused the setting): left as it is.
    Unchanged,
}

/// Caps the allocator's arenas at [`ARENAS`], unless `MALLOC_ARENA_MAX` is set. Call it first thing, before
/// any thread (the runtime, the database pool) allocates: glibc fixes its limit once it has made 8 arenas.
pub fn bound() -> Arenas {
    bound_unless(std::env::var_os("MALLOC_ARENA_MAX"))
}

/// [`bound`], with the environment's `MALLOC_ARENA_MAX` given.
fn bound_unless(environment: Option<std::ffi::OsString>) -> Arenas {
    match environment {
        Some(v) => Arenas::FromEnvironment(v.to_string_lossy().into_owned()),
        None => set(ARENAS),
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn set(n: i32) -> Arenas {
    // SAFETY: mallopt takes two integers and only changes the allocator's parameters; it is thread-safe.
    if unsafe { libc::mallopt(libc::M_ARENA_MAX, n) } == 1 {
        Arenas::Bounded(n)
    } else {
        Arenas::Unchanged
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set(_: i32) -> Arenas {
    Arenas::Unchanged
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use super::*;

    /// The arenas glibc holds now, as its own report (`malloc_info`) lists them.
    fn arenas_in_use() -> usize {
        use std::io::{Read, Seek};
        use std::os::fd::FromRawFd;
        // SAFETY: a temporary FILE written by malloc_info, flushed, and read back through a duplicate of its
        // descriptor before it is closed.
        unsafe {
            let f = libc::tmpfile();
            assert!(!f.is_null());
            assert_eq!(libc::malloc_info(0, f), 0);
            libc::fflush(f);
            let fd = libc::dup(libc::fileno(f));
            libc::fclose(f);
            let mut file = std::fs::File::from_raw_fd(fd);
            file.rewind().unwrap();
            let mut xml = String::new();
            file.read_to_string(&mut xml).unwrap();
            xml.matches("<heap nr=").count()
        }
    }

    /// Eight threads allocating at once, all alive when the arenas are counted.
    fn arenas_with_eight_busy_threads() -> usize {
        let go = std::sync::Arc::new(std::sync::Barrier::new(9));
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let go = go.clone();
                std::thread::spawn(move || {
                    let kept: Vec<Vec<u8>> = (0..64).map(|k| vec![i as u8; 100 + k]).collect();
                    go.wait(); // allocated
                    go.wait(); // counted
                    drop(kept);
                })
            })
            .collect();
        go.wait();
        let n = arenas_in_use();
        go.wait();
        threads.into_iter().for_each(|t| t.join().unwrap());
        n
    }

    /// Runs in a fresh process of this test binary (the harness's threads have made arenas already in this
    /// one): `FOLLICLE_ARENAS_CHILD` says whether to bound first.
    #[test]
    fn the_allocator_keeps_at_most_two_arenas_however_many_threads_work() {
        if let Ok(mode) = std::env::var("FOLLICLE_ARENAS_CHILD") {
            if mode == "bound" {
                assert_eq!(bound(), Arenas::Bounded(ARENAS));
            }
            println!("arenas={}", arenas_with_eight_busy_threads());
            return;
        }
        let run = |mode: &str| -> usize {
            let out = std::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "arenas::tests::the_allocator_keeps_at_most_two_arenas_however_many_threads_work",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env("FOLLICLE_ARENAS_CHILD", mode)
                .env_remove("MALLOC_ARENA_MAX")
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{text}");
            let n = text
                .split("arenas=")
                .nth(1)
                .and_then(|t| t.split_whitespace().next())
                .unwrap_or_else(|| panic!("no count in {text}"));
            n.parse().unwrap()
        };
        let unbounded = run("free");
        let bounded = run("bound");
        assert!(bounded <= ARENAS as usize, "bounded: {bounded} arenas");
        // Without the bound the same threads make an arena each (glibc allows 8 per core).
        assert!(
            unbounded > bounded + 2,
            "{unbounded} arenas unbounded, {bounded} bounded"
        );
        // The operator's own setting is kept.
        assert_eq!(
            bound_unless(Some("4".into())),
            Arenas::FromEnvironment("4".into())
        );
    }
}
