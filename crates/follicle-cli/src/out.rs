//! Writing to stdout and stderr without ever panicking: `println!` panics when the reader has gone
//! (`follicle screen … | head -1` closes the pipe early), which would turn an outcome's exit status into
//! 101. Every line the CLI prints goes through [`outln!`], [`out!`] or [`errln!`] instead.
//!
//! Why not restore the default SIGPIPE action (terminate the process)? Then the shell would see 141 (killed
//! by SIGPIPE), and `follicle screen`'s exit status is its result (0 go, 1 clearance, 2 deferred, 3 not
//! suitable), which a script must still get when it only reads the first line. So SIGPIPE stays ignored, as
//! the Rust runtime sets it up, and a write that fails with `BrokenPipe` (or any other error: a full disk
//! behind a redirect) quietly ends output to that stream; the command goes on to its exit status.

use std::fmt;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a write to stdout failed: nothing more is written there.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
/// Set once a write to stderr failed.
static STDERR_GONE: AtomicBool = AtomicBool::new(false);

/// Writes to stdout, or nothing once stdout has been closed.
pub fn stdout(args: fmt::Arguments<'_>) {
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if out.write_fmt(args).and_then(|()| out.flush()).is_err() {
        STDOUT_GONE.store(true, Ordering::Relaxed);
    }
}

/// Writes to stderr, or nothing once stderr has been closed.
pub fn stderr(args: fmt::Arguments<'_>) {
    if STDERR_GONE.load(Ordering::Relaxed) {
        return;
    }
    if std::io::stderr().lock().write_fmt(args).is_err() {
        STDERR_GONE.store(true, Ordering::Relaxed);
    }
}

/// `println!` that never panics (see the module comment).
macro_rules! outln {
    () => { $crate::out::stdout(format_args!("\n")) };
    ($($t:tt)*) => { $crate::out::stdout(format_args!("{}\n", format_args!($($t)*))) };
}

/// `print!` that never panics.
macro_rules! out {
    ($($t:tt)*) => { $crate::out::stdout(format_args!($($t)*)) };
}

/// `eprintln!` that never panics.
macro_rules! errln {
    () => { $crate::out::stderr(format_args!("\n")) };
    ($($t:tt)*) => { $crate::out::stderr(format_args!("{}\n", format_args!($($t)*))) };
}
