//! Code actions: each fix of a finding as a `quickfix` on its diagnostic
//! (an unsafe one titled so), "Ignore ECRxxx here" where a suppression
//! comment can go (YAML, Terraform HCL), and every safe fix at once as `source.fixAll.ecrlint` (what editors run
//! on save), the document as `check --fix` leaves it. The fixes come from
//! the engine.

use super::convert;
use super::engine::{Diagnostic, Fix, Span};
use super::position::LineIndex;
use super::FIX_ALL;
use crate::fix::Edit;
use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, TextEdit, Uri, WorkspaceEdit};
use std::collections::HashMap;

/// Whether the client asked for actions of `kind` (`only` lists kinds or
/// their parents: `source` covers `source.fixAll.ecrlint`).
fn wanted(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|only| {
        only.iter()
            .any(|o| kind == o.as_str() || kind.starts_with(&format!("{}.", o.as_str())))
    })
}

pub(super) fn edit(uri: &Uri, index: &LineIndex, edits: &[Edit]) -> WorkspaceEdit {
    let edits = edits
        .iter()
        .map(|e| TextEdit::new(index.range(e.span.start, e.span.end), e.content.clone()))
        .collect();
    WorkspaceEdit::new(HashMap::from([(uri.clone(), edits)]))
}

/// One edit turning `text` into `fixed`: the part between their common
/// start and end (on character boundaries).
fn difference(text: &str, fixed: &str) -> Edit {
    let mut start = text.bytes().zip(fixed.bytes()).take_while(|(a, b)| a == b).count();
    while !text.is_char_boundary(start) || !fixed.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = text.as_bytes()[start..]
        .iter()
        .rev()
        .zip(fixed.as_bytes()[start..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    while !text.is_char_boundary(text.len() - end) || !fixed.is_char_boundary(fixed.len() - end) {
        end -= 1;
    }
    Edit::replace(Span::new(start, text.len() - end), &fixed[start..fixed.len() - end])
}

pub fn code_actions(
    uri: &Uri,
    index: &LineIndex,
    findings: &[Diagnostic],
    params: &CodeActionParams,
    fixes: impl Fn(&Diagnostic, &str) -> Vec<Fix>,
    ignore_here: impl Fn(&Diagnostic) -> Option<(String, WorkspaceEdit)>,
    fix_all: impl FnOnce() -> Option<String>,
) -> Vec<CodeActionOrCommand> {
    let text = index.text();
    let only = params.context.only.as_deref();
    let (start, end) = (index.offset(params.range.start), index.offset(params.range.end));
    let mut actions = Vec::new();
    let fixed: Vec<(&Diagnostic, Vec<Fix>)> = findings
        .iter()
        .map(|d| (d, fixes(d, text)))
        .filter(|(_, f)| !f.is_empty())
        .collect();
    if wanted(only, CodeActionKind::QUICKFIX.as_str()) {
        for (d, fixes) in fixed.iter().filter(|(d, _)| d.span.start <= end && start <= d.span.end) {
            for (i, fix) in fixes.iter().enumerate() {
                let unsafe_fix = fix.applicability == crate::fix::Applicability::Unsafe;
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: if unsafe_fix {
                        format!("{} (unsafe)", fix.title)
                    } else {
                        fix.title.clone()
                    },
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![convert::diagnostic(uri, index, d)]),
                    edit: Some(edit(uri, index, &fix.edits)),
                    // An unsafe fix is a guess: offered, never preferred (editors may apply a preferred one unasked).
                    is_preferred: Some(i == 0 && !unsafe_fix),
                    ..Default::default()
                }));
            }
        }
        // One "ignore" per rule and edit at the cursor: a comment names the
        // rule for its line, an override for the file.
        let mut offered: Vec<(String, WorkspaceEdit)> = Vec::new();
        for d in findings.iter().filter(|d| d.span.start <= end && start <= d.span.end) {
            let Some((title, ignore)) = ignore_here(d) else {
                continue;
            };
            if offered.iter().any(|(t, e)| *t == title && *e == ignore) {
                continue;
            }
            offered.push((title.clone(), ignore.clone()));
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![convert::diagnostic(uri, index, d)]),
                edit: Some(ignore),
                is_preferred: Some(false),
                ..Default::default()
            }));
        }
    }
    if wanted(only, FIX_ALL) && !fixed.is_empty() {
        if let Some(all) = fix_all() {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Fix all ecrlint-fixable problems".into(),
                kind: Some(CodeActionKind::new(FIX_ALL)),
                edit: Some(edit(uri, index, &[difference(text, &all)])),
                ..Default::default()
            }));
        }
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::position::Encoding;
    use lsp_types::{CodeActionContext, PartialResultParams, Range, TextDocumentIdentifier, WorkDoneProgressParams};
    use std::str::FromStr;

    /// A stand-in fix source for the plumbing: the product's fixes come from
    /// the engine. Replaces each finding's span with `X`, twice for ECR205.
    fn test_fixes(d: &Diagnostic, _: &str) -> Vec<Fix> {
        let one = |title: &str| Fix::safe(title, vec![Edit::replace(d.span, "X")]);
        match d.code {
            "ECR205" => vec![one("first"), one("second")],
            "ECR204" => vec![one("only")],
            _ => Vec::new(),
        }
    }

    fn finding(code: &'static str, start: usize, end: usize) -> Diagnostic {
        let meta = crate::rules::find(code).unwrap();
        meta.diagnostic(Span::new(start, end), "m")
    }

    fn params(range: Range, only: Option<Vec<CodeActionKind>>) -> CodeActionParams {
        CodeActionParams {
            text_document: TextDocumentIdentifier::new(Uri::from_str("file:///a.json").unwrap()),
            range,
            context: CodeActionContext {
                diagnostics: Vec::new(),
                only,
                trigger_kind: None,
            },
            work_done_progress_params: WorkDoneProgressParams::default(),
            partial_result_params: PartialResultParams::default(),
        }
    }

    fn titles(actions: &[CodeActionOrCommand]) -> Vec<String> {
        actions
            .iter()
            .map(|a| match a {
                CodeActionOrCommand::CodeAction(a) => a.title.clone(),
                CodeActionOrCommand::Command(c) => c.title.clone(),
            })
            .collect()
    }

    #[test]
    fn quickfixes_at_the_cursor_and_fix_all_for_the_document() {
        let text = "0123456789\nabcdef";
        let uri = Uri::from_str("file:///a.json").unwrap();
        let index = LineIndex::new(text, Encoding::Utf16);
        let findings = [
            finding("ECR205", 2, 4),
            finding("ECR204", 11, 13),
            finding("ECR101", 0, 1),
        ];
        let fixed_all = || Some("01X456789\nXcdef".to_string());
        let on_first = Range::new(lsp_types::Position::new(0, 3), lsp_types::Position::new(0, 3));
        let all = code_actions(
            &uri,
            &index,
            &findings,
            &params(on_first, None),
            test_fixes,
            |_| None,
            fixed_all,
        );
        assert_eq!(titles(&all), ["first", "second", "Fix all ecrlint-fixable problems"]);
        let CodeActionOrCommand::CodeAction(fix_all) = &all[2] else {
            panic!()
        };
        // The fixed document as one edit: from the first change to the last.
        let edits = &fix_all.edit.as_ref().unwrap().changes.as_ref().unwrap()[&uri];
        let got: Vec<_> = edits
            .iter()
            .map(|e| (e.range.start, e.range.end, e.new_text.as_str()))
            .collect();
        assert_eq!(
            got,
            [(
                lsp_types::Position::new(0, 2),
                lsp_types::Position::new(1, 2),
                "X456789\nX"
            )]
        );
        let only_fix_all = params(on_first, Some(vec![CodeActionKind::SOURCE]));
        let got = code_actions(&uri, &index, &findings, &only_fix_all, test_fixes, |_| None, fixed_all);
        assert_eq!(titles(&got), ["Fix all ecrlint-fixable problems"]);
        // Findings without fixes: nothing is offered.
        let none = code_actions(
            &uri,
            &index,
            &findings,
            &params(on_first, None),
            super::super::engine::fixes,
            |_| None,
            || None,
        );
        assert!(none.is_empty());
    }

    #[test]
    fn the_difference_is_one_edit_on_char_boundaries() {
        let d = difference("aé-b", "aè-b");
        assert_eq!((d.span, d.content.as_str()), (Span::new(1, 3), "è"));
        let d = difference("abc", "abc");
        assert!(d.span.is_empty() && d.content.is_empty());
    }
}
