//! Applies a file's fixes, for the command line and the language server
//! alike: in passes (the fixes that do not overlap, then a re-lint for
//! fresh spans, at most [`MAX_PASSES`] times), each step checked by parsing
//! and linting the result again. A step that leaves the file unparsable or
//! adds a finding is undone; its fixes are then added one at a time, and
//! one that does so even alone is dropped and reported, never written.
//!
//! Edits replace only the bytes they cover, so line endings (CRLF), a
//! byte-order mark and the trailing newline stay as they were.
//!
//! Memory is bounded as in `check`: each text is linted with the file's
//! cap on findings kept whole (`max-findings`), and two texts are compared
//! by every finding's 8-byte key, kept or counted. A pass first tries the
//! fixes of the findings kept together with the edits of those past the
//! cap (all at once, judged as one step); when that step adds a finding,
//! it applies the fixes of the findings kept, and those past the cap wait
//! for the passes after.

use crate::diagnostic::{Diagnostic, ForFixing, Omitted, OmittedFix};
use crate::fix::apply::{Dropped, Mode};
use crate::fix::{apply, apply_edits, Applicability, Edit, Fix};
use crate::lint::{lint, lint_for_fixing, Origin, Outcome};
use crate::rules::findings::{finding_key, message_shape};
use crate::settings::Settings;
use crate::syntax::ReadAs;
use std::borrow::Cow;
use std::collections::HashSet;

/// Passes over a file before giving up on reaching a fixed point (more
/// when the cap on findings kept leaves fixes for later passes).
pub const MAX_PASSES: usize = 32;

/// Findings with a fix kept whole per lint of the fix loop, at least: a
/// pass applies the fixes of those kept, so a small `max-findings` would
/// cost a lint of the file for every few fixes.
const KEPT_WHILE_FIXING: usize = 10_000;

/// The cap on findings kept whole while fixing, for a file whose cap is
/// `cap` (0: all); the fixed file's findings are capped at `cap` after.
pub fn cap_while_fixing(cap: usize) -> usize {
    if cap == 0 {
        0
    } else {
        cap.max(KEPT_WHILE_FIXING)
    }
}

/// What fixing a file came to.
pub struct Fixed {
    /// The fixed text: the original when nothing was applied.
    pub text: String,
    /// Fixes applied (a finding's fix counts once).
    pub applied: usize,
    /// How many fixes of each rule (code, name) were applied: what
    /// `--show-fixes` lists (a finding that went with another rule's fix
    /// was not fixed by its own).
    pub applied_rules: Vec<(&'static str, &'static str, usize)>,
    /// Fixes dropped because they broke the file or added a finding.
    pub dropped: Vec<Dropped>,
    /// The findings of the fixed text, the first `max-findings` by
    /// position (`None`: the file is not linted).
    pub diagnostics: Option<Vec<Diagnostic>>,
    /// The findings of the fixed text past the cap, counted.
    pub omitted: Omitted,
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
    /// The findings of `text` as the fix loop weighs them: up to the cap,
    /// the first with a fix `mode` applies whole, the others by their keys.
    fn weigh(&self, text: &str, mode: Mode) -> Option<Weighed> {
        match lint_for_fixing(text.as_bytes(), self.read_as, self.origin, self.settings, mode) {
            Outcome::Linted {
                diagnostics,
                mut omitted,
                ..
            } => {
                let ForFixing {
                    mut keys,
                    fixes: counted_fixes,
                } = omitted.for_fixing.take().map(|f| *f).unwrap_or_default();
                keys.extend(keys_of(&diagnostics));
                keys.sort_unstable();
                Some(Weighed {
                    diagnostics,
                    omitted,
                    keys,
                    counted_fixes,
                })
            }
            Outcome::Skipped { .. } => None,
        }
    }
}

/// The findings of one text: those kept whole, those counted, every
/// one's key ([`finding_key`]), sorted, and the edits of the counted ones'
/// fixes that the mode applies.
struct Weighed {
    diagnostics: Vec<Diagnostic>,
    omitted: Omitted,
    keys: Vec<u64>,
    counted_fixes: Vec<OmittedFix>,
}

impl Weighed {
    /// Whether the text does not parse.
    fn unparsable(&self) -> bool {
        let code = crate::rules::invalid_json::META.code;
        self.diagnostics.iter().any(|d| d.code == code) || self.omitted.by_rule.iter().any(|r| r.code == code)
    }

    /// How many findings have a fix `mode` allows: kept whole, and counted.
    fn fixable(&self, mode: Mode) -> (usize, usize) {
        let kept = self
            .diagnostics
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| mode.allows(f.applicability)))
            .count();
        let counted = self
            .omitted
            .by_rule
            .iter()
            .map(|r| {
                let allowed = |a, n| if mode.allows(a) { n } else { 0 };
                allowed(Applicability::Safe, r.safe_fixable) + allowed(Applicability::Unsafe, r.unsafe_fixable)
            })
            .sum();
        (kept, counted)
    }
}

