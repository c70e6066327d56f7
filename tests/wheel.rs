//! The PyPI wheel (`scripts/build-wheel`, maturin `bin` bindings): installed
//! with pip into a fresh virtual environment, its `ecrlint` lints the bundled
//! examples exactly as the binary cargo builds does, and it needs no glibc
//! newer than 2.17 (manylinux2014), so it starts on Amazon Linux 2 and
//! CentOS 7. The wheel is named by `ECRLINT_TEST_WHEEL` (`.ci/run` builds it
//! and sets it); the tests that need it are ignored without `--ignored`.

mod common;

use common::test_wheel;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The oldest glibc the wheel promises (manylinux2014).
const GLIBC_FLOOR: (u32, u32) = (2, 17);

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    out
}

fn ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A fresh virtual environment with only the wheel installed into it (no
/// index: nothing is built or fetched), shared by the tests.
fn venv(wheel: &Path) -> &'static Path {
    static VENV: OnceLock<tempfile::TempDir> = OnceLock::new();
    VENV.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        ok(Command::new("python3").args(["-m", "venv"]).arg(dir.path()));
        ok(Command::new(dir.path().join("bin/pip"))
            .args([
                "install",
                "--quiet",
                "--no-index",
                "--no-deps",
                "--disable-pip-version-check",
            ])
            .arg(wheel));
        dir
    })
    .path()
}

#[test]
#[ignore = "needs ECRLINT_TEST_WHEEL, a wheel from scripts/build-wheel: .ci/run builds it and runs this"]
fn the_wheel_is_named_for_this_version_and_manylinux2014() {
    let wheel = test_wheel();
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    let version = env!("CARGO_PKG_VERSION");
    assert!(name.starts_with(&format!("ecrlint-{version}-py3-none-")), "{name}");
    assert!(name.contains("manylinux_2_17_x86_64"), "{name}");
    let venv = venv(&wheel);
    let shown = ok(Command::new(venv.join("bin/pip")).args(["show", "ecrlint"]));
    assert!(shown.lines().any(|l| l == format!("Version: {version}")), "{shown}");
    let out = ok(Command::new(venv.join("bin/ecrlint")).arg("--version"));
    assert_eq!(out.trim(), format!("ecrlint {version}"));
}

/// The wheel carries both licences of `MIT OR Apache-2.0` (maturin takes
/// the top-level `LICENSE-*` files into `.dist-info` and names them in the
/// metadata as `License-File`), byte for byte the repository's.
#[test]
#[ignore = "needs ECRLINT_TEST_WHEEL, a wheel from scripts/build-wheel: .ci/run builds it and runs this"]
fn the_wheel_carries_both_licence_texts() {
    let wheel = test_wheel();
    let dir = tempfile::tempdir().unwrap();
    ok(Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(&wheel)
        .arg(dir.path()));
    let dist_info = dir
        .path()
        .join(format!("ecrlint-{}.dist-info", env!("CARGO_PKG_VERSION")));
    let metadata = std::fs::read_to_string(dist_info.join("METADATA")).unwrap();
    assert!(
        metadata.lines().any(|l| l == "License: MIT OR Apache-2.0"),
        "{metadata}"
    );
    fn files(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, found);
            } else {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    files(&dist_info, &mut found);
    for name in ["LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(
            metadata.lines().any(|l| l == format!("License-File: {name}")),
            "{name} not in the metadata:\n{metadata}"
        );
        let copies: Vec<_> = found.iter().filter(|p| p.file_name().unwrap() == name).collect();
        assert_eq!(copies.len(), 1, "{name} once in .dist-info: {found:?}");
        let repository = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap();
        assert_eq!(std::fs::read(copies[0]).unwrap(), repository, "{name}");
    }
}

