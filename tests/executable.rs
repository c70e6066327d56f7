//! The executable as the dynamic loader sees it (issue 23: start-up).

/// On Linux with glibc the executable is linked at a fixed address
/// (`build.rs`): a position-independent one made the loader apply some
/// 23,000 relative relocations at every start, 0.3 M instructions and about
/// 95 page faults of a one-file run (BENCHMARKS.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_linux_executable_is_linked_at_a_fixed_address() {
    use std::io::Read;
    let mut header = [0u8; 18];
    std::fs::File::open(env!("CARGO_BIN_EXE_ecrlint"))
        .and_then(|mut f| f.read_exact(&mut header))
        .expect("the executable is readable");
    assert_eq!(&header[..4], b"\x7fELF");
    // e_type, in the byte order the header names (EI_DATA: 1 little-endian, 2 big).
    let e_type = match header[5] {
        1 => u16::from_le_bytes([header[16], header[17]]),
        2 => u16::from_be_bytes([header[16], header[17]]),
        other => panic!("unknown ELF byte order {other}"),
    };
    assert_eq!(e_type, 2, "ET_EXEC (2) expected; ET_DYN (3) is position-independent");
}
