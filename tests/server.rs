//! `ecrlint server` driven over its standard input/output as an editor
//! drives it: framed JSON-RPC messages, real files on disk for settings.

mod common;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications and server requests read while waiting for something else.
    seen: Vec<Value>,
    next_id: i64,
}

fn read_message(out: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    out.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("the server writes JSON"))
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ecrlint"))
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
        Client {
            stdin: child.stdin.take(),
            child,
            incoming: rx,
            seen: Vec::new(),
            next_id: 0,
        }
    }

    /// Started and initialized with these client capabilities and options.
    fn initialized(capabilities: Value, options: Value) -> (Client, Value) {
        let mut c = Client::start();
        let result = c.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options}),
        );
        c.notify("initialized", json!({}));
        (c, result["result"].clone())
    }

    /// Started and initialized with `root` as its workspace folder.
    fn in_workspace(root: &Path) -> Client {
        Client::in_workspace_with(root, json!({"general": {"positionEncodings": ["utf-8"]}}))
    }

    /// [`Client::in_workspace`] with these client capabilities.
    fn in_workspace_with(root: &Path, capabilities: Value) -> Client {
        let mut c = Client::start();
        let uri = file_uri(root);
        c.request(
            "initialize",
            json!({"processId": null, "rootUri": uri, "workspaceFolders": [{"uri": uri, "name": "w"}],
                   "capabilities": capabilities}),
        );
        c.notify("initialized", json!({}));
        c
    }

    fn utf8() -> Client {
        Client::initialized(
            json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
            Value::Null,
        )
        .0
    }

    fn send_raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        stdin.write_all(body).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        let mut message = message;
        message["jsonrpc"] = json!("2.0");
        self.send_raw(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"method": method, "params": params}));
    }

    fn next(&mut self) -> Value {
        self.incoming.recv_timeout(WAIT).expect("the server answers in time")
    }

    /// The response to a new request (the whole message: result or error).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"id": id, "method": method, "params": params}));
        self.response(json!(id))
    }

    fn response(&mut self, id: Value) -> Value {
        loop {
            let m = self.next();
            if m.get("method").is_none() && m["id"] == id {
                return m;
            }
            self.seen.push(m);
        }
    }

    /// The first notification with this method whose params satisfy `pick`;
    /// earlier ones of the same method about the same document are
    /// superseded and dropped, others are kept for later.
    fn notification(&mut self, method: &str, pick: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(i) = self
                .seen
                .iter()
                .position(|m| m["method"] == method && pick(&m["params"]))
            {
                let m = self.seen.remove(i);
                let uri = m["params"]["uri"].clone();
                let mut n = 0;
                self.seen.retain(|x| {
                    n += 1;
                    n > i || x["method"] != method || x["params"]["uri"] != uri
                });
                return m["params"].clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(m) => self.seen.push(m),
                Err(RecvTimeoutError::Timeout) => panic!("no {method} in time; seen {:?}", self.seen),
                Err(RecvTimeoutError::Disconnected) => panic!("the server ended while waiting for {method}"),
            }
        }
    }

    /// The diagnostics published for `uri` at `version` (any version: None).
    fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let p = self.notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && version.is_none_or(|v| p["version"] == v)
        });
        p["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// The completion items offered at (line, character) of `uri`, in the
    /// order the editor shows them (by `sortText`); none for a null result.
    fn completion(&mut self, uri: &str, line: u64, character: u64) -> Vec<Value> {
        let r = self.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": pos(line, character)}),
        );
        assert!(r["result"].is_array() || r["result"].is_null(), "{r}");
        let mut items = r["result"].as_array().cloned().unwrap_or_default();
        items.sort_by_key(|i| i["sortText"].as_str().unwrap().to_string());
        items
    }

    fn shutdown_and_exit(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.wait()
    }

    fn wait(&mut self) -> i32 {
        drop(self.stdin.take());
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for b in path.to_str().unwrap().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

fn pos(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

const BAD: &str = "{\n  \"rules\": [\n    {\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"21098765432\"}]}\n  ]\n}\n";

/// The labels of completion items.
fn labels(items: &[Value]) -> Vec<String> {
    items.iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
}

/// The text each completion item inserts.
fn inserts(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["textEdit"]["newText"].as_str().unwrap().to_string())
        .collect()
}
#[test]
fn initialize_negotiates_the_position_encoding_and_states_capabilities() {
    let (c, result) = Client::initialized(
        json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}}),
        Value::Null,
    );
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 2, "incremental");
    assert_eq!(result["capabilities"]["hoverProvider"], true);
    assert_eq!(
        result["capabilities"]["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix", "source.fixAll.ecrlint"])
    );
    assert_eq!(
        result["capabilities"]["workspace"]["workspaceFolders"],
        json!({"supported": true, "changeNotifications": true})
    );
    assert_eq!(result["serverInfo"]["name"], "ecrlint");
    assert_eq!(c.shutdown_and_exit(), 0);
    let (c, result) = Client::initialized(json!({}), Value::Null);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn findings_after_non_ascii_text_are_placed_in_the_negotiated_encoding() {
    // "é" is 2 bytes and 1 UTF-16 unit, "😀" 4 bytes and 2 units.
    let text = "{\"rules\": [{\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"2109876543\"}], \"repositoryFilters\": [{\"filter\": \"é😀/*\", \"filterType\": \"PREFIX_MATCH\"}]}]}";
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("emoji.json"));
    let filter_value = text.find("\"é😀/*\"").unwrap() as u64;
    let filter_type = text.find("\"filterType\"").unwrap() as u64;
    for (offered, start, after) in [
        ("utf-8", filter_value, filter_type),
        ("utf-16", filter_value, filter_type - 3),
    ] {
        let (mut c, _) = Client::initialized(json!({"general": {"positionEncodings": [offered]}}), Value::Null);
        c.open(&uri, "json", text);
        let d = c.diagnostics(&uri, Some(1));
        let filter = d.iter().find(|d| d["code"] == "ECR205").expect("ECR205");
        assert_eq!(filter["range"]["start"], pos(0, start), "{offered}");
        // The next key comes after the emoji: its column shows the units.
        let end = filter["range"]["end"]["character"].as_u64().unwrap();
        assert_eq!(end + 2, after, "{offered}: `, ` then the key");
        assert_eq!(c.shutdown_and_exit(), 0);
    }
}

#[test]
fn open_change_save_close() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("replication.json");
    std::fs::write(&path, BAD).unwrap();
    let uri = file_uri(&path);
    let mut c = Client::utf8();
    c.open(&uri, "json", BAD);
    let d = c.diagnostics(&uri, Some(1));
    assert_eq!(codes(&d), ["ECR204"]);
    let d = &d[0];
    let value = BAD.find("\"21098765432\"").unwrap() - BAD.find("    {").unwrap();
    assert_eq!(d["range"]["start"], pos(2, value as u64));
    assert_eq!(d["range"]["end"], pos(2, value as u64 + 13));
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "ecrlint");
    assert!(d["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/rules/ECR204-invalid-registry-id.md"));
    let message = d["message"].as_str().unwrap();
    assert!(
        message.starts_with("registryId `\"21098765432\"` has 11 digits"),
        "{message}"
    );
    assert!(message.contains("\nhelp: "), "{message}");

    // An incremental edit: add the missing digit.
    let at = pos(2, value as u64 + 12);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": at, "end": at}, "text": "1"}]}),
    );
    assert_eq!(c.diagnostics(&uri, Some(2)), Vec::<Value>::new());
    // A whole-text change brings it back; saving lints again.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": BAD}]}),
    );
    assert_eq!(codes(&c.diagnostics(&uri, Some(3))), ["ECR204"]);
    c.notify("textDocument/didSave", json!({"textDocument": {"uri": uri}}));
    assert_eq!(codes(&c.diagnostics(&uri, Some(3))), ["ECR204"]);
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    assert_eq!(c.diagnostics(&uri, None), Vec::<Value>::new());
    // Opened again at version 1 with other text: that text's findings.
    c.open(&uri, "json", &BAD.replace("21098765432", "2109876543"));
    let d = c.diagnostics(&uri, Some(1));
    assert!(d[0]["message"].as_str().unwrap().contains("has 10 digits"), "{d:?}");
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn rapid_changes_end_with_the_findings_of_the_last_version() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("a.json"));
    let mut c = Client::utf8();
    c.open(&uri, "json", BAD);
    for version in 2..=40 {
        let text = if version % 2 == 0 {
            BAD.replace("21098765432", "210987654321")
        } else {
            BAD.to_string()
        };
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }
    // Whatever was dropped on the way, the last version's are published,
    // and nothing older comes after them.
    assert_eq!(c.diagnostics(&uri, Some(40)), Vec::<Value>::new());
    let r = c.request("shutdown", Value::Null);
    assert!(
        c.seen.iter().all(|m| m["method"] != "textDocument/publishDiagnostics"),
        "{:?}",
        c.seen
    );
    assert_eq!(r["result"], Value::Null);
}

