//! The findings of one file as the checks add them, bounded: at most
//! `max` are kept whole (the first by position), the others are only
//! recorded in a few bytes each, enough for the steps after the rules
//! (suppressions, the schema's de-duplication, levels, one finding per
//! value) to drop them as they drop kept ones, and for the report to count
//! them exactly by rule and severity ([`Omitted`]). A file with hundreds of
//! thousands of findings then costs tens of bytes a finding, not hundreds.

use super::RuleMeta;
use crate::diagnostic::{Diagnostic, ForFixing, Omitted, OmittedFix, Severity};
use crate::fix::apply::Mode;
use crate::fix::{Applicability, Edits};
use crate::settings::{Level, Settings};
use crate::syntax::Span;
use std::hash::{Hash, Hasher};

/// What is left of a finding past the cap: where, which rule, how bad,
/// whether it has a fix, and hashes of its message and pointer (for the
/// steps that compare findings by them).
#[derive(Clone, Copy, Debug)]
struct Counted {
    start: u32,
    end: u32,
    message: u64,
    /// 0 until known (see [`Findings::hash_pointers`]).
    pointer: u64,
    /// Its index in [`super::RULES`] (32 bytes a finding in all).
    rule: u16,
    severity: Severity,
    fix: Option<Applicability>,
    /// [`message_shape`] of its message (in what would be padding).
    shape: u32,
}

impl Counted {
    fn span(&self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }

    fn rule(&self) -> &'static RuleMeta {
        super::RULES[usize::from(self.rule)].meta
    }

    fn key(&self) -> (usize, usize, &'static str) {
        (self.start as usize, self.end as usize, self.rule().code)
    }
}

/// The index in [`super::RULES`] of the rule with `code`: found by halves,
/// as the table is in code order (comparing with each rule's code in turn
/// was most of what a finding past the cap cost to record).
fn rule_index(code: &str) -> Option<u16> {
    let i = super::RULES.binary_search_by(|r| r.meta.code.cmp(code)).ok()?;
    u16::try_from(i).ok()
}

/// The edits of a counted finding's fix, for the fix loop: the key of its
/// [`Counted`] (to follow it through the steps that drop findings) and its
/// edits, compactly (48 bytes in all for a deletion, where a boxed edit
/// took 80 with the allocator's).
struct CountedFix {
    start: u32,
    end: u32,
    rule: u16,
    edits: Edits,
}

impl CountedFix {
    fn key(&self) -> (u32, u32, u16) {
        (self.start, self.end, self.rule)
    }
}

fn key(d: &Diagnostic) -> (usize, usize, &'static str) {
    (d.span.start, d.span.end, d.code)
}

/// The hash findings are compared by, for text not kept.
pub fn hash_text(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// A message's hash with each run of digits taken as one `#`, so that a
/// finding that counts something ("`destinations` has 300 items") is the
/// same finding when a fix lowers the count. 32 bits: it fits a counted
/// finding's padding, and it is only ever compared among one rule's
/// findings of one file.
pub fn message_shape(message: &str) -> u32 {
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
    hasher.finish() as u32
}

/// What the fix loop compares findings of two texts by: the rule and the
/// message's [`message_shape`], in 8 bytes, for findings kept or counted.
pub fn finding_key(code: &str, shape: u32) -> u64 {
    (hash_text(code) << 32) | u64::from(shape)
}

/// Where a finding is, and what it is, as the steps after the rules see it.
pub struct Place<'a> {
    pub span: Span,
    pub code: &'static str,
    /// The message of a kept finding (`None` past the cap).
    pub message: Option<&'a str>,
}

/// The findings of one file, bounded (see the module's comment).
pub struct Findings<'a> {
    /// Unsorted; at most [`Findings::limit`] (cut back to the first
    /// [`Findings::reserve`] by position when it gets there), so that a
    /// few kept ones that a later step drops leave `max` to show.
    kept: Vec<Diagnostic>,
    counted: Vec<Counted>,
    /// 0: every finding is kept.
    max: usize,
    /// Every counted finding is at or after this position, and every kept
    /// one at or before it (once the first halving set it).
    bound: Option<(usize, usize, &'static str)>,
    /// Applied to each finding as it comes, before it is kept or counted;
    /// `false` drops it.
    prepare: Option<&'a dyn Fn(&mut Diagnostic) -> bool>,
    /// For the fix loop: only findings with a fix this mode applies are
    /// kept whole (up to `max`), any other is counted wherever it is.
    fixing: Option<Mode>,
    /// For the fix loop: the edits of the counted findings' fixes it applies.
    fixes: Vec<CountedFix>,
}

