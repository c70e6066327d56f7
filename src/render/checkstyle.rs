//! Checkstyle XML, which reviewdog, Jenkins' Warnings plugin, SonarQube and
//! many CI dashboards read: one `<file>` per file checked (a clean file has
//! an empty one, so tools know it was checked), one `<error>` per finding
//! with its line, column, severity (`error`, `warning`, `info`), message
//! and `source` (`ecrlint.CODE.rule-name`). A file that could not be
//! checked is an `<error>` with `source="ecrlint.file-not-checked"`.
//! `schemas/checkstyle.xsd` is the layout, checked by tests/formats.rs.

use super::{positions, shown, xml_escape, FileResult, Renderer, Summary};
use crate::lines::LineIndex;
use std::io::{self, Write};

pub struct Checkstyle;

/// The version of Checkstyle's own report whose layout this follows.
const CHECKSTYLE_VERSION: &str = "4.3";

impl Renderer for Checkstyle {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(out, r#"<checkstyle version="{CHECKSTYLE_VERSION}">"#)
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let path = xml_escape(&file.shown_path());
        writeln!(out, r#"  <file name="{path}">"#)?;
        if let Some(error) = &file.error {
            writeln!(
                out,
                r#"    <error line="1" severity="error" message="{}" source="ecrlint.file-not-checked"/>"#,
                xml_escape(&shown(error))
            )?;
        }
        let index = LineIndex::new(&file.text);
        for d in &file.diagnostics {
            let (start, _) = positions(&index, &file.text, d.span);
            let mut message = shown(&d.message).into_owned();
            if let Some(help) = &d.help {
                message.push_str(" (help: ");
                message.push_str(&shown(help));
                message.push(')');
            }
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{}" message="{}" source="ecrlint.{}.{}"/>"#,
                start.line,
                start.column,
                d.severity,
                xml_escape(&message),
                d.code,
                d.rule
            )?;
        }
        // The findings past `--max-findings`: one entry says how many, at
        // the severity of the worst of them, so that the file does not look clean.
        if let Some(worst) = file.omitted.by_rule.iter().map(|r| r.severity).max() {
            writeln!(
                out,
                r#"    <error line="1" severity="{worst}" message="{}" source="ecrlint.findings-not-shown"/>"#,
                xml_escape(&file.omitted.message())
            )?;
        }
        writeln!(out, "  </file>")
    }

    fn end(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        writeln!(out, "</checkstyle>")
    }
}

pub fn render(files: &[FileResult]) -> String {
    super::to_string(&mut Checkstyle, files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Span;

    #[test]
    fn a_file_element_per_file_and_an_error_per_finding() {
        let finding = crate::rules::invalid_region::META
            .diagnostic(Span::new(2, 5), "`<us>` & 'so' is not a Region")
            .with_help("write a Region");
        let file = |path: &str, diagnostics, error: Option<&str>| FileResult {
            path: path.into(),
            path_bytes: None,
            text: "{\n\"x\"}".into(),
            document: None,
            diagnostics,
            error: error.map(String::from),
            fixed: None,
            omitted: Default::default(),
        };
        let text = render(&[
            file("a.json", vec![finding], None),
            file("clean.json", Vec::new(), None),
            file("gone.json", Vec::new(), Some("cannot read it")),
        ]);
        assert_eq!(
            text,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<checkstyle version="4.3">
  <file name="a.json">
    <error line="2" column="1" severity="error" message="`&lt;us&gt;` &amp; &apos;so&apos; is not a Region (help: write a Region)" source="ecrlint.ECR202.invalid-region"/>
  </file>
  <file name="clean.json">
  </file>
  <file name="gone.json">
    <error line="1" severity="error" message="cannot read it" source="ecrlint.file-not-checked"/>
  </file>
</checkstyle>
"#
        );
    }
}
