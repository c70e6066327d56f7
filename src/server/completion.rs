//! Completion from the schemas: at the cursor, the resource kind and the
//! path inside it name a definition ([`engine::keys_at`]); its keys not yet
//! written are offered with their descriptions, a key's values with its
//! enum (filter types, a template's `appliedFor`, a policy's `Effect`),
//! Region codes with their names where a Region goes (the source's
//! partition first) and ECR's actions where a policy's actions go. The
//! place is read by the tolerant scanners of `syntax::place`, since a
//! document being typed rarely parses.

use super::engine::{self, At, Notation, Place};
use super::position::{Encoding, LineIndex};
use super::DocView;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent, MarkupKind, Position,
    TextEdit,
};

pub fn complete(doc: &DocView, position: Position, encoding: Encoding) -> Vec<CompletionItem> {
    let index = LineIndex::with_lines(&doc.text, &doc.lines, encoding);
    let offset = index.offset(position);
    let Some((place, notation)) = engine::place(&doc.text, doc.path.as_deref(), offset) else {
        return Vec::new();
    };
    let range = index.range(place.typed.0, place.typed.1);
    let item = |label: String, kind: CompletionItemKind, detail: Option<String>, sort: String, insert: String| {
        CompletionItem {
            label,
            kind: Some(kind),
            detail,
            sort_text: Some(sort),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, insert))),
            ..Default::default()
        }
    };
    let (key, place) = match &place.at {
        At::Key => match engine::scalar_item(&place, notation) {
            // A YAML `- ` in a list of scalars: an item of the list's key.
            Some((key, outer)) => (key, outer),
            None => return keys(&place, notation, doc.path.as_deref(), item),
        },
        At::Value(key) => (key.clone(), place.clone()),
    };
    let quoted = |v: &str| if place.quote { format!("\"{v}\"") } else { v.to_string() };
    if key.eq_ignore_ascii_case("region") {
        let first = doc
            .settings
            .source_region
            .as_deref()
            .and_then(engine::partition_of)
            .unwrap_or_else(|| "aws".to_string());
        return engine::regions()
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let rank = u8::from(r.partition != first);
                let detail = format!("{} ({})", r.name, r.partition);
                let insert = quoted(&r.code);
                item(
                    r.code,
                    CompletionItemKind::VALUE,
                    Some(detail),
                    format!("{rank}{i:03}"),
                    insert,
                )
            })
            .collect();
    }
    if engine::takes_actions(&key) {
        return engine::ecr_actions()
            .into_iter()
            .enumerate()
            .map(|(i, (action, class))| {
                let insert = quoted(&action);
                item(
                    action,
                    CompletionItemKind::VALUE,
                    Some(class),
                    format!("{i:03}"),
                    insert,
                )
            })
            .collect();
    }
    engine::values_at(&place, notation, &key)
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let (label, insert) = match v {
                serde_json::Value::String(s) => {
                    let insert = quoted(&s);
                    (s, insert)
                }
                other => (other.to_string(), other.to_string()),
            };
            item(label, CompletionItemKind::ENUM_MEMBER, None, format!("{i:03}"), insert)
        })
        .collect()
}

/// The keys allowed and not yet written (a local module's variables
/// too), spelt as the notation writes a key: quoted in JSON outside a string, `name = ` for an HCL argument
/// (an HCL block, `rule`, is its name alone).
fn keys(
    place: &Place,
    notation: Notation,
    document: Option<&std::path::Path>,
    item: impl Fn(String, CompletionItemKind, Option<String>, String, String) -> CompletionItem,
) -> Vec<CompletionItem> {
    let mut found = engine::keys_at(place, notation);
    found.extend(engine::module_inputs_at(place, document));
    found
        .into_iter()
        .enumerate()
        .map(|(i, k)| {
            let insert = match notation {
                Notation::Hcl if place.block_body && k.holds_objects => k.name.clone(),
                Notation::Hcl => format!("{} = ", k.name),
                Notation::Data if place.quote => format!("\"{}\": ", k.name),
                Notation::Data => k.name.clone(),
            };
            let mut c = item(
                k.name.clone(),
                CompletionItemKind::PROPERTY,
                None,
                format!("{i:03}"),
                insert,
            );
            c.documentation = k.description.map(|d| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: d,
                })
            });
            c
        })
        .collect()
}
