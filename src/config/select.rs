//! `select`, `extend-select` and `ignore` (ruff's rule selection), in
//! `.ecrlint.toml` and as `--select`, `--extend-select`, `--ignore`.
//!
//! A selector is a rule's code or name, a code prefix (`ECR2`, `ECR20`)
//! or `ALL`. As in ruff: `select` replaces the rules in force (every rule
//! it does not match is off), `extend-select` adds to them, `ignore` turns
//! rules off; when a `select` and an `ignore` selector both match a rule,
//! the more specific one wins (`ECR204` over `ECR2`), and `ignore` wins a
//! tie. The command line's selection applies over the configuration's.
//! Levels come after selection: `[rules]` over a file's selection, and
//! `--rule` over the command line's. A rule selected that is off by
//! default is turned on as a warning; rules that cannot be configured are
//! never turned off by a prefix, and naming one in `ignore` is an error.

use crate::rules::{self, RuleMeta};
use crate::settings::{Choice, Level, Selection};

/// One selector, matched against the rule table.
pub struct Selector {
    rules: Vec<&'static RuleMeta>,
    /// How many characters of the code it fixes: `ALL` 0, `ECR2` 4, a
    /// whole code or a name 6.
    specificity: usize,
    /// It names one rule (by code or name), not a group.
    exact: bool,
}

/// Reads `text` as a selector; the error says why not (with a suggestion).
pub fn selector(text: &str) -> Result<Selector, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("ALL") {
        return Ok(Selector {
            rules: rules::RULES.iter().map(|r| r.meta).collect(),
            specificity: 0,
            exact: false,
        });
    }
    if let Some(meta) = rules::find(text) {
        return Ok(Selector {
            rules: vec![meta],
            specificity: meta.code.len(),
            exact: true,
        });
    }
    let upper = text.to_ascii_uppercase();
    let matched: Vec<&'static RuleMeta> = rules::RULES
        .iter()
        .map(|r| r.meta)
        .filter(|m| upper.starts_with("ECR") && m.code.starts_with(&upper))
        .collect();
    if !matched.is_empty() {
        return Ok(Selector {
            rules: matched,
            specificity: upper.len(),
            exact: false,
        });
    }
    let names = rules::RULES.iter().flat_map(|r| [r.meta.code, r.meta.name]);
    Err(match crate::text::nearest(text, names) {
        Some(n) => format!(
            "`{}` is no rule, code prefix or ALL; did you mean `{n}`?",
            crate::text::escape_hidden(text)
        ),
        None => format!(
            "`{}` is no rule, code prefix (such as ECR2) or ALL",
            crate::text::escape_hidden(text)
        ),
    })
}

/// `Err` when `selector`, in `ignore`, names a rule that cannot be turned off.
pub fn check_ignorable(selector: &Selector) -> Result<(), String> {
    match selector.rules.as_slice() {
        [meta] if selector.exact => meta.accepts_level(Level::Off),
        _ => Ok(()),
    }
}

/// What one source's `select` (if given), `extend-select` and `ignore` do.
pub fn selection(select: Option<&[Selector]>, extend_select: &[Selector], ignore: &[Selector]) -> Selection {
    let enabling = select.unwrap_or_default().iter().chain(extend_select);
    let mut choices = Vec::new();
    for r in rules::RULES {
        let meta = r.meta;
        let best = |selectors: &mut dyn Iterator<Item = &Selector>| {
            selectors
                .filter(|s| s.rules.iter().any(|m| m.code == meta.code))
                .map(|s| s.specificity)
                .max()
        };
        let on = best(&mut enabling.clone());
        let off = best(&mut ignore.iter());
        let choice = match (on, off) {
            (Some(on), Some(off)) if on > off => Some(Choice::On { default: meta.default }),
            (_, Some(_)) => Some(Choice::Off),
            (Some(_), None) => Some(Choice::On { default: meta.default }),
            // Not selected by a `select` that replaces the rules in force.
            (None, None) if select.is_some() => Some(Choice::Off),
            (None, None) => None,
        };
        // A rule that cannot be configured stays at its level.
        match choice {
            Some(Choice::Off) if meta.accepts_level(Level::Off).is_err() => {}
            Some(choice) => choices.push((meta.code, choice)),
            None => {}
        }
    }
    Selection { choices }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn levels(select: Option<&[&str]>, extend: &[&str], ignore: &[&str]) -> HashMap<&'static str, Level> {
        let parse = |list: &[&str]| list.iter().map(|s| selector(s).unwrap()).collect::<Vec<_>>();
        let select = select.map(parse);
        let mut levels = HashMap::new();
        selection(select.as_deref(), &parse(extend), &parse(ignore)).apply(&mut levels);
        levels
    }

    #[test]
    fn select_replaces_extend_select_adds_ignore_removes() {
        let l = levels(Some(&["ECR2"]), &["ECR310"], &["invalid-region"]);
        assert_eq!(l["ECR204"], Level::ERROR);
        assert_eq!(l["ECR310"], Level::WARNING, "off by default: selected, a warning");
        assert_eq!(l["ECR202"], Level::Off, "ignored by name");
        assert_eq!(l["ECR311"], Level::Off, "not selected");
        // Rules that cannot be configured stay on.
        assert_eq!(l.get("ECR001"), None);
        let l = levels(None, &[], &["ECR3"]);
        assert_eq!(l["ECR310"], Level::Off);
        assert_eq!(l.get("ECR204"), None, "untouched without select");
    }

    #[test]
    fn the_more_specific_selector_wins_and_ignore_wins_a_tie() {
        let l = levels(Some(&["ECR204"]), &[], &["ECR2"]);
        assert_eq!(l["ECR204"], Level::ERROR);
        assert_eq!(l["ECR202"], Level::Off);
        let l = levels(Some(&["ECR"]), &[], &["ECR20"]);
        assert_eq!(l["ECR204"], Level::Off);
        assert_eq!(l["ECR301"], Level::WARNING, "its default");
        let l = levels(Some(&["ECR204"]), &[], &["ECR204"]);
        assert_eq!(l["ECR204"], Level::Off);
    }

    #[test]
    fn selectors_are_codes_names_prefixes_or_all_and_slips_get_a_suggestion() {
        assert!(selector("ecr2").is_ok());
        assert!(selector("ALL").is_ok());
        assert!(selector("invalid-registry-id").is_ok());
        let e = selector("ECR9").err().unwrap();
        assert!(e.contains("no rule, code prefix"), "{e}");
        let e = selector("invalid-regoin").err().unwrap();
        assert!(e.contains("did you mean `invalid-region`?"), "{e}");
        assert!(check_ignorable(&selector("ECR001").unwrap()).is_err());
        assert!(check_ignorable(&selector("ECR0").unwrap()).is_ok());
    }
}