impl<'a> Findings<'a> {
    /// Keeps at most `max` whole (0: all).
    pub fn new(max: usize) -> Self {
        Findings {
            kept: Vec::new(),
            counted: Vec::new(),
            max,
            bound: None,
            prepare: None,
            fixing: None,
            fixes: Vec::new(),
        }
    }

    /// Every finding kept, however many.
    pub fn unbounded() -> Self {
        Self::new(0)
    }

    /// `prepare` is applied to each finding pushed from now on.
    pub fn prepared_by(mut self, prepare: &'a dyn Fn(&mut Diagnostic) -> bool) -> Self {
        self.prepare = Some(prepare);
        self
    }

    /// With a cap, the findings kept whole are the first of those with a
    /// fix `mode` applies: what a pass of the fix loop can apply.
    pub fn whole_only_with_fixes(mut self, mode: Mode) -> Self {
        self.fixing = Some(mode);
        self
    }

    /// No more preparation: what is pushed is taken as it is.
    pub fn unprepared(self) -> Findings<'static> {
        Findings {
            kept: self.kept,
            counted: self.counted,
            max: self.max,
            bound: self.bound,
            prepare: None,
            fixing: self.fixing,
            fixes: self.fixes,
        }
    }

    pub fn push(&mut self, mut d: Diagnostic) {
        if let Some(prepare) = self.prepare {
            if !prepare(&mut d) {
                return;
            }
        }
        let unfixable = |mode: Mode| d.fix.as_ref().is_none_or(|f| !mode.allows(f.applicability));
        if self.max > 0 && self.fixing.is_some_and(unfixable) || self.bound.is_some_and(|bound| key(&d) >= bound) {
            if let Some(d) = self.count(d) {
                self.kept.push(d);
            }
            return;
        }
        self.kept.push(d);
        if self.max > 0 && self.kept.len() > self.limit() {
            self.halve();
        }
    }

    /// Whether a finding of `code` at `span` would only be counted, not
    /// kept: its check may then leave out what only a kept finding shows
    /// (labels, help), which is most of what building it costs. Its
    /// message and fix are still wanted (they are counted).
    pub fn past_cap(&self, span: Span, code: &'static str) -> bool {
        u32::try_from(span.end).is_ok() && self.bound.is_some_and(|bound| (span.start, span.end, code) >= bound)
    }

    pub fn extend(&mut self, found: impl IntoIterator<Item = Diagnostic>) {
        for d in found {
            self.push(d);
        }
    }

    /// Records `d` past the cap; gives it back when it cannot be recorded
    /// (a span past 4 GiB, a code no rule has): it is then kept.
    fn count(&mut self, mut d: Diagnostic) -> Option<Diagnostic> {
        let (Ok(start), Ok(end)) = (u32::try_from(d.span.start), u32::try_from(d.span.end)) else {
            return Some(d);
        };
        let Some(rule) = rule_index(d.code) else {
            return Some(d);
        };
        let fix = d.fix.as_ref().map(|f| f.applicability);
        if self.fixing.is_some_and(|mode| fix.is_some_and(|a| mode.allows(a))) {
            if let Some(taken) = d.fix.take() {
                self.fixes.push(CountedFix {
                    start,
                    end,
                    rule,
                    edits: Edits::new(taken.edits),
                });
            }
        }
        self.counted.push(Counted {
            start,
            end,
            rule,
            message: hash_text(&d.message),
            // Only the fix loop compares by it.
            shape: if self.fixing.is_some() {
                message_shape(&d.message)
            } else {
                0
            },
            pointer: if d.pointer.is_empty() { 0 } else { hash_text(&d.pointer) },
            severity: d.severity,
            fix,
        });
        None
    }

    /// How many are kept whole until [`Findings::settle`] keeps `max`.
    fn reserve(&self) -> usize {
        self.max + self.max / 8 + 16
    }

    /// How many kept whole make [`Findings::halve`] cut them back.
    fn limit(&self) -> usize {
        self.reserve() + self.max / 8 + 16
    }

    /// Keeps the first [`Findings::reserve`] by position, counts the others.
    fn halve(&mut self) {
        let reserve = self.reserve();
        self.kept.select_nth_unstable_by_key(reserve - 1, key);
        let rest: Vec<Diagnostic> = self.kept.drain(reserve..).collect();
        self.bound = self.kept.iter().map(key).max();
        for d in rest {
            if let Some(d) = self.count(d) {
                self.kept.push(d);
            }
        }
    }

    /// The findings kept whole, in no particular order.
    pub fn kept_mut(&mut self) -> &mut [Diagnostic] {
        &mut self.kept
    }

    pub fn kept(&self) -> &[Diagnostic] {
        &self.kept
    }

    /// Drops every finding, kept or not, that `keep` says no to.
    pub fn retain(&mut self, mut keep: impl FnMut(Place) -> bool) {
        self.kept.retain(|d| {
            keep(Place {
                span: d.span,
                code: d.code,
                message: Some(&d.message),
            })
        });
        self.counted.retain(|c| {
            keep(Place {
                span: c.span(),
                code: c.rule().code,
                message: None,
            })
        });
    }

    /// Gives each finding past the cap the hash of its pointer, `pointer_at`
    /// of its span unless the check that found it set one.
    pub fn hash_pointers(&mut self, pointer_at: impl Fn(Span) -> String) {
        for c in self.counted.iter_mut().filter(|c| c.pointer == 0) {
            c.pointer = hash_text(&pointer_at(c.span()));
        }
    }

    /// Every finding's span and pointer hash (for counted findings, after
    /// [`Findings::hash_pointers`]).
    pub fn spans_and_pointers(&self) -> impl Iterator<Item = (Span, Option<u64>)> + '_ {
        self.kept.iter().map(|d| (d.span, Some(hash_text(&d.pointer)))).chain(
            self.counted
                .iter()
                .map(|c| (c.span(), (c.pointer != 0).then_some(c.pointer))),
        )
    }

    /// Drops every finding at one of `spans` or whose pointer hash is in `pointers`.
    pub fn drop_at(&mut self, spans: &std::collections::HashSet<Span>, pointers: &std::collections::HashSet<u64>) {
        self.kept
            .retain(|d| !spans.contains(&d.span) && !pointers.contains(&hash_text(&d.pointer)));
        self.counted
            .retain(|c| !spans.contains(&c.span()) && !pointers.contains(&c.pointer));
    }

    /// Each finding's code, span and message hash, kept or not.
    pub fn places(&self) -> impl Iterator<Item = (&'static str, Span, u64)> + '_ {
        self.kept
            .iter()
            .map(|d| (d.code, d.span, hash_text(&d.message)))
            .chain(self.counted.iter().map(|c| (c.rule().code, c.span(), c.message)))
    }

    /// The findings of `other`, each after `adjust` (a kept one) or with
    /// `pointer` as its pointer hash (a counted one), unless `new` says it
    /// is already here (by code, span and message hash).
    pub fn take_new(
        &mut self,
        other: Findings,
        mut new: impl FnMut(&'static str, Span, u64) -> bool,
        adjust: impl Fn(&mut Diagnostic),
        pointer: impl Fn(Span) -> u64,
    ) {
        for mut d in other.kept {
            if new(d.code, d.span, hash_text(&d.message)) {
                adjust(&mut d);
                self.push(d);
            }
        }
        for mut c in other.counted {
            if new(c.rule().code, c.span(), c.message) {
                c.pointer = pointer(c.span());
                // Counted here too (it cannot be made whole again), even in
                // the rare case that it is before this sink's bound: a
                // variant of the file finds the file's places.
                self.counted.push(c);
            }
        }
    }

    /// Every finding, whole: for callers that need them all (no cap).
    pub fn into_vec(self) -> Vec<Diagnostic> {
        debug_assert!(self.counted.is_empty(), "an unbounded sink counts nothing");
        self.kept
    }

    /// The findings as the settings want them ([`settle`]), the first
    /// `max` by position kept and the others counted (for the fix loop,
    /// each with its [`finding_key`] in [`Omitted::keys`], and the edits of
    /// the fixes it applies in [`Omitted::fixes`]).
    pub fn settle(self, settings: &Settings) -> (Vec<Diagnostic>, Omitted) {
        let keyed = self.fixing.is_some();
        let applies = |fix: Option<Applicability>| self.fixing.is_some_and(|mode| fix.is_some_and(|a| mode.allows(a)));
        let mut fixes = self.fixes;
        fixes.sort_unstable_by_key(CountedFix::key);
        let mut kept = settle(self.kept, settings);
        let mut counted: Vec<Counted> = self
            .counted
            .into_iter()
            .filter_map(|mut c| {
                match settings.levels.get(c.rule().code) {
                    Some(Level::Off) => return None,
                    Some(Level::On(severity)) => c.severity = *severity,
                    None => {}
                }
                if settings.unfixable.contains(&c.rule().code) {
                    c.fix = None;
                }
                Some(c)
            })
            .collect();
        counted.sort_by_key(Counted::key);
        // One finding per value reached through aliases, as `settle` does.
        counted.dedup_by(|a, b| a.key() == b.key() && a.message == b.message);
        // The one finding a counted one may repeat is at the bound.
        let last_kept = kept.last().map(|d| (key(d), hash_text(&d.message)));
        let mut omitted = Omitted::default();
        let mut for_fixing = ForFixing::default();
        if keyed {
            // Their exact room: a doubling vector's spare half would be
            // megabytes here.
            let past = if self.max > 0 {
                kept.len().saturating_sub(self.max)
            } else {
                0
            };
            for_fixing.keys.reserve_exact(past + counted.len());
            for_fixing.fixes.reserve_exact(past + fixes.len());
        }
        if self.max > 0 && kept.len() > self.max {
            for d in kept.drain(self.max..) {
                omitted.count(&d);
                if keyed {
                    for_fixing.keys.push(finding_key(d.code, message_shape(&d.message)));
                }
                if let Some(fix) = d.fix.filter(|f| applies(Some(f.applicability))) {
                    for_fixing.fixes.push(OmittedFix {
                        code: d.code,
                        rule: d.rule,
                        edits: Edits::new(fix.edits),
                    });
                }
            }
        }
        // The fix of each counted finding left, once per place and rule
        // (those the steps after the rules dropped have none).
        let mut last_fixed = None;
        for c in &counted {
            if last_kept.is_some_and(|(k, m)| k == c.key() && m == c.message) {
                continue;
            }
            omitted.count_one(c.rule().code, c.rule().name, c.severity, c.fix);
            if keyed {
                for_fixing.keys.push(finding_key(c.rule().code, c.shape));
            }
            let at = (c.start, c.end, c.rule);
            if applies(c.fix) && last_fixed != Some(at) {
                if let Ok(i) = fixes.binary_search_by_key(&at, CountedFix::key) {
                    last_fixed = Some(at);
                    for_fixing.fixes.push(OmittedFix {
                        code: c.rule().code,
                        rule: c.rule().name,
                        edits: std::mem::replace(&mut fixes[i].edits, Edits::Many(Box::default())),
                    });
                }
            }
        }
        if omitted.total() > 0 {
            omitted.kept = kept.len();
        }
        if keyed {
            omitted.for_fixing = Some(Box::new(for_fixing));
        }
        (kept, omitted)
    }
}

/// Findings as the settings want them: each at the user's level for its
/// rule (or dropped when it is off), fixes of unfixable rules dropped,
/// sorted by position, and one finding per value reached through aliases.
/// Also what the check across files applies to the findings it adds.
pub fn settle(found: Vec<Diagnostic>, settings: &Settings) -> Vec<Diagnostic> {
    // The user's level wins; otherwise a finding keeps the severity its rule
    // gave it (the default, or a lower one). Rules off by default never ran.
    let mut diagnostics: Vec<Diagnostic> = found
        .into_iter()
        .filter_map(|mut d| match settings.levels.get(d.code) {
            Some(Level::Off) => None,
            Some(Level::On(severity)) => {
                d.severity = *severity;
                Some(d)
            }
            None => Some(d),
        })
        .map(|mut d| {
            if settings.unfixable.contains(&d.code) {
                d.fix = None;
            }
            d
        })
        .collect();
    diagnostics.sort_by(|a, b| (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code)));
    // A value reached through YAML aliases is checked once per use: one finding.
    diagnostics.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(at: usize) -> Diagnostic {
        super::super::find("ECR301")
            .unwrap()
            .diagnostic(Span::new(at, at + 1), format!("finding at {at}"))
    }

    #[test]
    fn every_rule_is_found_by_its_code() {
        for (i, rule) in super::super::RULES.iter().enumerate() {
            assert_eq!(rule_index(rule.meta.code), Some(i as u16), "{}", rule.meta.code);
        }
        assert_eq!(rule_index("ECR000"), None);
    }

    #[test]
    fn a_finding_past_the_cap_takes_32_bytes() {
        assert_eq!(std::mem::size_of::<Counted>(), 32);
    }

    #[test]
    fn the_first_by_position_are_kept_whatever_order_they_come_in() {
        let mut found = Findings::new(10);
        // 1,000 findings, last first, then the even ones again (an alias's
        // value checked twice: one finding).
        found.extend((0..1_000).rev().map(finding));
        found.extend((0..1_000).step_by(2).map(finding));
        found.retain(|place| place.span.start != 3);
        let (kept, omitted) = found.settle(&Settings::default());
        let starts: Vec<usize> = kept.iter().map(|d| d.span.start).collect();
        assert_eq!(starts, [0, 1, 2, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(omitted.total(), 1_000 - 1 - 10);
        assert_eq!(omitted.kept, 10);
        assert_eq!(omitted.by_rule.len(), 1);
        assert_eq!(omitted.by_rule[0].code, "ECR301");
    }

    #[test]
    fn for_the_fix_loop_the_findings_kept_are_the_first_with_a_fix() {
        let with_fix = |at: usize| {
            let mut d = finding(at);
            d.fix = Some(Box::new(crate::fix::Fix::safe(
                "remove it",
                vec![crate::fix::Edit::delete(d.span)],
            )));
            d
        };
        let mut found = Findings::new(5).whole_only_with_fixes(Mode::Safe);
        // A finding without a fix at every even position, with one at every odd.
        found.extend((0..100).map(|at| if at % 2 == 0 { finding(at) } else { with_fix(at) }));
        let (kept, omitted) = found.settle(&Settings::default());
        let starts: Vec<usize> = kept.iter().map(|d| d.span.start).collect();
        assert_eq!(starts, [1, 3, 5, 7, 9]);
        let for_fixing = omitted.for_fixing.as_deref().unwrap();
        assert_eq!((omitted.total(), for_fixing.keys.len()), (95, 95));
        assert_eq!(omitted.by_rule[0].safe_fixable, 45);
        // The fix of each one counted is there as its edits, once.
        let fixed: Vec<usize> = for_fixing
            .fixes
            .iter()
            .map(|f| f.edits.clone().into_vec()[0].span.start)
            .collect();
        assert_eq!(fixed, (11..100).step_by(2).collect::<Vec<_>>());
        // One deletion each, held inline.
        assert!(for_fixing
            .fixes
            .iter()
            .all(|f| f.code == "ECR301" && matches!(&f.edits, Edits::One { content, .. } if content.is_empty())));
        // Keys are by rule and message without its numbers: all the same here.
        let key = finding_key("ECR301", message_shape("finding at 0"));
        assert!(for_fixing.keys.iter().all(|&k| k == key));
        // Without the fix loop, no keys are kept.
        let mut found = Findings::new(5);
        found.extend((0..100).map(finding));
        assert!(found.settle(&Settings::default()).1.for_fixing.is_none());
    }

    #[test]
    fn levels_apply_to_findings_past_the_cap() {
        let mut found = Findings::new(5);
        found.extend((0..100).map(finding));
        let settings = Settings {
            levels: [("ECR301", Level::Off)].into_iter().collect(),
            ..Settings::default()
        };
        let (kept, omitted) = found.settle(&settings);
        assert!(kept.is_empty());
        assert_eq!(omitted.total(), 0);
    }
}