/// `ecrlint check examples/` from the virtual environment: the README's
/// first command, with its documented result (findings: exit 1), byte for
/// byte the report of the binary the tests build.
#[test]
#[ignore = "needs ECRLINT_TEST_WHEEL, a wheel from scripts/build-wheel: .ci/run builds it and runs this"]
fn the_installed_wheel_lints_the_examples_as_documented() {
    let wheel = test_wheel();
    let venv = venv(&wheel);
    let root = env!("CARGO_MANIFEST_DIR");
    let check = |program: &Path, format: &str| {
        run(Command::new(program)
            .current_dir(root)
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env_remove("FORCE_COLOR")
            .args(["check", "--format", format, "examples/"]))
    };
    let from_wheel = check(&venv.join("bin/ecrlint"), "human");
    let text = String::from_utf8_lossy(&from_wheel.stdout);
    assert_eq!(from_wheel.status.code(), Some(1), "{text}");
    for finding in [
        "examples/invalid-common-mistakes.json:8:21 ECR205 invalid-filter",
        "examples/describe-registry.json:",
        "ECR312",
    ] {
        assert!(text.contains(finding), "{finding} missing:\n{text}");
    }
    assert!(!text.contains("valid-cross-region.json:"), "{text}");
    assert!(!text.contains("cloudformation.yaml:"), "{text}");
    for format in ["human", "json", "sarif"] {
        let wheel = check(&venv.join("bin/ecrlint"), format);
        let built = check(Path::new(env!("CARGO_BIN_EXE_ecrlint")), format);
        assert_eq!(wheel.status.code(), built.status.code(), "{format}");
        assert_eq!(
            String::from_utf8_lossy(&wheel.stdout),
            String::from_utf8_lossy(&built.stdout),
            "{format}"
        );
        assert_eq!(
            String::from_utf8_lossy(&wheel.stderr),
            String::from_utf8_lossy(&built.stderr),
            "{format}"
        );
    }
}

/// The highest `GLIBC_x.y[.z]` version among the symbols of a dynamic symbol
/// table as `objdump -T` or `readelf --dyn-syms` print it.
fn highest_glibc(symbols: &str) -> Option<(u32, u32)> {
    symbols
        .match_indices("GLIBC_")
        .filter_map(|(at, tag)| {
            let rest = &symbols[at + tag.len()..];
            let end = rest
                .find(|c: char| !c.is_ascii_digit() && c != '.')
                .unwrap_or(rest.len());
            let mut parts = rest[..end].split('.').map(|p| p.parse::<u32>().ok());
            Some((parts.next()??, parts.next().flatten().unwrap_or(0)))
        })
        .max()
}

#[test]
fn highest_glibc_reads_both_tools_output() {
    let objdump = "0000000000000000      DF *UND*\t0000000000000000 (GLIBC_2.34) __libc_start_main\n\
                   0000000000000000  w   DF *UND*\t0000000000000000 (GLIBC_2.2.5) __cxa_finalize\n\
                   0000000000000000      DF *UND*\t0000000000000000  GLIBC_2.14  memcpy\n";
    assert_eq!(highest_glibc(objdump), Some((2, 34)));
    let readelf = "     7: 0000000000000000     0 FUNC    GLOBAL DEFAULT  UND memcpy@GLIBC_2.14 (5)\n\
                   \x20    9: 0000000000000000     0 FUNC    GLOBAL DEFAULT  UND pthread_key_create@GLIBC_2.2.5 (3)\n";
    assert_eq!(highest_glibc(readelf), Some((2, 14)));
    // 2.17 is above 2.2.5 and 2.9: versions compare as numbers, not text.
    assert_eq!(
        highest_glibc("(GLIBC_2.9) a\n(GLIBC_2.17) b\n(GLIBC_2.2.5) c"),
        Some((2, 17))
    );
    assert_eq!(highest_glibc("no versions here"), None);
}

