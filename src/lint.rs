//! Lints one file's bytes: parse, recognise, schema, rules, then settings.
//! Knows nothing about paths on disk or output formats.

use crate::diagnostic::Diagnostic;
use crate::document::{self, DocumentKind};
use crate::facts::facts;
use crate::json::{self, Span};
use crate::rules::{self, Context, Level, RuleMeta};
use crate::schema;
use std::collections::HashMap;

/// What the user told us: source context and rule levels.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub source_region: Option<String>,
    pub source_registry: Option<String>,
    /// Rule code → level, overriding the rule's default.
    pub levels: HashMap<&'static str, Level>,
    pub extra_regions: Vec<String>,
    pub policy: crate::config::Policy,
}

impl Settings {
    pub fn level(&self, meta: &RuleMeta) -> Level {
        self.levels.get(meta.code).copied().unwrap_or(meta.default)
    }
}

pub enum Outcome {
    /// The file was linted (possibly with no findings).
    Linted {
        document: Option<DocumentKind>,
        diagnostics: Vec<Diagnostic>,
    },
    /// Directory mode only: the file is not a replication document.
    Skipped { reason: &'static str },
}

/// Keys that mark a file as meant to be a replication document even when it
/// does not parse, so a broken configuration is reported, never skipped.
const TELLTALE_KEYS: &[&str] = &[
    "replicationconfiguration",
    "repositoryfilters",
    "prefix_match",
    "\"destinations\"",
    "\"registryid\"",
    "registryid:",
    "destinations:",
];

fn looks_like_replication(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1 << 20)];
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    TELLTALE_KEYS.iter().any(|k| lower.contains(k))
}

/// How to read the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    /// JSON when the text starts with `{` or `[`, else YAML (`.template` files, stdin).
    Detect,
}

impl Format {
    /// By file name: `.json` is JSON, `.yaml`/`.yml` YAML, anything else detected.
    pub fn for_path(path: &std::path::Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => Format::Json,
            Some("yaml" | "yml") => Format::Yaml,
            _ => Format::Detect,
        }
    }

    fn resolve(self, bytes: &[u8]) -> Format {
        if self != Format::Detect {
            return self;
        }
        let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{' | b'[') | None => Format::Json,
            Some(_) => Format::Yaml,
        }
    }
}

/// `explicit`: the user named this file, so it is always linted.
pub fn lint(bytes: &[u8], format: Format, explicit: bool, settings: &Settings) -> Outcome {
    let format = format.resolve(bytes);
    let mut yaml_aliases = Vec::new();
    let parsed = match format {
        Format::Yaml => crate::yaml::parse_with_aliases(bytes).map(|(root, aliases)| {
            yaml_aliases = aliases;
            root
        }),
        _ => json::parse(bytes),
    };
    let root = match parsed {
        Ok(root) => root,
        Err(e) => {
            if !explicit && !looks_like_replication(bytes) {
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
    let Some(kind) = document::recognise(&root, !explicit) else {
        if !explicit {
            return Outcome::Skipped {
                reason: "not a replication document or CloudFormation template",
            };
        }
        let start = root.span.start;
        let d = rules::unknown_document::META
            .diagnostic(
                Span::new(start, start + 1),
                "this file is not an ECR replication document",
            )
            .with_primary_label("unrecognised top-level value")
            .with_help(format!("ecrlint checks {}", DocumentKind::SHAPES));
        return finish(None, vec![d], settings);
    };
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let doc = document::build(&root, kind);
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
    let mut found = Vec::new();
    for rule in rules::RULES {
        if let (Some(check), Level::On(_)) = (rule.check, settings.level(rule.meta)) {
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

fn finish(document: Option<DocumentKind>, found: Vec<Diagnostic>, settings: &Settings) -> Outcome {
    let mut diagnostics: Vec<Diagnostic> = found
        .into_iter()
        .filter_map(|mut d| {
            let meta = rules::find(d.code)?;
            match settings.level(meta) {
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