#[test]
fn only_replication_documents_get_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::utf8();
    let package = file_uri(&dir.path().join("package.json"));
    c.open(
        &package,
        "json",
        "{\"name\": \"x\", \"rules\": {\"no-console\": \"off\"}}",
    );
    assert_eq!(c.diagnostics(&package, Some(1)), Vec::<Value>::new());
    let lifecycle = file_uri(&dir.path().join("lifecycle.json"));
    c.open(
        &lifecycle,
        "json",
        "{\"rules\": [{\"rulePriority\": 1, \"selection\": {\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 5}, \"action\": {\"type\": \"expire\"}}]}",
    );
    assert_eq!(c.diagnostics(&lifecycle, Some(1)), Vec::<Value>::new());
    let broken = file_uri(&dir.path().join("broken.json"));
    c.open(&broken, "json", "{\"rules\": [{\"destinations\": [}]}");
    let d = c.diagnostics(&broken, Some(1));
    assert_eq!(codes(&d), ["ECR001"]);
    assert_eq!(d[0]["range"]["start"], pos(0, 29));
    // A template in YAML, with a secondary label as related information.
    let template = file_uri(&dir.path().join("stack.yaml"));
    c.open(
        &template,
        "yaml",
        "Resources:\n  Repl:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: us-west-2\n                RegistryId: \"210987654321\"\n              - Region: us-west-2\n                RegistryId: \"210987654321\"\n",
    );
    let d = c.diagnostics(&template, Some(1));
    let dup = d.iter().find(|d| d["code"] == "ECR301").expect("ECR301");
    let related = dup["relatedInformation"].as_array().unwrap();
    assert_eq!(related[0]["location"]["uri"], template.as_str());
    assert_eq!(related[0]["location"]["range"]["start"]["line"], 7);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn terraform_documents_are_read_as_hcl_by_extension_or_language_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::utf8();
    let text = "resource \"aws_ecr_replication_configuration\" \"r\" {\n  replication_configuration {\n    rule {\n      destination {\n        region = \"eu-west-1\n      }\n    }\n  }\n}\n";
    let main = file_uri(&dir.path().join("main.tf"));
    let untitled = "untitled:Untitled-1";
    c.open(&main, "terraform", text);
    c.open(untitled, "terraform", text);
    for uri in [main.as_str(), untitled] {
        let d = c.diagnostics(uri, Some(1));
        assert_eq!(codes(&d), ["ECR001"], "{uri}");
        assert_eq!(d[0]["range"]["start"], pos(4, 17), "{uri}");
        assert!(d[0]["message"].as_str().unwrap().contains("HCL"), "{uri}");
    }
    // Terraform without replication: nothing to say.
    let other = file_uri(&dir.path().join("network.tf"));
    c.open(
        &other,
        "terraform",
        "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n",
    );
    assert_eq!(c.diagnostics(&other, Some(1)), Vec::<Value>::new());
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn settings_come_from_the_configuration_file_and_follow_its_changes() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join(".ecrlint.toml");
    std::fs::write(&config, "[rules]\nECR204 = \"off\"\n").unwrap();
    let sub = dir.path().join("infra");
    std::fs::create_dir(&sub).unwrap();
    let uri = file_uri(&sub.join("replication.json"));
    let config_uri = file_uri(&config);
    let mut c = Client::utf8();
    c.open(&uri, "json", BAD);
    assert_eq!(c.diagnostics(&uri, Some(1)), Vec::<Value>::new());

    // A broken configuration: its errors on it, a message, and the
    // document keeps its last good settings (ECR204 stays off).
    std::fs::write(&config, "[rules]\nECR204 = \"loud\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    let errors = c.diagnostics(&config_uri, None);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["range"]["start"], pos(1, 9));
    assert_eq!(errors[0]["severity"], 1);
    let shown = c.notification("window/showMessage", |_| true);
    assert_eq!(shown["type"], 1);
    assert!(
        shown["message"].as_str().unwrap().contains(".ecrlint.toml:2:10"),
        "{shown}"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": BAD}]}),
    );
    assert_eq!(c.diagnostics(&uri, Some(2)), Vec::<Value>::new());

    // Fixed, and saved in the editor: the errors go, the new level applies.
    std::fs::write(&config, "[rules]\nECR204 = \"warning\"\n").unwrap();
    c.notify("textDocument/didSave", json!({"textDocument": {"uri": config_uri}}));
    assert_eq!(c.diagnostics(&config_uri, None), Vec::<Value>::new());
    let d = c.diagnostics(&uri, Some(2));
    assert_eq!(codes(&d), ["ECR204"]);
    assert_eq!(d[0]["severity"], 2);

    // A new configuration file nearer the document takes over.
    std::fs::write(sub.join(".ecrlint.toml"), "[rules]\ninvalid-registry-id = \"info\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&sub.join(".ecrlint.toml")), "type": 1}]}),
    );
    assert_eq!(c.diagnostics(&uri, Some(2))[0]["severity"], 3);

    // An editor that neither watches files nor has the configuration open:
    // saving the document is enough for an edited configuration to apply.
    std::fs::write(sub.join(".ecrlint.toml"), "[rules]\ninvalid-registry-id = \"off\"\n").unwrap();
    c.notify("textDocument/didSave", json!({"textDocument": {"uri": uri}}));
    assert_eq!(c.diagnostics(&uri, Some(2)), Vec::<Value>::new());
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn initialization_options_are_check_flags() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("a.json"));
    let text = "{\"rules\": [{\"destinations\": [{\"region\": \"us-east-1\", \"registryId\": \"210987654321\"}]}]}";
    let (mut c, _) = Client::initialized(
        json!({}),
        json!({"rules": ["ECR310=warning"], "sourceRegion": "us-east-1", "sourceRegistryId": "210987654321"}),
    );
    c.open(&uri, "json", text);
    let mut found = codes(&c.diagnostics(&uri, Some(1)))
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    found.sort();
    assert_eq!(found, ["ECR306", "ECR310"]);
    assert_eq!(c.shutdown_and_exit(), 0);
    // Invalid options are said, and the server goes on without them.
    let (mut c, _) = Client::initialized(json!({}), json!({"rules": ["ECR999=error"]}));
    let shown = c.notification("window/showMessage", |_| true);
    assert!(shown["message"].as_str().unwrap().contains("ECR999"), "{shown}");
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn hover_on_a_region_without_ecr_says_so() {
    let text = "{\"rules\": [{\"destinations\": [{\"region\": \"sa-west-1\", \"registryId\": \"210987654321\"}, {\"region\": \"sa-east-1\", \"registryId\": \"210987654321\"}]}]}";
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("a.json"));
    let mut c = Client::utf8();
    c.open(&uri, "json", text);
    c.diagnostics(&uri, Some(1));
    let mut hover = |needle: &str| {
        let at = text.find(needle).unwrap() as u64 + 2;
        let result = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(0, at)}),
        );
        result["result"]["contents"]["value"].as_str().unwrap().to_string()
    };
    let chile = hover("\"sa-west-1\"");
    assert!(
        chile.contains("Chile") && chile.contains("Amazon ECR is not available here yet"),
        "{chile}"
    );
    let sao_paulo = hover("\"sa-east-1\"");
    assert!(!sao_paulo.contains("not available"), "{sao_paulo}");
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn hover_explains_findings_regions_and_accounts() {
    let text = "{\"rules\": [{\"destinations\": [{\"region\": \"ap-east-1\", \"registryId\": \"123456789012\"}, {\"region\": \"us-west-2\", \"registryId\": \"2109\"}]}]}";
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("a.json"));
    let mut c = Client::utf8();
    c.open(&uri, "json", text);
    c.diagnostics(&uri, Some(1));
    let hover = |c: &mut Client, needle: &str| {
        let at = text.find(needle).unwrap() as u64 + 2;
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(0, at)}),
        )["result"]
            .clone()
    };
    let region = hover(&mut c, "\"ap-east-1\"");
    let value = region["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("Hong Kong") && value.contains("`aws`") && value.contains("opt-in"),
        "{value}"
    );
    let start = text.find("\"ap-east-1\"").unwrap() as u64;
    assert_eq!(region["range"]["start"], pos(0, start));
    let account = hover(&mut c, "\"123456789012\"");
    let value = account["contents"]["value"].as_str().unwrap();
    assert!(value.contains("documentation placeholder"), "{value}");
    let finding = hover(&mut c, "\"2109\"");
    let value = finding["contents"]["value"].as_str().unwrap();
    // The rule's summary, the finding's help and a link to the page, not the whole page.
    let summary = ecrlint::rules::find("ECR204").unwrap().summary;
    assert!(
        value.contains(&format!("**ECR204** `invalid-registry-id`: {summary}")),
        "{value}"
    );
    assert!(value.contains("check for a missing or extra digit"), "{value}");
    assert!(value.contains("ECR204-invalid-registry-id.md)"), "{value}");
    assert!(!value.contains("## What it checks"), "{value}");
    assert!(value.len() < 1000, "{} bytes: {value}", value.len());
    // describe-registry output names the source account itself.
    let described = file_uri(&dir.path().join("registry.json"));
    let registry = "{\"registryId\": \"210987654321\", \"replicationConfiguration\": {\"rules\": [{\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}, {\"region\": \"us-west-2\", \"registryId\": \"310987654321\"}]}]}}";
    c.open(&described, "json", registry);
    c.diagnostics(&described, Some(1));
    for (needle, says) in [
        ("\"210987654321\"}", "the source account"),
        ("\"310987654321\"", "another account"),
    ] {
        let at = registry.find(needle).unwrap() as u64 + 3;
        let r = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": described}, "position": pos(0, at)}),
        );
        let value = r["result"]["contents"]["value"].as_str().unwrap();
        assert!(value.contains(says), "{value}");
    }
    let nothing = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(0, 1)}),
    );
    assert_eq!(nothing["result"], Value::Null);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn completion_offers_keys_filter_types_and_regions() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::initialized(json!({}), json!({"sourceRegion": "cn-north-1"})).0;
    let complete = |c: &mut Client, uri: &str, text: &str| {
        let (text, line, character) = cursor(text);
        c.open(uri, "json", &text);
        c.completion(uri, line, character)
    };
    let uri = file_uri(&dir.path().join("a.json"));
    let items = complete(&mut c, &uri, "{\"rules\": [{\"destinations\": [{\"|\"}]}]}");
    assert_eq!(labels(&items), ["region", "registryId"]);
    let uri = file_uri(&dir.path().join("b.json"));
    let items = complete(
        &mut c,
        &uri,
        "{\"rules\": [{\"repositoryFilters\": [{\"filterType\": |}]}]}",
    );
    assert_eq!(labels(&items), ["PREFIX_MATCH"]);
    assert_eq!(items[0]["textEdit"]["newText"], "\"PREFIX_MATCH\"");
    let uri = file_uri(&dir.path().join("c.yaml"));
    let items = complete(
        &mut c,
        &uri,
        "Resources:\n  Repl:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: |\n",
    );
    // The source is in China: its partition's Regions come first.
    assert_eq!(items[0]["label"], "cn-north-1", "{:?}", labels(&items));
    assert!(items[0]["detail"].as_str().unwrap().contains("Beijing"));
    assert!(labels(&items).contains(&"us-west-2".to_string()));
    let uri = file_uri(&dir.path().join("d.yaml"));
    let items = complete(
        &mut c,
        &uri,
        "Resources:\n  Repl:\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - |\n",
    );
    assert_eq!(labels(&items), ["Destinations", "RepositoryFilters"]);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn code_actions_answer_with_the_fixes_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("a.json"));
    let mut c = Client::utf8();
    c.open(&uri, "json", BAD);
    let d = c.diagnostics(&uri, Some(1));
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d[0]["range"], "context": {"diagnostics": d}}),
    );
    // An 11-digit account ID has no fix: the answer is a list, empty.
    assert_eq!(r["result"], json!([]), "{r}");
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d[0]["range"], "context": {"diagnostics": [], "only": ["source.fixAll.ecrlint"]}}),
    );
    assert_eq!(r["result"], json!([]), "{r}");
    assert_eq!(c.shutdown_and_exit(), 0);
}

const FIXABLE: &str = "{\n  \"rules\": [\n    {\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}],\n     \"repositoryFilters\": [{\"filter\": \"prod\", \"filterType\": \"PREFIX\"}]}\n  ]\n}\n";

#[test]
fn a_fixable_finding_is_a_quickfix_and_part_of_fix_all() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("a.json"));
    let mut c = Client::utf8();
    c.open(&uri, "json", FIXABLE);
    let d = c.diagnostics(&uri, Some(1));
    let ty = d.iter().find(|d| d["code"] == "ECR201").expect("ECR201");
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": ty["range"], "context": {"diagnostics": [ty]}}),
    );
    let actions = r["result"].as_array().expect("a list");
    let quick = actions.iter().find(|a| a["kind"] == "quickfix").expect("a quickfix");
    assert_eq!(quick["title"], "Replace `PREFIX` with `PREFIX_MATCH`");
    // A safe fix is the preferred action (an unsafe one never is).
    assert_eq!(quick["isPreferred"], true);
    let edits = &quick["edit"]["changes"][uri.as_str()];
    assert_eq!(edits[0]["newText"], "\"PREFIX_MATCH\"");
    assert_eq!(edits[0]["range"], ty["range"]);
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": ty["range"], "context": {"diagnostics": [], "only": ["source.fixAll.ecrlint"]}}),
    );
    let all = &r["result"][0];
    assert_eq!(all["kind"], "source.fixAll.ecrlint", "{r}");
    assert_eq!(all["edit"]["changes"][uri.as_str()][0]["newText"], "_MATCH");
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// Several incremental changes in one notification apply in order, each
/// to the text the one before left; a hover and a code action sent at once
/// after them answer from that text's findings (the lint of that version,
/// waited for, not an older one's).
#[test]
fn many_changes_in_one_notification_then_hover_and_code_actions_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("a.json"));
    let mut c = Client::utf8();
    c.open(&uri, "json", FIXABLE);
    let d = c.diagnostics(&uri, Some(1));
    assert_eq!(codes(&d), ["ECR201"]);
    // Two lines added at the top, then (on the moved lines) a digit taken
    // out of the account ID and the filter type corrected.
    let mut expected = format!("\n\n{FIXABLE}");
    let line_of = |text: &str, needle: &str| {
        let at = text.find(needle).unwrap();
        let line = text[..at].matches('\n').count() as u64;
        let column = (at - text[..at].rfind('\n').map_or(0, |n| n + 1)) as u64;
        (at, line, column)
    };
    let (account, account_line, account_column) = line_of(&expected, "210987654321");
    expected.remove(account);
    let (kind, kind_line, kind_column) = line_of(&expected, "\"PREFIX\"");
    expected.replace_range(kind + 1..kind + 7, "PREFIX_MATCH");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": pos(0, 0), "end": pos(0, 0)}, "text": "\n\n"},
            {"range": {"start": pos(account_line, account_column), "end": pos(account_line, account_column + 1)}, "text": ""},
            {"range": {"start": pos(kind_line, kind_column + 1), "end": pos(kind_line, kind_column + 7)}, "text": "PREFIX_MATCH"},
        ]}),
    );
    let (_, line, column) = line_of(&expected, "\"10987654321\"");
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(line, column + 3)}),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(value.contains("**ECR204**"), "{hover}");
    assert_eq!(hover["result"]["range"]["start"], pos(line, column));
    assert_eq!(hover["result"]["range"]["end"], pos(line, column + 13));
    // The filter type's finding is gone with version 2: no quickfix there.
    let (_, line, column) = line_of(&expected, "\"PREFIX_MATCH\"");
    let range = json!({"start": pos(line, column), "end": pos(line, column + 14)});
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
    );
    assert_eq!(r["result"], json!([]), "{r}");
    let d = c.diagnostics(&uri, Some(2));
    assert_eq!(codes(&d), ["ECR204"]);
    let (_, line, column) = line_of(&expected, "\"10987654321\"");
    assert_eq!(d[0]["range"]["start"], pos(line, column));
    // The editor's text and the server's agree: a whole-text change to
    // `expected` finds the same.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": expected}]}),
    );
    assert_eq!(c.diagnostics(&uri, Some(3)), d);
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// The peak resident memory of a process, from /proc (Linux), in bytes.
#[cfg(target_os = "linux")]
fn peak_memory(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb << 10
}

