//! The VS Code extension as the release packages it: a platform-specific
//! `.vsix` that carries the ecrlint binary, and launch code that finds it
//! without configuration (editors/vscode/src/binary.ts). .ci/run packages one
//! for linux-x64 from the wheel (scripts/package-vscode) and names it in
//! ECRLINT_TEST_VSIX.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn vsix() -> PathBuf {
    PathBuf::from(
        std::env::var_os("ECRLINT_TEST_VSIX").expect(
            "ECRLINT_TEST_VSIX names a packaged .vsix (scripts/package-vscode linux-x64 WHEEL; .ci/run does this)",
        ),
    )
}

/// Unpacks the .vsix (a zip) with Python's zipfile, keeping the modes its
/// entries record as VS Code's installer does; returns each entry's mode.
fn unpack(vsix: &Path, into: &Path) -> Vec<(String, u32)> {
    let script = r#"
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        mode = info.external_attr >> 16
        if mode:
            os.chmod(path, mode & 0o777)
        print(f"{info.filename}\t{mode & 0o777:o}")
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(vsix)
        .arg(into)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (name, mode) = l.split_once('\t').unwrap();
            (name.to_string(), u32::from_str_radix(mode, 8).unwrap())
        })
        .collect()
}

#[test]
#[ignore = "needs the platform .vsix (ECRLINT_TEST_VSIX), Node.js and python3: .ci/run packages it and runs this"]
fn the_platform_package_carries_the_binary_and_its_launch_code_finds_it() {
    let dir = tempfile::tempdir().unwrap();
    let entries = unpack(&vsix(), dir.path());
    let extension = dir.path().join("extension");

    // The manifest names the platform; the binary is in bin/, executable.
    let manifest = std::fs::read_to_string(dir.path().join("extension.vsixmanifest")).unwrap();
    assert!(manifest.contains(r#"TargetPlatform="linux-x64""#), "{manifest}");
    let (_, mode) = entries
        .iter()
        .find(|(name, _)| name == "extension/bin/ecrlint")
        .expect("the .vsix holds extension/bin/ecrlint");
    assert_eq!(mode & 0o111, 0o111, "the binary is executable in the archive: {mode:o}");
    let version = Command::new(extension.join("bin/ecrlint"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("ecrlint {}", env!("CARGO_PKG_VERSION"))
    );

    // Metadata the Marketplace and Open VSX ask for.
    let package: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(extension.join("package.json")).unwrap()).unwrap();
    for key in [
        "publisher",
        "license",
        "repository",
        "icon",
        "homepage",
        "bugs",
        "engines",
    ] {
        assert!(package.get(key).is_some(), "package.json has no {key}");
    }
    assert!(extension.join(package["icon"].as_str().unwrap()).is_file());
    assert_eq!(
        package["contributes"]["configuration"]["properties"]["ecrlint.path"]["default"],
        ""
    );

    // The launch code, as the extension runs it: no setting → the carried
    // binary; a setting → that; no binary carried → `ecrlint` on PATH.
    let script = format!(
        "const b = require({:?}); console.log(JSON.stringify([b.serverCommand('', {:?}), b.serverCommand(' /opt/ecrlint ', {:?}), b.serverCommand(undefined, '/nowhere')]));",
        extension.join("out/binary.js"),
        extension,
        extension
    );
    let out = Command::new("node").args(["-e", &script]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let chosen: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    let carried = extension.join("bin/ecrlint").to_string_lossy().into_owned();
    assert_eq!(chosen, [carried.clone(), "/opt/ecrlint".into(), "ecrlint".into()]);

    // And the binary it finds speaks the language server protocol.
    let mut server = Command::new(&carried)
        .arg("server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}"#;
    let mut stdin = server.stdin.take().unwrap();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    let mut length = 0;
    loop {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.trim().parse().unwrap();
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut reply = vec![0; length];
    stdout.read_exact(&mut reply).unwrap();
    let reply: serde_json::Value = serde_json::from_slice(&reply).unwrap();
    assert_eq!(reply["id"], 1);
    assert!(reply["result"]["capabilities"].is_object(), "{reply}");
    drop(stdin);
    server.kill().ok();
    server.wait().unwrap();
}
