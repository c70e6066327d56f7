//! JUnit XML, as CI servers read test results (Jenkins, GitLab's
//! `artifacts: reports: junit`, Azure Pipelines): one `<testsuite>` per
//! file checked, named by its path, and in it one failing `<testcase>` per
//! finding (named by rule code and name, with the position in the
//! `<failure>`'s text), or one passing `<testcase>` when the file has no
//! finding. A file that could not be checked is a `<testcase>` with an
//! `<error>`. `schemas/junit.xsd` is the layout, checked by tests/formats.rs.
//!
//! The report is written file by file, so `<testsuites>` carries no totals
//! (they are optional); each `<testsuite>` carries its own.

use super::{positions, shown, xml_escape, FileResult, Renderer, Summary};
use crate::lines::LineIndex;
use std::io::{self, Write};

pub struct Junit;

impl Renderer for Junit {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<testsuites name="ecrlint">"#)
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let path = xml_escape(&file.shown_path());
        // The findings past `--max-findings` are one more failing case.
        let omitted = file.omitted.total() > 0;
        let failures = file.diagnostics.len() + usize::from(omitted);
        let errors = usize::from(file.error.is_some());
        let tests = (failures + errors).max(1);
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{tests}" failures="{failures}" errors="{errors}">"#
        )?;
        if let Some(error) = &file.error {
            let error = xml_escape(&shown(error));
            writeln!(out, r#"    <testcase name="file-not-checked" classname="{path}">"#)?;
            writeln!(out, r#"      <error message="{error}">{error}</error>"#)?;
            writeln!(out, "    </testcase>")?;
        }
        let index = LineIndex::new(&file.text);
        for d in &file.diagnostics {
            let (start, _) = positions(&index, &file.text, d.span);
            let message = xml_escape(&shown(&d.message));
            let mut text = format!(
                "{}:{}:{}: {}",
                file.shown_path(),
                start.line,
                start.column,
                shown(&d.message)
            );
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(&shown(help));
            }
            writeln!(
                out,
                r#"    <testcase name="{} {}" classname="{path}" file="{path}" line="{}">"#,
                d.code, d.rule, start.line
            )?;
            writeln!(
                out,
                r#"      <failure message="{message}" type="{}">{}</failure>"#,
                d.severity,
                xml_escape(&text)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        if omitted {
            let message = xml_escape(&file.omitted.message());
            writeln!(out, r#"    <testcase name="findings-not-shown" classname="{path}">"#)?;
            writeln!(out, r#"      <failure message="{message}" type="omitted"/>"#)?;
            writeln!(out, "    </testcase>")?;
        }
        if tests > failures + errors {
            writeln!(out, r#"    <testcase name="no findings" classname="{path}"/>"#)?;
        }
        writeln!(out, "  </testsuite>")
    }

    fn end(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        writeln!(out, "</testsuites>")
    }
}

pub fn render(files: &[FileResult]) -> String {
    super::to_string(&mut Junit, files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Span;

    fn file(path: &str, text: &str, diagnostics: Vec<crate::diagnostic::Diagnostic>) -> FileResult {
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

    #[test]
    fn a_suite_per_file_a_failing_case_per_finding_and_a_passing_case_for_a_clean_file() {
        let finding = crate::rules::invalid_region::META
            .diagnostic(Span::new(2, 5), "`<us>` & \"so\" is not a Region")
            .with_help("write a Region such as us-east-1");
        let mut broken = file("gone.json", "", Vec::new());
        broken.error = Some("cannot read it".into());
        let text = render(&[
            file("a&b.json", "{\n\"x\"}", vec![finding]),
            file("clean.json", "{}", Vec::new()),
            broken,
        ]);
        assert_eq!(
            text,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="ecrlint">
  <testsuite name="a&amp;b.json" tests="1" failures="1" errors="0">
    <testcase name="ECR202 invalid-region" classname="a&amp;b.json" file="a&amp;b.json" line="2">
      <failure message="`&lt;us&gt;` &amp; &quot;so&quot; is not a Region" type="error">a&amp;b.json:2:1: `&lt;us&gt;` &amp; &quot;so&quot; is not a Region&#10;help: write a Region such as us-east-1</failure>
    </testcase>
  </testsuite>
  <testsuite name="clean.json" tests="1" failures="0" errors="0">
    <testcase name="no findings" classname="clean.json"/>
  </testsuite>
  <testsuite name="gone.json" tests="1" failures="0" errors="1">
    <testcase name="file-not-checked" classname="gone.json">
      <error message="cannot read it">cannot read it</error>
    </testcase>
  </testsuite>
</testsuites>
"#
        );
    }
}