/// A header line of 256 MB is answered with a parse error and skipped, not
/// held: the server's peak memory stays far below it, and it goes on.
#[cfg(target_os = "linux")]
#[test]
fn an_endless_header_line_is_not_held_in_memory() {
    let mut c = Client::start();
    c.send(json!({"id": 1, "method": "initialize", "params": {"capabilities": {}}}));
    assert!(c.response(json!(1))["result"]["capabilities"].is_object());
    let line = 256usize << 20;
    {
        let stdin = c.stdin.as_mut().unwrap();
        let chunk = vec![b'X'; 1 << 20];
        for _ in 0..line >> 20 {
            stdin.write_all(&chunk).unwrap();
        }
        stdin.write_all(b"\r\n").unwrap();
    }
    let error = c.response(Value::Null);
    assert_eq!(error["error"]["code"], -32700);
    assert!(
        error["error"]["message"].as_str().unwrap().contains("header line"),
        "{error}"
    );
    let peak = peak_memory(c.child.id());
    assert!(
        peak < (line as u64) / 4,
        "peak memory {peak} bytes for a {line}-byte line"
    );
    let uri = "file:///tmp/ecrlint-header-test/a.json";
    c.open(uri, "json", BAD);
    assert_eq!(codes(&c.diagnostics(uri, Some(1))), ["ECR204"]);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn malformed_input_gets_json_rpc_errors_and_the_server_goes_on() {
    let mut c = Client::start();
    // Before initialize: not initialized.
    c.send(json!({"id": 1, "method": "textDocument/hover", "params": {}}));
    assert_eq!(c.response(json!(1))["error"]["code"], -32002);
    c.send(json!({"id": 2, "method": "initialize", "params": {"capabilities": {}}}));
    assert!(c.response(json!(2))["result"]["capabilities"].is_object());
    c.notify("initialized", json!({}));
    c.send_raw(b"{this is not json");
    assert_eq!(c.response(Value::Null)["error"]["code"], -32700);
    c.send_raw(b"{\"jsonrpc\": \"2.0\", \"id\": 3, \"params\": 5}");
    assert_eq!(c.response(json!(3))["error"]["code"], -32600);
    c.send(json!({"id": 4, "method": "textDocument/hover", "params": {"textDocument": 7}}));
    assert_eq!(c.response(json!(4))["error"]["code"], -32602);
    c.send(json!({"id": 5, "method": "no/such/method", "params": {}}));
    assert_eq!(c.response(json!(5))["error"]["code"], -32601);
    c.send(json!({"id": 6, "method": "textDocument/hover", "params": {"textDocument": {"uri": "file:///not/open.json"}, "position": pos(0, 0)}}));
    assert_eq!(c.response(json!(6))["error"]["code"], -32602);
    // Malformed notifications are ignored; a change to a closed document too.
    c.notify("textDocument/didOpen", json!({"textDocument": "nope"}));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///x.json", "version": 2}, "contentChanges": [{"text": "{}"}]}),
    );
    // Still alive and well.
    let uri = "file:///tmp/ecrlint-malformed-test/a.json";
    c.open(uri, "json", BAD);
    assert_eq!(codes(&c.diagnostics(uri, Some(1))), ["ECR204"]);
    // An out-of-range edit is clamped, not a crash.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": pos(99, 99), "end": pos(0, 0)}, "text": " "}]}),
    );
    assert_eq!(codes(&c.diagnostics(uri, Some(2))), ["ECR204"]);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn exit_codes_follow_the_protocol() {
    // exit without shutdown: 1.
    let mut c = Client::utf8();
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 1);
    // Requests after shutdown are refused; exit then gives 0.
    let mut c = Client::utf8();
    assert_eq!(c.request("shutdown", Value::Null)["result"], Value::Null);
    assert_eq!(c.request("textDocument/hover", json!({}))["error"]["code"], -32600);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), 0);
    // The client going away without exit: 1.
    let mut c = Client::utf8();
    assert_eq!(c.wait(), 1);
}

/// Each line and byte column of `text` (UTF-8 positions).
/// An offset as a UTF-8 position, counted independently of ecrlint: a
/// byte-order mark is not a column, as in every report.
fn utf8_position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = match before.rfind('\n') {
        Some(i) => i + 1,
        None if text.starts_with('\u{feff}') => offset.min(3),
        None => 0,
    };
    pos(line as u64, (offset - line_start) as u64)
}

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let f = f.unwrap().path();
            let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ["json", "yaml", "yml", "template", "tf"].contains(&ext) {
                files.push(f);
            }
        }
    }
    files.sort();
    files
}

/// A fixture's `.args` as initialization options.
fn options_for(fixture: &Path) -> (Vec<String>, Value) {
    let args: Vec<String> = std::fs::read_to_string(fixture.with_extension("args"))
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let mut options = json!({"rules": [], "noWorkspace": true});
    for pair in args.chunks(2) {
        let key = match pair[0].as_str() {
            "--source-region" => "sourceRegion",
            "--source-registry-id" => "sourceRegistryId",
            "--registry-policy-scope" => "registryPolicyScope",
            "--rule" => {
                options["rules"].as_array_mut().unwrap().push(json!(pair[1]));
                continue;
            }
            other => panic!("no initialization option for {other}"),
        };
        options[key] = json!(pair[1]);
    }
    (args, options)
}

#[test]
fn every_fixture_gets_the_same_findings_as_check() {
    let mut compared = 0;
    for original in fixture_files() {
        let (args, options) = options_for(&original);
        // A copy of the fixture, with its folder's `.ecrlint.toml`, outside
        // this repository, whose own `.ecrlint.toml` excludes test data
        // (the server leaves excluded documents alone, as `--force-exclude` does).
        let copy = tempfile::tempdir().unwrap();
        let fixture = copy.path().join(original.file_name().unwrap());
        std::fs::copy(&original, &fixture).unwrap();
        let config = original.with_file_name(".ecrlint.toml");
        if config.exists() {
            std::fs::copy(&config, copy.path().join(".ecrlint.toml")).unwrap();
        }
        // `check` as on a directory: files that are not ours are passed over.
        let out = common::ecrlint()
            .current_dir(fixture.parent().unwrap())
            // Each fixture alone (this repository is their workspace).
            .args(["check", "--format", "json", "--skip-unrecognised", "--no-workspace"])
            .arg(&fixture)
            .args(&args)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let bytes = std::fs::read(&fixture).unwrap();
        let expected: Vec<Value> = match report["files"][0]["diagnostics"].as_array() {
            Some(list) => {
                let text = String::from_utf8(bytes.clone()).ok();
                list.iter()
                    .map(|d| {
                        let range = text.as_deref().map(|t| {
                            json!({"start": utf8_position(t, d["span"]["start"].as_u64().unwrap() as usize),
                                   "end": utf8_position(t, d["span"]["end"].as_u64().unwrap() as usize)})
                        });
                        json!({"code": d["code"], "message": d["message"], "range": range})
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        // Editors hold text: a file that is not UTF-8 cannot be opened as it is.
        let Ok(text) = String::from_utf8(bytes) else { continue };
        let (mut c, _) = Client::initialized(json!({"general": {"positionEncodings": ["utf-8"]}}), options);
        let uri = file_uri(&fixture);
        c.open(&uri, "json", &text);
        let got: Vec<Value> = c
            .diagnostics(&uri, Some(1))
            .iter()
            .map(|d| {
                let message = d["message"].as_str().unwrap();
                let message = message.split("\nhelp: ").next().unwrap();
                json!({"code": d["code"], "message": message, "range": d["range"]})
            })
            .collect();
        assert_eq!(got, expected, "{}", original.display());
        assert_eq!(c.shutdown_and_exit(), 0);
        compared += 1;
    }
    assert!(compared > 100, "only {compared} fixtures compared");
}

#[test]
fn a_document_an_exclude_glob_matches_gets_no_findings_until_the_glob_goes() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join(".ecrlint.toml");
    std::fs::write(&config, "extend-exclude = [\"generated\"]\n").unwrap();
    let sub = dir.path().join("generated");
    std::fs::create_dir(&sub).unwrap();
    let uri = file_uri(&sub.join("replication.json"));
    let mut c = Client::utf8();
    c.open(&uri, "json", BAD);
    assert_eq!(c.diagnostics(&uri, Some(1)), Vec::<Value>::new());
    std::fs::write(&config, "").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    assert_eq!(codes(&c.diagnostics(&uri, Some(1))), ["ECR204"]);
    std::fs::write(&config, "exclude = [\"generated/*.json\"]\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    assert_eq!(c.diagnostics(&uri, Some(1)), Vec::<Value>::new());
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// examples/cross-account copied into `root`; with the paths of the
/// replication and of the DR policy, whose ARN is malformed (ECR506).
fn cross_account_workspace(root: &Path) -> (PathBuf, PathBuf) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cross-account");
    for file in [
        "source/.ecrlint.toml",
        "source/replication.json",
        "destination/dr/registry-policy.json",
        "destination/prod/registry-policy.json",
    ] {
        let to = root.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(example.join(file), &to).unwrap();
    }
    (
        root.join("source/replication.json"),
        root.join("destination/dr/registry-policy.json"),
    )
}

/// The diagnostics published for `uri` once ECR506 is among them (or not).
fn with_missing_grant(c: &mut Client, uri: &str, present: bool) -> Vec<Value> {
    loop {
        let d = c.diagnostics(uri, None);
        if codes(&d).contains(&"ECR506") == present {
            return d;
        }
    }
}

#[cfg(unix)]
#[test]
fn an_open_document_stands_for_its_file_when_the_workspace_is_reached_through_a_link() {
    // The editor names the workspace by a link and the policy by its real
    // path: the policy as edited (broken, unsaved) replaces the mended one
    // on disk; it is one file, not two.
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let (replication, policy) = cross_account_workspace(&real);
    let broken = std::fs::read_to_string(&policy).unwrap();
    let mended = broken.replace("arn:aws:eu-west-1:", "arn:aws:ecr:eu-west-1:");
    std::fs::write(&policy, &mended).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let (uri, policy_uri) = (file_uri(&replication), file_uri(&policy));
    let mut c = Client::in_workspace(&link);
    c.open(&uri, "json", &std::fs::read_to_string(&replication).unwrap());
    with_missing_grant(&mut c, &uri, false);
    c.open(&policy_uri, "json", &mended);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": policy_uri, "version": 2}, "contentChanges": [{"text": broken}]}),
    );
    with_missing_grant(&mut c, &uri, true);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn configurations_are_checked_against_the_registry_policies_of_the_workspace() {
    // examples/cross-account: the policy of account 111987654321 has a
    // malformed repository ARN, so it grants nothing (ECR506 in the
    // configuration, pointing into the policy's file).
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (replication, policy) = cross_account_workspace(root);
    let (uri, policy_uri) = (file_uri(&replication), file_uri(&policy));
    let broken = std::fs::read_to_string(&policy).unwrap();
    let mended = broken.replace("arn:aws:eu-west-1:", "arn:aws:ecr:eu-west-1:");
    assert_ne!(broken, mended);

    let mut c = Client::in_workspace(root);
    c.open(&uri, "json", &std::fs::read_to_string(&replication).unwrap());
    let wanted = |c: &mut Client, present: bool| with_missing_grant(c, &uri, present);
    let d = wanted(&mut c, true);
    let grant = d.iter().find(|d| d["code"] == "ECR506").unwrap();
    assert!(
        grant["message"].as_str().unwrap().contains("account 111987654321"),
        "{grant}"
    );
    let related = grant["relatedInformation"].as_array().unwrap();
    assert!(
        related.iter().any(|r| r["location"]["uri"] == policy_uri.as_str()),
        "{related:?}"
    );

    // The policy mended in the editor, not saved: its text there counts.
    c.open(&policy_uri, "json", &broken);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": policy_uri, "version": 2}, "contentChanges": [{"text": mended}]}),
    );
    wanted(&mut c, false);
    // Closed unsaved: the file on disk counts again.
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": policy_uri}}));
    wanted(&mut c, true);
    // Mended on disk (a checkout, another editor): the watcher's news is enough.
    std::fs::write(&policy, &mended).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": policy_uri, "type": 2}]}),
    );
    wanted(&mut c, false);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn each_walk_of_the_workspace_is_shown_as_progress_to_a_client_that_can_show_it() {
    let dir = tempfile::tempdir().unwrap();
    let (replication, _) = cross_account_workspace(dir.path());
    let uri = file_uri(&replication);
    let capabilities = json!({"general": {"positionEncodings": ["utf-8"]}, "window": {"workDoneProgress": true}});
    let mut c = Client::in_workspace_with(dir.path(), capabilities);
    let walk = |c: &mut Client| {
        let created = c.notification("window/workDoneProgress/create", |_| true);
        let token = created["token"].clone();
        let begun = c.notification("$/progress", |p| p["token"] == token && p["value"]["kind"] == "begin");
        assert_eq!(begun["value"]["message"], "reading the workspace");
        let ended = c.notification("$/progress", |p| p["token"] == token && p["value"]["kind"] == "end");
        // The replication and the two registry policies; .ecrlint.toml is no file to lint.
        assert_eq!(ended["value"]["message"], "3 files, 3 in the check across files");
        token
    };
    let first = walk(&mut c);
    c.open(&uri, "json", &std::fs::read_to_string(&replication).unwrap());
    with_missing_grant(&mut c, &uri, true);
    // A save walks again, under a new token.
    c.notify("textDocument/didSave", json!({"textDocument": {"uri": uri}}));
    let second = walk(&mut c);
    assert_ne!(first, second);
    assert_eq!(c.shutdown_and_exit(), 0);

    // A client that cannot show progress is sent none.
    let mut c = Client::in_workspace(dir.path());
    c.open(&uri, "json", &std::fs::read_to_string(&replication).unwrap());
    with_missing_grant(&mut c, &uri, true);
    c.request("shutdown", Value::Null);
    assert!(
        !c.seen
            .iter()
            .any(|m| m["method"] == "$/progress" || m["method"] == "window/workDoneProgress/create"),
        "{:?}",
        c.seen
    );
}

#[test]
fn workspace_folders_added_and_removed_change_what_the_check_across_files_reads() {
    // The editor starts in an empty folder with the replication open from
    // elsewhere; adding the folder that holds it and the policies brings
    // ECR506 (the DR policy grants nothing), removing it takes it away.
    let dir = tempfile::tempdir().unwrap();
    let (empty, infra) = (dir.path().join("empty"), dir.path().join("infra"));
    std::fs::create_dir(&empty).unwrap();
    let (replication, _) = cross_account_workspace(&infra);
    let uri = file_uri(&replication);
    let mut c = Client::in_workspace(&empty);
    c.open(&uri, "json", &std::fs::read_to_string(&replication).unwrap());
    let d = with_missing_grant(&mut c, &uri, false);
    assert!(codes(&d).contains(&"ECR312"), "{d:?}");
    let folder = json!([{"uri": file_uri(&infra), "name": "infra"}]);
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": folder, "removed": []}}),
    );
    with_missing_grant(&mut c, &uri, true);
    c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": folder}}),
    );
    with_missing_grant(&mut c, &uri, false);
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// One verdict: the pre-commit hook naming only the staged configuration,
/// `check` over the whole folder (CI) and an editor started without a root
/// give the configuration the same findings, the registry policies being
/// read from the workspace (here the topmost folder with an `.ecrlint.toml`;
/// `source/.ecrlint.toml` only sets the source account). `--no-workspace`
/// checks the named file alone.
#[test]
fn the_hook_check_and_the_server_give_the_same_findings_across_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (replication, _) = cross_account_workspace(root);
    std::fs::write(
        root.join(".ecrlint.toml"),
        "# The workspace of the check across files.\n",
    )
    .unwrap();
    let findings_of = |args: &[&str]| -> Vec<(String, u64)> {
        let (report, _) = common::json_report(root, args);
        let files = common::report_files(&report);
        let (_, diagnostics) = files
            .into_iter()
            .find(|(path, _)| path == "source/replication.json")
            .unwrap_or_else(|| panic!("{report}"));
        diagnostics
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["start"]["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let hook = findings_of(&["--skip-unrecognised", "--force-exclude", "source/replication.json"]);
    let ci = findings_of(&["."]);
    assert!(hook.iter().any(|(code, _)| code == "ECR506"), "{hook:?}");
    assert_eq!(hook, ci);

    let mut c = Client::utf8();
    let uri = file_uri(&replication);
    c.open(&uri, "json", &std::fs::read_to_string(&replication).unwrap());
    let editor: Vec<(String, u64)> = with_missing_grant(&mut c, &uri, true)
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
            )
        })
        .collect();
    assert_eq!(editor, ci);
    assert_eq!(c.shutdown_and_exit(), 0);

    let alone = findings_of(&["--no-workspace", "source/replication.json"]);
    assert!(!alone.iter().any(|(code, _)| code == "ECR506"), "{alone:?}");
    assert!(alone.iter().any(|(code, _)| code == "ECR312"), "{alone:?}");
}

