//! Where the report goes, and how a run ends: closed pipes, full disks,
//! devices and FIFOs as `--output-file`, signals, stale reports.
#![cfg(unix)]

mod common;

use common::ecrlint;
use std::fs;
use std::os::fd::FromRawFd;
use std::os::unix::fs::FileTypeExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FINDING: &str = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "21098765432"}]}]}"#;

fn binary() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("ecrlint"));
    cmd.env("COLUMNS", "100");
    cmd
}

/// A pipe whose reading end is already closed: any write to it fails with EPIPE.
/// Both ends are close-on-exec: another test spawning a process between
/// `pipe2` and `close` would otherwise hand that process the read end, and
/// the write would succeed into the pipe's buffer (a CI run saw exit 0).
fn closed_pipe() -> Stdio {
    let mut fds = [0; 2];
    // SAFETY: `pipe2` fills two new descriptors; the read end is closed
    // at once and the write end handed over to `Stdio`, which owns it.
    unsafe {
        assert_eq!(libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC), 0);
        libc::close(fds[0]);
        Stdio::from(std::fs::File::from_raw_fd(fds[1]))
    }
}

/// Files in `dir` whose name marks a temporary report.
fn temporaries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn a_closed_standard_output_ends_every_command_quietly_as_a_pipe_writer_does() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.json"), FINDING).unwrap();
    let runs: [&[&str]; 5] = [
        &["rules"],
        &["explain", "ECR204"],
        &["config", "x.json"],
        &["check", "bad.json"],
        &["check", "--format", "json", "bad.json"],
    ];
    for args in runs {
        let out = binary()
            .current_dir(dir.path())
            .args(args)
            .stdout(closed_pipe())
            .output()
            .unwrap();
        assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{args:?}: {:?}", out.status);
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_full_disk_is_an_error_with_a_message_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.json"), FINDING).unwrap();
    let runs: [&[&str]; 4] = [
        &["rules"],
        &["explain", "ECR204"],
        &["config", "x.json"],
        &["check", "bad.json"],
    ];
    for args in runs {
        let out = binary()
            .current_dir(dir.path())
            .args(args)
            .stdout(fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("No space left on device"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "-o", "/dev/full", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("cannot write /dev/full: No space left on device"),
        "{stderr}"
    );
}

#[test]
fn devices_fifos_and_links_to_them_are_written_in_place_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.json"), FINDING).unwrap();
    std::os::unix::fs::symlink("/dev/null", dir.path().join("null-link")).unwrap();
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "-o", "null-link", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(fs::symlink_metadata(dir.path().join("null-link"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "-o", "/dev/null", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(fs::metadata("/dev/null").unwrap().file_type().is_char_device());

    let fifo = dir.path().join("report.fifo");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: creates a FIFO at a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "-o", "report.fifo", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_str(&reader.join().unwrap()).unwrap();
    assert_eq!(report["summary"]["errors"], 1);
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(temporaries(dir.path()).is_empty());
}

#[test]
fn a_regular_report_file_is_replaced_atomically_even_with_a_name_too_long_for_a_suffix() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.json"), FINDING).unwrap();
    let long = format!("{}.json", "r".repeat(250));
    fs::write(dir.path().join(&long), "old").unwrap();
    std::os::unix::fs::symlink(&long, dir.path().join("link.json")).unwrap();
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "-o", "link.json", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    // The link still points at the file, which now holds the report.
    assert!(fs::symlink_metadata(dir.path().join("link.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    let report: serde_json::Value = serde_json::from_slice(&fs::read(dir.path().join(&long)).unwrap()).unwrap();
    assert_eq!(report["summary"]["errors"], 1);
    assert!(temporaries(dir.path()).is_empty());
}

#[test]
fn no_temporary_file_is_left_when_the_disk_fills_up() {
    let dir = tempfile::tempdir().unwrap();
    // Enough findings for a report larger than the file-size limit below.
    let rules: Vec<String> = (0..400)
        .map(|i| format!(r#"{{"destinations": [{{"region": "us-west-2", "registryId": "1{i}"}}]}}"#))
        .collect();
    fs::write(
        dir.path().join("bad.json"),
        format!(r#"{{"rules": [{}]}}"#, rules.join(",")),
    )
    .unwrap();
    fs::write(dir.path().join("report.json"), "{\"old\": true}").unwrap();
    let mut cmd = binary();
    cmd.current_dir(dir.path())
        .args(["check", "--format", "json", "-o", "report.json", "bad.json"]);
    // SAFETY: between fork and exec, only async-signal-safe calls: a write
    // past 20 KB then fails with EFBIG instead of raising SIGXFSZ.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 20_000,
                rlim_max: 20_000,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("error: cannot write report.json: File too large"),
        "{stderr}"
    );
    assert!(temporaries(dir.path()).is_empty());
    assert!(!dir.path().join("report.json").exists(), "the old report is stale");
    assert!(stderr.contains("removed the previous report report.json"), "{stderr}");
}

#[test]
fn a_signal_removes_the_temporary_report() {
    let dir = tempfile::tempdir().unwrap();
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // Standard input stays open, so the run waits with its temporary file created.
        let mut child = binary()
            .current_dir(dir.path())
            .args(["check", "--format", "json", "-o", "report.json", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while temporaries(dir.path()).is_empty() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "no temporary file appeared"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        // SAFETY: signals the child we spawned, by its id.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(signal));
        assert!(temporaries(dir.path()).is_empty(), "{:?}", temporaries(dir.path()));
        assert!(!dir.path().join("report.json").exists());
    }
}

#[test]
fn a_run_that_writes_no_report_removes_the_previous_one_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.json"), FINDING).unwrap();
    fs::write(dir.path().join("broken.toml"), "[rules\n").unwrap();
    fs::write(dir.path().join("report.sarif"), "{\"stale\": true}").unwrap();
    let out = ecrlint()
        .current_dir(dir.path())
        .args([
            "check",
            "--format",
            "sarif",
            "--config",
            "broken.toml",
            "-o",
            "report.sarif",
            "bad.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("removed the previous report report.sarif: this run wrote none"),
        "{stderr}"
    );
    assert!(!dir.path().join("report.sarif").exists());
}

#[test]
fn a_full_standard_error_does_not_turn_an_error_into_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.json"), FINDING).unwrap();
    let runs: [&[&str]; 3] = [
        &["check", "missing.json"],
        &["check", "--source-region", "us-esat-1", "bad.json"],
        &["explain", "ECR999"],
    ];
    for args in runs {
        let out = binary()
            .current_dir(dir.path())
            .args(args)
            .stdout(Stdio::null())
            .stderr(fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn output_file_makes_missing_folders_and_dash_is_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.json"), FINDING).unwrap();
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "-o", "reports/ci/ecrlint.json", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("reports/ci/ecrlint.json")).unwrap()).unwrap();
    assert_eq!(report["files"][0]["path"], "bad.json");
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "-o", "-", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["path"], "bad.json");
    assert!(!dir.path().join("-").exists(), "`-` is standard output, not a file");
}
