//! Editor recipes from the README and the docs book, tried for real where
//! the editor runs here: Neovim headless with the book's makeprg/errorformat
//! and with its built-in LSP client on `ecrlint server`, and the VS Code
//! problem-matcher pattern applied to real output.

mod common;

use std::path::Path;
use std::process::Command;

const BAD: &str = "{\n  \"rules\": [\n    {\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"21098765432\"}]}\n  ]\n}\n";

/// The first page (README.md, then the docs book) that contains `needle`.
fn doc_with(needle: &str) -> String {
    common::doc_pages()
        .into_iter()
        .map(|(_, text)| text)
        .find(|text| text.contains(needle))
        .unwrap_or_else(|| panic!("neither README.md nor docs/ has {needle}"))
}

/// The first line of the documentation that contains `needle`, trimmed.
fn doc_line(needle: &str) -> String {
    doc_with(needle)
        .lines()
        .find(|l| l.contains(needle))
        .unwrap()
        .trim()
        .to_string()
}

/// The fenced code block of the documentation that contains `needle`.
fn doc_block(needle: &str) -> String {
    let page = doc_with(needle);
    let at = page.find(needle).unwrap();
    let start = page[..at].rfind("```").unwrap();
    let start = start + page[start..].find('\n').unwrap() + 1;
    let end = at + page[at..].find("```").unwrap();
    page[start..end].to_string()
}