/// tests/fixtures/ECR506…/invalid-local-module-policy copied into `root`
/// with an `.ecrlint.toml` at the top (the workspace an editor started
/// without a root finds from the file): the destination's registry policy
/// is made by a local module from the caller's input, which grants
/// another account. The paths of the replication, the caller and the
/// module's file.
fn local_module_policy_workspace(root: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ECR506-missing-replication-grant/invalid-local-module-policy");
    for file in [
        "source/.ecrlint.toml",
        "source/replication.tf",
        "destination/main.tf",
        "destination/modules/policy/main.tf",
    ] {
        let to = root.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(file), &to).unwrap();
    }
    std::fs::write(
        root.join(".ecrlint.toml"),
        "# The workspace of the check across files.\n",
    )
    .unwrap();
    (
        root.join("source/replication.tf"),
        root.join("destination/main.tf"),
        root.join("destination/modules/policy/main.tf"),
    )
}

/// The caller's input granting the source account, as valid-granted-local-module
/// does (a line longer, so that a file rewritten within a tick of the clock is seen
/// as changed).
fn granted(caller: &str) -> String {
    let right = caller.replace("\"111111111112\"", "\"210987654321\"");
    assert_ne!(right, caller);
    right + "\n"
}

/// The codes `check .` (the folder run) gives the replication in `root`.
fn folder_run_codes(root: &Path) -> Vec<String> {
    let (report, _) = common::json_report(root, &["."]);
    common::codes_by_file(&report)
        .into_iter()
        .find(|(path, _)| path == "source/replication.tf")
        .unwrap_or_else(|| panic!("{report}"))
        .1
}

/// The server publishes ECR506 for a replication whose destination's policy
/// a local module in another folder makes exactly when the folder run does:
/// with the module's files closed or open, through a linked root, and with
/// no root at all. The module's own `aws_ecr_registry_policy` (its
/// `var.source_account` unset) is no policy of its own: were it one, its
/// unknown principal would grant the source and hide the missing grant.
#[cfg(unix)]
#[test]
fn a_registry_policy_made_by_a_local_module_takes_part_in_the_check_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let (replication, caller, module) = local_module_policy_workspace(&real);
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let wrong = std::fs::read_to_string(&caller).unwrap();
    let right = granted(&wrong);
    let replication_text = std::fs::read_to_string(&replication).unwrap();
    assert_eq!(folder_run_codes(&real), ["ECR506"]);

    // A root, or a link to it (the documents named through the link), or none.
    for (root, base) in [(Some(&real), &real), (Some(&link), &link), (None, &link), (None, &real)] {
        let at = |p: &Path| file_uri(&base.join(p.strip_prefix(&real).unwrap()));
        let (uri, caller_uri, module_uri) = (at(&replication), at(&caller), at(&module));
        let mut c = match root {
            Some(root) => Client::in_workspace(root),
            None => Client::utf8(),
        };
        c.open(&uri, "terraform", &replication_text);
        let d = with_missing_grant(&mut c, &uri, true);
        assert_eq!(codes(&d), ["ECR506"], "{root:?} {base:?}");
        let grant = &d[0];
        assert!(
            grant["message"].as_str().unwrap().contains("account 109876543210"),
            "{grant}"
        );

        // The caller mended in the editor (unsaved): the module's policy
        // grants the source now.
        c.open(&caller_uri, "terraform", &wrong);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": caller_uri, "version": 2}, "contentChanges": [{"text": right}]}),
        );
        with_missing_grant(&mut c, &uri, false);
        // Broken again, with the module's own file open too: it still
        // stands for no policy of its own.
        c.open(&module_uri, "terraform", &std::fs::read_to_string(&module).unwrap());
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": caller_uri, "version": 3}, "contentChanges": [{"text": wrong}]}),
        );
        with_missing_grant(&mut c, &uri, true);
        c.notify("textDocument/didClose", json!({"textDocument": {"uri": module_uri}}));
        c.notify("textDocument/didClose", json!({"textDocument": {"uri": caller_uri}}));

        // Mended on disk with no module file open, as the folder run reads it.
        std::fs::write(&caller, &right).unwrap();
        assert_eq!(folder_run_codes(&real), Vec::<String>::new());
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": caller_uri, "type": 2}]}),
        );
        with_missing_grant(&mut c, &uri, false);
        std::fs::write(&caller, &wrong).unwrap();
        assert_eq!(folder_run_codes(&real), ["ECR506"]);
        assert_eq!(c.shutdown_and_exit(), 0);
    }
}

/// Every action offered at `d` (a diagnostic as published): (title, whether preferred, first edit).
fn actions_at(c: &mut Client, uri: &str, d: &Value) -> Vec<(String, bool, Value)> {
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    r["result"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap().to_string(),
                a["isPreferred"] == true,
                a["edit"]["changes"][uri][0].clone(),
            )
        })
        .collect()
}

#[test]
fn unsafe_fixes_say_so_and_yaml_findings_can_be_ignored_where_they_are() {
    let text = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Replication:\n    Type: \"AWS::ECR::ReplicationConfiguration\"\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: \"eu-wst-1\"\n                RegistryId: \"210987654321\"\n";
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("template.yaml"));
    let mut c = Client::utf8();
    c.open(&uri, "yaml", text);
    let d = c.diagnostics(&uri, Some(1));
    assert_eq!(codes(&d), ["ECR203"]);
    let actions = actions_at(&mut c, &uri, &d[0]);
    let titles: Vec<(&str, bool)> = actions.iter().map(|(t, p, _)| (t.as_str(), *p)).collect();
    assert_eq!(
        titles,
        [
            ("Replace `eu-wst-1` with `eu-west-1` (unsafe)", false),
            ("Ignore ECR203 (unknown-region) here", false)
        ]
    );
    // The comment goes alone on the line above the finding's, indented as it.
    let ignore = &actions[1].2;
    assert_eq!(ignore["newText"], "              # ecrlint: ignore[ECR203]\n");
    assert_eq!(ignore["range"]["start"], pos(8, 0));
    assert_eq!(ignore["range"]["end"], pos(8, 0));
    // Applied, the finding is gone and nothing takes its place.
    let line_start = text.match_indices('\n').nth(7).unwrap().0 + 1;
    let ignored = format!(
        "{}{}{}",
        &text[..line_start],
        ignore["newText"].as_str().unwrap(),
        &text[line_start..]
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": ignored}]}),
    );
    assert_eq!(codes(&c.diagnostics(&uri, Some(2))), Vec::<&str>::new());
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn json_findings_without_a_configuration_have_no_ignore_action() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("a.json"));
    let mut c = Client::utf8();
    c.open(&uri, "json", BAD);
    let d = c.diagnostics(&uri, Some(1));
    assert_eq!(actions_at(&mut c, &uri, &d[0]), []);
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn select_ignore_and_extend_select_are_options_as_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("a.json"));
    let run = |options: Value| {
        let (mut c, _) = Client::initialized(json!({"general": {"positionEncodings": ["utf-8"]}}), options);
        c.open(&uri, "json", FIXABLE);
        let d: Vec<String> = codes(&c.diagnostics(&uri, Some(1)))
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(c.shutdown_and_exit(), 0);
        d
    };
    assert_eq!(run(Value::Null), ["ECR201"]);
    assert_eq!(run(json!({"ignore": ["invalid-filter-type"]})), Vec::<String>::new());
    assert_eq!(run(json!({"select": ["ECR1"]})), Vec::<String>::new());
    assert_eq!(run(json!({"select": ["ECR1"], "extendSelect": ["ECR2"]})), ["ECR201"]);
}

