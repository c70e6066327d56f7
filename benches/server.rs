//! `cargo bench --bench server`: how long `ecrlint server` takes from a
//! `didChange` to the `publishDiagnostics` of that version, driven over
//! pipes as an editor drives it. Prints a Markdown table for BENCHMARKS.md;
//! nothing is asserted.
//!
//! `cargo test --bench server` (no `--bench` argument, a debug build) runs
//! every step on small inputs, once or twice, as a smoke test: at full size
//! a hover there re-reads every open document into the workspace model
//! (8.5 MB of them by the last steps), 12 to 20 s a hover in a debug build.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

struct Server {
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    child: std::process::Child,
    next_id: i64,
    /// Messages read while waiting for something else, oldest first.
    pending: std::collections::VecDeque<Value>,
}

fn read_message(out: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line.trim_end().is_empty() {
            break;
        }
        if let Some(v) = line.trim_end().strip_prefix("Content-Length: ") {
            length = v.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    out.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Server {
    fn start() -> Server {
        Server::start_in(None)
    }

    /// Started with `root` as its workspace folder, when given.
    fn start_in(root: Option<&str>) -> Server {
        // ECRLINT_BIN runs another build (a before/after in one run).
        let binary = std::env::var("ECRLINT_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_ecrlint").into());
        let mut child = Command::new(binary)
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            while let Some(m) = read_message(&mut out) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        let mut s = Server {
            stdin: child.stdin.take().unwrap(),
            incoming: rx,
            child,
            next_id: 0,
            pending: Default::default(),
        };
        let folders = root.map(|uri| json!([{"uri": uri, "name": "w"}]));
        s.request(
            "initialize",
            json!({"capabilities": {"general": {"positionEncodings": ["utf-16"]}}, "workspaceFolders": folders}),
        );
        s.send(json!({"method": "initialized", "params": {}}));
        s
    }

    fn send(&mut self, mut message: Value) {
        message["jsonrpc"] = json!("2.0");
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"id": id, "method": method, "params": params}));
        loop {
            let m = self.incoming.recv_timeout(Duration::from_secs(60)).expect("an answer");
            if m["id"] == id && m.get("method").is_none() {
                return m;
            }
            // Kept: a lint may publish before a slow request is answered,
            // and the caller may wait for that publication next (dropping
            // it left "hover while linting" waiting until its timeout).
            self.pending.push_back(m);
        }
    }

    fn published(&mut self, uri: &str, version: i64) -> usize {
        self.published_where(uri, version, |_| true).len()
    }

    /// The diagnostics of the first publication for this version that `pick` accepts.
    fn published_where(&mut self, uri: &str, version: i64, pick: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        loop {
            let m = match self.pending.pop_front() {
                Some(m) => m,
                None => self
                    .incoming
                    .recv_timeout(Duration::from_secs(60))
                    .expect("diagnostics"),
            };
            if m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
                && pick(m["params"]["diagnostics"].as_array().unwrap())
            {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> usize {
        self.send(json!({"method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}}));
        self.published(uri, 1)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// About `target` bytes of configuration: rules of 8 destinations and 20
/// filters each, as in the lint benchmark.
fn big_config(target: usize) -> String {
    let mut rules = Vec::new();
    let mut size = 0;
    let mut rule = 0;
    while size < target {
        let destinations: Vec<String> = (0..8)
            .map(|d| {
                format!(
                    "        {{\"region\": \"{}\", \"registryId\": \"2{rule:06}{d:05}\"}}",
                    ["us-west-2", "eu-west-1", "ap-northeast-1", "us-east-2"][d % 4]
                )
            })
            .collect();
        let filters: Vec<String> = (0..20)
            .map(|f| format!("        {{\"filter\": \"team{rule}/svc-{f}/\", \"filterType\": \"PREFIX_MATCH\"}}"))
            .collect();
        let r = format!(
            "    {{\n      \"destinations\": [\n{}\n      ],\n      \"repositoryFilters\": [\n{}\n      ]\n    }}",
            destinations.join(",\n"),
            filters.join(",\n")
        );
        size += r.len() + 2;
        rules.push(r);
        rule += 1;
    }
    format!("{{\n  \"rules\": [\n{}\n  ]\n}}\n", rules.join(",\n"))
}

/// A configuration of `count` small rules (one destination, one filter).
fn many_rules(count: usize) -> String {
    let rules: Vec<String> = (0..count)
        .map(|i| {
            format!(
                "    {{\"destinations\": [{{\"region\": \"us-west-2\", \"registryId\": \"2{i:011}\"}}], \"repositoryFilters\": [{{\"filter\": \"svc-{i}/\", \"filterType\": \"PREFIX_MATCH\"}}]}}"
            )
        })
        .collect();
    format!("{{\n  \"rules\": [\n{}\n  ]\n}}\n", rules.join(",\n"))
}

fn stats(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[0], times[times.len() / 2])
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Whole-text changes alternating between two texts, `runs` times.
fn full_changes(s: &mut Server, uri: &str, texts: [&str; 2], runs: usize) -> (Duration, Duration, usize) {
    let mut times = Vec::new();
    let mut found = 0;
    for version in 2..2 + runs as i64 {
        let text = texts[version as usize % 2];
        let t = Instant::now();
        s.send(json!({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}}));
        found = s.published(uri, version);
        times.push(t.elapsed());
    }
    let (min, median) = stats(times);
    (min, median, found)
}

/// `typed` (one character) typed and deleted at `line`, `character`,
/// incremental changes.
fn typing(s: &mut Server, uri: &str, (line, character): (u64, u64), typed: &str, runs: usize) -> (Duration, Duration) {
    let mut times = Vec::new();
    for version in 2..2 + runs as i64 {
        let at = json!({"line": line, "character": character});
        let after = json!({"line": line, "character": character + 1});
        let change = if version % 2 == 0 {
            json!({"range": {"start": at, "end": at}, "text": typed})
        } else {
            json!({"range": {"start": at, "end": after}, "text": ""})
        };
        let t = Instant::now();
        s.send(json!({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}}));
        s.published(uri, version);
        times.push(t.elapsed());
    }
    stats(times)
}

/// Sizes and run counts: full under `cargo bench`, small under `cargo test`.
struct Scale {
    big: usize,
    two: usize,
    rules: usize,
    keystrokes: i64,
    runs: usize,
    few: usize,
    files: usize,
}

fn main() {
    let scale = if std::env::args().any(|a| a == "--bench") {
        Scale {
            big: 1 << 20,
            two: 2 << 20,
            rules: 10_000,
            keystrokes: 1000,
            runs: 30,
            few: 10,
            files: 20_000,
        }
    } else {
        Scale {
            big: 64 << 10,
            two: 128 << 10,
            rules: 200,
            keystrokes: 20,
            runs: 2,
            few: 2,
            files: 200,
        }
    };
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/invalid-common-mistakes.json"
    ))
    .expect("the example");
    let example_fixed = example.replacen("prod/*", "prod/", 1);
    let big = big_config(scale.big);
    let big_fixed = big.replacen("team0/svc-0/", "team0/svc-0/x", 1);
    let ten_thousand = many_rules(scale.rules);

    println!("| measurement | min | median | note |");
    println!("|---|---|---|---|");
    let mut s = Server::start();
    s.open("file:///bench/typical.json", &example);
    let (min, median, found) = full_changes(
        &mut s,
        "file:///bench/typical.json",
        [&example, &example_fixed],
        scale.runs,
    );
    println!(
        "| didChange → publishDiagnostics, typical file ({} bytes, whole text) | {} | {} | {found} findings |",
        example.len(),
        ms(min),
        ms(median)
    );
    let (min, median) = typing(&mut s, "file:///bench/typical.json", (3, 4), " ", scale.runs);
    println!(
        "| didChange → publishDiagnostics, typical file, one character typed | {} | {} | |",
        ms(min),
        ms(median)
    );

    s.open("file:///bench/big.json", &big);
    let (min, median, found) = full_changes(&mut s, "file:///bench/big.json", [&big, &big_fixed], scale.few);
    println!(
        "| didChange → publishDiagnostics, {:.1} MB file (whole text) | {} | {} | {found} findings |",
        big.len() as f64 / (1 << 20) as f64,
        ms(min),
        ms(median)
    );
    let (min, median) = typing(&mut s, "file:///bench/big.json", (5, 4), " ", scale.few);
    println!(
        "| didChange → publishDiagnostics, 1 MB file, one character typed | {} | {} | a space in the indentation |",
        ms(min),
        ms(median)
    );
    // In a Region (`eu-west-1` becomes `exu-west-1`): a value changes, so
    // the whole document is linted again.
    let (min, median) = typing(&mut s, "file:///bench/big.json", (5, 21), "x", scale.few);
    println!(
        "| didChange → publishDiagnostics, 1 MB file, one character typed in a value | {} | {} | |",
        ms(min),
        ms(median)
    );

    // Hover on a destination's Region in the 1 MB file, the same version
    // each time (what it reads of the text is read once per version).
    let mut times = Vec::new();
    for _ in 0..scale.few {
        let t = Instant::now();
        s.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///bench/big.json"}, "position": {"line": 4, "character": 21}}),
        );
        times.push(t.elapsed());
    }
    let (min, median) = stats(times);
    println!("| hover in the 1 MB file | {} | {} | |", ms(min), ms(median));

    // A hover sent right after a keystroke in the 1 MB file, answered from
    // that version's findings, then its diagnostics.
    let mut times = Vec::new();
    for version in 20..20 + scale.few as i64 {
        let at = json!({"line": 5, "character": 4});
        let after = json!({"line": 5, "character": 5});
        let change = if version % 2 == 0 {
            json!({"range": {"start": at, "end": at}, "text": " "})
        } else {
            json!({"range": {"start": at, "end": after}, "text": ""})
        };
        let t = Instant::now();
        s.send(json!({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///bench/big.json", "version": version}, "contentChanges": [change]}}));
        s.next_id += 1;
        let id = s.next_id;
        s.send(json!({"id": id, "method": "textDocument/hover", "params":
            {"textDocument": {"uri": "file:///bench/big.json"}, "position": {"line": 4, "character": 21}}}));
        // Both, in whichever order they come.
        let (mut answered, mut published) = (false, false);
        while !(answered && published) {
            let m = s.incoming.recv_timeout(Duration::from_secs(60)).expect("an answer");
            answered |= m["id"] == id && m.get("method").is_none();
            published |= m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version;
        }
        times.push(t.elapsed());
    }
    let (min, median) = stats(times);
    println!(
        "| didChange + hover → hover and publishDiagnostics, 1 MB file | {} | {} | |",
        ms(min),
        ms(median)
    );

    // A burst: 1,000 keystrokes sent at once on a 2 MB file, from the first
    // to the diagnostics of the last (what an editor's backlog would be).
    let two = big_config(scale.two);
    let mut times = Vec::new();
    for run in 0..3 {
        let uri = format!("file:///bench/burst{run}.json");
        s.open(&uri, &two);
        let t = Instant::now();
        for version in 2..2 + scale.keystrokes {
            let at = json!({"line": 5, "character": 4});
            let after = json!({"line": 5, "character": 5});
            let change = if version % 2 == 0 {
                json!({"range": {"start": at, "end": at}, "text": " "})
            } else {
                json!({"range": {"start": at, "end": after}, "text": ""})
            };
            s.send(json!({"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}}));
        }
        s.published(&uri, 1 + scale.keystrokes);
        times.push(t.elapsed());
    }
    let (min, median) = stats(times);
    println!(
        "| {} keystrokes sent at once, {:.1} MB file, to the last one's diagnostics | {} | {} | |",
        scale.keystrokes,
        two.len() as f64 / (1 << 20) as f64,
        ms(min),
        ms(median)
    );

    s.open("file:///bench/ten-thousand.json", &ten_thousand);
    let (min, median) = typing(&mut s, "file:///bench/ten-thousand.json", (5, 4), " ", scale.few);
    println!(
        "| didChange → publishDiagnostics, {} rules ({:.1} MB), one character typed | {} | {} | |",
        scale.rules,
        ten_thousand.len() as f64 / (1 << 20) as f64,
        ms(min),
        ms(median)
    );
    // Responsiveness: a hover on the small file answered while the large
    // one is being linted (the lint runs off the main thread).
    let mut times = Vec::new();
    for version in 100..100 + scale.few as i64 {
        let text = if version % 2 == 0 { &big } else { &big_fixed };
        s.send(json!({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///bench/big.json", "version": version}, "contentChanges": [{"text": text}]}}));
        let t = Instant::now();
        s.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///bench/typical.json"}, "position": {"line": 8, "character": 24}}),
        );
        times.push(t.elapsed());
        s.published("file:///bench/big.json", version);
    }
    let (min, median) = stats(times);
    println!(
        "| hover on the typical file while the 1 MB file is being linted | {} | {} | |",
        ms(min),
        ms(median)
    );
    drop(s);
    workspace(scale.files, scale.few.min(5));
}

/// A workspace of examples/cross-account and `files` other JSON files (in
/// folders of 200): from opening its replication to its own findings, and
/// to the findings across files (ECR506), which wait for the walk and the
/// reading of every file; a fresh server each of `runs` times.
fn workspace(files: usize, runs: usize) {
    let dir = tempfile::tempdir().unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/cross-account");
    for file in [
        "source/.ecrlint.toml",
        "source/replication.json",
        "destination/dr/registry-policy.json",
        "destination/prod/registry-policy.json",
    ] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(format!("{example}/{file}"), &to).unwrap();
    }
    for i in 0..files {
        let folder = dir.path().join(format!("packages/p{}", i / 200));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join(format!("package{i}.json")),
            format!("{{\"name\": \"p{i}\"}}"),
        )
        .unwrap();
    }
    let root = format!("file://{}", dir.path().display());
    let uri = format!("{root}/source/replication.json");
    let text = std::fs::read_to_string(dir.path().join("source/replication.json")).unwrap();
    let (mut own, mut across) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let mut s = Server::start_in(Some(&root));
        let t = Instant::now();
        s.send(json!({"method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}}));
        let missing_grant = |d: &[Value]| d.iter().any(|d| d["code"] == "ECR506");
        let first = s.published_where(&uri, 1, |_| true);
        own.push(t.elapsed());
        if !missing_grant(&first) {
            s.published_where(&uri, 1, missing_grant);
        }
        across.push(t.elapsed());
    }
    let (min, median) = stats(own);
    println!(
        "| didOpen → own findings, in a workspace of {files} other JSON files | {} | {} | while the workspace is walked |",
        ms(min),
        ms(median)
    );
    let (min, median) = stats(across);
    println!(
        "| didOpen → findings across files (ECR506), same workspace | {} | {} | after the walk and reading every file |",
        ms(min),
        ms(median)
    );
}
