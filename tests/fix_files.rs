//! `--fix` and the file system: a fix is written only over the very file it
//! was computed from, only where the user may write and asked for it, and
//! the file keeps what it was (owner, group, mode, hard links, extended
//! attributes); standard input comes back byte for byte but for the fixes.

mod common;

use common::ecrlint;
use ecrlint::cli::replace::{flushes_on_this_thread, write_fixed, Target, CHANGED};
use ecrlint::fix::stamp::Stamp;
use std::fs;
use std::path::Path;

const FIXABLE: &str = "{\"rules\": [{\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}],\n  \"repositoryFilters\": [{\"filter\": \"prod\", \"filterType\": \"PREFIX\"}]}]}\n";

fn fixed(text: &str) -> String {
    text.replace("\"PREFIX\"", "\"PREFIX_MATCH\"")
}

/// Runs `check --isolated --fix ARGS` in `dir`: exit code and standard error.
fn fix_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = ecrlint()
        .current_dir(dir)
        .args(["check", "--isolated", "--fix"])
        .args(args)
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stderr).unwrap())
}

/// What the writer is given for `path` as read now.
fn read_now(path: &Path) -> (Vec<u8>, Stamp) {
    let stamp = Stamp::of(&fs::metadata(path).unwrap());
    (fs::read(path).unwrap(), stamp)
}

fn named<'a>(path: &'a Path, original: &'a [u8], read: Stamp) -> Target<'a> {
    Target {
        path,
        found: false,
        roots: &[],
        original,
        read: Some(read),
        sync: true,
    }
}

#[test]
fn a_save_made_after_the_read_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    // Each way a file can change between the read and the write.
    type Save = fn(&Path, std::time::SystemTime);
    let saves: [(&str, Save); 4] = [
        ("other text", |p, _| fs::write(p, "{\"rules\": []}\n").unwrap()),
        ("same size, other bytes", |p, _| {
            fs::write(p, FIXABLE.replace("prod", "test")).unwrap()
        }),
        ("same bytes, touched", |p, t| {
            fs::File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(t)
                .unwrap()
        }),
        ("same bytes, another file renamed over it", |p, _| {
            let new = p.with_extension("new");
            fs::write(&new, FIXABLE).unwrap();
            fs::rename(new, p).unwrap();
        }),
    ];
    for (what, save) in saves {
        fs::write(&path, FIXABLE).unwrap();
        let (original, stamp) = read_now(&path);
        save(&path, later);
        let saved = fs::read(&path).unwrap();
        let refused = write_fixed(&named(&path, &original, stamp), fixed(FIXABLE).as_bytes()).unwrap_err();
        assert_eq!((refused.reason.as_str(), refused.trouble), (CHANGED, true), "{what}");
        assert_eq!(fs::read(&path).unwrap(), saved, "{what}");
    }
    // Unchanged since the read: written, and nothing left beside it.
    fs::write(&path, FIXABLE).unwrap();
    let (original, stamp) = read_now(&path);
    write_fixed(&named(&path, &original, stamp), fixed(FIXABLE).as_bytes()).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), fixed(FIXABLE));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[path = "common/duplicates.rs"]
#[allow(dead_code)] // shared with tests/fixes.rs, which uses all of it
mod duplicates;

/// The same through `check --fix`: `a.json` is slow to fix (many
/// duplicates), `z.json` is read at once but written after `a.json`, in
/// input order; a save of `z.json` lands in between. The run leaves the
/// save, names `z.json` (exit 2) and still fixes `a.json`. When the save
/// came before the read (a loaded machine), the run is tried again with
/// more duplicates.
#[test]
fn a_save_during_fix_is_kept_named_and_the_others_are_fixed() {
    let saved = "{\"saved\": \"by the editor\"}\n";
    for n in [60_000, 120_000, 240_000] {
        let dir = tempfile::tempdir().unwrap();
        let (a, z) = (dir.path().join("a.json"), dir.path().join("z.json"));
        fs::write(&a, duplicates::identical_destinations(n)).unwrap();
        fs::write(&z, FIXABLE).unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_ecrlint"))
            .args([
                "check",
                "--isolated",
                "--fix",
                "--unsafe-fixes",
                "--format",
                "concise",
                "a.json",
                "z.json",
            ])
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(700));
        let new = z.with_extension("saving");
        fs::write(&new, saved).unwrap();
        fs::rename(&new, &z).unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Whatever the timing, no byte of the save is lost and a.json is fixed.
        assert_eq!(fs::read_to_string(&z).unwrap(), saved);
        assert_eq!(
            fs::read_to_string(&a).unwrap(),
            duplicates::identical_destinations(1),
            "{stderr}"
        );
        if stderr.contains("cannot write the fixes to z.json") {
            assert!(stderr.contains(CHANGED), "{stderr}");
            assert_eq!(out.status.code(), Some(2), "{stderr}");
            return;
        }
    }
    panic!("the save never landed between the read and the write of z.json");
}