#[test]
fn a_json_finding_is_ignored_by_an_override_in_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join(".ecrlint.toml");
    std::fs::write(&config, "[source]\nregion = \"us-east-1\"").unwrap();
    std::fs::create_dir(dir.path().join("infra")).unwrap();
    let path = dir.path().join("infra/a.json");
    std::fs::write(&path, BAD).unwrap();
    let uri = file_uri(&path);
    let mut c = Client::utf8();
    c.open(&uri, "json", BAD);
    let d = c.diagnostics(&uri, Some(1));
    assert_eq!(codes(&d), ["ECR204"]);
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d[0]["range"], "context": {"diagnostics": d}}),
    );
    let action = &r["result"][0];
    assert_eq!(
        action["title"],
        "Ignore ECR204 (invalid-registry-id) in this file: [[overrides]] in .ecrlint.toml"
    );
    let config_uri = file_uri(&config);
    let edits = action["edit"]["changes"][config_uri.as_str()]
        .as_array()
        .expect("an edit of the configuration");
    assert_eq!(edits.len(), 1);
    // Appended at the end (the file has no last newline: one comes first).
    assert_eq!(edits[0]["range"]["start"], pos(1, 20));
    let added = edits[0]["newText"].as_str().unwrap();
    assert!(added.starts_with("\n\n# JSON has no comments"), "{added}");
    assert!(
        added.ends_with("[[overrides]]\nfiles = [\"infra/a.json\"]\nrules = { ECR204 = \"off\" }\n"),
        "{added}"
    );
    // The configuration as edited is valid, and turns the finding off.
    let edited = format!("[source]\nregion = \"us-east-1\"{added}");
    std::fs::write(&config, &edited).unwrap();
    ecrlint::config::parse(&config, &edited).expect("a valid configuration");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ecrlint"))
        .args(["check", "--output-format", "concise"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// The hover's text at the first `needle` of one-line-per-value `text`
/// (the position two characters into it).
fn hover_text(c: &mut Client, uri: &str, text: &str, needle: &str) -> String {
    let offset = text.find(needle).unwrap();
    let line = text[..offset].matches('\n').count() as u64;
    let character = (offset - text[..offset].rfind('\n').map_or(0, |n| n + 1)) as u64 + 2;
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(line, character)}),
    );
    r["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn hover_on_a_filter_or_a_destination_reviews_what_the_workspace_deploys() {
    // examples/cross-account (source 210987654321; the policy of
    // 109876543210 grants it, that of 111987654321 has a malformed ARN),
    // a destination without a policy, and repositories in Terraform and
    // CloudFormation.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (replication, _) = cross_account_workspace(root);
    let text = r#"{
  "rules": [
    {
      "destinations": [
        { "region": "us-west-2", "registryId": "109876543210" },
        { "region": "eu-west-1", "registryId": "111987654321" },
        { "region": "us-east-2", "registryId": "312987654321" }
      ],
      "repositoryFilters": [
        { "filter": "prod", "filterType": "PREFIX_MATCH" }
      ],
      "deleteReplication": { "enabled": true }
    }
  ]
}
"#;
    std::fs::write(&replication, text).unwrap();
    let mut terraform = String::new();
    for name in ["prod/api", "prod/web", "production-api", "dev/api"] {
        let label = name.replace(['/', '-'], "_");
        terraform.push_str(&format!(
            "resource \"aws_ecr_repository\" \"{label}\" {{\n  name = \"{name}\"\n}}\n"
        ));
    }
    std::fs::write(root.join("repositories.tf"), terraform).unwrap();
    std::fs::write(
        root.join("worker.yaml"),
        "Resources:\n  Worker:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: prod/worker\n",
    )
    .unwrap();
    let uri = file_uri(&replication);
    let mut c = Client::in_workspace(root);
    c.open(&uri, "json", text);
    c.diagnostics(&uri, Some(1));
    let taken = "4 of the workspace's 5 repositories: `prod/api`, `prod/web`, `prod/worker`, `production-api`";
    assert_eq!(
        hover_text(&mut c, &uri, text, "\"prod\""),
        format!(
            "**Filter** `prod` (rule 1): takes {taken}\n\n\
             They go to 109876543210 in us-west-2; 111987654321 in eu-west-1; 312987654321 in us-east-2.\n\n\
             A raw prefix, not a folder: `prod` also takes `production-api` (write `prod/` for the `prod/` repositories alone)."
        )
    );
    // After the value's own facts (account, Region), before findings.
    let review = |c: &mut Client, text: &str, needle: &str| {
        hover_text(c, &uri, text, needle)
            .split("\n\n---\n\n")
            .nth(1)
            .unwrap()
            .to_string()
    };
    let arrives = |to: &str, grant: &str| {
        format!(
            "**Arrives at {to}** (rule 1): {taken}\n\n\
             Deletions replicate: an image deleted in the source is deleted here too.\n\n\
             Registry policy here: {grant}."
        )
    };
    assert_eq!(
        review(&mut c, text, "\"109876543210\""),
        arrives("109876543210 in us-west-2", "granted")
    );
    assert_eq!(
        review(&mut c, text, "\"eu-west-1\""),
        arrives("111987654321 in eu-west-1", "missing: ecr:ReplicateImage not granted")
    );
    assert_eq!(
        review(&mut c, text, "\"312987654321\""),
        arrives("312987654321 in us-east-2", "no registry policy in the workspace")
    );

    // The model follows the editor: a filter edited (not saved) takes the folder alone.
    let edited = text.replace("\"prod\"", "\"prod/\"").replace("true }", "false }");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    let folder = "3 of the workspace's 5 repositories: `prod/api`, `prod/web`, `prod/worker`";
    assert_eq!(
        hover_text(&mut c, &uri, &edited, "\"prod/\""),
        format!(
            "**Filter** `prod/` (rule 1): takes {folder}\n\n\
             They go to 109876543210 in us-west-2; 111987654321 in eu-west-1; 312987654321 in us-east-2."
        )
    );
    // ... and the files on disk, once the watcher says they changed.
    std::fs::write(
        root.join("destination/ohio.json"),
        r#"{"registryId": "312987654321", "policyText": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"210987654321\"}, \"Action\": \"ecr:ReplicateImage\", \"Resource\": \"arn:aws:ecr:us-east-2:312987654321:repository/*\"}]}"}"#,
    )
    .unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("destination/ohio.json")), "type": 1}]}),
    );
    assert_eq!(
        review(&mut c, &edited, "\"312987654321\""),
        format!(
            "**Arrives at 312987654321 in us-east-2** (rule 1): {folder}\n\n\
             Deletions do not replicate: images deleted in the source stay here.\n\n\
             Registry policy here: ReplicateImage only: repositories must exist there."
        )
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// The hover's model keeps the other open documents while only the hovered
/// one changes, and reads them again when one of them changes.
#[test]
fn hover_follows_edits_to_the_hovered_document_and_to_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join(".ecrlint.toml"),
        "[source]\nregion = \"us-east-1\"\nregistry-id = \"210987654321\"\n",
    )
    .unwrap();
    let text = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "109876543210"}],
  "repositoryFilters": [{"filter": "prod/", "filterType": "PREFIX_MATCH"}]}]}
