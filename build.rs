//! Links the `ecrlint` executable at a fixed address (not position-independent)
//! on Linux with glibc. A position-independent one starts with the dynamic
//! loader applying some 23,000 relative relocations to it, which writes into
//! (and so faults in) the pages they sit in: 8 % of the instructions and a
//! quarter of the page faults of a one-file run, the pre-commit and on-save
//! case (BENCHMARKS.md, issue 23).
//! Shared libraries, the stack and the heap are still placed at random; only
//! the executable's own code and data are not, which for a local linter that
//! reads files and opens no port is a small loss. The glibc symbols it needs
//! are the same either way (the wheel's 2.17 promise, tests/wheel.rs).
//! musl builds are left static-pie, as Rust makes them.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        // After rustc's own `-pie`, which the later flag overrides.
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
