//! `--statistics`: how many findings of each rule, most frequent first,
//! instead of the findings themselves.

use super::{FileResult, Renderer, Summary};
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Default)]
pub struct Statistics {
    /// (code, rule name) → counts.
    counts: BTreeMap<(&'static str, &'static str), Counts>,
}

/// One rule's findings, and how many of them each kind of fix covers: an
/// unsafe fix is not applied by `--fix`, so it is counted apart.
#[derive(Default)]
struct Counts {
    findings: usize,
    safe_fixable: usize,
    unsafe_fixable: usize,
}

impl Renderer for Statistics {
    fn file(&mut self, _out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        for d in &file.diagnostics {
            let entry = self.counts.entry((d.code, d.rule)).or_default();
            entry.findings += 1;
            match d.fix.as_ref().map(|f| f.applicability) {
                Some(crate::fix::Applicability::Safe) => entry.safe_fixable += 1,
                Some(crate::fix::Applicability::Unsafe) => entry.unsafe_fixable += 1,
                None => {}
            }
        }
        for r in &file.omitted.by_rule {
            let entry = self.counts.entry((r.code, r.rule)).or_default();
            entry.findings += r.count;
            entry.safe_fixable += r.safe_fixable;
            entry.unsafe_fixable += r.unsafe_fixable;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let mut rows: Vec<_> = self.counts.iter().collect();
        // Most frequent first; the code breaks ties.
        rows.sort_by(|a, b| b.1.findings.cmp(&a.1.findings).then(a.0.cmp(b.0)));
        let width = rows
            .iter()
            .map(|(_, c)| c.findings.to_string().len())
            .max()
            .unwrap_or(1);
        for ((code, rule), c) in rows {
            let marks: Vec<String> = [
                (c.safe_fixable, "fixable"),
                (c.unsafe_fixable, "fixable with --unsafe-fixes"),
            ]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}"))
            .collect();
            let mark = if marks.is_empty() {
                String::new()
            } else {
                format!("  ({})", marks.join(", "))
            };
            let count = c.findings;
            writeln!(out, "{count:>width$}  {code}  {rule}{mark}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::to_string;

    #[test]
    fn counts_rules_most_frequent_first() {
        let meta = |m: &'static crate::rules::RuleMeta| m.diagnostic(crate::syntax::Span::new(0, 1), "m");
        let file = FileResult {
            path: "a.json".into(),
            path_bytes: None,
            text: "{}".into(),
            document: None,
            diagnostics: vec![
                meta(&crate::rules::invalid_region::META),
                meta(&crate::rules::invalid_filter::META),
                meta(&crate::rules::invalid_filter::META),
            ],
            error: None,
            fixed: None,
            omitted: Default::default(),
        };
        let text = to_string(&mut Statistics::default(), &[file]);
        assert_eq!(text, "2  ECR205  invalid-filter\n1  ECR202  invalid-region\n");
    }

    #[test]
    fn unsafe_fixes_are_counted_apart_from_safe_ones() {
        use crate::fix::{Applicability, Fix};
        let with_fix = |applicability| {
            crate::rules::invalid_region::META
                .diagnostic(crate::syntax::Span::new(0, 1), "m")
                .with_fix(Fix::new("Replace it", applicability, Vec::new()))
        };
        let file = FileResult {
            path: "a.json".into(),
            path_bytes: None,
            text: "{}".into(),
            document: None,
            diagnostics: vec![
                with_fix(Applicability::Unsafe),
                with_fix(Applicability::Unsafe),
                with_fix(Applicability::Safe),
            ],
            error: None,
            fixed: None,
            omitted: Default::default(),
        };
        let text = to_string(&mut Statistics::default(), &[file]);
        assert_eq!(
            text,
            "3  ECR202  invalid-region  (1 fixable, 2 fixable with --unsafe-fixes)\n"
        );
    }
}