"#;
    let replication = root.join("replication.json");
    std::fs::write(&replication, text).unwrap();
    let repositories = |names: &[&str]| {
        names
            .iter()
            .enumerate()
            .map(|(i, name)| format!("resource \"aws_ecr_repository\" \"r{i}\" {{\n  name = \"{name}\"\n}}\n"))
            .collect::<String>()
    };
    let tf = root.join("repositories.tf");
    let first = repositories(&["prod/api", "dev/api"]);
    std::fs::write(&tf, &first).unwrap();
    let (uri, tf_uri) = (file_uri(&replication), file_uri(&tf));
    let mut c = Client::in_workspace(root);
    c.open(&uri, "json", text);
    c.diagnostics(&uri, Some(1));
    c.open(&tf_uri, "terraform", &first);
    let filter = |c: &mut Client, text: &str, needle: &str| {
        hover_text(c, &uri, text, needle)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        filter(&mut c, text, "\"prod/\""),
        "**Filter** `prod/` (rule 1): takes 1 of the workspace's 2 repositories: `prod/api`"
    );
    // Another open document changes (not saved): the hover reads it.
    let second = repositories(&["prod/api", "dev/api", "prod/web"]);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": tf_uri, "version": 2}, "contentChanges": [{"text": second}]}),
    );
    assert_eq!(
        filter(&mut c, text, "\"prod/\""),
        "**Filter** `prod/` (rule 1): takes 2 of the workspace's 3 repositories: `prod/api`, `prod/web`"
    );
    // The hovered document changes: its new filter, the other's new repository.
    let edited = text.replace("\"prod/\"", "\"dev/\"");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    assert_eq!(
        filter(&mut c, &edited, "\"dev/\""),
        "**Filter** `dev/` (rule 1): takes 1 of the workspace's 3 repositories: `dev/api`"
    );
    // And once more the other one, after the hovered one changed.
    let third = repositories(&["prod/api", "dev/api", "prod/web", "dev/web"]);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": tf_uri, "version": 3}, "contentChanges": [{"text": third}]}),
    );
    assert_eq!(
        filter(&mut c, &edited, "\"dev/\""),
        "**Filter** `dev/` (rule 1): takes 2 of the workspace's 4 repositories: `dev/api`, `dev/web`"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn hover_on_a_filter_says_what_it_takes_when_the_workspace_defines_no_repositories() {
    let dir = tempfile::tempdir().unwrap();
    let text = "{\n\"rules\": [{\n\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"109876543210\"}],\n\"repositoryFilters\": [{\"filter\": \"prod\", \"filterType\": \"PREFIX_MATCH\"}]\n}]\n}\n";
    let uri = file_uri(&dir.path().join("a.json"));
    let mut c = Client::in_workspace(dir.path());
    c.open(&uri, "json", text);
    c.diagnostics(&uri, Some(1));
    assert_eq!(
        hover_text(&mut c, &uri, text, "\"prod\""),
        "**Filter** `prod` (rule 1): takes the repositories whose names start with `prod` (case-sensitive, a raw prefix of the name, not a glob). \
         No repositories are defined in the workspace (`aws_ecr_repository`, `AWS::ECR::Repository`) to list them.\n\n\
         They go to 109876543210 in us-west-2."
    );
    let destination = hover_text(&mut c, &uri, text, "\"us-west-2\"");
    assert_eq!(
        destination.split("\n\n---\n\n").nth(1),
        Some(
            "**Arrives at 109876543210 in us-west-2** (rule 1): the repositories whose names start with `prod` \
             (no repositories are defined in the workspace to list them)\n\n\
             Deletions do not replicate: images deleted in the source stay here.\n\n\
             Registry policy here: no registry policy in the workspace."
        )
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn hover_reviews_terraform_and_cloudformation_filters_alike() {
    let dir = tempfile::tempdir().unwrap();
    let terraform = r#"resource "aws_ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      destination {
        region      = "us-west-2"
        registry_id = "109876543210"
      }
      repository_filter {
        filter      = "team-"
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}
resource "aws_ecr_repository" "api" {
  name = "team-api"
}
resource "aws_ecr_repository" "web" {
  name = "web"
}
"#;
    let cloudformation = "Resources:\n  Replication:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: eu-west-1\n                RegistryId: \"109876543210\"\n            RepositoryFilters:\n              - Filter: we\n                FilterType: PREFIX_MATCH\n";
    let (tf, yaml) = (dir.path().join("main.tf"), dir.path().join("replication.yaml"));
    std::fs::write(&tf, terraform).unwrap();
    std::fs::write(&yaml, cloudformation).unwrap();
    let (tf_uri, yaml_uri) = (file_uri(&tf), file_uri(&yaml));
    let mut c = Client::in_workspace(dir.path());
    c.open(&tf_uri, "terraform", terraform);
    c.diagnostics(&tf_uri, Some(1));
    assert_eq!(
        hover_text(&mut c, &tf_uri, terraform, "\"team-\""),
        "**Filter** `team-` (rule 1): takes 1 of the workspace's 2 repositories: `team-api`\n\n\
         They go to 109876543210 in us-west-2."
    );
    // The Terraform file on disk (not open) gives the repositories here.
    c.open(&yaml_uri, "yaml", cloudformation);
    c.diagnostics(&yaml_uri, Some(1));
    assert_eq!(
        hover_text(&mut c, &yaml_uri, cloudformation, "we\n"),
        "**Filter** `we` (rule 1): takes 1 of the workspace's 2 repositories: `web`\n\n\
         They go to 109876543210 in eu-west-1."
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn hover_says_what_a_filter_known_at_deploy_time_leaves_open() {
    let dir = tempfile::tempdir().unwrap();
    let terraform = r#"resource "aws_ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      destination {
        region      = "us-west-2"
        registry_id = "109876543210"
      }
      repository_filter {
        filter      = "team-"
        filter_type = "PREFIX_MATCH"
      }
      repository_filter {
        filter      = var.other
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}
resource "aws_ecr_repository" "api" {
  name = "team-api"
}
resource "aws_ecr_repository" "web" {
  name = "web"
}
"#;
    let tf = dir.path().join("main.tf");
    let uri = file_uri(&tf);
    let mut c = Client::in_workspace(dir.path());
    c.open(&uri, "terraform", terraform);
    c.diagnostics(&uri, Some(1));
    assert_eq!(
        hover_text(&mut c, &uri, terraform, "var.other"),
        "**Filter** `var.other` (rule 1): known only at deploy time: which repositories it takes cannot be told from the files"
    );
    let destination = hover_text(&mut c, &uri, terraform, "\"us-west-2\"");
    let review = destination.split("\n\n---\n\n").nth(1).unwrap_or_default();
    assert!(
        review.starts_with(
            "**Arrives at 109876543210 in us-west-2** (rule 1): 1 of the workspace's 2 repositories: `team-api`; \
             1 more if a filter known at deploy time takes them\n\n"
        ),
        "{destination}"
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn an_edited_tfvars_on_disk_lints_the_open_terraform_documents_again() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("variables.tf"),
        "variable \"replica_region\" {\n  default = \"us-west-2\"\n}\n",
    )
    .unwrap();
    let tfvars = dir.path().join("terraform.tfvars");
    std::fs::write(&tfvars, "replica_region = \"eu-west-1\"\n").unwrap();
    let main = file_uri(&dir.path().join("main.tf"));
    let text = "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.replica_region\n        registry_id = \"210987654321\"\n      }\n    }\n  }\n}\n";
    let capabilities = json!({"general": {"positionEncodings": ["utf-8"]},
                              "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut c = Client::in_workspace_with(dir.path(), capabilities);
    // The watcher covers the variable files the walk takes.
    let registration = c.notification("client/registerCapability", |_| true);
    let watchers = registration["registrations"][0]["registerOptions"]["watchers"].clone();
    let globs: Vec<&str> = watchers
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["globPattern"].as_str())
        .collect();
    assert!(
        globs.iter().any(|g| g.contains("tfvars") && g.contains(",tf,")),
        "{globs:?}"
    );
    c.open(&main, "terraform", text);
    assert_eq!(c.diagnostics(&main, Some(1)), Vec::<Value>::new());
    // tfvars edited on disk: the open main.tf is linted with its value, at the use.
    std::fs::write(&tfvars, "replica_region = \"us-weast-2\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&tfvars), "type": 2}]}),
    );
    // Publications from the workspace walk may come first: wait for the finding.
    let found = (0..20)
        .map(|_| c.diagnostics(&main, Some(1)))
        .find(|d| !d.is_empty())
        .expect("main.tf linted again");
    assert_eq!(codes(&found), ["ECR203"], "{found:?}");
    assert_eq!(found[0]["range"]["start"], pos(4, 22));
    let related = &found[0]["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], file_uri(&tfvars).as_str(), "{found:?}");
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// `marked` without its `|`, and the cursor's line and UTF-16 character there.
fn cursor(marked: &str) -> (String, u64, u64) {
    let offset = marked.find('|').expect("a `|` marks the cursor");
    let text = marked.replace('|', "");
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64;
    let character = before[before.rfind('\n').map_or(0, |i| i + 1)..].encode_utf16().count() as u64;
    (text, line, character)
}

/// Completion from the schemas, by the resource kind at the cursor: exact
/// item lists for API JSON, YAML, a CloudFormation template, Terraform's
/// `.tf` and a registry policy, through the server's protocol.
#[test]
fn completion_comes_from_the_schema_of_the_kind_at_the_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::initialized(json!({}), json!({})).0;
    let mut n = 0;
    let mut complete = |c: &mut Client, name: &str, text: &str| -> Vec<Value> {
        n += 1;
        let (text, line, character) = cursor(text);
        let uri = file_uri(&dir.path().join(format!("{n}-{name}")));
        c.open(&uri, "plaintext", &text);
        c.completion(&uri, line, character)
    };
    // API JSON: a rule's keys not yet written, quoted, with their descriptions.
    let items = complete(&mut c, "a.json", "{\"rules\": [{\"destinations\": [], |}]}");
    assert_eq!(labels(&items), ["repositoryFilters", "deleteReplication"]);
    assert_eq!(inserts(&items), ["\"repositoryFilters\": ", "\"deleteReplication\": "]);
    assert_eq!(
        items[0]["documentation"],
        json!({"kind": "markdown", "value": "Repository-name prefixes to replicate; omit the key to replicate every repository."})
    );
    // YAML (a request): the values of a boolean.
    let items = complete(
        &mut c,
        "b.yaml",
        "replicationConfiguration:\n  rules:\n    - deleteReplication:\n        enabled: |\n",
    );
    assert_eq!(labels(&items), ["true", "false"]);
    // CloudFormation: a creation template's keys (by its Type), then its `AppliedFor` items.
    let template =
        "Resources:\n  T:\n    Type: AWS::ECR::RepositoryCreationTemplate\n    Properties:\n      Prefix: prod\n";
    let items = complete(&mut c, "c.yaml", &format!("{template}      |\n"));
    assert_eq!(
        labels(&items),
        [
            "Description",
            "EncryptionConfiguration",
            "ResourceTags",
            "ImageTagMutability",
            "ImageTagMutabilityExclusionFilters",
            "RepositoryPolicy",
            "LifecyclePolicy",
            "AppliedFor",
            "CustomRoleArn"
        ]
    );
    let items = complete(
        &mut c,
        "d.yaml",
        &format!("{template}      AppliedFor:\n        - REPLICATION\n        - |\n"),
    );
    assert_eq!(labels(&items), ["REPLICATION", "PULL_THROUGH_CACHE", "CREATE_ON_PUSH"]);
    let items = complete(&mut c, "e.json", "{\"Resources\": {\"R\": {\"Type\": |");
    assert_eq!(
        inserts(&items),
        [
            "\"AWS::ECR::ReplicationConfiguration\"",
            "\"AWS::ECR::RegistryPolicy\"",
            "\"AWS::ECR::RepositoryCreationTemplate\""
        ]
    );
    // Pulumi YAML: a resource by its `type`.
    let items = complete(
        &mut c,
        "p.yaml",
        "resources:\n  repl:\n    type: aws:ecr:ReplicationConfiguration\n    properties:\n      replicationConfiguration:\n        rules:\n          - |\n",
    );
    assert_eq!(labels(&items), ["destinations", "repositoryFilters"]);
    // Terraform: blocks (their name) and arguments (`name = `) in the
    // resource's body, then a filter's type, quoted.
    let resource = "resource \"aws_ecr_replication_configuration\" \"x\" {\n";
    let items = complete(&mut c, "r.tf", &format!("{resource}  |\n"));
    assert_eq!(
        inserts(&items),
        [
            "replication_configuration",
            "region = ",
            "dynamic",
            "provider = ",
            "count = ",
            "for_each = ",
            "depends_on = ",
            "lifecycle",
            "provisioner",
            "connection"
        ]
    );
    let rule = "resource \"aws_ecr_replication_configuration\" \"x\" {\n  replication_configuration {\n    rule {\n";
    let items = complete(&mut c, "f.tf", &format!("{rule}      |\n"));
    assert_eq!(inserts(&items), ["destination", "repository_filter", "dynamic"]);
    let destination = format!("{rule}      destination {{\n        region = \"us-west-2\"\n        |\n");
    let items = complete(&mut c, "g.tf", &destination);
    assert_eq!(inserts(&items), ["registry_id = "]);
    let items = complete(
        &mut c,
        "q.tf",
        &format!("{rule}      repository_filter {{\n        |\n"),
    );
    assert_eq!(inserts(&items), ["filter = ", "filter_type = "]);
    let items = complete(
        &mut c,
        "h.tf",
        &format!("{rule}      repository_filter {{\n        filter_type = |\n"),
    );
    assert_eq!(inserts(&items), ["\"PREFIX_MATCH\""]);
    // Inside a string, the value alone.
    let items = complete(
        &mut c,
        "i.tf",
        "resource \"aws_ecr_repository_creation_template\" \"t\" {\n  prefix = \"prod\"\n  applied_for = [\"|\n",
    );
    assert_eq!(inserts(&items), ["REPLICATION", "PULL_THROUGH_CACHE", "CREATE_ON_PUSH"]);
    // An account setting's values follow its name.
    let items = complete(
        &mut c,
        "s.tf",
        "resource \"aws_ecr_account_setting\" \"scope\" {\n  name  = \"REGISTRY_POLICY_SCOPE\"\n  value = |\n",
    );
    assert_eq!(inserts(&items), ["\"V1\"", "\"V2\""]);
    // A registry policy in `jsonencode({…})`: the statement's keys left.
    let items = complete(
        &mut c,
        "j.tf",
        "resource \"aws_ecr_registry_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect = \"Allow\"\n      |\n",
    );
    assert_eq!(
        inserts(&items),
        [
            "Sid = ",
            "Principal = ",
            "NotPrincipal = ",
            "Action = ",
            "NotAction = ",
            "Resource = ",
            "NotResource = ",
            "Condition = "
        ]
    );
    // A registry policy: a statement's keys, `Effect` values and ECR's actions.
    let items = complete(
        &mut c,
        "k.json",
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"r\", |",
    );
    assert_eq!(
        labels(&items),
        [
            "Effect",
            "Principal",
            "NotPrincipal",
            "Action",
            "NotAction",
            "Resource",
            "NotResource",
            "Condition"
        ]
    );
    let items = complete(&mut c, "l.json", "{\"Statement\": [{\"Effect\": \"|\"");
    assert_eq!(inserts(&items), ["Allow", "Deny"]);
    let items = complete(
        &mut c,
        "m.json",
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"ecr:ReplicateImage\", |",
    );
    let actions = labels(&items);
    assert_eq!(
        actions[..3],
        ["ecr:*", "ecr:BatchCheckLayerAvailability", "ecr:BatchDeleteImage"]
    );
    // Every action of data/ecr-actions.json, and `ecr:*`.
    assert_eq!(actions.len(), 65);
    assert!(actions.contains(&"ecr:CreateRepository".to_string()));
    assert_eq!(items[0]["textEdit"]["newText"], "\"ecr:*\"");
    // At the top of a document whose keys say it is a registry policy.
    let items = complete(&mut c, "n.json", "{\"Version\": \"2012-10-17\", |");
    assert_eq!(labels(&items), ["Id", "Statement"]);
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// Completion at a CloudFormation template's top level offers its sections
/// (and the format version's one value); in a Terraform module block, the
/// inputs of terraform-aws-modules/ecr that ecrlint reads, or the variables
/// a local module's folder declares, with their descriptions.
#[test]
fn completion_offers_template_sections_and_module_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("modules/ecr");
    std::fs::create_dir_all(&module).unwrap();
    std::fs::write(
        module.join("variables.tf"),
        "variable \"replication_rules\" {\n  description = \"The rules to replicate by.\"\n  type = list(any)\n}\nvariable \"name\" {}\n",
    )
    .unwrap();
    std::fs::write(module.join("main.tf"), "variable \"tags\" {\n  default = {}\n}\n").unwrap();
    let mut c = Client::initialized(json!({}), json!({})).0;
    let complete = |c: &mut Client, name: &str, text: &str| -> Vec<Value> {
        let (text, line, character) = cursor(text);
        let uri = file_uri(&dir.path().join(name));
        c.open(&uri, "plaintext", &text);
        c.completion(&uri, line, character)
    };
    let sections = [
        "Description",
        "Metadata",
        "Parameters",
        "Rules",
        "Mappings",
        "Conditions",
        "Transform",
        "Resources",
        "Outputs",
    ];
    let items = complete(&mut c, "a.yaml", "AWSTemplateFormatVersion: '2010-09-09'\n|\n");
    assert_eq!(inserts(&items), sections);
    assert_eq!(
        items[7]["documentation"]["value"],
        "The stack's resources by logical ID, each with its Type and Properties."
    );
    let items = complete(&mut c, "b.yaml", "AWSTemplateFormatVersion: |\n");
    assert_eq!(inserts(&items), ["2010-09-09"]);
    let items = complete(&mut c, "c.json", "{\"Resources\": {}, |}");
    assert_eq!(
        inserts(&items),
        [
            "\"AWSTemplateFormatVersion\": ",
            "\"Description\": ",
            "\"Metadata\": ",
            "\"Parameters\": ",
            "\"Rules\": ",
            "\"Mappings\": ",
            "\"Conditions\": ",
            "\"Transform\": ",
            "\"Outputs\": "
        ]
    );
    // terraform-aws-modules/ecr: its replication and policy inputs, as arguments.
    let registry = "module \"ecr\" {\n  source = \"terraform-aws-modules/ecr/aws\"\n";
    let items = complete(&mut c, "d.tf", &format!("{registry}  |\n}}\n"));
    assert_eq!(
        inserts(&items),
        [
            "version = ",
            "registry_replication_rules = ",
            "create_registry_replication_configuration = ",
            "registry_policy = ",
            "create_registry_policy = ",
            "registry_scan_rules = ",
            "registry_scan_type = ",
            "manage_registry_scanning_configuration = ",
            "providers = ",
            "count = ",
            "for_each = ",
            "depends_on = "
        ]
    );
    let items = complete(
        &mut c,
        "e.tf",
        &format!("{registry}  registry_replication_rules = [{{\n    destinations = [{{\n      |\n"),
    );
    assert_eq!(inserts(&items), ["region = ", "registry_id = "]);
    let items = complete(
        &mut c,
        "f.tf.json",
        "{\"module\": {\"ecr\": {\"source\": \"terraform-aws-modules/ecr/aws\", \"registry_replication_rules\": [{|}]}}}",
    );
    assert_eq!(inserts(&items), ["\"destinations\": ", "\"repository_filters\": "]);
    // A local module: the variables its folder declares, in file order.
    let local = "module \"mine\" {\n  source = \"./modules/ecr\"\n  name = \"x\"\n";
    let items = complete(&mut c, "g.tf", &format!("{local}  |\n}}\n"));
    assert_eq!(inserts(&items), ["tags = ", "replication_rules = "]);
    assert_eq!(items[1]["documentation"]["value"], "The rules to replicate by.");
    // Another registry's module: nothing known.
    let items = complete(
        &mut c,
        "h.tf",
        "module \"other\" {\n  source = \"cloudposse/ecr/aws\"\n  |\n}\n",
    );
    assert_eq!(inserts(&items), Vec::<String>::new());
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// Hover on a key shows its schema's description, in each notation; a
/// value's hover is what it was.
#[test]
fn hover_on_a_key_shows_its_schema_description() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::utf8();
    let hover = |c: &mut Client, name: &str, text: &str, needle: &str| -> Value {
        let uri = file_uri(&dir.path().join(name));
        c.open(&uri, "plaintext", text);
        let at = text.find(needle).unwrap() + 2;
        let line = text[..at].matches('\n').count() as u64;
        let character = (at - text[..at].rfind('\n').map_or(0, |i| i + 1)) as u64;
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(line, character)}),
        )["result"]
            .clone()
    };
    let json_text =
        "{\"rules\": [{\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}]}]}";
    let r = hover(&mut c, "a.json", json_text, "registryId");
    assert_eq!(
        r["contents"]["value"],
        "**registryId**: The 12-digit AWS account ID that owns the destination registry."
    );
    let start = json_text.find("registryId").unwrap() as u64;
    assert_eq!(r["range"], json!({"start": pos(0, start), "end": pos(0, start + 10)}));
    let yaml = "Resources:\n  R:\n    Type: AWS::ECR::RegistryPolicy\n    Properties:\n      PolicyText:\n        Version: '2012-10-17'\n";
    let r = hover(&mut c, "b.yaml", yaml, "Version");
    assert_eq!(
        r["contents"]["value"],
        "**Version**: The policy language version: `2012-10-17` (the current one; `2008-10-17` is the old one)."
    );
    let tf = "resource \"aws_ecr_replication_configuration\" \"x\" {\n  replication_configuration {\n    rule {\n      repository_filter {\n        filter_type = \"PREFIX_MATCH\"\n";
    let r = hover(&mut c, "c.tf", tf, "filter_type");
    assert_eq!(
        r["contents"]["value"],
        "**filter_type**: How the filter matches; the only type is PREFIX_MATCH."
    );
    // A value: no key's description.
    let r = hover(&mut c, "d.json", json_text, "us-west-2");
    let value = r["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("**us-west-2**: US West (Oregon)"), "{value}");
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn completion_and_hover_read_hcl_that_is_not_a_tf_file_as_hcl() {
    // A terragrunt.hcl and a .tfvars are HCL, as an untitled `terraform`
    // document is: completion in the first two was the YAML scanner's,
    // offering the root keys of every JSON/YAML shape (`rules`,
    // `replicationConfiguration`, `Statement`, ...) in HCL.
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::initialized(json!({}), json!({})).0;
    let complete = |c: &mut Client, uri: &str, language: &str, text: &str| -> Vec<String> {
        let (text, line, character) = cursor(text);
        c.open(uri, language, &text);
        labels(&c.completion(uri, line, character))
    };
    let terragrunt = file_uri(&dir.path().join("terragrunt.hcl"));
    let text = "terraform {\n  source = \"tfr:///terraform-aws-modules/ecr/aws?version=2.0.0\"\n}\ninputs = {\n  registry_replication_rules = [{\n    |\n";
    assert_eq!(complete(&mut c, &terragrunt, "plaintext", text), Vec::<String>::new());
    let tfvars = file_uri(&dir.path().join("ci.tfvars"));
    let text = "registry_replication_rules = [{\n  |\n";
    assert_eq!(complete(&mut c, &tfvars, "plaintext", text), Vec::<String>::new());
    let text = "resource \"aws_ecr_replication_configuration\" \"x\" {\n  replication_configuration {\n    rule {\n      destination {\n        |\n";
    assert_eq!(
        complete(&mut c, "untitled:Untitled-1", "terraform", text),
        ["region", "registry_id"]
    );
    // Hover on a key of the untitled document describes the Terraform argument.
    let text = format!("{}region = \"eu-west-1\"\n", text.replace('|', ""));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "untitled:Untitled-1", "version": 2}, "contentChanges": [{"text": text}]}),
    );
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "untitled:Untitled-1"}, "position": pos(5, 2)}),
    );
    assert!(
        r["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("Region")),
        "{r}"
    );
}

