//! Lints one file's bytes: parse, recognise, schema, rules, then settings.
//! Knows nothing about paths on disk or output formats.

use crate::diagnostic::Diagnostic;
use crate::document::{self, DocumentKind};
use crate::facts::facts;
use crate::recognise::{self, Recognition, Telltale};
use crate::rules::{self, Context};
use crate::schema;
use crate::settings::{Level, Settings};
use crate::syntax::{self, Span};

pub enum Outcome {
    /// The file was linted (possibly with no findings).
    Linted {
        document: Option<DocumentKind>,
        diagnostics: Vec<Diagnostic>,
    },
    /// Directory mode only: the file is not a replication document.
    Skipped { reason: &'static str },
}

/// How to read the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    /// JSON when the text starts with `{` or `[`, else YAML (`.template` files, stdin).
    Detect,
    /// A file type ecrlint does not read (source code, prose, Terraform), by its extension.
    NotRead,
}

/// Extensions of files that are never replication JSON or YAML, even when
/// they mention it: code that builds one, documentation, Terraform (for now).
const NOT_READ: &[&str] = &[
    "ts", "tsx", "js", "mjs", "cjs", "py", "go", "java", "kt", "cs", "rb", "rs", "php", "sh", "ps1", "tf", "hcl",
    "tfvars", "md", "markdown", "rst", "adoc", "html", "xml", "toml", "ini", "cfg", "csv", "lock",
];