/// The binary inside the wheel (pip copies it unchanged into the virtual
/// environment's `bin`) asks for no glibc symbol version above 2.17.
#[test]
#[ignore = "needs ECRLINT_TEST_WHEEL, a wheel from scripts/build-wheel: .ci/run builds it and runs this"]
fn the_wheel_binary_needs_glibc_2_17_at_most() {
    let wheel = test_wheel();
    let binary = venv(&wheel).join("bin/ecrlint");
    let symbols = match Command::new("objdump").arg("-T").arg(&binary).output() {
        Ok(out) if out.status.success() => out.stdout,
        _ => ok(Command::new("readelf").args(["--dyn-syms", "-W"]).arg(&binary)).into_bytes(),
    };
    let symbols = String::from_utf8_lossy(&symbols);
    let highest = highest_glibc(&symbols).expect("a glibc-linked binary names GLIBC versions");
    eprintln!("highest GLIBC symbol version: {}.{}", highest.0, highest.1);
    assert!(
        highest <= GLIBC_FLOOR,
        "the wheel's binary needs GLIBC_{}.{}, above manylinux2014's 2.17:\n{}",
        highest.0,
        highest.1,
        symbols
            .lines()
            .filter(|l| highest_glibc(l).is_some_and(|v| v > GLIBC_FLOOR))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// `uvx` and `pipx run` take the wheel as they would take it from PyPI, each
/// in a home of its own, and run `ecrlint check examples/` (exit 1).
#[test]
#[ignore = "needs ECRLINT_TEST_WHEEL, uvx and pipx: .ci/run provides them and runs this"]
fn uvx_and_pipx_run_the_wheel() {
    let wheel = test_wheel();
    let root = env!("CARGO_MANIFEST_DIR");
    let home = tempfile::tempdir().unwrap();
    let expect = |tool: &str, out: Output| {
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{tool}:\n{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("examples/invalid-common-mistakes.json:8:21 ECR205 invalid-filter"),
            "{tool}:\n{text}"
        );
    };
    common::needs_command("uvx", "pip install uv");
    common::needs_command("pipx", "pip install pipx");
    {
        let out = run(Command::new("uvx")
            .current_dir(root)
            .env("UV_CACHE_DIR", home.path().join("uv-cache"))
            .env("UV_TOOL_DIR", home.path().join("uv-tools"))
            .env("NO_COLOR", "1")
            .args(["--offline", "--from"])
            .arg(&wheel)
            .args(["ecrlint", "check", "examples/"]));
        expect("uvx", out);
    }
    {
        let out = run(Command::new("pipx")
            .current_dir(root)
            .env("PIPX_HOME", home.path().join("pipx"))
            .env("PIPX_BIN_DIR", home.path().join("pipx-bin"))
            .env("NO_COLOR", "1")
            .args(["run", "--spec"])
            .arg(&wheel)
            .args(["ecrlint", "check", "examples/"]));
        expect("pipx", out);
    }
}

/// The static wheel (`scripts/build-wheel --musl`, musllinux_1_2), named by
/// `ECRLINT_TEST_MUSL_WHEEL`: its binary has no dynamic section at all (it
/// needs no C library, so it runs on Alpine and any Linux x86_64) and
/// reports the examples exactly as the cargo-built binary does. `.ci/run`
/// builds it and runs this when rustup can add the musl target.
#[test]
#[ignore = "needs ECRLINT_TEST_MUSL_WHEEL, a wheel from scripts/build-wheel --musl: .ci/run builds it where rustup can add the musl target"]
fn the_musl_wheel_is_static_and_lints_the_examples_the_same() {
    let wheel = PathBuf::from(common::needs_env(
        "ECRLINT_TEST_MUSL_WHEEL",
        "a wheel from scripts/build-wheel --musl",
    ));
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.contains("musllinux_1_2_x86_64"), "{name}");
    // pip refuses a musllinux wheel on a glibc system: unpack it instead.
    let dir = tempfile::tempdir().unwrap();
    ok(Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(&wheel)
        .arg(dir.path()));
    let binary = dir
        .path()
        .join(format!("ecrlint-{}.data/scripts/ecrlint", env!("CARGO_PKG_VERSION")));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = run(Command::new("readelf").arg("-d").arg(&binary));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("There is no dynamic section"),
        "a static binary has no dynamic section:\n{text}"
    );
    let check = |program: &Path| {
        run(Command::new(program)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .args(["check", "--format", "json", "examples/"]))
    };
    let (musl, built) = (check(&binary), check(Path::new(env!("CARGO_BIN_EXE_ecrlint"))));
    assert_eq!(musl.status.code(), Some(1));
    assert_eq!(musl.stdout, built.stdout);
}