#[test]
#[ignore = "needs Neovim (apt-get install neovim): .ci/run installs it and runs this"]
fn neovim_quickfix_reads_the_findings() {
    common::needs_command("nvim", "apt-get install neovim");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.json"), BAD).unwrap();
    // The two settings exactly as the docs give them.
    let makeprg = doc_line("set makeprg=");
    let errorformat = doc_line("set errorformat=");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_ecrlint")).parent().unwrap();
    let out = nvim(dir.path())
        .env("PATH", format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default()))
        .args(["--headless", "--clean", "-c", &makeprg, "-c", &errorformat, "-c", "silent make", "-c"])
        .arg("call writefile([json_encode(map(getqflist(), {_, v -> {'file': bufname(v.bufnr), 'lnum': v.lnum, 'col': v.col, 'type': v.type, 'text': v.text, 'valid': v.valid}}))], 'qf.json')")
        .args(["-c", "qa!", "bad.json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let qf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("qf.json")).unwrap()).unwrap();
    let items: Vec<_> = qf.as_array().unwrap().iter().filter(|i| i["valid"] == 1).collect();
    assert_eq!(items.len(), 1, "{qf:#}");
    let item = items[0];
    assert_eq!(item["file"], "bad.json");
    assert_eq!(item["lnum"], 3);
    assert_eq!(item["col"], 61);
    assert_eq!(item["type"], "e");
    assert!(
        item["text"]
            .as_str()
            .unwrap()
            .starts_with("[ECR204 invalid-registry-id] registryId"),
        "{item}"
    );
}

#[test]
fn vscode_problem_matcher_pattern_matches_concise_output() {
    // The "regexp" of the tasks.json of docs/integrations/vscode.md, JSON-unescaped.
    let line = doc_line("\"regexp\":");
    let value: serde_json::Value = serde_json::from_str(&format!("{{{}}}", line.trim_end_matches(','))).unwrap();
    let pattern = regex::Regex::new(value["regexp"].as_str().unwrap()).unwrap();
    let out = common::ecrlint()
        .args([
            "check",
            "--format",
            "concise",
            "-",
            "--stdin-filename",
            "infra/replication.json",
        ])
        .write_stdin(BAD)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let c = pattern
        .captures(text.lines().next().unwrap())
        .expect("the pattern matches");
    // file, line, column, severity, code, message: the groups the task names.
    assert_eq!(&c[1], "infra/replication.json");
    assert_eq!(&c[2], "3");
    assert_eq!(&c[3], "61");
    assert_eq!(&c[4], "error");
    assert_eq!(&c[5], "ECR204");
    assert!(c[6].starts_with("registryId"));
}

/// Neovim's own LSP client (0.7: `vim.lsp.start_client` + `buf_attach_client`,
/// set up exactly as docs/integrations/neovim.md says) against `ecrlint server`: findings
/// arrive as diagnostics, go away when the buffer is edited, and hover shows
/// the rule's documentation.
#[test]
#[ignore = "needs Neovim (apt-get install neovim): .ci/run installs it and runs this"]
fn neovim_lsp_client_shows_findings_as_you_type() {
    common::needs_command("nvim", "apt-get install neovim");
    let dir = tempfile::tempdir().unwrap();
    // "é" before the finding on its line (an unknown key, ECR102): Neovim
    // counts bytes, the protocol UTF-16 units.
    let text = BAD.replacen("[{\"region\"", "[{\"é\": 0, \"region\"", 1);
    let line = text.lines().nth(2).unwrap();
    let col = line.find("\"21098765432\"").unwrap();
    let hover_at = line[..col].encode_utf16().count() + 2;
    std::fs::write(dir.path().join("bad.json"), &text).unwrap();
    let script = format!(
        r#"
local out = {{}}
local ok, err = pcall(function()
  vim.cmd('luafile setup.lua')
  vim.cmd('edit bad.json')
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  -- Listed once initialized.
  local client = next(vim.lsp.buf_get_clients(buf))
  out.first = vim.tbl_map(function(d)
    return {{ code = d.code, lnum = d.lnum, col = d.col, end_col = d.end_col, severity = d.severity, source = d.source }}
  end, vim.diagnostic.get(buf))
  local d
  for _, x in ipairs(vim.diagnostic.get(buf)) do
    if x.code == 'ECR204' then d = x end
  end
  local params = {{ textDocument = vim.lsp.util.make_text_document_params(buf), position = {{ line = d.lnum, character = {hover_at} }} }}
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 10000)
  out.hover = res[client].result.contents.value
  -- Add the missing digit just before the closing quote.
  vim.api.nvim_buf_set_text(buf, d.lnum, d.end_col - 1, d.lnum, d.end_col - 1, {{ '1' }})
  vim.wait(15000, function() return #vim.diagnostic.get(buf) == 1 end, 20)
  out.after = vim.tbl_map(function(x) return x.code end, vim.diagnostic.get(buf))
  out.line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
end)
out.error = err
local f = io.open('result.json', 'w')
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd('qa!')
"#
    );
    let result = run_with_documented_setup(dir.path(), &script);
    assert_eq!(result["error"], serde_json::Value::Null, "{result:#}");
    let first = result["first"].as_array().unwrap();
    assert_eq!(first.len(), 2, "{result:#}");
    assert_eq!(first[0]["code"], "ECR102");
    assert_eq!(first[0]["col"].as_u64(), Some(line.find("\"é\"").unwrap() as u64));
    let d = &first[1];
    assert_eq!(d["code"], "ECR204");
    assert_eq!(d["source"], "ecrlint");
    assert_eq!(d["severity"], 1);
    assert_eq!((d["lnum"].as_u64(), d["col"].as_u64()), (Some(2), Some(col as u64)));
    assert_eq!(d["end_col"].as_u64(), Some(col as u64 + 13));
    let hover = result["hover"].as_str().unwrap();
    assert!(
        hover.contains("not a 12-digit AWS account ID") && hover.contains("**ECR204** `invalid-registry-id`"),
        "{result:#}"
    );
    assert_eq!(result["after"], serde_json::json!(["ECR102"]), "{result:#}");
    assert!(
        result["line"].as_str().unwrap().contains("\"210987654321\""),
        "{result:#}"
    );
}

/// Neovim applies ecrlint's code actions: the quick fix of one finding, then
/// fix-all, and the buffer holds the fixed text (positions in UTF-16 after
/// an "é" on the line, which Neovim counts in bytes).
#[test]
#[ignore = "needs Neovim (apt-get install neovim): .ci/run installs it and runs this"]
fn neovim_applies_a_quickfix_and_fix_all() {
    common::needs_command("nvim", "apt-get install neovim");
    let dir = tempfile::tempdir().unwrap();
    let text = "{\"rules\": [{\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}],\n  \"repositoryFilters\": [{\"filter\": \"é/web\", \"filterType\": \"prefix\"}, {\"filter\": \"Team\", \"filterType\": \"PREFIX\"}]}]}\n";
    std::fs::write(dir.path().join("fix.json"), text).unwrap();
    let script = r#"
local out = {}
local ok, err = pcall(function()
  vim.cmd('luafile setup.lua')
  vim.cmd('edit fix.json')
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  local client_id = next(vim.lsp.buf_get_clients(buf))
  local client = vim.lsp.get_client_by_id(client_id)
  local d
  for _, x in ipairs(vim.diagnostic.get(buf)) do
    if x.code == 'ECR201' and d == nil then d = x end
  end
  local range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.lnum, character = 200 } }
  local params = { textDocument = vim.lsp.util.make_text_document_params(buf), range = range,
    context = { diagnostics = {}, only = { 'quickfix' } } }
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
  local quick = res[client_id].result[1]
  out.title = quick.title
  vim.lsp.util.apply_workspace_edit(quick.edit, client.offset_encoding)
  out.after_quickfix = vim.api.nvim_buf_get_lines(buf, 1, 2, false)[1]
  -- The server sees the edit before fix-all is asked for.
  vim.wait(15000, function()
    for _, x in ipairs(vim.diagnostic.get(buf)) do
      if x.code == 'ECR201' and x.lnum == d.lnum and x.col == d.col then return false end
    end
    return true
  end, 20)
  params.context.only = { 'source.fixAll.ecrlint' }
  res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
  vim.lsp.util.apply_workspace_edit(res[client_id].result[1].edit, client.offset_encoding)
  out.after_fix_all = vim.api.nvim_buf_get_lines(buf, 1, 2, false)[1]
end)
out.error = err
local f = io.open('result.json', 'w')
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd('qa!')
"#;
    let result = run_with_documented_setup(dir.path(), script);
    assert_eq!(result["error"], serde_json::Value::Null, "{result:#}");
    assert_eq!(result["title"], "Replace `prefix` with `PREFIX_MATCH`", "{result:#}");
    assert_eq!(
        result["after_quickfix"],
        "  \"repositoryFilters\": [{\"filter\": \"é/web\", \"filterType\": \"PREFIX_MATCH\"}, {\"filter\": \"Team\", \"filterType\": \"PREFIX\"}]}]}",
        "{result:#}"
    );
    assert_eq!(
        result["after_fix_all"],
        "  \"repositoryFilters\": [{\"filter\": \"é/web\", \"filterType\": \"PREFIX_MATCH\"}, {\"filter\": \"team\", \"filterType\": \"PREFIX_MATCH\"}]}]}",
        "{result:#}"
    );
}

