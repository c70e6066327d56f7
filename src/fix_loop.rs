//! Applies a file's fixes, for the command line and the language server
//! alike: in passes (the fixes that do not overlap, then a re-lint for
//! fresh spans, at most [`MAX_PASSES`] times), each step checked by parsing
//! and linting the result again. A step that leaves the file unparsable or
//! adds a finding is undone; its fixes are then added one at a time, and
//! one that does so even alone is dropped and reported, never written.
//!
//! Edits replace only the bytes they cover, so line endings (CRLF), a
//! byte-order mark and the trailing newline stay as they were.

use crate::diagnostic::Diagnostic;
use crate::fix::apply::{Dropped, Mode};
use crate::fix::{apply, Fix};
use crate::lint::{lint, Origin, Outcome};
use crate::settings::Settings;
use crate::syntax::ReadAs;
use std::collections::{HashMap, HashSet};

/// Passes over a file before giving up on reaching a fixed point.
pub const MAX_PASSES: usize = 32;

/// What fixing a file came to.
pub struct Fixed {
    /// The fixed text: the original when nothing was applied.
    pub text: String,
    /// Fixes applied (a finding's fix counts once).
    pub applied: usize,
    /// Fixes dropped because they broke the file or added a finding.
    pub dropped: Vec<Dropped>,
    /// The findings of the fixed text (`None`: the file is not linted).
    pub diagnostics: Option<Vec<Diagnostic>>,
    /// How many times a text was linted: the work, in lints of about the
    /// file's size. Bounded by the passes, never by the number of fixes.
    pub lints: usize,
}

impl Fixed {
    pub fn changed(&self, original: &[u8]) -> bool {
        self.text.as_bytes() != original
    }
}

/// What a file is linted with, so each step can be linted again alike.
#[derive(Clone, Copy)]
pub struct Linter<'a> {
    pub read_as: ReadAs,
    pub origin: Origin,
    pub settings: &'a Settings,
}

impl Linter<'_> {
    pub(crate) fn findings(&self, text: &str) -> Option<Vec<Diagnostic>> {
        match lint(text.as_bytes(), self.read_as, self.origin, self.settings) {
            Outcome::Linted { diagnostics, .. } => Some(diagnostics),
            Outcome::Skipped { .. } => None,
        }
    }
}

/// How many findings of each (code, message): a step may only lower counts.
/// Numbers in a message are left out of its key, so a finding that counts
/// something ("`destinations` has 300 items") is the same finding when a
/// fix lowers the count. The key is the message's hash: no copy of every
/// message of a file with millions of findings.
fn tally(diagnostics: &[Diagnostic]) -> HashMap<(&'static str, u64), usize> {
    let mut counts = HashMap::new();
    for d in diagnostics {
        *counts.entry((d.code, without_numbers(&d.message))).or_insert(0) += 1;
    }
    counts
}

/// The hash of `message` with each run of digits taken as one `#`.
fn without_numbers(message: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut in_number = false;
    for c in message.chars() {
        match (c.is_ascii_digit(), in_number) {
            (true, true) => {}
            (true, false) => '#'.hash(&mut hasher),
            (false, _) => c.hash(&mut hasher),
        }
        in_number = c.is_ascii_digit();
    }
    hasher.finish()
}

/// Whether `after` has a finding `before` did not (or more of one).
pub(crate) fn adds_finding(before: &[Diagnostic], after: &[Diagnostic]) -> bool {
    let before = tally(before);
    tally(after)
        .iter()
        .any(|(key, n)| before.get(key).is_none_or(|m| n > m))
}

/// Whether the file parsed before and does not after.
fn breaks_parse(before: &[Diagnostic], after: Option<&[Diagnostic]>) -> bool {
    let unparsable = |ds: &[Diagnostic]| ds.iter().any(|d| d.code == crate::rules::invalid_json::META.code);
    !unparsable(before) && after.is_none_or(unparsable)
}