impl Format {
    /// By file name: `.json` is JSON, `.yaml`/`.yml` YAML, code and prose
    /// not read, anything else detected from its content.
    pub fn for_path(path: &std::path::Path) -> Format {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("json") => Format::Json,
            Some("yaml" | "yml") => Format::Yaml,
            Some(e) if NOT_READ.contains(&e) => Format::NotRead,
            _ => Format::Detect,
        }
    }

    fn resolve(self, bytes: &[u8]) -> Format {
        if self != Format::Detect {
            return self;
        }
        let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{' | b'[') | None => Format::Json,
            Some(_) => Format::Yaml,
        }
    }
}

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// A Unicode encoding other than UTF-8, which neither the AWS CLI nor
/// CloudFormation reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WideEncoding {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl WideEncoding {
    /// By byte order mark, or by the zero bytes around the first ASCII
    /// characters (RFC 4627's method): JSON and YAML start with ASCII.
    fn detect(bytes: &[u8]) -> Option<(WideEncoding, usize)> {
        use WideEncoding::*;
        let marked = match bytes {
            [0xff, 0xfe, 0, 0, ..] => Some((Utf32Le, 4)),
            [0, 0, 0xfe, 0xff, ..] => Some((Utf32Be, 4)),
            [0xff, 0xfe, ..] => Some((Utf16Le, 2)),
            [0xfe, 0xff, ..] => Some((Utf16Be, 2)),
            _ => None,
        };
        marked.or(match bytes {
            [0, 0, 0, a, ..] if *a != 0 => Some((Utf32Be, 0)),
            [a, 0, 0, 0, ..] if *a != 0 => Some((Utf32Le, 0)),
            [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some((Utf16Be, 0)),
            [a, 0, b, 0, ..] if *a != 0 && *b != 0 => Some((Utf16Le, 0)),
            _ => None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            WideEncoding::Utf16Le => "UTF-16 (little-endian)",
            WideEncoding::Utf16Be => "UTF-16 (big-endian)",
            WideEncoding::Utf32Le => "UTF-32 (little-endian)",
            WideEncoding::Utf32Be => "UTF-32 (big-endian)",
        }
    }

    fn decode(self, bytes: &[u8]) -> String {
        match self {
            WideEncoding::Utf16Le | WideEncoding::Utf16Be => {
                let units = bytes.chunks_exact(2).map(|c| match self {
                    WideEncoding::Utf16Le => u16::from_le_bytes([c[0], c[1]]),
                    _ => u16::from_be_bytes([c[0], c[1]]),
                });
                char::decode_utf16(units)
                    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect()
            }
            WideEncoding::Utf32Le | WideEncoding::Utf32Be => bytes
                .chunks_exact(4)
                .map(|c| {
                    let b = [c[0], c[1], c[2], c[3]];
                    let unit = if self == WideEncoding::Utf32Le {
                        u32::from_le_bytes(b)
                    } else {
                        u32::from_be_bytes(b)
                    };
                    char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
                })
                .collect(),
        }
    }
}

/// A file that is not ours to read: ECR003 when named, else passed over.
fn not_ours(explicit: bool, reason: &'static str, d: impl FnOnce() -> Diagnostic, settings: &Settings) -> Outcome {
    if explicit {
        finish(None, vec![d()], settings)
    } else {
        Outcome::Skipped { reason }
    }
}

/// The first byte of the file, as a span (empty for an empty file).
fn first_byte(bytes: &[u8]) -> Span {
    Span::new(0, bytes.len().min(1))
}

/// `explicit`: the user named this file, so it is always linted.
pub fn lint(bytes: &[u8], format: Format, explicit: bool, settings: &Settings) -> Outcome {
    if format == Format::NotRead {
        return not_ours(
            explicit,
            "not a format ecrlint reads",
            || {
                rules::unknown_document::META
                    .diagnostic(first_byte(bytes), "this file is not a format ecrlint reads")
                    .with_primary_label("not JSON or YAML")
                    .with_help(
                        "ecrlint reads replication documents and CloudFormation templates in JSON or YAML \
                         (`.json`, `.yaml`, `.yml`, `.template`); lint the file the code or text produces",
                    )
            },
            settings,
        );
    }
    if let Some((encoding, bom)) = WideEncoding::detect(bytes) {
        let text = encoding.decode(&bytes[bom..]);
        if !explicit && !recognise::text_is_replication(&text) {
            return Outcome::Skipped {
                reason: "not UTF-8, and has no replication keys",
            };
        }
        let span = if bom > 0 { Span::new(0, bom) } else { first_byte(bytes) };
        let d = rules::invalid_json::META
            .diagnostic(span, format!("this file is {}; save it as UTF-8", encoding.name()))
            .with_primary_label(if bom > 0 { "byte order mark" } else { "wide characters" })
            .with_help(
                "the AWS CLI and CloudFormation read UTF-8 only: re-save the file as UTF-8 without a byte \
                 order mark (in Windows editors, not \"Unicode\"), or `iconv -f UTF-16 -t UTF-8`",
            );
        return finish(None, vec![d], settings);
    }
    let format = format.resolve(bytes);
    let mut yaml_aliases = Vec::new();
    let parsed = match format {
        Format::Yaml => crate::syntax::yaml::parse_with_aliases(bytes).map(|(root, aliases)| {
            yaml_aliases = aliases;
            root
        }),
        _ => syntax::json::parse(bytes),
    };
    let root = match parsed {
        Ok(root) => root,
        Err(e) => {
            if !explicit && !recognise::text_is_replication(&String::from_utf8_lossy(bytes)) {
                return Outcome::Skipped {
                    reason: "does not parse, and has no replication keys",
                };
            }
            let d = rules::invalid_json::META
                .diagnostic(e.span, e.message)
                .with_primary_label(e.label);
            let d = match e.help {
                Some(h) => d.with_help(h),
                None => d,
            };
            return finish(None, vec![d], settings);
        }
    };
    let kind = match recognise::recognise(&root) {
        Recognition::Replication(kind) => kind,
        Recognition::Misplaced(clue) => {
            let d = rules::unknown_document::META
                .diagnostic(
                    clue.span,
                    format!(
                        "this file mentions `{}`, but its top level is none of the replication document shapes",
                        clue.word
                    ),
                )
                .with_primary_label("replication key here")
                .with_help(format!(
                    "ecrlint checks {}; lint the configuration itself, or wrap it as one of these",
                    DocumentKind::SHAPES
                ));
            return finish(None, vec![d], settings);
        }
        Recognition::Neighbour { neighbour, at } => {
            return not_ours(
                explicit,
                neighbour.name,
                || {
                    rules::unknown_document::META
                        .diagnostic(
                            at,
                            format!("this is {}, not an ECR replication configuration", neighbour.name),
                        )
                        .with_primary_label(if neighbour.telltales.contains(&Telltale::TemplateWithoutReplication) {
                            "no replication resource among these"
                        } else {
                            "this key gives it away"
                        })
                        .with_help(format!(
                            "such files come from {}; ecrlint checks {}",
                            neighbour.source,
                            DocumentKind::SHAPES
                        ))
                },
                settings,
            )
        }
        // A file named on the command line is linted when its top level has our shape.
        Recognition::Unrelated if explicit && recognise::shape(&root).is_some() => {
            recognise::shape(&root).expect("just checked")
        }
        Recognition::Unrelated => {
            return not_ours(
                explicit,
                "not a replication document or CloudFormation template",
                || {
                    rules::unknown_document::META
                        .diagnostic(first_byte_of(&root), "this file is not an ECR replication document")
                        .with_primary_label("unrecognised top-level value")
                        .with_help(format!("ecrlint checks {}", DocumentKind::SHAPES))
                },
                settings,
            )
        }
    };
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let doc = document::build(&root, kind);
    let mut found = Vec::new();
    // The AWS CLI reads `file://` JSON without skipping a byte order mark
    // ("Unexpected UTF-8 BOM"); CloudFormation and YAML readers skip it.
    let api_shape = matches!(
        kind,
        DocumentKind::Configuration | DocumentKind::Request | DocumentKind::DescribeRegistry
    );
    if api_shape && format == Format::Json && bytes.starts_with(UTF8_BOM) {
        found.push(
            rules::invalid_json::META
                .diagnostic(
                    Span::new(0, UTF8_BOM.len()),
                    "this file starts with a UTF-8 byte order mark, which the AWS CLI rejects (\"Unexpected UTF-8 BOM\")",
                )
                .with_primary_label("byte order mark")
                .with_help("save the file as UTF-8 without a byte order mark (\"UTF-8\", not \"UTF-8 with BOM\")"),
        );
    }
    let source_registry = settings.source_registry.as_deref().or_else(|| {
        doc.source_registry
            .as_ref()
            .and_then(|s| s.text())
            .filter(|id| facts().registry_id_pattern.is_match(id))
    });
    let ctx = Context {
        doc: &doc,
        facts: facts(),
        source_region: settings.source_region.as_deref(),
        source_registry,
        extra_regions: &settings.extra_regions,
        policy: &settings.policy,
        yaml_aliases: &yaml_aliases,
    };
    for rule in rules::RULES {
        if let (Some(check), Level::On(_)) = (rule.check, settings.level(rule.meta.code, rule.meta.default)) {
            check(&ctx, &mut found);
        }
    }
    for d in &mut found {
        if d.pointer.is_empty() {
            d.pointer = root.pointer_at(d.span).to_string();
        }
    }
    // A rule's specific finding replaces the schema's generic one on the same value.
    // (By pointer, or by span: a YAML alias's value has one span and two paths.)
    let explained: std::collections::HashSet<String> = found.iter().map(|d| d.pointer.clone()).collect();
    let explained_spans: std::collections::HashSet<Span> = found.iter().map(|d| d.span).collect();
    let schema_findings = schema::check(&doc, text, format == Format::Yaml);
    // ...unless the value the rules read is not the value as written (a YAML
    // 1.1 reading in a template): then the schema's finding says so, alone.
    let replaced: Vec<&Diagnostic> = schema_findings
        .iter()
        .filter(|f| f.replaces_rules)
        .map(|f| &f.diagnostic)
        .collect();
    if !replaced.is_empty() {
        found.retain(|d| !replaced.iter().any(|r| r.pointer == d.pointer || r.span == d.span));
    }
    for f in schema_findings {
        if f.value_level && (explained.contains(&f.diagnostic.pointer) || explained_spans.contains(&f.diagnostic.span))
        {
            continue;
        }
        found.push(f.diagnostic);
    }
    finish(Some(kind), found, settings)
}

fn first_byte_of(root: &syntax::Node) -> Span {
    Span::new(root.span.start, root.span.start + 1)
}

fn finish(document: Option<DocumentKind>, found: Vec<Diagnostic>, settings: &Settings) -> Outcome {
    let mut diagnostics: Vec<Diagnostic> = found
        .into_iter()
        .filter_map(|mut d| {
            let meta = rules::find(d.code)?;
            match settings.level(meta.code, meta.default) {
                Level::Off => None,
                // The user's level wins; otherwise a finding keeps the
                // severity its rule gave it (the default, or a lower one).
                Level::On(severity) if settings.levels.contains_key(meta.code) => {
                    d.severity = severity;
                    Some(d)
                }
                Level::On(_) => Some(d),
            }
        })
        .collect();
    diagnostics.sort_by(|a, b| (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code)));
    // A value reached through YAML aliases is checked once per use: one finding.
    diagnostics.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
    Outcome::Linted { document, diagnostics }
}