/// Runs a Lua test script in headless Neovim after the documented language
/// server setup (with `ecrlint` found on PATH); the script writes
/// `result.json`, which is returned.
/// Neovim in `dir`, with its state, data and cache there too: tests run
/// at once, and two first runs creating `~/.local/state/nvim` race
/// ("E303: Unable to create directory"); nothing is left in the home folder.
fn nvim(dir: &Path) -> Command {
    let mut command = Command::new("nvim");
    command
        .current_dir(dir)
        .env("XDG_STATE_HOME", dir.join(".state"))
        .env("XDG_DATA_HOME", dir.join(".data"))
        .env("XDG_CACHE_HOME", dir.join(".cache"));
    command
}

fn run_with_documented_setup(dir: &Path, script: &str) -> serde_json::Value {
    std::fs::write(dir.join("test.lua"), script).unwrap();
    let setup = doc_block("ecrlint = ecrlint or vim.lsp.start_client");
    std::fs::write(dir.join("setup.lua"), setup).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_ecrlint")).parent().unwrap();
    let out = nvim(dir)
        .env(
            "PATH",
            format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default()),
        )
        .args(["--headless", "--clean", "-c", "luafile test.lua"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&std::fs::read_to_string(dir.join("result.json")).unwrap()).unwrap()
}