#[test]
fn completion_reads_past_a_byte_order_mark_and_breaks_lines_at_a_lone_cr() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::utf8();
    // (line, byte column) of the `|` in `text`, lines ending at `\n` or `\r`.
    let complete = |c: &mut Client, name: &str, text: &str| -> Vec<(String, Value)> {
        let offset = text.find('|').unwrap();
        let text = text.replace('|', "");
        let before = &text[..offset];
        let line = before.matches(['\n', '\r']).count() as u64;
        let character = (offset - before.rfind(['\n', '\r']).map_or(0, |i| i + 1)) as u64;
        let uri = file_uri(&dir.path().join(name));
        c.open(&uri, "plaintext", &text);
        c.completion(&uri, line, character)
            .iter()
            .map(|i| (i["label"].as_str().unwrap().to_string(), i["textEdit"]["range"].clone()))
            .collect()
    };
    let labels = |items: &[(String, Value)]| items.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>();
    // A file saved "UTF-8 with BOM": its first key was read as `\u{feff}resource`,
    // and nothing was offered anywhere in it.
    let tf = "\u{feff}resource \"aws_ecr_replication_configuration\" \"x\" {\n  replication_configuration {\n    rule {\n      destination {\n        reg|\n";
    let items = complete(&mut c, "main.tf", tf);
    assert_eq!(labels(&items), ["region", "registry_id"]);
    assert_eq!(items[0].1, json!({"start": pos(4, 8), "end": pos(4, 11)}));
    let yaml = "\u{feff}Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Reg|";
    assert_eq!(labels(&complete(&mut c, "a.yaml", yaml)), ["Region", "RegistryId"]);
    // Lone `\r` line ends: what is typed is on the cursor's line, not the
    // whole file before it (a range over every line break).
    let items = complete(&mut c, "b.yaml", "rules:\r  - destinations:\r      - reg|");
    assert_eq!(labels(&items), ["region", "registryId"]);
    assert_eq!(items[0].1, json!({"start": pos(2, 8), "end": pos(2, 11)}));
    assert_eq!(c.shutdown_and_exit(), 0);
}