/// A fix's identity across passes: spans move, pointers and titles do not.
type Key = (&'static str, String, String);

fn key(d: &Diagnostic, fix: &Fix) -> Key {
    (d.code, d.pointer.clone(), fix.title.clone())
}

/// Applies the fixes `mode` allows to `text`, linted as `linter` says.
/// Whether applying `fix` to `text` changes it.
fn changes(text: &str, fix: &Fix) -> bool {
    fix.edits
        .iter()
        .any(|e| text.get(e.span.start..e.span.end) != Some(e.content.as_str()))
}

pub fn fix_text(text: &str, linter: Linter, mode: Mode) -> Fixed {
    let lints = std::cell::Cell::new(0);
    let findings = |text: &str| {
        lints.set(lints.get() + 1);
        linter.findings(text)
    };
    let mut text = text.to_string();
    let mut diagnostics = findings(&text);
    let mut applied = 0;
    let mut dropped = Vec::new();
    let mut refused: HashSet<Key> = HashSet::new();
    // How many fixes were applied when the first of the refused ones was
    // refused: they are tried again, once no other is left (see below),
    // only when some fix was applied since (a later refusal must not hide
    // that an earlier one has a new text to be judged against).
    let mut applied_at_first_refusal: Option<usize> = None;
    for _ in 0..MAX_PASSES {
        let Some(current) = diagnostics.as_ref() else { break };
        let candidates: Vec<(&Diagnostic, &Fix)> = current
            .iter()
            .filter_map(|d| Some((d, d.fix.as_deref()?)))
            .filter(|(d, f)| mode.allows(f.applicability) && !refused.contains(&key(d, f)))
            // A fix whose edits change nothing (its span does not hold what it
            // describes) would be "applied" on every pass: never a fixed point.
            .filter(|(_, f)| changes(&text, f))
            .collect();
        if candidates.is_empty() {
            // A fix refused against an older text may be fine against this
            // one (it clashed with one applied since): judge the refused
            // afresh, once the others are done, so what is left at the end
            // is a fixed point and only what is still refused is reported.
            // (Re-judging them on every pass would cost a lint per refused
            // fix per pass: minutes on a file with hundreds of them.)
            if refused.is_empty() || applied_at_first_refusal.is_none_or(|then| applied == then) {
                break;
            }
            refused.clear();
            dropped.clear();
            applied_at_first_refusal = None;
            continue;
        }
        let fixes: Vec<&Fix> = candidates.iter().map(|(_, f)| *f).collect();
        let (all, chosen) = apply(&text, &fixes);
        if chosen.is_empty() {
            break;
        }
        let step = match findings(&all) {
            Some(after) if !adds_finding(current, &after) => Some((all, after, chosen.len())),
            _ => None,
        };
        // Together they broke something: judge them by halves instead, each
        // half kept when the text with it and those kept so far adds no
        // finding. A fix that fails with nothing kept before it fails alone:
        // it is dropped (and reported, unless a later pass, on a changed
        // text, takes it). One that fails after others were kept may only
        // clash with them: it waits for the next pass, against the new text.
        // A few bad fixes among many cost a few lints each, and a pass never
        // lints more than `TRIALS_PER_PASS` times, however many fixes clash
        // (those not judged wait for the next pass).
        let step = step.or_else(|| {
            let mut trials = Trials {
                text: &text,
                current,
                findings: &findings,
                fixes: &fixes,
                kept: Vec::new(),
                best: None,
                budget: TRIALS_PER_PASS,
                failed_alone: Vec::new(),
            };
            let (left, right) = chosen.split_at(chosen.len() / 2);
            trials.judge(left);
            trials.judge(right);
            for (i, after) in trials.failed_alone {
                let (d, f) = candidates[i];
                refused.insert(key(d, f));
                applied_at_first_refusal.get_or_insert(applied);
                dropped.push(Dropped {
                    code: d.code,
                    title: f.title.clone(),
                    reason: if breaks_parse(current, after.as_deref()) {
                        "it would leave the file unparsable"
                    } else {
                        "it would add a finding"
                    },
                });
            }
            trials.best
        });
        let Some((new_text, after, n)) = step else { continue };
        text = new_text;
        diagnostics = Some(after);
        applied += n;
    }
    Fixed {
        text,
        applied,
        dropped,
        diagnostics,
        lints: lints.get(),
    }
}

/// Lints a pass may spend judging fixes that broke something together.
const TRIALS_PER_PASS: usize = 64;

/// Fixes judged by halves on top of those kept so far (see [`fix_text`]).
struct Trials<'t> {
    text: &'t str,
    current: &'t [Diagnostic],
    findings: &'t dyn Fn(&str) -> Option<Vec<Diagnostic>>,
    fixes: &'t [&'t Fix],
    kept: Vec<&'t Fix>,
    /// The text with every fix kept, its findings and how many were kept.
    best: Option<(String, Vec<Diagnostic>, usize)>,
    /// Lints left for this pass.
    budget: usize,
    /// Fixes (by index into `fixes`) that add a finding with nothing else
    /// kept, and the findings with them (`None`: not linted).
    failed_alone: Vec<(usize, Option<Vec<Diagnostic>>)>,
}