#[test]
fn standard_input_comes_back_with_only_the_fixes_changed() {
    let run = |input: &[u8]| {
        let out = ecrlint()
            .args(["check", "--isolated", "--fix", "-", "--stdin-filename", "x.json"])
            .write_stdin(input)
            .output()
            .unwrap();
        (
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code(),
        )
    };
    // A byte-order mark, CRLF, a tab and characters outside ASCII stay.
    let text = format!(
        "\u{feff}{}",
        FIXABLE.replace('\n', "\r\n").replace("prod", "prod-é\u{2028}")
    );
    let (out, _, _) = run(text.as_bytes());
    assert_eq!(String::from_utf8(out).unwrap(), fixed(&text));
    // Bytes that are not UTF-8: returned as they came, with the findings.
    let mut latin1 = FIXABLE.replace("prod", "prod-\u{1}").into_bytes();
    let at = latin1.iter().position(|&b| b == 1).unwrap();
    latin1[at] = 0xe9;
    let (out, stderr, code) = run(&latin1);
    assert_eq!(out, latin1);
    assert!(stderr.contains("ECR001"), "{stderr}");
    assert_eq!(code, Some(1));
    // UTF-16, with and without a byte-order mark.
    let wide: Vec<u8> = FIXABLE.encode_utf16().flat_map(u16::to_le_bytes).collect();
    for input in [[&[0xff, 0xfe][..], &wide].concat(), wide.clone()] {
        let (out, stderr, code) = run(&input);
        assert_eq!(out, input);
        assert!(stderr.contains("UTF-16"), "{stderr}");
        assert_eq!(code, Some(1));
    }
}

#[cfg(unix)]
#[test]
fn a_folder_walk_never_writes_through_a_link_out_of_its_folders() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "outside/a.json", FIXABLE);
    common::write(dir.path(), "tree/real.json", FIXABLE);
    common::write(dir.path(), "tree/plain.json", FIXABLE);
    symlink("../outside/a.json", dir.path().join("tree/out.json")).unwrap();
    symlink("real.json", dir.path().join("tree/in.json")).unwrap();
    let (code, stderr) = fix_in(dir.path(), &["tree"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error: cannot write the fixes to tree/out.json: it leads to ")
            && stderr.contains("outside/a.json, outside the folders given"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(dir.path().join("outside/a.json")).unwrap(), FIXABLE);
    assert!(fs::symlink_metadata(dir.path().join("tree/out.json"))
        .unwrap()
        .is_symlink());
    // Inside the folders: the target is fixed under its own name, the link stays a link.
    assert_eq!(
        fs::read_to_string(dir.path().join("tree/real.json")).unwrap(),
        fixed(FIXABLE)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("tree/plain.json")).unwrap(),
        fixed(FIXABLE)
    );
    assert!(fs::symlink_metadata(dir.path().join("tree/in.json"))
        .unwrap()
        .is_symlink());
    // A link named on the command line is followed, and said so.
    let (code, stderr) = fix_in(dir.path(), &["tree/out.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("note: tree/out.json is a symbolic link: its target ")
            && stderr.contains("outside/a.json is fixed"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("outside/a.json")).unwrap(),
        fixed(FIXABLE)
    );
    assert!(fs::symlink_metadata(dir.path().join("tree/out.json"))
        .unwrap()
        .is_symlink());
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_and_the_others_are_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "locked.json", FIXABLE);
    common::write(dir.path(), "open.json", FIXABLE);
    let locked = dir.path().join("locked.json");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o444)).unwrap();
    // Refused even by root, who could write it.
    let (code, stderr) = fix_in(dir.path(), &["locked.json", "open.json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error: cannot write the fixes to locked.json: it is read-only (mode 0444)"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&locked).unwrap(), FIXABLE);
    assert_eq!(mode(&locked), 0o444);
    assert_eq!(
        fs::read_to_string(dir.path().join("open.json")).unwrap(),
        fixed(FIXABLE)
    );
}

