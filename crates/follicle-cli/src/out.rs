//! Writing to stdout and stderr without ever panicking: `println!` panics when the reader has gone
//! (`follicle screen … | head -1` closes the pipe early), which would turn an outcome's exit status into
//! 101. Every line the CLI prints goes through [`outln!`], [`out!`] or [`errln!`] instead.
//!
//! Why not restore the default SIGPIPE action (terminate the process)? Then the shell would see 141 (killed
//! by SIGPIPE), and `follicle screen`'s exit status is its result (0 go, 1 clearance, 2 deferred, 3 not
//! suitable), which a script must still get when it only reads the first line. So SIGPIPE stays ignored, as
//! the Rust runtime sets it up, and a write that fails with `BrokenPipe` quietly ends output to that stream;
//! the command goes on to its exit status.
//!
//! Any other failure to write stdout (a full disk behind `> result.json`, an I/O error) is different: the
//! reader wanted everything and gets a cut-off file. It is kept ([`stdout_failure`]) and the command ends
//! with "cannot write the output: …" and a failure status, so a cron job learns it has nothing.

use std::fmt;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// Set once a write to stdout failed: nothing more is written there.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
/// Set once a write to stderr failed.
static STDERR_GONE: AtomicBool = AtomicBool::new(false);
/// The first error writing stdout other than a closed pipe.
static STDOUT_FAILURE: OnceLock<String> = OnceLock::new();

/// Writes to stdout, or nothing once stdout has been closed or has failed.
pub fn stdout(args: fmt::Arguments<'_>) {
    if STDOUT_GONE.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        STDOUT_GONE.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = STDOUT_FAILURE.set(io_words(&e));
        }
    }
}

/// Why stdout could not be written, when it failed for a reason other than a closed pipe (the reader
/// leaving early is not a failure; see the module comment): "No space left on device".
pub fn stdout_failure() -> Option<&'static str> {
    STDOUT_FAILURE.get().map(String::as_str)
}

/// An I/O error in words, without Rust's "(os error 28)".
fn io_words(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
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
