//! `--statistics`: how many findings of each rule, most frequent first,
//! instead of the findings themselves.

use super::{FileResult, Renderer, Summary};
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Default)]
pub struct Statistics {
    /// (code, rule name) → (findings, of which fixable).
    counts: BTreeMap<(&'static str, &'static str), (usize, usize)>,
}

impl Renderer for Statistics {
    fn file(&mut self, _out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        for d in &file.diagnostics {
            let entry = self.counts.entry((d.code, d.rule)).or_default();
            entry.0 += 1;
            entry.1 += usize::from(d.fix.is_some());
        }
        for r in &file.omitted.by_rule {
            let entry = self.counts.entry((r.code, r.rule)).or_default();
            entry.0 += r.count;
            entry.1 += r.safe_fixable + r.unsafe_fixable;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let mut rows: Vec<_> = self.counts.iter().collect();
        // Most frequent first; the code breaks ties.
        rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
        let width = rows.iter().map(|(_, (n, _))| n.to_string().len()).max().unwrap_or(1);
        for ((code, rule), (count, fixable)) in rows {
            let mark = if *fixable > 0 {
                format!("  ({fixable} fixable)")
            } else {
                String::new()
            };
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
}