fn keys_of(diagnostics: &[Diagnostic]) -> impl Iterator<Item = u64> + '_ {
    diagnostics
        .iter()
        .map(|d| finding_key(d.code, message_shape(&d.message)))
}

/// Whether `after` has a finding `before` did not (or more of one): a step
/// may only lower how many findings there are of each (rule, message
/// without its numbers). Both are sorted keys ([`finding_key`]).
fn adds_key(before: &[u64], after: &[u64]) -> bool {
    let mut before = before.iter().peekable();
    let mut at = 0;
    while at < after.len() {
        let key = after[at];
        let n = after[at..].iter().take_while(|&&k| k == key).count();
        at += n;
        while before.next_if(|&&k| k < key).is_some() {}
        let mut m = 0;
        while before.next_if(|&&k| k == key).is_some() {
            m += 1;
        }
        if n > m {
            return true;
        }
    }
    false
}

/// Whether `after` has a finding `before` did not (or more of one).
pub fn adds_finding(before: &[Diagnostic], after: &[Diagnostic]) -> bool {
    let sorted = |ds: &[Diagnostic]| {
        let mut keys: Vec<u64> = keys_of(ds).collect();
        keys.sort_unstable();
        keys
    };
    adds_key(&sorted(before), &sorted(after))
}

/// Whether the file parsed before and does not after (`None`: not linted).
fn breaks_parse(before: &Weighed, after: Option<&Weighed>) -> bool {
    !before.unparsable() && after.is_none_or(Weighed::unparsable)
}

