//! A Markdown summary for a CI job's page (GitHub's step summary, a GitLab
//! merge request note): the counts, then a table of the worst findings
//! first. Rows are bounded, so a run with a million findings writes a page a
//! reviewer can read, and says how many more there are.

use super::{positions, shown, FileResult, Renderer, Summary};
use crate::diagnostic::Severity;
use crate::lines::LineIndex;
use std::io::{self, Write};

/// Findings listed in the table; the rest are counted.
pub const MAX_ROWS: usize = 50;

/// Where a rule's page is, by code (none: the code is shown without a link).
pub type RuleLink<'a> = &'a dyn Fn(&str) -> Option<String>;

struct Row {
    severity: Severity,
    /// Position in the run, so that equal severities keep file and line order.
    order: usize,
    location: String,
    code: &'static str,
    rule: &'static str,
    message: String,
}

pub struct MarkdownSummary<'a> {
    rows: Vec<Row>,
    seen: usize,
    unreadable: Vec<(String, String)>,
    link: RuleLink<'a>,
}

impl<'a> MarkdownSummary<'a> {
    pub fn new(link: RuleLink<'a>) -> MarkdownSummary<'a> {
        MarkdownSummary {
            rows: Vec::new(),
            seen: 0,
            unreadable: Vec::new(),
            link,
        }
    }

    /// Keeps the `MAX_ROWS` worst rows; called when twice that many are held,
    /// so keeping them is linear in the findings.
    fn keep_worst(&mut self) {
        self.rows.sort_by_key(|r| (rank(r.severity), r.order));
        self.rows.truncate(MAX_ROWS);
    }
}

fn rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// Text from a file or a message, safe in a table cell: nothing it holds
/// can end the cell, start markup, or become HTML.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in shown(text).chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

impl Renderer for MarkdownSummary<'_> {
    fn file(&mut self, _out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        if let Some(error) = &file.error {
            self.unreadable.push((file.shown_path().into_owned(), error.clone()));
        }
        if file.diagnostics.is_empty() {
            return Ok(());
        }
        let index = LineIndex::new(&file.text);
        let path = file.shown_path();
        for d in &file.diagnostics {
            let (start, _) = positions(&index, &file.text, d.span);
            self.rows.push(Row {
                severity: d.severity,
                order: self.seen,
                location: format!("{path}:{}", start.line),
                code: d.code,
                rule: d.rule,
                message: d.message.clone(),
            });
            self.seen += 1;
            if self.rows.len() >= 2 * MAX_ROWS {
                self.keep_worst();
            }
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.keep_worst();
        let files = super::plural(summary.files, "file");
        let mut counts = Vec::new();
        for (n, what) in [
            (summary.errors, "error"),
            (summary.warnings, "warning"),
            (summary.infos, "info"),
        ] {
            if n > 0 {
                counts.push(super::plural(n, what));
            }
        }
        let mut heading = if counts.is_empty() {
            format!("no problems in {files}")
        } else {
            format!("{} in {} of {files}", counts.join(", "), summary.with_findings)
        };
        if summary.failed > 0 {
            heading = format!(
                "{heading}; {} could not be checked",
                super::plural(summary.failed, "file")
            );
        }
        writeln!(out, "### ecrlint: {heading}\n")?;
        for (path, error) in &self.unreadable {
            writeln!(out, "- :x: {} could not be checked: {}", cell(path), cell(error))?;
        }
        if !self.unreadable.is_empty() {
            writeln!(out)?;
        }
        if self.rows.is_empty() {
            return Ok(());
        }
        writeln!(out, "| | Where | Rule | Finding |")?;
        writeln!(out, "|---|---|---|---|")?;
        for row in &self.rows {
            let mark = match row.severity {
                Severity::Error => ":x: error",
                Severity::Warning => ":warning: warning",
                Severity::Info => ":information_source: info",
            };
            let code = match (self.link)(row.code) {
                Some(url) => format!("[{}]({url})", row.code),
                None => row.code.to_string(),
            };
            writeln!(
                out,
                "| {mark} | {} | {code} {} | {} |",
                cell(&row.location),
                cell(row.rule),
                cell(&row.message)
            )?;
        }
        let total = summary.findings();
        if total > self.rows.len() {
            let more = total - self.rows.len();
            let noun = if more == 1 { "finding" } else { "findings" };
            writeln!(
                out,
                "\n{more} more {noun} not listed here: the job's log and annotations have every one."
            )?;
        }
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::syntax::Span;

    fn finding(severity: Severity, at: usize, message: &str) -> Diagnostic {
        Diagnostic {
            code: "ECR201",
            rule: "invalid-filter-type",
            severity,
            message: message.to_string(),
            label: String::new(),
            span: Span::new(at, at + 1),
            pointer: String::new(),
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    fn file(path: &str, text: &str, diagnostics: Vec<Diagnostic>) -> FileResult {
        FileResult {
            path: path.into(),
            path_bytes: None,
            text: text.into(),
            document: None,
            diagnostics,
            error: None,
            fixed: None,
            omitted: Default::default(),
        }
    }

    fn render(files: &[FileResult]) -> String {
        let link = |code: &str| Some(format!("https://example.test/{code}"));
        super::super::to_string(&mut MarkdownSummary::new(&link), files)
    }

    #[test]
    fn worst_first_escaped_and_linked() {
        let text = "{\n  \"a\": 1,\n  \"b\": 2\n}\n";
        let files = [
            file("ok.json", "{}", vec![]),
            file(
                "x|y.json",
                text,
                vec![
                    finding(Severity::Info, 4, "an info"),
                    finding(Severity::Error, 14, "`PREFIX` is not <b>valid</b> | see *docs*"),
                ],
            ),
        ];
        assert_eq!(
            render(&files),
            "### ecrlint: 1 error, 1 info in 1 of 2 files\n\n\
             | | Where | Rule | Finding |\n\
             |---|---|---|---|\n\
             | :x: error | x\\|y.json:3 | [ECR201](https://example.test/ECR201) invalid-filter-type | \
             \\`PREFIX\\` is not &lt;b&gt;valid&lt;/b&gt; \\| see \\*docs\\* |\n\
             | :information_source: info | x\\|y.json:2 | [ECR201](https://example.test/ECR201) invalid-filter-type | an info |\n\n"
        );
    }

    #[test]
    fn no_findings_is_one_line() {
        assert_eq!(
            render(&[file("a.json", "{}", vec![])]),
            "### ecrlint: no problems in 1 file\n\n"
        );
    }

    #[test]
    fn unreadable_files_are_said_in_the_heading_and_listed() {
        let mut missing = file("gone.json", "", vec![]);
        missing.error = Some("cannot read: No such file".into());
        assert_eq!(
            render(&[missing, file("a.json", "{}", vec![])]),
            "### ecrlint: no problems in 2 files; 1 file could not be checked\n\n\
             - :x: gone.json could not be checked: cannot read: No such file\n\n"
        );
    }

    #[test]
    fn rows_are_bounded_and_the_rest_counted() {
        let text = "x\n".repeat(300);
        let mut diagnostics: Vec<Diagnostic> = (0..250).map(|i| finding(Severity::Info, i * 2, "i")).collect();
        diagnostics.push(finding(Severity::Error, 598, "the one error"));
        let out = render(&[file("big.json", &text, diagnostics)]);
        let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("| :")).collect();
        assert_eq!(rows.len(), MAX_ROWS);
        // The error is listed first though it came last; infos keep their order.
        assert!(
            rows[0].contains("the one error") && rows[0].contains("big.json:300"),
            "{}",
            rows[0]
        );
        assert!(rows[1].contains("big.json:1 "), "{}", rows[1]);
        assert!(rows[MAX_ROWS - 1].contains(&format!("big.json:{} ", MAX_ROWS - 1)));
        assert!(out.contains("\n201 more findings not listed here"), "{out}");
    }
}