impl Trials<'_> {
    fn judge(&mut self, group: &[usize]) {
        if group.is_empty() || self.budget == 0 {
            return;
        }
        let trial: Vec<&Fix> = self
            .kept
            .iter()
            .copied()
            .chain(group.iter().map(|&i| self.fixes[i]))
            .collect();
        let (with, taken) = apply(self.text, &trial);
        let overlaps = taken.len() < trial.len();
        if overlaps && group.len() == 1 {
            return; // overlaps one kept: the next pass, on fresh spans
        }
        let after = if overlaps {
            None
        } else {
            self.budget -= 1;
            (self.findings)(&with)
        };
        match after {
            Some(after) if !adds_finding(self.current, &after) => {
                self.kept.extend(group.iter().map(|&i| self.fixes[i]));
                self.best = Some((with, after, self.kept.len()));
            }
            after if group.len() == 1 => {
                if self.kept.is_empty() {
                    self.failed_alone.push((group[0], after));
                }
            }
            _ => {
                let (left, right) = group.split_at(group.len() / 2);
                self.judge(left);
                self.judge(right);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::SourceFormat;

    fn fixed(text: &str, mode: Mode) -> Fixed {
        let settings = Settings::default();
        let linter = Linter {
            read_as: ReadAs::Format(SourceFormat::Json),
            origin: Origin::Named,
            settings: &settings,
        };
        fix_text(text, linter, mode)
    }

    #[test]
    fn fixes_in_passes_to_a_fixed_point() {
        // The second Region is fixed in the first pass, which makes the
        // first destination's ECR301 duplicate removable in the next.
        let text = "{\"rules\": [{\"destinations\": [{\"region\": \"us-east-1\", \"registryId\": \"111122223333\"}, {\"region\": \"us-east-1\", \"registryId\": \"111122223333\"}],\r\n\"repositoryFilters\": [{\"filter\": \"prod\", \"filterType\": \"PREFIX\"}]}]}\r\n";
        let f = fixed(text, Mode::Safe);
        assert_eq!(
            f.text,
            "{\"rules\": [{\"destinations\": [{\"region\": \"us-east-1\", \"registryId\": \"111122223333\"}],\r\n\"repositoryFilters\": [{\"filter\": \"prod\", \"filterType\": \"PREFIX_MATCH\"}]}]}\r\n"
        );
        assert_eq!((f.applied, f.dropped.len()), (2, 0));
        assert!(f.diagnostics.unwrap().iter().all(|d| d.fix.is_none()));
        let again = fixed(&f.text, Mode::Safe);
        assert_eq!((again.text, again.applied), (f.text, 0));
    }

    #[test]
    fn a_fix_that_adds_a_finding_is_dropped_and_reported() {
        // Lower-casing the Region would make the two destinations duplicates (ECR301).
        let text = r#"{"rules": [{"destinations": [{"region": "US-EAST-1", "registryId": "111122223333"}, {"region": "us-east-1", "registryId": "111122223333"}]}]}"#;
        let f = fixed(text, Mode::Safe);
        assert_eq!((f.text.as_str(), f.applied), (text, 0));
        assert_eq!(f.dropped.len(), 1);
        assert_eq!(
            (f.dropped[0].code, f.dropped[0].reason),
            ("ECR202", "it would add a finding")
        );
    }

    #[test]
    fn one_bad_fix_among_many_does_not_hold_the_others_back() {
        // Five filter types to fix, then (later in the file, so tried last)
        // a Region whose fix would duplicate a destination.
        let filters: Vec<String> = (0..5)
            .map(|i| format!("{{\"filter\": \"team{i}\", \"filterType\": \"PREFIX\"}}"))
            .collect();
        let text = format!(
            r#"{{"rules": [{{"repositoryFilters": [{}], "destinations": [{{"region": "US-EAST-1", "registryId": "111122223333"}}, {{"region": "us-east-1", "registryId": "111122223333"}}]}}]}}"#,
            filters.join(", ")
        );
        let f = fixed(&text, Mode::Safe);
        assert_eq!((f.applied, f.dropped.len()), (5, 1), "{}", f.text);
        assert_eq!(fixed(&f.text, Mode::Safe).applied, 0);
    }

    #[test]
    fn unsafe_fixes_wait_for_their_mode() {
        let text = r#"{"rules": [{"destinations": [{"region": "eu-wset-1", "registryId": "111122223333"}]}]}"#;
        assert_eq!(fixed(text, Mode::Safe).applied, 0);
        let f = fixed(text, Mode::Unsafe);
        assert!(f.text.contains("\"eu-west-1\""), "{}", f.text);
    }
}