/// A fix's identity across passes: spans move, pointers and titles do not.
type Key = (&'static str, String, String);

fn key(d: &Diagnostic, fix: &Fix) -> Key {
    (d.code, d.pointer.clone(), fix.title.clone())
}

/// Whether applying `edits` to `text` changes it.
fn changes(text: &str, edits: &[Edit]) -> bool {
    edits
        .iter()
        .any(|e| text.get(e.span.start..e.span.end) != Some(e.content.as_str()))
}

/// Applies the fixes `mode` allows to `text`, linted as `linter` says.
pub fn fix_text(text: &str, linter: Linter, mode: Mode) -> Fixed {
    let lints = std::cell::Cell::new(0);
    let findings = |text: &str| {
        lints.set(lints.get() + 1);
        linter.weigh(text, mode)
    };
    // Borrowed until a step changes it: a copy of the text as read would
    // sit beside every lint of it.
    let mut text = Cow::Borrowed(text);
    let mut found = findings(&text);
    // A pass applies the fixes of the findings kept whole: when the cap
    // leaves some counted, as many more passes as it takes at this rate.
    let passes = MAX_PASSES
        + found.as_ref().map_or(0, |found| match found.fixable(mode) {
            (_, 0) => 0,
            (kept, counted) => counted.div_ceil(kept.max(1)),
        });
    let mut applied = 0;
    let mut applied_rules = Vec::new();
    let mut dropped = Vec::new();
    let mut refused: HashSet<Key> = HashSet::new();
    // How many fixes were applied when the first of the refused ones was
    // refused: they are tried again, once no other is left (see below),
    // only when some fix was applied since (a later refusal must not hide
    // that an earlier one has a new text to be judged against).
    let mut applied_at_first_refusal: Option<usize> = None;
    for _ in 0..passes {
        // The edits of the fixes past the cap are tried in this pass only
        // (a later pass has its own, from its lint): taken, so that they
        // are not held while the text with them is linted.
        let counted_fixes = found.as_mut().map(|f| std::mem::take(&mut f.counted_fixes));
        let Some(current) = found.as_ref() else { break };
        let candidates: Vec<(&Diagnostic, &Fix)> = current
            .diagnostics
            .iter()
            .filter_map(|d| Some((d, d.fix.as_deref()?)))
            .filter(|(d, f)| mode.allows(f.applicability) && !refused.contains(&key(d, f)))
            // A fix whose edits change nothing (its span does not hold what it
            // describes) would be "applied" on every pass: never a fixed point.
            .filter(|(_, f)| changes(&text, &f.edits))
            .collect();
        // Every fix at once, those of the findings past the cap included:
        // one lint for them all when together they add no finding (a file
        // of 200,000 duplicates took a pass per cap's worth of fixes).
        let counted: Vec<(&'static str, &'static str, Vec<Edit>)> = counted_fixes
            .into_iter()
            .flatten()
            .map(|f| (f.code, f.rule, f.edits.into_vec()))
            .filter(|(_, _, edits)| changes(&text, edits))
            .collect();
        if !counted.is_empty() {
            let edits: Vec<&[Edit]> = candidates
                .iter()
                .map(|(_, f)| &f.edits[..])
                .chain(counted.iter().map(|(_, _, edits)| &edits[..]))
                .collect();
            let (mut all, chosen) = apply_edits(&text, &edits);
            let mut rules = Vec::new();
            for &i in &chosen {
                let (code, rule) = match candidates.get(i) {
                    Some((d, _)) => (d.code, d.rule),
                    None => (counted[i - candidates.len()].0, counted[i - candidates.len()].1),
                };
                count_applied(&mut rules, code, rule, 1);
            }
            drop(edits);
            drop(counted);
            // Made with room for the text as read: most fixes remove.
            all.shrink_to_fit();
            let after = if chosen.is_empty() { None } else { findings(&all) };
            if let Some(after) = after.filter(|after| !adds_key(&current.keys, &after.keys)) {
                for (code, rule, n) in rules {
                    count_applied(&mut applied_rules, code, rule, n);
                }
                applied += chosen.len();
                text = Cow::Owned(all);
                found = Some(after);
                continue;
            }
        }
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
        let whole = match findings(&all) {
            Some(after) if !adds_key(&current.keys, &after.keys) => Some((all, after)),
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
        let step = match whole {
            Some((all, after)) => Some((all, after, chosen)),
            None => {
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
                for (i, breaks_parse) in trials.failed_alone {
                    let (d, f) = candidates[i];
                    refused.insert(key(d, f));
                    applied_at_first_refusal.get_or_insert(applied);
                    dropped.push(Dropped {
                        code: d.code,
                        title: f.title.clone(),
                        reason: if breaks_parse {
                            "it would leave the file unparsable"
                        } else {
                            "it would add a finding"
                        },
                    });
                }
                trials.best
            }
        };
        let Some((new_text, after, taken)) = step else { continue };
        for &i in &taken {
            count_applied(&mut applied_rules, candidates[i].0.code, candidates[i].0.rule, 1);
        }
        text = Cow::Owned(new_text);
        found = Some(after);
        applied += taken.len();
    }
    let (diagnostics, omitted) = match found {
        // Past the cap, those kept are the fixable ones: the report wants
        // the first by position of all.
        Some(found) if found.omitted.total() > 0 => {
            drop(found);
            lints.set(lints.get() + 1);
            match lint(text.as_bytes(), linter.read_as, linter.origin, linter.settings) {
                Outcome::Linted {
                    diagnostics, omitted, ..
                } => (Some(diagnostics), omitted),
                Outcome::Skipped { .. } => (None, Omitted::default()),
            }
        }
        Some(found) => (Some(found.diagnostics), found.omitted),
        None => (None, Omitted::default()),
    };
    Fixed {
        text: text.into_owned(),
        applied,
        applied_rules,
        dropped,
        diagnostics,
        omitted,
        lints: lints.get(),
    }
}

/// `n` more fixes of rule `code` applied.
fn count_applied(
    applied_rules: &mut Vec<(&'static str, &'static str, usize)>,
    code: &'static str,
    rule: &'static str,
    n: usize,
) {
    match applied_rules.iter_mut().find(|(c, _, _)| *c == code) {
        Some((_, _, m)) => *m += n,
        None => applied_rules.push((code, rule, n)),
    }
}

/// Lints a pass may spend judging fixes that broke something together.
const TRIALS_PER_PASS: usize = 64;

/// Fixes judged by halves on top of those kept so far (see [`fix_text`]).
struct Trials<'t> {
    text: &'t str,
    current: &'t Weighed,
    findings: &'t dyn Fn(&str) -> Option<Weighed>,
    fixes: &'t [&'t Fix],
    /// The fixes kept so far, by index into `fixes`.
    kept: Vec<usize>,
    /// The text with every fix kept, its findings and the fixes kept.
    best: Option<(String, Weighed, Vec<usize>)>,
    /// Lints left for this pass.
    budget: usize,
    /// Fixes (by index into `fixes`) that add a finding with nothing else
    /// kept, and whether they leave the file unparsable.
    failed_alone: Vec<(usize, bool)>,
}

impl Trials<'_> {
    fn judge(&mut self, group: &[usize]) {
        if group.is_empty() || self.budget == 0 {
            return;
        }
        let trial: Vec<&Fix> = self.kept.iter().chain(group).map(|&i| self.fixes[i]).collect();
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
            Some(after) if !adds_key(&self.current.keys, &after.keys) => {
                self.kept.extend(group);
                self.best = Some((with, after, self.kept.clone()));
            }
            after if group.len() == 1 => {
                if self.kept.is_empty() {
                    self.failed_alone
                        .push((group[0], breaks_parse(self.current, after.as_ref())));
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
