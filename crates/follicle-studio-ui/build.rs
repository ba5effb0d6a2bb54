//! Builds the planning core for the browser (crates/follicle-wasm for wasm32-unknown-unknown) with a nested
//! `cargo build` and leaves `follicle.wasm` in OUT_DIR, where `src/lib.rs` embeds it. The nested build has
//! its own target directory (`<target>/follicle-wasm`, shared by every profile; never the outer build's, so
//! the two never wait on each other's lock) and an environment cleared of the variables cargo sets for
//! build scripts (target, flags, features), which would otherwise leak into it. It reruns when a crate it
//! compiles changes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TARGET: &str = "wasm32-unknown-unknown";
/// The crates compiled into the wasm module (their sources and manifests trigger a rebuild).
const CRATES: &[&str] = &[
    "follicle-wasm",
    "follicle-core",
    "follicle-case",
    "follicle-export",
    "follicle-render",
];

fn main() {
    let manifest =
        PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest.join("../..");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    for c in CRATES {
        for part in ["src", "Cargo.toml"] {
            println!(
                "cargo:rerun-if-changed={}",
                root.join("crates").join(c).join(part).display()
            );
        }
    }
    for f in ["Cargo.lock", "Cargo.toml"] {
        println!("cargo:rerun-if-changed={}", root.join(f).display());
    }
    println!("cargo:rerun-if-env-changed=FOLLICLE_WASM_JOBS");
    let target_dir = target_root(&out).join("follicle-wasm");
    let mut attempt = build(&root, &target_dir);
    if !attempt.status.success() && missing_target(&attempt) {
        // The target's standard library is not installed: try rustup once, then build again.
        let added = Command::new("rustup")
            .args(["target", "add", TARGET])
            .status();
        if added.map(|s| s.success()).unwrap_or(false) {
            attempt = build(&root, &target_dir);
        }
    }
    if !attempt.status.success() {
        let stderr = String::from_utf8_lossy(&attempt.stderr);
        if missing_target(&attempt) {
            panic!("the studio editor runs the planning core as WebAssembly, and Rust's {TARGET} target is not installed: run `rustup target add {TARGET}`\n{stderr}");
        }
        panic!("building the planning core for the browser (cargo build -p follicle-wasm --target {TARGET}) failed:\n{stderr}");
    }
    let wasm = target_dir
        .join(TARGET)
        .join("release")
        .join("follicle_wasm.wasm");
    std::fs::copy(&wasm, out.join("follicle.wasm"))
        .unwrap_or_else(|e| panic!("copy {} into OUT_DIR: {e}", wasm.display()));
}

/// The outer build's target directory (the ancestor of OUT_DIR that holds CACHEDIR.TAG), or OUT_DIR.
fn target_root(out: &Path) -> PathBuf {
    out.ancestors()
        .find(|a| a.join("CACHEDIR.TAG").is_file())
        .unwrap_or(out)
        .to_path_buf()
}

fn missing_target(o: &Output) -> bool {
    let e = String::from_utf8_lossy(&o.stderr);
    e.contains("target may not be installed")
        || e.contains("can't find crate for `core`")
        || e.contains("can't find crate for `std`")
}

/// Runs the nested `cargo build` with a clean environment.
fn build(root: &Path, target_dir: &Path) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root)
        .args([
            "build",
            "--release",
            "--locked",
            "-p",
            "follicle-wasm",
            "--target",
            TARGET,
            "--target-dir",
        ])
        .arg(target_dir)
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"));
    // Everything cargo tells a build script (CARGO_PKG_*, CARGO_CFG_*, CARGO_FEATURE_*, CARGO_ENCODED_RUSTFLAGS,
    // TARGET, PROFILE…) would reconfigure the nested build: clear it, keep the user's cargo home, registry,
    // network and job settings, and the jobserver so both builds share the same job slots.
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        let keep = matches!(
            k.as_str(),
            "CARGO_HOME" | "CARGO_MAKEFLAGS" | "CARGO_NET_OFFLINE" | "CARGO_BUILD_JOBS"
        ) || k.starts_with("CARGO_REGISTRIES_")
            || k.starts_with("CARGO_HTTP_")
            || k.starts_with("CARGO_NET_");
        let drop = (k.starts_with("CARGO") && !keep)
            || k.starts_with("DEP_")
            || matches!(
                k.as_str(),
                "RUSTFLAGS"
                    | "RUSTDOCFLAGS"
                    | "TARGET"
                    | "HOST"
                    | "OUT_DIR"
                    | "PROFILE"
                    | "OPT_LEVEL"
                    | "DEBUG"
                    | "NUM_JOBS"
                    | "RUSTC_LINKER"
                    | "RUSTC_WORKSPACE_WRAPPER"
                    | "CARGO_TARGET_DIR"
            );
        if drop {
            cmd.env_remove(&k);
        }
    }
    // No debug information in the module (smaller, faster to build); the outer release profile keeps its own.
    cmd.env("CARGO_PROFILE_RELEASE_DEBUG", "0");
    // WebAssembly SIMD (every current browser has it) for the sampler's vectorised neighbour scans. It changes
    // no result: no fused multiply-add, no reassociation; the browser test compares the plans byte for byte.
    cmd.env("CARGO_ENCODED_RUSTFLAGS", "-Ctarget-feature=+simd128");
    if let Some(j) = std::env::var_os("FOLLICLE_WASM_JOBS") {
        cmd.env("CARGO_BUILD_JOBS", j);
    }
    cmd.output().expect("run cargo for the WebAssembly build")
}