#[cfg(unix)]
#[test]
fn hard_links_owner_group_mode_and_extended_attributes_are_kept() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "a.json", FIXABLE);
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    fs::hard_link(&a, &b).unwrap();
    fs::set_permissions(&a, fs::Permissions::from_mode(0o664)).unwrap();
    let inode = fs::metadata(&a).unwrap().ino();
    let (code, stderr) = fix_in(dir.path(), &["a.json"]);
    assert_eq!(code, 0, "{stderr}");
    // Written in place: both names see the fix, still one file.
    assert_eq!(fs::read_to_string(&b).unwrap(), fixed(FIXABLE));
    let meta = fs::metadata(&a).unwrap();
    assert_eq!((meta.ino(), meta.nlink(), mode(&a)), (inode, 2, 0o664));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "nothing left beside it");

    // One link: replaced, with the old file's owner, group, mode and attributes.
    common::write(dir.path(), "c.json", FIXABLE);
    let c = dir.path().join("c.json");
    fs::set_permissions(&c, fs::Permissions::from_mode(0o640)).unwrap();
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        std::os::unix::fs::chown(&c, Some(1234), Some(5678)).unwrap();
    }
    let attribute = set_xattr(&c, "user.ecrlint-test", b"kept");
    let (code, stderr) = fix_in(dir.path(), &["c.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(fs::read_to_string(&c).unwrap(), fixed(FIXABLE));
    let meta = fs::metadata(&c).unwrap();
    assert_eq!(mode(&c), 0o640);
    if root {
        assert_eq!((meta.uid(), meta.gid()), (1234, 5678));
    }
    if attribute {
        assert_eq!(get_xattr(&c, "user.ecrlint-test").as_deref(), Some(&b"kept"[..]));
    } else {
        eprintln!("extended attributes not tested: the file system takes no user attributes");
    }
}

/// Durability per file is asked for (`--sync`): a replaced file is flushed
/// to disk before the swap only then, and is the same file either way. A
/// file written in place (several hard links) flushes its backup and itself
/// whatever was asked: its original bytes must be on disk before they are
/// overwritten.
#[cfg(unix)]
#[test]
fn a_replaced_file_is_flushed_only_when_asked_and_one_written_in_place_always() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.json");
    let mut flushed = Vec::new();
    for sync in [false, true] {
        fs::write(&path, FIXABLE).unwrap();
        let (original, stamp) = read_now(&path);
        let before = flushes_on_this_thread();
        let target = Target {
            sync,
            ..named(&path, &original, stamp)
        };
        assert_eq!(write_fixed(&target, fixed(FIXABLE).as_bytes()).unwrap(), None);
        flushed.push(flushes_on_this_thread() - before);
        assert_eq!(fs::read_to_string(&path).unwrap(), fixed(FIXABLE), "sync {sync}");
    }
    assert_eq!(flushed, [0, 1]);

    let link = dir.path().join("b.json");
    fs::hard_link(&path, &link).unwrap();
    let mut flushed = Vec::new();
    for sync in [false, true] {
        fs::write(&path, FIXABLE).unwrap();
        let inode = fs::metadata(&path).unwrap().ino();
        let (original, stamp) = read_now(&path);
        let before = flushes_on_this_thread();
        let target = Target {
            sync,
            ..named(&path, &original, stamp)
        };
        write_fixed(&target, fixed(FIXABLE).as_bytes()).unwrap();
        flushed.push(flushes_on_this_thread() - before);
        assert_eq!(fs::read_to_string(&link).unwrap(), fixed(FIXABLE), "sync {sync}");
        assert_eq!(fs::metadata(&path).unwrap().ino(), inode, "written in place");
    }
    assert_eq!(flushed, [2, 2]);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "nothing left beside them");
}

/// Sets an extended attribute; `false` where the file system has none.
#[cfg(unix)]
fn set_xattr(path: &Path, name: &str, value: &[u8]) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let p = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
        let n = std::ffi::CString::new(name).unwrap();
        // SAFETY: valid C strings and a buffer of that length.
        unsafe { libc::setxattr(p.as_ptr(), n.as_ptr(), value.as_ptr().cast(), value.len(), 0) == 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (path, name, value);
        false
    }
}

#[cfg(target_os = "linux")]
fn get_xattr(path: &Path, name: &str) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    let p = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    let n = std::ffi::CString::new(name).unwrap();
    let mut buf = vec![0u8; 256];
    // SAFETY: valid C strings and a buffer of that length.
    let got = unsafe { libc::getxattr(p.as_ptr(), n.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    (got >= 0).then(|| {
        buf.truncate(got as usize);
        buf
    })
}

#[cfg(not(target_os = "linux"))]
fn get_xattr(_: &Path, _: &str) -> Option<Vec<u8>> {
    None
}

/// As another user (root runs the binary as `nobody` with setpriv): a
/// file of root's that user may not write is refused, though the folder
/// lets anyone replace it; one the user may write (mode 0666) is written
/// in place, so it stays root's.
#[cfg(target_os = "linux")]
#[test]
fn another_users_file_is_refused_or_keeps_its_owner() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let setpriv = std::process::Command::new("setpriv").arg("--version").output().is_ok();
    if !root || !setpriv {
        eprintln!("skipped: needs root and setpriv to run as another user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let shared = dir.path().join("shared");
    common::write(&shared, "theirs.json", FIXABLE);
    common::write(&shared, "writable.json", FIXABLE);
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).unwrap();
    fs::set_permissions(shared.join("theirs.json"), fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(shared.join("writable.json"), fs::Permissions::from_mode(0o666)).unwrap();
    let binary = assert_cmd::cargo::cargo_bin("ecrlint");
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&binary)
        .args(["check", "--isolated", "--fix", "theirs.json", "writable.json"])
        .current_dir(&shared)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: cannot write the fixes to theirs.json: you may not write it (owner 0, mode 0644)"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(shared.join("theirs.json")).unwrap(), FIXABLE);
    let writable = shared.join("writable.json");
    assert_eq!(fs::read_to_string(&writable).unwrap(), fixed(FIXABLE));
    let meta = fs::metadata(&writable).unwrap();
    assert_eq!((meta.uid(), meta.gid(), mode(&writable)), (0, 0, 0o666));
}
