//! What ECR705 and ECR706 share besides [`crate::crosscheck::Set::sent`]:
//! a label in whichever file its place is.

use crate::crosscheck::Set;

/// A label at `span` of file `file`, which may be another than `here`.
pub fn label(
    set: &Set,
    finding: crate::diagnostic::Diagnostic,
    here: usize,
    (file, span): (usize, crate::syntax::Span),
    text: String,
) -> crate::diagnostic::Diagnostic {
    if file == here {
        finding.with_label(span, text)
    } else {
        finding.with_label_in(set.members[file].file.clone(), span, text)
    }
}
