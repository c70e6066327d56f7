//! Hover: on a finding, its rule's one-line summary, the finding's help and
//! a link to the rule's page (the whole page is a click away, not in the
//! tooltip); on a destination's Region or account ID, what ecrlint knows of it;
//! on a filter or a destination, the workspace's review ([`super::review`]);
//! on a key, its schema's description.

use super::engine::{self, ValueAt};
use super::position::{Encoding, LineIndex};
use super::DocView;
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

pub fn hover(
    doc: DocView,
    findings: &[engine::Diagnostic],
    values: &engine::Values,
    review: impl FnOnce(usize) -> Option<(String, (usize, usize))>,
    position: Position,
    encoding: Encoding,
) -> Option<Hover> {
    let index = LineIndex::with_lines(&doc.text, &doc.lines, encoding);
    let offset = index.offset(position);
    let mut sections = Vec::new();
    let mut range: Option<(usize, usize)> = None;
    let mut codes = Vec::new();
    for d in findings
        .iter()
        .filter(|d| d.span.start <= offset && offset <= d.span.end)
    {
        if codes.contains(&d.code) {
            continue;
        }
        codes.push(d.code);
        if let Some((summary, url)) = engine::rule_summary(d.code) {
            let help = d.help.as_deref().map(|h| format!("\n\n{h}")).unwrap_or_default();
            sections.push(format!(
                "**{}** `{}`: {summary}{help}\n\n[{} {} (the rule's page)]({url})",
                d.code, d.rule, d.code, d.rule
            ));
            range = Some(range.map_or((d.span.start, d.span.end), |(s, e)| {
                (s.max(d.span.start), e.min(d.span.end))
            }));
        }
    }
    if let Some(value) = values.at(offset) {
        let document_source = values.source.clone();
        let (text, span) = match &value {
            ValueAt::Region { text, span } => (region(text), span),
            ValueAt::Account { text, span } => {
                let source = doc.settings.source_registry.clone().or(document_source);
                (account(text, source.as_deref()), span)
            }
        };
        sections.insert(0, text);
        range = Some((span.start, span.end));
    }
    // What the workspace sends through a filter or to a destination: after
    // the value's own facts, before findings.
    if let Some((text, span)) = review(offset) {
        let at = usize::from(values.at(offset).is_some());
        sections.insert(at, text);
        range = Some(span);
    }
    // What the key under the cursor is for, first: nothing else is on a key
    // but findings.
    if let Some((text, span)) = key_documentation(&doc, offset) {
        sections.insert(0, text);
        range.get_or_insert(span);
    }
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: range.map(|(s, e)| index.range(s, e)),
    })
}

fn region(code: &str) -> String {
    match engine::region(code) {
        Some(r) => {
            let opt_in = match r.opt_in {
                Some(true) => "opt-in: both accounts must enable it before replication reaches it",
                Some(false) => "enabled by default (not opt-in)",
                None => "opt-in does not apply in this partition",
            };
            let ecr = if r.ecr {
                ""
            } else {
                "\n\nAmazon ECR is not available here yet"
            };
            format!(
                "**{}**: {}\n\npartition: `{}` ({})\n\n{opt_in}{ecr}",
                r.code, r.name, r.partition, r.partition_name
            )
        }
        None => match engine::partition_of(code) {
            Some(p) => format!("**{code}**: not a Region ecrlint knows (its name fits partition `{p}`)"),
            None => format!("**{code}**: not an AWS Region name"),
        },
    }
}

fn account(id: &str, source: Option<&str>) -> String {
    if !engine::is_account_id(id) {
        return format!("**{id}**: not a 12-digit AWS account ID");
    }
    if engine::is_placeholder_account(id) {
        return format!(
            "**{id}**: an AWS documentation placeholder account, not a real one: put the real account ID here"
        );
    }
    match source {
        Some(s) if s == id => format!("**{id}**: the source account (the registry this configuration is applied to)"),
        Some(_) => format!("**{id}**: another account than the source: it needs a registry permissions policy that lets the source replicate to it"),
        None => format!("**{id}**: an account ID (the source account is not known: set `[source] registry-id` in `.ecrlint.toml`)"),
    }
}

/// The schema's description of the key under the cursor, and the key's span.
fn key_documentation(doc: &DocView, offset: usize) -> Option<(String, (usize, usize))> {
    let (place, notation) = engine::place(&doc.text, doc.path.as_deref(), offset)?;
    if place.at != engine::At::Key {
        return None;
    }
    let start = place.typed.0;
    let end = engine::word_end(&doc.text, start);
    let key = doc.text.get(start..end).filter(|k| !k.is_empty())?;
    let description = engine::key_description(&place, notation, key)?;
    Some((format!("**{key}**: {description}"), (start, end)))
}