#[test]
fn an_open_caller_is_linted_again_when_its_local_modules_files_change() {
    // The caller follows ./modules/ecr, read from disk when it is linted:
    // an edit of the module (on disk, or saved from the editor) left the
    // caller with the findings of the module as it was.
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("modules/ecr/main.tf");
    std::fs::create_dir_all(module.parent().unwrap()).unwrap();
    let uses_input = "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.region\n        registry_id = \"210987654321\"\n      }\n    }\n  }\n}\n";
    let ignores_input = uses_input.replace("var.region", "\"eu-west-1\"");
    std::fs::write(&module, uses_input).unwrap();
    let main = file_uri(&dir.path().join("main.tf"));
    let caller = "module \"ecr\" {\n  source = \"./modules/ecr\"\n  region = \"eu-wst-1\"\n}\n";
    let mut c = Client::in_workspace(dir.path());
    c.open(&main, "terraform", caller);
    assert_eq!(codes(&c.diagnostics(&main, Some(1))), ["ECR203"]);
    // Publications from the workspace walk may come first: wait for the change.
    let next = |c: &mut Client, want: &[&str]| {
        (0..20)
            .map(|_| c.diagnostics(&main, Some(1)))
            .find(|d| codes(d) == want)
            .unwrap_or_else(|| panic!("main.tf not linted again to {want:?}"))
    };
    // Edited on disk, the module no longer uses the input: nothing to report.
    std::fs::write(&module, &ignores_input).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&module), "type": 2}]}),
    );
    next(&mut c, &[]);
    // Opened in the editor, changed back and saved: the finding is back.
    let module_uri = file_uri(&module);
    c.open(&module_uri, "terraform", &ignores_input);
    std::fs::write(&module, uses_input).unwrap();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": module_uri, "version": 2}, "contentChanges": [{"text": uses_input}]}),
    );
    c.notify("textDocument/didSave", json!({"textDocument": {"uri": module_uri}}));
    let found = next(&mut c, &["ECR203"]);
    assert_eq!(found[0]["range"]["start"], pos(2, 11));
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// A registry policy written in a resource (CloudFormation's `PolicyText`
/// as an object, in JSON and YAML; Pulumi YAML's `policy`, as an object or
/// in `fn::toJSON`; Terraform's `jsonencode({…})`) is completed and
/// described from registry-policy.schema.json: its keys, a statement's
/// keys, a principal's keys and `Effect`'s values, and the descriptions of
/// its keys on hover.
#[test]
fn a_registry_policy_in_a_resource_is_completed_and_described_from_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::initialized(json!({}), json!({})).0;
    let mut n = 0;
    let mut open = |c: &mut Client, name: &str, text: &str| -> (String, u64, u64) {
        n += 1;
        let (text, line, character) = cursor(text);
        let uri = file_uri(&dir.path().join(format!("{n}-{name}")));
        c.open(&uri, "plaintext", &text);
        (uri, line, character)
    };
    let mut complete = |c: &mut Client, name: &str, text: &str| -> Vec<String> {
        let (uri, line, character) = open(c, name, text);
        inserts(&c.completion(&uri, line, character))
    };
    let statement_keys = [
        "Sid",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    ];
    let principal_keys = ["AWS", "Service", "Federated", "CanonicalUser"];
    // CloudFormation, YAML.
    let cfn = "Resources:\n  P:\n    Type: AWS::ECR::RegistryPolicy\n    Properties:\n";
    assert_eq!(complete(&mut c, "a.yaml", &format!("{cfn}      |\n")), ["PolicyText"]);
    let policy = format!("{cfn}      PolicyText:\n");
    assert_eq!(
        complete(&mut c, "b.yaml", &format!("{policy}        |\n")),
        ["Version", "Id", "Statement"]
    );
    let statement = format!("{policy}        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n");
    assert_eq!(
        complete(&mut c, "c.yaml", &format!("{statement}            |\n")),
        statement_keys
    );
    assert_eq!(
        complete(
            &mut c,
            "d.yaml",
            &format!("{policy}        Statement:\n          - Effect: |\n")
        ),
        ["Allow", "Deny"]
    );
    assert_eq!(
        complete(&mut c, "v.yaml", &format!("{policy}        Version: |\n")),
        ["2012-10-17", "2008-10-17"]
    );
    assert_eq!(
        complete(
            &mut c,
            "e.yaml",
            &format!("{statement}            Principal:\n              |\n")
        ),
        principal_keys
    );
    // CloudFormation, JSON.
    let cfn_json = "{\"Resources\": {\"P\": {\"Type\": \"AWS::ECR::RegistryPolicy\", \"Properties\": {\"PolicyText\": {\"Statement\": [{\"Effect\": \"Allow\", ";
    let quoted: Vec<String> = statement_keys.iter().map(|k| format!("\"{k}\": ")).collect();
    assert_eq!(complete(&mut c, "f.json", &format!("{cfn_json}|")), quoted);
    // Pulumi YAML: the policy as an object, and in fn::toJSON.
    let pulumi = "resources:\n  policy:\n    type: aws:ecr:RegistryPolicy\n    properties:\n      policy:\n";
    assert_eq!(
        complete(
            &mut c,
            "g.yaml",
            &format!("{pulumi}        Statement:\n          - Effect: Allow\n            |\n")
        ),
        statement_keys
    );
    let to_json = format!("{pulumi}        fn::toJSON:\n          Version: '2012-10-17'\n");
    assert_eq!(
        complete(&mut c, "h.yaml", &format!("{to_json}          |\n")),
        ["Id", "Statement"]
    );
    assert_eq!(
        complete(
            &mut c,
            "i.yaml",
            &format!("{to_json}          Statement:\n            - Effect: Allow\n              |\n")
        ),
        statement_keys
    );
    assert_eq!(
        complete(
            &mut c,
            "j.yaml",
            &format!("{to_json}          Statement:\n            - Effect: |\n")
        ),
        ["Allow", "Deny"]
    );
    // Terraform: the resource's arguments (those not written, in .tf.json
    // too), then in `jsonencode({…})` a principal's keys and `Effect`'s values.
    assert_eq!(
        complete(&mut c, "t.tf", "resource \"aws_ecr_registry_policy\" \"p\" {\n  |\n"),
        [
            "policy = ",
            "region = ",
            "provider = ",
            "count = ",
            "for_each = ",
            "depends_on = ",
            "lifecycle",
            "provisioner",
            "connection"
        ]
    );
    assert_eq!(
        complete(
            &mut c,
            "u.tf.json",
            "{\"resource\": {\"aws_ecr_registry_policy\": {\"p\": {\"region\": \"eu-west-1\", |}}}}"
        ),
        [
            "\"policy\": ",
            "\"provider\": ",
            "\"count\": ",
            "\"for_each\": ",
            "\"depends_on\": ",
            "\"lifecycle\": ",
            "\"provisioner\": ",
            "\"connection\": "
        ]
    );
    let tf = "resource \"aws_ecr_registry_policy\" \"p\" {\n  policy = jsonencode({\n    Statement = [{\n";
    assert_eq!(
        complete(&mut c, "k.tf", &format!("{tf}      Principal = {{\n        |\n")),
        principal_keys.map(|k| format!("{k} = "))
    );
    assert_eq!(
        complete(&mut c, "l.tf", &format!("{tf}      Effect = |\n")),
        ["\"Allow\"", "\"Deny\""]
    );
    // Hover on a policy's key, in each.
    let mut hover = |c: &mut Client, name: &str, text: &str| -> String {
        let (uri, line, character) = open(c, name, text);
        let r = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(line, character)}),
        );
        r["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let effect = "**Effect**: Whether the statement allows or denies the actions: `Allow` or `Deny` (case-sensitive).";
    let principal = "**Principal**: Who is granted: the source account, as `{\"AWS\": \"arn:aws:iam::<source-account>:root\"}` or its 12-digit ID (`\"*\"` is everyone).";
    assert_eq!(
        hover(
            &mut c,
            "m.yaml",
            &format!("{policy}        Statement:\n          - Ef|fect: Allow\n")
        ),
        effect
    );
    assert_eq!(
        hover(&mut c, "n.json", &format!("{cfn_json}\"Princ|ipal\": \"*\"}}]}}}}}}}}")),
        principal
    );
    assert_eq!(
        hover(
            &mut c,
            "o.yaml",
            &format!("{to_json}          Statement:\n            - Ef|fect: Allow\n")
        ),
        effect
    );
    assert_eq!(
        hover(&mut c, "p.tf", &format!("{tf}      Ef|fect = \"Allow\"\n")),
        effect
    );
    assert_eq!(
        hover(&mut c, "q.yaml", &format!("{cfn}      Policy|Text: {{}}\n")),
        "**PolicyText**: The registry policy: a JSON object (or a JSON document in a string)."
    );
    assert_eq!(c.shutdown_and_exit(), 0);
}

/// A replication resource in `main.tf` and, in `override.tf`, the
/// `replication_configuration` Terraform applies in its place, with
/// `region` as given: the two texts.
fn overridden_resource(region: &str) -> (String, String) {
    let resource = |region: &str| {
        format!("resource \"aws_ecr_replication_configuration\" \"this\" {{\n  replication_configuration {{\n    rule {{\n      destination {{\n        region      = \"{region}\"\n        registry_id = \"210987654321\"\n      }}\n    }}\n  }}\n}}\n")
    };
    (resource("us-west-2"), resource(region))
}

/// (code, 1-based line) of each diagnostic.
fn lines_of(diagnostics: &[Value]) -> Vec<(String, u64)> {
    diagnostics
        .iter()
        .map(|d| {
            let line = d["range"]["start"]["line"].as_u64().unwrap() + 1;
            (d["code"].as_str().unwrap().to_string(), line)
        })
        .collect()
}

/// The folder run's (code, line) of each finding in `name`.
fn folder_run_lines(root: &Path, name: &str) -> Vec<(String, u64)> {
    let (report, _) = common::json_report(root, &["--isolated", "."]);
    common::codes_and_lines(&report)
        .into_iter()
        .filter(|(path, _, _)| path == name)
        .map(|(_, code, line)| (code, line))
        .collect()
}

/// Issue 22: an override file's findings in the editor are those of a
/// run over the open documents. Both open: the folder run's, file by file
/// (`main.tf` repeated the override's finding at its resource). Each
/// open alone, the other on disk: `override.tf` gets the folder run's;
/// `main.tf` gets the hook's (the finding at its resource, labelled at the
/// override), as a value written in a file not open is reported at its
/// use: the editor shows no other file. Edits of the open `override.tf`
/// (unsaved) are what `main.tf`'s resource is checked against.
#[test]
fn override_files_get_the_folder_runs_findings_open_or_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join(".ecrlint.toml"), "").unwrap();
    let (main, broken) = overridden_resource("us-wset-2");
    std::fs::write(root.join("main.tf"), &main).unwrap();
    std::fs::write(root.join("override.tf"), &broken).unwrap();
    let (main_uri, override_uri) = (file_uri(&root.join("main.tf")), file_uri(&root.join("override.tf")));
    let s = |t: &str| t.to_string();
    assert_eq!(folder_run_lines(root, "main.tf"), []);
    assert_eq!(folder_run_lines(root, "override.tf"), [(s("ECR203"), 5)]);

    // Each alone.
    let mut c = Client::in_workspace(root);
    c.open(&override_uri, "terraform", &broken);
    assert_eq!(lines_of(&c.diagnostics(&override_uri, Some(1))), [(s("ECR203"), 5)]);
    assert_eq!(c.shutdown_and_exit(), 0);
    let mut c = Client::in_workspace(root);
    c.open(&main_uri, "terraform", &main);
    let alone = c.diagnostics(&main_uri, Some(1));
    assert_eq!(lines_of(&alone), [(s("ECR203"), 1)]);
    let label = &alone[0]["relatedInformation"][0];
    assert_eq!(label["location"]["uri"], override_uri.as_str(), "{alone:?}");
    assert_eq!(label["location"]["range"]["start"]["line"], 4, "{alone:?}");

    // Both open: main.tf's is taken back, override.tf reports it.
    c.open(&override_uri, "terraform", &broken);
    assert_eq!(lines_of(&c.diagnostics(&override_uri, Some(1))), [(s("ECR203"), 5)]);
    assert_eq!(lines_of(&c.diagnostics(&main_uri, Some(1))), []);

    // override.tf edited, unsaved: its finding moves a line down; then it
    // no longer replaces main.tf's block, whose own typo Terraform now applies.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": override_uri, "version": 2},
               "contentChanges": [{"text": format!("# local DR test\n{broken}")}]}),
    );
    assert_eq!(lines_of(&c.diagnostics(&override_uri, Some(2))), [(s("ECR203"), 6)]);
    assert_eq!(lines_of(&c.diagnostics(&main_uri, Some(1))), []);
    let main_typo = main.replace("us-west-2", "eu-wset-1");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main_uri, "version": 2}, "contentChanges": [{"text": main_typo}]}),
    );
    // Replaced by the override's block: Terraform never applies it.
    assert_eq!(lines_of(&c.diagnostics(&main_uri, Some(2))), []);
    let without_block = "resource \"aws_ecr_replication_configuration\" \"this\" {\n  region = \"us-east-1\"\n}\n";
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": override_uri, "version": 3}, "contentChanges": [{"text": without_block}]}),
    );
    assert_eq!(lines_of(&c.diagnostics(&override_uri, Some(3))), []);
    assert_eq!(lines_of(&c.diagnostics(&main_uri, Some(2))), [(s("ECR203"), 5)]);

    // Closed unsaved: the file on disk replaces main.tf's block again, and
    // its finding is main.tf's to show.
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": override_uri}}));
    assert_eq!(lines_of(&c.diagnostics(&main_uri, Some(2))), [(s("ECR203"), 1)]);
    assert_eq!(c.shutdown_and_exit(), 0);
}
